@testable import callqa
import ArgumentParser
import CallAnalysis
import CallAudio
import CallDSP
import Foundation
import Testing

@Suite struct CommandTests {
    @Test func analyzeParsesItsOptions() throws {
        let command = try CallQA.parseAsRoot(["analyze", "a.wav", "b.flac", "--json", "--agent-channel", "right"])
        let analyze = try #require(command as? CallQA.Analyze)
        #expect(analyze.files == ["a.wav", "b.flac"])
        #expect(analyze.json)
        #expect(analyze.agentChannel == .right)
        #expect(throws: (any Error).self) { try CallQA.parseAsRoot(["analyze", "a.wav", "--agent-channel", "middle"]) }
    }

    @Test func readingCommandsRefuseADatabaseThatDoesNotExist() async throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-misspelt-\(UUID().uuidString).sqlite").path
        for arguments in [["report", "agents"], ["report", "agent", "1001"], ["examples", "--rule", "R7"],
                          ["purge", "--before", "2020-01-01"], ["serve"]] {
            var command = try #require(try CallQA.parseAsRoot(arguments + ["--db", db]) as? any AsyncParsableCommand)
            do {
                try await command.run()
                Issue.record("\(arguments) ran on a database that does not exist")
            } catch {
                #expect("\(error)".contains(db) && "\(error)".contains("no such database"), "\(arguments): \(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: db), "\(arguments) created \(db)")
        }
    }

    @Test func tooShortAndMissingFilesFailWithTheirNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // 0.2 s of 16-bit silence at 8 kHz.
        var wav = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { wav.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { wav.append(contentsOf: $0) } }
        wav.append(contentsOf: Array("RIFF".utf8)); u32(36 + 3200); wav.append(contentsOf: Array("WAVE".utf8))
        wav.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16)
        wav.append(contentsOf: Array("data".utf8)); u32(3200); wav.append(Data(count: 3200))
        let short = folder.appendingPathComponent("short.wav").path
        FileManager.default.createFile(atPath: short, contents: wav)
        let pipeline = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner())
        #expect(throws: CallFailure.self) { try pipeline.analyze(path: short, agentChannelIndex: 0) }
        do { _ = try pipeline.analyze(path: short, agentChannelIndex: 0) } catch {
            #expect(error.description.hasPrefix(short + ": too short to judge"))
        }
        let missing = folder.appendingPathComponent("missing.wav").path
        do { _ = try pipeline.analyze(path: missing, agentChannelIndex: 0) } catch {
            #expect(error.description.hasPrefix(missing + ": "))
        }
    }

    @Test func jsonCarriesEveryKeyOfTheSchema() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../SampleAudio").standardized
        let file = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".flac") }.sorted()[0]
        let pipeline = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner())
        let report = try pipeline.analyze(path: folder.appendingPathComponent(file).path, agentChannelIndex: 0)
        let object = try JSONSerialization.jsonObject(with: Data(try ReportJSON.line(report).utf8)) as! [String: Any]
        for key in ["file", "durationSeconds", "sampleRateHz", "channels", "layout", "agentChannel", "answer",
                    "parties", "segments", "interruptions", "ending", "warnings"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        let agent = (object["parties"] as! [String: Any])["agent"] as! [String: Any]
        for key in ["talkSeconds", "activeLevelDbov", "snrDb", "clipped", "speechRateCharsPerMinute", "pitchSpreadSemitones"] {
            #expect(agent.keys.contains(key), "missing parties.agent.\(key)")
        }
        let segment = (object["segments"] as! [[String: Any]])[0]
        #expect(Set(segment.keys) == ["kind", "party", "holdKind", "startSeconds", "endSeconds"])
        #expect(ReportJSON.errorLine(file: "x.wav", error: "empty file") == #"{"error":"empty file","file":"x.wav"}"#)
    }
}

@Suite struct DualMonoTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../SampleAudio").standardized

    @Test func theSameMixOnBothChannelsIsAnalysedAsMono() throws {
        // A mono sample call written as stereo, the right channel 2 dB quieter and 3 samples late.
        let (channels, rate) = try AudioDecoder.readAll(path: Self.folder.appendingPathComponent("20261123-102011_agent-1001_call-000005.wav").path)
        let left = channels[0]
        let right = [Float](repeating: 0, count: 3) + left.dropLast(3).map { $0 * powf(10, -2 / 20) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-dual-\(UUID().uuidString).wav").path
        try AudioWriter.writeWAV(path: path, channels: [left, right], sampleRateHz: rate)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pipeline = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner())
        let report = try pipeline.analyze(path: path, agentChannelIndex: 0)
        #expect(report.layout == .mono)
        #expect(report.channels == 2)
        #expect(report.attribution != nil)
        #expect(report.interruptions == nil)
        #expect(report.warnings.contains { $0.hasPrefix(path + ": ") && $0.contains("dual mono") }, "\(report.warnings)")
    }

    @Test func theSameMixCodedOnEachChannelIsStillDualMono() throws {
        // Each channel through its own codec (GSM per channel) and one 1.5 ms late: their levels
        // scatter by up to about ±2 dB frame by frame. Here the right channel's gain wanders
        // ±1.8 dB in 20 ms blocks, at random.
        let (channels, rate) = try AudioDecoder.readAll(path: Self.folder.appendingPathComponent("20261123-102011_agent-1001_call-000005.wav").path)
        let left = channels[0]
        var seed: UInt64 = 9
        let block = rate / 50
        let gains: [Float] = (0...(left.count / block)).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let u = Float(seed >> 40) / Float(1 << 24)  // 0..<1
            return powf(10, (u * 3.6 - 1.8) / 20)
        }
        let late = rate * 15 / 10000
        let right = [Float](repeating: 0, count: late) + left.dropLast(late).enumerated().map { $0.element * gains[$0.offset / block] }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-dual-coded-\(UUID().uuidString).wav").path
        try AudioWriter.writeWAV(path: path, channels: [left, right], sampleRateHz: rate)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner()).analyze(path: path, agentChannelIndex: 0)
        #expect(report.layout == .mono)
        #expect(report.warnings.contains { $0.contains("dual mono") }, "\(report.warnings)")
    }

    @Test func aTwoLegCallIsNotDualMono() throws {
        let path = Self.folder.appendingPathComponent("20261123-091544_agent-1002_call-000002.wav").path
        let pipeline = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner())
        let report = try pipeline.analyze(path: path, agentChannelIndex: 0)
        #expect(report.layout == .stereo)
        #expect(!report.warnings.contains { $0.contains("dual mono") })
    }
}
