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
        @Option(help: ChannelSide.help) var agentChannel: ChannelSide = .auto
        @OptionGroup var analysis: AnalysisOptions
        @OptionGroup var inputs: MetadataOptions

        func run() async throws {
            let fft = FFTWisdomFile.standard().makePlanner()
            defer { fft.save() }
            let pipeline = CallPipeline(configuration: try analysis.loadConfiguration(), planner: fft.planner)
            let (metadata, problems) = try inputs.makeReader().metadata(for: file)
            let report: CallReport
            do {
                report = try pipeline.analyze(path: file, agentChannelIndex: agentChannel.index, detectsAgentChannel: agentChannel.detected,
                                              metadata: metadata, warnings: problems)
            } catch {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
            let peaks = try? AudioDecoder.peaks(path: file, columns: Timeline.envelopeColumns)
            let svg = Timeline().svg(report, envelope: peaks.map { Timeline.Envelope(channelPeaks: $0, agentChannel: report.agentChannel) })
            if let output {
                try svg.write(toFile: output, atomically: true, encoding: .utf8)
            } else {
                print(svg, terminator: "")
            }
        }
    }
}
