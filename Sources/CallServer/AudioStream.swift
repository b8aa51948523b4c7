import CallAudio
import Foundation
import Hummingbird

/// A recording served as 16-bit PCM WAV (what every browser plays) without holding it in memory:
/// the WAV's size follows from the file's frame count, and any byte range is decoded when asked
/// for, seeking to it where the format allows. A request costs memory in proportion to the bytes
/// it returns, whatever the call's length; a range response is at most `maximumRangeBytes`
/// (a browser asks again for the rest), and a whole-file response is streamed in such chunks.
struct AudioStream: Sendable {
    static let maximumRangeBytes = 2 << 20

    let path: String
    let channelCount: Int
    let sampleRateHz: Int
    let frames: Int
    var byteCount: Int { 44 + frames * channelCount * 2 }

    init(path: String) throws(DecodeError) {
        let decoder = try AudioDecoder(path: path)
        self.path = path
        channelCount = decoder.info.channelCount
        sampleRateHz = decoder.info.sampleRateHz
        // A header may claim anything (libsndfile reports "unknown" FLAC lengths as the largest
        // count): more than a day of audio is not served rather than overflowing the sizes.
        guard (0...(86_400 * decoder.info.sampleRateHz)).contains(decoder.info.declaredFrameCount) else {
            throw DecodeError(path: path, reason: .readFailed("the header claims \(decoder.info.declaredFrameCount) samples"))
        }
        frames = decoder.info.declaredFrameCount
    }

    /// The WAV's bytes `range` (within `0..<byteCount`). Past the end of what the file really
    /// holds (a header that overstated it) the samples are silence.
    func bytes(_ range: ClosedRange<Int>) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        if range.lowerBound < 44 {
            let header = AudioWriter.wavHeader(frames: frames, channelCount: channelCount, sampleRateHz: sampleRateHz)
            out += header[range.lowerBound..<min(44, range.upperBound + 1)]
        }
        guard range.upperBound >= 44 else { return out }
        let frameBytes = channelCount * 2
        let firstFrame = (max(range.lowerBound, 44) - 44) / frameBytes, lastFrame = (range.upperBound - 44) / frameBytes
        let decoder = try AudioDecoder(path: path)
        // Where the file cannot seek (some codecs in WAV, such as GSM 6.10), it is read from the
        // start: still bounded in memory, but slower the further into a long call the range lies.
        var position = firstFrame > 0 && decoder.seek(toFrame: firstFrame) ? firstFrame : 0
        var wanted = [[Float]](repeating: [Float](repeating: 0, count: lastFrame - firstFrame + 1), count: channelCount)
        var block: [[Float]] = []
        while position <= lastFrame {
            let n = try decoder.readBlock(into: &block)
            if n == 0 { break }
            let a = max(firstFrame, position), b = min(lastFrame + 1, position + n)
            if a < b { for c in 0..<channelCount { wanted[c].replaceSubrange((a - firstFrame)..<(b - firstFrame), with: block[c][(a - position)..<(b - position)]) } }
            position += n
        }
        var pcm: [UInt8] = []
        pcm.reserveCapacity((lastFrame - firstFrame + 1) * frameBytes)
        AudioWriter.appendPCM16(wanted, frames: 0..<(lastFrame - firstFrame + 1), to: &pcm)
        let skip = max(range.lowerBound, 44) - 44 - firstFrame * frameBytes
        out += pcm[skip..<(skip + range.upperBound + 1 - max(range.lowerBound, 44))]
        return out
    }

    /// The response to a GET with this Range header (nil: the whole file, streamed).
    func response(range: String?) -> Response {
        var headers: HTTPFields = [.contentType: "audio/wav", .acceptRanges: "bytes", .cacheControl: "private, no-store"]
        let count = byteCount
        guard let range else {
            headers[.contentLength] = String(count)
            let stream = self
            return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: count) { writer in
                var offset = 0
                while offset < count {
                    let end = min(count - 1, offset + Self.maximumRangeBytes - 1)
                    try await writer.write(ByteBuffer(bytes: try stream.bytes(offset...end)))
                    offset = end + 1
                }
                try await writer.finish(nil)
            })
        }
        guard let wanted = Self.byteRange(range, count: count) else {
            headers[.contentRange] = "bytes */\(count)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
        let served = wanted.lowerBound...min(wanted.upperBound, wanted.lowerBound + Self.maximumRangeBytes - 1)
        do {
            let body = try bytes(served)
            headers[.contentRange] = "bytes \(served.lowerBound)-\(served.upperBound)/\(count)"
            headers[.contentLength] = String(body.count)
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        } catch {
            return ResponseMiddleware<CallRequestContext>.page(.gone, "\((path as NSString).lastPathComponent): recording no longer readable (\(error.reasonText))")
        }
    }

    /// The first range of a `bytes=` header, clamped to the file; nil when it cannot be served.
    static func byteRange(_ header: String, count: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), count > 0 else { return nil }
        let spec = header.dropFirst(6).split(separator: ",").first.map(String.init) ?? ""
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { return nil }
        var start = 0, end = count - 1
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            start = max(0, count - suffix)
        } else {
            guard let s = Int(parts[0]), s >= 0 else { return nil }
            start = s
            if !parts[1].isEmpty {
                guard let e = Int(parts[1]), e >= s else { return nil }
                end = min(e, count - 1)
            }
        }
        return start < count ? start...end : nil
    }
}
