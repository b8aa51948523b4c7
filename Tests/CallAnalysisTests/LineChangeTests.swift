@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// What recording chains do to a line: gain stages with dither, a mute on a mono mix that leaves
/// the other leg's noise, VoIP silence suppression on both legs, a far leg that is silent until
/// the answer, and greetings that cross at the answer. Built from SampleAudio calls with known truth.
@Suite struct LineChangeTests {
    /// Deterministic TPDF dither of one 16-bit step.
    struct Dither {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> Float {
            func uniform() -> Float {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(state >> 40) / Float(1 << 24)
            }
            return (uniform() - uniform()) / 32768
        }
    }

    static let mono = "20261123-104510_agent-1002_call-000006.wav"  // silent hold 42.56–57.56 s

    @Test func aSilentHoldSurvivesGainAndDither() throws {
        var (channels, rate) = try Samples.decode(Self.mono)
        var dither = Dither()
        let gain = powf(10, -1.4 / 20)
        channels[0] = channels[0].map { $0 * gain + dither.next() }
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "gain −1.4 dB with dither", planner: FFTPlanner())
        try Self.expectOneSilentHold(report, from: 42.56, to: 57.56)
    }

    @Test func aMonoMuteLeavesTheOtherLegsNoise() throws {
        // The agent's leg mutes; the customer's line noise (12 dB under the mix's) goes on.
        var (channels, rate) = try Samples.decode(Self.mono)
        let pause = Array(channels[0][Int(11.9 * Double(rate))..<Int(12.35 * Double(rate))])  // between turns
        let a = Int(42.56 * Double(rate)), b = Int(57.56 * Double(rate))
        for i in a..<b { channels[0][i] = pause[(i - a) % pause.count] * 0.25 }
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "mono mute over customer noise", planner: FFTPlanner())
        try Self.expectOneSilentHold(report, from: 42.56, to: 57.56)
    }

    @Test func bothLegsSilentTogetherIsAHoldNotDeadAir() throws {
        // VoIP silence suppression: 20 s of digital silence on both legs after the agent's words.
        var (channels, rate) = try Samples.decode("20261123-100233_agent-1004_call-000004.flac")
        let at = Int(44.3 * Double(rate))
        channels = channels.map { Array($0[..<at]) + [Float](repeating: 0, count: 20 * rate) + Array($0[at...]) }
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "VoIP-suppressed hold", planner: FFTPlanner())
        try Self.expectOneSilentHold(report, from: 44.3, to: 64.3)
    }

    @Test func theFarLegConnectingIsTheAnswerNotSpeech() throws {
        // The customer's leg is digitally silent until the answer (9.0 s); its noise starts then.
        var (channels, rate) = try Samples.decode("20261123-091544_agent-1002_call-000002.wav")
        for i in 0..<(9 * rate) { channels[1][i] = 0 }
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "far leg silent until the answer", planner: FFTPlanner())
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - 9.0) <= 0.25, "answer \(answer)")
        let firstCustomerWords = report.segments.first { $0.kind == .speech && $0.party == .customer }?.startSeconds ?? 0
        #expect(abs(firstCustomerWords - 18.97) <= 0.3, "customer speech from \(firstCustomerWords) s (truth 18.97)")
    }

    @Test func greetingsCrossingAtTheAnswerAreNotInterruptions() {
        let measures = ConversationMeasures(configuration: .init())
        let turns = [
            ConversationMeasures.Turn(party: .agent, startSeconds: 5.0, endSeconds: 9.0),
            .init(party: .customer, startSeconds: 5.9, endSeconds: 7.5),  // "喂，你好" over the greeting
            .init(party: .customer, startSeconds: 10.0, endSeconds: 14.0),
            .init(party: .agent, startSeconds: 12.5, endSeconds: 16.0),  // a real cut-in
        ]
        let found = measures.interruptions(turns)
        #expect(found.map(\.atSeconds) == [12.5])
        #expect(found.first?.by == .agent)
    }

    @Test func partiesAlternateBetweenSegmentsNotWithinThem() {
        // Four chunks: the third looks a little more like the other voice but sits in the same
        // segment as the second (a short pause), so it stays; the fourth, after a turn gap, changes.
        let costs: [[Float]] = [[0, 5], [0, 3], [1.5, 0], [4, 0]]
        let parties = MonoAttribution.likeliestParties(costs: costs, switchCosts: [0, 0.5, 4, 0.5])
        #expect(parties == [0, 0, 0, 1])
    }

    static func expectOneSilentHold(_ report: CallReport, from start: Double, to end: Double) throws {
        let holds = report.segments.filter { $0.kind == .hold }
        #expect(holds.count == 1, "\(report.file): holds \(holds.map { ($0.startSeconds, $0.endSeconds) })")
        let hold = try #require(holds.first)
        #expect(hold.holdKind == .silence)
        #expect(abs(hold.startSeconds - start) <= 1 && abs(hold.endSeconds - end) <= 1, "\(report.file): \(hold.startSeconds)–\(hold.endSeconds)")
        #expect(!report.segments.contains { $0.kind == .deadAir && $0.startSeconds < end && $0.endSeconds > start }, "\(report.file): dead air over the hold")
    }
}
