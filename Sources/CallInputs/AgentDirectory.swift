import Foundation

/// One identity per agent, whichever source named them: a sidecar's `"agent_id": "agent-1001"`,
/// a CSV's `1001` and a file name's `_agent-1001_` are the same agent, and one scorecard row.
///
/// Every id goes through `canonical`: surrounding space is dropped, then a leading `agent` or
/// `agt` (any case, then `-`, `_`, a space or nothing) when something follows it; then, when an
/// agents file is given, an alias of a listed agent becomes that agent's id.
public struct AgentDirectory: Sendable {
    public struct Agent: Sendable, Equatable {
        public var id: String
        public var name: String?
        public var team: String?
        /// The team's lead (R14: replaced after three months at or under the watch line).
        public var teamLead: String?
        public init(id: String, name: String? = nil, team: String? = nil, teamLead: String? = nil) {
            self.id = id; self.name = name; self.team = team; self.teamLead = teamLead
        }
    }

    public private(set) var agents: [Agent] = []
    private var idByAlias: [String: String] = [:]

    public init() {}

    /// An agents file: a CSV with a header naming `id` and any of `name`, `team`, `teamLead` and `aliases`
    /// (other names for the same agent, separated by `;`). Matching ignores case.
    public init(csvText: String) throws {
        let rows = MetadataTable.parse(csvText)
        guard let header = rows.first else { throw MetadataError.noHeader }
        let keys = header.map(MetadataTable.normalizedKey)
        guard let idColumn = keys.firstIndex(of: "id") ?? keys.firstIndex(of: "agentid") else { throw MetadataError.noIdColumn }
        func cell(_ row: [String], _ key: String) -> String? {
            keys.firstIndex(of: key).flatMap { $0 < row.count && !row[$0].isEmpty ? row[$0] : nil }
        }
        for row in rows.dropFirst() where idColumn < row.count && !row[idColumn].isEmpty {
            let id = Self.stripped(row[idColumn])
            agents.append(Agent(id: id, name: cell(row, "name"), team: cell(row, "team"), teamLead: cell(row, "teamlead") ?? cell(row, "lead")))
            idByAlias[id.lowercased()] = id
            for alias in (cell(row, "aliases") ?? "").split(separator: ";") {
                idByAlias[Self.stripped(String(alias)).lowercased()] = id
            }
        }
    }

    /// Reads an agents file; errors name it.
    public init(path: String) throws(AgentsFileError) {
        do { try self.init(csvText: String(contentsOfFile: path, encoding: .utf8)) } catch {
            throw AgentsFileError(path: path, reason: "\(error)")
        }
    }

    public func canonical(_ raw: String) -> String {
        let id = Self.stripped(raw)
        return idByAlias[id.lowercased()] ?? id
    }

    /// Space trimmed and an `agent`/`agt` prefix removed (when anything is left after it).
    static func stripped(_ raw: String) -> String {
        let id = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let match = id.firstMatch(of: /^(?i:agent|agt)[-_ ]?(.+)$/) else { return id }
        return String(match.output.1)
    }
}

public struct AgentsFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot read the agents file (\(reason))" }
}
