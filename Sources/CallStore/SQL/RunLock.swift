import Foundation
import NIOPosix
import PostgresNIO
#if canImport(Glibc)
import Glibc
#endif

/// A lock one process holds on a store while it works (one `score` run per store and shard), let
/// go when it calls `release` or when it ends in any way, `kill -9` included.
public protocol StoreRunLock: Sendable {
    func release()
}

/// On SQLite: an advisory `flock` on a file beside the database (`DB.lock`,
/// `DB.shard-0-of-4.lock`), which the kernel releases with the process.
struct FileRunLock: StoreRunLock {
    let descriptor: Int32

    /// Nil when another process holds the lock.
    static func take(path: String) throws -> FileRunLock? {
        let fd = open(path, O_CREAT | O_RDWR, 0o600)
        guard fd >= 0 else { throw StoreError.failed(path, "cannot create the run lock (\(String(cString: strerror(errno))))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }  // another run holds it
            throw StoreError.failed(path, "cannot take the run lock (\(String(cString: strerror(code))))")
        }
        return FileRunLock(descriptor: fd)
    }

    func release() { flock(descriptor, LOCK_UN); close(descriptor) }
}

/// On PostgreSQL: a session advisory lock on a connection of its own, which the server releases
/// when the connection closes (the process ended, or its machine went away).
struct PostgresRunLock: StoreRunLock {
    let connection: PostgresConnection

    static func take(_ name: String, location: PostgresLocation) throws -> PostgresRunLock? {
        var logger = Logger(label: "callqa.postgres.lock")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: try location.configuration(),
                                                        id: 0, logger: logger).wait()
        } catch { throw StoreError.unreachable(location.description, PostgresDatabase.message(error)) }
        let key = Int64(bitPattern: fnv1a("callqa run " + name))
        do {
            let rows = try connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger).wait().rows
            guard let taken = try rows.first?.decode(Bool.self), taken else { try? (connection.close() as EventLoopFuture<Void>).wait(); return nil }
            return PostgresRunLock(connection: connection)
        } catch {
            try? (connection.close() as EventLoopFuture<Void>).wait()
            throw StoreError.failed(location.description, PostgresDatabase.message(error))
        }
    }

    func release() { try? (connection.close() as EventLoopFuture<Void>).wait() }
}

/// FNV-1a over a string's UTF-8: the same on every machine, for run-lock keys and for the
/// batch's shards (which file belongs to which worker).
public func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

extension SQLCallStore {
    /// The lock for one `score` run on this store (`part` names a shard, "" for the whole
    /// store); nil when another process holds it.
    public func runLock(_ part: String) throws -> (any StoreRunLock)? {
        if let sqlite = database as? SQLiteDatabase { return try FileRunLock.take(path: sqlite.path + part + ".lock") }
        if let postgres = database as? PostgresDatabase { return try PostgresRunLock.take(part, location: postgres.location) }
        return nil
    }
}
