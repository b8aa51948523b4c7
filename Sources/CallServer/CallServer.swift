import CallAnalysis
import CallAudio
public import CallScoring
public import CallStore
import CallViews
public import Foundation
public import Hummingbird
import HummingbirdBcrypt
public import Logging
import Synchronization

/// `callqa serve`: scorecards, calls and the example library in a browser, on the database the
/// batch writes. Every page needs a signed-in user; agents see only their own calls. Recordings
/// are reached only through call ids the database knows: no path in a request touches the disk.
public struct CallServer: Sendable {
    public let store: any CallStore
    public var rubric: Rubric
    let nameLimiter = LoginLimiter(limit: LoginLimiter.perNameAndAddress)
    let addressLimiter = LoginLimiter(limit: LoginLimiter.perAddress)
    let accountLimiter = LoginLimiter(limit: LoginLimiter.perName)
    /// One line per request (method, path, status, milliseconds), denials and failures.
    public var logger = Logger(label: "callqa.serve")

    /// Served over HTTPS: Secure cookies and Strict-Transport-Security.
    public let secure: Bool
    /// Behind a reverse proxy on this machine: X-Forwarded-For names the client (see clientAddress).
    public let behindProxy: Bool
    /// How stored calls name this rubric (a verdict rescores a call only with the rubric it was scored with).
    public var rubricName: String { "\(rubric.name) v\(rubric.version)" }
    /// The centre's time zone, for the moments the server records (audit, disputes, failures).
    public var timeZone: TimeZone = .current

    public init(store: any CallStore, rubric: Rubric, secure: Bool = false, behindProxy: Bool = false) {
        self.store = store
        self.rubric = rubric
        self.secure = secure
        self.behindProxy = behindProxy
    }

    public static func hashPassword(_ password: String, cost: UInt8 = 12) -> String { Bcrypt.hash(password, cost: cost) }

    public func router() -> Router<CallRequestContext> {
        let router = Router(context: CallRequestContext.self)
        router.add(middleware: ResponseMiddleware(logger: logger, secure: secure))
        // For supervisors and probes: up, and the database answers.
        router.get("/health") { _, _ in
            guard (try? self.store.ping()) != nil else { return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "database unavailable\n"))) }
            return Response(status: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        // For liveness probes: the process answers (whatever the database is doing).
        router.get("/live") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/seek.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Pages.seekScript)))
        }
        router.get("/login") { request, _ in
            let csrf = Self.token()
            var response = Self.html(Pages.login(error: nil, csrf: csrf, next: Self.safeNext(request.uri.queryParameters["next"].map(String.init)),
                                                 language: Self.language(request), here: Self.here(request)))
            response.setCookie(self.cookie("login_csrf", csrf, maxAge: 900))
            return response
        }
        router.post("/login") { request, context in try await self.login(request, context) }
        router.post("/logout") { request, context in
            let (_, session, _) = try await self.authorise(request, post: true, context)
            try self.store.deleteSession(token: session.token)
            var response = Self.redirect("/login")
            response.setCookie(self.cookie("session", "", maxAge: 0))
            return response
        }
        addScorecardRoutes(to: router)
        addCallRoutes(to: router)
        addReviewRoutes(to: router)
        addFailureRoutes(to: router)
        return router
    }

    // MARK: - Access

    struct Viewer {
        var name: String
        var role: User.Role
        var agentId: String?
        var csrf: String
        var language: Language = .zh
        var here = "/"
        var timeZone: TimeZone = .current
        var page: Pages.Viewer { .init(name: name, role: role, csrfToken: csrf, language: language, here: here, timeZone: timeZone) }
        func mayView(agentId: String?) -> Bool { role != .agent || (agentId != nil && agentId == self.agentId) }
    }

    /// The signed-in user, or a redirect to the login page. POSTs must carry the session's CSRF token.
    /// For POSTs the form is read here (a body can be read once) and returned.
    func authorise(_ request: Request, post: Bool = false, _ context: CallRequestContext, bodyLimit: Int = 64 * 1024) async throws -> (Viewer, Session, [String: String]) {
        guard let token = request.cookies["session"]?.value, !token.isEmpty, let session = try store.session(token: token),
              let user = try store.user(named: session.user) else {
            let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
            throw RedirectError(location: "/login?next=\(next)")
        }
        var form: [String: String] = [:]
        if post {
            form = try await Self.form(request, limit: bodyLimit)
            guard let given = form["csrf"], Self.constantTimeEqual(given, session.csrfToken) else { throw HTTPError(.forbidden, message: "CSRF token missing or wrong") }
        }
        return (Viewer(name: user.name, role: user.role, agentId: user.agentId, csrf: session.csrfToken,
                       language: Self.language(request), here: Self.here(request), timeZone: timeZone), session, form)
    }

    func knownCall(_ context: CallRequestContext, viewer: Viewer) throws -> (Int64, (summary: CallSummary, report: CallReport, rules: [RuleResult])) {
        // Only ids the database knows: a forged or non-numeric id is a 404, never a path.
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0, let call = try store.call(id: id) else {
            throw HTTPError(.notFound)
        }
        guard viewer.mayView(agentId: call.summary.agentId) else {
            try store.audit(user: viewer.name, action: "denied", callId: id, detail: "call of another agent")
            throw HTTPError(.forbidden)
        }
        return (id, call)
    }

    func login(_ request: Request, _ context: CallRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        let next = Self.safeNext(form["next"])
        guard let given = form["csrf"], let expected = request.cookies["login_csrf"]?.value, Self.constantTimeEqual(given, expected) else {
            throw HTTPError(.forbidden, message: "CSRF token missing or wrong")
        }
        let name = form["user"] ?? "", password = form["password"] ?? ""
        let address = clientAddress(request, context)
        let pairKey = LoginLimiter.key(name, address: address)
        let shownName = String(name.prefix(64))
        let nameKey = LoginLimiter.key(name)
        let blocked = nameLimiter.isBlocked(pairKey)
        if blocked || addressLimiter.isThrottled(address) || accountLimiter.isThrottled(nameKey) {
            let (key, why) = blocked ? (pairKey, "too many failed logins for this name from \(address)")
                : addressLimiter.isThrottled(address) ? (address, "too many failed logins from \(address): throttled")
                : (nameKey, "too many failed logins for this name: throttled")
            if (blocked ? nameLimiter : addressLimiter).firstBlockInWindow(key) {
                try store.audit(user: shownName, action: "login blocked", callId: nil, detail: why)
            }
            var response = Self.html(Pages.login(error: "login_too_many", csrf: expected, next: next, language: Self.language(request)))
            response.status = .tooManyRequests
            return response
        }
        // An unknown user costs the same bcrypt as a known one: timing does not tell who exists.
        let user = name.count <= 256 ? try store.user(named: name) : nil
        let verified = Bcrypt.verify(password, hash: user?.passwordHash ?? Self.decoyHash)
        guard let user, verified else {
            nameLimiter.fail(pairKey)
            addressLimiter.fail(address)
            accountLimiter.fail(nameKey)
            try store.audit(user: shownName, action: "login failed", callId: nil,
                            detail: (user == nil ? "no such user" : "wrong password") + " from \(address)")
            var response = Self.html(Pages.login(error: "login_wrong", csrf: expected, next: next, language: Self.language(request)))
            response.status = .unauthorized
            return response
        }
        // The address's count stays: a valid account must not reset a spray.
        nameLimiter.succeed(pairKey)
        let session = Session(token: Self.token(), user: user.name, csrfToken: Self.token(), expires: Date().addingTimeInterval(8 * 3600))
        try store.saveSession(session)
        try store.audit(user: user.name, action: "login", callId: nil, detail: "from \(address)")
        var response = Self.redirect(next)
        response.setCookie(self.cookie("session", session.token, maxAge: 8 * 3600))
        return response
    }
}

/// Unauthenticated requests are sent to the login page.
struct RedirectError: HTTPResponseError {
    let location: String
    var status: HTTPResponse.Status { .seeOther }
    var headers: HTTPFields { [.location: location] }
    func body(allocator: ByteBufferAllocator) -> ByteBuffer? { nil }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
