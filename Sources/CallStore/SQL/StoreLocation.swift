import Foundation
import NIOSSL
import PostgresNIO

/// Where the store is: `sqlite:PATH` (or a bare path), or `postgres://USER@HOST[:PORT]/DB`.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// - Parameters:
    ///   - text: the `--store` value or `CALLQA_STORE`.
    ///   - fromCommandLine: a password inside a URL typed on the command line would be in every
    ///     process listing and shell history: it is refused there (an environment variable from a
    ///     Kubernetes Secret may carry one).
    ///   - environment: where `PGPASSWORD` and `CALLQA_STORE_PASSWORD_FILE` are looked up.
    public static func parse(_ text: String, fromCommandLine: Bool, environment: [String: String]? = nil) throws -> StoreLocation {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation(url: text, fromCommandLine: fromCommandLine, environment: environment))
        }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count)).replacingOccurrences(of: "^//", with: "", options: .regularExpression)
            guard !path.isEmpty else { throw StoreError.badLocation(text, "sqlite: needs a file path (sqlite:callqa.sqlite)") }
            return .sqlite(path: path)
        }
        if let scheme = text.range(of: "^[a-z][a-z0-9+.-]*://", options: .regularExpression) {
            throw StoreError.badLocation(text, "\(text[scheme].dropLast(3)) is not a store CallQA knows: use sqlite:PATH or postgres://USER@HOST/DB")
        }
        return .sqlite(path: text)
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }
}

/// A PostgreSQL server and database. The password comes from `PGPASSWORD`, or the file named by
/// `CALLQA_STORE_PASSWORD_FILE` (a mounted Secret), or the URL when it came from the environment.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: String
    var password: String?

    init(url text: String, fromCommandLine: Bool, environment: [String: String]) throws {
        guard let url = URLComponents(string: text), let host = url.host, !host.isEmpty || url.queryItems?.contains(where: { $0.name == "host" }) == true else {
            throw StoreError.badLocation(Self.redacted(text), "not a PostgreSQL URL: use postgres://USER@HOST[:PORT]/DATABASE")
        }
        if url.password != nil && fromCommandLine {
            throw StoreError.badLocation(Self.redacted(text), "a password on the command line is visible to every user of this machine: put it in PGPASSWORD or in a file named by CALLQA_STORE_PASSWORD_FILE")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        self.host = query["host"] ?? host
        port = url.port ?? 5432
        user = url.user?.removingPercentEncoding ?? environment["PGUSER"] ?? "callqa"
        let name = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = name.isEmpty ? (environment["PGDATABASE"] ?? user) : (name.removingPercentEncoding ?? name)
        sslMode = query["sslmode"] ?? (self.host == "localhost" || self.host == "127.0.0.1" || self.host.hasPrefix("/") ? "disable" : "prefer")
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw StoreError.badLocation(Self.redacted(text), "sslmode=\(sslMode): use disable, prefer or require")
        }
        if let file = environment["CALLQA_STORE_PASSWORD_FILE"] {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            } catch {
                throw StoreError.badLocation(Self.redacted(text), "\(file): cannot read the password file named by CALLQA_STORE_PASSWORD_FILE (\(error.localizedDescription))")
            }
        } else {
            password = url.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        }
    }

    /// Without the password: safe for messages and logs.
    public var description: String { "postgres://\(user)@\(host.hasPrefix("/") ? "localhost" : host):\(port)/\(database)" }

    static func redacted(_ url: String) -> String {
        url.replacingOccurrences(of: "(://[^:@/]*):[^@/]*@", with: "$1:***@", options: .regularExpression)
    }

    func configuration() throws -> PostgresConnection.Configuration {
        if host.hasPrefix("/") {
            return .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case needsUpgrade(String)
    case badLocation(String, String)
    case unreachable(String, String)
    case failed(String, String)

    public var description: String {
        switch self {
        case .needsUpgrade(let store): "\(store): written by an older CallQA; open it once with write access to upgrade it"
        case .badLocation(let store, let reason): "\(store): \(reason)"
        case .unreachable(let store, let reason): "\(store): cannot connect (\(reason))"
        case .failed(let store, let reason): "\(store): \(reason)"
        }
    }
}
