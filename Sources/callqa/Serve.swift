import ArgumentParser
import CallServer
import CallStore
import Foundation
import Hummingbird

extension CallQA {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scorecards, calls and example clips in a browser, on the database the batch writes.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var rubricOptions: RubricOptions
        @Option(help: "Port to listen on.") var port = 8080
        @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"

        func run() async throws {
            let opened = try store.openExisting()
            // A damaged database is refused at start, not discovered page by page.
            let problems = try opened.integrityProblems()
            guard problems.isEmpty else {
                throw ValidationError("\(store.db): the database fails SQLite's integrity check (\(problems.prefix(3).joined(separator: "; "))); restore it from a backup")
            }
            let server = CallServer(store: opened, rubric: try rubricOptions.load().rubric)
            let app = Application(router: server.router(), configuration: .init(address: .hostname(host, port: port)))
            FileHandle.standardError.write(Data("CallQA on http://\(host):\(port)/ (database \(store.db)); accounts: `callqa users add NAME --role manager|qa|trainer|agent --db \(store.db)`\n".utf8))
            try await app.runService()
        }
    }
}
