public import CallAnalysis
public import CallScoring
public import CallStore
import Foundation

/// Server-rendered pages: plain HTML with inline CSS and server-drawn SVG, no external assets
/// (the machines that run this may have no internet). Every dynamic string is escaped.
public enum Pages {
    public struct Viewer: Sendable {
        public var name: String
        public var role: User.Role
        public var csrfToken: String
        public init(name: String, role: User.Role, csrfToken: String) { self.name = name; self.role = role; self.csrfToken = csrfToken }
        /// Customer phone numbers are shown whole to qa only.
        public var seesPhoneNumbers: Bool { role == .qa }
    }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f3f5f8}
        header{background:#1d2b45;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
        header a{color:#dfe7f5;text-decoration:none;font-weight:500}header .brand{font-weight:700;font-size:18px;color:#fff}
        header form{margin-left:auto}header button{background:none;border:1px solid #8ea2c6;color:#dfe7f5;border-radius:4px;padding:3px 10px;cursor:pointer}
        main{padding:20px 24px;max-width:1100px;margin:auto}
        h1{font-size:22px;margin:4px 0 16px}h2{font-size:16px;margin:22px 0 8px}
        .card{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:14px 16px;margin-bottom:16px}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:7px 8px;border-bottom:1px solid #eceff3;text-align:left}
        th{color:#5b6473;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
        td.num{text-align:right;font-variant-numeric:tabular-nums}a{color:#2457c5}
        .band{padding:2px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
        .award{background:#e3f6ea;color:#17693a}.standard{background:#eef1f5;color:#3d4656}.watch{background:#fff4d6;color:#8a5a00}.penalty{background:#fde3e3;color:#9b1c1c}
        .pass{color:#17693a}.fail{color:#b42318;font-weight:600}.flag{color:#a15c00}.notApplicable{color:#7a8291}
        .muted{color:#6b7380;font-size:13px}.bar{height:8px;background:#e8ebf0;border-radius:4px;overflow:hidden;width:140px;display:inline-block;vertical-align:middle}
        .bar span{display:block;height:100%;background:#2f6fdf}
        form.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:end}label{font-size:12px;color:#5b6473;display:flex;flex-direction:column;gap:3px}
        input,select{padding:5px 7px;border:1px solid #cdd3dc;border-radius:4px;font-size:14px}
        button.primary{background:#2457c5;color:#fff;border:none;border-radius:4px;padding:7px 14px;cursor:pointer}
        .seek{cursor:pointer;color:#2457c5;text-decoration:underline}.timeline svg{width:100%;height:auto}
        .error{background:#fde3e3;color:#9b1c1c;padding:8px 12px;border-radius:6px}
        """

    public static func layout(title: String, viewer: Viewer?, body: String) -> String {
        var nav = ""
        if let viewer {
            nav = """
                <a href="/">Agents</a><a href="/examples">Examples</a>\(viewer.role == .manager ? "<a href=\"/audit\">Audit</a>" : "")
                <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(escape(viewer.csrfToken))">
                <span class="muted" style="color:#b9c6de">\(escape(viewer.name)) · \(viewer.role.rawValue)</span> <button>Sign out</button></form>
                """
        }
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(escape(title)) · CallQA</title><style>\(css)</style></head>
            <body><header><span class="brand">CallQA</span>\(nav)</header><main>\(body)</main></body></html>
            """
    }

    public static func login(error: String?, csrf: String, next: String) -> String {
        layout(title: "Sign in", viewer: nil, body: """
            <div class="card" style="max-width:360px;margin:60px auto">
            <h1>Sign in</h1>\(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/login" style="display:flex;flex-direction:column;gap:10px">
            <input type="hidden" name="csrf" value="\(escape(csrf))"><input type="hidden" name="next" value="\(escape(next))">
            <label>User <input name="user" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button class="primary">Sign in</button></form></div>
            """)
    }

    static func bandClass(_ band: String) -> String {
        band.hasPrefix("award") ? "award" : band.hasPrefix("watch") ? "watch" : band == "standard" ? "standard" : "penalty"
    }

    /// A tiny line chart of scores 0–100.
    public static func sparkline(_ values: [Double], width: Int = 120, height: Int = 28) -> String {
        guard values.count >= 2 else { return values.isEmpty ? "" : String(format: "%.0f", values[0]) }
        let points = values.enumerated().map { i, v in
            String(format: "%.1f,%.1f", Double(i) / Double(values.count - 1) * Double(width - 4) + 2, Double(height - 2) - v / 100 * Double(height - 4))
        }.joined(separator: " ")
        return "<svg width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\"><polyline points=\"\(points)\" fill=\"none\" stroke=\"#2f6fdf\" stroke-width=\"1.6\"/></svg>"
    }

    /// A bar chart of monthly mean scores.
    public static func trendChart(_ trend: [(month: String, calls: Int, mean: Double)]) -> String {
        let width = 640, height = 180, left = 34, bottom = 24
        let barWidth = trend.isEmpty ? 0 : min(60, (width - left - 10) / trend.count - 8)
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"monthly mean score\">"
        for v in stride(from: 0, through: 100, by: 25) {
            let y = Double(height - bottom) - Double(v) / 100 * Double(height - bottom - 10)
            svg += String(format: "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eceff3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#6b7380\">%d</text>",
                          left, width, y, y, left - 4, y + 3, v)
        }
        for (i, m) in trend.enumerated() {
            let x = left + 8 + i * (barWidth + 8)
            let h = m.mean / 100 * Double(height - bottom - 10)
            svg += String(format: "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#2f6fdf\" rx=\"2\"><title>%@: %.1f over %d calls</title></rect>",
                          x, Double(height - bottom) - h, barWidth, h, m.month, m.mean, m.calls)
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(height - 8)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#3d4656\">\(escape(m.month))</text>"
        }
        return svg + "</svg>"
    }

    public static func agents(_ months: [AgentMonth], month: String, rubric: Rubric, viewer: Viewer) -> String {
        var rows = ""
        for m in months {
            let band = rubric.rules.R14.band(mean: m.meanScore, recentMeans: m.previousMeanScore.map { [$0] } ?? [])
            let change = m.previousMeanScore.map { String(format: "%+.1f", m.meanScore - $0) } ?? "–"
            rows += """
                <tr><td><a href="/agents/\(escape(m.agentId))">\(escape(m.agentId))</a></td><td class="num">\(m.calls)</td>
                <td class="num">\(String(format: "%.1f", m.meanScore))</td><td class="num">\(change)</td>
                <td>\(sparkline(m.daily.map(\.mean)))</td><td><span class="band \(bandClass(band))">\(escape(band))</span></td>
                <td class="num">\(m.holds)</td><td class="num">\(String(format: "%.0f", m.longestHoldSeconds))</td><td class="num">\(m.review)</td></tr>
                """
        }
        let body = """
            <h1>Agents · \(escape(month))</h1>
            <form class="filters" method="get" action="/"><label>Month <input name="month" value="\(escape(month))" pattern="\\d{4}-\\d{2}"></label><button class="primary">Show</button></form>
            <div class="card"><table><tr><th>Agent</th><th>Calls</th><th>Mean score</th><th>vs last month</th><th>Daily trend</th><th>KPI band (R14)</th><th>Holds</th><th>Longest hold s</th><th>For review</th></tr>
            \(rows.isEmpty ? "<tr><td colspan=9 class=muted>No scored calls this month.</td></tr>" : rows)</table></div>
            """
        return layout(title: "Agents", viewer: viewer, body: body)
    }

    static func callRows(_ calls: [CallSummary], viewer: Viewer) -> String {
        calls.map { c in
            """
            <tr><td><a href="/calls/\(c.id)">\(escape(mask((c.path as NSString).lastPathComponent, viewer)))</a></td><td>\(escape(c.startTime ?? "–"))</td>
            <td class="num">\(String(format: "%.1f", c.score))</td><td class="num">\(String(format: "%.0f", c.durationSeconds))</td></tr>
            """
        }.joined()
    }

    public static func agent(id: String, trend: [(month: String, calls: Int, mean: Double)], passRates: [RulePassRate],
                             worst: [CallSummary], best: [CallSummary], viewer: Viewer) -> String {
        let rates = passRates.filter { $0.rule != "R13" && $0.applicable > 0 }.map { r in
            let share = Double(r.passed) / Double(r.applicable)
            return "<tr><td>\(escape(r.rule))</td><td><span class=\"bar\"><span style=\"width:\(Int(share * 100))%\"></span></span> \(Int((share * 100).rounded()))%</td><td class=\"num\">\(r.applicable)</td></tr>"
        }.joined()
        let body = """
            <h1>Agent \(escape(id))</h1>
            <div class="card"><h2 style="margin-top:0">Mean score by month</h2>\(trendChart(trend))</div>
            <div class="card"><h2 style="margin-top:0">Pass rate per rule</h2><table><tr><th>Rule</th><th>Passed</th><th>Calls where it applies</th></tr>\(rates)</table></div>
            <div class="card"><h2 style="margin-top:0">Worst calls</h2><table><tr><th>Call</th><th>Started</th><th>Score</th><th>Seconds</th></tr>\(callRows(worst, viewer: viewer))</table></div>
            <div class="card"><h2 style="margin-top:0">Best calls</h2><table><tr><th>Call</th><th>Started</th><th>Score</th><th>Seconds</th></tr>\(callRows(best, viewer: viewer))</table></div>
            """
        return layout(title: "Agent \(id)", viewer: viewer, body: body)
    }

    public static func call(id: Int64, summary: CallSummary, report: CallReport, rules: [RuleResult], timelineSVG: String, viewer: Viewer) -> String {
        let rows = rules.map { r in
            let moments = r.evidence.prefix(4).map { e in
                String(format: "<span class=\"seek\" data-t=\"%.2f\">%.1f–%.1f s</span>", e.startSeconds, e.startSeconds, e.endSeconds)
            }.joined(separator: " ")
            return "<tr><td>\(escape(r.rule))</td><td class=\"\(r.outcome.rawValue)\">\(r.outcome.rawValue)</td><td>\(escape(mask(r.reason, viewer)))</td><td>\(moments)</td></tr>"
        }.joined()
        let parties = [("agent", report.parties.agent), ("customer", report.parties.customer), ("mixed", report.mixed)].compactMap { name, m in
            m.map { m in
                "<tr><td>\(name)</td><td class=\"num\">\(String(format: "%.1f", m.talkSeconds))</td><td class=\"num\">\(m.activeLevelDbov.map { String(format: "%.1f", $0) } ?? "–")</td>"
                    + "<td class=\"num\">\(m.snrDb.map { String(format: "%.1f", $0) } ?? "–")</td><td class=\"num\">\(m.speechRateCharsPerMinute.map { String(format: "%.0f", $0) } ?? "–")</td>"
                    + "<td class=\"num\">\(m.pitchSpreadSemitones.map { String(format: "%.1f", $0) } ?? "–")</td></tr>"
            }
        }.joined()
        let name = mask((summary.path as NSString).lastPathComponent, viewer)
        let body = """
            <h1>\(escape(name))</h1>
            <p class="muted">Agent <a href="/agents/\(escape(summary.agentId ?? "unknown"))">\(escape(summary.agentId ?? "unknown"))</a> ·
            started \(escape(summary.startTime ?? "unknown")) · \(String(format: "%.0f", summary.durationSeconds)) s · score <b>\(String(format: "%.1f", summary.score))</b>
            \(summary.review ? " · <span class=\"flag\">routed for review (line quality)</span>" : "")</p>
            <div class="card timeline">\(timelineSVG)
            <audio id="player" controls preload="metadata" src="/calls/\(id)/audio" style="width:100%;margin-top:8px"></audio></div>
            <div class="card"><h2 style="margin-top:0">Rules</h2><table><tr><th>Rule</th><th>Outcome</th><th>Why</th><th>When (click to play)</th></tr>\(rows)</table></div>
            <div class="card"><h2 style="margin-top:0">Parties</h2><table><tr><th>Party</th><th>Talk s</th><th>Level dBov</th><th>SNR dB</th><th>Chars/min</th><th>Pitch spread st</th></tr>\(parties)</table></div>
            <script src="/seek.js"></script>
            """
        return layout(title: name, viewer: viewer, body: body)
    }

    public static func examples(_ rows: [RuleRow], rule: String, worst: Bool, agent: String?, day: String?, viewer: Viewer) -> String {
        let options = (1...13).map { "R\($0)" }.map { "<option\($0 == rule ? " selected" : "")>\($0)</option>" }.joined()
        let list = rows.map { r in
            let moment = r.result.evidence.first
            let at = moment.map { String(format: "%.1f–%.1f s", $0.startSeconds, $0.endSeconds) } ?? "whole call"
            let export = """
                <form method="post" action="/calls/\(r.callId)/clip" style="display:inline"><input type="hidden" name="csrf" value="\(escape(viewer.csrfToken))">
                <input type="hidden" name="start" value="\(moment?.startSeconds ?? 0)"><input type="hidden" name="end" value="\(moment?.endSeconds ?? 30)">
                <button>Export clip</button></form>
                """
            return "<tr><td><a href=\"/calls/\(r.callId)\">\(escape(mask((r.path as NSString).lastPathComponent, viewer)))</a></td><td>\(escape(r.agentId ?? "–"))</td>"
                + "<td class=\"\(r.result.outcome.rawValue)\">\(r.result.outcome.rawValue)</td><td>\(escape(at))</td><td>\(escape(mask(r.result.reason, viewer)))</td><td>\(export)</td></tr>"
        }.joined()
        let body = """
            <h1>Example calls</h1>
            <form class="filters" method="get" action="/examples">
            <label>Rule <select name="rule">\(options)</select></label>
            <label>Order <select name="order"><option value="worst"\(worst ? " selected" : "")>worst first</option><option value="best"\(worst ? "" : " selected")>best first</option></select></label>
            <label>Agent <input name="agent" value="\(escape(agent ?? ""))" size="8"></label>
            <label>Day <input name="day" value="\(escape(day ?? ""))" placeholder="YYYY-MM-DD" size="10"></label>
            <button class="primary">Filter</button></form>
            <div class="card"><table><tr><th>Call</th><th>Agent</th><th>Outcome</th><th>Moment</th><th>Why</th><th></th></tr>
            \(list.isEmpty ? "<tr><td colspan=6 class=muted>No calls match.</td></tr>" : list)</table></div>
            """
        return layout(title: "Examples", viewer: viewer, body: body)
    }

    public static func audit(_ entries: [AuditEntry], viewer: Viewer) -> String {
        let rows = entries.map { "<tr><td>\(escape($0.at))</td><td>\(escape($0.user))</td><td>\(escape($0.action))</td><td>\($0.callId.map { "<a href=\"/calls/\($0)\">\($0)</a>" } ?? "–")</td><td>\(escape(mask($0.detail, viewer)))</td></tr>" }.joined()
        return layout(title: "Audit log", viewer: viewer, body: "<h1>Audit log</h1><div class=\"card\"><table><tr><th>When</th><th>Who</th><th>What</th><th>Call</th><th>Detail</th></tr>\(rows)</table></div>")
    }

    public static func message(_ title: String, _ text: String, viewer: Viewer?) -> String {
        layout(title: title, viewer: viewer, body: "<h1>\(escape(title))</h1><p>\(escape(text))</p>")
    }

    /// Mobile numbers (1[3-9] and nine more digits) as 138****1234 for every role but qa.
    public static func mask(_ text: String, _ viewer: Viewer) -> String {
        viewer.seesPhoneNumbers ? text : maskPhoneNumbers(text)
    }

    public static func maskPhoneNumbers(_ text: String) -> String {
        var chars = Array(text)
        var i = 0
        while i + 11 <= chars.count {
            let window = chars[i..<(i + 11)]
            let isNumber = window.allSatisfy(\.isASCIIDigit) && chars[i] == "1" && ("3"..."9").contains(chars[i + 1])
                && (i == 0 || !chars[i - 1].isASCIIDigit) && (i + 11 == chars.count || !chars[i + 11].isASCIIDigit)
            if isNumber {
                for k in 3..<7 { chars[i + k] = "*" }
                i += 11
            } else {
                i += 1
            }
        }
        return String(chars)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension Pages {
    /// Clicking a moment plays the call from there. Served as `/seek.js`: the pages' security
    /// policy allows no inline script.
    public static let seekScript = """
        document.querySelectorAll('.seek').forEach(function (e) {
          e.addEventListener('click', function () {
            var p = document.getElementById('player');
            p.currentTime = parseFloat(e.dataset.t);
            p.play();
          });
        });
        """
}
