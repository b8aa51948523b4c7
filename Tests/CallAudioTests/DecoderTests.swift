import CallAudio
import Foundation
import Testing

/// Writes little files of every bad kind into a temporary folder.
struct BadFiles {
    let folder: URL
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A canonical WAV header followed by `data`.
    static func wav(channels: UInt16, sampleRateHz: UInt32, bitsPerSample: UInt16, format: UInt16 = 1,
                    dataBytes: Int, declaredDataBytes: Int? = nil) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        let declared = UInt32(declaredDataBytes ?? dataBytes)
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + declared); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(format); u16(channels); u32(sampleRateHz)
        let blockAlign = channels * bitsPerSample / 8
        u32(sampleRateHz * UInt32(blockAlign)); u16(blockAlign); u16(bitsPerSample)
        d.append(contentsOf: Array("data".utf8)); u32(declared)
        return d
    }

    static func floatWAV(_ samples: [Float], sampleRateHz: UInt32 = 8000, declaredSamples: Int? = nil) -> Data {
        var d = wav(channels: 1, sampleRateHz: sampleRateHz, bitsPerSample: 32, format: 3,
                    dataBytes: samples.count * 4, declaredDataBytes: declaredSamples.map { $0 * 4 })
        for s in samples { withUnsafeBytes(of: s.bitPattern.littleEndian) { d.append(contentsOf: $0) } }
        return d
    }

    static func tone(seconds: Double, sampleRateHz: Double = 8000) -> [Float] {
        (0..<Int(seconds * sampleRateHz)).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / sampleRateHz)) }
    }
}

@Suite struct DecoderTests {
    func reason(_ path: String) -> DecodeError.Reason? {
        do {
            let d = try AudioDecoder(path: path)
            var block: [[Float]] = []
            while try d.readBlock(into: &block) > 0 {}
            return nil
        } catch {
            #expect(error.description.hasPrefix(path + ": "))
            return error.reason
        }
    }

    @Test func badFilesAreRefusedWithTheirReason() throws {
        let bad = try BadFiles()
        FileManager.default.createFile(atPath: bad.path("empty.wav"), contents: Data())
        #expect(reason(bad.path("empty.wav")) == .empty)

        FileManager.default.createFile(atPath: bad.path("notes.wav"), contents: Data("call notes, not audio\n".utf8))
        guard case .cannotOpen = reason(bad.path("notes.wav")) else { Issue.record("text .wav accepted"); return }

        FileManager.default.createFile(atPath: bad.path("header.wav"), contents: BadFiles.floatWAV([]).prefix(20))
        guard case .cannotOpen = reason(bad.path("header.wav")) else { Issue.record("torn header accepted"); return }

        var random = Data(count: 4096)
        var seed: UInt64 = 42
        for i in 0..<random.count { seed = seed &* 6364136223846793005 &+ 1; random[i] = UInt8(seed >> 56) }
        FileManager.default.createFile(atPath: bad.path("noise.flac"), contents: random)
        guard case .cannotOpen = reason(bad.path("noise.flac")) else { Issue.record("random .flac accepted"); return }

        let oneHz = BadFiles.wav(channels: 1, sampleRateHz: 1, bitsPerSample: 16, dataBytes: 200) + Data(count: 200)
        FileManager.default.createFile(atPath: bad.path("onehz.wav"), contents: oneHz)
        #expect(reason(bad.path("onehz.wav")) == .unsupportedSampleRate(1))

        let zero = BadFiles.wav(channels: 0, sampleRateHz: 8000, bitsPerSample: 16, dataBytes: 200) + Data(count: 200)
        FileManager.default.createFile(atPath: bad.path("zero.wav"), contents: zero)
        switch reason(bad.path("zero.wav")) {
        case .cannotOpen?, .unsupportedChannels(0)?: break
        default: Issue.record("zero channels accepted")
        }

        var samples = BadFiles.tone(seconds: 1)
        samples[4000] = .nan
        FileManager.default.createFile(atPath: bad.path("nan.wav"), contents: BadFiles.floatWAV(samples))
        #expect(reason(bad.path("nan.wav")) == .invalidSamples(atSeconds: 0.5))
    }

    @Test func aTornTailIsReadAsFarAsItGoesWithAWarning() throws {
        let bad = try BadFiles()
        let samples = BadFiles.tone(seconds: 2)
        // The header promises 3 s; 2 s follow.
        FileManager.default.createFile(
            atPath: bad.path("torn.wav"), contents: BadFiles.floatWAV(samples, declaredSamples: 24000))
        let d = try AudioDecoder(path: bad.path("torn.wav"))
        var block: [[Float]] = []
        var total = 0
        while true { let n = try d.readBlock(into: &block); if n == 0 { break }; total += n }
        #expect(total == 16000)
        #expect(d.warnings.count == 1)
        #expect(d.warnings.first?.contains("torn.wav") == true)
        #expect(d.isIncomplete)
    }

    @Test func readsSampleAudioFormats() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../SampleAudio").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".wav") || $0.hasSuffix(".flac") }.sorted()
        #expect(files.count >= 8)
        var formats = Set<String>()
        for f in files {
            let d = try AudioDecoder(path: folder.appendingPathComponent(f).path)
            formats.insert(d.info.formatDescription)
            #expect(d.warnings.isEmpty)
        }
        #expect(formats.contains("WAV μ-law") && formats.contains("FLAC PCM 16-bit") && formats.contains("WAV GSM 6.10"))
    }

    @Test func clipsTakeAnySecondsWithoutTrapping() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../SampleAudio/20261123-140905_agent-1001_call-000009.wav").standardized.path
        for (start, end) in [(Double.infinity, .infinity), (.nan, .nan), (-.infinity, 1), (1e300, 1e308), (2, 1), (10, 10.5)] {
            let clip = try AudioWriter.clip(of: file, startSeconds: start, endSeconds: end)
            #expect(clip.channels.count == 2, "\(start)–\(end)")
        }
        let half = try AudioWriter.clip(of: file, startSeconds: 10, endSeconds: 10.5)
        #expect(half.channels[0].count == 4000)
        // A NaN sample is written as silence, not a trap.
        let bytes = AudioWriter.wavBytes(channels: [[0.5, .nan, -.infinity]], sampleRateHz: 8000)
        #expect(bytes.count == 44 + 6 && bytes[46] == 0 && bytes[47] == 0)
    }
}
