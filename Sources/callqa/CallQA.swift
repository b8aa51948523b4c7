import ArgumentParser
import Foundation

@main
struct CallQA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callqa",
        abstract: "Analyse recorded calls against a call centre's service standards.",
        discussion: "Exit status: 0 success, 1 some files failed, 2 usage error.",
        subcommands: [Analyze.self, Score.self, Report.self, Examples.self, Calibrate.self, Agents.self, Count.self, Relocate.self, Purge.self, TimelineCommand.self, Serve.self, Users.self, Defaults.self, DumpFeatures.self])

    /// As ArgumentParser's own main, but usage errors exit 2 (as cron and shell scripts expect),
    /// not 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            do {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let error as ValidationError {
                // Raised while running (a database that does not exist, a damaged file): the
                // message names the file and the reason; the usage text would only bury it.
                FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
                Foundation.exit(2)
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
