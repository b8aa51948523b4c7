import CallViews
import Hummingbird
import Logging

/// What every response goes through: an error becomes an HTML page that says what happened (a
/// failure inside is logged and shown as a 500, never a dropped connection), every request gets
/// an access-log line, and every response carries the security headers: no framing, no
/// sniffing, no referrer, and scripts, styles and media only from this server (the one script is
/// `/seek.js`).
struct ResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// Over HTTPS browsers are told to keep to it.
    var secure = false

    static var securityHeaders: [(String, String)] {
        [
            ("Content-Security-Policy",
             "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let language = CallServer.language(request)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = Self.page(error.status, error.body, language: language)
            if error.status == .forbidden { logger.notice("denied \(request.method) \(request.uri.path)") }
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)  // redirects to the login page
        } catch {
            logger.error("failed \(request.method) \(request.uri.path): \(error)")
            response = Self.page(.internalServerError, nil, language: language)
        }
        // The language switch's choice is kept for the next pages.
        if let asked = request.uri.queryParameters["lang"], Language.allCases.contains(where: { $0.rawValue == asked }) {
            response.setCookie(Cookie(name: "lang", value: String(asked), maxAge: 365 * 86_400, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
        }
        for (name, value) in Self.securityHeaders + (secure ? [("Strict-Transport-Security", "max-age=31536000")] : []) {
            if let field = .init(name) as HTTPFields.Element.Name? { response.headers[field] = value }
        }
        let elapsed = (ContinuousClock.now - started).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        logger.info("\(request.method) \(request.uri.path) \(response.status.code) \(Int(milliseconds.rounded())) ms")
        return response
    }

    static func page(_ status: HTTPResponse.Status, _ message: String?, language: Language = .zh) -> Response {
        let t = Catalogue.of(language)
        let known = [400, 403, 404, 410, 429]
        let title = known.contains(Int(status.code)) ? t["error_\(status.code)"] : status.code >= 500 ? t["error_500"] : status.reasonPhrase
        // Error pages have no viewer: numbers in them (a recording's file name) are masked for all.
        let fallback = status.code == 404 ? t["error_404_text"] : status.code >= 500 ? t["error_500_text"] : status.reasonPhrase
        let text = Pages.maskPhoneNumbers(message ?? fallback)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: Pages.message(title, text, viewer: nil, language: language))))
    }
}
