@testable import CallAnalysis
import ArgumentParser
import CallStore
@testable import callqa
import Foundation
import Testing

/// Sharded workers: shards split a folder with nothing twice and nothing left out, and two
/// workers on one database at once store each call once.
@Suite struct ShardTests {
    @Test func shardsSplitAFolderExactly() throws {
        let paths = (0..<1000).map { "/recordings/2026-11-\($0 % 30)/call-\($0).wav" }
        let shards = (0..<4).map { Shard("\($0)/4")! }
        for path in paths { #expect(shards.filter { $0.contains(path) }.count == 1) }
        // Roughly even: no shard gets under half its share.
        for s in shards { #expect(paths.filter(s.contains).count > 125) }
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] { #expect(Shard(bad) == nil, "\(bad)") }
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "2", "CALLQA_SHARDS": "5"]) == Shard("2/5"))
        #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "2"]) == nil)
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "5", "CALLQA_SHARDS": "5"]) }
        #expect(throws: (any Error).self) { try CallQA.parseAsRoot(["score", "x", "--shard", "3/3"]) }
    }

    @Test func twoShardedWorkersAtOnceStoreEveryCallOnce() async throws {
        let folder = try AgentCorpus.write(perAgent: 3)
        let db = folder.appendingPathComponent("shared.sqlite").path
        let path = folder.path
        // Two workers, each with its own connection, as two processes would have.
        let summaries = try await withThrowingTaskGroup(of: (Int, BatchRunner.Summary).self) { group in
            for k in 0..<2 {
                group.addTask {
                    var worker = try AgentCorpus.runner(store: try SQLCallStore.open(.sqlite(path: db)), jobs: 1)
                    worker.shard = Shard("\(k)/2")
                    return (k, try await worker.run(paths: [path]))
                }
            }
            var out: [Int: BatchRunner.Summary] = [:]
            for try await (k, summary) in group { out[k] = summary }
            return out
        }
        let x = summaries[0]!, y = summaries[1]!
        #expect(x.failed == 0 && y.failed == 0)
        #expect(x.scored + y.scored == 12 && x.otherShards == y.scored && y.otherShards == x.scored, "\(x.text) | \(y.text)")
        let store = try SQLCallStore.open(.sqlite(path: db))
        #expect(try store.count() == 12)
        // Rerun (a killed worker's shard resumes): nothing is scored twice.
        var again = try AgentCorpus.runner(store: store, jobs: 1)
        again.shard = Shard("0/2")
        let rerun = try await again.run(paths: [path])
        #expect(rerun.scored == 0 && rerun.skipped == x.scored)
    }
}
