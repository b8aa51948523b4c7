@testable import CallAnalysis
import CallScoring
import Foundation
import Testing

@Suite struct ScoringTests {
    static let modelsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Models").standardized

    @Test func shippedRubricIsTheStandardOne() throws {
        let data = try Data(contentsOf: Self.modelsFolder.appendingPathComponent("rubrics/default.json"))
        #expect(try Rubric.load(data, path: "default.json") == Rubric.standard)
        #expect(Rubric.standard.problems().isEmpty)
    }

    @Test func aRubricFromBeforeTheAttributionThresholdStillLoads() throws {
        let data = try Data(contentsOf: Self.modelsFolder.appendingPathComponent("rubrics/default.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var rules = try #require(object["rules"] as? [String: Any])
        var r13 = try #require(rules["R13"] as? [String: Any])
        r13["minimumAttributionConfidence"] = nil
        rules["R13"] = r13
        object["rules"] = rules
        let older = try Rubric.load(try JSONSerialization.data(withJSONObject: object), path: "older.json")
        #expect(older.rules.R13.minimumAttributionConfidence == 0.5)
    }

    @Test func unknownRubricKeysAreRefusedByName() throws {
        let data = try Data(contentsOf: Self.modelsFolder.appendingPathComponent("rubrics/default.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var rules = try #require(object["rules"] as? [String: Any])
        var r4 = try #require(rules["R4"] as? [String: Any])
        r4["maxCharsPerMinute"] = 200  // for maximumCharsPerMinute
        rules["R4"] = r4
        object["rules"] = rules
        object["colour"] = "blue"
        let misspelt = try JSONSerialization.data(withJSONObject: object)
        #expect {
            try Rubric.load(misspelt, path: "ours.json")
        } throws: { error in
            let text = "\(error)"
            return text.contains("ours.json") && text.contains("rules.R4.maxCharsPerMinute: not a rubric setting") && text.contains("colour")
        }
    }

    @Test func badRubricsNameTheirKey() throws {
        var r = Rubric.standard
        r.rules.R4.minimumCharsPerMinute = 200
        r.rules.R7.scoring.weight = -1
        r.rules.R12.hours = [["9am", "12:00"]]
        let problems = r.problems()
        #expect(problems.contains { $0.hasPrefix("rules.R4") })
        #expect(problems.contains { $0.hasPrefix("rules.R7.scoring.weight") })
        #expect(problems.contains { $0.hasPrefix("rules.R12.hours[0]") })
        let broken = Data(#"{"name": "x", "version": 1, "credit": {"pass": 1, "flag": 0.5, "fail": 0}, "rules": {}}"#.utf8)
        #expect {
            try Rubric.load(broken, path: "mine.json")
        } throws: { error in
            "\(error)".contains("mine.json") && "\(error)".contains("missing key rules.R1")
        }
    }

    /// A small stereo report: answered after `rings`, the agent at `rate`, one hold.
    static func report(rings: Int?, rate: Double, holdSeconds: Double, customerSnr: Double = 30) -> CallReport {
        let party = { (level: Double, snr: Double, rate: Double) in
            CallReport.PartyMetrics(talkSeconds: 40, activeLevelDbov: level, snrDb: snr, clipped: false,
                                    speechRateCharsPerMinute: rate, pitchSpreadSemitones: 5, syllables: 90, medianF0Hz: 180)
        }
        var segments: [CallReport.Segment] = [
            .init(kind: .speech, party: .agent, holdKind: nil, startSeconds: 10, endSeconds: 20),
            .init(kind: .speech, party: .customer, holdKind: nil, startSeconds: 21, endSeconds: 25),
            .init(kind: .hold, party: nil, holdKind: .music, startSeconds: 26, endSeconds: 26 + holdSeconds),
            .init(kind: .speech, party: .agent, holdKind: nil, startSeconds: 27 + holdSeconds, endSeconds: 40 + holdSeconds),
            .init(kind: .speech, party: .customer, holdKind: nil, startSeconds: 41 + holdSeconds, endSeconds: 44 + holdSeconds),
        ]
        if let rings { for k in 0..<rings { segments.append(.init(kind: .ringback, party: nil, holdKind: nil, startSeconds: Double(k) * 5, endSeconds: Double(k) * 5 + 1)) } }
        return CallReport(
            file: "x.wav", durationSeconds: 50 + holdSeconds, sampleRateHz: 8000, channels: 2, layout: .stereo, agentChannel: "left",
            answer: .init(source: rings == nil ? .none : .ringback, rings: rings, answerSeconds: rings.map { Double($0) * 5 - 1 },
                          tonePlan: rings == nil ? nil : "China", ringbackAnswerSeconds: rings.map { Double($0) * 5 - 1 }, metadataAnswerSeconds: nil),
            parties: .init(agent: party(-24, 30, rate), customer: party(-27, customerSnr, 140)), mixed: nil,
            segments: segments.sorted { $0.startSeconds < $1.startSeconds }, interruptions: [],
            ending: .init(lastParty: .customer, tailSilenceSeconds: 6, afterCustomerSeconds: 6, hangupSide: nil),
            totals: nil, flags: [],
            metadata: CallMetadata(source: "fileName", agentId: "1", startTime: "2026-11-23T10:00:00"), attribution: nil, warnings: [])
    }

    @Test func rulesScoreWithReasonsAndEvidence() {
        let scorer = Scorer(rubric: .standard)
        let good = scorer.score(Self.report(rings: 2, rate: 135, holdSeconds: 20))
        #expect(good.score == 100, "\(good.rules.filter { $0.outcome != .pass && $0.outcome != .notApplicable })")
        let r2 = good.rules.first { $0.rule == "R2" }
        #expect(r2?.outcome == .notApplicable)

        let bad = scorer.score(Self.report(rings: 5, rate: 190, holdSeconds: 70))
        let byRule = Dictionary(uniqueKeysWithValues: bad.rules.map { ($0.rule, $0) })
        #expect(byRule["R1"]?.outcome == .fail && byRule["R1"]?.reason.contains("5 rings") == true)
        #expect(byRule["R4"]?.outcome == .fail)
        #expect(byRule["R7"]?.outcome == .fail && byRule["R7"]?.evidence.first?.startSeconds == 26)
        #expect(byRule["R2"]?.reason == "needs a transcript")
        #expect(bad.score < good.score)

        let noRing = scorer.score(Self.report(rings: nil, rate: 135, holdSeconds: 20))
        #expect(noRing.rules.first { $0.rule == "R1" }?.reason == "no ringback audio and no answer time in the metadata")
    }

    @Test func aCRBTIsJudgedByItsLengthInRings() {
        let scorer = Scorer(rubric: .standard)
        var music = Self.report(rings: nil, rate: 135, holdSeconds: 20)
        music.answer = .init(source: .ringback, rings: nil, answerSeconds: 21.5, tonePlan: "CRBT", ringbackAnswerSeconds: 21.5,
                             metadataAnswerSeconds: nil, ringEquivalents: 5)
        let r1 = scorer.score(music).rules.first { $0.rule == "R1" }
        #expect(r1?.outcome == .fail)
        #expect(r1?.reason == "answered after 5 rings' time of ring-back music (21.5 s), over 3")
        music.answer.ringEquivalents = 2
        #expect(scorer.score(music).rules.first { $0.rule == "R1" }?.outcome == .pass)
    }

    @Test func poorLinesExcuseNeverPenalise() {
        let scorer = Scorer(rubric: .standard)
        let noisy = scorer.score(Self.report(rings: 2, rate: 190, holdSeconds: 20, customerSnr: 4))
        #expect(noisy.review)
        let r4 = noisy.rules.first { $0.rule == "R4" }
        #expect(r4?.outcome == .notApplicable && r4?.reason.hasPrefix("excused by R13") == true)
        #expect(noisy.score == 100)
    }

    @Test func doubtfulMonoAttributionIsRoutedForReviewWithoutExcuses() {
        let scorer = Scorer(rubric: .standard)
        var doubtful = Self.report(rings: 2, rate: 190, holdSeconds: 20)
        doubtful.attribution = .init(method: "voiceClustering", confidence: 0.42)
        let scored = scorer.score(doubtful)
        #expect(scored.review)
        let r13 = scored.rules.first { $0.rule == "R13" }
        #expect(r13?.outcome == .flag && r13?.reason.contains("low confidence") == true, "\(String(describing: r13))")
        #expect(scored.rules.first { $0.rule == "R4" }?.outcome == .fail)  // measured, not excused
        var sure = doubtful
        sure.attribution?.confidence = 0.8
        #expect(!scorer.score(sure).review)
    }

    @Test func transcriptsCheckTheWords() {
        let scorer = Scorer(rubric: .standard)
        let late = Self.report(rings: 5, rate: 135, holdSeconds: 20)
        let apologised = Transcript(segments: [
            .init(startSeconds: 10, endSeconds: 14, party: "agent", text: "您好，对不起让您久等了"),
            .init(startSeconds: 21, endSeconds: 25, party: "customer", text: "没关系"),
        ])
        let rude = Transcript(segments: [
            .init(startSeconds: 10, endSeconds: 14, party: "agent", text: "喂"),
            .init(startSeconds: 27, endSeconds: 30, party: "agent", text: "这个我不知道"),
            .init(startSeconds: 40, endSeconds: 44, party: "agent", text: "不归我管，你自己看"),
        ])
        let a = scorer.score(late, transcript: apologised)
        #expect(a.rules.first { $0.rule == "R2" }?.outcome == .pass)
        #expect(a.rules.first { $0.rule == "R3" }?.outcome == .pass)
        let b = scorer.score(late, transcript: rude)
        #expect(b.rules.first { $0.rule == "R2" }?.outcome == .fail)
        let r3 = b.rules.first { $0.rule == "R3" }
        #expect(r3?.outcome == .fail && r3?.reason.contains("不知道") == true && r3?.reason.contains("greeting") == true)
        // Every forbidden phrase is its own evidence: three phrases, three moments besides the greeting gap.
        #expect(r3?.evidence.dropFirst().map(\.startSeconds) == [27, 40, 40])
        #expect(r3?.reason.contains("不归我管") == true && r3?.reason.contains("你自己看") == true)
    }

    @Test func automaticFailsScoreZero() {
        var report = Self.report(rings: 2, rate: 135, holdSeconds: 20)
        report.interruptions = [.init(atSeconds: 12, by: .agent), .init(atSeconds: 30, by: .agent), .init(atSeconds: 35, by: .agent)]
        let s = Scorer(rubric: .standard).score(report)
        #expect(s.rules.first { $0.rule == "R9" }?.outcome == .fail)
        #expect(s.score == 0)
    }
}
