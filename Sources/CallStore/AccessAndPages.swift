public import CallAnalysis
public import CallScoring
public import Foundation

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

extension SQLCallStore {
    // MARK: users and sessions

    public func saveUser(_ user: User) throws {
        try write { db in
            try db.execute("""
                INSERT INTO "user" (name, role, agentId, passwordHash, createdAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET role = excluded.role, agentId = excluded.agentId, passwordHash = excluded.passwordHash
                """, [user.name, user.role.rawValue, user.agentId, user.passwordHash, Self.now()])
        }
    }

    public func user(named name: String) throws -> User? {
        try read { db in
            // A disabled account is no account: it cannot sign in, and its sessions are refused.
            try db.row("SELECT name, role, agentId, passwordHash FROM \"user\" WHERE name = ? AND disabled = 0", [name]).map {
                User(name: $0["name"], role: User.Role(rawValue: $0["role"]) ?? .agent, agentId: $0["agentId"], passwordHash: $0["passwordHash"])
            }
        }
    }

    public func saveSession(_ s: Session) throws {
        try write { db in
            try db.execute("DELETE FROM session WHERE expires < ?", [Date().timeIntervalSince1970])
            // Only the token's hash is stored: a copy of the database opens no session.
            try db.execute("INSERT INTO session (token, \"user\", csrfToken, expires) VALUES (?, ?, ?, ?)",
                           [SHA256.hex(s.token), s.user, s.csrfToken, s.expires.timeIntervalSince1970])
        }
    }

    public func session(token: String) throws -> Session? {
        try read { db in
            try db.row("SELECT \"user\", csrfToken, expires FROM session WHERE token = ? AND expires > ?",
                             [SHA256.hex(token), Date().timeIntervalSince1970]).map {
                Session(token: token, user: $0["user"], csrfToken: $0["csrfToken"], expires: Date(timeIntervalSince1970: $0["expires"]))
            }
        }
    }

    public func deleteSession(token: String) throws {
        try write { db in try db.execute("DELETE FROM session WHERE token = ?", [SHA256.hex(token)]) }
    }

    public func audit(user: String, action: String, callId: Int64?, detail: String) throws {
        try write { db in
            try db.execute("INSERT INTO audit (at, \"user\", action, callId, detail) VALUES (?, ?, ?, ?, ?)",
                           [Self.now(), user, action, callId, detail])
        }
    }

    public func auditLog(limit: Int) throws -> [AuditEntry] {
        try read { db in
            try db.rows("SELECT at, \"user\", action, callId, detail FROM audit ORDER BY id DESC LIMIT ?", [limit]).map {
                AuditEntry(at: $0["at"], user: $0["user"], action: $0["action"], callId: $0["callId"], detail: $0["detail"])
            }
        }
    }

    // MARK: page queries (aggregated in SQL)

    /// Every agent's month (or one agent's when `agentId` is given).
    public func agentMonths(month: String, previous: String?, agentId: String?) throws -> [AgentMonth] {
        try read { db in
            let rows = try db.rows("""
                SELECT agentId, COUNT(*) AS calls, AVG(score) AS mean, SUM(holdCount) AS holds,
                       MAX(longestHoldSeconds) AS longest, SUM(review) AS review
                FROM call WHERE startTime >= ? AND startTime < ? \(agentId == nil ? "" : "AND agentId = ?") AND \(Self.counts())
                GROUP BY agentId ORDER BY mean DESC, agentId NULLS FIRST
                """, ([month, month + "~"] + (agentId.map { [$0] } ?? [])))
            var previousMeans: [String: Double] = [:]
            if let previous {
                for r in try db.rows("SELECT agentId, AVG(score) AS mean FROM call WHERE startTime >= ? AND startTime < ? AND \(Self.counts()) GROUP BY agentId",
                                          [previous, previous + "~"]) {
                    previousMeans[(r["agentId"] as String?) ?? "unknown"] = ScoreAggregate.tenth(r["mean"])
                }
            }
            var daily: [String: [(String, Double)]] = [:]
            for r in try db.rows("""
                SELECT agentId, substr(startTime, 1, 10) AS day, AVG(score) AS mean FROM call
                WHERE startTime >= ? AND startTime < ? \(agentId == nil ? "" : "AND agentId = ?") AND \(Self.counts())
                GROUP BY agentId, day ORDER BY day
                """, ([month, month + "~"] + (agentId.map { [$0] } ?? []))) {
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
            try db.rows("""
                SELECT substr(startTime, 1, 7) AS month, COUNT(*) AS calls, AVG(score) AS mean FROM call
                WHERE agentId = ? AND startTime IS NOT NULL AND \(Self.counts()) GROUP BY month ORDER BY month
                """, [agentId]).map { (month: $0["month"], calls: $0["calls"], mean: ScoreAggregate.tenth($0["mean"])) }
        }
    }

    public func passRates(agentId: String?, month: String?) throws -> [RulePassRate] {
        var conditions: [String] = [Self.counts("c")], arguments: [String] = []
        if let agentId { conditions.append("c.agentId = ?"); arguments.append(agentId) }
        if let month { conditions.append("c.startTime >= ? AND c.startTime < ?"); arguments += [month, month + "~"] }
        return try read { db in
            try db.rows("""
                SELECT r.rule, SUM(CASE WHEN r.outcome = 'pass' THEN 1 ELSE 0 END) AS passed, SUM(CASE WHEN r.outcome != 'notApplicable' THEN 1 ELSE 0 END) AS applicable
                FROM call c JOIN ruleResult r ON r.callId = c.id
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                GROUP BY r.rule
                """, arguments).map {
                RulePassRate(rule: $0["rule"], passed: $0["passed"], applicable: $0["applicable"])
            }
            .sorted { Int($0.rule.dropFirst()) ?? 0 < Int($1.rule.dropFirst()) ?? 0 }
        }
    }

    /// Calls by score: the worst (`ascending`) or best, optionally one agent's.
    public func callsByScore(agentId: String?, ascending: Bool, limit: Int) throws -> [CallSummary] {
        try read { db in
            try db.rows("""
                SELECT \(Self.summaryColumns)
                FROM call WHERE \(Self.counts()) \(agentId == nil ? "" : "AND agentId = ?") ORDER BY \(ascending ? "score, startTime NULLS FIRST, id" : "score DESC, startTime DESC NULLS LAST, id DESC") LIMIT ?
                """, (agentId.map { [$0] as [any SQLBindable] } ?? []) + [limit]).map(Self.summary)
        }
    }

    /// One call's row, by id; nil for an id the database does not know.
    public func call(id: Int64) throws -> (summary: CallSummary, report: CallReport, rules: [RuleResult])? {
        try read { db in
            guard let row = try db.row("""
                SELECT \(Self.summaryColumns), report
                FROM call WHERE id = ?
                """, [id]) else { return nil }
            let report = try JSONDecoder().decode(CallReport.self, from: Data((row["report"] as String).utf8))
            return (Self.summary(row), report, try Self.rules(of: id, db))
        }
    }

    /// One call's automatic verdicts, in rule order, without decoding its report; nil for an
    /// id the database does not know.
    public func rules(ofCall id: Int64) throws -> [RuleResult]? {
        try read { db in
            guard try db.value("SELECT EXISTS(SELECT 1 FROM call WHERE id = ?)", [id]) as Bool? == true else { return nil }
            return try Self.rules(of: id, db)
        }
    }

    static func rules(of id: Int64, _ db: any SQLConnection) throws -> [RuleResult] {
        try db.rows("""
            SELECT \(Self.ruleRowColumns)
            FROM ruleResult r JOIN call c ON c.id = r.callId WHERE r.callId = ?
            """, [id]).map { try Self.ruleRow($0).result }
            .sorted { Int($0.rule.dropFirst()) ?? 0 < Int($1.rule.dropFirst()) ?? 0 }
    }

    /// The example library: rule results ranked worst or best first, filtered. One indexed query
    /// per outcome (fail, flag, pass, in that order for the worst; the reverse for the best).
    public func examples(rule: String, worst: Bool, agentId: String?, day: String?, limit: Int) throws -> [RuleRow] {
        var out: [RuleRow] = []
        for outcome in worst ? ["fail", "flag", "pass"] : ["pass", "flag", "fail"] where out.count < limit {
            var conditions = ["r.rule = ?", "r.outcome = ?", Self.counts("c")]
            var arguments: [any SQLBindable] = [rule, outcome]
            if let agentId { conditions.append("c.agentId = ?"); arguments.append(agentId) }
            if let day { conditions.append("c.startTime >= ? AND c.startTime < ?"); arguments += [day, day + "~"] }
            arguments.append(limit - out.count)
            out += try read { db in
                try db.rows("""
                    SELECT \(Self.ruleRowColumns)
                    FROM ruleResult r JOIN call c ON c.id = r.callId
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY \(worst ? "r.badness DESC NULLS LAST, r.callId DESC" : "r.badness NULLS FIRST, r.callId") LIMIT ?
                    """, arguments).map(Self.ruleRow)
            }
        }
        return out
    }
}
