import CallStore
import CallViews
import Foundation
import Hummingbird

/// `/calls`: every filter a QA lead combines, paged and sortable, or the whole list as CSV.
extension CallServer {
    static let callsPerPage = 50
    static let csvRowLimit = 100_000

    func callSearch(_ request: Request, viewer: Viewer) throws -> Response {
        let q = request.uri.queryParameters
        func value(_ name: String) -> String? { q[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        func bad(_ field: String, _ allowed: String) -> HTTPError { HTTPError(.badRequest, message: "\(field): \(allowed)") }
        var f = CallFilter()
        if let from = value("from") { guard let day = Self.day(from) else { throw bad("from", "a day, YYYY-MM-DD") }; f.fromDay = day }
        if let to = value("to") { guard let day = Self.day(to) else { throw bad("to", "a day, YYYY-MM-DD") }; f.toDay = day }
        for (name, keyPath) in [("min", \CallFilter.minimumScore), ("max", \CallFilter.maximumScore)] {
            if let text = value(name) {
                guard let v = Double(text), v.isFinite, (0...100).contains(v) else { throw bad(name, "a score from 0 to 100") }
                f[keyPath: keyPath] = v
            }
        }
        if let rule = value("rule") {
            guard rule.hasPrefix("R"), let n = Int(rule.dropFirst()), (1...15).contains(n) else { throw bad("rule", "R1 … R15") }
            f.rule = rule
        }
        if let outcome = value("outcome") {
            guard ["pass", "flag", "fail"].contains(outcome) else { throw bad("outcome", "pass, flag or fail") }
            f.outcome = outcome
        }
        if let sort = value("sort") { guard let o = CallFilter.Order(rawValue: sort) else { throw bad("sort", "newest, oldest, scoreLow or scoreHigh") }; f.order = o }
        f.forReview = value("review") != nil
        // Trainers do not see disputes, so they cannot search by them either.
        f.disputed = value("disputed") != nil && viewer.role != .trainer
        var page = 1
        if let text = value("page") { guard let p = Int(text), (1...100_000).contains(p) else { throw bad("page", "a page number") }; page = p }
        let directory = try self.directory()
        let agent = value("agent") ?? "", team = value("team") ?? ""
        if !agent.isEmpty && !Self.validAgentId(agent) { throw bad("agent", "an agent id (letters, digits, - and _)") }
        if viewer.role == .agent {
            f.agentIds = [viewer.agentId ?? "—"]
        } else {
            var ids: [String]? = agent.isEmpty ? nil : [agent]
            if !team.isEmpty {
                let members = directory.values.filter { $0.team == team }.map(\.id)
                ids = ids.map { $0.filter(members.contains) } ?? members
            }
            f.agentIds = ids
        }
        if value("format") == "csv" {
            f.limit = Self.csvRowLimit
            let rows = try store.calls(matching: f)
            try store.audit(user: viewer.name, action: "export", callId: nil, detail: "calls CSV, \(rows.count) rows")
            var response = Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store"],
                                    body: .init(byteBuffer: ByteBuffer(string: Pages.callsCSV(rows, viewer: viewer.page))))
            response.headers[.contentDisposition] = "attachment; filename=\"calls.csv\""
            return response
        }
        f.limit = Self.callsPerPage + 1
        f.offset = (page - 1) * Self.callsPerPage
        var rows = try store.calls(matching: f)
        let hasNext = rows.count > Self.callsPerPage
        rows = Array(rows.prefix(Self.callsPerPage))
        let disputed = viewer.role == .trainer ? [] : try store.disputedCallIds(among: rows.map(\.id))
        f.limit = Self.callsPerPage
        let search = Pages.CallSearch(filter: f, agent: viewer.role == .agent ? "" : agent, team: team,
                                      teams: Set(directory.values.map(\.team)).filter { !$0.isEmpty }.sorted(),
                                      rows: rows, disputedIds: disputed, page: page, hasNext: hasNext)
        return Self.html(Pages.calls(search, rubric: rubric, viewer: viewer.page))
    }

    /// "YYYY-MM-DD" that is a real day.
    static func day(_ text: String) -> String? {
        let p = text.split(separator: "-")
        guard text.count == 10, p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]),
              (1900...2999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return text
    }
}
