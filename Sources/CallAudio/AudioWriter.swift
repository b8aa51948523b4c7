internal import CSndFile
import Foundation

/// Writes 16-bit PCM WAV: clips of calls for trainers.
public enum AudioWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// `channels` holds one array per channel, all the same length.
    public static func writeWAV(path: String, channels: [[Float]], sampleRateHz: Int) throws(WriteError) {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRateHz)
        info.channels = Int32(channels.count)
        info.format = Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw WriteError(path: path, reason: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(file) }
        let frames = channels.first?.count ?? 0
        var interleaved = [Float](repeating: 0, count: frames * channels.count)
        for (c, samples) in channels.enumerated() {
            for i in 0..<frames { interleaved[i * channels.count + c] = samples[i] }
        }
        let written = interleaved.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
        if written != sf_count_t(frames) { throw WriteError(path: path, reason: "short write (\(written) of \(frames) frames)") }
    }

    /// Reads `startSeconds ..< endSeconds` of a recording (clamped to it).
    public static func clip(of path: String, startSeconds: Double, endSeconds: Double) throws(DecodeError) -> (channels: [[Float]], sampleRateHz: Int) {
        let decoder = try AudioDecoder(path: path)
        let rate = decoder.info.sampleRateHz
        let first = max(0, Int(startSeconds * Double(rate))), last = max(first, Int(endSeconds * Double(rate)))
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
