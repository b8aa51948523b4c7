@testable public import CallStore
import Foundation
public import Testing

/// Scratch stores for tests (shared by the store suite and the web tests): the stores the suite runs on: SQLite always, PostgreSQL when `CALLQA_TEST_POSTGRES`
/// names a server (`make test` starts one when PostgreSQL is installed; CI installs it).
public enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    public var testDescription: String { rawValue }
}

public enum TestStores {
    /// `postgres://USER@HOST:PORT/DB` of a server where USER may create databases; the password
    /// is in `CALLQA_TEST_POSTGRES_PASSWORD` (or PGPASSWORD).
    public static let postgresURL: String? = ProcessInfo.processInfo.environment["CALLQA_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    public static var password: String? {
        ProcessInfo.processInfo.environment["CALLQA_TEST_POSTGRES_PASSWORD"] ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
    }
    public static let kinds: [StoreKind] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    public static let skipNote: Comment = "PostgreSQL store suite SKIPPED: no server (set CALLQA_TEST_POSTGRES=postgres://USER@HOST:PORT/DB, or install postgresql and run make test)"

    /// A new, empty store of `kind`, and its location (for a second connection or a process).
    public static func make(_ kind: StoreKind) throws -> (store: SQLCallStore, location: StoreLocation) {
        switch kind {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let location = StoreLocation.sqlite(path: dir.appendingPathComponent("store.sqlite").path)
            return (try SQLCallStore.open(location), location)
        case .postgres:
            let url = try #require(postgresURL, "CALLQA_TEST_POSTGRES is not set")
            let environment = ["PGPASSWORD": password ?? ""]
            guard case .postgres(let server) = try StoreLocation.parse(url, fromCommandLine: false, environment: environment) else {
                throw StoreError.badLocation(url, "not a PostgreSQL URL")
            }
            // Each test gets a database of its own; a run first drops those of earlier runs.
            let admin = try PostgresDatabase(location: server, readOnly: true, migrate: false)
            try sweep(admin)
            let name = "callqa_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
            try admin.executeOutsideTransaction("CREATE DATABASE \(name)")
            var scratch = server
            scratch.database = String(name)
            let location = StoreLocation.postgres(scratch)
            return (try SQLCallStore.open(location), location)
        }
    }

    private static let sweepLock = NSLock()
    nonisolated(unsafe) private static var swept = false
    private static func sweep(_ admin: PostgresDatabase) throws {
        sweepLock.lock(); defer { sweepLock.unlock() }
        guard !swept else { return }
        swept = true
        let old: [String] = try admin.read { try $0.column("SELECT datname FROM pg_database WHERE datname LIKE 'callqa_t_%'") }
        for name in old { try admin.executeOutsideTransaction("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }

    /// The URL a `callqa` process is given for `location`, and the environment it needs.
    public static func processArguments(_ location: StoreLocation) -> (store: String, environment: [String: String]) {
        var environment = ProcessInfo.processInfo.environment
        switch location {
        case .sqlite(let path): return ("sqlite:" + path, environment)
        case .postgres(let server):
            environment["PGPASSWORD"] = password ?? ""
            return (server.description + "?sslmode=\(server.sslMode)", environment)
        }
    }
}
