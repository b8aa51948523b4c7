import ArgumentParser
import CallAnalysis
import CallScoring
import Foundation

extension CallQA {
    /// Prints the built-in detector thresholds or rubric: the starting point for a deployment's own file.
    struct Defaults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the built-in detector thresholds (Models/detectors.json) or, with --rubric, the default rubric (Models/rubrics/default.json).")

        @Flag(help: "Print the default rubric instead of the detector thresholds.")
        var rubric = false

        func run() async throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = rubric ? try encoder.encode(Rubric.standard) : try encoder.encode(AnalysisConfiguration())
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
