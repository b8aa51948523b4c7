import CallScoring
@testable import CallServer
@testable import CallStore
import CallStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Sharded `callqa score` processes on one PostgreSQL: two at once on one folder, one killed with
/// `kill -9` and rerun, the web pages read meanwhile, and the result the same as one SQLite run.
@Suite struct PostgresWorkerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let binary = root.appendingPathComponent(".build/debug/callqa").path
    static let samples = root.appendingPathComponent("SampleAudio").path

    static func score(_ location: StoreLocation, _ extra: [String]) throws -> Process {
        let (store, environment) = TestStores.processArguments(location)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["score", samples, "--store", store, "--jobs", "1"] + extra
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func finish(_ p: Process) async -> Int32 {
        while p.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        return p.terminationStatus
    }

    /// Every stored call by path: score, routing and each rule's outcome, reason and badness.
    static func results(_ store: any CallStore) throws -> [String: String] {
        var out: [String: String] = [:]
        let rows = try store.ruleResults(startingWith: "", agentId: nil)
        for call in try store.calls(startingWith: "", agentId: nil) {
            let rules = rows.filter { $0.callId == call.id }.sorted { $0.result.rule < $1.result.rule }
                .map { "\($0.result.rule) \($0.result.outcome) \($0.result.reason) \($0.result.badness.map { String($0) } ?? "-")" }
            out[call.path] = "score \(call.score) review \(call.review) counted \(call.notCountedBecause ?? "yes") | " + rules.joined(separator: " | ")
        }
        return out
    }

    @Test(.enabled(if: TestStores.postgresURL != nil, TestStores.skipNote))
    func shardedWorkersOnOnePostgresMatchOneSQLiteRun() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the callqa product first (make test does)")
        let (postgres, location) = try TestStores.make(.postgres)
        try postgres.saveUser(User(name: "boss", role: .manager, agentId: nil, passwordHash: CallServer.hashPassword("password-boss", cost: 4)))
        let server = CallServer(store: postgres, rubric: .standard)
        let pageStatuses = try await Application(router: server.router()).test(.router) { client in
            var pageStatuses: [HTTPResponse.Status] = []
            let cookie = try await Self.signIn(client)
            let a = try Self.score(location, ["--shard", "0/2"])
            let b = try Self.score(location, ["--shard", "1/2"])
            // Worker 0 is killed as soon as it has stored a call (watched every 50 ms, apart from
            // the page reads, which are slow while the whole suite runs); shard 0's files are
            // those whose path hash is even, as `Shard` splits them.
            let watcher = Task.detached {
                while a.isRunning {
                    if (try? postgres.calls(startingWith: "", agentId: nil).contains(where: { fnv1a($0.path) % 2 == 0 })) == true {
                        kill(a.processIdentifier, SIGKILL)
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            // The web UI reads while both write.
            while b.isRunning || a.isRunning {
                for uri in ["/?month=2026-11", "/calls", "/agents/1001?month=2026-11", "/health"] {
                    pageStatuses.append(try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie]).status)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            await watcher.value
            #expect(await Self.finish(b) == 0)
            #expect(a.terminationReason == .uncaughtSignal, "worker 0 finished before it could be killed")
            let storedAfterKill = try postgres.count()
            print("worker 0/2 killed (status \(a.terminationStatus)); \(storedAfterKill) calls stored; \(pageStatuses.count) pages read meanwhile")
            let rerun = try Self.score(location, ["--shard", "0/2"])
            #expect(await Self.finish(rerun) == 0)
            return pageStatuses
        }
        #expect(!pageStatuses.isEmpty && pageStatuses.allSatisfy { $0 == .ok }, "\(pageStatuses)")
        let (sqlite, sqliteLocation) = try TestStores.make(.sqlite)
        #expect(await Self.finish(try Self.score(sqliteLocation, [])) == 0)
        let shared = try Self.results(postgres), single = try Self.results(sqlite)
        #expect(shared.count == 10 && single.count == 10)
        for (path, line) in single { #expect(shared[path] == line, "\(path)") }
        #expect(try postgres.failures().isEmpty)
    }

    static func signIn(_ client: some TestClientProtocol) async throws -> String {
        let page = try await client.execute(uri: "/login", method: .get)
        let csrf = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("login_csrf=") })
            .split(separator: ";")[0].dropFirst("login_csrf=".count)
        let response = try await client.execute(uri: "/login", method: .post,
                                                headers: [.cookie: "login_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "csrf=\(csrf)&next=%2F&user=boss&password=password-boss"))
        let session = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("session=") })
        return String(session.split(separator: ";")[0])
    }
}
