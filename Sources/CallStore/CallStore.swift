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

/// Where scored calls live, and everything read or written about them: `SQLCallStore` on one
/// SQLite file or on a PostgreSQL server shared by sharded workers (`SQLCallStore.open`). Every
/// write is one transaction: a call is stored whole or not at all, so a killed run loses nothing
/// and a re-run skips what is there.
public protocol CallStore: AnyObject, Sendable {
    /// The file or server, for messages (never with a password).
    var displayName: String { get }
    /// Problems the database finds in its own structure; empty when sound.
    func integrityProblems() throws -> [String]
    func count() throws -> Int
    /// Throws unless the store answers a query now (for health probes: cheap at any size).
    func ping() throws
    /// The lock for one `score` run (`part` names a shard, "" for the whole store); nil when
    /// another process holds it.
    func runLock(_ part: String) throws -> (any StoreRunLock)?

    // MARK: the batch
    func contains(contentHash: String) throws -> Bool
    func save(_ call: StoredCall) throws
    func saveFailure(path: String, contentHash: String?, reason: String) throws
    /// Clears a file's earlier failure once it has been scored.
    func clearFailure(path: String) throws
    func failures() throws -> [StoredFailure]

    // MARK: reports and pages
    /// Calls whose start time begins with `prefix` ("2026-11", "2026-11-23"; "" for all), optionally one agent's.
    func calls(startingWith prefix: String, agentId: String?) throws -> [CallSummary]
    func calls(matching filter: CallFilter) throws -> [CallSummary]
    /// Calls whose recording is this path, or has this file name in any folder.
    func callIds(named name: String) throws -> [Int64]
    /// Rule results of `rule`, optionally one agent's, with their calls.
    func ruleResults(rule: String, agentId: String?) throws -> [RuleRow]
    /// All rule results of the calls matching `prefix`, for pass rates.
    func ruleResults(startingWith prefix: String, agentId: String?) throws -> [RuleRow]
    /// The stored report of one call.
    func report(callId: Int64) throws -> (path: String, report: CallReport)?
    func call(id: Int64) throws -> (summary: CallSummary, report: CallReport, rules: [RuleResult])?
    func rules(ofCall id: Int64) throws -> [RuleResult]?
    func agentMonths(month: String, previous: String?, agentId: String?) throws -> [AgentMonth]
    func monthlyTrend(agentId: String) throws -> [(month: String, calls: Int, mean: Double)]
    func passRates(agentId: String?, month: String?) throws -> [RulePassRate]
    func callsByScore(agentId: String?, ascending: Bool, limit: Int) throws -> [CallSummary]
    func examples(rule: String, worst: Bool, agentId: String?, day: String?, limit: Int) throws -> [RuleRow]
    func calibrate(_ rows: [HumanVerdict], problems: [(line: Int, reason: String)], scorer: Scorer) throws -> CalibrationReport

    // MARK: the archive as a whole
    /// Re-applies `scorer` to every stored report, without the audio. Returns how many were rescored.
    func rescore(_ scorer: Scorer, rubric: String) throws -> Int
    /// Deletes calls that started before `day` ("yyyy-MM-dd"). Returns how many.
    func purge(startedBefore day: String) throws -> Int
    /// Moves an archive: stored paths under `old` now start with `new`. Returns how many calls moved.
    func relocate(from old: String, to new: String) throws -> Int

    // MARK: review
    /// A reviewer's decision on whether a call counts (nil: back to the automatic one).
    func setCounted(callId: Int64, _ counted: Bool?) throws -> Bool
    func setVerdict(callId: Int64, rule: String, outcome: RuleResult.Outcome, comment: String, reviewer: String, scorer: Scorer) throws -> Bool
    func verdicts(callId: Int64) throws -> [Verdict]
    func rubricName(callId: Int64) throws -> String?
    func ruleReason(callId: Int64, rule: String) throws -> String?
    func addDispute(callId: Int64, rule: String, text: String, by user: String) throws -> Int64
    func answerDispute(id: Int64, callId: Int64, answer: String, by user: String) throws -> Bool
    func disputes(callId: Int64?, limit: Int) throws -> [Dispute]
    func disputedCallIds(among ids: [Int64]) throws -> Set<Int64>
    func importAgents(_ agents: [AgentRecord]) throws -> Int
    func agentRecords() throws -> [AgentRecord]

    // MARK: users, sessions and audit
    func saveUser(_ user: User) throws
    func user(named name: String) throws -> User?
    func accounts() throws -> [Account]
    func addUser(_ user: User) throws -> Bool
    func setDisabled(_ name: String, _ disabled: Bool) throws -> Bool
    func setPassword(_ name: String, hash: String) throws -> Bool
    func deleteUser(_ name: String) throws -> Bool
    func saveSession(_ session: Session) throws
    func session(token: String) throws -> Session?
    func deleteSession(token: String) throws
    func audit(user: String, action: String, callId: Int64?, detail: String) throws
    func auditLog(limit: Int) throws -> [AuditEntry]
}

extension CallStore {
    public func disputes(callId: Int64?) throws -> [Dispute] { try disputes(callId: callId, limit: 200) }
    public func auditLog() throws -> [AuditEntry] { try auditLog(limit: 100) }
    public func calibrate(_ rows: [HumanVerdict], scorer: Scorer) throws -> CalibrationReport {
        try calibrate(rows, problems: [], scorer: scorer)
    }
}
