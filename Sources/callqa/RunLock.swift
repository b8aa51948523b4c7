import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One `score` at a time per database: a second run on the same database while one is going
/// exits with a message instead of redoing the first one's work. The lock is an advisory `flock`
/// on `DB.lock`, released by the kernel when the process ends, even after `kill -9`.
struct RunLock {
    private let descriptor: Int32

    /// Nil when another process holds the lock.
    init?(database: String, shard: Shard? = nil) throws {
        let path = database + (shard.map { ".shard-\($0.index)-of-\($0.count)" } ?? "") + ".lock"
        let fd = open(path, O_CREAT | O_RDWR, 0o600)
        guard fd >= 0 else { throw RunLockError(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }  // another run holds it
            throw RunLockError(path: path, reason: String(cString: strerror(code)))
        }
        descriptor = fd
    }

    func release() { flock(descriptor, LOCK_UN); close(descriptor) }
}

struct RunLockError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): cannot create the run lock (\(reason))" }
}
