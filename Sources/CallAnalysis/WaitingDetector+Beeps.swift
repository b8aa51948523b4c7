import Foundation

/// Beep holds: a tone repeating at a hold's cadence on a leg.
extension WaitingDetector {
    /// The tone labeller pads a burst by this much at each end (three frames: `toneFrames`).
    static let burstPaddingSeconds = 0.03

    /// Hold beeps: at least `minimumBeeps` bursts of one frequency and length, repeating at a
    /// steady period of at most `maximumBeepPeriodSeconds`, with no speech on their channel between
    /// them (the line is on hold; a stray tone-like sound among words is not a hold).
    func beepHolds(_ bursts: [Burst], talk: [ClosedRange<Double>]) -> [Hold] {
        let c = configuration
        var out: [Hold] = []
        var used = Set<Int>()
        for i in bursts.indices where !used.contains(i) {
            var chain = [i]
            var interval: Double?
            for j in (i + 1)..<bursts.count where !used.contains(j) {
                let last = bursts[chain.last!]
                let gap = bursts[j].start - last.start
                if gap > c.maximumBeepPeriodSeconds { break }
                guard abs(bursts[j].hz - bursts[i].hz) <= c.beepFrequencyToleranceHz,
                      abs(bursts[j].seconds - bursts[i].seconds) <= c.beepLengthToleranceSeconds else { continue }
                if let expected = interval, abs(gap - expected) > expected * c.beepPeriodTolerance { continue }
                interval = interval ?? gap
                chain.append(j)
            }
            guard chain.count >= c.minimumBeeps else { continue }
            // Words right after the last beep (the agent back) may touch its padding.
            let from = bursts[chain.first!].start, to = bursts[chain.last!].end, pad = Self.burstPaddingSeconds
            let span = to - from > 2 * pad ? (from + pad)...(to - pad) : from...to
            guard !talk.contains(where: { $0.overlaps(span) }) else { continue }
            used.formUnion(chain)
            let first = bursts[chain.first!], last = bursts[chain.last!]
            out.append(Hold(kind: .tone, startSeconds: first.start, endSeconds: last.end, beepSeconds: last.seconds,
                            beepPeriodSeconds: (last.start - first.start) / Double(chain.count - 1), beepHz: first.hz))
        }
        return out
    }
}
