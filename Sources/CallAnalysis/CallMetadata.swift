import Foundation

/// What a recorder knows about a call besides its audio: from a sidecar JSON, a folder's CSV, or
/// the file name. Pure data; reading the files is the command line's job.
public struct CallMetadata: Codable, Sendable, Equatable {
    /// Where the values came from, e.g. "sidecar", "csv", "fileName" or "csv+fileName".
    public var source: String
    public var callId: String?
    public var agentId: String?
    /// Local times as "yyyy-MM-ddTHH:mm:ss" (fractions kept when given).
    public var startTime: String?
    public var answerTime: String?
    public var endTime: String?
    /// "inbound" or "outbound" as the recorder wrote it.
    public var direction: String?
    /// Who hung up first ("agent" / "customer"), as the recorder wrote it.
    public var hangupSide: String?

    public init(source: String, callId: String? = nil, agentId: String? = nil, startTime: String? = nil,
                answerTime: String? = nil, endTime: String? = nil, direction: String? = nil, hangupSide: String? = nil) {
        self.source = source; self.callId = callId; self.agentId = agentId; self.startTime = startTime
        self.answerTime = answerTime; self.endTime = endTime; self.direction = direction; self.hangupSide = hangupSide
    }

    /// Ring-to-answer seconds: answer time − start time, when both are known and in order.
    public var ringToAnswerSeconds: Double? {
        guard let s = startTime.flatMap(Self.secondsSinceEpoch), let a = answerTime.flatMap(Self.secondsSinceEpoch),
              a >= s else { return nil }
        return a - s
    }

    /// Fills the gaps in `self` from `other` (self wins where both have a value).
    public func merged(with other: CallMetadata?) -> CallMetadata {
        guard let other else { return self }
        return CallMetadata(
            source: source + "+" + other.source, callId: callId ?? other.callId, agentId: agentId ?? other.agentId,
            startTime: startTime ?? other.startTime, answerTime: answerTime ?? other.answerTime,
            endTime: endTime ?? other.endTime, direction: direction ?? other.direction,
            hangupSide: hangupSide ?? other.hangupSide)
    }

    /// Parses "2026-11-23T09:30:12", "2026-11-23 09:30:12.5", "20261123-093012" or
    /// "20261123093012" (a zone suffix is ignored: both ends of a call are in one zone) into
    /// seconds since 1970-01-01 in that zone; nil when it is not a time.
    public static func secondsSinceEpoch(_ text: String) -> Double? {
        let digits = text.unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }
        let compact = text.count >= 14 && !text.contains(":")
        var fields: [Int] = []
        var fraction = 0.0
        if compact {
            let d = String(String.UnicodeScalarView(digits))
            guard d.count >= 14 else { return nil }
            let chars = Array(d)
            func num(_ a: Int, _ b: Int) -> Int? { Int(String(chars[a..<b])) }
            for (a, b) in [(0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14)] {
                guard let v = num(a, b) else { return nil }
                fields.append(v)
            }
        } else {
            // yyyy-MM-dd[T ]HH:mm:ss[.fff]
            let parts = text.split(whereSeparator: { $0 == "-" || $0 == "T" || $0 == " " || $0 == ":" })
            guard parts.count >= 6 else { return nil }
            for (i, part) in parts.prefix(6).enumerated() {
                var p = String(part)
                if i == 5 {
                    if let cut = p.firstIndex(where: { !$0.isNumber && $0 != "." }) { p = String(p[..<cut]) }
                    guard let seconds = Double(p) else { return nil }
                    fields.append(Int(seconds)); fraction = seconds - Double(Int(seconds))
                } else {
                    guard let v = Int(p) else { return nil }
                    fields.append(v)
                }
            }
        }
        let (y, m, d, hh, mm, ss) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5])
        guard (1...12).contains(m), (1...31).contains(d), (0...23).contains(hh), (0...59).contains(mm), (0...60).contains(ss)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hh * 3600 + mm * 60 + ss) + fraction
    }

    /// The canonical "yyyy-MM-ddTHH:mm:ss" form of a time `secondsSinceEpoch` accepts.
    public static func normalized(_ text: String) -> String? {
        guard let t = secondsSinceEpoch(text) else { return nil }
        let whole = Int(t.rounded(.down))
        var days = whole / 86400
        let rem = whole - days * 86400
        // Civil from days (Howard Hinnant's algorithm).
        days += 719468
        let era = (days >= 0 ? days : days - 146096) / 146097
        let doe = days - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let frac = t - Double(whole)
        let seconds = frac > 0.0005 ? String(format: "%06.3f", Double(rem % 60) + frac) : String(format: "%02d", rem % 60)
        return String(format: "%04d-%02d-%02dT%02d:%02d:", y, m, d, rem / 3600, (rem / 60) % 60) + seconds
    }
}
