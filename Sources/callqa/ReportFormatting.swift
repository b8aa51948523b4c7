import CallAnalysis
import Foundation

enum ReportJSON {
    static func line(_ report: CallReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    /// Indented, keys sorted: what `--format json` prints.
    static func pretty(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func errorLine(file: String, error: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(["file": file, "error": error])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The human-readable view: a header, a per-party table and the timeline.
enum ReportTable {
    static func render(_ r: CallReport) -> String {
        var out = "\(r.file)\n"
        out += String(format: "  %.2f s, %d Hz, %d channel%@ (%@%@)\n", r.durationSeconds, r.sampleRateHz,
                      r.channels, r.channels == 1 ? "" : "s", r.layout.rawValue,
                      r.agentChannel.map { ", agent on \($0)" } ?? "")
        if let m = r.metadata {
            let parts = [m.agentId.map { "agent \($0)" }, m.callId.map { "call \($0)" }, m.startTime.map { "started \($0)" },
                         m.direction, m.hangupSide.map { "\($0) hung up" }].compactMap { $0 }
            out += "  metadata (\(m.source)): \(parts.joined(separator: ", "))\n"
        }
        let a = r.answer
        switch a.source {
        case .none: out += "  answer: no ringback in the audio and no answer time in the metadata\n"
        case .ringback where a.rings == nil:
            out += String(format: "  answer: %.2f s, after ring-back music (%@, %d ring%@ time)", a.answerSeconds ?? 0,
                          a.tonePlan ?? "", a.ringEquivalents ?? 0, (a.ringEquivalents ?? 0) == 1 ? "'s" : "s'")
            if let m = a.metadataAnswerSeconds { out += String(format: "; metadata says %.2f s", m) }
            out += "\n"
        case .ringback, .metadata:
            out += String(format: "  answer: %.2f s, %d ring%@ (%@, from %@)", a.answerSeconds ?? 0, a.rings ?? 0,
                          (a.rings ?? 0) == 1 ? "" : "s", a.tonePlan ?? "metadata", a.source.rawValue)
            if a.source == .ringback, let m = a.metadataAnswerSeconds { out += String(format: "; metadata says %.2f s", m) }
            out += "\n"
        }
        if let t = r.totals {
            out += String(format: "  hold %.1f s (longest %.1f s), dead air %.1f s\n", t.holdSeconds, t.longestHoldSeconds, t.deadAirSeconds)
        }
        for f in r.flags {
            out += String(format: "  %@ %@ at %.2f–%.2f s: %@\n", f.severity == .fail ? "FAIL" : "flag", f.rule,
                          f.startSeconds, f.endSeconds, f.detail)
        }
        if let t = r.totals, let overtalk = t.overtalkSeconds {
            out += String(format: "  overtalk %.1f s, agent talks %.0f%% of the time, interruptions: %d by the agent, %d by the customer\n",
                          overtalk, (t.agentTalkShare ?? 0) * 100,
                          r.interruptions?.filter { $0.by == .agent }.count ?? 0, r.interruptions?.filter { $0.by == .customer }.count ?? 0)
        }
        if let a = r.attribution {
            out += String(format: "  parties told apart by voice (confidence %.2f)\n", a.confidence)
        }
        if let e = r.ending {
            out += "  ending: " + (e.lastParty.map { "\($0.rawValue) spoke last" } ?? "last words")
                + String(format: ", %.1f s of silence after", e.tailSilenceSeconds ?? 0)
                + (e.afterCustomerSeconds.map { String(format: " (%.1f s after the customer's)", $0) } ?? "")
                + (e.hangupSide.map { "; \($0) hung up" } ?? "") + "\n"
        }
        out += "  party      talk s  level dBov  SNR dB  clipped  chars/min  F0 Hz  spread st\n"
        func row(_ name: String, _ m: CallReport.PartyMetrics?) {
            guard let m else { return }
            let level = m.activeLevelDbov.map { String(format: "%10.1f", $0) } ?? "         -"
            let snr = m.snrDb.map { String(format: "%6.1f", $0) } ?? "     -"
            let padded = name.padding(toLength: 9, withPad: " ", startingAt: 0)
            let rate = m.speechRateCharsPerMinute.map { String(format: "%9.0f", $0) } ?? "        -"
            let f0 = m.medianF0Hz.map { String(format: "%5.0f", $0) } ?? "    -"
            let spread = m.pitchSpreadSemitones.map { String(format: "%9.1f", $0) } ?? "        -"
            out += "  \(padded)" + String(format: " %7.1f  ", m.talkSeconds) + "\(level)  \(snr)  \(m.clipped ? "yes    " : "no     ")  \(rate)  \(f0)  \(spread)\n"
        }
        row("agent", r.parties.agent)
        row("customer", r.parties.customer)
        row("mixed", r.mixed)
        out += "  timeline:\n"
        if r.segments.isEmpty { out += "    (no speech)\n" }
        for s in r.segments {
            let who = s.party?.rawValue ?? s.holdKind?.rawValue ?? ""
            out += String(format: "    %8.2f – %8.2f  ", s.startSeconds, s.endSeconds) + "\(s.kind.rawValue) \(who)\n"
        }
        return out
    }
}
