import Foundation

/// 16-bit PCM WAV out: clips of calls for trainers, audio for the web UI.
public enum AudioWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// A 16-bit PCM WAV file's bytes: what clips are saved as and what the web UI streams
    /// (browsers cannot play μ-law, A-law or GSM). `channels` are all the same length.
    public static func wavBytes(channels: [[Float]], sampleRateHz: Int) -> [UInt8] {
        let frames = channels.first?.count ?? 0
        var out = wavHeader(frames: frames, channelCount: channels.count, sampleRateHz: sampleRateHz)
        out.reserveCapacity(44 + frames * channels.count * 2)
        appendPCM16(channels, frames: 0..<frames, to: &out)
        return out
    }

    /// The 44-byte header of a 16-bit PCM WAV of `frames` samples per channel.
    public static func wavHeader(frames: Int, channelCount count: Int, sampleRateHz: Int) -> [UInt8] {
        var out = [UInt8]()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        // A WAV header cannot say more than 4 GiB: a longer body is written with the largest size.
        let dataBytes = UInt32(clamping: min(frames * count * 2, Int(UInt32.max) - 36))
        out += Array("RIFF".utf8); u32(36 + dataBytes); out += Array("WAVEfmt ".utf8); u32(16)
        u16(1); u16(UInt16(count)); u32(UInt32(sampleRateHz)); u32(UInt32(clamping: sampleRateHz * count * 2)); u16(UInt16(count * 2)); u16(16)
        out += Array("data".utf8); u32(dataBytes)
        return out
    }

    /// Interleaved little-endian 16-bit samples of `frames` (NaN as silence, clipped to full scale).
    public static func appendPCM16(_ channels: [[Float]], frames: Range<Int>, to out: inout [UInt8]) {
        for i in frames {
            for c in channels.indices {
                let x = channels[c][i]
                let v = x.isNaN ? 0 : Int16(max(-32768, min(32767, (x * 32767).rounded())))
                withUnsafeBytes(of: v.littleEndian) { out += $0 }
            }
        }
    }

    public static func writeWAV(path: String, channels: [[Float]], sampleRateHz: Int) throws(WriteError) {
        do {
            try Data(wavBytes(channels: channels, sampleRateHz: sampleRateHz)).write(to: URL(fileURLWithPath: path))
        } catch {
            throw WriteError(path: path, reason: "cannot write the file (\(error.localizedDescription))")
        }
    }

    /// Reads `startSeconds ..< endSeconds` of a recording (clamped to it).
    public static func clip(of path: String, startSeconds: Double, endSeconds: Double) throws(DecodeError) -> (channels: [[Float]], sampleRateHz: Int) {
        let decoder = try AudioDecoder(path: path)
        let rate = decoder.info.sampleRateHz
        // Any Double in, no trap: NaN and negatives read as 0, huge values as the end of the file.
        func sample(_ seconds: Double) -> Int {
            guard seconds.isFinite, seconds > 0 else { return seconds == .infinity ? Int.max / 2 : 0 }
            return Int(min(seconds * Double(rate), Double(Int.max / 2)))
        }
        let first = sample(startSeconds), last = max(first, sample(endSeconds))
        var out = [[Float]](repeating: [], count: decoder.info.channelCount)
        var block: [[Float]] = []
        var position = 0
        while position < last {
            let n = try decoder.readBlock(into: &block)
            if n == 0 { break }
            let a = max(first, position), b = min(last, position + n)
            if a < b { for c in out.indices { out[c] += block[c][(a - position)..<(b - position)] } }
            position += n
        }
        return (out, rate)
    }
}
