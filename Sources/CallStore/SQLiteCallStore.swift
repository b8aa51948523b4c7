public import CallAnalysis
import CallScoring
import Foundation
import GRDB

/// `CallStore` on one SQLite file through GRDB: WAL mode (readers never block the writer),
/// versioned migrations, one transaction per call.
public final class SQLiteCallStore: CallStore, Sendable {
    private let pool: DatabasePool

    /// - Parameter readOnly: for commands that only read, on a database they may not write (a
    ///   read-only copy, a backup): nothing is created or migrated.
    public init(path: String, readOnly: Bool = false) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in if !readOnly { try db.execute(sql: "PRAGMA foreign_keys = ON") } }
        // Customers' numbers, agents' scores and password hashes: readable by the owner only. A new
        // file is created empty with mode 0600 before SQLite opens it (and its -wal/-shm follow).
        if !readOnly && !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        // Two workers starting at once on a new file would race to switch it to WAL (SQLite
        // answers "database is locked" to that, whatever the busy timeout): opening and
        // migrating are taken in turns, under an advisory lock beside the database.
        let turn = readOnly ? nil : OpenTurn(path: path + ".open.lock")
        defer { turn?.release() }
        pool = try DatabasePool(path: path, configuration: configuration)
        if readOnly {
            guard try pool.read({ try Self.migrator.hasCompletedMigrations($0) }) else { throw StoreError.needsUpgrade(path: path) }
        } else {
            try Self.migrator.migrate(pool)
        }
    }

    public enum StoreError: Error, CustomStringConvertible {
        case needsUpgrade(path: String)
        public var description: String {
            switch self {
            case .needsUpgrade(let path): "\(path): written by an older CallQA; open it once with write access to upgrade it"
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: calls, rule results, failures") { db in
            try db.execute(sql: """
                CREATE TABLE call (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    contentHash TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,
                    agentId TEXT,
                    callId TEXT,
                    startTime TEXT,
                    durationSeconds REAL NOT NULL,
                    score REAL NOT NULL,
                    review INTEGER NOT NULL,
                    agentCharsPerMinute REAL,
                    holdCount INTEGER NOT NULL,
                    longestHoldSeconds REAL NOT NULL,
                    rubric TEXT NOT NULL,
                    report TEXT NOT NULL,
                    scoredAt TEXT NOT NULL);
                CREATE INDEX callByAgentAndStart ON call(agentId, startTime);
                CREATE INDEX callByStart ON call(startTime);
                CREATE TABLE ruleResult (
                    callId INTEGER NOT NULL REFERENCES call(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    badness REAL,
                    PRIMARY KEY (callId, rule));
                CREATE INDEX ruleResultByRule ON ruleResult(rule, outcome, badness);
                CREATE TABLE failure (
                    path TEXT PRIMARY KEY,
                    contentHash TEXT,
                    reason TEXT NOT NULL,
                    at TEXT NOT NULL);
                """)
        }
        registerAccessMigration(&migrator)
        migrator.registerMigration("v4: calls that do not count, calls by path") { db in
            // Idempotent: a development build recorded this step under another name.
            let columns = try db.columns(in: "call").map(\.name)
            if !columns.contains("excludedReason") { try db.execute(sql: "ALTER TABLE call ADD COLUMN excludedReason TEXT") }
            if !columns.contains("reviewerCounts") { try db.execute(sql: "ALTER TABLE call ADD COLUMN reviewerCounts INTEGER") }
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS callByPath ON call(path)")
        }
        registerAccountsMigration(&migrator)
        migrator.registerMigration("v6: covering indexes with whether a call counts") { db in
            // The new columns sit after each row's report: without them in the covering indexes,
            // every scorecard would walk every report's overflow pages.
            try db.execute(sql: """
                DROP INDEX IF EXISTS callMonthCover;
                DROP INDEX IF EXISTS callAgentMonthCover;
                CREATE INDEX callMonthCover ON call(startTime, agentId, score, holdCount, longestHoldSeconds, review, excludedReason, reviewerCounts);
                CREATE INDEX callAgentMonthCover ON call(agentId, startTime, score, excludedReason, reviewerCounts);
                CREATE INDEX callCountedById ON call(id, agentId, startTime, score, excludedReason, reviewerCounts);
                """)
        }
        registerReviewMigration(&migrator)
        return migrator
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
    func write<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    public func contains(contentHash: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM call WHERE contentHash = ?)", arguments: [contentHash]) ?? false
        }
    }

    public func save(_ call: StoredCall) throws {
        let json = try String(decoding: JSONEncoder().encode(call.report), as: UTF8.self)
        let evidence = try call.score.rules.map { try String(decoding: JSONEncoder().encode($0.evidence), as: UTF8.self) }
        let holds = call.report.segments.filter { $0.kind == .hold }
        try pool.write { db in
            // A recording rewritten since it was stored (a recorder that finished the file, a fix)
            // replaces its earlier result: one path, one call. Reviewers' verdicts and agents'
            // disputes on the old recording go with it; the audit trail says so.
            for old in try Row.fetchAll(db, sql: """
                SELECT c.id, (SELECT count(*) FROM verdict v WHERE v.callId = c.id) AS verdicts,
                       (SELECT count(*) FROM dispute d WHERE d.callId = c.id) AS disputes
                FROM call c WHERE c.path = ? AND c.contentHash != ?
                """, arguments: [call.path, call.contentHash]) where (old["verdicts"] as Int) + (old["disputes"] as Int) > 0 {
                try db.execute(sql: "INSERT INTO audit (at, user, action, callId, detail) VALUES (?, 'score', 'replaced', ?, ?)",
                               arguments: [Self.now(), old["id"] as Int64,
                                           "recording rewritten: \(old["verdicts"] as Int) verdicts and \(old["disputes"] as Int) disputes on the earlier version dropped"])
            }
            try db.execute(sql: "DELETE FROM ruleResult WHERE callId IN (SELECT id FROM call WHERE path = ? AND contentHash != ?)",
                           arguments: [call.path, call.contentHash])
            try db.execute(sql: "DELETE FROM call WHERE path = ? AND contentHash != ?", arguments: [call.path, call.contentHash])
            try db.execute(sql: """
                INSERT INTO call (contentHash, path, agentId, callId, startTime, durationSeconds, score, review,
                                  agentCharsPerMinute, holdCount, longestHoldSeconds, rubric, report, scoredAt, excludedReason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(contentHash) DO NOTHING
                """, arguments: [
                    call.contentHash, call.path, call.agentId, call.report.metadata?.callId, call.startTime,
                    call.report.durationSeconds, call.score.score, call.score.review,
                    call.report.parties.agent?.speechRateCharsPerMinute, holds.count,
                    holds.map { $0.endSeconds - $0.startSeconds }.max() ?? 0, call.rubric, json, Self.now(),
                    call.score.excludedBecause,
                ])
            guard db.changesCount > 0 else { return }  // stored by an earlier run
            let id = db.lastInsertedRowID
            for (result, evidenceJSON) in zip(call.score.rules, evidence) {
                try db.execute(sql: "INSERT INTO ruleResult (callId, rule, outcome, reason, evidence, badness) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, result.rule, result.outcome.rawValue, result.reason, evidenceJSON, result.badness])
            }
            try db.execute(sql: "DELETE FROM failure WHERE path = ?", arguments: [call.path])
        }
    }

    public func saveFailure(path: String, contentHash: String?, reason: String) throws {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO failure (path, contentHash, reason, at) VALUES (?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET contentHash = excluded.contentHash, reason = excluded.reason, at = excluded.at
                """, arguments: [path, contentHash, reason, Self.now()])
        }
    }

    public func clearFailure(path: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM failure WHERE path = ?", arguments: [path]) }
    }

    public func failures() throws -> [StoredFailure] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT path, reason, at FROM failure ORDER BY path").map {
                StoredFailure(path: $0["path"], reason: $0["reason"], at: $0["at"])
            }
        }
    }

    public func calls(startingWith prefix: String, agentId: String?) throws -> [CallSummary] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.summaryColumns)
                FROM call WHERE (? = '' OR startTime LIKE ? || '%') AND (? IS NULL OR agentId = ?)
                ORDER BY startTime, path
                """, arguments: [prefix, prefix, agentId, agentId]).map(Self.summary)
        }
    }

    static func summary(_ row: Row) -> CallSummary {
        CallSummary(id: row["id"], path: row["path"], agentId: row["agentId"], startTime: row["startTime"],
                    durationSeconds: row["durationSeconds"], score: row["score"], agentCharsPerMinute: row["agentCharsPerMinute"],
                    holdCount: row["holdCount"], longestHoldSeconds: row["longestHoldSeconds"], review: row["review"],
                    notCountedBecause: row["notCounted"])
    }

    static func ruleRow(_ row: Row) throws -> RuleRow {
        let evidence = try JSONDecoder().decode([RuleResult.Evidence].self, from: Data((row["evidence"] as String).utf8))
        return RuleRow(
            callId: row["id"], path: row["path"], agentId: row["agentId"], startTime: row["startTime"], score: row["score"],
            result: RuleResult(rule: row["rule"], outcome: RuleResult.Outcome(rawValue: row["outcome"]) ?? .notApplicable,
                               reason: row["reason"], evidence: evidence, badness: row["badness"]))
    }

    public func ruleResults(rule: String, agentId: String?) throws -> [RuleRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.path, c.agentId, c.startTime, c.score, r.rule, r.outcome, r.reason, r.evidence, r.badness
                FROM ruleResult r JOIN call c ON c.id = r.callId
                WHERE r.rule = ? AND (? IS NULL OR c.agentId = ?) AND \(Self.counts("c"))
                """, arguments: [rule, agentId, agentId]).map(Self.ruleRow)
        }
    }

    public func ruleResults(startingWith prefix: String, agentId: String?) throws -> [RuleRow] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.path, c.agentId, c.startTime, c.score, r.rule, r.outcome, r.reason, r.evidence, r.badness
                FROM ruleResult r JOIN call c ON c.id = r.callId
                WHERE (? = '' OR c.startTime LIKE ? || '%') AND (? IS NULL OR c.agentId = ?) AND \(Self.counts("c"))
                """, arguments: [prefix, prefix, agentId, agentId]).map(Self.ruleRow)
        }
    }

    public func report(callId: Int64) throws -> (path: String, report: CallReport)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT path, report FROM call WHERE id = ?", arguments: [callId]) else { return nil }
            let report = try JSONDecoder().decode(CallReport.self, from: Data((row["report"] as String).utf8))
            return (row["path"], report)
        }
    }


    /// Whether a call counts in scorecards, examples and KPI bands: the reviewer's word, else
    /// whether scoring found a reason to leave it out. `table` is the alias the query gives `call`.
    static func counts(_ table: String = "call") -> String {
        "COALESCE(\(table).reviewerCounts, \(table).excludedReason IS NULL) = 1"
    }

    /// The summary columns, with the reason a call is not counted.
    static let summaryColumns = """
        id, path, agentId, startTime, durationSeconds, score, agentCharsPerMinute, holdCount, longestHoldSeconds, review,
        CASE WHEN \(counts()) THEN NULL ELSE COALESCE(excludedReason, 'left out by a reviewer') END AS notCounted
        """

    /// SQLite's quick integrity check: empty when the file is sound, else what it found.
    public func integrityProblems() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" } }
    }

    public func count() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call") ?? 0 }
    }
}
