import CallAnalysis
import CallDSP
import Foundation
import Testing

/// The same call recorded at another rate must measure the same: the analysis window is 32 ms at
/// every rate. Before, 44.1 kHz used 23 ms (the North-American ring-back's 440 and 480 Hz merged
/// and no ring was found) and 48 kHz 43 ms (rings lost, speech turned into music holds).
@Suite struct SampleRateTests {
    /// A North-American ring-back call's first 25 s (two rings, the answer at 9.07 s, the greeting),
    /// upsampled by linear interpolation (its images lie far above the speech band).
    @Test(arguments: [44100, 48000])
    func aCallMeasuresTheSameAtAnotherRate(rateHz: Int) throws {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (excerpt, rate) = try Samples.excerpt(file, seconds: 25)
        let planner = FFTPlanner()
        let reference = Samples.analyze(channels: excerpt, sampleRateHz: rate, name: file, planner: planner)
        let step = Double(rate) / Double(rateHz)
        let upsampled = excerpt.map { x in
            (0..<(x.count * rateHz / rate)).map { i -> Float in
                let t = Double(i) * step, k = Int(t), f = Float(t - Double(k))
                return k + 1 < x.count ? x[k] * (1 - f) + x[k + 1] * f : x[k]
            }
        }
        let report = Samples.analyze(channels: upsampled, sampleRateHz: rateHz, name: file, planner: planner)
        #expect(reference.answer.rings == 2 && reference.answer.tonePlan == "NorthAmerica")
        #expect(report.answer.rings == reference.answer.rings)
        #expect(report.answer.tonePlan == reference.answer.tonePlan)
        #expect(abs((report.answer.answerSeconds ?? -1) - (reference.answer.answerSeconds ?? 1)) <= 0.05)
        #expect(!report.segments.contains { $0.kind == .hold }, "no hold in the first 25 s")
        let talk = try #require(report.parties.agent).talkSeconds, expected = try #require(reference.parties.agent).talkSeconds
        #expect(abs(talk - expected) <= 0.05 * expected)
    }
}
