public import CallAnalysis
public import CallScoring
public import CallStore
import Foundation

/// A call, lists of calls (search, examples, the review queue).
extension Pages {
    /// Review and dispute state of one call, as the call page shows it.
    public struct CallReview: Sendable {
        public var verdicts: [Verdict]
        public var disputes: [Dispute]
        public init(verdicts: [Verdict] = [], disputes: [Dispute] = []) { self.verdicts = verdicts; self.disputes = disputes }
    }

    public static func call(id: Int64, summary: CallSummary, report: CallReport, rules: [RuleResult], timelineSVG: String, viewer: Viewer,
                            rubric: Rubric = .standard, review: CallReview = .init(), transcript: Transcript? = nil) -> String {
        let t = viewer.t
        let name = mask((summary.path as NSString).lastPathComponent, viewer)
        var c = base(name, viewer)
        c["id"] = String(id); c["file"] = name; c["agentId"] = summary.agentId ?? "–"
        c["started"] = t.dateTime(summary.startTime); c["seconds"] = String(format: "%.0f", summary.durationSeconds)
        c["score"] = String(format: "%.1f", summary.score); c["review"] = summary.review
        if let why = summary.notCountedBecause { c["notCounted"] = Reasons.translate(why, t) }
        c["timeline"] = timelineSVG
        c["reviewing"] = viewer.reviews
        let verdicts = Dictionary(review.verdicts.map { ($0.rule, $0) }, uniquingKeysWith: { $1 })
        c["rules"] = rules.map { r -> [String: Any] in
            let text = rubric.text(of: r.rule, language: t.language.rawValue)
            let shown = verdicts[r.rule]?.outcome ?? r.outcome
            var row: [String: Any] = [
                "rule": r.rule, "ruleName": text.name, "description": text.description, "callId": String(id), "csrf": viewer.csrfToken,
                "outcome": outcome(shown, t), "outcomeClass": shown.rawValue, "reason": mask(Reasons.translate(r.reason, t), viewer),
                "moments": r.evidence.prefix(4).map { e in
                    ["at": String(format: "%.2f", e.startSeconds), "label": t.format("moment_range", e.startSeconds, e.endSeconds)]
                },
                "choices": Calibration.outcomes.map { o in ["value": o.rawValue, "label": outcome(o, t), "selected": o == shown] as [String: Any] },
            ]
            if let v = verdicts[r.rule] {
                row["automatic"] = outcome(r.outcome, t)
                row["reviewer"] = v.reviewer
                row["comment"] = v.comment.isEmpty ? "✓" : mask(v.comment, viewer)
            }
            return row
        }
        // Disputes: the agent whose call it is, and qa and managers; not trainers.
        let visible = viewer.role != .trainer
        c["disputesVisible"] = visible
        if visible {
            c["canDispute"] = viewer.role == .agent
            c["ruleChoices"] = ruleChoices(rubric, t, selected: nil, through: 12)
            c["disputes"] = review.disputes.map { d -> [String: Any] in
                var row: [String: Any] = ["rule": d.rule, "by": d.by, "at": t.dateTime(localTime(d.at, viewer.timeZone)),
                                          "text": mask(d.text, viewer), "canAnswer": viewer.reviews, "callId": String(id),
                                          "disputeId": String(d.id), "csrf": viewer.csrfToken]
                if let answer = d.answer { row["answer"] = mask(answer, viewer); row["answeredBy"] = d.answeredBy ?? "" }
                return row
            }
        }
        c["parties"] = [("agent", report.parties.agent), ("customer", report.parties.customer), ("mixed", report.mixed)].compactMap { key, m in
            m.map { m -> [String: Any] in
                ["party": t["party_" + key], "talk": String(format: "%.1f", m.talkSeconds),
                 "level": m.activeLevelDbov.map { String(format: "%.1f", $0) } ?? "–", "snr": m.snrDb.map { String(format: "%.1f", $0) } ?? "–",
                 "rate": m.speechRateCharsPerMinute.map { String(format: "%.0f", $0) } ?? "–",
                 "spread": m.pitchSpreadSemitones.map { String(format: "%.1f", $0) } ?? "–"]
            }
        }
        // What the analysis warned of (the agent's side taken from the audio, dual mono, a torn
        // file), without the file's path, which the page already names.
        let notes = report.warnings.map { w -> [String: Any] in
            var sentence = [report.file, summary.path].first { w.hasPrefix($0 + ": ") }.map { String(w.dropFirst($0.count + 2)) } ?? w
            // Another file's warning (a metadata sidecar, a transcript) names it, not where it is.
            if sentence.hasPrefix("/"), let colon = sentence.range(of: ": ") {
                sentence = (String(sentence[..<colon.lowerBound]) as NSString).lastPathComponent + sentence[colon.lowerBound...]
            }
            return ["text": mask(Reasons.translateWarning(sentence, t), viewer)]
        }
        if !notes.isEmpty { c["notes"] = ["lines": notes] as [String: Any] }
        if let transcript, !transcript.segments.isEmpty {
            c["transcript"] = ["lines": transcript.segments.map { seg -> [String: Any] in
                let party = seg.party.map { t["party_" + $0] == "party_" + $0 ? $0 : t["party_" + $0] } ?? ""
                return ["at": String(format: "%.2f", seg.startSeconds), "time": Timeline.clock(seg.startSeconds), "party": party,
                        "html": highlighted(mask(seg.text, viewer), rubric: rubric, agent: seg.party != "customer")]
            }] as [String: Any]
        }
        return Templates.render("call", c)
    }

    /// A transcript line, escaped, with the phrases behind R2 and R3 marked: the greeting and the
    /// apology, and (in the agent's words) every forbidden phrase.
    static func highlighted(_ text: String, rubric: Rubric, agent: Bool) -> String {
        var html = escape(text)
        let good = agent ? rubric.rules.R3.greetingPhrases + rubric.rules.R2.phrases : []
        let bad = agent ? rubric.rules.R3.forbiddenPhrases : []
        // Longest first, so a phrase inside a longer one is not marked twice.
        for (phrase, cls) in (good.map { ($0, "") } + bad.map { ($0, " class=\"forbidden\"") }).sorted(by: { $0.0.count > $1.0.count }) where !phrase.isEmpty {
            let e = escape(phrase)
            guard html.contains(e), !html.contains(">\(e)</mark>") else { continue }
            html = html.replacingOccurrences(of: e, with: "<mark\(cls)>\(e)</mark>")
        }
        return html
    }

    /// One page of the call search, with the filters as given (already validated).
    public struct CallSearch: Sendable {
        public var filter: CallFilter
        public var agent: String
        public var team: String
        public var teams: [String]
        public var rows: [CallSummary]
        public var disputedIds: Set<Int64>
        public var page: Int
        public var hasNext: Bool
        public init(filter: CallFilter, agent: String, team: String, teams: [String], rows: [CallSummary], disputedIds: Set<Int64>, page: Int, hasNext: Bool) {
            self.filter = filter; self.agent = agent; self.team = team; self.teams = teams; self.rows = rows
            self.disputedIds = disputedIds; self.page = page; self.hasNext = hasNext
        }
    }

    public static func calls(_ s: CallSearch, rubric: Rubric, viewer: Viewer) -> String {
        let t = viewer.t
        var c = base(t["calls_title"], viewer)
        let f = s.filter
        c["agentOnly"] = viewer.role == .agent
        c["agent"] = s.agent
        c["teams"] = s.teams.map { ["name": $0, "selected": $0 == s.team] as [String: Any] }
        c["from"] = f.fromDay ?? ""; c["to"] = f.toDay ?? ""
        c["min"] = f.minimumScore.map { String(format: "%g", $0) } ?? ""; c["max"] = f.maximumScore.map { String(format: "%g", $0) } ?? ""
        c["ruleChoices"] = ruleChoices(rubric, t, selected: f.rule)
        c["outcomeChoices"] = ["pass", "flag", "fail"].map { ["value": $0, "label": t["outcome_" + $0], "selected": $0 == f.outcome] as [String: Any] }
        let sortKeys: [(CallFilter.Order, String)] = [(.newest, "sort_newest"), (.oldest, "sort_oldest"), (.scoreLow, "sort_score_low"), (.scoreHigh, "sort_score_high")]
        c["sortChoices"] = sortKeys.map { ["value": $0.0.rawValue, "label": t[$0.1], "selected": $0.0 == f.order] as [String: Any] }
        c["review"] = f.forReview; c["disputed"] = f.disputed; c["seesDisputes"] = viewer.role != .trainer
        c["csvLink"] = link(link(viewer.here, setting: "format", to: "csv"), setting: "page", to: "")
        c["rows"] = s.rows.map { r -> [String: Any] in
            var row = callRows([r], viewer)[0]
            row["agentId"] = r.agentId ?? "–"
            row["rate"] = r.agentCharsPerMinute.map { String(format: "%.0f", $0) } ?? "–"
            row["holds"] = r.holdCount; row["review"] = r.review
            row["notCounted"] = r.notCountedBecause != nil; row["disputed"] = s.disputedIds.contains(r.id)
            return row
        }
        c["summary"] = t.format("calls_summary", s.rows.count, f.limit)
        c["page"] = t.format("page_n", s.page)
        if s.page > 1 { c["previous"] = link(viewer.here, setting: "page", to: String(s.page - 1)) }
        if s.hasNext { c["next"] = link(viewer.here, setting: "page", to: String(s.page + 1)) }
        return Templates.render("calls", c)
    }

    /// The same list as CSV, with a UTF-8 byte-order mark so Excel on Chinese Windows reads it right.
    public static func callsCSV(_ rows: [CallSummary], viewer: Viewer) -> String {
        let t = viewer.t
        let header = ["id", t["call"], t["agent"], t["started"], t["score"], t["seconds"], t["chars_per_min"], t["holds"], t["for_review"], t["not_counted"]]
        return SpreadsheetCSV.document(header: header, rows: rows.map { r in
            [String(r.id), mask((r.path as NSString).lastPathComponent, viewer), r.agentId ?? "", r.startTime ?? "", String(format: "%.1f", r.score),
             String(format: "%.0f", r.durationSeconds), r.agentCharsPerMinute.map { String(format: "%.0f", $0) } ?? "", String(r.holdCount),
             r.review ? "1" : "0", r.notCountedBecause.map { Reasons.translate($0, t) } ?? ""]
        })
    }

    public static func examples(_ rows: [RuleRow], rule: String, worst: Bool, agent: String?, day: String?, viewer: Viewer, rubric: Rubric = .standard) -> String {
        let t = viewer.t
        var c = base(t["examples_title"], viewer)
        c["ruleChoices"] = ruleChoices(rubric, t, selected: rule)
        c["worst"] = worst; c["agent"] = agent ?? ""; c["day"] = day ?? ""
        c["rows"] = rows.map { r -> [String: Any] in
            let moment = r.result.evidence.first
            return ["id": String(r.callId), "file": mask((r.path as NSString).lastPathComponent, viewer), "agentId": r.agentId ?? "–",
                    "outcome": outcome(r.result.outcome, t), "outcomeClass": r.result.outcome.rawValue,
                    "moment": moment.map { t.format("moment_range", $0.startSeconds, $0.endSeconds) } ?? t["whole_call"],
                    "reason": mask(Reasons.translate(r.result.reason, t), viewer), "csrf": viewer.csrfToken,
                    "start": String(moment?.startSeconds ?? 0), "end": String(moment?.endSeconds ?? 30)]
        }
        return Templates.render("examples", c)
    }

    /// Calls waiting for a reviewer (poor line, unsure attribution, broken or silent recordings)
    /// and the disputes nobody has answered.
    public static func review(_ calls: [(summary: CallSummary, why: String)], disputes: [Dispute], viewer: Viewer) -> String {
        let t = viewer.t
        var c = base(t["review_title"], viewer)
        c["rows"] = calls.map { call -> [String: Any] in
            var row = callRows([call.summary], viewer)[0]
            row["agentId"] = call.summary.agentId ?? "–"
            row["why"] = mask(Reasons.translate(call.why, t), viewer)
            return row
        }
        c["disputes"] = disputes.map { d -> [String: Any] in
            ["callId": String(d.callId), "rule": d.rule, "by": d.by, "at": t.dateTime(localTime(d.at, viewer.timeZone)), "text": mask(d.text, viewer)]
        }
        return Templates.render("review", c)
    }
}
