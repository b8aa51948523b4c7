@testable import callqa
import CallAudio
@testable import CallStore
import Foundation
import Testing

/// A recording is one call, tied to its path: a file still being written is left for later, a
/// rewritten one replaces its earlier result, paths are stored absolute and follow an archive
/// that moves.
@Suite(.serialized) struct ArchiveTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleAudio/20261123-140905_agent-1001_call-000009.wav").standardized

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-archive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The sample call at `gain`, written to `path` (same length: a rewrite, not a new call).
    static func write(_ path: URL, gain: Float) throws {
        let call = try AudioDecoder.readAll(path: sample.path)
        try AudioWriter.writeWAV(path: path.path, channels: call.channels.map { $0.map { $0 * gain } }, sampleRateHz: call.sampleRateHz)
    }

    @Test func aRewrittenRecordingReplacesItsEarlierResult() async throws {
        let dir = try Self.folder()
        let file = dir.appendingPathComponent("20261123-140905_agent-1001_call-000009.wav")
        try Self.write(file, gain: 0.5)
        let store = try SQLCallStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path))
        #expect(try await AgentCorpus.runner(store: store).run(paths: [dir.path]).scored == 1)
        try Self.write(file, gain: 0.9)
        #expect(try await AgentCorpus.runner(store: store).run(paths: [dir.path]).scored == 1)
        let calls = try store.calls(startingWith: "", agentId: "1001")
        #expect(calls.count == 1, "\(calls.map(\.path))")
    }

    @Test func aFileTooYoungIsLeftForTheNextRun() async throws {
        let dir = try Self.folder()
        try Self.write(dir.appendingPathComponent("20261123-140905_agent-1001_call-000009.wav"), gain: 0.5)
        let store = try SQLCallStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path))
        var runner = try AgentCorpus.runner(store: store)
        runner.minimumAgeSeconds = 3600
        let summary = try await runner.run(paths: [dir.path])
        #expect(summary.scored == 0 && summary.deferred == 1 && summary.failed == 0)
        #expect(summary.text.contains("still being written"))
        runner.minimumAgeSeconds = 0
        #expect(try await runner.run(paths: [dir.path]).scored == 1)
    }

    @Test func pathsAreStoredAbsoluteAndFollowAMovedArchive() async throws {
        let dir = try Self.folder()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("old"), withIntermediateDirectories: true)
        try Self.write(dir.appendingPathComponent("old/20261123-140905_agent-1001_call-000009.wav"), gain: 0.5)
        let store = try SQLCallStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path))
        // Given with a detour through "..": stored as the tidy absolute path.
        let roundabout = dir.appendingPathComponent("old/../old").path
        #expect(try await AgentCorpus.runner(store: store).run(paths: [roundabout]).scored == 1)
        let stored = try #require(try store.calls(startingWith: "", agentId: "1001").first?.path)
        #expect(stored == dir.standardizedFileURL.path + "/old/20261123-140905_agent-1001_call-000009.wav")
        #expect(BatchRunner.absolute("relative/x.wav").hasPrefix("/"))
        try FileManager.default.moveItem(at: dir.appendingPathComponent("old"), to: dir.appendingPathComponent("new"))
        #expect(try store.relocate(from: dir.appendingPathComponent("old").path, to: dir.appendingPathComponent("new").path) == 1)
        let moved = try #require(try store.calls(startingWith: "", agentId: "1001").first?.path)
        #expect(FileManager.default.fileExists(atPath: moved) && moved.hasSuffix("/new/20261123-140905_agent-1001_call-000009.wav"))
    }

    @Test func theDatabaseIsTheOwnersAndOneScoreRunsAtATime() throws {
        let dir = try Self.folder()
        let db = dir.appendingPathComponent("private.sqlite").path
        let store = try SQLCallStore.open(.sqlite(path: db))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        let first = try #require(try store.runLock(""))
        #expect(try store.runLock("") == nil)  // a second run on the same database
        let shard = try #require(try store.runLock(".shard-0-of-2"))  // another shard runs beside it
        first.release()
        let again = try #require(try store.runLock(""))
        again.release(); shard.release()
    }

    @Test func aFolderAndAFileInItAreOneRecordingAndAFutureClockIsOldEnough() async throws {
        let dir = try Self.folder()
        let file = dir.appendingPathComponent("20261123-140905_agent-1001_call-000009.wav")
        try Self.write(file, gain: 0.5)
        // A recorder whose clock runs ahead: the file seems to be written in an hour.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: file.path)
        let store = try SQLCallStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path))
        let summary = try await AgentCorpus.runner(store: store).run(paths: [dir.path, file.path, dir.path + "/"])
        #expect(summary.scored == 1 && summary.deferred == 0, "\(summary.text)")
    }

    @Test func aMovedArchiveWithNonASCIINamesIsFollowed() async throws {
        let dir = try Self.folder()
        let old = dir.appendingPathComponent("录音/März")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try Self.write(old.appendingPathComponent("20261123-140905_agent-1001_call-000009.wav"), gain: 0.5)
        let store = try SQLCallStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path))
        #expect(try await AgentCorpus.runner(store: store).run(paths: [dir.path]).scored == 1)
        #expect(try store.relocate(from: old.path, to: dir.appendingPathComponent("新").path) == 1)
        #expect(try store.calls(startingWith: "", agentId: "1001").first?.path.hasSuffix("/新/20261123-140905_agent-1001_call-000009.wav") == true)
    }

    @Test func shortPasswordsAreRefusedWhereverTheyComeFrom() {
        #expect(throws: (any Error).self) { try CallQA.Users.password(given: "x") }
        #expect(throws: (any Error).self) { try CallQA.Users.password(given: "") }
        #expect((try? CallQA.Users.password(given: "long-enough")) == "long-enough")
    }

    @Test func sessionTokensAreStoredHashed() throws {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SHA256.hex("会话令牌") == "99b93dec6b61f6fcc431d7a235dda1fd888e36f39cece8dd5063b1663d32f977")
        let store = try SQLCallStore.open(.sqlite(path: try Self.folder().appendingPathComponent("db.sqlite").path))
        #expect(try store.addUser(User(name: "u", role: .qa, agentId: nil, passwordHash: "x")))
        let session = Session(token: "secret-token", user: "u", csrfToken: "c", expires: Date().addingTimeInterval(60))
        try store.saveSession(session)
        #expect(try store.session(token: "secret-token")?.user == "u")
        let stored: [String] = try store.read { db in try db.column("SELECT token FROM session") }
        #expect(stored == [SHA256.hex("secret-token")])
        try store.deleteSession(token: "secret-token")
        #expect(try store.session(token: "secret-token") == nil)
    }

    @Test func aReadOnlyDatabaseCanStillBeRead() async throws {
        let dir = try Self.folder()
        try Self.write(dir.appendingPathComponent("20261123-140905_agent-1001_call-000009.wav"), gain: 0.5)
        let path = dir.appendingPathComponent("db.sqlite").path
        do {
            let store = try SQLCallStore.open(.sqlite(path: path))
            #expect(try await AgentCorpus.runner(store: store).run(paths: [dir.path]).scored == 1)
        }
        let reader = try SQLCallStore.open(.sqlite(path: path), readOnly: true)
        #expect(try reader.calls(startingWith: "", agentId: "1001").count == 1)
        #expect(try reader.agentMonths(month: "2026-11", previous: nil, agentId: nil).count == 1)
        #expect(throws: (any Error).self) { try reader.audit(user: "x", action: "y", callId: nil, detail: "") }
    }
}
