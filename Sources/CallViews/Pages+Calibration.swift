public import CallScoring
public import CallStore
import Foundation

/// The calibration page: paste the centre's own evaluations, see agreement rule by rule.
extension Pages {
    public static func calibration(sheet: String, result: CalibrationReport?, rubric: Rubric, viewer: Viewer) -> String {
        let t = viewer.t
        var c = base(t["calibration_title"], viewer)
        c["csrf"] = viewer.csrfToken
        c["sheet"] = sheet
        if let result {
            c["ran"] = true
            let names = Calibration.outcomes
            c["rules"] = result.rules.map { r -> [String: Any] in
                let used = names.filter { n in r.confusion[n.rawValue] != nil || r.confusion.values.contains { $0[n.rawValue] != nil } }
                return ["rule": r.rule, "ruleName": rubric.text(of: r.rule, language: t.language.rawValue).name, "count": r.count,
                        "agreement": String(format: "%.1f%%", r.agreement * 100), "kappa": r.kappa.map { String(format: "%.2f", $0) } ?? t["kappa_none"],
                        "columns": used.map { outcome($0, t) },
                        "matrix": used.map { h in ["label": outcome(h, t), "cells": used.map { r.confusion[h.rawValue]?[$0.rawValue] ?? 0 }] as [String: Any] }]
            }
            if let mad = result.totals.meanAbsoluteDifference { c["totals"] = t.format("totals_line", result.totals.calls, mad) }
            c["hasSkipped"] = !result.skipped.isEmpty
            c["skipped"] = result.skipped.map { ["line": $0.line, "reason": mask($0.reason, viewer)] as [String: Any] }
        }
        return Templates.render("calibration", c)
    }
}

extension Pages {
    /// Files the batch could not score, newest first.
    public static func failures(_ rows: [StoredFailure], viewer: Viewer) -> String {
        var c = base(viewer.t["failures_title"], viewer)
        c["rows"] = rows.map { f -> [String: Any] in
            ["at": viewer.t.dateTime(localTime(f.at, viewer.timeZone)), "file": mask((f.path as NSString).lastPathComponent, viewer),
             "folder": mask((f.path as NSString).deletingLastPathComponent, viewer), "reason": mask(f.reason, viewer)]
        }
        return Templates.render("failures", c)
    }
}
