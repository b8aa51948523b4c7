import ArgumentParser
import CallAnalysis
import CallDSP
import CallInputs
import CallScoring
import CallStore
import Foundation

/// Options shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where results are kept: sqlite:PATH, or postgres://USER@HOST[:PORT]/DB (password from PGPASSWORD or the file named by CALLQA_STORE_PASSWORD_FILE). Default: CALLQA_STORE, else callqa.sqlite.", valueName: "url"))
    var store: String?

    @Option(help: "The SQLite database of scored calls (the same as --store sqlite:PATH).", completion: .file(extensions: ["sqlite"]))
    var db: String?

    /// The store named by `--store`, `--db`, `CALLQA_STORE` or the default, in that order.
    func location() throws -> StoreLocation {
        do {
            if let store { return try StoreLocation.parse(store, fromCommandLine: true) }
            if let db { return .sqlite(path: db) }
            if let env = ProcessInfo.processInfo.environment["CALLQA_STORE"], !env.isEmpty {
                return try StoreLocation.parse(env, fromCommandLine: false)
            }
            return .sqlite(path: "callqa.sqlite")
        } catch { throw ValidationError("\(error)") }
    }

    /// What messages call the store: its file, or its server without the password.
    var name: String { (try? location().description) ?? store ?? db ?? "callqa.sqlite" }

    /// The SQLite file, when the store is one (run locks and file checks sit beside it).
    var sqlitePath: String? { if case .sqlite(let path)? = try? location() { path } else { nil } }

    func open() throws -> any CallStore {
        let location = try location()
        do { return try SQLCallStore.open(location) } catch {
            throw ValidationError(Self.message(location, error, "cannot open the database"))
        }
    }

    /// For commands that only read: a misspelt path must not quietly create an empty database,
    /// and a database this user may not write (a read-only copy, a backup) is opened read-only.
    func openExisting() throws -> any CallStore {
        guard let db = sqlitePath else { return try open() }
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("\(db): no such database (calls are stored by `callqa score FOLDER --db \(db)`)")
        }
        guard FileManager.default.isWritableFile(atPath: db) else {
            do { return try SQLCallStore.open(.sqlite(path: db), readOnly: true) } catch {
                throw ValidationError("\(db): cannot open the database read-only: \(error)")
            }
        }
        return try open()
    }

    /// Store errors already name the store; others (SQLite's) are given its name.
    static func message(_ location: StoreLocation, _ error: any Error, _ doing: String) -> String {
        error is StoreError ? "\(error)" : "\(location): \(doing): \(error)"
    }
}

struct RubricOptions: ParsableArguments {
    @Option(help: "Rubric (JSON, as Models/rubrics/default.json). The built-in defaults when omitted.",
            completion: .file(extensions: ["json"]))
    var rubric: String?

    func load() throws -> (rubric: Rubric, name: String) {
        guard let rubric else { return (.standard, "default v\(Rubric.standard.version)") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: rubric)) } catch {
            throw ValidationError("\(rubric): cannot read the rubric (\(error.localizedDescription))")
        }
        do {
            let loaded = try Rubric.load(data, path: rubric)
            return (loaded, "\(loaded.name) v\(loaded.version)")
        } catch { throw ValidationError(error.description) }
    }
}

extension CallQA {
    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse and score every recording under the folders, storing results in SQLite or PostgreSQL.",
            discussion: """
                Recordings already stored (same content) are skipped, so a run that was stopped, or \
                killed, picks up where it was. Exit status: 0 all scored, 1 some files failed, 2 usage error.
                """)

        @Argument(help: "Folders (searched recursively) or files.", completion: .directory)
        var paths: [String] = []

        @OptionGroup var store: StoreOptions
        @OptionGroup var rubricOptions: RubricOptions
        @OptionGroup var analysis: AnalysisOptions
        @OptionGroup var inputs: MetadataOptions

        @Option(help: "Parallel analyses (default: one per core).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Only calls that started on this day: yesterday, today or YYYY-MM-DD (by metadata or file name).")
        var day: String?

        @Option(help: "Only calls that started on or after this day (YYYY-MM-DD).")
        var since: String?

        @Flag(help: "Re-apply the rubric to every stored call (no audio is decoded).")
        var rescore = false

        @Option(help: ArgumentHelp("Score only shard K of N (0 ≤ K < N) of the files, by a hash of their path.",
                                   discussion: "Without it, an Indexed Kubernetes Job's JOB_COMPLETION_INDEX and CALLQA_SHARDS (the count) are used when both are set.",
                                   valueName: "K/N"))
        var shard: String?

        @Flag(help: ArgumentHelp("Exit 0 when the run finished though some files failed (they are still listed and stored as failures).",
                                 discussion: "For schedulers that rerun a worker that exits non-zero (a Kubernetes Job): a file that cannot be scored would fail again on every rerun."))
        var failedFilesAreOK = false

        @Option(help: ChannelSide.help)
        var agentChannel: ChannelSide = .auto

        @Option(help: ArgumentHelp("Leave files written less than this many seconds ago for the next run.",
                                   discussion: "For folders a recorder is still writing to (e.g. 300 in a cron job). Files that change while they are read are always left for the next run."))
        var minAge: Double = 0

        func validate() throws {
            if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if !(minAge >= 0 && minAge.isFinite) { throw ValidationError("--min-age must be a number of seconds, 0 or more") }
            if !rescore && paths.isEmpty { throw ValidationError("give at least one folder or file to score (or --rescore)") }
            if let day, DayFilter.resolve(day) == nil { throw ValidationError("--day: expected yesterday, today or YYYY-MM-DD, got \(day)") }
            if let since, DayFilter.resolve(since) == nil { throw ValidationError("--since: expected YYYY-MM-DD, got \(since)") }
            if let shard, Shard(shard) == nil { throw ValidationError("--shard: expected K/N with 0 ≤ K < N, got \(shard)") }
        }

        func run() async throws {
            let (rubric, rubricName) = try rubricOptions.load()
            let share: Shard?
            do { share = try shard.flatMap(Shard.init) ?? (rescore ? nil : Shard.fromEnvironment()) } catch { throw ValidationError("\(error)") }
            let store = try store.open()
            // Workers on different shards run side by side; two on the same shard do not.
            guard let lock = try store.runLock(share.map { ".shard-\($0.index)-of-\($0.count)" } ?? "") else {
                FileHandle.standardError.write(Data("\(self.store.name): another `callqa score`\(share.map { " on shard \($0)" } ?? "") is running on this database; try again when it ends\n".utf8))
                throw ExitCode(3)
            }
            defer { lock.release() }
            if rescore {
                let n = try store.rescore(Scorer(rubric: rubric), rubric: rubricName)
                try store.audit(user: Users.operatorName, action: "rescore", callId: nil, detail: "\(n) calls with rubric \(rubricName)")
                print("rescored \(n) stored call\(n == 1 ? "" : "s") with rubric \(rubricName)")
                return
            }
            let fft = FFTWisdomFile.standard().makePlanner()
            defer { fft.save() }
            var runner = BatchRunner(
                pipeline: CallPipeline(configuration: try analysis.loadConfiguration(), planner: fft.planner),
                scorer: Scorer(rubric: rubric), rubricName: rubricName, store: store,
                metadata: try inputs.makeReader(), jobs: jobs,
                filter: DayFilter(day: day.flatMap { DayFilter.resolve($0) }, since: since.flatMap { DayFilter.resolve($0) }),
                agentChannelIndex: agentChannel.index, minimumAgeSeconds: minAge, shard: share)
            runner.detectsAgentChannel = agentChannel.detected
            let summary: BatchRunner.Summary
            do { summary = try await runner.run(paths: paths) } catch {
                // The run itself failed (the database cannot be written: a full disk, say), not a
                // file: status 3, so cron and supervisors can tell the two apart.
                FileHandle.standardError.write(Data("\(self.store.name): the run stopped: \(error); what was stored is kept, and a re-run resumes\n".utf8))
                throw ExitCode(3)
            }
            print(summary.text)
            if summary.failed > 0 && !failedFilesAreOK { throw ExitCode.failure }
        }
    }
}

/// Which calls a run takes, by the day they started.
struct DayFilter: Sendable {
    var day: String?
    var since: String?

    /// "yesterday", "today" or "YYYY-MM-DD" as "YYYY-MM-DD" (local time).
    static func resolve(_ text: String, now: Date = Date()) -> String? {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        switch text {
        case "today": return formatter.string(from: now)
        case "yesterday": return formatter.string(from: now.addingTimeInterval(-86400))
        default:
            guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
            return text
        }
    }

    var isActive: Bool { day != nil || since != nil }

    func accepts(startTime: String?) -> Bool {
        guard isActive else { return true }
        guard let start = startTime?.prefix(10) else { return false }
        if let day, start != day { return false }
        if let since, start < since { return false }
        return true
    }
}
