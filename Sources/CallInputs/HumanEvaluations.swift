import Foundation

/// A centre's own evaluations of calls, for calibration: a CSV whose header names `call` (the
/// recording's file name, or the call id), `rule` (R1 …) and `outcome` (pass, flag, fail, na), and
/// optionally `score` (the evaluator's total, 0–100) and `evaluator`. Column order and case are
/// free; a UTF-8 byte-order mark (Excel's CSV) is ignored.
public struct HumanEvaluations: Sendable {
    public struct Row: Sendable, Equatable {
        /// 1-based line in the file, for messages.
        public var line: Int
        public var call: String
        public var rule: String
        public var outcome: String
        public var score: Double?
        public var evaluator: String?
    }

    public var rows: [Row] = []
    /// Rows that cannot be used as written (a blank call, a score that is not a number), by line.
    public var problems: [(line: Int, reason: String)] = []

    public init(csvText: String) throws {
        let table = MetadataTable.parse(csvText)
        guard let header = table.first else { throw HumanEvaluationsError(reason: "the file is empty") }
        let keys = header.map(MetadataTable.normalizedKey)
        let missing = ["call", "rule", "outcome"].filter { !keys.contains($0) }
        guard missing.isEmpty else {
            throw HumanEvaluationsError(reason: "the header needs columns call, rule and outcome; missing \(missing.joined(separator: ", "))")
        }
        func column(_ key: String) -> Int? { keys.firstIndex(of: key) }
        let call = column("call")!, rule = column("rule")!, outcome = column("outcome")!
        let score = column("score"), evaluator = column("evaluator")
        for (index, cells) in table.enumerated().dropFirst() {
            let line = index + 1
            if cells.allSatisfy(\.isEmpty) { continue }
            func cell(_ i: Int?) -> String? { i.flatMap { $0 < cells.count && !cells[$0].isEmpty ? cells[$0] : nil } }
            guard let callText = cell(call) else { problems.append((line, "no call named")); continue }
            var total: Double?
            if let text = cell(score) {
                guard let value = Double(text), value.isFinite, (0...100).contains(value) else {
                    problems.append((line, "score \(text) is not a number from 0 to 100")); continue
                }
                total = value
            }
            rows.append(Row(line: line, call: callText, rule: (cell(rule) ?? "").uppercased(), outcome: (cell(outcome) ?? "").lowercased(),
                            score: total, evaluator: cell(evaluator)))
        }
    }

    public init(path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw HumanEvaluationsError(path: path, reason: "cannot read it as UTF-8 text (\(error.localizedDescription))")
        }
        do { try self.init(csvText: text) } catch let error as HumanEvaluationsError {
            throw HumanEvaluationsError(path: path, reason: error.reason)
        }
    }
}

public struct HumanEvaluationsError: Error, CustomStringConvertible {
    public var path: String?
    public let reason: String
    public var description: String { "\(path ?? "evaluations"): cannot use the human evaluations (\(reason))" }
}
