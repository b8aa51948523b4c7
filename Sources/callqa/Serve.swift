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
            let server = CallServer(store: try store.openExisting(), rubric: try rubricOptions.load().rubric)
            let app = Application(router: server.router(), configuration: .init(address: .hostname(host, port: port)))
            FileHandle.standardError.write(Data("CallQA on http://\(host):\(port)/ (database \(store.db)); accounts: `callqa users add NAME --role manager|qa|trainer|agent --db \(store.db)`\n".utf8))
            try await app.runService()
        }
    }
}
