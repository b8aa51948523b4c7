public import CallAnalysis
import Foundation

/// A call drawn as SVG: one lane per party with its waveform envelope, speech, ringback, holds,
/// dead air and interruptions marked, a time axis and a legend. Pure: report and envelope in,
/// markup out; no external assets, so it works offline and in a bug ticket.
public struct Timeline: Sendable {
    /// Per lane, per pixel column: the peak magnitude (0…1) of the samples under it.
    public struct Envelope: Sendable {
        public var lanes: [[Float]]
        public init(lanes: [[Float]]) { self.lanes = lanes }

        /// From per-channel peaks (channel order), in the picture's lane order (agent first on
        /// stereo), scaled so the loudest column fills its lane: telephone speech peaks far below
        /// full scale.
        public init(channelPeaks: [[Float]], agentChannel: String?) {
            var peaks = channelPeaks
            if peaks.count == 2 && agentChannel == "right" { peaks.swapAt(0, 1) }
            let top = max(peaks.flatMap { $0 }.max() ?? 1, 1e-4)
            lanes = peaks.map { $0.map { $0 / top } }
        }
    }
    /// Columns of waveform the picture draws.
    public static let envelopeColumns = 900

    public var width = 1000
    public var laneHeight = 70
    /// Lane and legend words, by key (agent, customer, mixed, agentSpeech, customerSpeech,
    /// ringback, hold, deadAir, keypad, interruption); English unless a page gives its language's.
    public var labels: [String: String] = [
        "agent": "agent", "customer": "customer", "mixed": "mixed", "agentSpeech": "agent speech", "customerSpeech": "customer speech",
        "ringback": "ringback", "hold": "hold", "deadAir": "dead air", "keypad": "keypad tones", "interruption": "interruption",
    ]
    public init() {}
    public init(labels: [String: String]) { self.labels.merge(labels) { $1 } }

    static let colours: [String: String] = [
        "agent": "#2f6fdf", "customer": "#1f9d55", "ringback": "#8e44ad", "hold": "#e67e22",
        "deadAir": "#d64545", "keypad": "#7f8c8d", "interruption": "#c0392b", "speech": "#2f6fdf",
    ]

    public func svg(_ r: CallReport, envelope: Envelope?) -> String {
        let lanes: [(name: String, party: CallReport.Party?)] =
            r.layout == .stereo ? [("agent", .agent), ("customer", .customer)] : [("mixed", nil)]
        let left = 80, right = 20, top = 28
        let plotWidth = width - left - right
        let height = top + lanes.count * (laneHeight + 10) + 60
        let duration = max(r.durationSeconds, 0.01)
        func x(_ seconds: Double) -> Double { Double(left) + seconds / duration * Double(plotWidth) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            font-family="system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif" font-size="11" role="img" aria-label="timeline of \(escape((r.file as NSString).lastPathComponent))">
            <rect width="\(width)" height="\(height)" fill="#ffffff"/>

            """
        out += "<text x=\"\(left)\" y=\"16\" font-size=\"13\" font-weight=\"600\">\(escape((r.file as NSString).lastPathComponent))</text>\n"
        for (i, lane) in lanes.enumerated() {
            let y0 = top + i * (laneHeight + 10)
            let mid = Double(y0) + Double(laneHeight) / 2
            out += "<text x=\"\(left - 8)\" y=\"\(Int(mid) + 4)\" text-anchor=\"end\">\(escape(labels[lane.name] ?? lane.name))</text>\n"
            out += "<rect x=\"\(left)\" y=\"\(y0)\" width=\"\(plotWidth)\" height=\"\(laneHeight)\" fill=\"#f6f7f9\" stroke=\"#e1e4e8\"/>\n"
            // Segments under the waveform: call-wide ones (ringback, holds, dead air) on every lane.
            for s in r.segments {
                let belongs: Bool
                switch s.kind {
                case .speech, .keypad: belongs = r.layout == .mono || s.party == lane.party
                default: belongs = true
                }
                guard belongs else { continue }
                let colour: String
                switch s.kind {
                case .speech: colour = Self.colours[s.party?.rawValue ?? "speech"]!
                case .ringback: colour = Self.colours["ringback"]!
                case .hold: colour = Self.colours["hold"]!
                case .deadAir: colour = Self.colours["deadAir"]!
                case .keypad: colour = Self.colours["keypad"]!
                }
                let opacity = s.kind == .speech ? "0.22" : "0.30"
                let title = "\(s.kind.rawValue)\(s.holdKind.map { " (\($0.rawValue))" } ?? "")\(s.party.map { " · \($0.rawValue)" } ?? ""): "
                    + String(format: "%.1f–%.1f s", s.startSeconds, s.endSeconds)
                out += String(format: "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%@\" fill-opacity=\"%@\"><title>%@</title></rect>\n",
                              x(s.startSeconds), y0, max(1, x(s.endSeconds) - x(s.startSeconds)), laneHeight, colour, opacity, escape(title))
            }
            // The waveform envelope, mirrored about the lane's middle.
            if let env = envelope?.lanes[safe: i], !env.isEmpty {
                var d = ""
                let scale = Double(laneHeight) / 2 - 3
                for (c, peak) in env.enumerated() {
                    let px = Double(left) + (Double(c) + 0.5) * Double(plotWidth) / Double(env.count)
                    let h = max(0.5, Double(min(peak, 1)) * scale)
                    d += String(format: "M%.1f %.1fV%.1f", px, mid - h, mid + h)
                }
                out += "<path d=\"\(d)\" stroke=\"#3d4450\" stroke-width=\"1\" stroke-opacity=\"0.8\"/>\n"
            }
            // Interruptions: a mark on the interrupter's lane.
            for int in r.interruptions ?? [] where r.layout == .mono || int.by == lane.party {
                let px = x(int.atSeconds)
                out += String(format: "<path d=\"M%.1f %dl-5 -8h10z\" fill=\"%@\"><title>%@ interrupts at %.1f s</title></path>\n",
                              px, y0 + 9, Self.colours["interruption"]!, int.by.rawValue, int.atSeconds)
            }
        }
        // Time axis.
        let axisY = top + lanes.count * (laneHeight + 10) + 4
        let step = Self.tickStep(duration)
        var t = 0.0
        out += "<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(left + plotWidth)\" y2=\"\(axisY)\" stroke=\"#8a919c\"/>\n"
        while t <= duration + 1e-9 {
            out += String(format: "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#8a919c\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%@</text>\n",
                          x(t), axisY, x(t), axisY + 5, x(t), axisY + 17, Self.clock(t))
            t += step
        }
        // Legend.
        var lx = left
        let ly = axisY + 34
        for (labelKey, key) in [("agentSpeech", "agent"), ("customerSpeech", "customer"), ("ringback", "ringback"), ("hold", "hold"),
                                ("deadAir", "deadAir"), ("keypad", "keypad"), ("interruption", "interruption")]
            where key != "keypad" || r.segments.contains(where: { $0.kind == .keypad }) {
            let label = labels[labelKey] ?? labelKey
            out += "<rect x=\"\(lx)\" y=\"\(ly - 9)\" width=\"12\" height=\"10\" fill=\"\(Self.colours[key]!)\" fill-opacity=\"0.6\"/>"
            out += "<text x=\"\(lx + 16)\" y=\"\(ly)\">\(escape(label))</text>\n"
            // Han characters are about twice as wide as Latin letters at this size.
            lx += 16 + label.reduce(0) { $0 + ($1.isASCII ? 6 : 11) } + 18
        }
        out += "</svg>\n"
        return out
    }

    static func tickStep(_ duration: Double) -> Double {
        for step in [1.0, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800] where duration / step <= 12 { return step }
        return 3600
    }

    static func clock(_ t: Double) -> String {
        let s = Int(t.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Text and attribute escaping for SVG and HTML.
public func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
