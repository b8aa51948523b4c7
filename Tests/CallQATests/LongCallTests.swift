@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

@testable import callqa

/// Recordings over two hours are analysed an hour at a time and the parts' reports joined, so
/// memory stays that of one hour. Here the part length is shrunk so a sample call is cut in two
/// (once through its music hold), and the joined report must read as the whole one does.
@Suite struct LongCallTests {
    static func sample(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../SampleAudio/\(name)").standardized.path
    }

    static func inParts(seconds: Double) -> CallPipeline {
        CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner(), longestWholeSeconds: seconds, partSeconds: seconds)
    }

    @Test func aHoldCutByAPartBoundaryIsOneHold() throws {
        let path = Self.sample("20261123-091544_agent-1002_call-000002.wav")
        let whole = try CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner()).analyze(path: path, agentChannelIndex: 0)
        // 96.2 s in two parts of 48.1 s: the boundary falls inside the 41.45-59.45 s music hold.
        let joined = try Self.inParts(seconds: 50).analyze(path: path, agentChannelIndex: 0)
        #expect(abs(joined.durationSeconds - whole.durationSeconds) < 0.01)
        let holds = joined.segments.filter { $0.kind == .hold }
        #expect(holds.count == 1, "holds: \(holds.map { ($0.startSeconds, $0.endSeconds) })")
        if let hold = holds.first {
            #expect(abs(hold.startSeconds - 41.45) <= 1 && abs(hold.endSeconds - 59.45) <= 1,
                    "hold \(hold.startSeconds)-\(hold.endSeconds) s; \(joined.segments.filter { $0.endSeconds > 40 && $0.startSeconds < 62 })")
            #expect(hold.holdKind == .music)
        }
        #expect(joined.answer == whole.answer)
        for party in [\CallReport.Parties.agent, \CallReport.Parties.customer] {
            let a = try #require(whole.parties[keyPath: party]), b = try #require(joined.parties[keyPath: party])
            #expect(abs(b.talkSeconds - a.talkSeconds) <= 0.05 * a.talkSeconds, "talk \(b.talkSeconds) s against \(a.talkSeconds) s")
            #expect(abs(Double(b.syllables ?? 0) - Double(a.syllables ?? 0)) <= 0.05 * Double(a.syllables ?? 0) + 1)
            #expect(abs((b.activeLevelDbov ?? 0) - (a.activeLevelDbov ?? 0)) <= 0.5)
        }
        #expect(joined.interruptions?.count == whole.interruptions?.count)
        #expect(joined.ending?.lastParty == whole.ending?.lastParty)
        #expect(Set(joined.flags.map(\.rule)) == Set(whole.flags.map(\.rule)))
        #expect(!joined.warnings.contains { $0.contains("no speech") })
    }

    @Test func aMonoCallKeepsItsPartiesAcrossParts() throws {
        let path = Self.sample("20261123-104510_agent-1002_call-000006.wav")
        let whole = try CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner()).analyze(path: path, agentChannelIndex: 0)
        let joined = try Self.inParts(seconds: 55).analyze(path: path, agentChannelIndex: 0)
        #expect(joined.attribution != nil)
        for party in [\CallReport.Parties.agent, \CallReport.Parties.customer] {
            let a = try #require(whole.parties[keyPath: party]), b = try #require(joined.parties[keyPath: party])
            #expect(abs(b.talkSeconds - a.talkSeconds) <= 0.15 * a.talkSeconds, "talk \(b.talkSeconds) s against \(a.talkSeconds) s")
            #expect(abs((b.medianF0Hz ?? 0) - (a.medianF0Hz ?? 0)) <= 0.1 * (a.medianF0Hz ?? 1))
        }
        // A later part that named the voices the other way round is renamed by pitch ...
        let swapped = whole.withPartiesSwapped()
        #expect(swapped.parties.agent == whole.parties.customer)
        let joiner = PartJoiner(configuration: AnalysisConfiguration())
        let aligned = joiner.alignedParties([whole, swapped])
        #expect(aligned[1].parties == whole.parties)
        #expect(aligned[1].segments == whole.segments)
        // ... but not when the voices are less than a semitone apart: then nothing says which is which.
        var close = swapped
        close.parties.agent?.medianF0Hz = 150
        close.parties.customer?.medianF0Hz = 154
        #expect(joiner.alignedParties([whole, close])[1].parties == close.parties)
    }

    /// A muted hold and a dead-air gap that a boundary cuts: each is still one stretch (the part
    /// before the boundary looks for a muted leg up to its end; dead air is found on the joined call).
    @Test(arguments: [
        ("20261123-104510_agent-1002_call-000006.wav", CallReport.SegmentKind.hold, 42.6, 57.6),
        ("20261123-140905_agent-1001_call-000009.wav", CallReport.SegmentKind.deadAir, 43.6, 56.1),
    ])
    func aSilenceCutByAPartBoundaryIsOneStretch(file: String, kind: CallReport.SegmentKind, startSeconds: Double, endSeconds: Double) throws {
        let path = Self.sample(file)
        // About 103 and 105 s in two parts each: the boundary falls inside the silence.
        let joined = try Self.inParts(seconds: 60).analyze(path: path, agentChannelIndex: 0)
        let found = joined.segments.filter { $0.kind == kind }
        #expect(found.count == 1, "\(kind): \(found.map { ($0.startSeconds, $0.endSeconds) })")
        if let s = found.first {
            #expect(abs(s.startSeconds - startSeconds) <= 1 && abs(s.endSeconds - endSeconds) <= 1, "\(s.startSeconds)-\(s.endSeconds) s")
        }
    }

    @Test func partsAreEqualAndOnlyForLongRecordings() {
        let pipeline = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner())
        #expect(pipeline.partSamples(declaredFrames: 8000 * 7000, sampleRateHz: 8000) == Int.max)
        // Ten hours: ten parts of an hour. Two and a half: three of 50 minutes.
        #expect(pipeline.partSamples(declaredFrames: 8000 * 36000, sampleRateHz: 8000) == 8000 * 3600)
        #expect(pipeline.partSamples(declaredFrames: 8000 * 9000, sampleRateHz: 8000) == 8000 * 3000)
        // A length the file does not state: cut every two hours.
        #expect(pipeline.partSamples(declaredFrames: 0, sampleRateHz: 8000) == 8000 * 7200)
        // Settings of zero still give parts of a second.
        let zero = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner(), longestWholeSeconds: 0, partSeconds: 0)
        #expect(zero.partSamples(declaredFrames: 8000 * 10, sampleRateHz: 8000) == 8000)
    }

    @Test func partyMeasuresJoinWeightedByTalk() throws {
        func m(_ talk: Double, _ level: Double, _ snr: Double, _ rate: Double, _ syllables: Int) -> CallReport.PartyMetrics {
            .init(talkSeconds: talk, activeLevelDbov: level, snrDb: snr, clipped: false, speechRateCharsPerMinute: rate,
                  pitchSpreadSemitones: nil, syllables: syllables, medianF0Hz: nil, humDbov: nil)
        }
        let joined = try #require(PartJoiner.joined([m(10, -20, 30, 200, 33), nil, m(30, -20, 20, 280, 140)]) as CallReport.PartyMetrics?)
        #expect(joined.talkSeconds == 40)
        #expect(joined.syllables == 173)
        #expect(joined.activeLevelDbov == -20)
        #expect(joined.speechRateCharsPerMinute == 260)
        // Noise at -50 and -40 dBov, a quarter and three quarters: 10·log10(0.25e-5 + 0.75e-4) = -41.1 dBov.
        #expect(joined.snrDb == 21.1)
    }
}
