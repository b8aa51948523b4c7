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

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accounts for `callqa serve`.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create or update an account; the password is read from standard input or --password.")
            @Argument(help: "User name.") var name: String
            @Option(help: "manager, qa, trainer or agent.") var role: String
            @Option(help: "For agents: the agent id whose calls they may see.") var agent: String?
            @Option(help: "The password (else read from standard input).") var password: String?
            @OptionGroup var store: StoreOptions

            func validate() throws {
                guard let r = User.Role(rawValue: role) else { throw ValidationError("--role: one of manager, qa, trainer, agent") }
                if r == .agent && agent == nil { throw ValidationError("--agent ID is needed for the agent role") }
            }

            func run() async throws {
                let secret = password ?? readLine(strippingNewline: true) ?? ""
                guard secret.count >= 8 else { throw ValidationError("the password must be at least 8 characters") }
                try store.open().saveUser(User(name: name, role: User.Role(rawValue: role)!, agentId: agent,
                                               passwordHash: CallServer.hashPassword(secret)))
                print("user \(name) (\(role)) saved")
            }
        }
    }
}
