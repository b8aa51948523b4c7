import ArgumentParser
import CallServer
import CallStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension CallQA {
    /// Accounts for `callqa serve` (R15: only authorised people). Every change is audited, under
    /// the name of the system user who ran the command.
    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accounts for `callqa serve`.",
            subcommands: [Add.self, List.self, Disable.self, Enable.self, Delete.self, Passwd.self])

        /// Who ran a command, for the audit trail.
        static var operatorName: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? NSUserName()) }

        /// The password from --password, else asked on a terminal (twice, not echoed), else the
        /// first line of standard input (for scripts).
        static func password(given: String?) throws -> String {
            let secret: String
            if let given {
                secret = given
            } else if isatty(STDIN_FILENO) != 0 {
                guard let first = getpass("Password: ").map({ String(cString: $0) }),
                      let second = getpass("Again: ").map({ String(cString: $0) }) else { throw ValidationError("no password given") }
                guard first == second else { throw ValidationError("the two passwords differ") }
                secret = first
            } else {
                secret = readLine(strippingNewline: true) ?? ""
            }
            guard secret.count >= 8 else { throw ValidationError("the password must be at least 8 characters") }
            return secret
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an account; the password is asked for (or read from standard input, or --password).")
            @Argument(help: "User name.") var name: String
            @Option(help: "manager, qa, trainer or agent.") var role: String
            @Option(help: "For agents: the agent id whose calls they may see.") var agent: String?
            @Option(help: "The password (else asked for).") var password: String?
            @OptionGroup var store: StoreOptions

            func validate() throws {
                guard let r = User.Role(rawValue: role) else { throw ValidationError("--role: one of manager, qa, trainer, agent") }
                if r == .agent && agent == nil { throw ValidationError("--agent ID is needed for the agent role") }
                if name.isEmpty || name.count > 64 { throw ValidationError("a user name is 1 to 64 characters") }
            }

            func run() async throws {
                let secret = try Users.password(given: password)
                let store = try store.open()
                guard try store.addUser(User(name: name, role: User.Role(rawValue: role)!, agentId: agent,
                                             passwordHash: CallServer.hashPassword(secret))) else {
                    throw ValidationError("\(self.store.name): user \(name) exists: `users passwd \(name)` changes the password, `users delete \(name)` removes it")
                }
                try store.audit(user: Users.operatorName, action: "user added", callId: nil, detail: "\(name) (\(role))")
                print("user \(name) (\(role)) added")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the accounts.")
            @OptionGroup var store: StoreOptions
            func run() async throws {
                for a in try store.openExisting().accounts() {
                    print([a.name, a.role.rawValue, a.agentId ?? "-", a.disabled ? "disabled" : "active", a.createdAt].joined(separator: "\t"))
                }
            }
        }

        /// The one-account commands: disable, enable, delete.
        static func change(_ store: StoreOptions, _ name: String, action: String, _ body: (any CallStore) throws -> Bool) throws {
            let opened = try store.openExisting()
            guard try body(opened) else { throw ValidationError("\(store.name): no user \(name)") }
            try opened.audit(user: operatorName, action: action, callId: nil, detail: name)
            print("user \(name): \(action)")
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable an account: it cannot sign in, and its sessions end now.")
            @Argument var name: String
            @OptionGroup var store: StoreOptions
            func run() async throws { try Users.change(store, name, action: "user disabled") { try $0.setDisabled(name, true) } }
        }

        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
            @Argument var name: String
            @OptionGroup var store: StoreOptions
            func run() async throws { try Users.change(store, name, action: "user enabled") { try $0.setDisabled(name, false) } }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete an account and end its sessions.")
            @Argument var name: String
            @OptionGroup var store: StoreOptions
            func run() async throws { try Users.change(store, name, action: "user deleted") { try $0.deleteUser(name) } }
        }

        struct Passwd: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Change a password (asked twice on a terminal); the account's sessions end.")
            @Argument var name: String
            @Option(help: "The new password (else asked for).") var password: String?
            @OptionGroup var store: StoreOptions
            func run() async throws {
                let secret = try Users.password(given: password)
                try Users.change(store, name, action: "password changed") { try $0.setPassword(name, hash: CallServer.hashPassword(secret)) }
            }
        }
    }
}
