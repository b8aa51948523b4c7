import ArgumentParser
import CallInputs
import CallStore
import Foundation

extension CallQA {
    /// The centre's agents as people know them: names, teams and team leads, for the web UI's
    /// scorecards and team pages (ids are matched as everywhere else, aliases included).
    struct Agents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Agents' names, teams and team leads.", subcommands: [Import.self, List.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store the agents file (id, name, team, teamLead, aliases), replacing the list stored before.")
            @Argument(help: "The agents file (CSV).", completion: .file(extensions: ["csv"])) var file: String
            @OptionGroup var store: StoreOptions

            func run() async throws {
                let directory: AgentDirectory
                do { directory = try AgentDirectory(path: file) } catch { throw ValidationError(error.description) }
                guard !directory.agents.isEmpty else { throw ValidationError("\(file): no agents (a header naming id, then one row per agent)") }
                let opened = try store.openExisting()
                let count = try opened.importAgents(directory.agents.map {
                    AgentRecord(id: $0.id, name: $0.name ?? "", team: $0.team ?? "", teamLead: $0.teamLead ?? "")
                })
                try opened.audit(user: Users.operatorName, action: "agents import", callId: nil, detail: "\(count) agents from \((file as NSString).lastPathComponent)")
                let teams = Set(directory.agents.compactMap(\.team))
                print("stored \(count) agents in \(teams.count) team\(teams.count == 1 ? "" : "s")")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The stored agents.")
            @OptionGroup var store: StoreOptions
            func run() async throws {
                let agents = try store.openExisting().agentRecords()
                if agents.isEmpty { print("no agents stored (callqa agents import agents.csv)"); return }
                for a in agents { print([a.id, a.name, a.team, a.teamLead].joined(separator: "\t")) }
            }
        }
    }
}
