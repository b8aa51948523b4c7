public import CallScoring
import Foundation

/// A reviewer's verdict on one rule of one call: it replaces the automatic outcome in the call's
/// score, and the automatic one is kept beside it.
public struct Verdict: Sendable, Equatable {
    public var callId: Int64
    public var rule: String
    public var outcome: RuleResult.Outcome
    public var comment: String
    public var reviewer: String
    public var at: String
}

/// An agent's objection to a verdict on their own call, and QA's answer.
public struct Dispute: Sendable, Equatable {
    public var id: Int64
    public var callId: Int64
    public var rule: String
    public var text: String
    public var by: String
    public var at: String
    public var answer: String?
    public var answeredBy: String?
}

/// An agent as the centre names them: display name, team and the team's lead.
public struct AgentRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var team: String
    public var teamLead: String
    public init(id: String, name: String, team: String, teamLead: String) { self.id = id; self.name = name; self.team = team; self.teamLead = teamLead }
}

extension SQLCallStore {
    // MARK: Verdicts

    /// Records a reviewer's verdict and rescores the call with it.
    public func setVerdict(callId: Int64, rule: String, outcome: RuleResult.Outcome, comment: String, reviewer: String, scorer: Scorer) throws -> Bool {
        try write { db in
            guard try db.value("SELECT EXISTS(SELECT 1 FROM ruleResult WHERE callId = ? AND rule = ?)", [callId, rule]) as Bool? == true else { return false }
            try db.execute("""
                INSERT INTO verdict (callId, rule, outcome, comment, reviewer, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(callId, rule) DO UPDATE SET outcome = excluded.outcome, comment = excluded.comment,
                    reviewer = excluded.reviewer, at = excluded.at
                """, [callId, rule, outcome.rawValue, comment, reviewer, Self.now()])
            // A reviewer has looked at the call: it leaves the review queue (it stays routed for review).
            try db.execute("UPDATE call SET reviewedBy = ? WHERE id = ?", [reviewer, callId])
            try Self.applyVerdicts(db, callId: callId, scorer: scorer)
            return true
        }
    }

    public func verdicts(callId: Int64) throws -> [Verdict] {
        try read { db in
            try db.rows("SELECT * FROM verdict WHERE callId = ?", [callId]).map {
                Verdict(callId: $0["callId"], rule: $0["rule"], outcome: RuleResult.Outcome(rawValue: $0["outcome"]) ?? .notApplicable,
                        comment: $0["comment"], reviewer: $0["reviewer"], at: $0["at"])
            }
        }
    }

    /// The call's score from its automatic verdicts with the reviewers' in their place.
    static func applyVerdicts(_ db: any SQLConnection, callId: Int64, scorer: Scorer) throws {
        let overrides = Dictionary(try db.rows("SELECT rule, outcome FROM verdict WHERE callId = ?", [callId])
            .map { ($0["rule"] as String, RuleResult.Outcome(rawValue: $0["outcome"]) ?? .notApplicable) }, uniquingKeysWith: { $1 })
        guard !overrides.isEmpty else { return }
        let rules = try db.rows("SELECT rule, outcome FROM ruleResult WHERE callId = ?", [callId]).map { row -> RuleResult in
            let rule: String = row["rule"]
            return RuleResult(rule: rule, outcome: overrides[rule] ?? RuleResult.Outcome(rawValue: row["outcome"]) ?? .notApplicable,
                              reason: "", evidence: [], badness: nil)
        }
        try db.execute("UPDATE call SET score = ? WHERE id = ?", [scorer.total(rules), callId])
    }

    /// The rubric a call was scored with ("default v1", "centre v3").
    public func rubricName(callId: Int64) throws -> String? {
        try read { db in try db.value("SELECT rubric FROM call WHERE id = ?", [callId]) }
    }

    /// The stored reason of one rule on one call (the review queue shows R13's), without decoding the report.
    public func ruleReason(callId: Int64, rule: String) throws -> String? {
        try read { db in try db.value("SELECT reason FROM ruleResult WHERE callId = ? AND rule = ?", [callId, rule]) }
    }

    // MARK: Disputes

    public func addDispute(callId: Int64, rule: String, text: String, by user: String) throws -> Int64 {
        try write { db in
            try db.value("INSERT INTO dispute (callId, rule, text, byUser, at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                         [callId, rule, text, user, Self.now()]) ?? 0
        }
    }

    public func answerDispute(id: Int64, callId: Int64, answer: String, by user: String) throws -> Bool {
        try write { db in
            try db.execute("UPDATE dispute SET answer = ?, answeredBy = ?, answeredAt = ? WHERE id = ? AND callId = ? AND answer IS NULL",
                           [answer, user, Self.now(), id, callId]) == 1
        }
    }

    /// A call's disputes, or with `callId` nil the open ones (unanswered), oldest first.
    public func disputes(callId: Int64?, limit: Int) throws -> [Dispute] {
        try read { db in
            let sql = callId == nil ? "SELECT * FROM dispute WHERE answer IS NULL ORDER BY at LIMIT ?" : "SELECT * FROM dispute WHERE callId = ? ORDER BY at LIMIT ?"
            let arguments: [any SQLBindable] = callId.map { [$0, limit] } ?? [limit]
            return try db.rows(sql, arguments).map {
                Dispute(id: $0["id"], callId: $0["callId"], rule: $0["rule"], text: $0["text"], by: $0["byUser"], at: $0["at"],
                        answer: $0["answer"], answeredBy: $0["answeredBy"])
            }
        }
    }

    /// Which of these calls have a dispute (answered or not): one query for a page of calls.
    public func disputedCallIds(among ids: [Int64]) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return try read { db in
            Set(try db.column("SELECT DISTINCT callId FROM dispute WHERE callId IN (\(ids.map { _ in "?" }.joined(separator: ",")))", ids))
        }
    }

    // MARK: Agents and teams

    /// Replaces the stored agent list (names, teams, leads); returns how many were stored.
    public func importAgents(_ agents: [AgentRecord]) throws -> Int {
        try write { db in
            try db.execute("DELETE FROM agent")
            for a in agents {
                try db.execute("INSERT INTO agent (id, name, team, teamLead) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, team = excluded.team, teamLead = excluded.teamLead", [a.id, a.name, a.team, a.teamLead])
            }
            return agents.count
        }
    }

    public func agentRecords() throws -> [AgentRecord] {
        try read { db in
            try db.rows("SELECT * FROM agent ORDER BY team, id").map {
                AgentRecord(id: $0["id"], name: $0["name"], team: $0["team"], teamLead: $0["teamLead"])
            }
        }
    }
}
