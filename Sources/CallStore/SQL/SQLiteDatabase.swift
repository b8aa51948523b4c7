import Foundation
import GRDB

/// The store's SQLite file through GRDB: WAL mode (readers never block the writer), versioned
/// migrations (`SQLiteSchema`), one transaction per write. The only place GRDB is named.
final class SQLiteDatabase: SQLDatabase {
    private let pool: DatabasePool
    let path: String

    /// - Parameter readOnly: for commands that only read, on a database they may not write (a
    ///   read-only copy, a backup): nothing is created or migrated.
    init(path: String, readOnly: Bool) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        configuration.prepareDatabase { db in if !readOnly { try db.execute(sql: "PRAGMA foreign_keys = ON") } }
        // Customers' numbers, agents' scores and password hashes: readable by the owner only. A new
        // file is created empty with mode 0600 before SQLite opens it (and its -wal/-shm follow).
        if !readOnly && !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        // Two workers starting at once on a new file would race to switch it to WAL (SQLite
        // answers "database is locked" to that, whatever the busy timeout): opening and
        // migrating are taken in turns, under an advisory lock beside the database.
        let turn = readOnly ? nil : OpenTurn(path: path + ".open.lock")
        defer { turn?.release() }
        pool = try DatabasePool(path: path, configuration: configuration)
        if readOnly {
            guard try pool.read({ try SQLiteSchema.migrator.hasCompletedMigrations($0) }) else { throw StoreError.needsUpgrade(path) }
        } else {
            try SQLiteSchema.migrator.migrate(pool)
        }
    }

    var displayName: String { path }

    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try pool.read { try body(Connection(db: $0)) } }
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try pool.write { try body(Connection(db: $0)) } }

    /// SQLite's quick integrity check.
    func integrityProblems() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").filter { $0 != "ok" } }
    }

    private struct Connection: SQLConnection {
        let db: Database

        func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
            try db.execute(sql: sql, arguments: Self.arguments(arguments))
            return db.changesCount
        }

        func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] {
            try Row.fetchAll(db, sql: sql, arguments: Self.arguments(arguments)).map { row in
                SQLRow(names: Array(row.columnNames), values: row.databaseValues.map { value in
                    switch value.storage {
                    case .null: .null
                    case .int64(let i): .integer(i)
                    case .double(let d): .real(d)
                    case .string(let s): .text(s)
                    case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                    }
                })
            }
        }

        static func arguments(_ values: [any SQLBindable]) -> StatementArguments {
            StatementArguments(values.map { value -> DatabaseValue in
                switch value.sqlValue {
                case .null: .null
                case .integer(let i): i.databaseValue
                case .real(let d): d.databaseValue
                case .text(let s): s.databaseValue
                }
            })
        }
    }

    /// An exclusive `flock` held while a store is opened; none when the lock file cannot be made
    /// (a read-only folder), where the busy timeout is all there is.
    private struct OpenTurn {
        let descriptor: Int32
        init?(path: String) {
            let fd = open(path, O_CREAT | O_RDWR, 0o600)
            guard fd >= 0 else { return nil }
            flock(fd, LOCK_EX)
            descriptor = fd
        }
        func release() { flock(descriptor, LOCK_UN); close(descriptor) }
    }
}
