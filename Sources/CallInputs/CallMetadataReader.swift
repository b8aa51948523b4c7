public import CallAnalysis
import Foundation

/// Finds what is known about a recording besides its audio, in order of trust: a sidecar JSON
/// next to it (`NAME.json` for `NAME.wav`), a row of a CSV for its folder, and its file name.
/// Reads files; keeps the CSVs it has parsed (one reader per run, no global state).
public final class CallMetadataReader {
    /// Default for names like `20261123-093012_agent-1007_call-000123.wav`.
    public static let defaultNamePattern = #"(?<date>\d{8})-(?<time>\d{6})_agent-(?<agent>[^_]+)_call-(?<call>[^_.]+)"#
    /// CSV files looked for in a recording's folder when none is named.
    public static let folderCSVNames = ["calls.csv", "metadata.csv"]

    private let namePattern: Regex<AnyRegexOutput>?
    private let explicitCSV: String?
    private let agents: AgentDirectory
    private var tables: [String: MetadataTable?] = [:]
    /// Problems met (a malformed sidecar, an unreadable CSV), each naming its file.
    public private(set) var problems: [String] = []

    /// - Parameters:
    ///   - csvPath: one CSV for every recording; nil to look for `calls.csv`/`metadata.csv` beside each.
    ///   - namePattern: a regular expression with any of the named groups `agent`, `call`,
    ///     `date` (yyyyMMdd), `time` (HHmmss) or `start` (any time this tool parses); "" for none.
    ///   - agents: how agent ids are matched (`AgentDirectory`).
    public init(csvPath: String? = nil, namePattern: String = CallMetadataReader.defaultNamePattern,
                agents: AgentDirectory = AgentDirectory()) throws {
        explicitCSV = csvPath
        self.agents = agents
        self.namePattern = namePattern.isEmpty ? nil : try Regex(namePattern)
    }

    /// Everything known about `path`, or nil when nothing is. Problems are collected, not thrown:
    /// a call is analysed even when its metadata is broken.
    public func metadata(for path: String) -> (metadata: CallMetadata?, problems: [String]) {
        var found: [CallMetadata] = []
        var problems: [String] = []
        let url = URL(fileURLWithPath: path)
        let sidecar = url.deletingPathExtension().appendingPathExtension("json").path
        if FileManager.default.fileExists(atPath: sidecar) {
            do { found.append(try Self.sidecar(Data(contentsOf: URL(fileURLWithPath: sidecar)))) } catch {
                problems.append("\(sidecar): metadata ignored: \(error)")
            }
        }
        let fromName = nameMetadata(url.lastPathComponent)
        let csvPath = explicitCSV ?? Self.folderCSVNames
            .map { url.deletingLastPathComponent().appendingPathComponent($0).path }
            .first { FileManager.default.fileExists(atPath: $0) }
        if let csvPath {
            if tables[csvPath] == nil {
                do { tables[csvPath] = try MetadataTable(text: String(contentsOfFile: csvPath, encoding: .utf8)) } catch {
                    tables[csvPath] = .some(nil)
                    problems.append("\(csvPath): metadata CSV ignored: \(error)")
                }
            }
            if let table = tables[csvPath] ?? nil, let row = table.row(file: url.lastPathComponent, callId: fromName?.callId) {
                found.append(row)
            }
        }
        if let fromName { found.append(fromName) }
        // An impossible or far-off time (1900, 9999-99-99, a call next year) is a recorder's
        // default or a typo: it would file the call in the wrong month and let `purge` delete it.
        // It is dropped with a warning, and the next source's time is used.
        found = found.map { m in
            var m = m
            for (name, keyPath) in [("start", \CallMetadata.startTime), ("answer", \.answerTime), ("end", \.endTime)] {
                if let text = m[keyPath: keyPath], !Self.plausible(text) {
                    problems.append("\(path): \(m.source) \(name) time \"\(text)\" is impossible or far off: ignored")
                    m[keyPath: keyPath] = nil
                }
            }
            return m
        }
        // Last resort for the start time: when the file was last written (recorders close the
        // file at hang-up), so a call without metadata still lands in a day and a month.
        if !found.contains(where: { $0.startTime != nil }), let written = Self.modificationTime(path) {
            found.append(CallMetadata(source: "fileTime", startTime: written))
        }
        guard var merged = found.first else { return (nil, problems) }
        for more in found.dropFirst() { merged = merged.merged(with: more) }
        merged.agentId = merged.agentId.map(agents.canonical)
        return (merged, problems)
    }

    /// A time that parses, from 2000 on and no later than tomorrow.
    static func plausible(_ text: String, now: Date = Date()) -> Bool {
        guard let seconds = CallMetadata.secondsSinceEpoch(text) else { return false }
        return seconds >= 946_684_800 && seconds <= now.timeIntervalSince1970 + 86_400
    }

    static func modificationTime(_ path: String) -> String? {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return f.string(from: date)
    }

    func nameMetadata(_ name: String) -> CallMetadata? {
        guard let namePattern, let match = try? namePattern.firstMatch(in: name) else { return nil }
        func group(_ key: String) -> String? { match.output[key]?.substring.map(String.init) }
        var start = group("start").flatMap(CallMetadata.normalized)
        if start == nil, let date = group("date"), let time = group("time") {
            start = CallMetadata.normalized(date + time)
        }
        let m = CallMetadata(source: "fileName", callId: group("call"), agentId: group("agent"), startTime: start)
        return m.callId == nil && m.agentId == nil && m.startTime == nil ? nil : m
    }

    /// A sidecar: a JSON object with any of callId, agentId, startTime, answerTime, endTime,
    /// direction, hangupSide (snake_case accepted too).
    static func sidecar(_ data: Data) throws -> CallMetadata {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MetadataError.notAnObject
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            let text: String
            switch value {
            case let s as String: text = s
            case let n as NSNumber: text = n.stringValue
            default: continue
            }
            fields[MetadataTable.normalizedKey(key)] = text
        }
        return MetadataTable.metadata(fields, source: "sidecar")
    }
}

enum MetadataError: Error, CustomStringConvertible {
    case notAnObject
    case noHeader
    case noFileColumn
    case noIdColumn
    var description: String {
        switch self {
        case .notAnObject: "not a JSON object"
        case .noHeader: "empty file"
        case .noFileColumn: "needs a `file` or `call_id` column"
        case .noIdColumn: "needs an `id` column"
        }
    }
}

/// A folder's call list: one row per call; columns by header name, in any order and case:
/// file, call_id, agent_id, start_time, answer_time, end_time, direction, hangup_side.
struct MetadataTable {
    private var byFile: [String: CallMetadata] = [:]
    private var byCall: [String: CallMetadata] = [:]

    init(text: String) throws {
        let rows = Self.parse(text)
        guard let header = rows.first else { throw MetadataError.noHeader }
        let keys = header.map(Self.normalizedKey)
        guard keys.contains("file") || keys.contains("callid") else { throw MetadataError.noFileColumn }
        for row in rows.dropFirst() where row.contains(where: { !$0.isEmpty }) {
            var fields: [String: String] = [:]
            for (key, value) in zip(keys, row) where !value.isEmpty { fields[key] = value }
            let m = Self.metadata(fields, source: "csv")
            if let file = fields["file"] { byFile[URL(fileURLWithPath: file).lastPathComponent] = m }
            if let call = fields["callid"] { byCall[call] = m }
        }
    }

    func row(file: String, callId: String?) -> CallMetadata? {
        byFile[file] ?? callId.flatMap { byCall[$0] }
    }

    static func normalizedKey(_ key: String) -> String {
        String(key.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    static func metadata(_ f: [String: String], source: String) -> CallMetadata {
        func time(_ key: String) -> String? { f[key].map { CallMetadata.normalized($0) ?? $0 } }
        return CallMetadata(
            source: source, callId: f["callid"], agentId: f["agentid"] ?? f["agent"], startTime: time("starttime"),
            answerTime: time("answertime"), endTime: time("endtime"), direction: f["direction"]?.lowercased(),
            hangupSide: (f["hangupside"] ?? f["hangup"])?.lowercased())
    }

    /// RFC 4180 fields: commas, quotes doubled inside quoted fields, CRLF or LF rows.
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field.trimmingCharacters(in: .whitespaces)); field = ""
            case "\n", "\r\n", "\r":
                row.append(field.trimmingCharacters(in: .whitespaces)); field = ""
                rows.append(row); row = []
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field.trimmingCharacters(in: .whitespaces)); rows.append(row) }
        return rows
    }
}
