import CallAudio
import CallStore
import Foundation
import Hummingbird

extension CallServer {

    /// Where to go after signing in: a path on this server only. `//host`, `/\\host` and anything
    /// with a scheme, a backslash or a control character would leave it.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }) else { return "/" }
        return next
    }

    /// Verified against when the user does not exist, at the same cost as a real one.
    static let decoyHash = hashPassword("no such user \(token())")

    static func token() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", rng.next() as UInt64) }.joined()
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    static func html(_ page: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        var out: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { out[parts[0]] = parts[1] } else if parts.count == 1 { out[parts[0]] = "" }
        }
        return out
    }

    static func validAgentId(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    func latestMonth() throws -> String? {
        try store.calls(startingWith: "", agentId: nil).compactMap { $0.startTime?.prefix(7) }.max().map(String.init)
    }

    /// WAV PCM16 bytes of a recording: browsers cannot play μ-law, A-law or GSM, so every
    /// recording is served decoded (and FLAC, which all browsers do play, decoded the same way
    /// for one code path).
    func playableAudio(path: String) throws -> [UInt8] {
        let all = try Self.readRecording(path, from: 0, to: 24 * 3600)
        return AudioWriter.wavBytes(channels: all.channels, sampleRateHz: all.sampleRateHz)
    }

    /// A stored call's recording, or 410 naming the file when it was moved or is unreadable since
    /// it was scored (the page says so instead of a bare 500).
    static func readRecording(_ path: String, from start: Double, to end: Double) throws -> (channels: [[Float]], sampleRateHz: Int) {
        do { return try AudioWriter.clip(of: path, startSeconds: start, endSeconds: end) } catch {
            throw HTTPError(.gone, message: "\((path as NSString).lastPathComponent): recording no longer readable (\(error.reasonText))")
        }
    }

    /// HTTP range requests (what a browser's audio element seeks with).
    static func ranged(_ bytes: [UInt8], range: String?) -> Response {
        var headers: HTTPFields = [.contentType: "audio/wav", .acceptRanges: "bytes", .cacheControl: "private, no-store"]
        guard let range, range.hasPrefix("bytes=") else {
            headers[.contentLength] = String(bytes.count)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let spec = range.dropFirst(6).split(separator: ",").first.map(String.init) ?? ""
        let parts = spec.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var start = 0, end = bytes.count - 1
        if parts.count == 2 {
            if parts[0].isEmpty, let suffix = Int(parts[1]) { start = max(0, bytes.count - suffix) }
            else if let s = Int(parts[0]) { start = s; if let e = Int(parts[1]) { end = min(e, bytes.count - 1) } }
        }
        guard parts.count == 2, start <= end, start < bytes.count else {
            headers[.contentRange] = "bytes */\(bytes.count)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
        headers[.contentRange] = "bytes \(start)-\(end)/\(bytes.count)"
        headers[.contentLength] = String(end - start + 1)
        return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes[start...end])))
    }
}
