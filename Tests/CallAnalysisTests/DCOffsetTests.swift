import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A recorder's analog input often adds a DC offset. It is not line noise: an offset of 0.05 (a
/// power of −26 dBov, the agent's own level) read as noise once put the SNR at 0 dB, and R13 then
/// excused half the rubric.
@Suite struct DCOffsetTests {
    @Test(arguments: [Float(0.05), -0.01])
    func anOffsetIsNotNoise(offset: Float) throws {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (excerpt, rate) = try Samples.excerpt(file, seconds: 40)
        let planner = FFTPlanner()
        let clean = Samples.analyze(channels: excerpt, sampleRateHz: rate, name: file, planner: planner)
        let shifted = Samples.analyze(channels: excerpt.map { $0.map { $0 + offset } }, sampleRateHz: rate, name: file, planner: planner)
        for party in [\CallReport.Parties.agent, \CallReport.Parties.customer] {
            let a = try #require(clean.parties[keyPath: party]), b = try #require(shifted.parties[keyPath: party])
            #expect(abs((b.snrDb ?? 0) - (a.snrDb ?? 0)) <= 1, "SNR \(b.snrDb ?? 0) dB against \(a.snrDb ?? 0) dB")
            #expect(abs((b.activeLevelDbov ?? 0) - (a.activeLevelDbov ?? -99)) <= 0.2)
            #expect(abs(b.talkSeconds - a.talkSeconds) <= 0.2)
        }
    }
}
