@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Mono attribution on features with known parties: two voices whose spectral envelopes differ by
/// less than the sounds of speech vary them, a greeting the customer takes over without a pause,
/// and two copies of one voice (which must not be reported as a confident split).
@Suite struct MonoAttributionTests {
    /// (party 0 = agent / 1 = customer / nil = pause, frames); the first two form one chunk.
    static let script: [(party: Int?, frames: Int)] = [
        (nil, 50), (0, 150), (1, 100), (nil, 60), (0, 200), (nil, 60), (1, 220), (nil, 60),
        (0, 150), (nil, 60), (1, 250), (nil, 60), (0, 180), (nil, 60), (1, 120), (nil, 50),
    ]

    /// Per frame: cepstra = the party's envelope + uniform noise of ±1 per coefficient (the
    /// phonemes), F0 per party, one level for both legs.
    static func features(envelopeStep: Float, pitchesHz: [Float]) -> (ChannelFeatures, [SpeechDetector.FrameClass], [FrameRange], [Int?]) {
        var features = ChannelFeatures(grid: .standard(sampleRateHz: 8000))
        var labels: [SpeechDetector.FrameClass] = [], speech: [FrameRange] = [], truth: [Int?] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func noise() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        for (index, (party, frames)) in script.enumerated() {
            let start = truth.count
            for _ in 0..<frames {
                truth.append(party)
                labels.append(party == nil ? .quiet : .speech)
                features.bandPowerDB.append(party == nil ? -60 : -30)
                features.f0Hz.append(party.map { pitchesHz[$0] } ?? 0)
                for j in 0..<ChannelFeatures.cepstrumCount {
                    // The voices differ along every coefficient, alternately up and down.
                    let envelope = party.map { Float($0) * envelopeStep * (j % 2 == 0 ? 1 : -1) } ?? 0
                    features.cepstra.append(envelope + noise())
                }
            }
            // Speech segments: a segment per run of speech; the greeting's two parties are one.
            if party != nil {
                if index > 0 && script[index - 1].party != nil { speech[speech.count - 1].end = truth.count } else {
                    speech.append(FrameRange(start: start, end: truth.count))
                }
            }
        }
        return (features, labels, speech, truth)
    }

    @Test func twoCloseVoicesAndACustomerTakingOverTheGreeting() throws {
        // Envelopes 0.5 apart per coefficient against phoneme noise of ±1: no coefficient tells the
        // voices apart frame by frame, the chunk means do. Same F0, so the envelope must do it.
        let (features, labels, speech, truth) = Self.features(envelopeStep: 0.5, pitchesHz: [150, 150])
        let result = try #require(MonoAttribution(configuration: .init()).attribute(features, labels: labels, speech: speech))
        var right = 0, total = 0
        for turn in result.turns {
            for f in turn.range.start..<turn.range.end {
                guard let party = truth[f] else { continue }
                total += 1
                if (party == 0) == (turn.party == .agent) { right += 1 }
            }
        }
        #expect(Double(right) / Double(total) >= 0.97, "\(right) of \(total) frames right")
        // The customer's takeover 1.5 s into the greeting is found inside the chunk (to a piece).
        let firstCustomer = try #require(result.turns.first { $0.party == .customer })
        #expect(abs(firstCustomer.range.start - 200) <= 50, "takeover at frame \(firstCustomer.range.start) (truth 200)")
        #expect(result.turns.first?.party == .agent)
        #expect(result.confidence >= 0.7, "confidence \(result.confidence)")
    }

    @Test func oneVoiceTwiceIsNotAConfidentSplit() throws {
        let (features, labels, speech, _) = Self.features(envelopeStep: 0, pitchesHz: [150, 150])
        let result = try #require(MonoAttribution(configuration: .init()).attribute(features, labels: labels, speech: speech))
        #expect(result.confidence < 0.5, "confidence \(result.confidence)")
    }

    @Test func aScrapLeftByACutGoesToThePartyBesideIt() {
        // A segment cut 0.3 s before its end (set 2's 500010: the scrap made the customer speak
        // last): the scrap is the agent's; a 0.6 s part is a part (a short reply over the end).
        let shortest = FrameGrid.standard(sampleRateHz: 8000).frames(inSeconds: MonoAttribution.Configuration().minimumCutPartSeconds)
        let scrap: [(range: FrameRange, party: CallReport.Party)] = [(FrameRange(start: 0, end: 250), .agent), (FrameRange(start: 250, end: 280), .customer)]
        let joined = MonoAttribution.joiningShortParts(scrap, shortest: shortest)
        #expect(joined.count == 1 && joined[0].party == .agent && joined[0].range == FrameRange(start: 0, end: 280))
        let reply: [(range: FrameRange, party: CallReport.Party)] = [(FrameRange(start: 0, end: 250), .agent), (FrameRange(start: 250, end: 310), .customer)]
        #expect(MonoAttribution.joiningShortParts(reply, shortest: shortest).map(\.party) == [.agent, .customer])
    }

    @Test func wardKeepsTheHeavyGroupsApart() {
        // Two tight groups and a light chunk between them, a little nearer the second.
        let vectors: [[Float]] = [[0, 0], [0.2, 0.1], [5, 5], [5.1, 4.8], [2.8, 2.7], [0.1, -0.1]]
        let groups = MonoAttribution.wardTwoGroups(vectors, weights: [300, 200, 250, 300, 20, 150])
        #expect(groups[0] == groups[1] && groups[0] == groups[5])
        #expect(groups[2] == groups[3] && groups[2] == groups[4])
        #expect(groups[0] != groups[2])
    }
}
