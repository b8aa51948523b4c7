import ArgumentParser
import CallAnalysis
import CallAudio
import CallDSP
import CallInputs
import CallViews
import Foundation

extension CallQA {
    struct TimelineCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Draw a call's timeline (waveform per party, ringback, speech, holds, dead air, interruptions) as SVG.")

        @Argument(help: "One recording.", completion: .file()) var file: String
        @Option(name: .shortAndLong, help: "Where to write the SVG (default: standard output).") var output: String?
        @Option(help: "Which stereo channel carries the agent.") var agentChannel: ChannelSide = .left
        @OptionGroup var analysis: AnalysisOptions
        @OptionGroup var inputs: MetadataOptions

        func run() async throws {
            let pipeline = CallPipeline(configuration: try analysis.loadConfiguration(), planner: FFTPlanner())
            let (metadata, problems) = try inputs.makeReader().metadata(for: file)
            let report: CallReport
            do {
                report = try pipeline.analyze(path: file, agentChannelIndex: agentChannel == .left ? 0 : 1, metadata: metadata, warnings: problems)
            } catch {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
            let svg = Timeline().svg(report, envelope: try? Self.envelope(file, report: report, agentChannel: agentChannel == .left ? 0 : 1))
            if let output {
                try svg.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(svg, terminator: "")
            }
        }

        /// Lanes in the picture's order: agent then customer on stereo calls.
        static func envelope(_ file: String, report: CallReport, agentChannel: Int) throws -> Timeline.Envelope {
            var peaks = try AudioDecoder.peaks(path: file, columns: 900)
            if peaks.count == 2 && agentChannel == 1 { peaks.swapAt(0, 1) }
            // Scale so the loudest column fills the lane: telephone speech peaks far below full scale.
            let top = max(peaks.flatMap { $0 }.max() ?? 1, 1e-4)
            return Timeline.Envelope(lanes: peaks.map { $0.map { $0 / top } })
        }
    }
}
