import ArgumentParser
import CallAnalysis
import CallDSP
import CallInputs
import Foundation

/// The agent's stereo channel: `auto` takes the left unless the right plainly opens the call.
enum ChannelSide: String, ExpressibleByArgument, CaseIterable {
    case left, right, auto

    var index: Int { self == .right ? 1 : 0 }
    var detected: Bool { self == .auto }
    static let help = ArgumentHelp("Which stereo channel carries the agent: left, right, or auto (the left unless the right plainly opens the call with a greeting).")
}

/// Options every command that analyses audio shares.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Detector thresholds (JSON, as Models/detectors.json). Built-in defaults when omitted.",
            completion: .file(extensions: ["json"]))
    var detectors: String?

    func loadConfiguration() throws -> AnalysisConfiguration {
        guard let detectors else { return AnalysisConfiguration() }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: detectors)) } catch {
            throw ValidationError("\(detectors): cannot read detector configuration (\(error.localizedDescription))")
        }
        do { return try AnalysisConfiguration.decode(data) } catch {
            throw ValidationError("\(detectors): invalid detector configuration: \(DecodingErrorText.describe(error))")
        }
    }
}

/// Where call metadata comes from, for every command that analyses audio.
struct MetadataOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A CSV of call metadata (columns: file or call_id, agent_id, start_time, answer_time, end_time, direction, hangup_side).",
        discussion: "Without it, calls.csv or metadata.csv beside each recording is used when present. A sidecar NAME.json next to NAME.wav always wins."),
            completion: .file(extensions: ["csv"]))
    var metadata: String?

    @Option(help: ArgumentHelp(
        "Regular expression for agent id, call id and start time in file names (named groups agent, call, date, time or start; \"\" for none).",
        valueName: "regex"))
    var namePattern: String = CallMetadataReader.defaultNamePattern

    @Option(help: ArgumentHelp(
        "A CSV of agents (columns: id, and any of name, team, aliases separated by ;): every alias is counted as that id.",
        discussion: "Without it, ids are matched as given, with surrounding space and a leading agent-/agt_ prefix removed."),
            completion: .file(extensions: ["csv"]))
    var agents: String?

    func makeReader() throws -> CallMetadataReader {
        var directory = AgentDirectory()
        if let agents {
            do { directory = try AgentDirectory(path: agents) } catch { throw ValidationError(error.description) }
        }
        do { return try CallMetadataReader(csvPath: metadata, namePattern: namePattern, agents: directory) } catch {
            throw ValidationError("--name-pattern: not a regular expression: \(error)")
        }
    }
}

extension CallQA {
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode calls, find each party's speech, measure levels and noise, print the timeline.")

        @Argument(help: "Recordings to analyse (WAV, FLAC, Ogg, MP3, GSM: anything libsndfile reads).",
                  completion: .file())
        var files: [String]

        @Flag(help: "Print one JSON object per file (JSON Lines) instead of a table.")
        var json = false

        @Option(help: ChannelSide.help)
        var agentChannel: ChannelSide = .auto

        @OptionGroup var analysis: AnalysisOptions
        @OptionGroup var inputs: MetadataOptions

        func run() async throws {
            let fft = FFTWisdomFile.standard().makePlanner()
            defer { fft.save() }
            let pipeline = CallPipeline(configuration: try analysis.loadConfiguration(), planner: fft.planner)
            let metadataReader = try inputs.makeReader()
            var failed = 0
            for path in files {
                let report: CallReport
                do {
                    let (metadata, problems) = metadataReader.metadata(for: path)
                    report = try pipeline.analyze(
                        path: path, agentChannelIndex: agentChannel.index, detectsAgentChannel: agentChannel.detected,
                        metadata: metadata, warnings: problems)
                } catch {
                    failed += 1
                    if json { print(ReportJSON.errorLine(file: path, error: error.reason)) }
                    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                    continue
                }
                if json {
                    print(try ReportJSON.line(report))
                } else {
                    print(ReportTable.render(report))
                }
                for warning in report.warnings {
                    FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
                }
            }
            if failed > 0 { throw ExitCode.failure }
        }
    }
}
