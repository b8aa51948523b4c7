import CallAudio
import Foundation
import Synchronization

extension BatchRunner {
    /// What the batch needs to know of a file before deciding to analyse it.
    struct Look: Sendable {
        var path: String
        /// Written less than the minimum age ago: left for a later run, not hashed.
        var tooYoung = false
        var hash: Result<String, HashProblem> = .failure(HashProblem(reason: "not read"))
        /// Size and modification time, nil when the file changed while it was hashed.
        var stamp: FileStamp?
        /// Duration by the header, 0 when it cannot be read (the analysis then says why).
        var seconds = 0.0
    }

    struct HashProblem: Error, Sendable {
        var reason: String
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
        var look = Look(path: path)
        let before = FileStamp.of(path)
        // A modification time in the future (a recorder's clock ahead) counts as old enough.
        if minimumAgeSeconds > 0, let before, (0..<minimumAgeSeconds).contains(Date().timeIntervalSince1970 - before.modified) {
            look.tooYoung = true
            return look
        }
        do { look.hash = .success(try ContentHash.of(path: path)) } catch {
            look.hash = .failure(HashProblem(reason: "\(error)"))
            return look
        }
        look.stamp = before.flatMap { FileStamp.of(path) == $0 ? $0 : nil }
        look.seconds = (try? AudioDecoder(path: path)).map { Double($0.info.declaredFrameCount) / Double($0.info.sampleRateHz) } ?? 0
        return look
    }
}
