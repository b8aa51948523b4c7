public import CallAnalysis
public import CallScoring
public import Foundation
import GRDB

/// A person who may use the web UI. Agents see only their own calls (`agentId`).
public struct User: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable { case manager, qa, trainer, agent }
    public var name: String
    public var role: Role
    public var agentId: String?
    public var passwordHash: String
    public init(name: String, role: Role, agentId: String?, passwordHash: String) {
        self.name = name; self.role = role; self.agentId = agentId; self.passwordHash = passwordHash
    }
}

public struct Session: Sendable, Equatable {
    public var token: String
    public var user: String
    public var csrfToken: String
    public var expires: Date
    public init(token: String, user: String, csrfToken: String, expires: Date) {
        self.token = token; self.user = user; self.csrfToken = csrfToken; self.expires = expires
    }
}

/// Months as the store keys them: "yyyy-MM", a prefix of the calls' start times.
public enum Month {
    /// "2026-11" → "2026-10"; nil when `month` is not "yyyy-MM".
    public static func previous(_ month: String) -> String? {
        guard let month = valid(month) else { return nil }
        let parts = month.split(separator: "-").compactMap { Int($0) }
        let (y, m) = parts[1] == 1 ? (parts[0] - 1, 12) : (parts[0], parts[1] - 1)
        return String(format: "%04d-%02d", y, m)
    }

    public static func valid(_ month: String) -> String? {
        let ok = month.count == 7 && month.enumerated().allSatisfy { i, c in i == 4 ? c == "-" : c.isASCII && c.isNumber }
        guard ok, let m = Int(month.suffix(2)), (1...12).contains(m) else { return nil }
        return month
    }

    public static func current(_ now: Date = Date()) -> String { String(ISO8601DateFormatter().string(from: now).prefix(7)) }
}

/// Per-agent figures of one month, aggregated in SQL (fast on 100k calls).
public struct AgentMonth: Sendable, Equatable {
    public var agentId: String
    public var calls: Int
    public var meanScore: Double
    public var holds: Int
    public var longestHoldSeconds: Double
    public var review: Int
    public var previousMeanScore: Double?
    /// Daily mean scores, for the sparkline.
    public var daily: [(day: String, mean: Double)]
    public static func == (a: AgentMonth, b: AgentMonth) -> Bool { a.agentId == b.agentId && a.calls == b.calls && a.meanScore == b.meanScore }
}

public struct RulePassRate: Sendable, Equatable {
    public var rule: String
    public var passed: Int
    public var applicable: Int
}

/// Who did what with which recording: R15's audit trail.
public struct AuditEntry: Sendable, Equatable {
    public var at: String
    public var user: String
    public var action: String
    public var callId: Int64?
    public var detail: String
}

extension SQLiteCallStore {
    static func registerAccessMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2: users, sessions, audit") { db in
            try db.execute(sql: """
                CREATE TABLE user (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    agentId TEXT,
                    passwordHash TEXT NOT NULL,
                    createdAt TEXT NOT NULL);
                CREATE TABLE session (
                    token TEXT PRIMARY KEY,
                    user TEXT NOT NULL REFERENCES user(name) ON DELETE CASCADE,
                    csrfToken TEXT NOT NULL,
                    expires REAL NOT NULL);
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    user TEXT NOT NULL,
                    action TEXT NOT NULL,
                    callId INTEGER,
                    detail TEXT NOT NULL);
                CREATE INDEX callByAgentScore ON call(agentId, score);
                """)
        }
        migrator.registerMigration("v3: covering indexes for the pages") { db in
            // Scorecards aggregate a month of calls: these indexes carry every column they read,
            // so a month of 100k calls is summed without touching the rows (and their reports).
            try db.execute(sql: """
                CREATE INDEX callMonthCover ON call(startTime, agentId, score, holdCount, longestHoldSeconds, review);
                CREATE INDEX callAgentMonthCover ON call(agentId, startTime, score);
                CREATE INDEX ruleResultByRuleCover ON ruleResult(rule, outcome, badness, callId);
                """)
        }
    }

    // MARK: users and sessions

    public func saveUser(_ user: User) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO user (name, role, agentId, passwordHash, createdAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET role = excluded.role, agentId = excluded.agentId, passwordHash = excluded.passwordHash
                """, arguments: [user.name, user.role.rawValue, user.agentId, user.passwordHash, Self.now()])
        }
    }

    public func user(named name: String) throws -> User? {
        try read { db in
            // A disabled account is no account: it cannot sign in, and its sessions are refused.
            try Row.fetchOne(db, sql: "SELECT name, role, agentId, passwordHash FROM user WHERE name = ? AND disabled = 0", arguments: [name]).map {
                User(name: $0["name"], role: User.Role(rawValue: $0["role"]) ?? .agent, agentId: $0["agentId"], passwordHash: $0["passwordHash"])
            }
        }
    }

    public func saveSession(_ s: Session) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires < ?", arguments: [Date().timeIntervalSince1970])
            // Only the token's hash is stored: a copy of the database opens no session.
            try db.execute(sql: "INSERT INTO session (token, user, csrfToken, expires) VALUES (?, ?, ?, ?)",
                           arguments: [SHA256.hex(s.token), s.user, s.csrfToken, s.expires.timeIntervalSince1970])
        }
    }

    public func session(token: String) throws -> Session? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT user, csrfToken, expires FROM session WHERE token = ? AND expires > ?",
                             arguments: [SHA256.hex(token), Date().timeIntervalSince1970]).map {
                Session(token: token, user: $0["user"], csrfToken: $0["csrfToken"], expires: Date(timeIntervalSince1970: $0["expires"]))
            }
        }
    }

    public func deleteSession(token: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM session WHERE token = ?", arguments: [SHA256.hex(token)]) }
    }

    public func audit(user: String, action: String, callId: Int64?, detail: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO audit (at, user, action, callId, detail) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Self.now(), user, action, callId, detail])
        }
    }

    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, user, action, callId, detail FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                AuditEntry(at: $0["at"], user: $0["user"], action: $0["action"], callId: $0["callId"], detail: $0["detail"])
            }
        }
    }

    // MARK: page queries (aggregated in SQL)

    /// Every agent's month (or one agent's when `agentId` is given).
    public func agentMonths(month: String, previous: String?, agentId: String?) throws -> [AgentMonth] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT agentId, COUNT(*) AS calls, AVG(score) AS mean, SUM(holdCount) AS holds,
                       MAX(longestHoldSeconds) AS longest, SUM(review) AS review
                FROM call WHERE startTime >= ? AND startTime < ? \(agentId == nil ? "" : "AND agentId = ?") AND \(Self.counts())
                GROUP BY agentId ORDER BY mean DESC
                """, arguments: StatementArguments([month, month + "~"] + (agentId.map { [$0] } ?? [])))
            var previousMeans: [String: Double] = [:]
            if let previous {
                for r in try Row.fetchAll(db, sql: "SELECT agentId, AVG(score) AS mean FROM call WHERE startTime >= ? AND startTime < ? AND \(Self.counts()) GROUP BY agentId",
                                          arguments: [previous, previous + "~"]) {
                    previousMeans[(r["agentId"] as String?) ?? "unknown"] = ScoreAggregate.tenth(r["mean"])
                }
            }
            var daily: [String: [(String, Double)]] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT agentId, substr(startTime, 1, 10) AS day, AVG(score) AS mean FROM call
                WHERE startTime >= ? AND startTime < ? \(agentId == nil ? "" : "AND agentId = ?") AND \(Self.counts())
                GROUP BY agentId, day ORDER BY day
                """, arguments: StatementArguments([month, month + "~"] + (agentId.map { [$0] } ?? []))) {
                daily[(r["agentId"] as String?) ?? "unknown", default: []].append((r["day"], ScoreAggregate.tenth(r["mean"])))
            }
            return rows.map { r in
                let agent = (r["agentId"] as String?) ?? "unknown"
                return AgentMonth(agentId: agent, calls: r["calls"], meanScore: ScoreAggregate.tenth(r["mean"]), holds: r["holds"],
                                  longestHoldSeconds: r["longest"], review: r["review"], previousMeanScore: previousMeans[agent],
                                  daily: (daily[agent] ?? []).map { (day: $0.0, mean: $0.1) })
            }
        }
    }

    /// One agent's mean score per month, oldest first.
    public func monthlyTrend(agentId: String) throws -> [(month: String, calls: Int, mean: Double)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT substr(startTime, 1, 7) AS month, COUNT(*) AS calls, AVG(score) AS mean FROM call
                WHERE agentId = ? AND startTime IS NOT NULL AND \(Self.counts()) GROUP BY month ORDER BY month
                """, arguments: [agentId]).map { (month: $0["month"], calls: $0["calls"], mean: ScoreAggregate.tenth($0["mean"])) }
        }
    }

    public func passRates(agentId: String?, month: String?) throws -> [RulePassRate] {
        var conditions: [String] = [Self.counts("c")], arguments: [String] = []
        if let agentId { conditions.append("c.agentId = ?"); arguments.append(agentId) }
        if let month { conditions.append("c.startTime >= ? AND c.startTime < ?"); arguments += [month, month + "~"] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.rule, SUM(r.outcome = 'pass') AS passed, SUM(r.outcome != 'notApplicable') AS applicable
                FROM call c JOIN ruleResult r ON r.callId = c.id
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                GROUP BY r.rule
                """, arguments: StatementArguments(arguments)).map {
                RulePassRate(rule: $0["rule"], passed: $0["passed"], applicable: $0["applicable"])
            }
            .sorted { Int($0.rule.dropFirst()) ?? 0 < Int($1.rule.dropFirst()) ?? 0 }
        }
    }

    /// Calls by score: the worst (`ascending`) or best, optionally one agent's.
    public func callsByScore(agentId: String?, ascending: Bool, limit: Int) throws -> [CallSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.summaryColumns)
                FROM call WHERE \(Self.counts()) \(agentId == nil ? "" : "AND agentId = ?") ORDER BY score \(ascending ? "ASC" : "DESC") LIMIT ?
                """, arguments: StatementArguments((agentId.map { [$0] as [any DatabaseValueConvertible] } ?? []) + [limit])).map(Self.summary)
        }
    }

    /// One call's row, by id; nil for an id the database does not know.
    public func call(id: Int64) throws -> (summary: CallSummary, report: CallReport, rules: [RuleResult])? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(Self.summaryColumns), report
                FROM call WHERE id = ?
                """, arguments: [id]) else { return nil }
            let report = try JSONDecoder().decode(CallReport.self, from: Data((row["report"] as String).utf8))
            return (Self.summary(row), report, try Self.rules(of: id, db))
        }
    }

    /// One call's automatic verdicts, in rule order, without decoding its report; nil for an
    /// id the database does not know.
    public func rules(ofCall id: Int64) throws -> [RuleResult]? {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM call WHERE id = ?)", arguments: [id]) == true else { return nil }
            return try Self.rules(of: id, db)
        }
    }

    static func rules(of id: Int64, _ db: Database) throws -> [RuleResult] {
        try Row.fetchAll(db, sql: """
            SELECT c.id, c.path, c.agentId, c.startTime, c.score, r.rule, r.outcome, r.reason, r.evidence, r.badness
            FROM ruleResult r JOIN call c ON c.id = r.callId WHERE r.callId = ?
            """, arguments: [id]).map { try Self.ruleRow($0).result }
            .sorted { Int($0.rule.dropFirst()) ?? 0 < Int($1.rule.dropFirst()) ?? 0 }
    }

    /// The example library: rule results ranked worst or best first, filtered. One indexed query
    /// per outcome (fail, flag, pass, in that order for the worst; the reverse for the best).
    public func examples(rule: String, worst: Bool, agentId: String?, day: String?, limit: Int) throws -> [RuleRow] {
        var out: [RuleRow] = []
        for outcome in worst ? ["fail", "flag", "pass"] : ["pass", "flag", "fail"] where out.count < limit {
            var conditions = ["r.rule = ?", "r.outcome = ?", Self.counts("c")]
            var arguments: [any DatabaseValueConvertible] = [rule, outcome]
            if let agentId { conditions.append("c.agentId = ?"); arguments.append(agentId) }
            if let day { conditions.append("c.startTime >= ? AND c.startTime < ?"); arguments += [day, day + "~"] }
            arguments.append(limit - out.count)
            out += try read { db in
                try Row.fetchAll(db, sql: """
                    SELECT c.id, c.path, c.agentId, c.startTime, c.score, r.rule, r.outcome, r.reason, r.evidence, r.badness
                    FROM ruleResult r JOIN call c ON c.id = r.callId
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY r.badness \(worst ? "DESC" : "ASC") LIMIT ?
                    """, arguments: StatementArguments(arguments)).map(Self.ruleRow)
            }
        }
        return out
    }
}
