@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// France's ring-back (440 Hz, 1.5 s on / 3.5 s off) fits no other plan: three rings read as one
/// North-American ring cut short, and a single whole ring as a cut one, answered at its end.
@Suite struct NationalRingbackTests {
    static let rate = DualToneTests.rate

    @Test(arguments: [1, 3])
    func frenchRingsAreCountedAndAnswered(rings: Int) throws {
        // Each ring starts 0.5 s into its 5 s period; the pickup comes 2 s after the last ring.
        let pickup = Double(rings - 1) * 5 + 0.5 + 1.5 + 2
        let report = try Self.call(pickup: pickup) { t in
            let inPeriod = (t - 0.5).truncatingRemainder(dividingBy: 5)
            return t >= 0.5 && inPeriod < 1.5 ? 0.05 * sin(2 * .pi * 440 * t) : 0
        }
        #expect(report.answer.tonePlan == "France")
        #expect(report.answer.rings == rings)
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - pickup) <= 0.5, "answer \(answer) s, picked up at \(pickup) s")
    }

    /// Control: a North-American ring (440 + 480 Hz, 2 s) cut by the pickup after 1.5 s is still
    /// theirs, answered where it stops.
    @Test func aCutAmericanRingIsStillAmerican() throws {
        let report = try Self.call(pickup: 2) { t in
            t >= 0.5 ? 0.025 * (sin(2 * .pi * 440 * t) + sin(2 * .pi * 480 * t)) : 0
        }
        #expect(report.answer.tonePlan == "NorthAmerica")
        #expect(report.answer.rings == 1)
        #expect(abs((report.answer.answerSeconds ?? 0) - 2) <= 0.5)
    }

    /// India's double ring (400 Hz swung at 25 Hz) and the UK's (400 + 450 Hz) share a cadence;
    /// their tones tell them apart (set 9's 970004, 970009, 970014 were read as the UK's).
    @Test func indiasDoubleRingIsNotTheUKs() throws {
        func doubleRing(_ t: Double, _ tone: (Double) -> Double) -> Double {
            let inPeriod = (t - 0.5).truncatingRemainder(dividingBy: 3)
            return t >= 0.5 && (inPeriod < 0.4 || (inPeriod >= 0.6 && inPeriod < 1)) ? tone(t) : 0
        }
        let pickup = 0.5 + 3 + 1 + 1.5
        let india = try Self.call(pickup: pickup) { t in doubleRing(t) { 0.05 * (1 + 0.5 * sin(2 * .pi * 25 * $0)) * sin(2 * .pi * 400 * $0) } }
        let uk = try Self.call(pickup: pickup) { t in doubleRing(t) { 0.025 * (sin(2 * .pi * 400 * $0) + sin(2 * .pi * 450 * $0)) } }
        #expect(india.answer.tonePlan == "India" && india.answer.rings == 2, "\(india.answer)")
        #expect(uk.answer.tonePlan == "UK" && uk.answer.rings == 2, "\(uk.answer)")
    }

    /// `ring(t)` on the agent's leg until `pickup`, then the line's noise and a sample call's first
    /// words 1 s later; the customer's leg is quiet noise.
    static func call(pickup: Double, ring: (Double) -> Double) throws -> CallReport {
        let (sample, sampleRate) = try Samples.decode("20261123-102011_agent-1001_call-000005.wav")
        #expect(sampleRate == Self.rate)
        let truth = try Samples.truth("20261123-102011_agent-1001_call-000005.wav")
        let first = try #require(truth.segments.first { $0.kind == "speech" })
        let words = Array(sample[0][Int(first.startSeconds * Double(Self.rate))..<Int(first.endSeconds * Double(Self.rate))])
        let greeting = pickup + 1
        let lineNoise = AnswerTests.noise(greeting + Double(words.count) / Double(Self.rate) + 1, level: 0.003, seed: 5)
        let agent = lineNoise.indices.map { i -> Float in
            let t = Double(i) / Double(Self.rate)
            if t < pickup { return Float(ring(t)) + lineNoise[i] * 0.01 }
            let w = i - Int(greeting * Double(Self.rate))
            return lineNoise[i] + (w >= 0 && w < words.count ? words[w] : 0)
        }
        let customer = AnswerTests.noise(Double(agent.count) / Double(Self.rate), level: 0.001, seed: 9)
        return Samples.analyze(channels: [agent, customer], sampleRateHz: Self.rate, name: "national", planner: FFTPlanner())
    }
}
