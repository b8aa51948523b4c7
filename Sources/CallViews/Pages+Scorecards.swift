public import CallScoring
public import CallStore
import Foundation

/// Scorecards: the agents of a month, one agent over months, a team and its lead.
extension Pages {
    /// How the centre names an agent (from `callqa agents import`), by id.
    public typealias Directory = [String: AgentRecord]

    /// `history`: per agent, the monthly means from this month back, newest first, months in a row.
    public static func agents(_ months: [AgentMonth], month: String, rubric: Rubric, viewer: Viewer,
                              directory: Directory = [:], history: [String: [Double]] = [:]) -> String {
        let t = viewer.t
        var c = base(t.format("agents_heading", t.month(month)), viewer)
        c["heading"] = t.format("agents_heading", t.month(month))
        c["month"] = month
        c["rows"] = months.map { m -> [String: Any] in
            let (label, cssClass) = band(bandOf(m, history[m.agentId], rubric), rubric, t)
            var row: [String: Any] = [
                "id": m.agentId, "calls": m.calls, "mean": String(format: "%.1f", m.meanScore),
                "change": m.previousMeanScore.map { String(format: "%+.1f", m.meanScore - $0) } ?? "–",
                "sparkline": sparkline(m.daily.map(\.mean)), "bandClass": cssClass, "bandLabel": label,
                "holds": m.holds, "longestHold": String(format: "%.0f", m.longestHoldSeconds), "review": m.review,
            ]
            if let a = directory[m.agentId] {
                if !a.name.isEmpty { row["name"] = a.name }
                if !a.team.isEmpty {
                    row["team"] = a.team
                    row["teamLink"] = "/teams/" + (a.team.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                }
            }
            if let s = history[m.agentId].flatMap({ streak(rubric.rules.R14.watchStreak($0), rubric, t) }) { row["streak"] = s }
            return row
        }
        return Templates.render("agents", c)
    }

    /// The KPI band of an agent's month, with the months before it when they run without a gap.
    static func bandOf(_ m: AgentMonth, _ history: [Double]?, _ rubric: Rubric) -> Rubric.R14.Band {
        rubric.rules.R14.bandKind(mean: m.meanScore, recentMeans: Array((history ?? [m.meanScore] + (m.previousMeanScore.map { [$0] } ?? [])).dropFirst()))
    }

    public static func agent(id: String, trend: [(month: String, calls: Int, mean: Double)], passRates: [RulePassRate],
                             worst: [CallSummary], best: [CallSummary], viewer: Viewer, rubric: Rubric = .standard,
                             record: AgentRecord? = nil) -> String {
        let t = viewer.t
        let heading = t.format("agent_heading", id) + (record.map { $0.name.isEmpty ? "" : " · " + $0.name } ?? "")
        var c = base(heading, viewer)
        c["heading"] = heading
        c["id"] = id
        c["trend"] = trendChart(trend, t)
        if let latest = trend.last?.month,
           let s = streak(rubric.rules.R14.watchStreak(CallMeans.consecutive(Dictionary(trend.map { ($0.month, $0.mean) }, uniquingKeysWith: { $1 }), from: latest)), rubric, t) {
            c["streak"] = s
        }
        c["rates"] = passRates.filter { $0.rule != "R13" && $0.applicable > 0 }.map { r -> [String: Any] in
            let text = rubric.text(of: r.rule, language: t.language.rawValue)
            return ["rule": r.rule, "ruleName": text.name, "description": text.description,
                    "percent": Int((Double(r.passed) / Double(r.applicable) * 100).rounded()), "applicable": r.applicable]
        }
        c["worst"] = callRows(worst, viewer)
        c["best"] = callRows(best, viewer)
        return Templates.render("agent", c)
    }

    /// A team: its lead's scorecard (the team's calls together) and its agents' (`months`; an agent
    /// viewing sees only their own row, `teamMonths` is everyone's for the totals).
    public static func team(_ name: String, month: String, lead: String, months: [AgentMonth], teamMonths: [AgentMonth],
                            trend: [(month: String, calls: Int, mean: Double)], rubric: Rubric, viewer: Viewer,
                            directory: Directory, history: [String: [Double]]) -> String {
        let t = viewer.t
        var c = base(t.format("team_heading", name), viewer)
        c["heading"] = t.format("team_heading", name) + " · " + t.month(month)
        c["lead"] = lead.isEmpty ? t["team_none"] : lead
        let calls = teamMonths.reduce(0) { $0 + $1.calls }
        c["calls"] = calls
        if calls > 0 {
            let mean = teamMonths.reduce(0.0) { $0 + $1.meanScore * Double($1.calls) } / Double(calls)
            c["mean"] = String(format: "%.1f", mean)
            var byMonth = Dictionary(trend.map { ($0.month, $0.mean) }, uniquingKeysWith: { $1 })
            byMonth[month] = mean
            let means = CallMeans.consecutive(byMonth, from: month)
            let (label, cssClass) = band(rubric.rules.R14.bandKind(mean: mean, recentMeans: Array(means.dropFirst())), rubric, t)
            c["bandLabel"] = label; c["bandClass"] = cssClass
            if let s = streak(rubric.rules.R14.watchStreak(means), rubric, t) { c["streak"] = s }
        } else {
            c["mean"] = "–"; c["bandLabel"] = t["no_calls_month"]; c["bandClass"] = "standard"
        }
        c["trend"] = trendChart(trend, t)
        c["rows"] = months.map { m -> [String: Any] in
            let (label, cssClass) = band(bandOf(m, history[m.agentId], rubric), rubric, t)
            var row: [String: Any] = ["id": m.agentId, "name": directory[m.agentId]?.name ?? "", "calls": m.calls,
                                      "mean": String(format: "%.1f", m.meanScore), "bandLabel": label, "bandClass": cssClass]
            if let s = history[m.agentId].flatMap({ streak(rubric.rules.R14.watchStreak($0), rubric, t) }) { row["streak"] = s }
            return row
        }
        return Templates.render("team", c)
    }

    static func callRows(_ calls: [CallSummary], _ viewer: Viewer) -> [[String: Any]] {
        calls.map { c in
            ["id": String(c.id), "file": mask((c.path as NSString).lastPathComponent, viewer), "started": viewer.t.dateTime(c.startTime),
             "score": String(format: "%.1f", c.score), "seconds": String(format: "%.0f", c.durationSeconds)]
        }
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
    public static func trendChart(_ trend: [(month: String, calls: Int, mean: Double)], _ t: Catalogue = .of(.en)) -> String {
        let width = 640, height = 180, left = 34, bottom = 24
        let barWidth = trend.isEmpty ? 0 : min(60, (width - left - 10) / trend.count - 8)
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(escape(t["mean_by_month"]))\">"
        for v in stride(from: 0, through: 100, by: 25) {
            let y = Double(height - bottom) - Double(v) / 100 * Double(height - bottom - 10)
            svg += String(format: "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eceff3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#6b7380\">%d</text>",
                          left, width, y, y, left - 4, y + 3, v)
        }
        for (i, m) in trend.enumerated() {
            let x = left + 8 + i * (barWidth + 8)
            let h = m.mean / 100 * Double(height - bottom - 10)
            svg += String(format: "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#2f6fdf\" rx=\"2\">", x, Double(height - bottom) - h, barWidth, h)
            svg += "<title>\(escape(t.month(m.month))): \(String(format: "%.1f", m.mean)) (\(m.calls))</title></rect>"
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(height - 8)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#3d4656\">\(escape(t.month(m.month)))</text>"
        }
        return svg + "</svg>"
    }
}

/// Monthly means walked back month by month: R14's "months running" are calendar months in a row.
public enum CallMeans {
    public static func consecutive(_ byMonth: [String: Double], from month: String) -> [Double] {
        var means: [Double] = [], cursor: String? = month
        while let m = cursor, let mean = byMonth[m] { means.append(mean); cursor = Month.previous(m) }
        return means
    }
}
