import Foundation
import Synchronization

/// Failed logins per user name: 5 within 5 minutes block that name for the rest of the window.
/// Bounded: names are keyed by their first 64 characters, and at most `maximumNames` are kept
/// (expired ones go first), so a flood of wrong logins with made-up names cannot grow the server.
final class LoginLimiter: Sendable {
    private let failures = Mutex<[String: [Date]]>([:])
    static let limit = 5
    static let window: TimeInterval = 300
    static let maximumNames = 10_000

    static func key(_ name: String) -> String { String(name.lowercased().prefix(64)) }

    var trackedNames: Int { failures.withLock { $0.count } }

    func isBlocked(_ key: String) -> Bool {
        failures.withLock { f in
            let recent = (f[key] ?? []).filter { Date().timeIntervalSince($0) < Self.window }
            f[key] = recent.isEmpty ? nil : recent
            return recent.count >= Self.limit
        }
    }

    func fail(_ key: String) {
        failures.withLock { f in
            f[key, default: []].append(Date())
            guard f.count > Self.maximumNames else { return }
            let now = Date()
            f = f.filter { now.timeIntervalSince($0.value.last ?? .distantPast) < Self.window }
            while f.count > Self.maximumNames, let oldest = f.min(by: { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) }) {
                f[oldest.key] = nil
            }
        }
    }

    func succeed(_ key: String) { failures.withLock { $0[key] = nil } }

    /// True for the first blocked attempt on a name in its window: blocked attempts cost no
    /// bcrypt, so auditing each one would let anyone fill the audit table.
    private let blockAudited = Mutex<[String: Date]>([:])
    func firstBlockInWindow(_ key: String) -> Bool {
        blockAudited.withLock { seen in
            let now = Date()
            if let last = seen[key], now.timeIntervalSince(last) < Self.window { return false }
            if seen.count >= Self.maximumNames { seen = seen.filter { now.timeIntervalSince($0.value) < Self.window } }
            guard seen.count < Self.maximumNames else { return false }
            seen[key] = now
            return true
        }
    }
}
