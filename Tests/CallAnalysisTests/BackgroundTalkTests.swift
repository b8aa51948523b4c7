@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A voice at the next desk, 20 dB under the agent's, on the agent's own leg: background talk, not
/// the agent (set 4's office babble was read as its party talking all through the call).
@Suite struct BackgroundTalkTests {
    /// Agent speech seconds reported outside the truth's agent segments (±0.5 s), and the share of
    /// the truth's agent time reported as agent speech.
    static func measure(_ configuration: AnalysisConfiguration, backgroundDB: Double = -20) throws -> (outside: Double, covered: Double) {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (channels, rate) = try Samples.decode(file)
        let truth = try Samples.truth(file)
        // The background: the agent's own leg 37 s later, 20 dB down (another voice's words).
        let shift = 37 * rate, gain = Float(pow(10, backgroundDB / 20))
        var agent = channels[0]
        for i in agent.indices { agent[i] += gain * channels[0][(i + shift) % agent.count] }
        let report = Samples.analyze(channels: [agent, channels[1]], sampleRateHz: rate, name: file, planner: FFTPlanner(),
                                     configuration: configuration)
        let want = truth.segments.filter { $0.kind == "speech" && $0.party == "agent" }
        let got = report.segments.filter { $0.kind == .speech && $0.party == .agent }
        func overlap(_ a: (Double, Double), _ b: (Double, Double)) -> Double { max(0, min(a.1, b.1) - max(a.0, b.0)) }
        var outside = 0.0, covered = 0.0
        for g in got {
            let inside = want.reduce(0) { $0 + overlap((g.startSeconds, g.endSeconds), ($1.startSeconds - 0.5, $1.endSeconds + 0.5)) }
            outside += g.endSeconds - g.startSeconds - inside
        }
        for w in want { covered += got.reduce(0) { $0 + overlap(($1.startSeconds, $1.endSeconds), (w.startSeconds, w.endSeconds)) } }
        return (outside, covered / want.reduce(0) { $0 + $1.endSeconds - $1.startSeconds })
    }

    @Test func aVoiceFarUnderThePartysOwnIsNotItsSpeech() throws {
        let (outside, covered) = try Self.measure(AnalysisConfiguration())
        // 9.5 s of it read as the agent without the rule; 0.7 s with it (none with a 0.3 s reach).
        #expect(outside <= 1.5, "\(outside) s of background reported as the agent")
        #expect(covered >= 0.97, "\(covered) of the agent's own speech found")
        // Control: without the rule the background is the agent talking.
        var off = AnalysisConfiguration()
        off.speech.backgroundBelowDB = 200
        let (before, _) = try Self.measure(off)
        #expect(before >= 5, "\(before) s of background without the rule")
    }
}
