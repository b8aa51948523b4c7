import ArgumentParser
import CallInputs
import CallStore
import CallViews
import Foundation

extension CallQA.Report {
    /// One row per call, filtered as a QA lead asks: by agent or team, days, score, a rule's
    /// outcome, and routed for review. CSV carries a UTF-8 byte-order mark, so Excel on Chinese
    /// Windows opens it as UTF-8.
    struct Calls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stored calls, filtered: one row per call.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this agent's calls.") var agent: String?
        @Option(help: "Only this team's agents (needs --agents, the agents file with a team column).") var team: String?
        @Option(help: "The agents file (id, name, team, aliases).", completion: .file(extensions: ["csv"])) var agents: String?
        @Option(help: "From this day (YYYY-MM-DD).") var from: String?
        @Option(help: "To this day, inclusive (YYYY-MM-DD).") var to: String?
        @Option(help: "Calls with this rule's result (R1 …).") var rule: String?
        @Option(help: "pass, flag or fail (of --rule, or of any rule).") var outcome: String?
        @Flag(help: "Only calls routed for review.") var review = false
        @Option(help: "At most this many rows.") var limit = 1000
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func validate() throws {
            for (name, day) in [("--from", from), ("--to", to)] {
                if let day, DayFilter.resolve(day) == nil { throw ValidationError("\(name): expected YYYY-MM-DD, got \(day)") }
            }
            if let rule, !(rule.hasPrefix("R") && Int(rule.dropFirst()).map { (1...15).contains($0) } == true) {
                throw ValidationError("--rule: expected R1 … R15, got \(rule)")
            }
            if let outcome, !["pass", "flag", "fail"].contains(outcome) { throw ValidationError("--outcome: pass, flag or fail") }
            if team != nil && agents == nil { throw ValidationError("--team needs --agents FILE (the agents file with a team column)") }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            var filter = CallFilter()
            filter.fromDay = from.flatMap { DayFilter.resolve($0) }
            filter.toDay = to.flatMap { DayFilter.resolve($0) }
            filter.rule = rule
            filter.outcome = outcome
            filter.forReview = review
            filter.limit = limit
            var directory = AgentDirectory()
            if let agents {
                do { directory = try AgentDirectory(path: agents) } catch { throw ValidationError(error.description) }
            }
            var ids: [String]? = agent.map { [directory.canonical($0)] }
            if let team {
                let members = directory.agents.filter { $0.team == team }.map(\.id)
                ids = ids.map { $0.filter(members.contains) } ?? members
            }
            filter.agentIds = ids
            let rows = try store.openExisting().calls(matching: filter)
            let header = ["id", "started", "agent", "score", "seconds", "charsPerMinute", "holds", "longestHoldSeconds", "review", "notCounted", "file"]
            func cells(_ c: CallSummary) -> [String] {
                [String(c.id), c.startTime ?? "", c.agentId ?? "", String(format: "%.1f", c.score), String(format: "%.0f", c.durationSeconds),
                 c.agentCharsPerMinute.map { String(format: "%.0f", $0) } ?? "", String(c.holdCount), String(format: "%.0f", c.longestHoldSeconds),
                 c.review ? "yes" : "no", c.notCountedBecause ?? "", c.path]
            }
            switch format {
            case .csv:
                FileHandle.standardOutput.write(Data(SpreadsheetCSV.document(header: header, rows: rows.map(cells)).utf8))
            case .json:
                let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, cells($0))) }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            case .table:
                if rows.isEmpty { print("no calls match"); return }
                for c in rows {
                    print(String(format: "%6lld  %@  %-10@ %5.1f  %@", c.id, c.startTime ?? "?", c.agentId ?? "?", c.score,
                                 (c.path as NSString).lastPathComponent) + (c.review ? "  review" : "") + (c.notCountedBecause.map { "  not counted: \($0)" } ?? ""))
                }
            }
        }
    }

    /// Files a run could not score, with why (kept until a later run scores them).
    struct Failures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Files that failed to score, with the reason.")
        @OptionGroup var store: StoreOptions
        func run() async throws {
            let failures = try store.openExisting().failures()
            if failures.isEmpty { print("no failed files"); return }
            for f in failures { print("\(f.at)  \(f.path): \(f.reason)") }
        }
    }
}
