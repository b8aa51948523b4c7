import CallAnalysis
import CallDSP
import Foundation
import Testing

/// The answer time where the line connects: a recording that hears the far end's line noise start
/// at pickup (digital silence between the rings before it), and a ring cut short by the pickup.
@Suite struct AnswerTests {
    static let rate = 8000

    static func tone(_ seconds: Double) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { 0.05 * sinf(2 * .pi * 450 * Float($0) / Float(rate)) }
    }

    static func silence(_ seconds: Double) -> [Float] { [Float](repeating: 0, count: Int(seconds * Double(rate))) }

    static func noise(_ seconds: Double, level: Float, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<Int(seconds * Double(rate))).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return level * (Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1)
        }
    }

    /// China rings (1 s on, 4 s off), then the pickup: line noise from `pickupSeconds` on, and the
    /// agent's greeting (a sample call's first words) 1.2 s later. The customer's leg is quiet noise.
    static func call(rings: [Double], pickupSeconds: Double) throws -> [[Float]] {
        let (sample, sampleRate) = try Samples.decode("20261123-102011_agent-1001_call-000005.wav")
        #expect(sampleRate == rate)
        let truth = try Samples.truth("20261123-102011_agent-1001_call-000005.wav")
        let first = try #require(truth.segments.first { $0.kind == "speech" })
        let words = Array(sample[0][Int(first.startSeconds * Double(rate))..<Int(first.endSeconds * Double(rate))])
        var agent: [Float] = []
        for on in rings { agent += tone(on) + (on < 1 ? [] : silence(4)) }
        agent = Array(agent.prefix(Int(pickupSeconds * Double(rate))))
        agent += silence(pickupSeconds - Double(agent.count) / Double(rate))
        // A recorder's dither: not digital zeros, but far under any line's noise.
        let dither = noise(pickupSeconds, level: 0.00003, seed: 3)
        for i in agent.indices { agent[i] += dither[i] }
        let line = noise(1.2 + Double(words.count) / Double(rate) + 1, level: 0.003, seed: 5)
        let spoken = line.indices.map { i -> Float in
            let w = i - Int(1.2 * Double(rate))
            return line[i] + (w >= 0 && w < words.count ? words[w] : 0)
        }
        agent += spoken
        return [agent, noise(Double(agent.count) / Double(rate), level: 0.001, seed: 9)]
    }

    @Test func theAnswerIsWhereTheFarEndsLineNoiseStarts() throws {
        // Two rings; the pickup 2 s into the silence after the second.
        let channels = try Self.call(rings: [1, 1], pickupSeconds: 8)
        let report = Samples.analyze(channels: channels, sampleRateHz: Self.rate, name: "pickup in the silence", planner: FFTPlanner())
        #expect(report.answer.rings == 2)
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - 8) <= 0.25, "answer \(answer) s, the line connected at 8 s")
    }

    @Test func aRingCutShortByThePickupCounts() throws {
        // Two rings and 0.5 s of a third, cut by the pickup at 10.5 s.
        let channels = try Self.call(rings: [1, 1, 0.5], pickupSeconds: 10.5)
        let report = Samples.analyze(channels: channels, sampleRateHz: Self.rate, name: "pickup during a ring", planner: FFTPlanner())
        #expect(report.answer.rings == 3)
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - 10.5) <= 0.25, "answer \(answer) s, the ring was cut at 10.5 s")
    }
}

@Suite struct ConnectedNoiseTests {
    /// SNR is measured on the line as connected: the digital quiet between rings before the pickup
    /// (here with a recorder's dither left in it) is not the line's noise.
    @Test func snrIgnoresTheQuietBeforeThePickup() throws {
        var channels = try AnswerTests.call(rings: [1, 1], pickupSeconds: 8)
        let report = Samples.analyze(channels: channels, sampleRateHz: AnswerTests.rate, name: "quiet before pickup", planner: FFTPlanner())
        // The same call with the line's noise all along: the reference SNR.
        let pickup = 8 * AnswerTests.rate
        let line = AnswerTests.noise(8, level: 0.003, seed: 7)
        for i in 0..<pickup { channels[0][i] += line[i] }
        let reference = Samples.analyze(channels: channels, sampleRateHz: AnswerTests.rate, name: "noise all along", planner: FFTPlanner())
        let snr = try #require(report.parties.agent?.snrDb), want = try #require(reference.parties.agent?.snrDb)
        #expect(abs(snr - want) <= 3, "SNR \(snr) dB with quiet before the pickup, \(want) dB with the line's noise all along")
    }
}

/// On a mono recording the far end's line noise joins the mix at the pickup. The noise estimate
/// follows it up at about 1 dB/s, so for a second or two after the last ring the new noise read
/// as the agent's first words.
@Suite struct NoiseAtConnectTests {
    /// China rings over the caller's quiet line; the pickup at the end of the second ring brings
    /// line noise 20 dB louder, and the greeting comes `wordsAfterPickupSeconds` later.
    static func monoCall(wordsAfterPickupSeconds: Double) throws -> (channels: [[Float]], wordsSeconds: Double) {
        let rate = Double(AnswerTests.rate)
        let (sample, _) = try Samples.decode("20261123-102011_agent-1001_call-000005.wav")
        let truth = try Samples.truth("20261123-102011_agent-1001_call-000005.wav")
        let first = try #require(truth.segments.first { $0.kind == "speech" })
        let words = Array(sample[0][Int(first.startSeconds * rate)..<Int(first.endSeconds * rate)])
        let pickup = 6.0
        var mix = AnswerTests.tone(1) + AnswerTests.silence(4) + AnswerTests.tone(1)
        let total = pickup + wordsAfterPickupSeconds + Double(words.count) / rate + 2
        mix += AnswerTests.silence(total - pickup)
        let caller = AnswerTests.noise(total, level: 0.0003, seed: 11), line = AnswerTests.noise(total, level: 0.003, seed: 13)
        let from = Int(pickup * rate), wordsFrom = Int((pickup + wordsAfterPickupSeconds) * rate)
        for i in mix.indices {
            mix[i] += caller[i] + (i >= from ? line[i] : 0)
            if i >= wordsFrom && i - wordsFrom < words.count { mix[i] += words[i - wordsFrom] }
        }
        return ([mix], pickup + wordsAfterPickupSeconds)
    }

    @Test func theLinesNoiseRisingAtThePickupIsNotSpeech() throws {
        let (channels, wordsSeconds) = try Self.monoCall(wordsAfterPickupSeconds: 1.8)
        let report = Samples.analyze(channels: channels, sampleRateHz: AnswerTests.rate, name: "noise rises at pickup", planner: FFTPlanner())
        #expect(report.answer.rings == 2)
        let firstWords = try #require(report.segments.first { $0.kind == .speech })
        // Before this rule the first "words" began at the ring's end, 1.8 s early.
        #expect(abs(firstWords.startSeconds - wordsSeconds) <= 0.25,
                "first speech at \(firstWords.startSeconds) s, the greeting starts at \(wordsSeconds) s")
    }

    @Test func withoutTheRuleTheNoiseReadsAsTheAgentTalking() throws {
        // The control: the call above does show the fault the rule mends (the segmenter's limits
        // on a lead far under the words, which leave 0.3 s of it, off too).
        let (channels, wordsSeconds) = try Self.monoCall(wordsAfterPickupSeconds: 1.8)
        var configuration = AnalysisConfiguration()
        configuration.waiting.connectMinimumTrimSeconds = 1000
        configuration.speech.edgeBelowLoudestDB = 1000
        configuration.speech.edgeChainReachSeconds = 1000
        let report = Samples.analyze(channels: channels, sampleRateHz: AnswerTests.rate, name: "noise rises at pickup, no rule",
                                     planner: FFTPlanner(), configuration: configuration)
        let firstWords = try #require(report.segments.first { $0.kind == .speech })
        #expect(firstWords.startSeconds < wordsSeconds - 1, "first speech at \(firstWords.startSeconds) s")
    }

    @Test func wordsRightAtThePickupAreKept() throws {
        // The agent speaks at once: nothing to cut, the words start with the line.
        let (channels, wordsSeconds) = try Self.monoCall(wordsAfterPickupSeconds: 0.05)
        let report = Samples.analyze(channels: channels, sampleRateHz: AnswerTests.rate, name: "words at pickup", planner: FFTPlanner())
        let firstWords = try #require(report.segments.first { $0.kind == .speech })
        #expect(abs(firstWords.startSeconds - wordsSeconds) <= 0.25,
                "first speech at \(firstWords.startSeconds) s, the greeting starts at \(wordsSeconds) s")
    }
}
