import ArgumentParser
@testable import callqa
import Foundation
import Testing
import Yams

/// The deployment files: every Kubernetes manifest is valid YAML with the fields Kubernetes
/// requires, the pieces name each other consistently (image, Secret, claim, namespace, labels),
/// the batch is an Indexed Job whose shard count is its completions, every container's arguments
/// are a command `callqa` accepts, and the image builds in two stages and runs as a non-root user.
@Suite struct DeployManifestTests {
    typealias Object = [String: Any]
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy").standardized

    static func manifests() throws -> [(file: String, object: Object)] {
        let folder = deploy.appendingPathComponent("kubernetes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yaml.example") }.sorted()
        var out: [(String, Object)] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for document in try Yams.load_all(yaml: text) {
                out.append((file, try #require(document as? Object, "\(file): a document that is not a mapping")))
            }
        }
        return out
    }

    /// The value at a dotted path ("spec.template.spec"), or nil.
    static func at(_ object: Any?, _ path: String) -> Any? {
        path.split(separator: ".").reduce(object) { ($0 as? Object)?[String($1)] }
    }

    /// Every pod template in the manifests (a Deployment's, a CronJob's job's), with its file.
    static func podSpecs(_ all: [(file: String, object: Object)]) -> [(file: String, kind: String, spec: Object)] {
        all.compactMap { item in
            let path = item.object["kind"] as? String == "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec"
            return (at(item.object, path) as? Object).map { (item.file, item.object["kind"] as? String ?? "", $0) }
        }
    }

    @Test func manifestsHaveWhatKubernetesRequires() throws {
        let all = try Self.manifests()
        #expect(Set(all.compactMap { $0.object["kind"] as? String }) == ["Namespace", "Secret", "PersistentVolume", "PersistentVolumeClaim", "CronJob", "Deployment", "Service"])
        let namespace = try #require(all.first { $0.object["kind"] as? String == "Namespace" }.flatMap { Self.at($0.object, "metadata.name") as? String })
        for (file, object) in all {
            let kind = object["kind"] as? String ?? "?"
            #expect(object["apiVersion"] is String && Self.at(object, "metadata.name") is String, "\(file) \(kind)")
            if !["Namespace", "PersistentVolume"].contains(kind) { #expect(Self.at(object, "metadata.namespace") as? String == namespace, "\(file) \(kind)") }
        }
        for (file, kind, spec) in Self.podSpecs(all) {
            let containers = try #require(spec["containers"] as? [Object], "\(file)")
            #expect(!containers.isEmpty)
            for c in containers { #expect(c["name"] is String && c["image"] is String, "\(file)") }
            #expect(Self.at(spec, "securityContext.runAsNonRoot") as? Bool == true, "\(file)")
            if kind == "CronJob" { #expect(["OnFailure", "Never"].contains(spec["restartPolicy"] as? String ?? ""), "\(file)") }
        }
        let deployment = try #require(all.first { $0.object["kind"] as? String == "Deployment" }?.object)
        let selector = try #require(Self.at(deployment, "spec.selector.matchLabels") as? [String: String])
        let labels = try #require(Self.at(deployment, "spec.template.metadata.labels") as? [String: String])
        #expect(selector.allSatisfy { labels[$0.key] == $0.value })
        let service = try #require(all.first { $0.object["kind"] as? String == "Service" }?.object)
        #expect(Self.at(service, "spec.selector") as? [String: String] == selector)
        #expect(!(Self.at(service, "spec.ports") as? [Object] ?? []).isEmpty)
        let web = try #require((Self.at(deployment, "spec.template.spec.containers") as? [Object])?.first)
        // Ready when the store answers; alive when the process does (a store outage restarts nothing).
        #expect(Self.at(web, "readinessProbe.httpGet.path") as? String == "/health")
        #expect(Self.at(web, "livenessProbe.httpGet.path") as? String == "/live")
        for claim in all where claim.object["kind"] as? String == "PersistentVolumeClaim" {
            #expect(Self.at(claim.object, "spec.resources.requests.storage") is String && !(Self.at(claim.object, "spec.accessModes") as? [String] ?? []).isEmpty)
        }
    }

    @Test func theBatchIsAnIndexedJobWithOneShardPerCompletion() throws {
        let cron = try #require(try Self.manifests().first { $0.object["kind"] as? String == "CronJob" }?.object)
        #expect(Self.at(cron, "spec.schedule") is String)
        let job = try #require(Self.at(cron, "spec.jobTemplate.spec") as? Object)
        #expect(job["completionMode"] as? String == "Indexed")
        let completions = try #require(job["completions"] as? Int)
        #expect(completions >= 2 && job["parallelism"] as? Int ?? 0 <= completions)
        let container = try #require((Self.at(job, "template.spec.containers") as? [Object])?.first)
        let env = container["env"] as? [Object] ?? []
        #expect(env.first { $0["name"] as? String == "CALLQA_SHARDS" }?["value"] as? String == String(completions))
        // Kubernetes sets JOB_COMPLETION_INDEX; with CALLQA_SHARDS, the worker's shard follows.
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": String(completions - 1), "CALLQA_SHARDS": String(completions)]) == Shard("\(completions - 1)/\(completions)"))
    }

    @Test func namesAgreeAcrossFiles() throws {
        let all = try Self.manifests()
        let pods = Self.podSpecs(all)
        let images = Set(pods.flatMap { ($0.spec["containers"] as? [Object] ?? []).compactMap { $0["image"] as? String } })
        #expect(images.count == 1, "one image everywhere: \(images)")
        let secret = try #require(all.first { $0.object["kind"] as? String == "Secret" }?.object)
        let secretName = try #require(Self.at(secret, "metadata.name") as? String)
        let keys = Set((secret["stringData"] as? Object ?? secret["data"] as? Object ?? [:]).keys)
        let claims = Set(all.filter { $0.object["kind"] as? String == "PersistentVolumeClaim" }.compactMap { Self.at($0.object, "metadata.name") as? String })
        for (file, _, spec) in pods {
            let volumes = spec["volumes"] as? [Object] ?? []
            for v in volumes {
                if let s = Self.at(v, "secret.secretName") as? String {
                    #expect(s == secretName, "\(file)")
                    for item in Self.at(v, "secret.items") as? [Object] ?? [] { #expect(keys.contains(item["key"] as? String ?? ""), "\(file)") }
                }
                if let c = Self.at(v, "persistentVolumeClaim.claimName") as? String {
                    #expect(claims.contains(c), "\(file): claim \(c)")
                    #expect(Self.at(v, "persistentVolumeClaim.readOnly") as? Bool == true, "\(file): recordings are mounted read-only")
                }
            }
            let volumeNames = Set(volumes.compactMap { $0["name"] as? String })
            for c in spec["containers"] as? [Object] ?? [] {
                for m in c["volumeMounts"] as? [Object] ?? [] { #expect(volumeNames.contains(m["name"] as? String ?? ""), "\(file)") }
                for e in c["env"] as? [Object] ?? [] {
                    if let ref = Self.at(e, "valueFrom.secretKeyRef") as? Object {
                        #expect(ref["name"] as? String == secretName && keys.contains(ref["key"] as? String ?? ""), "\(file)")
                    }
                }
                // The arguments are a command this build of callqa accepts.
                let args = try #require(c["args"] as? [String], "\(file)")
                #expect(throws: Never.self, "\(file): \(args)") { _ = try CallQA.parseAsRoot(args) }
                #expect(args.contains("/recordings") == (args.first == "score"), "\(file)")
            }
        }
    }

    @Test func theImageBuildsInTwoStagesAndRunsAsAnOrdinaryUser() throws {
        let text = try String(contentsOf: Self.deploy.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix("#") }
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2 && stages.last?.contains("debian:bookworm-slim") == true, "\(stages)")
        let user = try #require(lines.last { $0.hasPrefix("USER ") })
        #expect(!user.contains("root") && !user.hasSuffix(" 0") && !user.contains(" 0:"))
        let runtime = text.components(separatedBy: "FROM debian:bookworm-slim").last ?? ""
        for library in ["libsndfile1", "libfftw3-single3", "libsqlite3-0"] { #expect(runtime.contains(library), "\(library)") }
        #expect(text.contains("--product callqa") && text.contains(".resources"))
        // SwiftPM checks every target's folder, tests included, before it builds any product.
        for folder in ["Sources", "Tests", "Models"] { #expect(lines.contains("COPY \(folder) \(folder)"), "\(folder)") }
    }
}
