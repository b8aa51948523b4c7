@testable import callqa
import CallAnalysis
import CallAudio
import CallDSP
import CallInputs
import CallScoring
import CallStore
import Foundation
import Testing

/// Forty calls from four agents with habits built in, made from SampleAudio call 2 (North American
/// ringback, an 18 s music hold, Mandarin at about 140 chars/min):
/// 3001 the model agent (as recorded), 3002 the late answerer (three more rings before pickup),
/// 3003 the long-holder (the hold stretched to 75 s), 3004 the fast talker (everything 1.35x faster).
enum AgentCorpus {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleAudio/20261123-091544_agent-1002_call-000002.wav").standardized.path
    static let agents = ["3001", "3002", "3003", "3004"]

    static func decode(_ path: String) throws -> (channels: [[Float]], rate: Int) {
        let all = try AudioDecoder.readAll(path: path)
        return (all.channels, all.sampleRateHz)
    }

    static func build(agent: String, call: [[Float]], rate: Int) -> [[Float]] {
        var x = call
        switch agent {
        case "3002":  // three more 440+480 Hz rings (2 s on, 4 s off) before the recorded two
            let n = 18 * rate
            var ring = [Float](repeating: 0, count: n)
            for i in 0..<n where (i / rate) % 6 < 2 {
                let t = Float(i) / Float(rate)
                ring[i] = 0.04 * (sinf(2 * .pi * 440 * t) + sinf(2 * .pi * 480 * t))
            }
            let quiet = Array(x[1][0..<(8 * rate)])
            var customer: [Float] = []
            while customer.count < n { customer += quiet }
            x[0] = ring + x[0]
            x[1] = Array(customer[0..<n]) + x[1]
        case "3003":  // the hold looped from 18 s to 75 s
            let a = Int(41.51 * Double(rate)), b = Int(59.51 * Double(rate)), loop = 16 * rate, total = 75 * rate
            x = x.map { ch in
                var hold: [Float] = []
                while hold.count < total { hold += ch[a..<min(a + loop, a + total - hold.count)] }
                return Array(ch[0..<a]) + hold + Array(ch[b...])
            }
        case "3004":  // 1.35x faster: speech rate about 190 chars/min
            x = x.map { ch in
                let n = Int(Double(ch.count) / 1.35)
                return (0..<n).map { i in
                    let p = Double(i) * 1.35, j = Int(p), f = Float(p - Double(j))
                    return j + 1 < ch.count ? ch[j] * (1 - f) + ch[j + 1] * f : ch[j]
                }
            }
        default: break
        }
        return x
    }

    /// Writes `perAgent` calls per agent into a new folder; each differs a little in gain so no two
    /// recordings are the same file.
    static func write(perAgent: Int = 10) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-agents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (call, rate) = try decode(source)
        for (a, agent) in agents.enumerated() {
            let base = build(agent: agent, call: call, rate: rate)
            for k in 0..<perAgent {
                let gain = Float(0.9 + 0.02 * Double(k))
                let name = String(format: "202611%02d-%02d%02d00_agent-%@_call-%02d%02d.wav", 2 + k, 9 + a, k, agent, a, k)
                try AudioWriter.writeWAV(path: folder.appendingPathComponent(name).path,
                                         channels: base.map { $0.map { $0 * gain } }, sampleRateHz: rate)
            }
        }
        return folder
    }

    static func runner(store: any CallStore, jobs: Int = 2) throws -> BatchRunner {
        BatchRunner(pipeline: CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner()),
                    scorer: Scorer(rubric: .standard), rubricName: "default", store: store,
                    metadata: try CallMetadataReader(), jobs: jobs, filter: DayFilter(), agentChannelIndex: 0)
    }
}

@Suite(.serialized) struct BatchTests {
    @Test func agentsWithBuiltInHabitsRankAsBuilt() async throws {
        let folder = try AgentCorpus.write()
        let db = folder.appendingPathComponent("scores.sqlite").path
        let store = try SQLCallStore.open(.sqlite(path: db))
        let summary = try await AgentCorpus.runner(store: store).run(paths: [folder.path])
        #expect(summary.scored == 40 && summary.failed == 0, "\(summary.text)")
        let cards = try Scorecards.make(store: store, month: "2026-11", rubric: .standard)
        let byAgent = Dictionary(uniqueKeysWithValues: cards.map { ($0.agentId, $0) })
        for card in cards { print("agent \(card.agentId): mean \(card.meanScore), pass \(card.passRates.sorted { $0.key < $1.key })") }
        // The model agent ranks first; each other agent fails the rule of their habit on every call.
        #expect(cards.first?.agentId == "3001")
        #expect(byAgent["3001"]?.passRates["R1"] == 1 && byAgent["3001"]?.passRates["R4"] == 1 && byAgent["3001"]?.passRates["R7"] == 1)
        #expect(byAgent["3002"]?.passRates["R1"] == 0, "late answerer")
        #expect(byAgent["3003"]?.passRates["R7"] == 0, "long-holder")
        #expect(byAgent["3004"]?.passRates["R4"] == 0, "fast talker")
        #expect((byAgent["3003"]?.longestHoldSeconds ?? 0) > 70)
        #expect((byAgent["3004"]?.medianCharsPerMinute ?? 0) > 160)
        // A second run stores nothing twice.
        let again = try await AgentCorpus.runner(store: store).run(paths: [folder.path])
        #expect(again.scored == 0 && again.skipped == 40)
        #expect(try store.count() == 40)
        // The worst R7 example is a long-holder's call, at the hold.
        let worst = try store.ruleResults(rule: "R7", agentId: nil).max { ($0.result.badness ?? 0) < ($1.result.badness ?? 0) }
        #expect(worst?.agentId == "3003")
        #expect(abs((worst?.result.evidence.first?.startSeconds ?? 0) - 41.5) < 1)  // where the music starts
    }

    @Test func badFilesAreListedAndTheRestScored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (call, rate) = try AgentCorpus.decode(AgentCorpus.source)
        for k in 0..<3 {
            try AudioWriter.writeWAV(path: folder.appendingPathComponent("good-\(k).wav").path,
                                     channels: call.map { $0.map { $0 * Float(0.8 + 0.1 * Double(k)) } }, sampleRateHz: rate)
        }
        func header(channels: UInt16, rate: UInt32, bits: UInt16, format: UInt16 = 1, bytes: Int) -> Data {
            var d = Data()
            func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
            func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
            d.append(contentsOf: Array("RIFF".utf8)); u32(36 + UInt32(bytes)); d.append(contentsOf: Array("WAVEfmt ".utf8)); u32(16)
            u16(format); u16(channels); u32(rate); u32(rate * UInt32(max(channels, 1) * bits / 8)); u16(max(channels, 1) * bits / 8); u16(bits)
            d.append(contentsOf: Array("data".utf8)); u32(UInt32(bytes))
            return d
        }
        var nan = header(channels: 1, rate: 8000, bits: 32, format: 3, bytes: 32000)
        for i in 0..<8000 { let v: Float = i == 4000 ? .nan : 0.1; withUnsafeBytes(of: v.bitPattern.littleEndian) { nan.append(contentsOf: $0) } }
        var random = Data(count: 4096)
        var seed: UInt64 = 7
        for i in 0..<random.count { seed = seed &* 6364136223846793005 &+ 1; random[i] = UInt8(seed >> 56) }
        let bad: [String: Data] = [
            "empty.wav": Data(),
            "notes.wav": Data("call notes, not audio\n".utf8),
            "torn-header.wav": header(channels: 1, rate: 8000, bits: 16, bytes: 0).prefix(20),
            "zero-channels.wav": header(channels: 0, rate: 8000, bits: 16, bytes: 200) + Data(count: 200),
            "one-hertz.wav": header(channels: 1, rate: 1, bits: 16, bytes: 200) + Data(count: 200),
            "nan.wav": nan,
            "noise.flac": random,
            "short.wav": header(channels: 1, rate: 8000, bits: 16, bytes: 3200) + Data(count: 3200),
        ]
        for (name, data) in bad { FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: data) }
        let store = try SQLCallStore.open(.sqlite(path: folder.appendingPathComponent("scores.sqlite").path))
        let summary = try await AgentCorpus.runner(store: store).run(paths: [folder.path])
        #expect(summary.scored == 3)
        #expect(summary.failed == bad.count)
        let failures = try store.failures()
        #expect(Set(failures.map { ($0.path as NSString).lastPathComponent }) == Set(bad.keys))
        for f in failures { #expect(!f.reason.isEmpty, "\(f.path)") }
        #expect(summary.text.contains("one-hertz.wav: "))
    }

    /// kill -9 at a random moment of a 40-call batch, then run again: every call stored once.
    @Test func aKilledRunResumesWithNothingLostOrDoubled() async throws {
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../.build/debug/callqa").standardized.path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the callqa product first (make test does)")
        let folder = try AgentCorpus.write()
        let db = folder.appendingPathComponent("scores.sqlite").path
        func score() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["score", folder.path, "--db", db, "--jobs", "2"]
            // FFTW's wisdom in the test's folder, not the developer's cache.
            p.environment = ProcessInfo.processInfo.environment.merging(
                ["CALLQA_FFT_WISDOM": folder.appendingPathComponent("fftw-wisdom").path]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        let first = try score()
        let delay = Double.random(in: 1.0...4.0)
        try await Task.sleep(for: .seconds(delay))
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let storedBefore = try SQLCallStore.open(.sqlite(path: db)).count()
        print("killed after \(delay) s with \(storedBefore) calls stored")
        let second = try score()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let store = try SQLCallStore.open(.sqlite(path: db))
        #expect(try store.count() == 40)
        for agent in AgentCorpus.agents {
            let calls = try store.calls(startingWith: "", agentId: agent)
            #expect(calls.count == 10)
            #expect(Set(calls.map(\.path)).count == 10)
            for c in calls { #expect(try store.ruleResults(startingWith: "", agentId: agent).filter { $0.callId == c.id }.count == 13) }
        }
    }
}

@Suite struct DayFilterTests {
    @Test func daysResolveAndFilter() {
        let now = ISO8601DateFormatter().date(from: "2026-11-25T08:00:00Z")!
        #expect(DayFilter.resolve("2026-11-23") == "2026-11-23")
        #expect(DayFilter.resolve("2026-02-30") == nil)
        #expect(DayFilter.resolve("yesterday", now: now) != nil)
        let yesterday = DayFilter(day: "2026-11-24", since: nil)
        #expect(yesterday.accepts(startTime: "2026-11-24T09:30:12"))
        #expect(!yesterday.accepts(startTime: "2026-11-23T09:30:12"))
        #expect(!yesterday.accepts(startTime: nil))
        let since = DayFilter(day: nil, since: "2026-11-20")
        #expect(since.accepts(startTime: "2026-11-21T00:00:00") && !since.accepts(startTime: "2026-11-19T23:59:59"))
        #expect(DayFilter().accepts(startTime: nil))
    }
}
