import CallScoring
import CallStore
import CallViews
import Foundation
import Hummingbird

/// Scorecard routes: the month's agents, one agent, one team.
extension CallServer {
    func addScorecardRoutes(to router: Router<CallRequestContext>) {
        router.get("/") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            let own = viewer.role == .agent ? viewer.agentId ?? "—" : nil
            var month = request.uri.queryParameters["month"].map(String.init).flatMap(Month.valid) ?? Month.current()
            var months = try self.store.agentMonths(month: month, previous: Month.previous(month), agentId: own)
            if months.isEmpty, request.uri.queryParameters["month"] == nil, let latest = try self.latestMonth() {
                month = latest
                months = try self.store.agentMonths(month: latest, previous: Month.previous(latest), agentId: own)
            }
            return Self.html(Pages.agents(months, month: month, rubric: self.rubric, viewer: viewer.page,
                                          directory: try self.directory(), history: try self.histories(months.map(\.agentId), through: month)))
        }
        router.get("/agents/:id") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            guard let id = context.parameters.get("id"), Self.validAgentId(id) else { throw HTTPError(.notFound) }
            guard viewer.mayView(agentId: id) else {
                try self.store.audit(user: viewer.name, action: "denied", callId: nil, detail: "agent page \(id)")
                throw HTTPError(.forbidden)
            }
            return Self.html(Pages.agent(
                id: id, trend: try self.store.monthlyTrend(agentId: id), passRates: try self.store.passRates(agentId: id, month: nil),
                worst: try self.store.callsByScore(agentId: id, ascending: true, limit: 5),
                best: try self.store.callsByScore(agentId: id, ascending: false, limit: 5), viewer: viewer.page,
                rubric: self.rubric, record: try self.directory()[id]))
        }
        router.get("/teams/:team") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            guard let team = context.parameters.get("team")?.removingPercentEncoding, !team.isEmpty, team.count <= 64 else { throw HTTPError(.notFound) }
            let directory = try self.directory()
            let members = directory.values.filter { $0.team == team }
            guard !members.isEmpty else { throw HTTPError(.notFound) }
            // Agents see their own team's page only; it shows the team's figures, not other agents' calls.
            if viewer.role == .agent, directory[viewer.agentId ?? ""]?.team != team {
                try self.store.audit(user: viewer.name, action: "denied", callId: nil, detail: "team page \(team)")
                throw HTTPError(.forbidden)
            }
            let ids = Set(members.map(\.id))
            let latest = try self.latestMonth()
            let month = request.uri.queryParameters["month"].map(String.init).flatMap(Month.valid) ?? latest ?? Month.current()
            let months = try self.store.agentMonths(month: month, previous: Month.previous(month), agentId: nil).filter { ids.contains($0.agentId) }
            var byMonth: [String: (calls: Int, sum: Double)] = [:]
            for id in ids {
                for m in try self.store.monthlyTrend(agentId: id) {
                    byMonth[m.month, default: (0, 0)].calls += m.calls
                    byMonth[m.month, default: (0, 0)].sum += m.mean * Double(m.calls)
                }
            }
            // The lead's months up to the one shown: band and streak do not look ahead.
            let trend = byMonth.keys.sorted().filter { $0 <= month }
                .map { (month: $0, calls: byMonth[$0]!.calls, mean: byMonth[$0]!.sum / Double(max(byMonth[$0]!.calls, 1))) }
            let lead = members.first { !$0.teamLead.isEmpty }?.teamLead ?? ""
            // Agents see their team's figures, not their teammates'.
            let rows = viewer.role == .agent ? months.filter { $0.agentId == viewer.agentId } : months
            return Self.html(Pages.team(team, month: month, lead: lead, months: rows, teamMonths: months, trend: trend, rubric: self.rubric, viewer: viewer.page,
                                        directory: directory, history: try self.histories(rows.map(\.agentId), through: month)))
        }
    }

    func directory() throws -> Pages.Directory {
        Dictionary(try store.agentRecords().map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    }

    /// Per agent: monthly mean scores from `month` back, newest first, while the months run
    /// without a gap (R14's "three months running" means calendar months in a row).
    func histories(_ agents: [String], through month: String) throws -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for id in agents {
            let byMonth = Dictionary(try store.monthlyTrend(agentId: id).map { ($0.month, $0.mean) }, uniquingKeysWith: { $1 })
            out[id] = CallMeans.consecutive(byMonth, from: month)
        }
        return out
    }
}
