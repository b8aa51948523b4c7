import Foundation

/// Finding calls: every filter a QA lead combines (agent, days, score, a rule's outcome, routed for
/// review), one indexed query, newest first.
public struct CallFilter: Sendable, Equatable {
    public var agentIds: [String]?
    /// Inclusive days, "yyyy-MM-dd".
    public var fromDay: String?
    public var toDay: String?
    public var minimumScore: Double?
    public var maximumScore: Double?
    public var rule: String?
    /// pass, flag, fail or notApplicable; with `rule`, that rule's outcome, else any rule's.
    public var outcome: String?
    public var forReview: Bool = false
    /// Routed for review and no reviewer has given a verdict on it yet (the review queue).
    public var awaitingReview: Bool = false
    /// Calls with a dispute (answered or not).
    public var disputed: Bool = false
    public enum Order: String, Sendable, CaseIterable { case newest, oldest, scoreLow, scoreHigh }
    public var order: Order = .newest
    /// Calls that are not counted (incomplete, no speech) are listed too when asked.
    public var includeNotCounted: Bool = true
    public var limit: Int = 1000
    public var offset: Int = 0
    public init() {}
}

extension SQLCallStore {
    public func calls(matching f: CallFilter) throws -> [CallSummary] {
        var conditions: [String] = [], arguments: [any SQLBindable] = []
        if let ids = f.agentIds {
            // No agents (an empty team) matches no call; `IN ()` is not SQL PostgreSQL accepts.
            conditions.append(ids.isEmpty ? "1 = 0" : "agentId IN (\(ids.map { _ in "?" }.joined(separator: ",")))"); arguments += ids
        }
        if let from = f.fromDay { conditions.append("startTime >= ?"); arguments.append(from) }
        if let to = f.toDay { conditions.append("startTime < ?"); arguments.append(to + "~") }
        if let low = f.minimumScore { conditions.append("score >= ?"); arguments.append(low) }
        if let high = f.maximumScore { conditions.append("score <= ?"); arguments.append(high) }
        if f.forReview { conditions.append("review = 1") }
        if f.awaitingReview { conditions.append("review = 1 AND reviewedBy IS NULL") }
        if f.disputed { conditions.append("EXISTS (SELECT 1 FROM dispute d WHERE d.callId = call.id)") }
        if !f.includeNotCounted { conditions.append(Self.counts()) }
        if f.rule != nil || f.outcome != nil {
            var filter = "", values: [any SQLBindable] = []
            if let rule = f.rule { filter += " AND r.rule = ?"; values.append(rule) }
            if let outcome = f.outcome { filter += " AND r.outcome = ?"; values.append(outcome) }
            // A rare result (R7 failed) is found from the rule index; a common one (R3 passed) by
            // walking calls in order until a page is full: each plan is slow in the other case.
            // (Counting needs the rule: the index starts with it.)
            let matches = f.rule == nil ? Int.max : try read { db in
                try db.value("SELECT count(*) FROM ruleResult r WHERE 1 = 1\(filter)", values) ?? 0
            }
            if matches < 5_000 {
                conditions.append("id IN (SELECT r.callId FROM ruleResult r WHERE 1 = 1\(filter))")
            } else {
                conditions.append("EXISTS (SELECT 1 FROM ruleResult r WHERE r.callId = call.id\(filter))")
            }
            arguments += values
        }
        arguments += [f.limit, f.offset]
        return try read { db in
            try db.rows("""
                SELECT \(Self.summaryColumns) FROM call
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY \(Self.orderClause(f.order)) LIMIT ? OFFSET ?
                """, arguments).map(Self.summary)
        }
    }
}

extension SQLCallStore {
    static func orderClause(_ order: CallFilter.Order) -> String {
        switch order {
        // Calls without a start time sort as SQLite sorts them by default (NULL lowest), stated
        // so that PostgreSQL (NULL highest) lists them in the same place.
        case .newest: "startTime DESC NULLS LAST, id DESC"
        case .oldest: "startTime NULLS FIRST, id"
        case .scoreLow: "score, startTime DESC NULLS LAST, id DESC"
        case .scoreHigh: "score DESC, startTime DESC NULLS LAST, id DESC"
        }
    }

    /// Calls whose recording is this path, or has this file name in any folder (evaluation sheets
    /// name recordings by file name): more than one id means the name is ambiguous.
    public func callIds(named name: String) throws -> [Int64] {
        try read { db in
            try db.column("""
                SELECT id FROM call WHERE path = ? OR substr(path, length(path) - length(?)) = '/' || ? ORDER BY id
                """, [name, name, name])
        }
    }
}
