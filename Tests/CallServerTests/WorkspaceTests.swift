@testable import CallAnalysis
import CallScoring
@testable import CallServer
import CallStore
import CallStoreTesting
@testable import CallViews
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The QA team's workspace: Chinese first, the call search, review and disputes, calibration,
/// teams, each with its access rules.
@Suite struct WorkspaceTests {
    @Test(arguments: TestStores.kinds)
    func chineseFirstEnglishOnRequest(_ kind: StoreKind) async throws {
        #expect(Language.pick(query: nil, cookie: nil, acceptLanguage: nil) == .zh)
        #expect(Language.pick(query: nil, cookie: nil, acceptLanguage: "en-US,en;q=0.9,zh-CN;q=0.8") == .en)
        #expect(Language.pick(query: nil, cookie: nil, acceptLanguage: "fr-FR, zh-TW;q=0.5, en;q=0.4") == .zh)
        #expect(Language.pick(query: "en", cookie: "zh", acceptLanguage: "zh") == .en)
        #expect(Language.pick(query: "xx", cookie: "en", acceptLanguage: "zh") == .en)
        let (server, ids) = try ServerTests.fixture(kind)
        try await Application(router: server.router()).test(.router) { client in
            let (cookie, _, _) = try await ServerTests.signIn(client, "boss")
            let home = String(buffer: try await client.execute(uri: "/?month=2026-11", method: .get, headers: [.cookie: cookie]).body)
            #expect(home.contains("<html lang=\"zh-CN\"") && home.contains("坐席 · 2026年11月") && home.contains("Microsoft YaHei"))
            let call = String(buffer: try await client.execute(uri: "/calls/\(ids["1001"]!)", method: .get, headers: [.cookie: cookie]).body)
            // Rule names from the rubric, outcomes and the scorer's reasons, all in Chinese.
            #expect(call.contains("及时接听") && call.contains("需要通话文本") && call.contains("不适用"))
            #expect(!call.contains("notApplicable<") && !call.contains(">R1</td>"))
            // The analysis's warning, translated, without the recording's path.
            #expect(call.contains("分析提示") && call.contains("坐席判定在右声道：其第一句话（1.2 秒处，长 2.0 秒）比左声道早 1.5 秒"))
            #expect(!call.contains("SampleAudio/"))
            let english = try await client.execute(uri: "/calls/\(ids["1001"]!)?lang=en", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: english.body).contains("Prompt answer") && String(buffer: english.body).contains("<html lang=\"en\""))
            #expect(String(buffer: english.body).contains("<li>agent taken to be on the right channel: its first words (2.0 s at 1.2 s) come 1.5 s"))
            #expect(english.headers[values: .setCookie].contains { $0.hasPrefix("lang=en") })
        }
        // A centre's rubric renames a rule in its own words; the rest keep the defaults.
        let data = try JSONEncoder().encode(Rubric.standard)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["ruleText"] = ["R7": ["zh": ["name": "等待时长"]]]
        let renamed = try Rubric.load(try JSONSerialization.data(withJSONObject: object), path: "centre.json")
        #expect(renamed.text(of: "R7", language: "zh").name == "等待时长" && renamed.text(of: "R1", language: "zh").name == "及时接听")
    }

    @Test(arguments: TestStores.kinds)
    func callsAreFoundFilteredPagedAndExported(_ kind: StoreKind) async throws {
        let (server, ids) = try ServerTests.fixture(kind)
        try await Application(router: server.router()).test(.router) { client in
            let (boss, _, _) = try await ServerTests.signIn(client, "boss")
            let all = String(buffer: try await client.execute(uri: "/calls", method: .get, headers: [.cookie: boss]).body)
            #expect(all.contains("/calls/\(ids["1001"]!)\"") && all.contains("/calls/\(ids["1002"]!)\""))
            let one = String(buffer: try await client.execute(uri: "/calls?agent=1002&sort=scoreLow&from=2026-11-01&to=2026-11-30", method: .get, headers: [.cookie: boss]).body)
            #expect(one.contains("/calls/\(ids["1002"]!)\"") && !one.contains("/calls/\(ids["1001"]!)\""))
            let csv = try await client.execute(uri: "/calls?format=csv", method: .get, headers: [.cookie: boss])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("\u{FEFF}id,") && text.split(separator: "\r\n").count == 3)
            for bad in ["from=2026-13-01", "min=abc", "min=150", "rule=R99", "outcome=maybe", "sort=random", "page=0", "agent=%3Cx%3E"] {
                #expect(try await client.execute(uri: "/calls?\(bad)", method: .get, headers: [.cookie: boss]).status == .badRequest, "\(bad)")
            }
            // An agent asking for another agent's calls still sees only their own.
            let (agent, _, _) = try await ServerTests.signIn(client, "a1001")
            let own = String(buffer: try await client.execute(uri: "/calls?agent=1002", method: .get, headers: [.cookie: agent]).body)
            #expect(own.contains("/calls/\(ids["1001"]!)\"") && !own.contains("/calls/\(ids["1002"]!)\""))
        }
        #expect(try server.store.auditLog().contains { $0.action == "export" && $0.detail.contains("calls CSV") })
    }

    @Test(arguments: TestStores.kinds)
    func reviewersOverrideVerdictsAndAgentsDispute(_ kind: StoreKind) async throws {
        let (server, ids) = try ServerTests.fixture(kind)
        let call = ids["1001"]!, other = ids["1002"]!
        let before = try #require(try server.store.call(id: call))
        try await Application(router: server.router()).test(.router) { client in
            func post(_ uri: String, _ cookie: String, _ fields: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: fields)).status
            }
            let (agent, agentCSRF, _) = try await ServerTests.signIn(client, "a1001")
            #expect(try await post("/calls/\(call)/dispute", agent, "csrf=\(agentCSRF)&rule=R3&text=%E6%88%91%E9%97%AE%E5%80%99%E4%BA%86") == .seeOther)
            #expect(try await post("/calls/\(other)/dispute", agent, "csrf=\(agentCSRF)&rule=R3&text=x") == .forbidden)
            #expect(try await post("/calls/\(call)/verdict", agent, "csrf=\(agentCSRF)&rule=R3&outcome=pass") == .forbidden)
            #expect(try await client.execute(uri: "/review", method: .get, headers: [.cookie: agent]).status == .forbidden)
            let (qa, qaCSRF, _) = try await ServerTests.signIn(client, "checker")
            // R3 was a fail (the agent spoke 10 s after the answer); the reviewer passes it.
            #expect(before.rules.first { $0.rule == "R3" }?.outcome != .pass)
            #expect(try await post("/calls/\(call)/verdict", qa, "csrf=\(qaCSRF)&rule=R3&outcome=pass&comment=ok") == .seeOther)
            #expect(try await post("/calls/\(call)/verdict", qa, "csrf=\(qaCSRF)&rule=R99&outcome=pass") == .badRequest)
            let queue = String(buffer: try await client.execute(uri: "/review", method: .get, headers: [.cookie: qa]).body)
            #expect(queue.contains("我问候了"))
            // The reviewed call has left the queue; the other one waits.
            #expect(!queue.contains("href=\"/calls/\(call)\"") || !before.summary.review)
            let dispute = try #require(try server.store.disputes(callId: call).first)
            #expect(try await post("/calls/\(call)/dispute/\(dispute.id)/answer", qa, "csrf=\(qaCSRF)&text=agreed") == .seeOther)
            let page = String(buffer: try await client.execute(uri: "/calls/\(call)", method: .get, headers: [.cookie: qa]).body)
            #expect(page.contains("agreed") && page.contains("自动判定"))
            // Trainers see the call, not its disputes, and cannot search by them.
            let (coach, _, _) = try await ServerTests.signIn(client, "coach")
            let seen = String(buffer: try await client.execute(uri: "/calls/\(call)", method: .get, headers: [.cookie: coach]).body)
            #expect(!seen.contains("我问候了") && !seen.contains("申诉"))
            let list = String(buffer: try await client.execute(uri: "/calls?disputed=1", method: .get, headers: [.cookie: coach]).body)
            #expect(!list.contains("有申诉") && list.contains("/calls/\(other)\""))
            // Links never leave the server, whatever the path looked like.
            let odd = String(buffer: try await client.execute(uri: "//calls?x=1", method: .get, headers: [.cookie: coach]).body)
            #expect(!odd.contains("href=\"//"))
        }
        // A server running another rubric would rescore with the wrong weights: it refuses.
        var elsewhere = server
        elsewhere.rubric = { var r = Rubric.standard; r.name = "centre"; return r }()
        try await Application(router: elsewhere.router()).test(.router) { client in
            let (qa, qaCSRF, _) = try await ServerTests.signIn(client, "checker")
            let refused = try await client.execute(uri: "/calls/\(call)/verdict", method: .post,
                                                   headers: [.cookie: qa, .contentType: "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: "csrf=\(qaCSRF)&rule=R4&outcome=pass"))
            #expect(refused.status == .conflict)
        }
        let after = try #require(try server.store.call(id: call))
        #expect(after.summary.score > before.summary.score)
        #expect(after.rules.first { $0.rule == "R3" }?.outcome == before.rules.first { $0.rule == "R3" }?.outcome)  // automatic kept
        #expect(try server.store.disputes(callId: nil).isEmpty)  // answered
        let actions = Set(try server.store.auditLog().map(\.action))
        #expect(actions.isSuperset(of: ["dispute", "verdict", "answer", "denied"]))
        // The recording is rewritten and scored again: the old verdicts and disputes go, and the audit says so.
        try server.store.save(StoredCall(contentHash: "rewritten", path: after.summary.path, report: after.report,
                                         score: Scorer(rubric: .standard).score(after.report), rubric: "default v1"))
        #expect(try server.store.auditLog().contains { $0.action == "replaced" && $0.callId == call && $0.detail.contains("1 verdicts and 1 disputes") })
    }

    @Test(arguments: TestStores.kinds)
    func calibrationAndTeamsForTheRightPeople(_ kind: StoreKind) async throws {
        let (server, ids) = try ServerTests.fixture(kind)
        _ = try server.store.importAgents([AgentRecord(id: "1001", name: "王芳", team: "一组", teamLead: "李强"),
                                           AgentRecord(id: "1002", name: "张伟", team: "二组", teamLead: "")])
        try await Application(router: server.router()).test(.router) { client in
            let (qa, csrf, _) = try await ServerTests.signIn(client, "checker")
            let sheet = "call,rule,outcome\n\(ids["1001"]!),R3,pass\n\(ids["1002"]!),R3,fail\nnosuch.wav,R1,pass\n"
            let encoded = sheet.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let page = try await client.execute(uri: "/calibration", method: .post, headers: [.cookie: qa, .contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(string: "csrf=\(csrf)&sheet=\(encoded)"))
            let html = String(buffer: page.body)
            #expect(page.status == .ok && html.contains("规范问候") && html.contains("no stored call nosuch.wav"))
            let (agent, _, _) = try await ServerTests.signIn(client, "a1001")
            #expect(try await client.execute(uri: "/calibration", method: .get, headers: [.cookie: agent]).status == .forbidden)
            let (boss, _, _) = try await ServerTests.signIn(client, "boss")
            let team = String(buffer: try await client.execute(uri: "/teams/%E4%B8%80%E7%BB%84?month=2026-11", method: .get, headers: [.cookie: boss]).body)
            #expect(team.contains("班组 一组") && team.contains("李强") && team.contains("王芳") && !team.contains("张伟"))
            let home = String(buffer: try await client.execute(uri: "/?month=2026-11", method: .get, headers: [.cookie: boss]).body)
            #expect(home.contains("王芳") && home.contains("/teams/%E4%B8%80%E7%BB%84"))
            #expect(try await client.execute(uri: "/teams/%E4%BA%8C%E7%BB%84", method: .get, headers: [.cookie: agent]).status == .forbidden)
            // An agent sees their team's figures, not their teammates' rows.
            _ = try server.store.importAgents([AgentRecord(id: "1001", name: "王芳", team: "一组", teamLead: "李强"),
                                               AgentRecord(id: "1002", name: "张伟", team: "一组", teamLead: "李强")])
            let own = String(buffer: try await client.execute(uri: "/teams/%E4%B8%80%E7%BB%84?month=2026-11", method: .get, headers: [.cookie: agent]).body)
            #expect(own.contains("王芳") && !own.contains("张伟"))
            // A month without calls has no band.
            let empty = String(buffer: try await client.execute(uri: "/teams/%E4%B8%80%E7%BB%84?month=2026-10", method: .get, headers: [.cookie: boss]).body)
            #expect(empty.contains("本月没有已评分的通话") && !empty.contains("重罚"))
        }
        // Failed files, for reviewers, with the time in the centre's zone.
        try server.store.saveFailure(path: "/rec/broken-13812345678.wav", contentHash: nil, reason: "not a sound file")
        var shanghai = server
        shanghai.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        try await Application(router: shanghai.router()).test(.router) { client in
            let (boss, _, _) = try await ServerTests.signIn(client, "boss")
            let page = String(buffer: try await client.execute(uri: "/failures", method: .get, headers: [.cookie: boss]).body)
            #expect(page.contains("broken-138****5678.wav") && page.contains("not a sound file"))
            let (coach, _, _) = try await ServerTests.signIn(client, "coach")
            #expect(try await client.execute(uri: "/failures", method: .get, headers: [.cookie: coach]).status == .forbidden)
        }
        #expect(Pages.localTime("2026-12-01T16:30:00Z", TimeZone(identifier: "Asia/Shanghai")!) == "2026-12-02T00:30:00")
        // A transcript line with the greeting marked and a forbidden phrase marked as such, escaped.
        let line = Pages.highlighted("您好<b>，这个不归我管", rubric: .standard, agent: true)
        #expect(line == "<mark>您好</mark>&lt;b&gt;，这个<mark class=\"forbidden\">不归我管</mark>")
        #expect(Pages.highlighted("您好", rubric: .standard, agent: false) == "您好")
        // The R14 streak: months running at or under the watch line, newest first.
        #expect(Rubric.standard.rules.R14.watchStreak([78, 79, 85, 70]) == 2)
        #expect(Rubric.standard.rules.R14.watchStreak([81, 70]) == 0)
    }
}
