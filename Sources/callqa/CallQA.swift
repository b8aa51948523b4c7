import ArgumentParser

@main
struct CallQA: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callqa",
        abstract: "Analyse recorded calls against a call centre's service standards.",
        subcommands: [Analyze.self, Score.self, Defaults.self, DumpFeatures.self])
}
