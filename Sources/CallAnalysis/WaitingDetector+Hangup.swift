import CallDSP
import Foundation

/// Who hung up, from the legs themselves: when one side hangs up its leg stops carrying the
/// line (digital silence, or a far quieter idle channel) while the other side's leg goes on
/// until the recorder stops. The leg that falls silent first after everyone's last words is the
/// side that left.
extension WaitingDetector {
    /// The channel whose leg falls silent first after `lastWordsSeconds`, nil when neither does,
    /// both do at once, or the call is on one leg.
    func firstLegToFallSilent(_ legs: [ChannelFeatures], lastWordsSeconds: Double) -> Int? {
        guard legs.count == 2, let grid = legs.first?.grid else { return nil }
        let c = configuration
        let drops = legs.map { fallsSilent($0, from: grid.frame(atSeconds: lastWordsSeconds + c.legEndAfterWordsSeconds)) }
        switch (drops[0], drops[1]) {
        case let (a?, b?):
            let apart = grid.frames(inSeconds: c.legEndSimultaneousSeconds)
            return abs(a - b) <= apart ? nil : (a < b ? 0 : 1)
        case (_?, nil): return 0
        case (nil, _?): return 1
        default: return nil
        }
    }

    /// The first frame from `start` on after which the leg stays `legEndDropDB` under its level of
    /// the `legEndReferenceSeconds` before (from `start`), to the recording's end (each at least
    /// `legEndMinimumSeconds`); `start` itself when the leg is digitally silent throughout though
    /// its pauses carried the line before.
    func fallsSilent(_ leg: ChannelFeatures, from start: Int) -> Int? {
        let c = configuration, grid = leg.grid
        let level = leg.bandPowerDB, n = level.count
        let reference = grid.frames(inSeconds: c.legEndReferenceSeconds), minimum = grid.frames(inSeconds: c.legEndMinimumSeconds)
        guard start >= minimum, start < n - minimum else { return nil }
        // A leg with no line at all (digital silence in its last pauses) has nothing to lose.
        let silence = ChannelFeatureExtractor.digitalSilenceDB
        let recent = max(0, start - grid.frames(inSeconds: c.legEndPausesSeconds))
        guard let pauses = DecibelQuantile.of(level[recent..<start], fraction: 0.1), pauses >= silence else { return nil }
        if level[start..<n].allSatisfy({ $0 < silence }) { return start }
        // The level before is measured over up to `reference` frames after `start` (a leg may
        // fall silent half a second after the last words), and at least `minimum` of them.
        guard start + minimum < n - minimum else { return nil }
        // The loudest frame from each frame of the tail to the end (index f - start).
        var suffixMax = [Float](repeating: -.infinity, count: n - start + 1)
        for f in stride(from: n - 1, through: start, by: -1) { suffixMax[f - start] = max(level[f], suffixMax[f - start + 1]) }
        // The level before (a median) is never above the loudest frame since `start`: only where
        // the rest falls that far under that one is the median worth taking.
        var loudestSinceStart = level[start..<(start + minimum)].max() ?? -.infinity
        for f in (start + minimum)..<(n - minimum) {
            defer { loudestSinceStart = max(loudestSinceStart, level[f]) }
            guard suffixMax[f - start] < loudestSinceStart - c.legEndDropDB,
                  let before = DecibelQuantile.of(level[max(start, f - reference)..<f], fraction: 0.5) else { continue }
            if suffixMax[f - start] < before - c.legEndDropDB { return f }
        }
        return nil
    }
}
