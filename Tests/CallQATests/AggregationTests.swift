@testable import CallAnalysis
import ArgumentParser
import CallScoring
import CallStore
@testable import callqa
import Foundation
import Testing

/// One agent's month reads the same everywhere: the command line's scorecards, the store's page
/// figures (what the web shows), and a median over an even number of calls.
@Suite struct AggregationTests {
    /// Stores a call for agent 1001 with the given score; `broken` adds what the decoder says of a
    /// cut-off file, `silent` leaves no speech. Returns its id.
    @discardableResult
    static func store(_ store: any CallStore, index: Int, score: Double, rate: Double = 120, broken: Bool = false, silent: Bool = false) throws -> Int64 {
        let metrics = CallReport.PartyMetrics(talkSeconds: 30, activeLevelDbov: -24, snrDb: 30, clipped: false,
                                              speechRateCharsPerMinute: rate, pitchSpreadSemitones: 4, syllables: 50, medianF0Hz: 180)
        let path = "/calls/call-\(index).wav"
        let report = CallReport(
            file: path, durationSeconds: 60, sampleRateHz: 8000, channels: 2, layout: .stereo, agentChannel: "left",
            answer: .init(source: .none, rings: nil, answerSeconds: nil, tonePlan: nil, ringbackAnswerSeconds: nil, metadataAnswerSeconds: nil),
            parties: .init(agent: metrics, customer: metrics), mixed: nil,
            segments: silent ? [] : [.init(kind: .speech, party: .agent, holdKind: nil, startSeconds: 1, endSeconds: 31)],
            interruptions: [], ending: nil, totals: nil, flags: [],
            metadata: CallMetadata(source: "fileName", agentId: "1001", startTime: "2026-11-\(String(format: "%02d", index + 1))T10:00:00"),
            attribution: nil,
            warnings: broken ? ["\(path): recording ends early: header declares 60.00 s but data stops at 21.30 s; analysed what is present"] : [],
            incompleteRecording: broken)
        var scored = Scorer(rubric: .standard).score(report)
        scored.score = score
        try store.save(StoredCall(contentHash: "h\(index)", path: path, report: report, score: scored, rubric: "default"))
        return try #require(try store.calls(startingWith: "", agentId: "1001").first { $0.path == path }?.id)
    }

    static func emptyStore() throws -> any CallStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-agg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try SQLCallStore.open(.sqlite(path: dir.appendingPathComponent("agg.sqlite").path))
    }

    @Test func oneMeanAndATrueMedianEverywhere() throws {
        let store = try Self.emptyStore()
        // Scores 84.7 and 85.0: a mean of 84.85, a half in decimal, just under it in binary.
        try Self.store(store, index: 0, score: 84.7, rate: 100)
        try Self.store(store, index: 1, score: 85.0, rate: 200)
        let card = try #require(try Scorecards.make(store: store, month: "2026-11", rubric: .standard).first)
        let page = try #require(try store.agentMonths(month: "2026-11", previous: nil, agentId: "1001").first)
        #expect(card.meanScore == 84.9)
        #expect(page.meanScore == card.meanScore)
        #expect(card.medianCharsPerMinute == 150)
    }

    @Test func brokenAndEmptyRecordingsAreKeptButNotCounted() throws {
        let store = try Self.emptyStore()
        try Self.store(store, index: 0, score: 90)
        try Self.store(store, index: 1, score: 80)
        let cut = try Self.store(store, index: 2, score: 10, broken: true)
        try Self.store(store, index: 3, score: 20, silent: true)
        let listed = try store.calls(startingWith: "2026-11", agentId: "1001")
        #expect(listed.count == 4)  // kept and listed ...
        #expect(listed.first { $0.id == cut }?.notCountedBecause == "incomplete recording")
        #expect(listed.first { $0.path.hasSuffix("call-3.wav") }?.notCountedBecause == "no speech in the recording")
        let left = listed.filter { $0.notCountedBecause != nil }
        #expect(left.count == 2 && left.allSatisfy { $0.review })  // ... routed for review ...
        // ... but not counted: scorecards, the page figures, examples and pass rates see two calls.
        #expect(try Scorecards.make(store: store, month: "2026-11", rubric: .standard).first?.meanScore == 85)
        let page = try #require(try store.agentMonths(month: "2026-11", previous: nil, agentId: "1001").first)
        #expect(page.calls == 2 && page.meanScore == 85)
        #expect(try store.examples(rule: "R3", worst: true, agentId: nil, day: nil, limit: 10).count == 2)
        #expect(try store.callsByScore(agentId: "1001", ascending: true, limit: 10).map(\.score) == [80, 90])
        // A reviewer counts the cut-off call: then it counts.
        #expect(try store.setCounted(callId: cut, true))
        #expect(try Scorecards.make(store: store, month: "2026-11", rubric: .standard).first?.meanScore == 60)
        #expect(try store.setCounted(callId: cut, nil))
        #expect(try store.agentMonths(month: "2026-11", previous: nil, agentId: "1001").first?.calls == 2)
    }

    @Test func callsAreFoundByEveryFilterCombined() throws {
        let store = try Self.emptyStore()
        for (index, score) in [90.0, 80, 70, 60].enumerated() { try Self.store(store, index: index, score: score) }
        try Self.store(store, index: 4, score: 10, broken: true)
        var f = CallFilter()
        #expect(try store.calls(matching: f).count == 5)
        f.fromDay = "2026-11-02"; f.toDay = "2026-11-03"
        #expect(try store.calls(matching: f).map(\.score) == [70, 80])  // newest first
        f.minimumScore = 75
        #expect(try store.calls(matching: f).map(\.score) == [80])
        var review = CallFilter()
        review.forReview = true
        #expect(try store.calls(matching: review).map(\.notCountedBecause) == ["incomplete recording"])
        var rule = CallFilter()
        rule.rule = "R3"; rule.outcome = "pass"; rule.agentIds = ["1001"]; rule.limit = 2
        #expect(try store.calls(matching: rule).count == 2)
        rule.agentIds = ["nobody"]
        #expect(try store.calls(matching: rule).isEmpty)
        #expect(throws: (any Error).self) { try CallQA.parseAsRoot(["report", "calls", "--outcome", "maybe"]) }
        #expect(throws: (any Error).self) { try CallQA.parseAsRoot(["report", "calls", "--team", "一组"]) }
    }
}
