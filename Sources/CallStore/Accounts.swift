import Foundation

/// Managing accounts (R15: only authorised people): list, disable and enable, delete, change a
/// password. A disabled, deleted or re-passworded account's sessions end at once.
public struct Account: Sendable, Equatable {
    public var name: String
    public var role: User.Role
    public var agentId: String?
    public var disabled: Bool
    public var createdAt: String
}

extension SQLCallStore {
    public func accounts() throws -> [Account] {
        try read { db in
            try db.rows("SELECT name, role, agentId, disabled, createdAt FROM \"user\" ORDER BY name").map {
                Account(name: $0["name"], role: User.Role(rawValue: $0["role"]) ?? .agent, agentId: $0["agentId"],
                        disabled: $0["disabled"], createdAt: $0["createdAt"])
            }
        }
    }

    /// Creates an account; false (and nothing changed) when the name is taken.
    public func addUser(_ user: User) throws -> Bool {
        try write { db in
            try db.execute("""
                INSERT INTO "user" (name, role, agentId, passwordHash, createdAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO NOTHING
                """, [user.name, user.role.rawValue, user.agentId, user.passwordHash, Self.now()]) > 0
        }
    }

    /// False when there is no such account.
    public func setDisabled(_ name: String, _ disabled: Bool) throws -> Bool {
        try write { db in
            let found = try db.execute("UPDATE \"user\" SET disabled = ? WHERE name = ?", [disabled, name]) > 0
            if disabled { try db.execute("DELETE FROM session WHERE \"user\" = ?", [name]) }
            return found
        }
    }

    public func setPassword(_ name: String, hash: String) throws -> Bool {
        try write { db in
            let found = try db.execute("UPDATE \"user\" SET passwordHash = ? WHERE name = ?", [hash, name]) > 0
            try db.execute("DELETE FROM session WHERE \"user\" = ?", [name])
            return found
        }
    }

    public func deleteUser(_ name: String) throws -> Bool {
        try write { db in
            try db.execute("DELETE FROM session WHERE \"user\" = ?", [name])
            return try db.execute("DELETE FROM \"user\" WHERE name = ?", [name]) > 0
        }
    }
}
