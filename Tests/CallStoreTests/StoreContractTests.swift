@testable import CallAnalysis
import CallScoring
@testable import CallStore
import CallStoreTesting
import Foundation
import Testing

/// One suite, every store: each test runs on SQLite and, when a server is there, on PostgreSQL,
/// and asserts the same answers from both.
@Suite struct StoreContractTests {
    /// A scored call for `agent` starting on `day` of November 2026; `silent` leaves no speech
    /// (not counted), `hold` adds a hold of that many seconds.
    static func call(_ n: Int, agent: String? = "1001", day: Int = 1, score: Double? = nil, silent: Bool = false,
                     hold: Double? = nil, path: String? = nil, hash: String? = nil) -> StoredCall {
        let metrics = CallReport.PartyMetrics(talkSeconds: 30, activeLevelDbov: -24, snrDb: 30, clipped: false,
                                              speechRateCharsPerMinute: 120 + Double(n), pitchSpreadSemitones: 4, syllables: 50, medianF0Hz: 180)
        var segments: [CallReport.Segment] = silent ? [] : [.init(kind: .speech, party: .agent, holdKind: nil, startSeconds: 1, endSeconds: 31)]
        if let hold { segments.append(.init(kind: .hold, party: nil, holdKind: .music, startSeconds: 40, endSeconds: 40 + hold)) }
        let file = path ?? "/calls/2026-11-\(String(format: "%02d", day))/call-\(n).wav"
        let report = CallReport(
            file: file, durationSeconds: 60 + Double(n), sampleRateHz: 8000, channels: 2, layout: .stereo, agentChannel: "left",
            answer: .init(source: .none, rings: nil, answerSeconds: nil, tonePlan: nil, ringbackAnswerSeconds: nil, metadataAnswerSeconds: nil),
            parties: .init(agent: metrics, customer: metrics), mixed: nil, segments: segments,
            interruptions: [], ending: nil, totals: nil, flags: [],
            metadata: CallMetadata(source: "fileName", agentId: agent, startTime: "2026-11-\(String(format: "%02d", day))T10:\(String(format: "%02d", n % 60)):00"),
            attribution: nil, warnings: [])
        var scored = Scorer(rubric: .standard).score(report)
        if let score { scored.score = score }
        return StoredCall(contentHash: hash ?? "hash-\(n)", path: file, report: report, score: scored, rubric: "default v1")
    }

    @Test(.enabled(if: TestStores.postgresURL != nil, TestStores.skipNote))
    func postgresServerAnswers() throws {
        let (store, _) = try TestStores.make(.postgres)
        #expect(try store.count() == 0)
        #expect(try store.integrityProblems().isEmpty)
    }

    @Test(arguments: TestStores.kinds)
    func aCallIsStoredOnceWholeAndReplacedWhenRewritten(_ kind: StoreKind) throws {
        let (store, location) = try TestStores.make(kind)
        let first = Self.call(1)
        try store.save(first)
        try store.save(first)  // a re-run
        // Another worker with its own connection meets the same recording: still one.
        try SQLCallStore.open(location).save(first)
        #expect(try store.count() == 1)
        #expect(try store.contains(contentHash: "hash-1"))
        #expect(try !store.contains(contentHash: "hash-2"))
        let id = try #require(try store.calls(startingWith: "", agentId: nil).first?.id)
        let stored = try #require(try store.call(id: id))
        #expect(stored.report.segments == first.report.segments && stored.report.metadata == first.report.metadata && stored.report.file == first.path)
        #expect(stored.rules == first.score.rules.sorted { Int($0.rule.dropFirst())! < Int($1.rule.dropFirst())! })
        #expect(stored.summary.score == first.score.score && stored.summary.agentCharsPerMinute == 121)
        #expect(try store.report(callId: id)?.path == first.path)
        #expect(try store.rules(ofCall: id)?.count == first.score.rules.count)
        #expect(try store.rules(ofCall: id + 1000) == nil)
        // The same path with new content replaces the call, with its verdicts (audited).
        #expect(try store.setVerdict(callId: id, rule: "R3", outcome: .fail, comment: "c", reviewer: "qa", scorer: Scorer(rubric: .standard)))
        try store.save(Self.call(1, hash: "hash-1b"))
        #expect(try store.count() == 1)
        #expect(try store.contains(contentHash: "hash-1b") && !store.contains(contentHash: "hash-1"))
        #expect(try store.auditLog(limit: 5).first?.action == "replaced")
    }

    @Test(arguments: TestStores.kinds)
    func failuresAreSharedUpdatedAndClearedByAScore(_ kind: StoreKind) throws {
        let (store, location) = try TestStores.make(kind)
        try store.saveFailure(path: "/calls/b.wav", contentHash: nil, reason: "not audio")
        try SQLCallStore.open(location).saveFailure(path: "/calls/a.wav", contentHash: "x", reason: "too short")
        try store.saveFailure(path: "/calls/b.wav", contentHash: "y", reason: "cut off")
        #expect(try store.failures().map(\.path) == ["/calls/a.wav", "/calls/b.wav"])
        #expect(try store.failures().last?.reason == "cut off")
        try store.save(Self.call(1, path: "/calls/a.wav"))
        #expect(try store.failures().map(\.path) == ["/calls/b.wav"])
        try store.clearFailure(path: "/calls/b.wav")
        #expect(try store.failures().isEmpty)
    }

    @Test(arguments: TestStores.kinds)
    func scorecardQueriesAgree(_ kind: StoreKind) throws {
        let (store, _) = try TestStores.make(kind)
        try store.save(Self.call(1, day: 3, score: 90, hold: 70))
        try store.save(Self.call(2, day: 3, score: 70))
        try store.save(Self.call(3, day: 4, score: 80, hold: 20))
        try store.save(Self.call(4, agent: "1002", day: 4, score: 60))
        try store.save(Self.call(5, agent: "1002", day: 5, score: 50, silent: true))  // not counted
        try store.save(Self.call(6, agent: nil, day: 6, score: 40))
        try store.save(StoredCall(contentHash: "old", path: "/calls/old.wav", report: Self.call(7, day: 1).report.with(start: "2026-10-20T09:00:00"),
                                  score: Self.call(7, score: 100).score, rubric: "default v1"))
        #expect(try store.calls(startingWith: "2026-11", agentId: nil).count == 6)
        #expect(try store.calls(startingWith: "2026-11-04", agentId: nil).map(\.path) == ["/calls/2026-11-04/call-3.wav", "/calls/2026-11-04/call-4.wav"])
        #expect(try store.calls(startingWith: "", agentId: "1002").last?.notCountedBecause == "no speech in the recording")
        let months = try store.agentMonths(month: "2026-11", previous: "2026-10", agentId: nil)
        #expect(months.map(\.agentId) == ["1001", "1002", "unknown"])
        let first = try #require(months.first)
        #expect(first.calls == 3 && first.meanScore == 80 && first.holds == 2 && first.longestHoldSeconds == 70)
        #expect(first.previousMeanScore == 100 && first.daily.map(\.day) == ["2026-11-03", "2026-11-04"])
        #expect(try store.monthlyTrend(agentId: "1001").map(\.month) == ["2026-10", "2026-11"])
        let rates = try store.passRates(agentId: "1001", month: "2026-11")
        #expect(rates.map(\.rule) == rates.map(\.rule).sorted { Int($0.dropFirst())! < Int($1.dropFirst())! } && !rates.isEmpty)
        #expect(rates.allSatisfy { $0.passed <= $0.applicable })
        #expect(try store.callsByScore(agentId: nil, ascending: true, limit: 2).map(\.score) == [40, 60])
        #expect(try store.callsByScore(agentId: "1001", ascending: false, limit: 1).map(\.score) == [100])
        #expect(try store.ruleResults(rule: "R7", agentId: "1001").count == 4)
        #expect(try store.ruleResults(startingWith: "2026-11-03", agentId: nil).map(\.callId).count == 2 * Self.call(1).score.rules.count)
        let worst = try store.examples(rule: "R7", worst: true, agentId: nil, day: nil, limit: 3)
        #expect(worst.first?.path == "/calls/2026-11-03/call-1.wav" && worst.first?.result.outcome != .pass)
        #expect(try store.examples(rule: "R7", worst: false, agentId: "1002", day: "2026-11-04", limit: 3).map(\.path) == ["/calls/2026-11-04/call-4.wav"])
    }

    @Test(arguments: TestStores.kinds)
    func searchingCallsCombinesEveryFilter(_ kind: StoreKind) throws {
        let (store, _) = try TestStores.make(kind)
        for n in 1...6 { try store.save(Self.call(n, agent: n % 2 == 0 ? "1002" : "1001", day: n, score: Double(50 + 8 * n), hold: n == 3 ? 75 : nil)) }
        var filter = CallFilter()
        #expect(try store.calls(matching: filter).map(\.score) == [98, 90, 82, 74, 66, 58])  // newest first
        filter.agentIds = ["1002"]; filter.fromDay = "2026-11-03"; filter.toDay = "2026-11-06"
        #expect(try store.calls(matching: filter).map(\.path) == ["/calls/2026-11-06/call-6.wav", "/calls/2026-11-04/call-4.wav"])
        filter = CallFilter(); filter.minimumScore = 60; filter.maximumScore = 85; filter.order = .scoreLow
        #expect(try store.calls(matching: filter).map(\.score) == [66, 74, 82])
        filter = CallFilter(); filter.rule = "R7"; filter.outcome = "fail"
        #expect(try store.calls(matching: filter).map(\.path) == ["/calls/2026-11-03/call-3.wav"])
        filter = CallFilter(); filter.limit = 2; filter.offset = 2; filter.order = .oldest
        #expect(try store.calls(matching: filter).map(\.score) == [74, 82])
        let id = try #require(try store.calls(matching: filter).first?.id)
        filter = CallFilter(); filter.disputed = true
        #expect(try store.calls(matching: filter).isEmpty)
        let dispute = try store.addDispute(callId: id, rule: "R4", text: "我语速正常", by: "a1002")
        #expect(dispute > 0)
        #expect(try store.calls(matching: filter).map(\.id) == [id])
        #expect(try store.disputedCallIds(among: [id, id + 1]) == [id])
        #expect(try store.callIds(named: "call-3.wav") == [id])
        #expect(try store.callIds(named: "/calls/2026-11-03/call-3.wav") == [id])
        #expect(try store.callIds(named: "all-3.wav").isEmpty)  // a file name, not any suffix
    }

    /// What SQLite and PostgreSQL would order differently unless told: calls without a start
    /// time, rules without a badness, an empty list of agents, paths outside ASCII.
    @Test(arguments: TestStores.kinds)
    func nullsEmptyListsAndNonASCIISortAndMatchTheSame(_ kind: StoreKind) throws {
        let (store, _) = try TestStores.make(kind)
        var undated = Self.call(1, score: 70, path: "/录音/三月/无时间.wav")
        undated.report.metadata?.startTime = nil
        try store.save(undated)
        try store.save(Self.call(2, day: 2, score: 70, path: "/录音/三月/call-2.wav"))
        try store.save(Self.call(3, day: 3, score: 90, path: "/录音/三月/call-3.wav"))
        var filter = CallFilter()
        #expect(try store.calls(matching: filter).map(\.score) == [90, 70, 70])
        #expect(try store.calls(matching: filter).last?.startTime == nil)  // newest first: undated last
        filter.order = .oldest
        #expect(try store.calls(matching: filter).first?.startTime == nil)  // oldest first: undated first
        filter.order = .scoreLow
        #expect(try store.calls(matching: filter).map(\.path) == ["/录音/三月/call-2.wav", "/录音/三月/无时间.wav", "/录音/三月/call-3.wav"])
        #expect(try store.callsByScore(agentId: nil, ascending: true, limit: 3).map(\.path) == ["/录音/三月/无时间.wav", "/录音/三月/call-2.wav", "/录音/三月/call-3.wav"])
        filter = CallFilter(); filter.agentIds = []
        #expect(try store.calls(matching: filter).isEmpty)
        // R13 (line quality) carries no badness: the best examples list it first, the worst last.
        let best = try store.examples(rule: "R13", worst: false, agentId: nil, day: nil, limit: 5)
        let worst = try store.examples(rule: "R13", worst: true, agentId: nil, day: nil, limit: 5)
        #expect(best.map(\.result.badness) == worst.reversed().map(\.result.badness))
        #expect(try store.relocate(from: "/录音/三月", to: "/档案/2026年3月") == 3)
        #expect(try store.callIds(named: "无时间.wav").count == 1)
        #expect(try store.calls(startingWith: "", agentId: nil).allSatisfy { $0.path.hasPrefix("/档案/2026年3月/") })
    }

    @Test(arguments: TestStores.kinds)
    func reviewsDisputesAndCounting(_ kind: StoreKind) throws {
        let (store, _) = try TestStores.make(kind)
        let scorer = Scorer(rubric: .standard)
        try store.save(Self.call(1))
        let id = try #require(try store.calls(startingWith: "", agentId: nil).first?.id)
        let before = try #require(try store.call(id: id)).summary.score
        #expect(try !store.setVerdict(callId: id, rule: "R99", outcome: .fail, comment: "", reviewer: "qa", scorer: scorer))
        #expect(try store.setVerdict(callId: id, rule: "R3", outcome: .fail, comment: "未问候", reviewer: "qa", scorer: scorer))
        #expect(try store.setVerdict(callId: id, rule: "R3", outcome: .flag, comment: "再听", reviewer: "qa2", scorer: scorer))
        let verdicts = try store.verdicts(callId: id)
        #expect(verdicts.count == 1 && verdicts[0].outcome == .flag && verdicts[0].reviewer == "qa2" && verdicts[0].comment == "再听")
        #expect(try store.call(id: id)!.summary.score < before)
        #expect(try store.rubricName(callId: id) == "default v1")
        #expect(try store.ruleReason(callId: id, rule: "R3") != nil)
        let d = try store.addDispute(callId: id, rule: "R3", text: "I did greet", by: "a1001")
        #expect(try store.disputes(callId: nil).map(\.id) == [d])
        #expect(try store.answerDispute(id: d, callId: id, answer: "upheld", by: "qa"))
        #expect(try !store.answerDispute(id: d, callId: id, answer: "again", by: "qa"))
        #expect(try store.disputes(callId: nil).isEmpty && store.disputes(callId: id).first?.answer == "upheld")
        #expect(try store.setCounted(callId: id, false))
        #expect(try store.calls(startingWith: "", agentId: nil).first?.notCountedBecause == "left out by a reviewer")
        #expect(try store.agentMonths(month: "2026-11", previous: nil, agentId: nil).isEmpty)
        #expect(try store.setCounted(callId: id, nil) && !store.setCounted(callId: id + 99, true))
        #expect(try store.agentMonths(month: "2026-11", previous: nil, agentId: nil).count == 1)
        #expect(try store.importAgents([AgentRecord(id: "1001", name: "王芳", team: "B", teamLead: "lead"),
                                        AgentRecord(id: "1002", name: "李娜", team: "A", teamLead: "lead")]) == 2)
        #expect(try store.agentRecords().map(\.id) == ["1002", "1001"])
    }

    @Test(arguments: TestStores.kinds)
    func accountsSessionsAndAudit(_ kind: StoreKind) throws {
        let (store, _) = try TestStores.make(kind)
        #expect(try store.addUser(User(name: "qa", role: .qa, agentId: nil, passwordHash: "h1")))
        #expect(try !store.addUser(User(name: "qa", role: .manager, agentId: nil, passwordHash: "h2")))
        try store.saveUser(User(name: "a1", role: .agent, agentId: "1001", passwordHash: "h3"))
        #expect(try store.accounts().map(\.name) == ["a1", "qa"])
        try store.saveSession(Session(token: "t1", user: "qa", csrfToken: "c", expires: Date().addingTimeInterval(60)))
        try store.saveSession(Session(token: "t0", user: "qa", csrfToken: "c", expires: Date().addingTimeInterval(-1)))
        #expect(try store.session(token: "t1")?.user == "qa")
        #expect(try store.session(token: "t0") == nil)  // expired
        #expect(try store.setDisabled("qa", true))
        #expect(try store.user(named: "qa") == nil && store.session(token: "t1") == nil)
        #expect(try store.setDisabled("qa", false) && store.user(named: "qa")?.passwordHash == "h1")
        #expect(try store.setPassword("qa", hash: "h9") && !store.setPassword("nobody", hash: "x"))
        #expect(try store.deleteUser("a1") && !store.deleteUser("a1"))
        for i in 0..<3 { try store.audit(user: "qa", action: "view", callId: Int64(i), detail: "第\(i)") }
        #expect(try store.auditLog(limit: 2).map(\.callId) == [2, 1])
    }

    @Test(arguments: TestStores.kinds)
    func rescorePurgeAndRelocate(_ kind: StoreKind) throws {
        let (store, _) = try TestStores.make(kind)
        try store.save(Self.call(1, day: 1))
        try store.save(Self.call(2, day: 20))
        let id = try #require(try store.calls(startingWith: "2026-11-01", agentId: nil).first?.id)
        #expect(try store.setVerdict(callId: id, rule: "R3", outcome: .fail, comment: "", reviewer: "qa", scorer: Scorer(rubric: .standard)))
        let verdictScore = try #require(try store.call(id: id)).summary.score
        #expect(try store.rescore(Scorer(rubric: .standard), rubric: "default v2") == 2)
        #expect(try store.call(id: id)?.summary.score == verdictScore)  // the reviewer's verdict outlives a rescore
        #expect(try store.rubricName(callId: id) == "default v2")
        try store.saveFailure(path: "/calls/2026-11-20/bad.wav", contentHash: nil, reason: "x")
        try store.saveFailure(path: "/archive/2026-11-20/bad.wav", contentHash: nil, reason: "older")
        #expect(try store.relocate(from: "/calls", to: "/archive") == 2)
        #expect(try store.calls(startingWith: "", agentId: nil).allSatisfy { $0.path.hasPrefix("/archive/") })
        #expect(try store.failures().map(\.reason) == ["x"])
        #expect(try store.purge(startedBefore: "2026-11-10") == 1)
        #expect(try store.count() == 1 && store.verdicts(callId: id).isEmpty)
    }

    @Test(arguments: TestStores.kinds)
    func oneRunPerStoreAndShardAndAReadOnlyReader(_ kind: StoreKind) throws {
        let (store, location) = try TestStores.make(kind)
        let other = try SQLCallStore.open(location)
        let run = try #require(try store.runLock(""))
        #expect(try other.runLock("") == nil)
        let shard = try #require(try other.runLock(".shard-1-of-2"))
        run.release()
        try #require(try other.runLock("")).release()
        shard.release()
        try store.save(Self.call(1))
        #expect(try SQLCallStore.open(location, readOnly: true).count() == 1)
    }

    /// Two connections saving the same calls at once, as two workers meeting copies would.
    @Test(arguments: TestStores.kinds)
    func concurrentWritersStoreEachCallOnce(_ kind: StoreKind) async throws {
        let (_, location) = try TestStores.make(kind)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let store = try SQLCallStore.open(location)
                    for n in 0..<20 { try store.save(Self.call(n, day: 1 + n % 28)) }
                }
            }
            try await group.waitForAll()
        }
        let store = try SQLCallStore.open(location)
        #expect(try store.count() == 20)
        #expect(try store.ruleResults(startingWith: "", agentId: nil).count == 20 * Self.call(0).score.rules.count)
    }
}

extension CallReport {
    func with(start: String) -> CallReport {
        var copy = self
        copy.metadata?.startTime = start
        return copy
    }
}
