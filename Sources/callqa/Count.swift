import ArgumentParser
import CallStore
import Foundation

extension CallQA {
    /// A reviewer's word on whether a call counts in scorecards, examples and KPI bands: calls that
    /// scoring left out (an incomplete recording, no speech) count only when a reviewer says so.
    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count a call in scorecards (a reviewer's decision), or leave it out.",
            discussion: "`report agent ID` lists the calls that are not counted, with their ids and why.")

        @Argument(help: "The call's id (as `report agent` and the web UI show it).") var id: Int64
        @Flag(help: "Leave the call out instead.") var no = false
        @Flag(help: "Forget the reviewer's decision: scoring decides again.") var automatic = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard !(no && automatic) else { throw ValidationError("--no and --automatic: choose one") }
            let decision: Bool? = automatic ? nil : !no
            let opened = try store.openExisting()
            guard try opened.setCounted(callId: id, decision) else { throw ValidationError("\(store.name): no call \(id)") }
            try opened.audit(user: Users.operatorName, action: "count", callId: id,
                             detail: decision.map { $0 ? "counted" : "not counted" } ?? "as scoring decides")
            print("call \(id): " + (decision.map { $0 ? "counted" : "not counted" } ?? "counted as scoring decides"))
        }
    }
}
