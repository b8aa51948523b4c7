import CallAnalysis
import Foundation

enum ReportJSON {
    static func line(_ report: CallReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    static func errorLine(file: String, error: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(["file": file, "error": error])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

enum ConfigurationErrorText {
    /// Names the key a decoding error is about, e.g. "speech.activeDivergenceDB: expected a number".
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \((path(context).isEmpty ? "" : path(context) + ".") + key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "file" : path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The human-readable view: a header, a per-party table and the timeline.
enum ReportTable {
    static func render(_ r: CallReport) -> String {
        var out = "\(r.file)\n"
        out += String(format: "  %.2f s, %d Hz, %d channel%@ (%@%@)\n", r.durationSeconds, r.sampleRateHz,
                      r.channels, r.channels == 1 ? "" : "s", r.layout.rawValue,
                      r.agentChannel.map { ", agent on \($0)" } ?? "")
        out += "  party      talk s  level dBov  SNR dB  clipped\n"
        func row(_ name: String, _ m: CallReport.PartyMetrics?) {
            guard let m else { return }
            let level = m.activeLevelDbov.map { String(format: "%10.1f", $0) } ?? "         -"
            let snr = m.snrDb.map { String(format: "%6.1f", $0) } ?? "     -"
            out += String(format: "  %-9@ %7.1f  %@  %@  %@\n", name, m.talkSeconds, level, snr, m.clipped ? "yes" : "no")
        }
        row("agent", r.parties.agent)
        row("customer", r.parties.customer)
        row("mixed", r.mixed)
        out += "  timeline:\n"
        if r.segments.isEmpty { out += "    (no speech)\n" }
        for s in r.segments {
            let who = s.party?.rawValue ?? s.holdKind?.rawValue ?? ""
            out += String(format: "    %8.2f – %8.2f  %@ %@\n", s.startSeconds, s.endSeconds, s.kind.rawValue, who)
        }
        return out
    }
}
