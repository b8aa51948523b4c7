public import CallAnalysis

/// A recogniser's output for a call, when a centre has one (`NAME.transcript.json`).
public struct Transcript: Codable, Sendable, Equatable {
    public struct Segment: Codable, Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        /// "agent" or "customer" when the recogniser knows.
        public var party: String?
        public var text: String
        public init(startSeconds: Double, endSeconds: Double, party: String?, text: String) {
            self.startSeconds = startSeconds; self.endSeconds = endSeconds; self.party = party; self.text = text
        }
    }
    public var segments: [Segment]
    public init(segments: [Segment]) { self.segments = segments }
}

/// One rule's verdict on one call, with why and where.
public struct RuleResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case pass, flag, fail, notApplicable }
    public struct Evidence: Codable, Sendable, Equatable {
        public var startSeconds: Double
        public var endSeconds: Double
        public init(startSeconds: Double, endSeconds: Double) { self.startSeconds = startSeconds; self.endSeconds = endSeconds }
    }
    public var rule: String
    public var outcome: Outcome
    public var reason: String
    /// The moments in the call behind the verdict, first one first.
    public var evidence: [Evidence]
    /// How badly the rule went, in the rule's own unit (rings, seconds, chars/min off the range…):
    /// larger is worse. Trainers' "worst" and "best" examples sort on it.
    public var badness: Double?

    public init(rule: String, outcome: Outcome, reason: String, evidence: [Evidence], badness: Double?) {
        self.rule = rule; self.outcome = outcome; self.reason = reason; self.evidence = evidence; self.badness = badness
    }
}

public struct CallScore: Codable, Sendable, Equatable {
    /// 0–100 over the rules that apply; 0 when an automatic-fail rule failed.
    public var score: Double
    public var rules: [RuleResult]
    /// Line-quality flags (R13) that excused rules and route the call for review.
    public var review: Bool
    /// Why the call is left out of scorecards, examples and KPI bands (an incomplete recording,
    /// no speech at all), until a reviewer counts it; nil for a call that counts.
    public var excludedBecause: String?

    /// A recording that is broken or empty says nothing about the agent: it is kept and listed,
    /// routed for review, but not counted.
    public static func exclusion(for r: CallReport) -> String? {
        if r.incompleteRecording == true { return "incomplete recording" }
        if !r.segments.contains(where: { $0.kind == .speech }) { return "no speech in the recording" }
        return nil
    }
}
