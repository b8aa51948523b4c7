internal import CSndFile
import Foundation

/// What a recording is, as its header says.
public struct AudioInfo: Sendable, Equatable {
    public var sampleRateHz: Int
    public var channelCount: Int
    /// Samples per channel the header declares (libsndfile may already cap it at the file's size).
    public var declaredFrameCount: Int
    /// e.g. "WAV μ-law", "FLAC PCM 16-bit".
    public var formatDescription: String
    /// MP3, Vorbis or Opus: a perceptual codec, which shapes quiet line noise (see the noise tracker).
    public var isPerceptuallyCoded = false
}

/// Streams a recording through libsndfile in fixed blocks, deinterleaved per channel, so that a
/// one-hour call is never held in memory whole. One decoder per file; not Sendable (owns SNDFILE*).
public final class AudioDecoder {
    public static let supportedSampleRatesHz = 8000...48000
    public static let blockFrameCount = 16384

    public let path: String
    public let info: AudioInfo
    /// Problems that did not stop the analysis (a torn tail, a header that overstates the data).
    public private(set) var warnings: [String] = []
    public private(set) var framesRead = 0

    private let handle: OpaquePointer
    private var interleaved: [Float]
    private var headerOverstated = false

    public init(path: String) throws(DecodeError) {
        self.path = path
        var attributes = stat()
        if stat(path, &attributes) != 0 {
            throw DecodeError(path: path, reason: .cannotOpen(String(cString: strerror(errno))))
        }
        if attributes.st_size == 0 { throw DecodeError(path: path, reason: .empty) }
        var sfInfo = SF_INFO()
        guard let h = sf_open(path, Int32(SFM_READ), &sfInfo) else {
            let message = String(cString: sf_strerror(nil))
            throw DecodeError(path: path, reason: .cannotOpen(message))
        }
        if sfInfo.channels < 1 || sfInfo.channels > 2 {
            sf_close(h)
            throw DecodeError(path: path, reason: .unsupportedChannels(Int(sfInfo.channels)))
        }
        if !Self.supportedSampleRatesHz.contains(Int(sfInfo.samplerate)) {
            sf_close(h)
            throw DecodeError(path: path, reason: .unsupportedSampleRate(Int(sfInfo.samplerate)))
        }
        handle = h
        info = AudioInfo(
            sampleRateHz: Int(sfInfo.samplerate), channelCount: Int(sfInfo.channels),
            declaredFrameCount: Int(sfInfo.frames), formatDescription: Self.describe(format: sfInfo.format),
            isPerceptuallyCoded: Self.perceptualCodecs.contains(sfInfo.format & Int32(SF_FORMAT_SUBMASK)))
        interleaved = Array(repeating: 0, count: Self.blockFrameCount * Int(sfInfo.channels))
        headerOverstated = Self.logSaysDataIsShort(h)
        // Integer formats are scaled to ±1.0; float files must not be silently rescaled.
        sf_command(h, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    deinit { sf_close(handle) }

    /// Moves to `frame` (samples per channel from the start) so the next block starts there.
    /// - Returns: false when the format cannot seek; reading then goes on from where it was.
    public func seek(toFrame frame: Int) -> Bool {
        guard sf_seek(handle, sf_count_t(frame), SEEK_SET) >= 0 else { return false }
        framesRead = frame
        return true
    }

    /// Reads the next block into `channels` (one array per channel, resized to the block).
    /// - Returns: samples per channel read; 0 at the end.
    /// - Throws: on NaN/infinite samples or a read error.
    public func readBlock(into channels: inout [[Float]]) throws(DecodeError) -> Int {
        let channelCount = info.channelCount
        if channels.count != channelCount { channels = Array(repeating: [], count: channelCount) }
        let got = interleaved.withUnsafeMutableBufferPointer { buffer in
            Int(sf_readf_float(handle, buffer.baseAddress, sf_count_t(Self.blockFrameCount)))
        }
        if got == 0 {
            let code = sf_error(handle)
            if code != 0 {
                throw DecodeError(path: path, reason: .readFailed(String(cString: sf_strerror(handle))))
            }
            finishReading()
            return 0
        }
        var bad = -1
        for c in 0..<channelCount {
            if channels[c].count != got { channels[c] = Array(repeating: 0, count: got) }
            interleaved.withUnsafeBufferPointer { src in
                channels[c].withUnsafeMutableBufferPointer { dst in
                    var j = c
                    for i in 0..<got {
                        dst[i] = src[j]
                        j += channelCount
                    }
                    // x · 0 is NaN exactly when x is not finite: one branch per block, not per sample.
                    var probe = SIMD4<Float>(), i = 0
                    let base = dst.baseAddress!
                    while i + 4 <= got {
                        probe += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Float>.self) * 0
                        i += 4
                    }
                    var tail: Float = 0
                    while i < got { tail += dst[i] * 0; i += 1 }
                    if bad < 0 && !((probe[0] + probe[1] + probe[2] + probe[3] + tail).isFinite) {
                        bad = dst.firstIndex { !$0.isFinite } ?? -1
                    }
                }
            }
        }
        if bad >= 0 {
            throw DecodeError(
                path: path,
                reason: .invalidSamples(atSeconds: Double(framesRead + bad) / Double(info.sampleRateHz)))
        }
        framesRead += got
        return got
    }

    private var finished = false
    /// Set when reading ends: the recording holds less audio than its header says (cut off
    /// mid-data, or a header that overstates it). What follows from that is the caller's to decide.
    public private(set) var isIncomplete = false

    private func finishReading() {
        guard !finished else { return }
        finished = true
        let seconds = { (frames: Int) in String(format: "%.2f s", Double(frames) / Double(self.info.sampleRateHz)) }
        isIncomplete = framesRead < info.declaredFrameCount || headerOverstated
        if framesRead < info.declaredFrameCount {
            warnings.append(
                "\(path): recording ends early: header declares \(seconds(info.declaredFrameCount)) but data stops at \(seconds(framesRead)); analysed what is present")
        } else if headerOverstated {
            warnings.append(
                "\(path): header declares more audio data than the file holds (truncated recording); analysed the \(seconds(framesRead)) present")
        }
    }

    /// libsndfile notes in its log when a data chunk declares more bytes than follow it
    /// ("data : 2801600 (should be 29956)"); it then reads only what is there.
    private static func logSaysDataIsShort(_ handle: OpaquePointer) -> Bool {
        var log = [CChar](repeating: 0, count: 8192)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count))
        let text = String(cString: log).lowercased()
        return text.split(separator: "\n").contains { line in
            line.hasPrefix("data") && line.contains("should be")
        }
    }

    static let perceptualCodecs: Set<Int32> = [
        Int32(SF_FORMAT_VORBIS), Int32(SF_FORMAT_OPUS), Int32(SF_FORMAT_MPEG_LAYER_I),
        Int32(SF_FORMAT_MPEG_LAYER_II), Int32(SF_FORMAT_MPEG_LAYER_III),
    ]

    static func describe(format: Int32) -> String {
        let major = format & Int32(SF_FORMAT_TYPEMASK)
        let minor = format & Int32(SF_FORMAT_SUBMASK)
        let container: String
        switch major {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX): container = "WAV"
        case Int32(SF_FORMAT_FLAC): container = "FLAC"
        case Int32(SF_FORMAT_OGG): container = "Ogg"
        case Int32(SF_FORMAT_AIFF): container = "AIFF"
        case Int32(SF_FORMAT_AU): container = "AU"
        case Int32(SF_FORMAT_RAW): container = "raw"
        case Int32(SF_FORMAT_W64): container = "W64"
        case Int32(SF_FORMAT_MPEG): container = "MPEG"
        default: container = "audio"
        }
        let encoding: String
        switch minor {
        case Int32(SF_FORMAT_PCM_U8), Int32(SF_FORMAT_PCM_S8): encoding = "PCM 8-bit"
        case Int32(SF_FORMAT_PCM_16): encoding = "PCM 16-bit"
        case Int32(SF_FORMAT_PCM_24): encoding = "PCM 24-bit"
        case Int32(SF_FORMAT_PCM_32): encoding = "PCM 32-bit"
        case Int32(SF_FORMAT_FLOAT): encoding = "float 32-bit"
        case Int32(SF_FORMAT_DOUBLE): encoding = "float 64-bit"
        case Int32(SF_FORMAT_ULAW): encoding = "μ-law"
        case Int32(SF_FORMAT_ALAW): encoding = "A-law"
        case Int32(SF_FORMAT_GSM610): encoding = "GSM 6.10"
        case Int32(SF_FORMAT_VORBIS): encoding = "Vorbis"
        case Int32(SF_FORMAT_OPUS): encoding = "Opus"
        case Int32(SF_FORMAT_MPEG_LAYER_III): encoding = "MP3"
        case Int32(SF_FORMAT_IMA_ADPCM), Int32(SF_FORMAT_MS_ADPCM): encoding = "ADPCM"
        default: encoding = "encoded"
        }
        return "\(container) \(encoding)"
    }
}

extension AudioDecoder {
    /// Every sample of a recording, one array per channel, and its rate. For short files (tests,
    /// clips): the pipeline streams instead.
    public static func readAll(path: String) throws(DecodeError) -> (channels: [[Float]], sampleRateHz: Int) {
        let decoder = try AudioDecoder(path: path)
        var channels = [[Float]](repeating: [], count: decoder.info.channelCount)
        var block: [[Float]] = []
        while true {
            let n = try decoder.readBlock(into: &block)
            if n == 0 { break }
            for c in channels.indices { channels[c] += block[c][0..<n] }
        }
        return (channels, decoder.info.sampleRateHz)
    }
}
