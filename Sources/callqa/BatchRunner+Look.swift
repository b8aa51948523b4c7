import CallAudio
import Foundation
import Synchronization

extension BatchRunner {
    /// What the batch needs to know of a file before deciding to analyse it.
    struct Look: Sendable {
        enum State: Sendable {
            /// Written less than the minimum age ago: left for a later run, not hashed.
            case tooYoung
            case unreadable(reason: String)
            /// Changed while it was hashed (or could not be stat'ed).
            case changing
            /// Duration by the header, 0 when it cannot be read (the analysis then says why).
            case ready(hash: String, stamp: FileStamp, durationSeconds: Double)
        }
        var path: String
        var state: State
    }

    /// Hashes every file and reads its header, `jobs` files at a time, in the files' order. A day
    /// of recordings is a gigabyte or more to read: on one core this took seconds while the
    /// others waited for the first analysis.
    static func look(at files: [String], minimumAgeSeconds: Double, jobs: Int) -> [Look] {
        let looks = Mutex([Look?](repeating: nil, count: files.count))
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, files.count))) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < files.count else { return }
                let look = Self.look(at: files[index], minimumAgeSeconds: minimumAgeSeconds)
                looks.withLock { $0[index] = look }
            }
        }
        return looks.withLock { $0.compactMap { $0 } }
    }

    private static func look(at path: String, minimumAgeSeconds: Double) -> Look {
        let before = FileStamp.of(path)
        // A modification time in the future (a recorder's clock ahead) counts as old enough.
        if minimumAgeSeconds > 0, let before, (0..<minimumAgeSeconds).contains(Date().timeIntervalSince1970 - before.modified) {
            return Look(path: path, state: .tooYoung)
        }
        let hash: String
        do { hash = try ContentHash.of(path: path) } catch {
            return Look(path: path, state: .unreadable(reason: "\(error)"))
        }
        guard let stamp = before, FileStamp.of(path) == stamp else { return Look(path: path, state: .changing) }
        let seconds = (try? AudioDecoder(path: path)).map { Double($0.info.declaredFrameCount) / Double($0.info.sampleRateHz) } ?? 0
        return Look(path: path, state: .ready(hash: hash, stamp: stamp, durationSeconds: seconds))
    }
}
