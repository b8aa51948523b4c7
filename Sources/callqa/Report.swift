import ArgumentParser
import CallAnalysis
import CallAudio
import CallScoring
import CallStore
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

/// Per-agent figures for one month, and the KPI band of R14.
struct AgentScorecard: Codable, Equatable {
    var agentId: String
    var calls: Int
    var meanScore: Double
    var previousMonthMeanScore: Double?
    var changeFromPreviousMonth: Double?
    /// Share of applicable calls that passed, per rule.
    var passRates: [String: Double]
    var medianCharsPerMinute: Double?
    var holds: Int
    var longestHoldSeconds: Double
    var callsForReview: Int
    var kpiBand: String
}

enum Scorecards {
    static func make(store: some CallStore, month: String, rubric: Rubric) throws -> [AgentScorecard] {
        let calls = try store.calls(startingWith: month, agentId: nil)
        let results = try store.ruleResults(startingWith: month, agentId: nil)
        var byAgent: [String: [CallSummary]] = [:]
        // Calls left out (an incomplete recording, no speech) are listed elsewhere, never counted here.
        for c in calls where c.notCountedBecause == nil { byAgent[c.agentId ?? "unknown", default: []].append(c) }
        var cards: [AgentScorecard] = []
        for (agent, agentCalls) in byAgent {
            let mean = ScoreAggregate.mean(agentCalls.map(\.score)) ?? 0
            // Earlier months' means for the trend and the "three months running" band.
            var recent: [Double] = []
            var m = month
            for _ in 0..<max(1, rubric.rules.R14.watchMonths - 1) {
                guard let p = Month.previous(m) else { break }
                m = p
                let earlier = try store.calls(startingWith: p, agentId: agent == "unknown" ? nil : agent).filter { $0.notCountedBecause == nil }
                guard !earlier.isEmpty else { break }
                recent.append(ScoreAggregate.mean(earlier.map(\.score)) ?? 0)
            }
            var pass: [String: (Int, Int)] = [:]
            // R13 is a line-quality excuse, not something an agent passes: it shows as callsForReview.
            for r in results where (r.agentId ?? "unknown") == agent && r.result.outcome != .notApplicable && r.result.rule != "R13" {
                var t = pass[r.result.rule] ?? (0, 0)
                t.1 += 1
                if r.result.outcome == .pass { t.0 += 1 }
                pass[r.result.rule] = t
            }
            let rates = agentCalls.compactMap(\.agentCharsPerMinute)
            cards.append(AgentScorecard(
                agentId: agent, calls: agentCalls.count, meanScore: mean,
                previousMonthMeanScore: recent.first,
                changeFromPreviousMonth: recent.first.map { ScoreAggregate.tenth(mean - $0) },
                passRates: pass.mapValues { Double($0.0) / Double($0.1) },
                medianCharsPerMinute: ScoreAggregate.median(rates),
                holds: agentCalls.map(\.holdCount).reduce(0, +),
                longestHoldSeconds: agentCalls.map(\.longestHoldSeconds).max() ?? 0,
                callsForReview: agentCalls.filter(\.review).count,
                kpiBand: rubric.rules.R14.band(mean: mean, recentMeans: recent)))
        }
        return cards.sorted { $0.meanScore > $1.meanScore }
    }
}

extension CallQA {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scorecards from the stored scores.", subcommands: [Agents.self, Agent.self, Calls.self, Failures.self])

        struct Agents: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every agent's scorecard for a month.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var rubricOptions: RubricOptions
            @Option(help: "The month, YYYY-MM (default: the current one).")
            var month: String = Month.current()
            @Option(help: "table, csv or json.")
            var format: OutputFormat = .table

            func validate() throws {
                if Month.valid(month) == nil { throw ValidationError("--month: expected YYYY-MM, got \(month)") }
            }

            func run() async throws {
                let cards = try Scorecards.make(store: try store.openExisting(), month: month, rubric: try rubricOptions.load().rubric)
                let rules = (1...12).map { "R\($0)" }
                switch format {
                case .json:
                    print(try ReportJSON.pretty(cards))
                case .csv:
                    print((["agent", "calls", "meanScore", "changeFromPreviousMonth", "medianCharsPerMinute", "holds", "longestHoldSeconds", "callsForReview", "kpiBand"]
                           + rules.map { "pass_\($0)" }).joined(separator: ","))
                    for c in cards {
                        let cells: [String] = [c.agentId, "\(c.calls)", "\(c.meanScore)", c.changeFromPreviousMonth.map { "\($0)" } ?? "",
                                               c.medianCharsPerMinute.map { String(format: "%.0f", $0) } ?? "", "\(c.holds)",
                                               String(format: "%.0f", c.longestHoldSeconds), "\(c.callsForReview)", "\"\(c.kpiBand)\""]
                            + rules.map { r in c.passRates[r].map { String(format: "%.2f", $0) } ?? "" }
                        print(cells.joined(separator: ","))
                    }
                case .table:
                    if cards.isEmpty { print("no scored calls in \(month)"); return }
                    print("agent     calls  mean  change  chars/min  holds  longest s  review  KPI band")
                    for c in cards {
                        let change = c.changeFromPreviousMonth.map { String(format: "%+6.1f", $0) } ?? "     -"
                        let rate = c.medianCharsPerMinute.map { String(format: "%9.0f", $0) } ?? "        -"
                        print(c.agentId.padding(toLength: 9, withPad: " ", startingAt: 0)
                              + String(format: " %5d  %4.1f  ", c.calls, c.meanScore) + change + "  " + rate
                              + String(format: "  %5d  %9.0f  %6d  ", c.holds, c.longestHoldSeconds, c.callsForReview) + c.kpiBand)
                        let weak = c.passRates.filter { $0.value < 1 }.sorted { $0.value < $1.value }.prefix(4)
                            .map { "\($0.key) \(Int(($0.value * 100).rounded()))%" }
                        if !weak.isEmpty { print("          pass rates below 100%: " + weak.joined(separator: ", ")) }
                    }
                }
            }
        }

        struct Agent: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One agent's calls, worst rules and trend.")
            @Argument(help: "Agent id.") var id: String
            @OptionGroup var store: StoreOptions
            @Option(help: "Trend by day, week or month.") var by: Period = .day
            @Option(help: "Only calls starting with this prefix (YYYY, YYYY-MM or YYYY-MM-DD).") var period: String = ""

            enum Period: String, ExpressibleByArgument, CaseIterable { case day, week, month }

            func run() async throws {
                let store = try store.openExisting()
                let listed = try store.calls(startingWith: period, agentId: id)
                if listed.isEmpty { print("no scored calls for agent \(id)"); return }
                let calls = listed.filter { $0.notCountedBecause == nil }
                let results = try store.ruleResults(startingWith: period, agentId: id)
                print("agent \(id): \(calls.count) calls, mean score \(String(format: "%.1f", ScoreAggregate.mean(calls.map(\.score)) ?? 0))"
                      + (listed.count > calls.count ? " (\(listed.count - calls.count) more not counted: see below)" : ""))
                var fails: [String: Int] = [:]
                for r in results where r.result.outcome == .fail || r.result.outcome == .flag { fails[r.result.rule, default: 0] += 1 }
                print("worst rules: " + fails.sorted { $0.value > $1.value }.prefix(5).map { "\($0.key) (\($0.value) calls)" }.joined(separator: ", "))
                print("trend by \(by.rawValue):")
                var buckets: [String: [Double]] = [:]
                for c in calls { buckets[Self.bucket(c.startTime, by: by), default: []].append(c.score) }
                for key in buckets.keys.sorted() {
                    let s = buckets[key]!
                    print(String(format: "  %@  %3d calls  mean %5.1f", key, s.count, ScoreAggregate.mean(s) ?? 0))
                }
                print("calls:")
                for c in listed {
                    let bad = results.filter { $0.callId == c.id && ($0.result.outcome == .fail || $0.result.outcome == .flag) }
                        .map { "\($0.result.rule) \($0.result.outcome.rawValue)" }
                    let note = c.notCountedBecause.map { "not counted: \($0) (call \(c.id); `callqa count \(c.id)` counts it)" }
                    print(String(format: "  %@  %5.1f  %@  %@", c.startTime ?? "?", c.score, (c.path as NSString).lastPathComponent,
                                 note ?? bad.joined(separator: ", ")))
                }
            }

            static func bucket(_ start: String?, by: Period) -> String {
                guard let start else { return "unknown" }
                switch by {
                case .day: return String(start.prefix(10))
                case .month: return String(start.prefix(7))
                case .week:
                    guard let t = CallMetadata.secondsSinceEpoch(start) else { return "unknown" }
                    let days = Int((t / 86400).rounded(.down))
                    let monday = days - ((days % 7) + 7 + 3) % 7
                    let f = DateFormatter()
                    f.dateFormat = "yyyy-MM-dd"
                    f.timeZone = TimeZone(identifier: "UTC")
                    return "week of " + f.string(from: Date(timeIntervalSince1970: Double(monday) * 86400))
                }
            }
        }
    }

    struct Examples: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Example calls for a rule, worst or best, with the moment it happens; optionally exported as clips.")
        @Option(help: "Rule id, e.g. R7.") var rule: String
        @Flag(help: "Worst examples (default) or best.") var order: Order = .worst
        @Option(help: "How many.") var limit = 5
        @Option(help: "Only this agent's calls.") var agent: String?
        @Option(help: "Write a WAV clip around each moment and a description into this folder.", completion: .directory)
        var export: String?
        @Option(help: "Seconds of context around the moment in exported clips.") var contextSeconds = 5.0
        @OptionGroup var store: StoreOptions

        enum Order: String, EnumerableFlag { case worst, best }

        func validate() throws {
            guard let n = Int(rule.dropFirst()), rule.hasPrefix("R"), (1...13).contains(n) else {
                throw ValidationError("--rule: expected R1 … R13, got \(rule)")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let store = try store.openExisting()
            var rows = try store.ruleResults(rule: rule, agentId: agent).filter { $0.result.outcome != .notApplicable }
            func rank(_ o: RuleResult.Outcome) -> Int { o == .fail ? 2 : (o == .flag ? 1 : 0) }
            rows.sort { a, b in
                let ra = rank(a.result.outcome), rb = rank(b.result.outcome)
                if ra != rb { return order == .worst ? ra > rb : ra < rb }
                let ba = a.result.badness ?? 0, bb = b.result.badness ?? 0
                return order == .worst ? ba > bb : ba < bb
            }
            rows = Array(rows.prefix(limit))
            if rows.isEmpty { print("no scored calls with \(rule) applicable"); return }
            if let export { try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true) }
            var unwritten = 0
            defer { if unwritten > 0 { FileHandle.standardError.write(Data("\(unwritten) of \(rows.count) clips not written\n".utf8)) } }
            for (i, row) in rows.enumerated() {
                let moment = row.result.evidence.first
                let at = moment.map { String(format: "%.1f–%.1f s", $0.startSeconds, $0.endSeconds) } ?? "whole call"
                print("\(i + 1). \(row.path)  agent \(row.agentId ?? "?")  score \(row.score)  \(rule) \(row.result.outcome.rawValue) at \(at): \(row.result.reason)")
                guard let export else { continue }
                let start = max(0, (moment?.startSeconds ?? 0) - contextSeconds)
                let end = (moment?.endSeconds ?? 30) + contextSeconds
                let stem = String(format: "%02d-%@-%@", i + 1, rule, ((row.path as NSString).lastPathComponent as NSString).deletingPathExtension)
                let clipPath = (export as NSString).appendingPathComponent(stem + ".wav")
                do {
                    let clip = try AudioWriter.clip(of: row.path, startSeconds: start, endSeconds: end)
                    try AudioWriter.writeWAV(path: clipPath, channels: clip.channels, sampleRateHz: clip.sampleRateHz)
                } catch {
                    FileHandle.standardError.write(Data("error: \(row.path): clip not written: \(error)\n".utf8))
                    unwritten += 1
                    continue
                }
                let note = """
                    \(rule) \(row.result.outcome.rawValue) (\(order == .worst ? "one of the worst" : "one of the best") for this rule)
                    call: \(row.path)
                    agent: \(row.agentId ?? "unknown"), started \(row.startTime ?? "unknown"), call score \(row.score)
                    why: \(row.result.reason)
                    moment: \(at) in the call; the clip starts at \(String(format: "%.1f", start)) s
                    """
                try note.write(toFile: (export as NSString).appendingPathComponent(stem + ".txt"), atomically: true, encoding: .utf8)
                print("   clip: \(clipPath)")
            }
            if unwritten > 0 { throw ExitCode.failure }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete stored calls that started before a day; refuses anything younger than three years (R15).")
        @Option(help: "Delete calls that started before this day (YYYY-MM-DD).") var before: String
        @OptionGroup var store: StoreOptions

        static let retentionYears = 3

        func validate() throws {
            guard DayFilter.resolve(before) != nil else { throw ValidationError("--before: expected YYYY-MM-DD, got \(before)") }
            let today = DayFilter.resolve("today")!
            let limit = String(format: "%04d", Int(today.prefix(4))! - Self.retentionYears) + today.dropFirst(4)
            if before > limit {
                throw ValidationError("--before \(before): records must be kept \(Self.retentionYears) years (R15); the latest allowed is \(limit)")
            }
        }

        func run() async throws {
            let opened = try store.openExisting()
            let n = try opened.purge(startedBefore: before)
            try opened.audit(user: Users.operatorName, action: "purge", callId: nil, detail: "calls started before \(before): \(n) deleted")
            print("deleted \(n) call\(n == 1 ? "" : "s") that started before \(before)")
        }
    }
}
