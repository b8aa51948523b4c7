@testable import CallAnalysis
import CallInputs
import CallScoring
import CallStore
@testable import callqa
import Foundation
import Testing

/// `callqa calibrate`: a centre's evaluation sheet against the stored verdicts.
@Suite struct CalibrationTests {
    @Test func kappaMatchesTheTextbook() {
        // Two raters, 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no. p_o = 0.7, p_e = 0.5.
        #expect(abs(Calibration.kappa([[20, 5], [10, 15]])! - 0.4) < 1e-12)
        #expect(Calibration.kappa([[7, 0], [0, 3]]) == 1)
        // Both always said pass: chance agreement is total, kappa undefined.
        #expect(Calibration.kappa([[9, 0], [0, 0]]) == nil)
        // Agreement no better than chance.
        #expect(abs(Calibration.kappa([[25, 25], [25, 25]])!) < 1e-12)
    }

    @Test func aSheetIsMatchedByFileNameOrIdAndBadRowsAreListed() throws {
        let store = try AggregationTests.emptyStore()
        var ids: [Int64] = []
        for (index, score) in [90.0, 80, 70].enumerated() { ids.append(try AggregationTests.store(store, index: index, score: score)) }
        let verdicts = try ids.map { try #require(try store.call(id: $0)).rules }
        func automatic(_ call: Int, _ rule: String) -> String {
            let o = verdicts[call].first { $0.rule == rule }!.outcome
            return o == .notApplicable ? "na" : o.rawValue
        }
        let disagree = automatic(2, "R3") == "pass" ? "fail" : "pass"
        let csv = """
            \u{FEFF}Call,Rule,Outcome,Score,Evaluator
            call-0.wav,R3,\(automatic(0, "R3")),88,li
            \(ids[1]),R3,\(automatic(1, "R3")),84,li
            call-2.wav,R3,\(disagree),,li
            call-2.wav,r4,\(automatic(2, "R4")),,wang
            nosuch.wav,R3,pass,,li
            call-0.wav,R99,pass,,li
            call-1.wav,R3,maybe,,li
            call-1.wav,R3,pass,abc,li
            """
        let result = try CallQA.Calibrate.compare(try HumanEvaluations(csvText: csv), store: store)
        let r3 = try #require(result.rules.first { $0.rule == "R3" })
        #expect(r3.count == 3 && abs(r3.agreement - 2.0 / 3) < 1e-9)
        #expect(r3.confusion[disagree]?[automatic(2, "R3") == "na" ? "notApplicable" : automatic(2, "R3")] == 1)
        #expect(result.rules.first { $0.rule == "R4" }?.agreement == 1)
        // Totals against the automatic score (from the automatic verdicts), not the stored one a
        // reviewer may have changed: |88 − auto₀| and |84 − auto₁|, averaged.
        let automatic = verdicts.map { Scorer(rubric: .standard).total($0) }
        let expected = (abs(88 - automatic[0]) + abs(84 - automatic[1])) / 2
        #expect(result.totals.calls == 2 && abs((result.totals.meanAbsoluteDifference ?? -1) - expected) < 1e-9)
        #expect(result.skipped.map(\.line) == [6, 7, 8, 9])
        #expect(result.skipped[0].reason.contains("no stored call nosuch.wav"))
        #expect(result.skipped[1].reason.contains("R99"))
        #expect(result.skipped[2].reason.contains("maybe"))
        #expect(result.skipped[3].reason.contains("abc"))
        // A sheet without the needed columns is refused, naming what is missing.
        #expect(throws: HumanEvaluationsError.self) { try HumanEvaluations(csvText: "call,verdict\na.wav,pass\n") }
    }
}
