@testable import CallAnalysis
import CallAudio
import CallScoring
@testable import CallServer
import CallStore
import CallStoreTesting
import CallViews
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Routes, roles and refusals, through the router (no sockets).
@Suite struct ServerTests {
    /// A database with two agents' calls (one real recording each, so audio can be served) and
    /// three users.
    /// On SQLite unless `kind` says otherwise (the workspace's tests run on both stores).
    static func fixture(_ kind: StoreKind = .sqlite) throws -> (CallServer, [String: Int64]) {
        let store = try TestStores.make(kind).store
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../SampleAudio").standardized
        var ids: [String: Int64] = [:]
        for (agent, file) in [("1001", "20261123-140905_agent-1001_call-000009.wav"), ("1002", "20261123-091544_agent-1002_call-000002.wav")] {
            let report = CallReport(
                file: samples.appendingPathComponent(file).path, durationSeconds: 100, sampleRateHz: 8000, channels: 2, layout: .stereo,
                agentChannel: "left",
                answer: .init(source: .none, rings: nil, answerSeconds: nil, tonePlan: nil, ringbackAnswerSeconds: nil, metadataAnswerSeconds: nil),
                parties: .init(agent: nil, customer: nil), mixed: nil,
                segments: [.init(kind: .speech, party: .agent, holdKind: nil, startSeconds: 10, endSeconds: 20)],
                interruptions: [], ending: nil, totals: nil, flags: [],
                metadata: CallMetadata(source: "fileName", agentId: agent, startTime: "2026-11-23T10:00:00"), attribution: nil,
                // Agent 1001's side was taken from the audio: the call page says so.
                warnings: agent == "1001" ? [samples.appendingPathComponent(file).path + ": " + Self.sideWarning] : [])
            var score = Scorer(rubric: .standard).score(report)
            score.rules[0].reason = "customer said 13812345678"
            try store.save(StoredCall(contentHash: "hash-\(agent)", path: report.file, report: report, score: score, rubric: "default v1"))
            ids[agent] = try store.calls(startingWith: "", agentId: agent).first!.id
        }
        for (name, role, agent) in [("boss", User.Role.manager, nil), ("checker", .qa, nil), ("a1001", .agent, "1001"), ("coach", .trainer, nil)] {
            try store.saveUser(User(name: name, role: role, agentId: agent, passwordHash: CallServer.hashPassword("password-\(name)", cost: 4)))
        }
        return (CallServer(store: store, rubric: .standard), ids)
    }

    static let sideWarning = "agent taken to be on the right channel: its first words (2.0 s at 1.2 s) come 1.5 s before the left "
        + "channel's; --agent-channel left or right fixes the side"

    /// Signs in through the login form and returns the session cookie and CSRF token.
    static func signIn(_ client: some TestClientProtocol, _ user: String, password: String? = nil, from address: String? = nil) async throws -> (cookie: String, csrf: String, status: HTTPResponse.Status) {
        let page = try await client.execute(uri: "/login", method: .get)
        let loginCSRF = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("login_csrf=") })
            .split(separator: ";")[0].dropFirst("login_csrf=".count)
        let body = "csrf=\(loginCSRF)&next=%2F&user=\(user)&password=\(password ?? "password-\(user)")"
        var headers: HTTPFields = [.cookie: "login_csrf=\(loginCSRF)", .contentType: "application/x-www-form-urlencoded"]
        if let address { headers[.init("X-Forwarded-For")!] = "203.0.113.250, \(address)" }
        let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: body))
        guard let session = response.headers[values: .setCookie].first(where: { $0.hasPrefix("session=") }) else { return ("", "", response.status) }
        let cookie = String(session.split(separator: ";")[0])
        let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
        let html = String(buffer: home.body)
        let csrf = html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression)
            .map { String(html[$0]).split(separator: "\"")[3] }.map(String.init) ?? ""
        return (cookie, csrf, response.status)
    }

    @Test func unauthenticatedRequestsGoToLogin() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            for uri in ["/", "/agents/1001", "/calls/\(ids["1001"]!)", "/calls/\(ids["1001"]!)/audio", "/examples", "/audit"] {
                let r = try await client.execute(uri: uri, method: .get)
                #expect(r.status == .seeOther, "\(uri)")
                #expect(r.headers[.location]?.hasPrefix("/login") == true)
            }
            let forgedCookie = try await client.execute(uri: "/", method: .get, headers: [.cookie: "session=deadbeef"])
            #expect(forgedCookie.status == .seeOther)
        }
    }

    @Test func managersSeeEverythingWithNumbersMasked() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, status) = try await Self.signIn(client, "boss")
            #expect(status == .seeOther)
            let home = try await client.execute(uri: "/?month=2026-11", method: .get, headers: [.cookie: cookie])
            #expect(home.status == .ok)
            let html = String(buffer: home.body)
            #expect(html.contains("/agents/1001") && html.contains("/agents/1002"))
            let call = try await client.execute(uri: "/calls/\(ids["1002"]!)", method: .get, headers: [.cookie: cookie])
            let page = String(buffer: call.body)
            #expect(call.status == .ok && page.contains("<svg") && page.contains("/calls/\(ids["1002"]!)/audio"))
            #expect(page.contains("138****5678") && !page.contains("13812345678"))
            let audit = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: cookie])
            #expect(audit.status == .ok)
        }
    }

    @Test func qaSeesWholeNumbers() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, _) = try await Self.signIn(client, "checker")
            let call = try await client.execute(uri: "/calls/\(ids["1001"]!)", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: call.body).contains("13812345678"))
            let audit = try await client.execute(uri: "/audit", method: .get, headers: [.cookie: cookie])
            #expect(audit.status == .forbidden)
        }
    }

    @Test func agentsSeeOnlyTheirOwnCalls() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, _) = try await Self.signIn(client, "a1001")
            let own = try await client.execute(uri: "/calls/\(ids["1001"]!)", method: .get, headers: [.cookie: cookie])
            #expect(own.status == .ok)
            for uri in ["/calls/\(ids["1002"]!)", "/calls/\(ids["1002"]!)/audio", "/agents/1002"] {
                let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
                #expect(r.status == .forbidden, "\(uri)")
            }
            let home = String(buffer: try await client.execute(uri: "/?month=2026-11", method: .get, headers: [.cookie: cookie]).body)
            #expect(home.contains("/agents/1001") && !home.contains("/agents/1002"))
        }
    }

    @Test func pathsAndForgedIdsAreRefused() async throws {
        let (server, _) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, _) = try await Self.signIn(client, "boss")
            for uri in ["/calls/..%2F..%2Fetc%2Fpasswd", "/calls/../../etc/passwd", "/calls/999999", "/calls/-1/audio", "/calls/1e3",
                        "/calls/%2Fetc%2Fpasswd/audio", "/agents/..%2Fx"] {
                let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
                #expect(r.status == .notFound || r.status == .badRequest, "\(uri): \(r.status)")
            }
        }
    }

    @Test func audioIsServedWithRangesAndAudited() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, _) = try await Self.signIn(client, "boss")
            let uri = "/calls/\(ids["1001"]!)/audio"
            let whole = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
            #expect(whole.status == .ok && whole.headers[.contentType] == "audio/wav")
            let bytes = whole.body.readableBytes
            #expect(String(buffer: whole.body).hasPrefix("RIFF"))
            let part = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie, .range: "bytes=100-199"])
            #expect(part.status == .partialContent && part.body.readableBytes == 100)
            #expect(part.headers[.contentRange] == "bytes 100-199/\(bytes)")
            let beyond = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie, .range: "bytes=\(bytes + 10)-"])
            #expect(beyond.status == .rangeNotSatisfiable)
            #expect(try server.store.auditLog().contains { $0.action == "play" && $0.callId == ids["1001"] && $0.user == "boss" })
        }
    }

    @Test func postsNeedTheCSRFTokenAndLoginsAreRateLimited() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, csrf, _) = try await Self.signIn(client, "boss")
            let uri = "/calls/\(ids["1001"]!)/clip"
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let forged = try await client.execute(uri: uri, method: .post, headers: form, body: ByteBuffer(string: "csrf=wrong&start=10&end=12"))
            #expect(forged.status == .forbidden)
            let clip = try await client.execute(uri: uri, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf)&start=10&end=12"))
            #expect(clip.status == .ok && String(buffer: clip.body).hasPrefix("RIFF"))
            #expect(try server.store.auditLog().contains { $0.action == "export" })
            // Numbers that cannot be seconds are a 400, and the server goes on answering.
            for bad in ["start=inf", "start=1e300", "start=nan", "end=-inf", "start=-1", "end=abc", "start=10&end=1e308"] {
                let r = try await client.execute(uri: uri, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf)&\(bad)"))
                #expect(r.status == .badRequest, "\(bad): \(r.status)")
            }
            let again = try await client.execute(uri: uri, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf)&start=1&end=2"))
            #expect(again.status == .ok)
            for _ in 0..<5 {
                let (_, _, status) = try await Self.signIn(client, "checker", password: "wrong-password")
                #expect(status == .unauthorized)
            }
            let (_, _, blocked) = try await Self.signIn(client, "checker")
            #expect(blocked == .tooManyRequests)
        }
    }

    /// Over real sockets, behind a (pretend) proxy on loopback: a stranger's wrong passwords lock
    /// out only the stranger, and one address spraying many names is stopped.
    @Test func loginLimitsCountByAddress() async throws {
        let (plain, _) = try Self.fixture()
        let server = CallServer(store: plain.store, rubric: plain.rubric, behindProxy: true)
        // Known names (cheap hashes): unknown ones cost the production bcrypt, slow in a debug build.
        for i in 0..<LoginLimiter.perAddress {
            try plain.store.saveUser(User(name: "user\(i)", role: .qa, agentId: nil, passwordHash: CallServer.hashPassword("password-user\(i)", cost: 4)))
        }
        try await Application(router: server.router()).test(.live) { client in
            for _ in 0..<LoginLimiter.perNameAndAddress {
                #expect(try await Self.signIn(client, "checker", password: "wrong-password", from: "10.0.0.1").status == .unauthorized)
            }
            #expect(try await Self.signIn(client, "checker", from: "10.0.0.1").status == .tooManyRequests)
            #expect(try await Self.signIn(client, "checker", from: "10.0.0.2").status == .seeOther)
            for i in 0..<LoginLimiter.perAddress {
                #expect(try await Self.signIn(client, "user\(i)", password: "guess", from: "10.0.0.3").status == .unauthorized)
            }
            #expect(try await Self.signIn(client, "boss", from: "10.0.0.3").status == .tooManyRequests)
            #expect(try await Self.signIn(client, "boss", from: "10.0.0.4").status == .seeOther)
            let audit = try server.store.auditLog()
            #expect(audit.contains { $0.action == "login blocked" && $0.detail.contains("10.0.0.3") })
            #expect(audit.contains { $0.action == "login failed" && $0.detail.contains("from 10.0.0.1") })
        }
        // Not behind a proxy, the header is the client's word and is ignored: all of this is one address.
        try await Application(router: plain.router()).test(.live) { client in
            for i in 0..<LoginLimiter.perAddress {
                _ = try await Self.signIn(client, "user\(i)", password: "guess", from: "10.0.1.\(i)")
            }
            #expect(try await Self.signIn(client, "boss", from: "10.0.1.99").status == .tooManyRequests)
        }
    }

    @Test func healthHeadersAndTheSeekScript() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok && String(buffer: health.body) == "ok\n")
            let (cookie, _, _) = try await Self.signIn(client, "boss")
            for (uri, status) in [("/calls/\(ids["1001"]!)", HTTPResponse.Status.ok), ("/calls/999999", .notFound), ("/nowhere", .notFound), ("/seek.js", .ok)] {
                let r = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
                #expect(r.status == status, "\(uri)")
                let policy = r.headers[values: .init("Content-Security-Policy")!].first ?? ""
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"), "\(uri): \(policy)")
                #expect(r.headers[.init("X-Content-Type-Options")!] == "nosniff" && r.headers[.init("Referrer-Policy")!] == "no-referrer", "\(uri)")
            }
            let page = String(buffer: try await client.execute(uri: "/calls/\(ids["1001"]!)", method: .get, headers: [.cookie: cookie]).body)
            #expect(page.contains("<script src=\"/seek.js\"></script>") && !page.contains("<script>"))
        }
    }

    @Test func signInGoesNowhereElseAndFloodsStayBounded() {
        #expect(CallServer.safeNext("/calls/3?x=1") == "/calls/3?x=1")
        for bad in ["/\\evil.example/", "//evil.example", "https://evil.example", "/\u{0}x", "javascript:alert(1)", "", nil] {
            #expect(CallServer.safeNext(bad) == "/", "\(String(describing: bad))")
        }
        #expect(LoginLimiter.key(String(repeating: "名", count: 60_000)).count == 64)
        let limiter = LoginLimiter(limit: LoginLimiter.perNameAndAddress)
        for i in 0..<(LoginLimiter.maximumKeys + 300) { limiter.fail(LoginLimiter.key("user-\(i)", address: "10.0.0.1")) }
        #expect(limiter.trackedKeys <= LoginLimiter.maximumKeys)
    }

    @Test func everyAccessIsAuditedOnceAndTheAuditIsMasked() async throws {
        let (server, ids) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, _) = try await Self.signIn(client, "boss")
            let uri = "/calls/\(ids["1001"]!)/audio"
            let before = try server.store.auditLog(limit: 1000).filter { $0.action == "play" }.count
            for range in ["bytes=1-", "bytes=-2000000", "bytes=00-", "bytes=100-199"] {
                _ = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie, .range: range])
            }
            #expect(try server.store.auditLog(limit: 1000).filter { $0.action == "play" }.count == before + 4)
            // Denials and failed logins are audited too.
            let (agent, _, _) = try await Self.signIn(client, "a1001")
            let denied = try await client.execute(uri: "/calls/\(ids["1002"]!)", method: .get, headers: [.cookie: agent])
            #expect(denied.status == .forbidden)
            _ = try await Self.signIn(client, "checker", password: "not-the-password")
            let log = try server.store.auditLog(limit: 1000)
            #expect(log.contains { $0.action == "denied" && $0.user == "a1001" })
            #expect(log.contains { $0.action == "login failed" && $0.user == "checker" })
            // A manager's audit page masks customers' numbers like every other page.
            try server.store.audit(user: "boss", action: "export", callId: ids["1001"], detail: "customer 13812345678")
            let page = String(buffer: try await client.execute(uri: "/audit", method: .get, headers: [.cookie: cookie]).body)
            #expect(page.contains("138****5678") && !page.contains("13812345678"))
        }
    }

    @Test func disabledOrRepassedAccountsLoseTheirSessions() async throws {
        let (server, _) = try Self.fixture()
        try await Application(router: server.router()).test(.router) { client in
            #expect(try !server.store.addUser(User(name: "boss", role: .agent, agentId: "9", passwordHash: "x")))  // no silent overwrite
            let (cookie, _, _) = try await Self.signIn(client, "checker")
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).status == .ok)
            #expect(try server.store.setDisabled("checker", true))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).status == .seeOther)
            #expect(try await Self.signIn(client, "checker").status == .unauthorized)
            #expect(try server.store.setDisabled("checker", false))
            let (again, _, _) = try await Self.signIn(client, "checker")
            #expect(try server.store.setPassword("checker", hash: CallServer.hashPassword("a-new-password", cost: 4)))
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: again]).status == .seeOther)
            #expect(try await Self.signIn(client, "checker", password: "a-new-password").status == .seeOther)
            #expect(try server.store.deleteUser("checker"))
            #expect(try server.store.accounts().map(\.name) == ["a1001", "boss", "coach"])
        }
    }

    /// Malformed, huge and non-finite values on every route and parameter: every request is
    /// answered (an error is a page, never a dropped connection) and the server keeps running.
    @Test func fuzzedRequestsAreAllAnswered() async throws {
        let (server, ids) = try Self.fixture()
        let id = ids["1001"]!
        let values = ["", "-1", "0", "nan", "inf", "-inf", "1e308", "9223372036854775808", "%", "%zz", "%00", "../../etc/passwd",
                      "<script>x</script>", "R99", "9999-99-99", String(repeating: "9", count: 5000), "名字", "'; DROP TABLE call;--"]
        let paths = ["/", "/agents/V", "/calls/V", "/calls/V/audio", "/examples", "/audit", "/login", "/health", "/seek.js", "/V",
                     "/calls", "/review", "/calibration", "/teams/V"]
        let queries = ["month", "rule", "order", "agent", "day", "next", "lang", "from", "to", "min", "max", "outcome", "sort", "page", "team", "format"]
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, csrf, _) = try await Self.signIn(client, "boss")
            var answered = 0
            for path in paths {
                for value in values {
                    let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    let route = path.replacingOccurrences(of: "V", with: encoded)
                    let query = queries.map { "\($0)=\(value.hasPrefix("%") ? value : encoded)" }.joined(separator: "&")
                    let r = try await client.execute(uri: route + "?" + query, method: .get, headers: [.cookie: cookie, .range: "bytes=\(value)-\(value)"])
                    #expect(r.status.code < 500 || r.status.code == 503, "\(route) \(value): \(r.status)")
                    answered += 1
                }
            }
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            for value in values {
                let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for body in ["csrf=\(csrf)&start=\(encoded)&end=\(encoded)", "csrf=\(encoded)", String(repeating: "a=\(encoded)&", count: 200)] {
                    let r = try await client.execute(uri: "/calls/\(id)/clip", method: .post, headers: form, body: ByteBuffer(string: body))
                    #expect(r.status.code < 500, "clip \(value): \(r.status)")
                    let l = try await client.execute(uri: "/login", method: .post, headers: form, body: ByteBuffer(string: body))
                    #expect(l.status.code < 500, "login \(value): \(l.status)")
                    for route in ["/calls/\(id)/verdict", "/calls/\(id)/dispute", "/calls/\(id)/dispute/\(encoded)/answer", "/calibration"] {
                        let fields = "csrf=\(csrf)&rule=\(encoded)&outcome=\(encoded)&comment=\(encoded)&text=\(encoded)&sheet=\(encoded)"
                        let r = try await client.execute(uri: route, method: .post, headers: form, body: ByteBuffer(string: fields))
                        #expect(r.status.code < 500, "\(route) \(value): \(r.status)")
                    }
                    answered += 6
                }
            }
            #expect(answered > 200)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            // An error is a page that says what happened.
            let missing = try await client.execute(uri: "/calls/999999", method: .get, headers: [.cookie: cookie])
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true
                    && String(buffer: missing.body).contains("未找到"))
            let english = try await client.execute(uri: "/calls/999999", method: .get, headers: [.cookie: cookie, .acceptLanguage: "en-GB,en;q=0.9"])
            #expect(String(buffer: english.body).contains("Not found"))
            #expect(try server.store.integrityProblems().isEmpty)
        }
    }

    @Test func audioRangesAreDecodedOnDemandAndExact() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../SampleAudio").standardized
        for file in ["20261123-140905_agent-1001_call-000009.wav", "20261123-104510_agent-1002_call-000006.wav", "20261123-113300_agent-1004_call-000008.flac"] {
            let path = samples.appendingPathComponent(file).path
            let all = try AudioDecoder.readAll(path: path)
            let whole = AudioWriter.wavBytes(channels: all.channels, sampleRateHz: all.sampleRateHz)
            let stream = try AudioStream(path: path)
            #expect(stream.byteCount == whole.count, "\(file)")
            for range in [0...43, 0...100, 40...5000, 44...45, 12_345...67_891, (whole.count - 7)...(whole.count - 1)] {
                #expect(try stream.bytes(range) == Array(whole[range]), "\(file) \(range)")
            }
        }
        #expect(AudioStream.byteRange("bytes=-2000000", count: 1000) == 0...999)
        #expect(AudioStream.byteRange("bytes=00-", count: 1000) == 0...999)
        #expect(AudioStream.byteRange("bytes=5-2", count: 1000) == nil)
        #expect(AudioStream.byteRange("bytes=2000-", count: 1000) == nil)
    }

    @Test func overHTTPSCookiesAreSecureAndBrowsersAreToldToStay() async throws {
        let (plain, _) = try Self.fixture()
        let server = CallServer(store: plain.store, rubric: plain.rubric, secure: true)
        try await Application(router: server.router()).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(page.headers[values: .setCookie].allSatisfy { $0.contains("Secure") })
            #expect(page.headers[.init("Strict-Transport-Security")!] == "max-age=31536000")
        }
        try await Application(router: plain.router()).test(.router) { client in
            let page = try await client.execute(uri: "/login", method: .get)
            #expect(page.headers[.init("Strict-Transport-Security")!] == nil)
        }
    }

    @Test func phoneNumbersAreMasked() {
        #expect(Pages.maskPhoneNumbers("call 13812345678 now") == "call 138****5678 now")
        #expect(Pages.maskPhoneNumbers("order 1234567890123") == "order 1234567890123")
        #expect(Pages.maskPhoneNumbers("12812345678") == "12812345678")
    }
}
