import ArgumentParser
import CallAnalysis
import Foundation

extension CallQA {
    /// Prints the built-in detector thresholds: the starting point for a deployment's own file.
    struct Defaults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the built-in detector thresholds as JSON (the content of Models/detectors.json).")

        func run() async throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(AnalysisConfiguration()), as: UTF8.self))
        }
    }
}
