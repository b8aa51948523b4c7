import Foundation
import GRDB

/// Managing accounts (R15: only authorised people): list, disable and enable, delete, change a
/// password. A disabled, deleted or re-passworded account's sessions end at once.
extension SQLiteCallStore {
    public struct Account: Sendable, Equatable {
        public var name: String
        public var role: User.Role
        public var agentId: String?
        public var disabled: Bool
        public var createdAt: String
    }

    static func registerAccountsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: disabled accounts") { db in
            try db.execute(sql: "ALTER TABLE user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v5b: session tokens stored hashed") { db in
            // Sessions stored in the clear end: their users sign in again.
            try db.execute(sql: "DELETE FROM session")
        }
    }

    public func accounts() throws -> [Account] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, agentId, disabled, createdAt FROM user ORDER BY name").map {
                Account(name: $0["name"], role: User.Role(rawValue: $0["role"]) ?? .agent, agentId: $0["agentId"],
                        disabled: $0["disabled"], createdAt: $0["createdAt"])
            }
        }
    }

    /// Creates an account; false (and nothing changed) when the name is taken.
    public func addUser(_ user: User) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                INSERT INTO user (name, role, agentId, passwordHash, createdAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO NOTHING
                """, arguments: [user.name, user.role.rawValue, user.agentId, user.passwordHash, Self.now()])
            return db.changesCount > 0
        }
    }

    /// False when there is no such account.
    public func setDisabled(_ name: String, _ disabled: Bool) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE user SET disabled = ? WHERE name = ?", arguments: [disabled, name])
            let found = db.changesCount > 0
            if disabled { try db.execute(sql: "DELETE FROM session WHERE user = ?", arguments: [name]) }
            return found
        }
    }

    public func setPassword(_ name: String, hash: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE user SET passwordHash = ? WHERE name = ?", arguments: [hash, name])
            let found = db.changesCount > 0
            try db.execute(sql: "DELETE FROM session WHERE user = ?", arguments: [name])
            return found
        }
    }

    public func deleteUser(_ name: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM session WHERE user = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM user WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }
}
