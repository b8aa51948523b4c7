import CallDSP
import Foundation

/// Where FFTW's measured plans are kept between runs: `$CALLQA_FFT_WISDOM` when set (empty turns
/// it off), else `$XDG_CACHE_HOME/callqa/fftw-wisdom`, else `~/.cache/callqa/fftw-wisdom`.
/// Measured plans transform faster but take about a second to make; kept, they cost nothing the
/// next time. Where nothing can be kept (no home, a read-only disk) plans are estimated, as
/// measuring on every run would cost more than it saves on a short call.
struct FFTWisdomFile {
    let path: String?

    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> FFTWisdomFile {
        if let chosen = environment["CALLQA_FFT_WISDOM"] { return FFTWisdomFile(path: chosen.isEmpty ? nil : chosen) }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 + "/.cache" }
        return FFTWisdomFile(path: cache.map { $0 + "/callqa/fftw-wisdom" })
    }

    /// A planner that measures when the wisdom can be kept, with what was kept before.
    func makePlanner() -> Planner {
        guard let given = path else { return Planner(planner: FFTPlanner(rigor: .estimate), loaded: nil, path: nil) }
        // "~/x" and a bare file name (the current folder) are paths too.
        let path = (given as NSString).expandingTildeInPath
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        let manager = FileManager.default
        try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard manager.isWritableFile(atPath: directory) else {
            return Planner(planner: FFTPlanner(rigor: .estimate), loaded: nil, path: nil)
        }
        let planner = FFTPlanner(rigor: .measure)
        // Text FFTW rejects (another FFTW version, a damaged file) is ignored and rewritten.
        let text = try? String(contentsOfFile: path, encoding: .utf8)
        let loaded = text.flatMap { planner.importWisdom($0) ? planner.exportWisdom() : nil }
        return Planner(planner: planner, loaded: loaded, path: path)
    }

    struct Planner {
        let planner: FFTPlanner
        let loaded: String?
        let path: String?

        /// Keeps what this run measured, when it measured anything new. Written to a temporary
        /// file and renamed, so runs side by side never read half a file. A cache: failures are
        /// silent (the next run measures again).
        func save() {
            guard let path, planner.rigor == .measure else { return }
            let text = planner.exportWisdom()
            guard !text.isEmpty, text != loaded else { return }
            let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            guard (try? text.write(toFile: temporary, atomically: false, encoding: .utf8)) != nil,
                  rename(temporary, path) == 0 else {
                try? FileManager.default.removeItem(atPath: temporary)
                return
            }
        }
    }
}
