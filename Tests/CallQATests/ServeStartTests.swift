import ArgumentParser
@testable import CallAnalysis
import CallStore
@testable import callqa
import Foundation
import Testing

/// `serve` refuses a damaged database at start, saying what SQLite found, in a few lines.
@Suite struct ServeStartTests {
    @Test func aDamagedDatabaseIsRefusedAtStart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("d.sqlite").path
        do {  // the store closes at the end of the block: SQLite folds the WAL into the file
            let store = try SQLCallStore.open(.sqlite(path: path))
            for i in 0..<27 { try AggregationTests.store(store, index: i, score: Double(60 + i)) }
        }
        // Scribble over the start of the last pages (rows and reports; the schema stays readable).
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue
        #expect(size > 40 * 4096)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        for page in stride(from: size / 4096 - 4, to: size / 4096, by: 1) {
            try handle.seek(toOffset: UInt64(page * 4096))
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 64))
        }
        try handle.close()
        let command = try #require(try CallQA.parseAsRoot(["serve", "--db", path, "--port", "0"]) as? CallQA.Serve)
        do {
            try await command.run()
            Issue.record("a damaged database was served")
        } catch let error as ValidationError {
            #expect(error.message.contains("fails its integrity check") && error.message.contains("restore it from a backup"), "\(error.message.prefix(300))")
            #expect(error.message.count < 600, "\(error.message.prefix(600))")
        }
    }
}
