public import CallScoring
import CallAnalysis
import Foundation

/// Work on the stored calls as a whole: a new rubric over every report, retention, a moved
/// archive, and a reviewer's word on whether a call counts.
extension SQLCallStore {
    public func rescore(_ scorer: Scorer, rubric: String) throws -> Int {
        let ids: [Int64] = try read { db in try db.column("SELECT id FROM call ORDER BY id") }
        var count = 0
        // A call at a time: a store of years of calls is never read into memory at once.
        for id in ids {
            guard let json: String = try read({ db in try db.value("SELECT report FROM call WHERE id = ?", [id]) }) else { continue }
            let report = try JSONDecoder().decode(CallReport.self, from: Data(json.utf8))
            let score = scorer.score(report)
            let evidence = try score.rules.map { try String(decoding: JSONEncoder().encode($0.evidence), as: UTF8.self) }
            try write { db in
                try db.execute("UPDATE call SET score = ?, review = ?, rubric = ?, scoredAt = ?, excludedReason = ? WHERE id = ?",
                               [score.score, score.review, rubric, Self.now(), score.excludedBecause, id])
                try db.execute("DELETE FROM ruleResult WHERE callId = ?", [id])
                try Self.insertRules(db, callId: id, score.rules, evidence: evidence)
                // Reviewers' verdicts outlive a new rubric: they replace the new automatic ones too.
                try Self.applyVerdicts(db, callId: id, scorer: scorer)
            }
            count += 1
        }
        return count
    }

    public func purge(startedBefore day: String) throws -> Int {
        try write { db in
            try db.execute("DELETE FROM ruleResult WHERE callId IN (SELECT id FROM call WHERE startTime < ?)", [day])
            return try db.execute("DELETE FROM call WHERE startTime < ?", [day])
        }
    }

    /// Moves an archive: every stored path under `old` (a folder) now starts with `new` instead.
    public func relocate(from old: String, to new: String) throws -> Int {
        let from = old.hasSuffix("/") ? old : old + "/", to = new.hasSuffix("/") ? new : new + "/"
        return try write { db in
            // The database measures the prefix itself: substr counts characters, not bytes (/srv/März/).
            let moved = try db.execute("UPDATE call SET path = ? || substr(path, length(?) + 1) WHERE substr(path, 1, length(?)) = ?",
                                       [to, from, from, from])
            // A failure already recorded at the new place is replaced by the moved one.
            try db.execute("""
                DELETE FROM failure WHERE path IN (SELECT ? || substr(path, length(?) + 1) FROM failure WHERE substr(path, 1, length(?)) = ?)
                """, [to, from, from, from])
            try db.execute("UPDATE failure SET path = ? || substr(path, length(?) + 1) WHERE substr(path, 1, length(?)) = ?",
                           [to, from, from, from])
            return moved
        }
    }

    public func setCounted(callId: Int64, _ counted: Bool?) throws -> Bool {
        try write { db in try db.execute("UPDATE call SET reviewerCounts = ? WHERE id = ?", [counted, callId]) > 0 }
    }
}
