@testable import CallAnalysis
import CallScoring
import CallStore
@testable import callqa
import Foundation
import Testing

/// One agent's month reads the same everywhere: the command line's scorecards, the store's page
/// figures (what the web shows), and a median over an even number of calls.
@Suite struct AggregationTests {
    @Test func oneMeanAndATrueMedianEverywhere() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-agg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteCallStore(path: dir.appendingPathComponent("agg.sqlite").path)
        // Scores 84.7 and 85.0: a mean of 84.85, a half in decimal, just under it in binary.
        for (index, (score, rate)) in [(84.7, 100.0), (85.0, 200.0)].enumerated() {
            let metrics = CallReport.PartyMetrics(talkSeconds: 30, activeLevelDbov: -24, snrDb: 30, clipped: false,
                                                  speechRateCharsPerMinute: rate, pitchSpreadSemitones: 4, syllables: 50, medianF0Hz: 180)
            let report = CallReport(
                file: dir.appendingPathComponent("call-\(index).wav").path, durationSeconds: 60, sampleRateHz: 8000, channels: 2,
                layout: .stereo, agentChannel: "left",
                answer: .init(source: .none, rings: nil, answerSeconds: nil, tonePlan: nil, ringbackAnswerSeconds: nil, metadataAnswerSeconds: nil),
                parties: .init(agent: metrics, customer: metrics), mixed: nil,
                segments: [.init(kind: .speech, party: .agent, holdKind: nil, startSeconds: 1, endSeconds: 31)],
                interruptions: [], ending: nil, totals: nil, flags: [],
                metadata: CallMetadata(source: "fileName", agentId: "1001", startTime: "2026-11-0\(index + 1)T10:00:00"),
                attribution: nil, warnings: [])
            var scored = Scorer(rubric: .standard).score(report)
            scored.score = score
            try store.save(StoredCall(contentHash: "h\(index)", path: report.file, report: report, score: scored, rubric: "default"))
        }
        let card = try #require(try Scorecards.make(store: store, month: "2026-11", rubric: .standard).first)
        let page = try #require(try store.agentMonths(month: "2026-11", previous: nil, agentId: "1001").first)
        #expect(card.meanScore == 84.9)
        #expect(page.meanScore == card.meanScore)
        #expect(card.medianCharsPerMinute == 150)
    }
}
