import Foundation
import Synchronization

/// Failed logins per key within `window` seconds. The server keeps three: per (user name,
/// address), where 5 failures block that pair for the rest of the window, so a stranger who types
/// a name wrong locks out only himself; and per address (20) and per name (30, from any address),
/// where going over the limit throttles instead of blocking: one attempt per `throttleSeconds`
/// after the last failure. Spraying one password over many names, or one name from many
/// addresses, is slowed to a few guesses a minute, while the people behind the same office NAT
/// (or the name being attacked) can still sign in. Bounded: names are keyed by their first 64
/// characters, and at most `maximumKeys` are kept (expired ones go first), so a flood of wrong
/// logins with made-up names or addresses cannot grow the server.
final class LoginLimiter: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    let limit: Int
    static let window: TimeInterval = 300
    static let maximumKeys = 10_000
    /// Wrong passwords for one name from one address.
    static let perNameAndAddress = 5
    /// Wrong passwords from one address, whatever the names.
    static let perAddress = 20
    /// Wrong passwords for one name, from any address.
    static let perName = 30
    static let throttleSeconds: TimeInterval = 10

    init(limit: Int) { self.limit = limit }

    static func key(_ name: String) -> String { String(name.lowercased().prefix(64)) }
    static func key(_ name: String, address: String) -> String { key(name) + "\u{0}" + address }

    var trackedKeys: Int { failures.withLock { $0.count } }

    /// The key's failures still inside the window (older ones are forgotten here).
    private func recent(_ key: String) -> [Date] {
        failures.withLock { f in
            let recent = (f[key] ?? []).filter { Date().timeIntervalSince($0) < Self.window }
            f[key] = recent.isEmpty ? nil : recent
            return recent
        }
    }

    func isBlocked(_ key: String) -> Bool { recent(key).count >= limit }

    /// Over the limit and the last failure was under `throttleSeconds` ago.
    func isThrottled(_ key: String) -> Bool {
        let failed = recent(key)
        guard failed.count >= limit, let last = failed.last else { return false }
        return Date().timeIntervalSince(last) < Self.throttleSeconds
    }

    func fail(_ key: String) {
        failures.withLock { f in
            f[key, default: []].append(Date())
            if f[key]!.count > limit { f[key]!.removeFirst(f[key]!.count - limit) }
            guard f.count > Self.maximumKeys else { return }
            let now = Date()
            f = f.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < Self.window }
            while f.count > Self.maximumKeys, let oldest = f.min(by: { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }) {
                f[oldest.key] = nil
            }
        }
    }

    func succeed(_ key: String) { failures.withLock { $0[key] = nil } }

    /// True for the first blocked attempt on a key in its window: blocked attempts cost no
    /// bcrypt, so auditing each one would let anyone fill the audit table.
    private let blockAudited = Mutex<[String: Date]>([:])
    func firstBlockInWindow(_ key: String) -> Bool {
        blockAudited.withLock { seen in
            let now = Date()
            if let last = seen[key], now.timeIntervalSince(last) < Self.window { return false }
            if seen.count >= Self.maximumKeys { seen = seen.filter { now.timeIntervalSince($0.value) < Self.window } }
            guard seen.count < Self.maximumKeys else { return false }
            seen[key] = now
            return true
        }
    }
}
