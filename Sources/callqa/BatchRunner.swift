import CallAnalysis
import CallAudio
import CallInputs
import CallScoring
import CallStore
import Foundation

/// The morning job: find recordings, skip those already stored, analyse the rest in parallel,
/// score and store each as one transaction, report progress and failures.
struct BatchRunner {
    static let audioExtensions: Set<String> = ["wav", "flac", "mp3", "ogg", "oga", "opus", "au", "aif", "aiff", "caf", "w64", "gsm"]

    let pipeline: CallPipeline
    let scorer: Scorer
    let rubricName: String
    let store: any CallStore
    let metadata: CallMetadataReader
    let jobs: Int
    let filter: DayFilter
    let agentChannelIndex: Int
    /// Take the agent's side from each call's audio, `agentChannelIndex` unless in doubt.
    var detectsAgentChannel = false
    /// Files last written less than this long ago are left for a later run (a recorder may still
    /// be writing them).
    var minimumAgeSeconds: Double = 0
    /// Only this shard of the files (see Shard); all of them when nil.
    var shard: Shard? = nil

    struct Summary {
        var scored = 0, skipped = 0, failed = 0, outsideDays = 0, deferred = 0, notCounted = 0, otherShards = 0
        var audioSeconds = 0.0, wallSeconds = 0.0
        /// Time spent waiting on the store (lookups and transactions), which analyses overlap.
        var storeSeconds = 0.0
        var failures: [(String, String)] = []
        var text: String {
            var out = String(format: "scored %d call%@ (%.2f h of audio in %.1f s, %.1f h/min), skipped %d already stored",
                             scored, scored == 1 ? "" : "s", audioSeconds / 3600, wallSeconds,
                             wallSeconds > 0 ? audioSeconds / 3600 / (wallSeconds / 60) : 0, skipped)
            if outsideDays > 0 { out += ", \(outsideDays) outside the days asked for" }
            if otherShards > 0 { out += ", \(otherShards) in other shards" }
            if deferred > 0 { out += ", \(deferred) still being written (left for the next run)" }
            if notCounted > 0 { out += ", \(notCounted) stored but not counted (incomplete or no speech: `report calls --review`)" }
            out += failed > 0 ? ", \(failed) failed" : ", none failed"
            if wallSeconds > 0 { out += String(format: "; the store took %.1f s (%.1f%% of the run)", storeSeconds, 100 * storeSeconds / wallSeconds) }
            if failed > 0 { out += ":" }
            for (path, reason) in failures { out += "\n  \(path): \(reason)" }
            return out
        }
    }

    /// One file ready to analyse.
    struct Job: Sendable {
        var path: String
        var hash: String
        /// Size and modification time when hashed: a file that changes while it is analysed is not stored.
        var stamp: FileStamp
        var metadata: CallMetadata?
        var warnings: [String]
        var transcript: Transcript?
    }

    enum Outcome: Sendable {
        case scored(StoredCall, FileStamp)
        case failed(path: String, hash: String?, reason: String)
    }

    static func findRecordings(_ paths: [String]) -> (files: [String], problems: [(String, String)]) {
        var files: [String] = []
        var problems: [(String, String)] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { problems.append((path, "no such file or folder")); continue }
            if !isDirectory.boolValue { files.append(Self.absolute(path)); continue }
            guard let walker = fm.enumerator(atPath: path) else { problems.append((path, "cannot list the folder")); continue }
            for case let relative as String in walker
            where audioExtensions.contains((relative as NSString).pathExtension.lowercased()) {
                files.append(Self.absolute((path as NSString).appendingPathComponent(relative)))
            }
        }
        // A folder and a file inside it, or one path given twice: each recording once.
        return (Array(Set(files)).sorted(), problems)
    }

    func run(paths: [String]) async throws -> Summary {
        let started = Date()
        var summary = Summary()
        let (found, missing) = Self.findRecordings(paths)
        let files = shard.map { s in found.filter(s.contains) } ?? found
        summary.otherShards = found.count - files.count
        for (path, reason) in missing {
            summary.failed += 1; summary.failures.append((path, reason))
        }
        // Cheap work first: hash every file and read its header, on all cores (the reads are most of
        // it), then in order skip what is stored, read metadata and apply the day filter.
        let looks = Self.look(at: files, minimumAgeSeconds: minimumAgeSeconds, jobs: jobs)
        var queue: [Job] = []
        var seconds: [String: Double] = [:]
        for look in looks {
            let path = look.path
            let hash: String, stamp: FileStamp, durationSeconds: Double
            switch look.state {
            // A file still being written is left alone: too young, or changing while it is hashed.
            case .tooYoung, .changing:
                summary.deferred += 1; continue
            case .unreadable(let reason):
                summary.failed += 1; summary.failures.append((path, reason))
                try timed(&summary) { try store.saveFailure(path: path, contentHash: nil, reason: reason) }
                continue
            case .ready(let h, let s, let d): (hash, stamp, durationSeconds) = (h, s, d)
            }
            if try timed(&summary, { try store.contains(contentHash: hash) }) { summary.skipped += 1; continue }
            let (meta, problems) = metadata.metadata(for: path)
            guard filter.accepts(startTime: meta?.startTime) else { summary.outsideDays += 1; continue }
            let (transcript, transcriptProblem) = Self.transcript(for: path)
            queue.append(Job(path: path, hash: hash, stamp: stamp, metadata: meta, warnings: problems + [transcriptProblem].compactMap { $0 },
                             transcript: transcript))
            seconds[path] = durationSeconds
        }
        // Longest first (by the header's duration; an unreadable file fails at once anyway): a long
        // call started last would leave one core working alone at the end of the run.
        queue.sort { (seconds[$0.path] ?? 0) > (seconds[$1.path] ?? 0) }
        let progress = Progress(total: queue.count)
        progress.start()
        let pipeline = self.pipeline, scorer = self.scorer, rubricName = self.rubricName, agent = agentChannelIndex
        let detects = detectsAgentChannel
        // Analyses run `jobs` at a time; results are stored here, one transaction each, as they come.
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var next = 0
            func launch() {
                guard next < queue.count else { return }
                let job = queue[next]
                next += 1
                group.addTask {
                    Self.analyse(job, pipeline: pipeline, scorer: scorer, rubricName: rubricName, agentChannelIndex: agent, detectsAgentChannel: detects)
                }
            }
            for _ in 0..<min(jobs, queue.count) { launch() }
            while let outcome = try await group.next() {
                // The next analysis starts before this one is stored: a core is not left idle
                // while the store writes.
                launch()
                switch outcome {
                case .scored(let call, let stamp) where FileStamp.of(call.path) != stamp:
                    // Rewritten while it was analysed: what was read is neither the old nor the new recording.
                    summary.deferred += 1
                    progress.advance(audioSeconds: 0)
                case .scored(let call, _):
                    try timed(&summary) { try store.save(call) }
                    if call.score.excludedBecause != nil { summary.notCounted += 1 }
                    progress.note(call.report.warnings.map { "warning: \($0)" })
                    summary.scored += 1
                    summary.audioSeconds += call.report.durationSeconds
                    progress.advance(audioSeconds: call.report.durationSeconds)
                case .failed(let path, let hash, let reason):
                    try timed(&summary) { try store.saveFailure(path: path, contentHash: hash, reason: reason) }
                    summary.failed += 1
                    summary.failures.append((path, reason))
                    progress.advance(audioSeconds: 0)
                }
            }
        }
        progress.finish()
        summary.wallSeconds = Date().timeIntervalSince(started)
        return summary
    }

    private func timed<T>(_ summary: inout Summary, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { summary.storeSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }

    static func analyse(_ job: Job, pipeline: CallPipeline, scorer: Scorer, rubricName: String, agentChannelIndex: Int,
                        detectsAgentChannel: Bool = false) -> Outcome {
        do {
            let report = try pipeline.analyze(path: job.path, agentChannelIndex: agentChannelIndex, detectsAgentChannel: detectsAgentChannel,
                                              metadata: job.metadata, warnings: job.warnings)
            let score = scorer.score(report, transcript: job.transcript)
            return .scored(StoredCall(contentHash: job.hash, path: job.path, report: report, score: score, rubric: rubricName), job.stamp)
        } catch {
            return .failed(path: job.path, hash: job.hash, reason: error.reason)
        }
    }

    static func transcript(for path: String) -> (Transcript?, String?) { TranscriptFile.read(forRecording: path) }
}

/// A file's size and modification time: equal stamps mean it was not written in between.
struct FileStamp: Sendable, Equatable {
    var size: UInt64
    var modified: Double

    static func of(_ path: String) -> FileStamp? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (a[.size] as? NSNumber)?.uint64Value, let date = a[.modificationDate] as? Date else { return nil }
        return FileStamp(size: size, modified: date.timeIntervalSince1970)
    }
}

extension BatchRunner {
    /// Stored paths are absolute and tidy, so `serve` and `examples --export` find the audio from
    /// any folder.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// A 64-bit content hash of a file (size plus a multiply-xorshift over its 8-byte words): tells
/// "already stored" from "a new recording at the same path" without trusting names or dates.
enum ContentHash {
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        var description: String { "cannot read the file" }
    }

    static func of(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ReadError(path: path) }
        defer { try? handle.close() }
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        var size: UInt64 = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch { throw ReadError(path: path) }
            if chunk.isEmpty { break }
            size += UInt64(chunk.count)
            chunk.withUnsafeBytes { raw in
                let words = raw.count / 8
                for i in 0..<words {
                    h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                    h ^= h >> 31
                }
                for i in (words * 8)..<raw.count { h = (h ^ UInt64(raw[i])) &* 0x94D0_49BB_1331_11EB }
            }
        }
        h ^= size &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return String(format: "%016llx-%llx", h, size)
    }
}

/// Files done / total, audio hours per second and ETA: a redrawn bar on a terminal, a log line
/// every 10 s (and at the end) otherwise.
final class Progress {
    let total: Int
    private var done = 0
    private var audioSeconds = 0.0
    private var started = Date()
    private var lastLine = Date.distantPast
    private let terminal = isatty(STDERR_FILENO) == 1

    init(total: Int) { self.total = total }

    func start() {
        started = Date()
        if total > 0 { emit(force: true) }
    }

    func advance(audioSeconds: Double) {
        done += 1
        self.audioSeconds += audioSeconds
        emit(force: false)
    }

    /// Lines (warnings) printed between progress updates without breaking the bar.
    func note(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        let prefix = terminal ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data((prefix + lines.joined(separator: "\n") + "\n").utf8))
    }

    func finish() {
        if terminal && total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func emit(force: Bool) {
        let now = Date()
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? audioSeconds / 3600 / elapsed : 0
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let text = String(format: "%d/%d files, %.2f h of audio/s, ETA %@", done, total, rate, Self.clock(eta))
        if terminal {
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r[\(bar)] \(text)".utf8))
        } else if force || done == total || now.timeIntervalSince(lastLine) >= 10 {
            lastLine = now
            FileHandle.standardError.write(Data("progress: \(text)\n".utf8))
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }
}
