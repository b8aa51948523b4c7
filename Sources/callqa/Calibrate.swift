import ArgumentParser
import CallInputs
import CallScoring
import CallStore
import Foundation

extension CallQA {
    /// Compares a centre's human evaluations with the stored automatic verdicts, rule by rule.
    struct Calibrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Agreement between human evaluators and the automatic verdicts: per rule, and for call totals.",
            discussion: """
                HUMAN.csv has a header naming call (the recording's file name or the call id), rule (R1 …) \
                and outcome (pass, flag, fail, na), and optionally score (0–100) and evaluator. Rows naming \
                an unknown call or rule are listed, not fatal.
                """)
        @Argument(help: "The human evaluations (CSV).", completion: .file(extensions: ["csv"])) var human: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var rubricOptions: RubricOptions
        @Option(help: "table or json.") var format: Format = .table

        enum Format: String, ExpressibleByArgument { case table, json }

        func run() async throws {
            let sheet: HumanEvaluations
            do { sheet = try HumanEvaluations(path: human) } catch let error as HumanEvaluationsError { throw ValidationError(error.description) }
            let result = try Self.compare(sheet, store: try store.openExisting(), scorer: Scorer(rubric: try rubricOptions.load().rubric))
            switch format {
            case .json:
                print(try ReportJSON.pretty(result))
            case .table:
                printTable(result.rules, meanDifference: result.totals.meanAbsoluteDifference, totalCalls: result.totals.calls, skipped: result.skipped)
            }
        }

        static func compare(_ sheet: HumanEvaluations, store: any CallStore, scorer: Scorer = Scorer(rubric: .standard)) throws -> CalibrationReport {
            try store.calibrate(sheet.rows.map { HumanVerdict(line: $0.line, call: $0.call, rule: $0.rule, outcome: $0.outcome, score: $0.score) },
                                problems: sheet.problems, scorer: scorer)
        }

        func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
            let space = String(repeating: " ", count: max(0, width - s.count))
            return right ? space + s : s + space
        }

        func printTable(_ rules: [Calibration.RuleAgreement], meanDifference: Double?, totalCalls: Int, skipped: [CalibrationReport.Skipped]) {
            if rules.isEmpty { print("no evaluations matched a stored call and rule") }
            let short = ["pass": "pass", "flag": "flag", "fail": "fail", "notApplicable": "na"]
            let names = ["pass", "flag", "fail", "notApplicable"]
            for r in rules {
                print(pad(r.rule, 4) + String(format: " %4d pairs  agreement %5.1f%%  kappa ", r.count, r.agreement * 100)
                      + (r.kappa.map { String(format: "%.2f", $0) } ?? "– (both gave one outcome only)"))
                // Rows: the human's outcome; columns: CallQA's. Only outcomes that occur.
                let used = names.filter { n in r.confusion[n] != nil || r.confusion.values.contains { $0[n] != nil } }
                print("     " + pad("human \\ CallQA", 16) + used.map { pad(short[$0]!, 6, right: true) }.joined())
                for h in used {
                    print("     " + pad(short[h]!, 16) + used.map { pad(String(r.confusion[h]?[$0] ?? 0), 6, right: true) }.joined())
                }
            }
            if let meanDifference {
                print(String(format: "totals: %d calls, mean absolute difference %.1f points", totalCalls, meanDifference))
            }
            if !skipped.isEmpty {
                print("\(skipped.count) rows not used:")
                for s in skipped { print("  line \(s.line): \(s.reason)") }
            }
        }
    }
}
