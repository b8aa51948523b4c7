import CallStore
import Foundation

/// One worker's share of a folder: the files whose path hash falls in shard `index` of `count`.
/// Workers given shards 0…N−1 of the same folders split it with no file twice and none left out,
/// whichever machine runs them (the hash is of the absolute path, FNV-1a, the same everywhere).
struct Shard: Sendable, Equatable, CustomStringConvertible {
    let index: Int
    let count: Int

    var description: String { "\(index)/\(count)" }

    /// "K/N", 0 ≤ K < N (Kubernetes' completion indexes start at 0).
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 100_000, (0..<n).contains(k) else { return nil }
        index = k; count = n
    }

    /// From an Indexed Kubernetes Job: `JOB_COMPLETION_INDEX` and the shard count in
    /// `CALLQA_SHARDS`; nil when either is missing. A malformed pair is an error, not "no shard".
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        guard let index = environment["JOB_COMPLETION_INDEX"], let count = environment["CALLQA_SHARDS"] else { return nil }
        guard let shard = Shard("\(index)/\(count)") else {
            throw ShardError(reason: "JOB_COMPLETION_INDEX=\(index) and CALLQA_SHARDS=\(count) do not make a shard (need 0 ≤ index < count)")
        }
        return shard
    }

    func contains(_ path: String) -> Bool {
        Int(fnv1a(path) % UInt64(count)) == index
    }
}

struct ShardError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
