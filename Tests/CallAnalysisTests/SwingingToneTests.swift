@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Japan's ring-back: 400 Hz swung 90% at 16 Hz, 1 s on and 2 s off. Between 10 ms frames its
/// level dips by up to 18 dB, past any steady tone's range, so it read as speech and its rings
/// went uncounted.
@Suite struct SwingingToneTests {
    static let rate = DualToneTests.rate

    static func ring(_ t: Double, depth: Double = 0.9) -> Double {
        0.05 * (1 + depth * sin(2 * .pi * 16 * t)) * sin(2 * .pi * 400 * t)
    }

    @Test func aToneSwungAt16HzIsATone() {
        let x = DualToneTests.line(seconds: 9) { t in t.truncatingRemainder(dividingBy: 3) < 1 ? Self.ring(t) : 0 }
        let share = DualToneTests.toneShare(DualToneTests.labels(x), within: [(0.05, 0.95)], everySeconds: 3, times: 3)
        #expect(share >= 0.9, "\(share) of the bursts' frames are tone")
        // Control: the same without the 16 Hz swing reading as one (the steady tone's 6 dB range).
        var steady = SpeechDetector.Configuration()
        steady.toneSwingMinimumTurns = 100
        let before = DualToneTests.toneShare(DualToneTests.labels(x, configuration: steady), within: [(0.05, 0.95)], everySeconds: 3, times: 3)
        #expect(before <= 0.3, "\(before) tone without the swing rule")
    }

    @Test func japaneseRingsAreCountedAndAnswered() throws {
        let report = try Self.call(depth: 0.9)
        #expect(report.answer.tonePlan == "Japan")
        #expect(report.answer.rings == 3)
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - 8.5) <= 0.5, "answer \(answer) s, picked up at 8.5 s")
        // Control: steady 400 Hz bursts on that cadence (a tune's held note is one) are no Japanese
        // ring-back: the plan asks its bursts to swing.
        #expect(try Self.call(depth: 0).answer.tonePlan != "Japan")
    }

    /// Three 400 Hz rings swung `depth` at 16 Hz (1 s on, 2 s off), then the agent's greeting (a
    /// sample call's first words) at 9.5 s on the line's noise; the customer's leg is quiet noise.
    static func call(depth: Double) throws -> CallReport {
        let (sample, sampleRate) = try Samples.decode("20261123-102011_agent-1001_call-000005.wav")
        #expect(sampleRate == Self.rate)
        let truth = try Samples.truth("20261123-102011_agent-1001_call-000005.wav")
        let first = try #require(truth.segments.first { $0.kind == "speech" })
        let words = Array(sample[0][Int(first.startSeconds * Double(Self.rate))..<Int(first.endSeconds * Double(Self.rate))])
        let pickup = 8.5, greeting = 9.5
        let lineNoise = AnswerTests.noise(greeting + Double(words.count) / Double(Self.rate) + 1, level: 0.003, seed: 5)
        let agent = lineNoise.indices.map { i -> Float in
            let t = Double(i) / Double(Self.rate)
            if t < pickup { return t.truncatingRemainder(dividingBy: 3) < 1 ? Float(Self.ring(t, depth: depth)) + lineNoise[i] * 0.01 : lineNoise[i] * 0.01 }
            let w = i - Int(greeting * Double(Self.rate))
            return lineNoise[i] + (w >= 0 && w < words.count ? words[w] : 0)
        }
        let customer = AnswerTests.noise(Double(agent.count) / Double(Self.rate), level: 0.001, seed: 9)
        return Samples.analyze(channels: [agent, customer], sampleRateHz: Self.rate, name: "japan", planner: FFTPlanner())
    }
}
