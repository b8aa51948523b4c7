import Foundation

/// The languages pages are shown in: Simplified Chinese first, English on request.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// The HTML `lang` attribute.
    public var tag: String { self == .zh ? "zh-CN" : "en" }
    /// The language's own name, for the switch.
    public var ownName: String { self == .zh ? "中文" : "English" }

    /// `?lang=` beats the cookie the switch sets, which beats the browser's Accept-Language (its
    /// first language this knows, by preference order); Chinese otherwise.
    public static func pick(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let query, let l = Language(code: query) { return l }
        if let cookie, let l = Language(code: cookie) { return l }
        if let acceptLanguage {
            let ranked = acceptLanguage.split(separator: ",").enumerated().compactMap { index, part -> (Language, Double, Int)? in
                let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let code = pieces.first, let l = Language(code: code) else { return nil }
                let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
                return q > 0 ? (l, q, index) : nil
            }
            if let best = ranked.max(by: { ($0.1, -$0.2) < ($1.1, -$1.2) }) { return best.0 }
        }
        return .zh
    }

    /// "zh", "zh-CN", "zh-Hans", "en-GB" …
    init?(code: String) {
        let primary = code.lowercased().split(separator: "-").first.map(String.init) ?? ""
        self.init(rawValue: primary)
    }
}

/// A page's words in one language, from `Resources/messages/LANG.json` (flat keys, no dots: the
/// templates reach them as `{{t.key}}`). A key missing in one language falls back to English.
public struct Catalogue: Sendable {
    public let language: Language
    public let messages: [String: String]

    public subscript(_ key: String) -> String { messages[key] ?? key }

    /// `%@`-style formatting of a message with arguments.
    public func format(_ key: String, _ arguments: any CVarArg...) -> String {
        String(format: self[key], arguments: arguments)
    }

    public static func of(_ language: Language) -> Catalogue { language == .zh ? zh : en }
    static let en = Catalogue(language: .en, messages: load("en"))
    static let zh = Catalogue(language: .zh, messages: load("en").merging(load("zh")) { $1 })

    static func load(_ name: String) -> [String: String] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources/messages"),
              let data = try? Data(contentsOf: url), let object = try? JSONDecoder().decode([String: String].self, from: data) else {
            // Shipped with the binary; without it every label would read as its key.
            preconditionFailure("CallViews resources missing: messages/\(name).json")
        }
        return object
    }

    /// "2026-11-23T14:09:05" as the language writes it: 2026年11月23日 14:09, or 2026-11-23 14:09.
    public func dateTime(_ iso: String?) -> String {
        guard let iso, iso.count >= 10 else { return iso ?? "–" }
        let day = String(iso.prefix(10)), time = iso.count >= 16 ? " " + String(iso.dropFirst(11).prefix(5)) : ""
        return self.day(day) + time
    }

    public func day(_ day: String) -> String {
        let p = day.split(separator: "-")
        guard language == .zh, p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return day }
        return "\(y)年\(m)月\(d)日"
    }

    /// "2026-11" as 2026年11月.
    public func month(_ month: String) -> String {
        let p = month.split(separator: "-")
        guard language == .zh, p.count == 2, let y = Int(p[0]), let m = Int(p[1]) else { return month }
        return "\(y)年\(m)月"
    }
}
