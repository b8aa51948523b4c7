import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SQLiteCallStore {
    /// An exclusive `flock` held while a store is opened; none when the lock file cannot be made
    /// (a read-only folder), where the busy timeout is all there is.
    struct OpenTurn {
        let descriptor: Int32
        init?(path: String) {
            let fd = open(path, O_CREAT | O_RDWR, 0o600)
            guard fd >= 0 else { return nil }
            flock(fd, LOCK_EX)
            descriptor = fd
        }
        func release() { flock(descriptor, LOCK_UN); close(descriptor) }
    }
}
