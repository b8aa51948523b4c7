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
    /// For `verify-full`: the CA certificate (PEM) the server's certificate must chain to; the
    /// system's trusted CAs when nil.
    public var rootCertificate: String?
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
        user = url.user ?? environment["PGUSER"] ?? "callqa"  // URLComponents has decoded it
        let name = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = name.isEmpty ? (environment["PGDATABASE"] ?? user) : name
        sslMode = query["sslmode"] ?? (self.host == "localhost" || self.host == "127.0.0.1" || self.host.hasPrefix("/") ? "disable" : "prefer")
        guard ["disable", "prefer", "require", "verify-full"].contains(sslMode) else {
            throw StoreError.badLocation(Self.redacted(text), "sslmode=\(sslMode): use disable, prefer, require or verify-full")
        }
        rootCertificate = query["sslrootcert"]
        if let file = environment["CALLQA_STORE_PASSWORD_FILE"] {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .newlines)
            } catch {
                throw StoreError.badLocation(Self.redacted(text), "\(file): cannot read the password file named by CALLQA_STORE_PASSWORD_FILE (\(error.localizedDescription))")
            }
        } else {
            password = url.password ?? environment["PGPASSWORD"]
        }
    }

    /// Without the password: safe for messages and logs.
    public var description: String { "postgres://\(user)@\(host.hasPrefix("/") ? "localhost" : host):\(port)/\(database)" }

    /// The URL with whatever sits between the scheme and the last `@` reduced to the user name:
    /// a password never reaches a message, however odd its characters.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards), scheme.upperBound < at.lowerBound else { return url }
        let credentials = url[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at.lowerBound...])
    }

    func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if host.hasPrefix("/") {
            configuration = .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            // As libpq: `prefer` and `require` encrypt without checking the certificate (an
            // in-cluster server's is often self-signed); `verify-full` checks chain and host name.
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            if sslMode == "verify-full" {
                if let rootCertificate { tlsConfiguration.trustRoots = .file(rootCertificate) }
            } else {
                tlsConfiguration.certificateVerification = .none
            }
            let tls: PostgresConnection.Configuration.TLS
            switch sslMode {
            case "disable": tls = .disable
            case "prefer": tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            default: tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        // The server notices a connection whose machine went away within about two minutes (not
        // the kernel's two hours), so a dead worker's shard lock is let go for its replacement.
        configuration.options.additionalStartupParameters = [
            ("tcp_keepalives_idle", "60"), ("tcp_keepalives_interval", "10"), ("tcp_keepalives_count", "6"),
        ]
        return configuration
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
