import CallAudio
import CallStore
import CallViews
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

    /// Over HTTPS the cookies are Secure: never sent over plain HTTP.
    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
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

    static func form(_ request: Request, limit: Int = 64 * 1024) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        var out: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { out[parts[0]] = parts[1] } else if parts.count == 1 { out[parts[0]] = "" }
        }
        return out
    }

    /// The page language: `?lang=`, then the switch's cookie, then Accept-Language; Chinese otherwise.
    static func language(_ request: Request) -> Language {
        Language.pick(query: request.uri.queryParameters["lang"].map(String.init), cookie: request.cookies["lang"]?.value,
                      acceptLanguage: request.headers[.acceptLanguage])
    }

    /// This page's path and query, for links that change one parameter. Leading slashes are
    /// collapsed: `//host/x` in a link would leave the server.
    static func here(_ request: Request) -> String {
        var path = request.uri.path
        while path.hasPrefix("//") { path.removeFirst() }
        if !path.hasPrefix("/") { path = "/" + path }
        return path + (request.uri.query.map { "?" + $0 } ?? "")
    }

    static func validAgentId(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    func latestMonth() throws -> String? {
        try store.calls(startingWith: "", agentId: nil).compactMap { $0.startTime?.prefix(7) }.max().map(String.init)
    }

    /// A stored call's recording, or 410 naming the file when it was moved or is unreadable since
    /// it was scored (the page says so instead of a bare 500).
    static func readRecording(_ path: String, from start: Double, to end: Double) throws -> (channels: [[Float]], sampleRateHz: Int) {
        do { return try AudioWriter.clip(of: path, startSeconds: start, endSeconds: end) } catch {
            throw HTTPError(.gone, message: "\((path as NSString).lastPathComponent): recording no longer readable (\(error.reasonText))")
        }
    }
}
