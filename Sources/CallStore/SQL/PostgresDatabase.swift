import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The store on a PostgreSQL server, shared by many workers and web servers: a small pool of
/// connections, each read a repeatable-read snapshot and each write one transaction.
///
/// The store's interface is synchronous (as GRDB's is), so queries use PostgresNIO's future API
/// and wait on NIO's own threads: a waiting caller never holds a thread that the answer needs.
final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    private let logger: Logger
    private let maximumConnections: Int
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var nextId = 0

    /// - Parameter migrate: false only to reach a server's administrative database.
    init(location: PostgresLocation, readOnly: Bool, migrate: Bool = true, maximumConnections: Int = 8) throws {
        self.location = location
        self.maximumConnections = maximumConnections
        var logger = Logger(label: "callqa.postgres")
        logger.logLevel = .critical
        self.logger = logger
        configuration = try location.configuration()
        if !migrate { return }
        if readOnly {
            guard try read(PostgresSchema.isCurrent) else { throw StoreError.needsUpgrade(location.description) }
        } else {
            try write(PostgresSchema.migrate)
        }
    }

    deinit {
        // PostgresNIO requires a connection to be closed before it goes.
        for connection in idle { try? (connection.close() as EventLoopFuture<Void>).wait() }
    }

    var displayName: String { location.description }

    /// PostgreSQL checks its own pages as it reads them; a server that answers is sound here.
    func integrityProblems() throws -> [String] {
        _ = try read { try $0.value("SELECT 1") as Int? }
        return []
    }

    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
    }

    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try transaction("BEGIN", body)
    }

    /// A statement that may not run inside a transaction (`CREATE DATABASE`, `VACUUM`).
    func executeOutsideTransaction(_ statement: String) throws {
        let connection = try checkOut()
        do {
            try Connection(connection: connection, logger: logger, location: location).execute(statement)
            checkIn(connection)
        } catch { discard(connection); throw error }
    }

    private func transaction<T>(_ begin: String, _ body: (any SQLConnection) throws -> T) throws -> T {
        var connection = try checkOut()
        var sql = Connection(connection: connection, logger: logger, location: location)
        do {
            try sql.execute(begin)
        } catch {
            // An idle connection the server dropped (a restart, a failover) fails at its first
            // statement: it is thrown away and the transaction starts once more on a new one.
            discard(connection)
            connection = try checkOut()
            sql = Connection(connection: connection, logger: logger, location: location)
            do { try sql.execute(begin) } catch { discard(connection); throw error }
        }
        do {
            let result = try body(sql)
            try sql.execute("COMMIT")
            checkIn(connection)
            return result
        } catch {
            // A connection that lost its server is dropped; one that only failed a statement is
            // rolled back and reused.
            if connection.isClosed || (try? sql.execute("ROLLBACK")) == nil { discard(connection) } else { checkIn(connection) }
            throw error
        }
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while idle.isEmpty && opened >= maximumConnections { condition.wait() }
        while let connection = idle.popLast() {
            if connection.isClosed { opened -= 1; continue }  // closed by the server while idle
            condition.unlock()
            return connection
        }
        opened += 1; nextId += 1
        let id = nextId
        condition.unlock()
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            condition.lock(); opened -= 1; condition.signal(); condition.unlock()
            throw StoreError.unreachable(location.description, Self.message(error))
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if connection.isClosed { opened -= 1 } else { idle.append(connection) }
        condition.signal(); condition.unlock()
    }

    private func discard(_ connection: PostgresConnection) {
        try? (connection.close() as EventLoopFuture<Void>).wait()
        condition.lock(); opened -= 1; condition.signal(); condition.unlock()
    }

    /// What the server said (PostgresNIO's own description hides it, lest it leak data into logs;
    /// the server's message names the table or constraint, which is what an operator needs).
    static func message(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let message = psql.serverInfo?[.message] {
            return message + (psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = psql.underlying { return "\(underlying)" }
        return "\(psql.code)"
    }

    private struct Connection: SQLConnection {
        let connection: PostgresConnection
        let logger: Logger
        let location: PostgresLocation

        func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int {
            try run(sql, arguments).metadata.rows ?? 0
        }

        func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow] {
            try run(sql, arguments).rows.map { row in
                var names: [String] = [], values: [SQLValue] = []
                for cell in row {
                    names.append(cell.columnName)
                    values.append(try Self.value(cell))
                }
                return SQLRow(names: names, values: values)
            }
        }

        private func run(_ sql: String, _ arguments: [any SQLBindable]) throws -> PostgresQueryResult {
            var binds = PostgresBindings(capacity: arguments.count)
            for argument in arguments {
                switch argument.sqlValue {
                case .null: binds.appendNull()
                case .integer(let i): binds.append(i)
                case .real(let d): binds.append(d)
                case .text(let s): binds.append(s)
                }
            }
            let query = PostgresQuery(unsafeSQL: PostgresDatabase.numberedPlaceholders(sql), binds: binds)
            do {
                return try connection.query(query, logger: logger).wait()
            } catch {
                throw StoreError.failed(location.description, PostgresDatabase.message(error))
            }
        }

        static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2: return .integer(Int64(try cell.decode(Int16.self)))
            case .int4: return .integer(Int64(try cell.decode(Int32.self)))
            case .int8: return .integer(try cell.decode(Int64.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .float4: return .real(Double(try cell.decode(Float.self)))
            case .float8: return .real(try cell.decode(Double.self))
            case .numeric:
                let decimal = try cell.decode(Decimal.self)
                return .real(NSDecimalNumber(decimal: decimal).doubleValue)
            default: return .text(try cell.decode(String.self))
            }
        }
    }

    /// `?` placeholders (the store's portable SQL) as PostgreSQL's `$1, $2, …`; a `?` inside a
    /// quoted string or name is left alone.
    static func numberedPlaceholders(_ sql: String) -> String {
        var out = "", number = 0
        var quote: Character? = nil
        out.reserveCapacity(sql.count + 16)
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c; out.append(c)
            } else if c == "?" {
                number += 1; out += "$\(number)"
            } else {
                out.append(c)
            }
        }
        return out
    }
}
