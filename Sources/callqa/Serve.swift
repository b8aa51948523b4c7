import ArgumentParser
import CallServer
import CallStore
import Foundation
import Hummingbird
import HummingbirdTLS

extension CallQA {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scorecards, calls and example clips in a browser, on the database the batch writes.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var rubricOptions: RubricOptions
        @Option(help: "Port to listen on.") var port = 8080
        @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"
        @Option(help: "HTTPS: the certificate chain (PEM). With --tls-key.", completion: .file()) var tlsCert: String?
        @Option(help: "HTTPS: the private key (PEM). With --tls-cert.", completion: .file()) var tlsKey: String?
        @Option(help: "Seconds before an idle connection is closed.") var idleTimeout = 60
        @Option(help: "The centre's time zone for the times the server records (audit, disputes, failures), e.g. Asia/Shanghai. The machine's when omitted.")
        var timeZone: String?
        @Flag(help: ArgumentHelp("Start without SQLite's integrity check of the whole database.",
                                 discussion: "The check reads every page: about 30 s per 650 MB here. For a database of many GB, check it in a maintenance window instead (sqlite3 DB 'PRAGMA quick_check')."))
        var skipIntegrityCheck = false
        @Flag(help: "Behind a reverse proxy on this machine: take the client's address from X-Forwarded-For (for login limits and the audit).")
        var behindProxy = false

        func validate() throws {
            if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
            if idleTimeout < 1 { throw ValidationError("--idle-timeout must be at least 1 second") }
            if let timeZone, TimeZone(identifier: timeZone) == nil { throw ValidationError("--time-zone: unknown time zone \(timeZone) (e.g. Asia/Shanghai)") }
        }

        func run() async throws {
            let opened = try store.openExisting()
            if let db = store.sqlitePath, !FileManager.default.isWritableFile(atPath: db) {
                throw ValidationError("\(db): serve needs to write to the database (sessions and the audit trail)")
            }
            // A damaged database is refused at start, not discovered page by page.
            if !skipIntegrityCheck {
                let started = Date()
                // So damaged that the check itself stops: that is its verdict too.
                let problems: [String]
                do { problems = try opened.integrityProblems() } catch { problems = ["\(error)"] }
                guard problems.isEmpty else {
                    // SQLite may list hundreds of damaged cells: the first few say enough.
                    let lines = problems.flatMap { $0.split(separator: "\n").map(String.init) }.filter { !$0.hasPrefix("***") }
                    let more = lines.count > 3 ? "; and \(lines.count - 3) more" : ""
                    throw ValidationError("\(store.name): the database fails its integrity check (\(lines.prefix(3).joined(separator: "; "))\(more)); restore it from a backup")
                }
                let seconds = Date().timeIntervalSince(started)
                if seconds > 10 {
                    FileHandle.standardError.write(Data(String(format: "%@: integrity check passed in %.0f s (serve --skip-integrity-check starts at once; check in a maintenance window instead)\n", store.name, seconds).utf8))
                }
            }
            var server = CallServer(store: opened, rubric: try rubricOptions.load().rubric, secure: tlsCert != nil, behindProxy: behindProxy)
            if let timeZone { server.timeZone = TimeZone(identifier: timeZone)! }
            let router = server.router()
            let address = ApplicationConfiguration(address: .hostname(host, port: port))
            let app: Application<RouterResponder<CallRequestContext>>
            if let tlsCert, let tlsKey {
                do {
                    let key = try NIOSSLPrivateKey(file: tlsKey, format: .pem)
                    let tls = TLSConfiguration.makeServerConfiguration(
                        certificateChain: try NIOSSLCertificate.fromPEMFile(tlsCert).map { .certificate($0) }, privateKey: .privateKey(key))
                    app = Application(router: router, server: try .tls(.http1(configuration: .init(idleTimeout: .seconds(Int64(idleTimeout)))),
                                                                        tlsConfiguration: tls), configuration: address)
                } catch {
                    throw ValidationError("\(tlsCert), \(tlsKey): cannot use them for HTTPS (\(error))")
                }
            } else {
                app = Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(Int64(idleTimeout)))), configuration: address)
            }
            let scheme = tlsCert == nil ? "http" : "https"
            FileHandle.standardError.write(Data("CallQA on \(scheme)://\(host):\(port)/ (store \(store.name)); accounts: `callqa users add NAME --role manager|qa|trainer|agent \(store.sqlitePath.map { "--db \($0)" } ?? "--store URL")`\n".utf8))
            try await app.runService()
        }
    }
}
