import CallDSP
import Foundation

/// Which stereo channel carries the agent, when the recorder's convention is not known: on an
/// inbound call the agent answers with a greeting and the customer replies after it; hold music
/// plays on the agent's leg. The configured side stands unless the other channel plainly opens the
/// call and nothing contradicts it: a customer's "喂?" before the greeting is short, an outbound
/// call opens with the customer, and one wrong swap gives every measure to the wrong party.
public struct AgentSide: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// The other channel's first speech segment (of at least `minimumSegmentSeconds`) must
        /// itself last this long: a greeting ...
        public var greetingMinimumSeconds: Double = 1.5
        /// ... and start at least this long before the configured channel's first speech, or this
        /// long when that speech cuts into the opening with the opening going on at least
        /// `leadSeconds` past it (a "对" during the greeting, or background talk under it) ...
        public var leadSeconds: Double = 1.0
        public var overlappedLeadSeconds: Double = 0.5
        /// ... and hold music must not contradict it: at least this much on the configured side
        /// and under a fifth of it on the other.
        public var holdMusicSeconds: Double = 10
        /// Speech segments shorter than this are ignored (a click, a breath, a codec's burst).
        public var minimumSegmentSeconds: Double = 0.3

        public init() {}
    }

    /// The side taken, and why when it is not the configured one.
    public struct Decision: Sendable, Equatable {
        public var agentChannel: Int
        /// The other channel's opening: start and length in seconds, and its lead over the
        /// configured channel's first words; nil when the configured side stands.
        public var opening: (startSeconds: Double, seconds: Double, leadSeconds: Double)?

        public static func == (a: Decision, b: Decision) -> Bool { a.agentChannel == b.agentChannel }
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// The agent's channel index (0 or 1): `configured` unless the audio plainly says otherwise.
    /// Outbound calls (the customer answers) keep the configured side.
    public func decide(_ channels: [WaitingDetector.Channel], configured: Int, direction: String? = nil) -> Decision {
        let stay = Decision(agentChannel: configured, opening: nil)
        guard channels.count == 2, direction != "outbound", let grid = channels.first?.features.grid else { return stay }
        let c = configuration
        let shortest = grid.frames(inSeconds: c.minimumSegmentSeconds)
        let first = channels.map { $0.speech.first { $0.count >= shortest } }
        let other = 1 - configured
        // A side that never speaks stays where it was configured: a silent agent is for QA to see,
        // not to be turned into a silent customer.
        guard let opening = first[other], let reply = first[configured] else { return stay }
        let cutsIn = reply.start < opening.end && opening.end - reply.start >= grid.frames(inSeconds: c.leadSeconds)
        let lead = grid.frames(inSeconds: cutsIn ? c.overlappedLeadSeconds : c.leadSeconds)
        guard opening.count >= grid.frames(inSeconds: c.greetingMinimumSeconds), reply.start - opening.start >= lead else { return stay }
        let musicFrames = channels.map { channel in channel.labels.lazy.filter { $0 == .music }.count }
        if musicFrames[configured] >= grid.frames(inSeconds: c.holdMusicSeconds) && musicFrames[other] * 5 < musicFrames[configured] {
            return stay
        }
        return Decision(agentChannel: other, opening: (grid.seconds(ofFrame: opening.start), grid.seconds(ofFrame: opening.count),
                                                       grid.seconds(ofFrame: reply.start - opening.start)))
    }

    /// The report's warning when the side was taken from the audio.
    static func note(_ decision: Decision) -> String? {
        guard let o = decision.opening else { return nil }
        func s(_ x: Double) -> String { String(format: "%.1f s", x) }
        let side = decision.agentChannel == 0 ? "left" : "right", otherSide = decision.agentChannel == 0 ? "right" : "left"
        return "agent taken to be on the \(side) channel: its first words (\(s(o.seconds)) at \(s(o.startSeconds))) come "
            + "\(s(o.leadSeconds)) before the \(otherSide) channel's; --agent-channel left or right fixes the side"
    }
}
