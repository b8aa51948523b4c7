public import CallAnalysis
public import CallScoring

/// One scored call as stored.
public struct StoredCall: Sendable, Equatable {
    public var contentHash: String
    public var path: String
    public var report: CallReport
    public var score: CallScore
    public var rubric: String
    public init(contentHash: String, path: String, report: CallReport, score: CallScore, rubric: String) {
        self.contentHash = contentHash; self.path = path; self.report = report; self.score = score; self.rubric = rubric
    }
    public var agentId: String? { report.metadata?.agentId }
    /// Local start time as "yyyy-MM-ddTHH:mm:ss", when known.
    public var startTime: String? { report.metadata?.startTime }
}

/// A row of a scorecard query: one call with the figures reports need.
public struct CallSummary: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var agentId: String?
    public var startTime: String?
    public var durationSeconds: Double
    public var score: Double
    public var agentCharsPerMinute: Double?
    public var holdCount: Int
    public var longestHoldSeconds: Double
    public var review: Bool
    /// Why the call is not counted in scorecards (nil when it counts): `CallScore.excludedBecause`
    /// unless a reviewer decided otherwise.
    public var notCountedBecause: String? = nil
}

/// One rule result joined with its call, for examples and pass rates.
public struct RuleRow: Sendable, Equatable {
    public var callId: Int64
    public var path: String
    public var agentId: String?
    public var startTime: String?
    public var score: Double
    public var result: RuleResult
}

public struct StoredFailure: Sendable, Equatable {
    public var path: String
    public var reason: String
    public var at: String
}

/// Where scored calls live. SQLite today (`SQLiteCallStore`); a shared PostgreSQL store for
/// sharded workers implements the same protocol. Every `save` is one transaction: a call is
/// stored whole or not at all, so a killed run loses nothing and a re-run skips what is there.
public protocol CallStore: Sendable {
    func contains(contentHash: String) throws -> Bool
    func save(_ call: StoredCall) throws
    func saveFailure(path: String, contentHash: String?, reason: String) throws
    /// Clears a file's earlier failure once it has been scored.
    func clearFailure(path: String) throws
    func failures() throws -> [StoredFailure]
    /// Calls whose start time begins with `prefix` ("2026-11", "2026-11-23"; "" for all), optionally one agent's.
    func calls(startingWith prefix: String, agentId: String?) throws -> [CallSummary]
    /// Rule results of `rule`, optionally one agent's, with their calls.
    func ruleResults(rule: String, agentId: String?) throws -> [RuleRow]
    /// All rule results of the calls matching `prefix`, for pass rates.
    func ruleResults(startingWith prefix: String, agentId: String?) throws -> [RuleRow]
    /// The stored report of one call.
    func report(callId: Int64) throws -> (path: String, report: CallReport)?
    /// Re-applies `scorer` to every stored report, without the audio. Returns how many were rescored.
    func rescore(_ scorer: Scorer, rubric: String) throws -> Int
    /// Deletes calls that started before `day` ("yyyy-MM-dd"). Returns how many.
    func purge(startedBefore day: String) throws -> Int
    /// A reviewer's decision on whether a call counts (nil: back to the automatic one).
    func setCounted(callId: Int64, _ counted: Bool?) throws -> Bool
    func count() throws -> Int
}
