import ArgumentParser
import CallStore
import Foundation

extension CallQA {
    /// Recordings are stored by absolute path; an archive that moves (a new disk, a new mount
    /// point) is followed with one command instead of leaving every call's audio dead.
    struct Relocate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Point stored calls at an archive's new place: paths under OLD now start with NEW.")

        @Argument(help: "The folder the recordings were in when they were scored.") var old: String
        @Argument(help: "The folder they are in now.") var new: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let from = URL(fileURLWithPath: old).standardizedFileURL.path, to = URL(fileURLWithPath: new).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: to, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("\(new): no such folder")
            }
            let opened = try store.openExisting()
            let moved = try opened.relocate(from: from, to: to)
            guard moved > 0 else { throw ValidationError("\(store.name): no stored call is under \(from)") }
            try opened.audit(user: Users.operatorName, action: "relocate", callId: nil, detail: "\(from) → \(to): \(moved) calls")
            print("\(moved) call\(moved == 1 ? "" : "s") now under \(to)")
        }
    }
}
