public import CallAnalysis
import CallScoring
import Foundation

/// `CallStore` in SQL, written once for SQLite (one file, one machine) and PostgreSQL (a server
/// shared by sharded workers and web servers): see `SQLDatabase` for the SQL both understand.
public final class SQLCallStore: CallStore, Sendable {
    let database: any SQLDatabase

    init(database: any SQLDatabase) { self.database = database }

    /// Opens (creating and migrating unless `readOnly`) the store at `location`.
    public static func open(_ location: StoreLocation, readOnly: Bool = false) throws -> SQLCallStore {
        switch location {
        case .sqlite(let path): SQLCallStore(database: try SQLiteDatabase(path: path, readOnly: readOnly))
        case .postgres(let server): SQLCallStore(database: try PostgresDatabase(location: server, readOnly: readOnly))
        }
    }

    public var displayName: String { database.displayName }

    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try database.read(body) }
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try database.write(body) }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    public func contains(contentHash: String) throws -> Bool {
        try read { db in try db.value("SELECT EXISTS(SELECT 1 FROM call WHERE contentHash = ?)", [contentHash]) ?? false }
    }

    public func save(_ call: StoredCall) throws {
        let json = try String(decoding: JSONEncoder().encode(call.report), as: UTF8.self)
        let evidence = try call.score.rules.map { try String(decoding: JSONEncoder().encode($0.evidence), as: UTF8.self) }
        let holds = call.report.segments.filter { $0.kind == .hold }
        try write { db in
            // A recording rewritten since it was stored (a recorder that finished the file, a fix)
            // replaces its earlier result: one path, one call. Reviewers' verdicts and agents'
            // disputes on the old recording go with it; the audit trail says so.
            let older = try db.rows("""
                SELECT c.id, (SELECT count(*) FROM verdict v WHERE v.callId = c.id) AS verdicts,
                       (SELECT count(*) FROM dispute d WHERE d.callId = c.id) AS disputes
                FROM call c WHERE c.path = ? AND c.contentHash != ?
                """, [call.path, call.contentHash])
            for old in older where (old["verdicts"] as Int) + (old["disputes"] as Int) > 0 {
                try db.execute("INSERT INTO audit (at, \"user\", action, callId, detail) VALUES (?, 'score', 'replaced', ?, ?)",
                               [Self.now(), old["id"] as Int64,
                                "recording rewritten: \(old["verdicts"] as Int) verdicts and \(old["disputes"] as Int) disputes on the earlier version dropped"])
            }
            if !older.isEmpty {
                try db.execute("DELETE FROM ruleResult WHERE callId IN (SELECT id FROM call WHERE path = ? AND contentHash != ?)",
                               [call.path, call.contentHash])
                try db.execute("DELETE FROM call WHERE path = ? AND contentHash != ?", [call.path, call.contentHash])
            }
            // Workers on one shared store may meet the same recording (copied into two folders):
            // the unique content hash stores it once, and the later insert changes nothing.
            guard let id: Int64 = try db.value("""
                INSERT INTO call (contentHash, path, agentId, callId, startTime, durationSeconds, score, review,
                                  agentCharsPerMinute, holdCount, longestHoldSeconds, rubric, report, scoredAt, excludedReason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(contentHash) DO NOTHING RETURNING id
                """, [
                    call.contentHash, call.path, call.agentId, call.report.metadata?.callId, call.startTime,
                    call.report.durationSeconds, call.score.score, call.score.review,
                    call.report.parties.agent?.speechRateCharsPerMinute, holds.count,
                    holds.map { $0.endSeconds - $0.startSeconds }.max() ?? 0, call.rubric, json, Self.now(),
                    call.score.excludedBecause,
                ]) else { return }  // stored by an earlier run
            try Self.insertRules(db, callId: id, call.score.rules, evidence: evidence)
            try db.execute("DELETE FROM failure WHERE path = ?", [call.path])
        }
    }

    /// A call's rule results in one statement (one round trip to a server, not one per rule).
    static func insertRules(_ db: any SQLConnection, callId: Int64, _ rules: [RuleResult], evidence: [String]) throws {
        guard !rules.isEmpty else { return }
        var arguments: [any SQLBindable] = []
        for (result, evidenceJSON) in zip(rules, evidence) {
            arguments += [callId, result.rule, result.outcome.rawValue, result.reason, evidenceJSON, result.badness]
        }
        try db.execute("INSERT INTO ruleResult (callId, rule, outcome, reason, evidence, badness) VALUES "
                       + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: min(rules.count, evidence.count)).joined(separator: ", "), arguments)
    }

    public func saveFailure(path: String, contentHash: String?, reason: String) throws {
        try write { db in
            try db.execute("""
                INSERT INTO failure (path, contentHash, reason, at) VALUES (?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET contentHash = excluded.contentHash, reason = excluded.reason, at = excluded.at
                """, [path, contentHash, reason, Self.now()])
        }
    }

    public func clearFailure(path: String) throws {
        try write { db in try db.execute("DELETE FROM failure WHERE path = ?", [path]) }
    }

    public func failures() throws -> [StoredFailure] {
        try read { db in
            try db.rows("SELECT path, reason, at FROM failure ORDER BY path").map {
                StoredFailure(path: $0["path"], reason: $0["reason"], at: $0["at"])
            }
        }
    }

    public func calls(startingWith prefix: String, agentId: String?) throws -> [CallSummary] {
        try read { db in
            try db.rows("""
                SELECT \(Self.summaryColumns)
                FROM call WHERE (? = '' OR startTime LIKE ? || '%') AND (CAST(? AS TEXT) IS NULL OR agentId = ?)
                ORDER BY startTime NULLS FIRST, path
                """, [prefix, prefix, agentId, agentId]).map(Self.summary)
        }
    }

    static func summary(_ row: SQLRow) -> CallSummary {
        CallSummary(id: row["id"], path: row["path"], agentId: row["agentId"], startTime: row["startTime"],
                    durationSeconds: row["durationSeconds"], score: row["score"], agentCharsPerMinute: row["agentCharsPerMinute"],
                    holdCount: row["holdCount"], longestHoldSeconds: row["longestHoldSeconds"], review: row["review"],
                    notCountedBecause: row["notCounted"])
    }

    static func ruleRow(_ row: SQLRow) throws -> RuleRow {
        let evidence = try JSONDecoder().decode([RuleResult.Evidence].self, from: Data((row["evidence"] as String).utf8))
        return RuleRow(
            callId: row["id"], path: row["path"], agentId: row["agentId"], startTime: row["startTime"], score: row["score"],
            result: RuleResult(rule: row["rule"], outcome: RuleResult.Outcome(rawValue: row["outcome"]) ?? .notApplicable,
                               reason: row["reason"], evidence: evidence, badness: row["badness"]))
    }

    static let ruleRowColumns = "c.id, c.path, c.agentId, c.startTime, c.score, r.rule, r.outcome, r.reason, r.evidence, r.badness"

    public func ruleResults(rule: String, agentId: String?) throws -> [RuleRow] {
        try read { db in
            try db.rows("""
                SELECT \(Self.ruleRowColumns)
                FROM ruleResult r JOIN call c ON c.id = r.callId
                WHERE r.rule = ? AND (CAST(? AS TEXT) IS NULL OR c.agentId = ?) AND \(Self.counts("c"))
                ORDER BY c.id
                """, [rule, agentId, agentId]).map(Self.ruleRow)
        }
    }

    public func ruleResults(startingWith prefix: String, agentId: String?) throws -> [RuleRow] {
        try read { db in
            try db.rows("""
                SELECT \(Self.ruleRowColumns)
                FROM ruleResult r JOIN call c ON c.id = r.callId
                WHERE (? = '' OR c.startTime LIKE ? || '%') AND (CAST(? AS TEXT) IS NULL OR c.agentId = ?) AND \(Self.counts("c"))
                ORDER BY c.id, r.rule
                """, [prefix, prefix, agentId, agentId]).map(Self.ruleRow)
        }
    }

    public func report(callId: Int64) throws -> (path: String, report: CallReport)? {
        try read { db in
            guard let row = try db.row("SELECT path, report FROM call WHERE id = ?", [callId]) else { return nil }
            let report = try JSONDecoder().decode(CallReport.self, from: Data((row["report"] as String).utf8))
            return (row["path"], report)
        }
    }

    /// Whether a call counts in scorecards, examples and KPI bands: the reviewer's word, else
    /// whether scoring found a reason to leave it out. `table` is the alias the query gives `call`.
    static func counts(_ table: String = "call") -> String {
        "COALESCE(\(table).reviewerCounts, CASE WHEN \(table).excludedReason IS NULL THEN 1 ELSE 0 END) = 1"
    }

    /// The summary columns, with the reason a call is not counted.
    static let summaryColumns = """
        id, path, agentId, startTime, durationSeconds, score, agentCharsPerMinute, holdCount, longestHoldSeconds, review,
        CASE WHEN \(counts()) THEN NULL ELSE COALESCE(excludedReason, 'left out by a reviewer') END AS notCounted
        """

    /// Problems the database finds in its own structure (SQLite's quick check); empty when sound.
    public func integrityProblems() throws -> [String] { try database.integrityProblems() }

    public func ping() throws {
        _ = try read { db in try db.rows("SELECT id FROM call LIMIT 1") }
    }

    public func count() throws -> Int {
        try read { db in try db.value("SELECT COUNT(*) FROM call") ?? 0 }
    }
}
