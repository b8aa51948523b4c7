public import CallScoring
import Foundation

/// One row of a centre's evaluation sheet, as read (see CallInputs' HumanEvaluations).
public struct HumanVerdict: Sendable {
    public var line: Int
    public var call: String
    public var rule: String
    public var outcome: String
    public var score: Double?
    public init(line: Int, call: String, rule: String, outcome: String, score: Double?) {
        self.line = line; self.call = call; self.rule = rule; self.outcome = outcome; self.score = score
    }
}

/// Human evaluations set against the stored verdicts: per rule, for totals, and the rows that
/// could not be used (by line, with why).
public struct CalibrationReport: Codable, Sendable {
    public struct Skipped: Codable, Sendable { public var line: Int; public var reason: String }
    public struct Totals: Codable, Sendable { public var calls: Int; public var meanAbsoluteDifference: Double? }
    public var rules: [Calibration.RuleAgreement]
    public var totals: Totals
    public var skipped: [Skipped]
}

extension SQLCallStore {
    /// Pairs each usable row with the stored verdict on that call (named by file name or id) and rule.
    /// Totals are compared with the automatic score (`scorer` over the automatic verdicts), not
    /// one a reviewer's verdicts changed.
    public func calibrate(_ rows: [HumanVerdict], problems: [(line: Int, reason: String)], scorer: Scorer) throws -> CalibrationReport {
        var skipped = problems.map { CalibrationReport.Skipped(line: $0.line, reason: $0.reason) }
        var pairs: [Calibration.Pair] = []
        var totals: [Int64: (human: [Double], automatic: Double)] = [:]
        var found: [String: [Int64]] = [:]
        // A sheet has a row per rule: each call's verdicts are read once.
        var verdicts: [Int64: [RuleResult]] = [:]
        func rules(_ id: Int64) throws -> [RuleResult]? {
            if let known = verdicts[id] { return known }
            let read = try self.rules(ofCall: id)
            verdicts[id] = read
            return read
        }
        for row in rows {
            let ids = try found[row.call] ?? (Int64(row.call).map { id in try rules(id) == nil ? [] : [id] } ?? callIds(named: row.call))
            found[row.call] = ids
            guard ids.count == 1, let stored = try rules(ids[0]) else {
                skipped.append(.init(line: row.line, reason: ids.isEmpty ? "no stored call \(row.call)"
                    : "\(row.call) names \(ids.count) stored calls (ids \(ids.map(String.init).joined(separator: ", "))); use the id"))
                continue
            }
            guard let human = Calibration.outcome(row.outcome) else {
                skipped.append(.init(line: row.line, reason: "outcome \"\(row.outcome)\" is not pass, flag, fail or na")); continue
            }
            if let score = row.score { totals[ids[0], default: ([], scorer.total(stored))].human.append(score) }
            guard let automatic = stored.first(where: { $0.rule == row.rule }) else {
                skipped.append(.init(line: row.line, reason: "rule \(row.rule.isEmpty ? "(blank)" : row.rule) has no automatic verdict on call \(ids[0])")); continue
            }
            pairs.append(.init(rule: row.rule, human: human, automatic: automatic.outcome))
        }
        // Several evaluators' totals for one call: their mean is the human figure.
        let differences = totals.values.map { abs($0.human.reduce(0, +) / Double($0.human.count) - $0.automatic) }
        let mean = differences.isEmpty ? nil : differences.reduce(0, +) / Double(differences.count)
        return CalibrationReport(rules: Calibration.byRule(pairs), totals: .init(calls: differences.count, meanAbsoluteDifference: mean),
                                 skipped: skipped.sorted { $0.line < $1.line })
    }
}
