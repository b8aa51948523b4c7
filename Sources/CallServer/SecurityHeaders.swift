import Hummingbird

/// Headers every response carries, error pages included: no framing, no sniffing, no referrer,
/// and scripts, styles and media only from this server (the one script is `/seek.js`).
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    static var fields: [(String, String)] {
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
        var response: Response
        do { response = try await next(request, context) } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for (name, value) in Self.fields { if let field = .init(name) as HTTPFields.Element.Name? { response.headers[field] = value } }
        return response
    }
}
