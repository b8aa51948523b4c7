import CallDSP

/// Which stereo channel carries the agent, when the recorder's convention is not known: the agent
/// answers with a greeting, and the customer replies after it; hold music plays on the agent's
/// leg. The configured side stands unless the other channel plainly opens the call and nothing
/// contradicts it: a customer's "喂?" before the greeting is short, and one wrong swap gives every
/// measure of the call to the wrong party.
public struct AgentSide: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// The opening utterance: the channel's first speech segment of at least this long ...
        public var greetingMinimumSeconds: Double = 1.5
        /// ... that starts at least this long before the other channel's first speech ...
        public var leadSeconds: Double = 1.0
        /// ... and is not contradicted by hold music: at least this much on the configured side
        /// and under a fifth of it on the other.
        public var holdMusicSeconds: Double = 10
        /// Speech segments shorter than this are ignored (a click, a breath, a codec's burst).
        public var minimumSegmentSeconds: Double = 0.3

        public init() {}
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// The agent's channel index (0 or 1), `configured` unless the audio plainly says otherwise.
    public func agentChannel(_ channels: [WaitingDetector.Channel], configured: Int) -> Int {
        guard channels.count == 2, let grid = channels.first?.features.grid else { return configured }
        let c = configuration
        let shortest = grid.frames(inSeconds: c.minimumSegmentSeconds)
        let first = channels.map { $0.speech.first { $0.count >= shortest } }
        let other = 1 - configured
        guard let opening = first[other] else { return configured }
        // The other channel's opening must be a greeting, well before the configured side speaks.
        guard opening.count >= grid.frames(inSeconds: c.greetingMinimumSeconds) else { return configured }
        if let reply = first[configured], reply.start - opening.start < grid.frames(inSeconds: c.leadSeconds) {
            return configured
        }
        let music = channels.map { channel in channel.labels.lazy.filter { $0 == .music }.count }
        let holdFrames = grid.frames(inSeconds: c.holdMusicSeconds)
        if music[configured] >= holdFrames && music[other] * 5 < music[configured] { return configured }
        return other
    }
}
