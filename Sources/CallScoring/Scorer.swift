public import CallAnalysis
import Foundation

/// Applies a rubric to a call's report. Pure.
public struct Scorer: Sendable {
    public let rubric: Rubric
    public init(rubric: Rubric) { self.rubric = rubric }

    public func score(_ r: CallReport, transcript: Transcript? = nil) -> CallScore {
        let rules = rubric.rules
        var results: [RuleResult] = []
        func add(_ rule: String, _ outcome: RuleResult.Outcome, _ reason: String, _ evidence: [(Double, Double)] = [], badness: Double? = nil) {
            results.append(.init(rule: rule, outcome: outcome, reason: reason,
                                 evidence: evidence.map { .init(startSeconds: $0.0, endSeconds: $0.1) }, badness: badness))
        }
        let speech = r.segments.filter { $0.kind == .speech }
        let agentSpeech = speech.filter { $0.party == .agent }
        let agent = r.parties.agent
        let answer = r.answer.answerSeconds
        let answeredAt = r.answer.source == .ringback ? (r.answer.ringbackAnswerSeconds ?? 0) : 0.0

        // R1: rings before pickup.
        // A CRBT has no rings: its length in rings of the standard cadence is judged instead.
        let rings = r.answer.rings ?? r.answer.ringEquivalents
        if let rings {
            // The moment: from the start of ringing to the pickup; then each ring.
            let evidence = [(0.0, answer ?? answeredAt)] + r.segments.filter { $0.kind == .ringback }.map { ($0.startSeconds, $0.endSeconds) }
            let waited = r.answer.rings == nil
                ? "answered after \(rings) ring\(rings == 1 ? "'s" : "s'") time of ring-back music (\(fmt(answer)) s)"
                : "answered after \(rings) ring\(rings == 1 ? "" : "s") (\(fmt(answer)) s)"
            if rings <= rules.R1.maximumRings {
                add("R1", .pass, waited, evidence, badness: answer)
            } else {
                add("R1", .fail, waited + ", over \(rules.R1.maximumRings)", evidence, badness: answer)
            }
        } else {
            add("R1", .notApplicable, "no ringback audio and no answer time in the metadata")
        }
        let lateAnswer = (rings ?? 0) > rules.R1.maximumRings

        // R3: greeting promptly (and, with a transcript, in the standard words and no forbidden ones).
        if let first = agentSpeech.first {
            let delay = first.startSeconds - answeredAt
            var problems: [String] = []
            if delay > rules.R3.maximumGreetingDelaySeconds { problems.append("agent first spoke \(fmt(delay)) s after the answer") }
            if let transcript {
                let agentText = transcript.segments.filter { $0.party != "customer" }
                let opening = agentText.first?.text ?? ""
                if !rules.R3.greetingPhrases.contains(where: { opening.contains($0) }) {
                    problems.append("no standard greeting in the first words (\"\(opening.prefix(20))\")")
                }
            }
            var evidence = [(answeredAt, first.startSeconds)]
            // Every forbidden phrase the agent said is its own problem with its own moment.
            for s in transcript?.segments.filter({ $0.party != "customer" }) ?? [] {
                for bad in rules.R3.forbiddenPhrases where s.text.contains(bad) {
                    problems.append("forbidden phrase \"\(bad)\" at \(fmt(s.startSeconds)) s")
                    evidence.append((s.startSeconds, s.endSeconds))
                }
            }
            if problems.isEmpty {
                add("R3", .pass, "agent greeted \(fmt(delay)) s after the answer" + (transcript == nil ? " (wording needs a transcript)" : ""),
                    evidence, badness: delay)
            } else {
                add("R3", .fail, problems.joined(separator: "; "), evidence, badness: delay)
            }
        } else {
            add("R3", .notApplicable, "the agent never speaks")
        }

        // R2: apology after a late answer — only a transcript can tell.
        if !lateAnswer {
            add("R2", .notApplicable, rings == nil ? "no ring count" : "answered within \(rules.R1.maximumRings) rings")
        } else if let transcript {
            let window = (answeredAt, answeredAt + rules.R2.withinSeconds)
            let said = transcript.segments.first {
                $0.party != "customer" && $0.startSeconds <= window.1 && rules.R2.phrases.contains(where: $0.text.contains)
            }
            if let said { add("R2", .pass, "apologised at \(fmt(said.startSeconds)) s", [(said.startSeconds, said.endSeconds)], badness: 0) }
            else { add("R2", .fail, "late answer without an apology in the first \(fmt(rules.R2.withinSeconds)) s", [window], badness: 1) }
        } else {
            add("R2", .notApplicable, "needs a transcript")
        }

        // R4: speech rate.
        if let rate = agent?.speechRateCharsPerMinute, let first = agentSpeech.first, let last = agentSpeech.last {
            let lo = rules.R4.minimumCharsPerMinute, hi = rules.R4.maximumCharsPerMinute
            let off = rate < lo ? lo - rate : (rate > hi ? rate - hi : 0)
            add("R4", off == 0 ? .pass : .fail, "agent speaks \(Int(rate.rounded())) chars/min (\(Int(lo))–\(Int(hi)))",
                [(first.startSeconds, last.endSeconds)], badness: abs(rate - (lo + hi) / 2))
        } else {
            add("R4", .notApplicable, "no agent speech")
        }

        // R5: volume.
        if let level = agent?.activeLevelDbov {
            let lo = rules.R5.minimumDbov, hi = rules.R5.maximumDbov
            let clipped = agent?.clipped == true && rules.R5.clippingFails
            let ok = level >= lo && level <= hi && !clipped
            let span = agentSpeech.first.map { [($0.startSeconds, agentSpeech.last!.endSeconds)] } ?? []
            add("R5", ok ? .pass : .fail,
                String(format: "agent at %.1f dBov (%.0f to %.0f)", level, lo, hi) + (clipped ? ", clipped" : ""),
                span, badness: max(lo - level, level - hi, 0) + (clipped ? 10 : 0))
        } else {
            add("R5", .notApplicable, "no agent speech")
        }

        // R6: intonation.
        if let spread = agent?.pitchSpreadSemitones {
            add("R6", spread >= rules.R6.minimumSpreadSemitones ? .pass : .flag,
                String(format: "agent's pitch spans %.1f semitones (monotone under %.1f)", spread, rules.R6.minimumSpreadSemitones),
                [], badness: -spread)
        } else {
            add("R6", .notApplicable, "not enough voiced agent speech")
        }

        // R7: holds.
        let holds = r.segments.filter { $0.kind == .hold }
        let long = holds.filter { $0.endSeconds - $0.startSeconds > rules.R7.maximumHoldSeconds }
        let longest = holds.map { $0.endSeconds - $0.startSeconds }.max() ?? 0
        if holds.isEmpty {
            add("R7", .pass, "no hold", [], badness: 0)
        } else if long.isEmpty {
            add("R7", .pass, "\(holds.count) hold\(holds.count == 1 ? "" : "s"), longest \(fmt(longest)) s",
                holds.map { ($0.startSeconds, $0.endSeconds) }, badness: longest)
        } else {
            add("R7", .fail, "\(long.count) hold\(long.count == 1 ? "" : "s") over \(fmt(rules.R7.maximumHoldSeconds)) s, longest \(fmt(longest)) s",
                long.map { ($0.startSeconds, $0.endSeconds) }, badness: longest)
        }

        // R8: dead air.
        let dead = r.segments.filter { $0.kind == .deadAir }
        let worstDead = dead.map { $0.endSeconds - $0.startSeconds }.max() ?? 0
        let deadEvidence = dead.sorted { $0.endSeconds - $0.startSeconds > $1.endSeconds - $1.startSeconds }.map { ($0.startSeconds, $0.endSeconds) }
        if worstDead >= rules.R8.failSeconds {
            add("R8", .fail, "dead air of \(fmt(worstDead)) s", deadEvidence, badness: worstDead)
        } else if worstDead >= rules.R8.flagSeconds {
            add("R8", .flag, "dead air of \(fmt(worstDead)) s", deadEvidence, badness: worstDead)
        } else {
            add("R8", .pass, dead.isEmpty ? "no dead air" : "longest silence \(fmt(worstDead)) s", deadEvidence, badness: worstDead)
        }

        // R9: interruptions.
        if let interruptions = r.interruptions {
            let byAgent = interruptions.filter { $0.by == .agent }
            let evidence = byAgent.map { ($0.atSeconds, $0.atSeconds + 1) }
            let n = byAgent.count
            add("R9", n == 0 ? .pass : (n >= rules.R9.failCount ? .fail : .flag),
                n == 0 ? "agent never interrupted" : "agent interrupted \(n) time\(n == 1 ? "" : "s")", evidence, badness: Double(n))
        } else {
            add("R9", .notApplicable, "needs two channels")
        }

        // R10: who ends the call.
        if let e = r.ending, let after = e.afterCustomerSeconds {
            let agentEnded = e.hangupSide.map { $0 == "agent" } ?? (e.lastParty == .agent)
            let ok = !agentEnded || after >= rules.R10.agentWaitSeconds
            add("R10", ok ? .pass : .fail,
                agentEnded ? "agent ended the call \(fmt(after)) s after the customer's last words" : "the customer ended the call",
                [(r.durationSeconds - after, r.durationSeconds)], badness: agentEnded ? max(0, rules.R10.agentWaitSeconds - after) : 0)
        } else {
            add("R10", .notApplicable, "no customer speech")
        }

        // R11: duration.
        add("R11", r.durationSeconds > rules.R11.flagSeconds ? .flag : .pass,
            "call lasted \(fmt(r.durationSeconds / 60)) min", [(0, r.durationSeconds)], badness: r.durationSeconds)

        // R12: hours, from the start time.
        results.append(hours(r))

        // R13: line quality excuses the agent, never penalises.
        var review = false
        var reasons: [String] = []
        let snrs = [r.parties.agent?.snrDb, r.parties.customer?.snrDb, r.mixed?.snrDb].compactMap { $0 }
        if let worst = snrs.min(), worst < rules.R13.minimumSnrDb { reasons.append("line noise (SNR \(fmt(worst)) dB)") }
        if r.layout == .stereo {
            if let c = r.parties.customer, c.talkSeconds == 0 { reasons.append("customer silent") }
            else if let l = r.parties.customer?.activeLevelDbov, l < rules.R13.minimumCustomerDbov {
                reasons.append(String(format: "customer too quiet (%.1f dBov)", l))
            }
        }
        if !reasons.isEmpty {
            let why = reasons.joined(separator: ", ")
            for i in results.indices where rules.R13.excuses.contains(results[i].rule) && results[i].outcome != .notApplicable {
                results[i].outcome = .notApplicable
                results[i].reason = "excused by R13 (\(why)); measured: " + results[i].reason
            }
        }
        if let confidence = r.attribution?.confidence, confidence < rules.R13.minimumAttributionConfidence {
            reasons.append("parties told apart with low confidence (\(fmt(confidence)))")
        }
        if !reasons.isEmpty {
            review = true
            add("R13", .flag, reasons.joined(separator: ", ") + ": route for review")
        } else {
            add("R13", .pass, "line fine")
        }

        results.sort { Int($0.rule.dropFirst())! < Int($1.rule.dropFirst())! }
        let excluded = CallScore.exclusion(for: r)
        return CallScore(score: total(results), rules: results, review: review || excluded != nil, excludedBecause: excluded)
    }

    func weighting(_ rule: String) -> Rubric.Weighting? {
        let r = rubric.rules
        switch rule {
        case "R1": return r.R1.scoring
        case "R2": return r.R2.scoring
        case "R3": return r.R3.scoring
        case "R4": return r.R4.scoring
        case "R5": return r.R5.scoring
        case "R6": return r.R6.scoring
        case "R7": return r.R7.scoring
        case "R8": return r.R8.scoring
        case "R9": return r.R9.scoring
        case "R10": return r.R10.scoring
        case "R11": return r.R11.scoring
        case "R12": return r.R12.scoring
        default: return nil
        }
    }

    /// Weighted mean credit over the rules that apply; 0 when an automatic-fail rule failed.
    public func total(_ results: [RuleResult]) -> Double {
        var sum = 0.0, weight = 0.0
        for result in results {
            guard let w = weighting(result.rule), w.weight > 0 else { continue }
            let credit: Double
            switch result.outcome {
            case .pass: credit = rubric.credit.pass
            case .flag: credit = rubric.credit.flag
            case .fail:
                if w.autoFail { return 0 }
                credit = rubric.credit.fail
            case .notApplicable: continue
            }
            sum += w.weight * credit
            weight += w.weight
        }
        return weight > 0 ? (sum / weight * 1000).rounded() / 10 : 100
    }

    func hours(_ r: CallReport) -> RuleResult {
        let rule = rubric.rules.R12
        guard let start = r.metadata?.startTime, let t = CallMetadata.secondsSinceEpoch(start) else {
            return .init(rule: "R12", outcome: .notApplicable, reason: "no start time in metadata or file name", evidence: [], badness: nil)
        }
        let days = Int((t / 86400).rounded(.down))
        let weekday = ((days % 7) + 7 + 3) % 7 + 1  // 1970-01-01 was a Thursday; 1 = Monday
        let minute = Int(t - Double(days) * 86400) / 60
        let clock = String(format: "%02d:%02d", minute / 60, minute % 60)
        if r.metadata?.direction == "outbound" {
            let ok = minute >= Rubric.minutes(rule.outboundEarliest)! && minute <= Rubric.minutes(rule.outboundLatest)!
            return .init(rule: "R12", outcome: ok ? .pass : .fail,
                         reason: "outbound call at \(clock)" + (ok ? "" : " (allowed \(rule.outboundEarliest)–\(rule.outboundLatest))"),
                         evidence: [], badness: ok ? 0 : 1)
        }
        let staffed = rule.weekdays.contains(weekday) && rule.hours.contains {
            minute >= Rubric.minutes($0[0])! && minute < Rubric.minutes($0[1])!
        }
        return .init(rule: "R12", outcome: staffed ? .pass : .flag,
                     reason: "started \(start.prefix(10)) \(clock)" + (staffed ? " in staffed hours" : ", outside staffed hours"),
                     evidence: [], badness: staffed ? 0 : 1)
    }
}

private func fmt(_ x: Double?) -> String {
    guard let x else { return "?" }
    return x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
}
