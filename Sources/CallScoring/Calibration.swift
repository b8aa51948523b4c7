import Foundation

/// How far the automatic verdicts agree with a centre's human evaluators, rule by rule: raw
/// agreement, Cohen's kappa (agreement beyond what the two would reach by chance, given how often
/// each says pass, flag, fail or not applicable) and the confusion table; for call totals, the mean
/// absolute difference. Automated QA is trusted where kappa is high.
public struct Calibration: Sendable {
    /// One rule's verdict on one call, by a person and by CallQA.
    public struct Pair: Sendable {
        public var rule: String
        public var human: RuleResult.Outcome
        public var automatic: RuleResult.Outcome
        public init(rule: String, human: RuleResult.Outcome, automatic: RuleResult.Outcome) {
            self.rule = rule; self.human = human; self.automatic = automatic
        }
    }

    public struct RuleAgreement: Codable, Sendable, Equatable {
        public var rule: String
        public var count: Int
        /// Share of pairs where both said the same, 0…1.
        public var agreement: Double
        /// Cohen's kappa; nil when chance agreement is already 1 (both always said the same one thing).
        public var kappa: Double?
        /// confusion[human][automatic] = count, outcomes by their names.
        public var confusion: [String: [String: Int]]
    }

    public static let outcomes: [RuleResult.Outcome] = [.pass, .flag, .fail, .notApplicable]

    /// Reads a person's outcome as written in an evaluation sheet.
    public static func outcome(_ text: String) -> RuleResult.Outcome? {
        switch text.lowercased() {
        case "pass", "p", "ok": .pass
        case "flag", "warn", "warning": .flag
        case "fail", "f": .fail
        case "na", "n/a", "notapplicable", "not applicable", "-": .notApplicable
        default: nil
        }
    }

    /// Per rule, in rule order (R1, R2 … R10).
    public static func byRule(_ pairs: [Pair]) -> [RuleAgreement] {
        let rules = Set(pairs.map(\.rule)).sorted { (Int($0.dropFirst()) ?? 0, $0) < (Int($1.dropFirst()) ?? 0, $1) }
        return rules.map { rule in agreement(rule: rule, pairs.filter { $0.rule == rule }) }
    }

    static func agreement(rule: String, _ pairs: [Pair]) -> RuleAgreement {
        let k = outcomes.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for p in pairs { table[outcomes.firstIndex(of: p.human)!][outcomes.firstIndex(of: p.automatic)!] += 1 }
        var confusion: [String: [String: Int]] = [:]
        for (i, h) in outcomes.enumerated() {
            for (j, a) in outcomes.enumerated() where table[i][j] > 0 { confusion[h.rawValue, default: [:]][a.rawValue] = table[i][j] }
        }
        let n = Double(pairs.count)
        let agreed = Double((0..<k).reduce(0) { $0 + table[$1][$1] })
        return RuleAgreement(rule: rule, count: pairs.count, agreement: n > 0 ? agreed / n : 0, kappa: kappa(table), confusion: confusion)
    }

    /// Cohen's kappa of a square confusion table (rows one rater, columns the other).
    public static func kappa(_ table: [[Int]]) -> Double? {
        let n = Double(table.joined().reduce(0, +))
        guard n > 0 else { return nil }
        let observed = Double(table.indices.reduce(0) { $0 + table[$1][$1] }) / n
        var chance = 0.0
        for i in table.indices {
            let row = Double(table[i].reduce(0, +)), column = Double(table.reduce(0) { $0 + $1[i] })
            chance += (row / n) * (column / n)
        }
        guard chance < 1 - 1e-12 else { return nil }
        return (observed - chance) / (1 - chance)
    }
}
