@testable import CallStore
import Foundation
import Testing

/// `--store` and `CALLQA_STORE`: which store a URL names, where its password comes from, and
/// the URLs refused with a reason.
@Suite struct StoreLocationTests {
    @Test func urlsNameTheirStore() throws {
        #expect(try StoreLocation.parse("calls.sqlite", fromCommandLine: true, environment: [:]) == .sqlite(path: "calls.sqlite"))
        #expect(try StoreLocation.parse("sqlite:/srv/qa/calls.sqlite", fromCommandLine: true, environment: [:]) == .sqlite(path: "/srv/qa/calls.sqlite"))
        #expect(try StoreLocation.parse("sqlite:///srv/qa.sqlite", fromCommandLine: true, environment: [:]) == .sqlite(path: "/srv/qa.sqlite"))
        guard case .postgres(let server) = try StoreLocation.parse("postgres://qa@db.example:6543/calls?sslmode=require", fromCommandLine: true,
                                                                 environment: ["PGPASSWORD": "s3cret"]) else { Issue.record("not postgres"); return }
        #expect(server.host == "db.example" && server.port == 6543 && server.user == "qa" && server.database == "calls" && server.sslMode == "require")
        #expect(server.password == "s3cret")
        #expect(server.description == "postgres://qa@db.example:6543/calls")  // never the password
        guard case .postgres(let local) = try StoreLocation.parse("postgresql://qa@localhost/calls", fromCommandLine: true, environment: [:]) else { return }
        #expect(local.port == 5432 && local.sslMode == "disable" && local.password == nil)
    }

    @Test func thePasswordComesFromTheEnvironmentOrAFileNeverTheCommandLine() throws {
        #expect(throws: StoreError.self) { try StoreLocation.parse("postgres://qa:s3cret@db/calls", fromCommandLine: true, environment: [:]) }
        do {
            _ = try StoreLocation.parse("postgres://qa:s3cret@db/calls", fromCommandLine: true, environment: [:])
        } catch {
            #expect(!"\(error)".contains("s3cret") && "\(error)".contains("PGPASSWORD"), "\(error)")
        }
        // From CALLQA_STORE (a Kubernetes Secret) a password in the URL is accepted.
        guard case .postgres(let fromSecret) = try StoreLocation.parse("postgres://qa:s%40cret@db/calls", fromCommandLine: false, environment: [:]) else { return }
        #expect(fromSecret.password == "s@cret")
        guard case .postgres(let percent) = try StoreLocation.parse("postgres://qa:50%25off@db/calls", fromCommandLine: false, environment: [:]) else { return }
        #expect(percent.password == "50%off")  // decoded once, not twice
        // A password with a slash or an @ is never repeated in a message, even when the URL is refused.
        for url in ["postgres://qa:a/b@c@db/calls", "postgres://qa:p@ss/word@db:5432/calls"] {
            do { _ = try StoreLocation.parse(url, fromCommandLine: true, environment: [:]); Issue.record("\(url) accepted") } catch {
                #expect(!"\(error)".contains("b@c") && !"\(error)".contains("ss/word") && "\(error)".contains("qa:***@"), "\(error)")
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-pw-\(UUID().uuidString)")
        try "from-file\n".write(to: file, atomically: true, encoding: .utf8)
        guard case .postgres(let mounted) = try StoreLocation.parse("postgres://qa@db/calls", fromCommandLine: true,
                                                                   environment: ["CALLQA_STORE_PASSWORD_FILE": file.path, "PGPASSWORD": "other"]) else { return }
        #expect(mounted.password == "from-file")
        #expect(throws: StoreError.self) {
            try StoreLocation.parse("postgres://qa@db/calls", fromCommandLine: true, environment: ["CALLQA_STORE_PASSWORD_FILE": "/nonexistent/pw"])
        }
    }

    @Test func badURLsAreRefusedWithTheReason() {
        for (url, reason) in [("mysql://qa@db/calls", "not a store CallQA knows"), ("sqlite:", "needs a file path"),
                              ("postgres://qa@db/calls?sslmode=maybe", "sslmode=maybe")] {
            do {
                _ = try StoreLocation.parse(url, fromCommandLine: true, environment: [:])
                Issue.record("\(url) accepted")
            } catch { #expect("\(error)".contains(reason), "\(error)") }
        }
    }

    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresDatabase.numberedPlaceholders("SELECT ? FROM \"user\" WHERE a = '?' AND b = ? AND c LIKE ? || '%'")
                == "SELECT $1 FROM \"user\" WHERE a = '?' AND b = $2 AND c LIKE $3 || '%'")
    }

    @Test func anUnreachableServerIsNamedInTheError() throws {
        let location = try StoreLocation.parse("postgres://qa@127.0.0.1:9/calls", fromCommandLine: true, environment: [:])
        do {
            _ = try SQLCallStore.open(location)
            Issue.record("opened a store on a closed port")
        } catch {
            #expect("\(error)".hasPrefix("postgres://qa@127.0.0.1:9/calls: cannot connect"), "\(error)")
        }
    }
}
