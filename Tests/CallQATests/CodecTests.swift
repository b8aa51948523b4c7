import CSndFile
import CallAnalysis
import CallAudio
import CallDSP
import Foundation
import Testing

@testable import callqa

/// Recorders that save MP3, Ogg Vorbis or Opus thin a quiet leg's line noise in some bins for a
/// tenth of a second or more. Followed at once by the noise tracker, the returning noise read as
/// sound: sample call 2 as an 8 kHz MP3 once had six phantom music holds, 61 s of agent talk for 44
/// and five false interruptions. The call is written in each codec here and must read as its WAV does.
@Suite struct CodecTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleAudio/20261123-091544_agent-1002_call-000002.wav").standardized.path

    /// Writes `channels` through libsndfile in `format` (a major and a minor format).
    static func encode(_ channels: [[Float]], sampleRateHz: Int, format: Int32, to path: String) throws {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRateHz)
        info.channels = Int32(channels.count)
        info.format = format
        let handle = try #require(sf_open(path, Int32(SFM_WRITE), &info), "libsndfile cannot write \(path)")
        defer { sf_close(handle) }
        var interleaved = [Float](repeating: 0, count: channels[0].count * channels.count)
        for (c, channel) in channels.enumerated() {
            for (i, x) in channel.enumerated() { interleaved[i * channels.count + c] = x }
        }
        let written = sf_writef_float(handle, interleaved, sf_count_t(channels[0].count))
        #expect(Int(written) == channels[0].count)
    }

    @Test(arguments: [
        ("mp3", Int32(SF_FORMAT_MPEG) | Int32(SF_FORMAT_MPEG_LAYER_III)),
        ("opus", Int32(SF_FORMAT_OGG) | Int32(SF_FORMAT_OPUS)),
    ])
    func aLossyCopyReadsAsTheOriginal(codec: String, format: Int32) throws {
        let (channels, rate) = try AudioDecoder.readAll(path: Self.sample)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let coded = folder.appendingPathComponent("call.\(codec)").path
        try Self.encode(channels, sampleRateHz: rate, format: format, to: coded)
        #expect(try AudioDecoder(path: coded).info.isPerceptuallyCoded)
        #expect(try !AudioDecoder(path: Self.sample).info.isPerceptuallyCoded)

        let pipeline = CallPipeline(configuration: AnalysisConfiguration(), planner: FFTPlanner())
        let original = try pipeline.analyze(path: Self.sample, agentChannelIndex: 0)
        let report = try pipeline.analyze(path: coded, agentChannelIndex: 0)
        // Truth: one music hold 41.45-59.45 s, agent talk 43.8 s, customer 14.6 s, no interruptions.
        let holds = report.segments.filter { $0.kind == .hold }
        #expect(holds.count == 1, "holds: \(holds.map { ($0.startSeconds, $0.endSeconds) })")
        if let hold = holds.first {
            #expect(abs(hold.startSeconds - 41.45) <= 1 && abs(hold.endSeconds - 59.45) <= 1)
        }
        for party in [\CallReport.Parties.agent, \CallReport.Parties.customer] {
            let a = try #require(original.parties[keyPath: party]), b = try #require(report.parties[keyPath: party])
            #expect(abs(b.talkSeconds - a.talkSeconds) <= 0.05 * a.talkSeconds, "talk \(b.talkSeconds) s against \(a.talkSeconds) s")
            #expect(abs((b.snrDb ?? 0) - (a.snrDb ?? 0)) <= 1.5, "SNR \(b.snrDb ?? 0) dB against \(a.snrDb ?? 0) dB")
        }
        #expect((report.interruptions ?? []).isEmpty)
    }
}
