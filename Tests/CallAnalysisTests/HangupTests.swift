import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Who hung up, from the legs: the side that leaves stops carrying the line (its leg falls to
/// digital silence or a far quieter idle channel) while the other's goes on until the recorder stops.
@Suite struct HangupTests {
    static let rate = AnswerTests.rate

    /// The agent greets (a sample call's first words) on its leg, the customer answers on theirs;
    /// both legs carry line noise. After the customer's last words the agent's leg falls silent at
    /// `agentEnds` and the customer's at `customerEnds` (seconds after those words; nil: never).
    static func call(agentEnds: Double?, customerEnds: Double?, idleLevel: Float = 0) throws -> CallReport {
        let (sample, sampleRate) = try Samples.decode("20261123-102011_agent-1001_call-000005.wav")
        #expect(sampleRate == Self.rate)
        let truth = try Samples.truth("20261123-102011_agent-1001_call-000005.wav")
        let speech = truth.segments.filter { $0.kind == "speech" }
        let first = try #require(speech.first), second = try #require(speech.dropFirst().first)
        func words(_ s: Truth.Segment) -> [Float] {
            Array(sample[0][Int(s.startSeconds * Double(rate))..<Int(s.endSeconds * Double(rate))])
        }
        let greeting = words(first), reply = words(second)
        let r = Double(rate)
        let replyStart = 1 + Double(greeting.count) / r + 0.8, lastWords = replyStart + Double(reply.count) / r
        let total = lastWords + 4
        var agent = AnswerTests.noise(total, level: 0.003, seed: 5), customer = AnswerTests.noise(total, level: 0.003, seed: 9)
        for (i, x) in greeting.enumerated() { agent[Int(r) + i] += x }
        for (i, x) in reply.enumerated() { customer[Int(replyStart * r) + i] += x }
        for (leg, ends) in [(0, agentEnds), (1, customerEnds)] {
            guard let ends else { continue }
            for i in Int((lastWords + ends) * r)..<agent.count {
                if leg == 0 { agent[i] *= idleLevel } else { customer[i] *= idleLevel }
            }
        }
        return Samples.analyze(channels: [agent, customer], sampleRateHz: rate, name: "hangup", planner: FFTPlanner())
    }

    @Test func theLegThatFallsSilentFirstHungUp() throws {
        #expect(try Self.call(agentEnds: nil, customerEnds: 1).ending?.hangupSide == "customer")
        #expect(try Self.call(agentEnds: 0.6, customerEnds: 2).ending?.hangupSide == "agent")
        // An idle channel 30 dB under the line is as good as digital silence.
        #expect(try Self.call(agentEnds: 1.5, customerEnds: nil, idleLevel: 0.03).ending?.hangupSide == "agent")
    }

    @Test func legsThatGoOnOrStopTogetherTellNothing() throws {
        #expect(try Self.call(agentEnds: nil, customerEnds: nil).ending?.hangupSide == nil)
        // Both cut at once: the recorder stopped.
        #expect(try Self.call(agentEnds: 1, customerEnds: 1).ending?.hangupSide == nil)
    }
}
