import CallAnalysis
import CallScoring
public import CallStore
public import Foundation

/// Server-rendered pages: plain HTML with inline CSS and server-drawn SVG, no external assets
/// (the machines that run this may have no internet). Every dynamic string is escaped.
public enum Pages {
    public struct Viewer: Sendable {
        public var name: String
        public var role: User.Role
        public var csrfToken: String
        public var language: Language
        /// This page's path and query, for the language switch's links.
        public var here: String
        /// The centre's time zone: moments the server records (audit, disputes, failures) are
        /// shown in it; call start times are the recorder's wall clock already.
        public var timeZone: TimeZone
        public init(name: String, role: User.Role, csrfToken: String, language: Language = .zh, here: String = "/", timeZone: TimeZone = .current) {
            self.name = name; self.role = role; self.csrfToken = csrfToken; self.language = language; self.here = here; self.timeZone = timeZone
        }
        /// Customer phone numbers are shown whole to qa only.
        public var seesPhoneNumbers: Bool { role == .qa }
        /// Review, verdicts and calibration are for qa and managers.
        public var reviews: Bool { role == .qa || role == .manager }
        public var t: Catalogue { Catalogue.of(language) }
    }

    // A font stack that has Chinese glyphs on stock Windows (Microsoft YaHei), macOS (PingFang SC)
    // and Linux desktops (Noto Sans CJK SC, WenQuanYi), before the generic fallback.
    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#1d2330;background:#f3f5f8}
        header{background:#1d2b45;color:#fff;padding:10px 24px;display:flex;gap:20px;align-items:center;flex-wrap:wrap}
        header a{color:#dfe7f5;text-decoration:none;font-weight:500}header .brand{font-weight:700;font-size:18px;color:#fff}
        header form{margin-left:auto}header button{background:none;border:1px solid #8ea2c6;color:#dfe7f5;border-radius:4px;padding:3px 10px;cursor:pointer}
        header .who{color:#b9c6de;font-size:13px}nav.lang a{font-size:13px;margin-left:8px;opacity:.75}nav.lang a[aria-current]{opacity:1;text-decoration:underline}
        main{padding:20px 24px;max-width:1180px;margin:auto}
        h1{font-size:22px;margin:4px 0 16px}h2{font-size:16px;margin:22px 0 8px}
        .card{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:14px 16px;margin-bottom:16px}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{padding:7px 8px;border-bottom:1px solid #eceff3;text-align:left;vertical-align:top}
        th{color:#5b6473;font-weight:600;font-size:12px;letter-spacing:.03em}
        td.num{text-align:right;font-variant-numeric:tabular-nums}a{color:#2457c5}
        table.confusion{width:auto;font-size:12px}table.confusion td,table.confusion th{padding:2px 6px}
        .band{padding:2px 8px;border-radius:10px;font-size:12px;white-space:nowrap}
        .award{background:#e3f6ea;color:#17693a}.standard{background:#eef1f5;color:#3d4656}.watch,.leadReplaced{background:#fff4d6;color:#8a5a00}.penalty,.severe{background:#fde3e3;color:#9b1c1c}
        td.pass,td.fail,td.flag,td.notApplicable{white-space:nowrap}.pass{color:#17693a}.fail{color:#b42318;font-weight:600}.flag{color:#a15c00}.notApplicable{color:#7a8291}
        .muted{color:#6b7380;font-size:13px}.bar{height:8px;background:#e8ebf0;border-radius:4px;overflow:hidden;width:140px;display:inline-block;vertical-align:middle}
        .bar span{display:block;height:100%;background:#2f6fdf}
        form.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:end;margin-bottom:12px}label{font-size:12px;color:#5b6473;display:flex;flex-direction:column;gap:3px}
        label.check{flex-direction:row;align-items:center}form.inline{display:flex;gap:4px;flex-wrap:wrap}
        input,select,textarea{padding:5px 7px;border:1px solid #cdd3dc;border-radius:4px;font-size:14px;font-family:inherit}
        button.primary{background:#2457c5;color:#fff;border:none;border-radius:4px;padding:7px 14px;cursor:pointer}
        .seek{cursor:pointer;color:#2457c5;text-decoration:underline}.timeline svg{width:100%;height:auto}
        .error{background:#fde3e3;color:#9b1c1c;padding:8px 12px;border-radius:6px}.dispute{border-left:3px solid #a15c00;padding:4px 10px;margin:8px 0}
        mark{background:#fff1a8}mark.forbidden{background:#fde3e3;color:#9b1c1c}
        """

    /// What every page's layout needs: title, language, the switch, and the signed-in user.
    static func base(title: String, viewer: Viewer?, language: Language, here: String) -> [String: Any] {
        let t = Catalogue.of(language)
        var context: [String: Any] = ["title": title, "lang": language.tag, "css": css, "t": t.messages]
        context["languages"] = Language.allCases.map { l -> [String: Any] in
            ["link": link(here, setting: "lang", to: l.rawValue), "label": l.ownName, "tag": l.tag, "current": l == language]
        }
        if let viewer {
            context["viewer"] = ["name": viewer.name, "roleName": t["role_" + viewer.role.rawValue], "csrf": viewer.csrfToken,
                                 "manager": viewer.role == .manager, "reviews": viewer.reviews] as [String: Any]
        }
        return context
    }

    static func base(_ title: String, _ viewer: Viewer) -> [String: Any] {
        base(title: title, viewer: viewer, language: viewer.language, here: viewer.here)
    }

    /// `here` with one query parameter set (or removed when `value` is empty), the rest kept.
    public static func link(_ here: String, setting name: String, to value: String) -> String {
        var components = URLComponents(string: here) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != name }
        if !value.isEmpty { items.append(URLQueryItem(name: name, value: value)) }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? here
    }

    public static func login(error: String?, csrf: String, next: String, language: Language, here: String = "/login") -> String {
        let t = Catalogue.of(language)
        var c = base(title: t["login_title"], viewer: nil, language: language, here: here)
        if let error { c["error"] = t[error] }
        c["csrf"] = csrf; c["next"] = next
        return Templates.render("login", c)
    }

    public static func message(_ title: String, _ text: String, viewer: Viewer?, language: Language) -> String {
        var c = base(title: title, viewer: viewer, language: viewer?.language ?? language, here: viewer?.here ?? "/")
        c["text"] = text
        return Templates.render("message", c)
    }

    public static func audit(_ entries: [AuditEntry], viewer: Viewer) -> String {
        var c = base(viewer.t["audit_title"], viewer)
        c["entries"] = entries.map { e -> [String: Any] in
            ["at": viewer.t.dateTime(localTime(e.at, viewer.timeZone)), "user": e.user, "action": e.action,
             "callId": e.callId.map { String($0) } ?? "", "detail": mask(e.detail, viewer)]
        }
        return Templates.render("audit", c)
    }

    /// A moment the server stored (ISO 8601, UTC) as the centre's wall clock, "yyyy-MM-ddTHH:mm:ss".
    static func localTime(_ iso: String, _ zone: TimeZone) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: date)
    }

    /// An outcome as the viewer's language names it.
    static func outcome(_ o: RuleResult.Outcome, _ t: Catalogue) -> String { t["outcome_" + o.rawValue] }

    /// A KPI band's label and CSS class.
    static func band(_ kind: Rubric.R14.Band, _ rubric: Rubric, _ t: Catalogue) -> (label: String, cssClass: String) {
        let r = rubric.rules.R14
        let label = switch kind {
        case .standard: t["band_standard"]
        case .leadReplaced: t.format("band_leadReplaced", r.threshold(of: kind), r.watchMonths)
        default: t.format("band_" + kind.rawValue, r.threshold(of: kind))
        }
        return (label, kind.rawValue)
    }

    /// "≤ 80 for 2 months running", or nil when the latest month is above the line.
    static func streak(_ months: Int, _ rubric: Rubric, _ t: Catalogue) -> String? {
        months >= 1 ? t.format("streak", Int(rubric.rules.R14.watchAtMost), months) : nil
    }

    static func ruleChoices(_ rubric: Rubric, _ t: Catalogue, selected: String?, through last: Int = 13) -> [[String: Any]] {
        (1...last).map { "R\($0)" }.map { ["rule": $0, "ruleName": rubric.text(of: $0, language: t.language.rawValue).name, "selected": $0 == selected] }
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
