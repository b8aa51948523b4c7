public import CallScoring
import CallAnalysis
import Foundation
import GRDB

/// Work on the stored calls as a whole: a new rubric over every report, retention, a moved
/// archive, and a reviewer's word on whether a call counts.
extension SQLiteCallStore {
    public func rescore(_ scorer: Scorer, rubric: String) throws -> Int {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, report FROM call") }
        var count = 0
        for row in rows {
            let id: Int64 = row["id"]
            let report = try JSONDecoder().decode(CallReport.self, from: Data((row["report"] as String).utf8))
            let score = scorer.score(report)
            let evidence = try score.rules.map { try String(decoding: JSONEncoder().encode($0.evidence), as: UTF8.self) }
            try write { db in
                try db.execute(sql: "UPDATE call SET score = ?, review = ?, rubric = ?, scoredAt = ?, excludedReason = ? WHERE id = ?",
                               arguments: [score.score, score.review, rubric, Self.now(), score.excludedBecause, id])
                try db.execute(sql: "DELETE FROM ruleResult WHERE callId = ?", arguments: [id])
                for (result, evidenceJSON) in zip(score.rules, evidence) {
                    try db.execute(sql: "INSERT INTO ruleResult (callId, rule, outcome, reason, evidence, badness) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [id, result.rule, result.outcome.rawValue, result.reason, evidenceJSON, result.badness])
                }
                // Reviewers' verdicts outlive a new rubric: they replace the new automatic ones too.
                try Self.applyVerdicts(db, callId: id, scorer: scorer)
            }
            count += 1
        }
        return count
    }

    public func purge(startedBefore day: String) throws -> Int {
        try write { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "DELETE FROM ruleResult WHERE callId IN (SELECT id FROM call WHERE startTime < ?)", arguments: [day])
            try db.execute(sql: "DELETE FROM call WHERE startTime < ?", arguments: [day])
            return db.changesCount
        }
    }

    /// Moves an archive: every stored path under `old` (a folder) now starts with `new` instead.
    public func relocate(from old: String, to new: String) throws -> Int {
        let from = old.hasSuffix("/") ? old : old + "/", to = new.hasSuffix("/") ? new : new + "/"
        return try write { db in
            // SQLite measures the prefix itself: substr counts characters, not bytes (/srv/März/).
            try db.execute(sql: "UPDATE call SET path = ? || substr(path, length(?) + 1) WHERE substr(path, 1, length(?)) = ?",
                           arguments: [to, from, from, from])
            let moved = db.changesCount
            try db.execute(sql: "UPDATE OR REPLACE failure SET path = ? || substr(path, length(?) + 1) WHERE substr(path, 1, length(?)) = ?",
                           arguments: [to, from, from, from])
            return moved
        }
    }

    public func setCounted(callId: Int64, _ counted: Bool?) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE call SET reviewerCounts = ? WHERE id = ?", arguments: [counted, callId])
            return db.changesCount > 0
        }
    }
}
