import CallDSP
import Foundation
import Testing
@testable import CallAnalysis

/// Which stereo channel is the agent's, when the audio is asked (`--agent-channel auto`).
@Suite struct AgentSideTests {
    /// Sample call 2 (agent on the left: rings, a 9 s greeting from 9.6 s, the customer's reply at
    /// 19 s, a music hold on the agent's leg from 41.5 s).
    static let file = "20261123-091544_agent-1002_call-000002.wav"

    static func analyze(_ channels: [[Float]], rate: Int, configured: Int = 0, configuration: AnalysisConfiguration = .init(),
                        metadata: CallMetadata? = nil) -> CallReport {
        var input = CallAnalyzer.Input(file: "call.wav", sampleRateHz: rate, channelCount: 2, agentChannelIndex: configured, metadata: metadata)
        input.detectsAgentChannel = true
        let analyzer = CallAnalyzer(input: input, configuration: configuration, planner: FFTPlanner())
        analyzer.consume(channels, count: channels[0].count)
        return analyzer.finish()
    }

    @Test func theChannelThatOpensWithTheGreetingIsTheAgent() throws {
        let (channels, rate) = try Samples.excerpt(Self.file, seconds: 70)
        let asRecorded = Self.analyze(channels, rate: rate)
        #expect(asRecorded.agentChannel == "left")
        #expect(!asRecorded.warnings.contains { $0.contains("agent taken to be") })
        let swapped = Self.analyze([channels[1], channels[0]], rate: rate)
        #expect(swapped.agentChannel == "right")
        #expect(swapped.warnings.contains { $0.contains("agent taken to be on the right") })
        // Every party measure follows the side: the agent's talk is the same either way.
        let talk = try #require(asRecorded.parties.agent?.talkSeconds), swappedTalk = try #require(swapped.parties.agent?.talkSeconds)
        #expect(abs(talk - swappedTalk) <= 0.05, "agent talk \(talk) as recorded, \(swappedTalk) swapped")
        #expect(swapped.segments.contains { $0.kind == .hold })
        // Configured on the wrong side, the audio still puts the agent where the greeting is.
        #expect(Self.analyze(channels, rate: rate, configured: 1).agentChannel == "left")
    }

    @Test func aSilentConfiguredSideOrAnOutboundCallKeepsIt() throws {
        let (channels, rate) = try Samples.excerpt(Self.file, seconds: 40)
        // The agent's greeting on the right, nothing on the left (a dead microphone): the left
        // stays the agent's, silent, rather than the right's words becoming a silent customer's.
        let silentLeft = Self.analyze([[Float](repeating: 0, count: channels[0].count), channels[0]], rate: rate)
        #expect(silentLeft.agentChannel == "left")
        #expect(silentLeft.parties.customer?.talkSeconds ?? 0 > 5)
        // An outbound call opens with the customer: the configured side stands.
        let swapped = [channels[1], channels[0]]
        #expect(Self.analyze(swapped, rate: rate).agentChannel == "right")
        #expect(Self.analyze(swapped, rate: rate, metadata: CallMetadata(source: "test", direction: "outbound")).agentChannel == "left")
    }

    @Test func aShortHelloBeforeTheGreetingLeavesTheConfiguredSide() throws {
        // The customer says 0.8 s of words from 8.2 s, 1.4 s before the agent's greeting.
        var (channels, rate) = try Samples.excerpt(Self.file, seconds: 40)
        let words = Array(channels[1][(19 * rate)..<(19 * rate + 4 * rate / 5)])
        for (i, x) in words.enumerated() { channels[1][82 * rate / 10 + i] += x }
        #expect(Self.analyze(channels, rate: rate).agentChannel == "left")
        // Control: were any utterance a greeting, that hello would move the agent to the right.
        var eager = AnalysisConfiguration()
        eager.agentSide.greetingMinimumSeconds = 0.5
        #expect(Self.analyze(channels, rate: rate, configuration: eager).agentChannel == "right")
    }

    @Test func aWordDuringTheGreetingStillLeavesItTheAgents() throws {
        // Swapped (the agent on the right): the customer says 0.8 s of words 0.7 s into the
        // agent's greeting (9.6 s), a "对" or a television under it (set 8's 960007).
        var (channels, rate) = try Samples.excerpt(Self.file, seconds: 40)
        let words = Array(channels[1][(19 * rate)..<(19 * rate + 4 * rate / 5)])
        for (i, x) in words.enumerated() { channels[1][103 * rate / 10 + i] += x }
        let swapped = [channels[1], channels[0]]
        #expect(Self.analyze(swapped, rate: rate).agentChannel == "right")
        // Control: with a full second's lead asked even then, the configured left stands.
        var strict = AnalysisConfiguration()
        strict.agentSide.overlappedLeadSeconds = 1.0
        #expect(Self.analyze(swapped, rate: rate, configuration: strict).agentChannel == "left")
    }
}
