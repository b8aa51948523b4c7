import Foundation

/// The few SQL operations the store needs, the same on SQLite and PostgreSQL: the store's queries
/// are written once, in the SQL both understand, with `?` placeholders.
///
/// Portable SQL here means: `?` placeholders (PostgreSQL's `$n` are made from them), `"user"`
/// quoted (a reserved word in PostgreSQL), `CAST(? AS TEXT) IS NULL` where a bound null's type
/// is otherwise unknown, `CASE` rather than sums of comparisons, explicit `NULLS FIRST/LAST`,
/// `ON CONFLICT … DO UPDATE` rather than `INSERT OR REPLACE`, and `RETURNING id`.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// Values that can be bound to a placeholder.
public protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
// Booleans are stored as 0 and 1 in both databases (one schema, one set of queries).
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// Values read from a column.
public protocol SQLDecodable {
    init?(sqlValue: SQLValue)
}

extension String: SQLDecodable {
    public init?(sqlValue: SQLValue) { guard case .text(let s) = sqlValue else { return nil }; self = s }
}
extension Int64: SQLDecodable {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let i): self = i
        case .real(let d) where d.rounded() == d && abs(d) < 9e18: self = Int64(d)
        default: return nil
        }
    }
}
extension Int: SQLDecodable {
    public init?(sqlValue: SQLValue) { guard let i = Int64(sqlValue: sqlValue) else { return nil }; self = Int(i) }
}
extension Double: SQLDecodable {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let d): self = d
        case .integer(let i): self = Double(i)
        default: return nil
        }
    }
}
extension Bool: SQLDecodable {
    public init?(sqlValue: SQLValue) { guard let i = Int64(sqlValue: sqlValue) else { return nil }; self = i != 0 }
}
extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    public init?(sqlValue: SQLValue) {
        if sqlValue == .null { self = .none; return }
        guard let value = Wrapped(sqlValue: sqlValue) else { return nil }
        self = .some(value)
    }
}

/// One result row. Column names are matched without regard to case: PostgreSQL folds unquoted
/// names to lower case (`agentId` comes back as `agentid`).
public struct SQLRow: Sendable {
    private let names: [String: Int]
    public let values: [SQLValue]

    public init(names: [String], values: [SQLValue]) {
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where index[name.lowercased()] == nil { index[name.lowercased()] = i }
        self.names = index
        self.values = values
    }

    public func value(_ column: String) -> SQLValue {
        names[column.lowercased()].map { values[$0] } ?? .null
    }

    /// The column as `T`. A column the query does not have, or of another type, is a programming
    /// error in the store's own SQL (as with GRDB's rows), not bad input.
    public subscript<T: SQLDecodable>(_ column: String) -> T {
        guard let decoded = T(sqlValue: value(column)) else {
            preconditionFailure("column \(column): \(value(column)) is not \(T.self)")
        }
        return decoded
    }
}

/// One connection inside a read or a write (a transaction).
public protocol SQLConnection {
    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int
    func rows(_ sql: String, _ arguments: [any SQLBindable]) throws -> [SQLRow]
}

extension SQLConnection {
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
    public func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }
    public func row(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> SQLRow? { try rows(sql, arguments).first }
    /// The first column of the first row.
    public func value<T: SQLDecodable>(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> T? {
        guard let first = try rows(sql, arguments).first?.values.first else { return nil }
        return T(sqlValue: first)
    }
    /// The first column of every row.
    public func column<T: SQLDecodable>(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> [T] {
        try rows(sql, arguments).compactMap { $0.values.first.flatMap(T.init(sqlValue:)) }
    }
}

/// A database the store runs on: reads see one consistent snapshot, writes are one transaction
/// each (all or nothing).
public protocol SQLDatabase: Sendable {
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// What the database is, for messages: a file path, or a server without its password.
    var displayName: String { get }
    /// Problems a quick check of the database's own structure finds; empty when sound.
    func integrityProblems() throws -> [String]
}
