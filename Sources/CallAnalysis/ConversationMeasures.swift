import Foundation

/// Turn-taking between the parties: interruptions, overtalk, talk ratio, and how the call ends.
/// Works on the speech segments alone, so it needs two channels (or attributed mono speech).
public struct ConversationMeasures: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// Both must talk at once for longer than this for a start to be an interruption ...
        public var minimumOverlapSeconds = 0.5
        /// ... the other party must have been talking for at least this long already ...
        public var otherTalkingForSeconds = 0.3
        /// ... and an utterance this short is a backchannel (嗯, 对), never an interruption.
        public var backchannelMaximumSeconds = 1.0
        /// Greetings cross at the answer (the customer's "喂" over the agent's greeting): nothing
        /// starting this soon after the first words of the call is an interruption.
        public var answerOverlapSeconds = 2.0
        /// R9 fails from this many agent interruptions in one call.
        public var interruptionFailCount = 3
        /// R10: after the customer's last words the agent should wait this long before hanging up.
        public var agentWaitAfterCustomerSeconds = 5.0

        public init() {}
    }

    public struct Turn: Sendable, Equatable {
        public var party: CallReport.Party
        public var startSeconds: Double
        public var endSeconds: Double
        public init(party: CallReport.Party, startSeconds: Double, endSeconds: Double) {
            self.party = party; self.startSeconds = startSeconds; self.endSeconds = endSeconds
        }
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// Starts of speech that cut into the other party's utterance.
    public func interruptions(_ turns: [Turn]) -> [CallReport.Interruption] {
        let c = configuration
        var out: [CallReport.Interruption] = []
        let greeting = (turns.map(\.startSeconds).min() ?? 0) + c.answerOverlapSeconds
        for t in turns where t.endSeconds - t.startSeconds > c.backchannelMaximumSeconds && t.startSeconds >= greeting {
            let interrupted = turns.contains { o in
                o.party != t.party
                    && o.startSeconds <= t.startSeconds - c.otherTalkingForSeconds
                    && o.endSeconds > t.startSeconds
                    && min(o.endSeconds, t.endSeconds) - t.startSeconds > c.minimumOverlapSeconds
            }
            if interrupted { out.append(.init(atSeconds: (t.startSeconds * 100).rounded() / 100, by: t.party)) }
        }
        return out.sorted { $0.atSeconds < $1.atSeconds }
    }

    /// Seconds in which both parties talk at once.
    public func overtalkSeconds(_ turns: [Turn]) -> Double {
        let agent = turns.filter { $0.party == .agent }, customer = turns.filter { $0.party == .customer }
        var total = 0.0
        for a in agent {
            for b in customer {
                total += max(0, min(a.endSeconds, b.endSeconds) - max(a.startSeconds, b.startSeconds))
            }
        }
        return total
    }

    /// Who spoke last and the silence after; the recorder's hang-up side when it knows.
    public func ending(_ turns: [Turn], durationSeconds: Double, hangupSide: String?) -> CallReport.Ending? {
        guard let last = turns.max(by: { $0.endSeconds < $1.endSeconds }) else { return nil }
        let customerLast = turns.filter { $0.party == .customer }.map(\.endSeconds).max()
        return CallReport.Ending(
            lastParty: last.party, tailSilenceSeconds: ((durationSeconds - last.endSeconds) * 100).rounded() / 100,
            afterCustomerSeconds: customerLast.map { ((durationSeconds - $0) * 100).rounded() / 100 },
            hangupSide: hangupSide)
    }
}
