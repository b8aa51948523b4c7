public import Foundation
import CallAnalysis

/// The service standards as data: every rule's threshold, weight and whether failing it fails
/// the whole call. `Models/rubrics/default.json` is `Rubric.standard` written out; a deployment
/// passes its own file. Names carry units.
public struct Rubric: Codable, Sendable, Equatable {
    public struct Credit: Codable, Sendable, Equatable {
        public var pass = 1.0
        public var flag = 0.5
        public var fail = 0.0
    }
    /// Common to every scored rule.
    public struct Weighting: Codable, Sendable, Equatable {
        /// Share of the call score; rules that do not apply to a call are left out of it.
        public var weight: Double
        /// Failing this rule scores the whole call 0.
        public var autoFail: Bool
    }
    public struct R1: Codable, Sendable, Equatable { public var scoring: Weighting; public var maximumRings: Int }
    public struct R2: Codable, Sendable, Equatable {
        public var scoring: Weighting
        /// The apology must come within this long of the answer.
        public var withinSeconds: Double
        public var phrases: [String]
    }
    public struct R3: Codable, Sendable, Equatable {
        public var scoring: Weighting
        public var maximumGreetingDelaySeconds: Double
        /// With a transcript: the agent's first words contain one of these ...
        public var greetingPhrases: [String]
        /// ... and the agent never says one of these (服务禁语).
        public var forbiddenPhrases: [String]
    }
    public struct R4: Codable, Sendable, Equatable {
        public var scoring: Weighting
        public var minimumCharsPerMinute: Double
        public var maximumCharsPerMinute: Double
    }
    public struct R5: Codable, Sendable, Equatable {
        public var scoring: Weighting
        public var minimumDbov: Double
        public var maximumDbov: Double
        public var clippingFails: Bool
    }
    public struct R6: Codable, Sendable, Equatable { public var scoring: Weighting; public var minimumSpreadSemitones: Double }
    public struct R7: Codable, Sendable, Equatable { public var scoring: Weighting; public var maximumHoldSeconds: Double }
    public struct R8: Codable, Sendable, Equatable {
        public var scoring: Weighting
        public var flagSeconds: Double
        public var failSeconds: Double
    }
    public struct R9: Codable, Sendable, Equatable { public var scoring: Weighting; public var failCount: Int }
    public struct R10: Codable, Sendable, Equatable { public var scoring: Weighting; public var agentWaitSeconds: Double }
    public struct R11: Codable, Sendable, Equatable { public var scoring: Weighting; public var flagSeconds: Double }
    public struct R12: Codable, Sendable, Equatable {
        public var scoring: Weighting
        /// Staffed hours ("HH:mm" pairs) on `weekdays` (1 = Monday … 7 = Sunday).
        public var hours: [[String]]
        public var weekdays: [Int]
        /// Outbound calls outside these fail.
        public var outboundEarliest: String
        public var outboundLatest: String
    }
    /// Line quality: never a penalty. When the line is poor, the listed rules are excused (N/A).
    public struct R13: Codable, Sendable, Equatable {
        public var minimumSnrDb: Double
        public var minimumCustomerDbov: Double
        public var excuses: [String]
        /// A mono call whose parties were told apart with less confidence than this is routed for
        /// review (its per-party measures may belong to the other party); nothing is excused.
        public var minimumAttributionConfidence: Double

        public init(minimumSnrDb: Double, minimumCustomerDbov: Double, excuses: [String], minimumAttributionConfidence: Double = 0.5) {
            self.minimumSnrDb = minimumSnrDb; self.minimumCustomerDbov = minimumCustomerDbov
            self.excuses = excuses; self.minimumAttributionConfidence = minimumAttributionConfidence
        }

        // A rubric written before the attribution threshold existed still loads (with 0.5).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(minimumSnrDb: try c.decode(Double.self, forKey: .minimumSnrDb),
                      minimumCustomerDbov: try c.decode(Double.self, forKey: .minimumCustomerDbov),
                      excuses: try c.decode([String].self, forKey: .excuses),
                      minimumAttributionConfidence: try c.decodeIfPresent(Double.self, forKey: .minimumAttributionConfidence) ?? 0.5)
        }
    }
    /// Monthly KPI bands over an agent's mean call score.
    public struct R14: Codable, Sendable, Equatable {
        public var awardAtLeast: Double
        public var watchAtMost: Double
        public var watchMonths: Int
        public var penaltyAtMost: Double
        public var severeAtMost: Double

        public enum Band: String, Sendable, CaseIterable { case award, standard, watch, leadReplaced, penalty, severe }

        /// The KPI band of a month's mean score; `recentMeans` are the months before, newest first.
        public func bandKind(mean: Double, recentMeans: [Double]) -> Band {
            if mean >= awardAtLeast { return .award }
            if mean <= severeAtMost { return .severe }
            if mean <= penaltyAtMost { return .penalty }
            if mean <= watchAtMost {
                let running = recentMeans.count >= watchMonths - 1 && recentMeans.prefix(watchMonths - 1).allSatisfy { $0 <= watchAtMost }
                return running ? .leadReplaced : .watch
            }
            return .standard
        }

        /// The band in words (English, for the command line).
        public func band(mean: Double, recentMeans: [Double]) -> String {
            switch bandKind(mean: mean, recentMeans: recentMeans) {
            case .award: "award-eligible (≥ \(Int(awardAtLeast)))"
            case .severe: "severe penalty (≤ \(Int(severeAtMost)))"
            case .penalty: "penalty (≤ \(Int(penaltyAtMost)))"
            case .leadReplaced: "≤ \(Int(watchAtMost)) \(watchMonths) months running: team lead replaced"
            case .watch: "watch (≤ \(Int(watchAtMost)))"
            case .standard: "standard"
            }
        }

        /// The threshold a band is named by (for labels such as "≥ 90").
        public func threshold(of band: Band) -> Int {
            switch band {
            case .award: Int(awardAtLeast)
            case .watch, .leadReplaced: Int(watchAtMost)
            case .penalty: Int(penaltyAtMost)
            case .severe: Int(severeAtMost)
            case .standard: Int(awardAtLeast)
            }
        }

        /// Months running, ending with this one, whose mean was at or under the watch line
        /// (`means` newest first): the R14 streak a scorecard shows.
        public func watchStreak(_ means: [Double]) -> Int {
            means.prefix { $0 <= watchAtMost }.count
        }
    }
    public struct Rules: Codable, Sendable, Equatable {
        public var R1: R1, R2: R2, R3: R3, R4: R4, R5: R5, R6: R6, R7: R7
        public var R8: R8, R9: R9, R10: R10, R11: R11, R12: R12, R13: R13, R14: R14
    }

    public var name: String
    public var version: Int
    public var credit: Credit
    public var rules: Rules
    /// Rule names and descriptions per language (see RuleText); the defaults fill what is left out.
    public var ruleText: RuleTexts

    public init(name: String, version: Int, credit: Credit, rules: Rules, ruleText: RuleTexts = Rubric.standardRuleText) {
        self.name = name; self.version = version; self.credit = credit; self.rules = rules
        self.ruleText = ruleText
    }

    enum CodingKeys: String, CodingKey { case name, version, credit, rules, ruleText }

    // A rubric written before rule texts existed still loads; a rubric's texts are laid over the
    // defaults, rule by rule and language by language.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var texts = Self.standardRuleText
        for (rule, languages) in try c.decodeIfPresent(RuleTexts.self, forKey: .ruleText) ?? [:] {
            for (language, text) in languages { texts[rule, default: [:]][language] = text }
        }
        self.init(name: try c.decode(String.self, forKey: .name), version: try c.decode(Int.self, forKey: .version),
                  credit: try c.decode(Credit.self, forKey: .credit), rules: try c.decode(Rules.self, forKey: .rules), ruleText: texts)
    }

    /// The standards' default thresholds (R1–R14; R15 is about keeping recordings).
    public static let standard = Rubric(
        name: "default", version: 1, credit: Credit(),
        rules: Rules(
            R1: .init(scoring: .init(weight: 10, autoFail: false), maximumRings: 3),
            R2: .init(scoring: .init(weight: 5, autoFail: false), withinSeconds: 15,
                      phrases: ["对不起", "抱歉", "让您久等", "不好意思"]),
            R3: .init(scoring: .init(weight: 10, autoFail: false), maximumGreetingDelaySeconds: 3,
                      greetingPhrases: ["您好", "你好"],
                      forbiddenPhrases: ["不知道", "不清楚", "不归我管", "你自己看", "我就这态度", "找别人去", "没办法"]),
            R4: .init(scoring: .init(weight: 10, autoFail: false), minimumCharsPerMinute: 120, maximumCharsPerMinute: 160),
            R5: .init(scoring: .init(weight: 10, autoFail: false), minimumDbov: -36, maximumDbov: -16, clippingFails: true),
            R6: .init(scoring: .init(weight: 5, autoFail: false), minimumSpreadSemitones: 2.5),
            R7: .init(scoring: .init(weight: 15, autoFail: false), maximumHoldSeconds: 60),
            R8: .init(scoring: .init(weight: 10, autoFail: false), flagSeconds: 10, failSeconds: 60),
            R9: .init(scoring: .init(weight: 10, autoFail: true), failCount: 3),
            R10: .init(scoring: .init(weight: 5, autoFail: false), agentWaitSeconds: 5),
            R11: .init(scoring: .init(weight: 5, autoFail: false), flagSeconds: 300),
            R12: .init(scoring: .init(weight: 5, autoFail: false), hours: [["09:00", "12:00"], ["13:00", "17:30"]],
                       weekdays: [1, 2, 3, 4, 5], outboundEarliest: "08:00", outboundLatest: "18:00"),
            R13: .init(minimumSnrDb: 10, minimumCustomerDbov: -45, excuses: ["R4", "R5", "R6", "R8"], minimumAttributionConfidence: 0.5),
            R14: .init(awardAtLeast: 90, watchAtMost: 80, watchMonths: 3, penaltyAtMost: 70, severeAtMost: 60)))

    /// Problems that decoding cannot see, each naming its key.
    public func problems() -> [String] {
        var out: [String] = []
        let weights: [(String, Weighting)] = [
            ("R1", rules.R1.scoring), ("R2", rules.R2.scoring), ("R3", rules.R3.scoring), ("R4", rules.R4.scoring),
            ("R5", rules.R5.scoring), ("R6", rules.R6.scoring), ("R7", rules.R7.scoring), ("R8", rules.R8.scoring),
            ("R9", rules.R9.scoring), ("R10", rules.R10.scoring), ("R11", rules.R11.scoring), ("R12", rules.R12.scoring),
        ]
        for (rule, w) in weights where !(w.weight >= 0) { out.append("rules.\(rule).scoring.weight: must be ≥ 0") }
        if weights.allSatisfy({ $0.1.weight == 0 }) { out.append("rules: every weight is 0") }
        for (key, value) in [("pass", credit.pass), ("flag", credit.flag), ("fail", credit.fail)] where !(0...1).contains(value) {
            out.append("credit.\(key): must be between 0 and 1")
        }
        if rules.R1.maximumRings < 0 { out.append("rules.R1.maximumRings: must be ≥ 0") }
        if !(rules.R4.minimumCharsPerMinute < rules.R4.maximumCharsPerMinute) {
            out.append("rules.R4: minimumCharsPerMinute must be below maximumCharsPerMinute")
        }
        if !(rules.R5.minimumDbov < rules.R5.maximumDbov) { out.append("rules.R5: minimumDbov must be below maximumDbov") }
        if !(rules.R8.flagSeconds <= rules.R8.failSeconds) { out.append("rules.R8: flagSeconds must not exceed failSeconds") }
        for (i, pair) in rules.R12.hours.enumerated() {
            if pair.count != 2 || pair.contains(where: { Self.minutes($0) == nil }) {
                out.append("rules.R12.hours[\(i)]: expected [\"HH:mm\", \"HH:mm\"]")
            }
        }
        for (key, value) in [("outboundEarliest", rules.R12.outboundEarliest), ("outboundLatest", rules.R12.outboundLatest)]
        where Self.minutes(value) == nil {
            out.append("rules.R12.\(key): expected \"HH:mm\"")
        }
        if rules.R12.weekdays.contains(where: { !(1...7).contains($0) }) { out.append("rules.R12.weekdays: days are 1 (Monday) to 7") }
        let known = Set((1...12).map { "R\($0)" })
        for r in rules.R13.excuses where !known.contains(r) { out.append("rules.R13.excuses: unknown rule \(r)") }
        let b = rules.R14
        if !(b.severeAtMost <= b.penaltyAtMost && b.penaltyAtMost <= b.watchAtMost && b.watchAtMost < b.awardAtLeast) {
            out.append("rules.R14: bands must satisfy severeAtMost ≤ penaltyAtMost ≤ watchAtMost < awardAtLeast")
        }
        return out
    }

    /// Minutes after midnight of "HH:mm".
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    public enum LoadError: Error, CustomStringConvertible {
        case invalid(path: String, problems: [String])
        public var description: String {
            switch self {
            case .invalid(let path, let problems): "\(path): invalid rubric: " + problems.joined(separator: "; ")
            }
        }
    }

    /// Decodes and validates; every error names the key.
    public static func load(_ data: Data, path: String) throws(LoadError) -> Rubric {
        let rubric: Rubric
        do { rubric = try JSONDecoder().decode(Rubric.self, from: data) } catch {
            throw .invalid(path: path, problems: [DecodingErrorText.describe(error)])
        }
        // A key the rubric does not have is a mistake (a misspelt threshold would otherwise be
        // silently replaced by nothing): every key given must be one the rubric writes back.
        if let given = try? JSONSerialization.jsonObject(with: data),
           let known = try? JSONSerialization.jsonObject(with: JSONEncoder().encode(rubric)) {
            let unknown = unknownKeys(given, known: known, at: "")
            if !unknown.isEmpty { throw .invalid(path: path, problems: unknown.map { "\($0): not a rubric setting (misspelt?)" }) }
        }
        let problems = rubric.problems()
        if !problems.isEmpty { throw .invalid(path: path, problems: problems) }
        return rubric
    }

    /// Dotted paths of the keys in `given` that `known` lacks (a null value is no setting at all).
    static func unknownKeys(_ given: Any, known: Any, at path: String) -> [String] {
        if let object = given as? [String: Any], let knownObject = known as? [String: Any] {
            return object.keys.sorted().flatMap { key -> [String] in
                let child = path.isEmpty ? key : path + "." + key
                guard let value = knownObject[key] else { return object[key] is NSNull ? [] : [child] }
                return unknownKeys(object[key]!, known: value, at: child)
            }
        }
        if let list = given as? [Any], let knownList = known as? [Any] {
            return zip(list, knownList).enumerated().flatMap { unknownKeys($1.0, known: $1.1, at: "\(path)[\($0)]") }
        }
        return []
    }
}
