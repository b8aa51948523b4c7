import CallDSP

/// Talk in the background of one party's own leg (an office's babble, another agent's voice at
/// the next desk, the far end's echo): speech-like, but far quieter than the party speaking into
/// that microphone. On a two-leg call each channel carries one party, so such stretches are not
/// its speech. (On mono the quieter party may be that far below the louder, so this is not used.)
extension SpeechDetector {
    /// The labels with speech frames in background talk made quiet: frames whose loudest speech
    /// within `backgroundReachSeconds` either side (a syllable's vowel, for its consonants) is at
    /// least `backgroundBelowDB` under the leg's loud speech (the 98th percentile of its speech
    /// frames' speech-band power). Nil when nothing changes, or when the leg has under 3 s of
    /// speech (too little to know its loud speech by). The frames made quiet then count as the
    /// leg's noise, as background talk is.
    /// With `other` (the other leg's labels), talk that goes on through most of the other party's
    /// speech sets a higher limit: `continuousBackgroundAboveDB` over its median level there.
    /// - Complexity: O(frames).
    func withoutBackground(_ labels: [FrameClass], features: ChannelFeatures, other: [FrameClass]? = nil) -> [FrameClass]? {
        let c = configuration
        let n = labels.count
        let speechLevels = (0..<n).filter { labels[$0] == .speech }.map { features.bandPowerDB[$0] }
        guard speechLevels.count >= features.grid.frames(inSeconds: 3),
              let loudDB = DecibelQuantile.of(speechLevels, fraction: 0.98) else { return nil }
        var limit = loudDB - c.backgroundBelowDB
        if let other, let backgroundDB = continuousBackgroundDB(labels, features: features, other: other),
           backgroundDB <= loudDB - c.continuousBackgroundBelowLoudDB {
            limit = max(limit, backgroundDB + c.continuousBackgroundAboveDB)
        }
        // Louder speech up to `backgroundReachSeconds` before a frame (a word's soft ending) or up
        // to `backgroundLeadSeconds` after it (its onset consonant) keeps it.
        let reach = features.grid.frames(inSeconds: c.backgroundReachSeconds)
        let lead = features.grid.frames(inSeconds: c.backgroundLeadSeconds)
        // Sliding maximum over speech frames (a deque of frame indices, levels decreasing).
        var deque: [Int] = [], head = 0
        var out = labels
        var changed = false
        func level(_ f: Int) -> Float { labels[f] == .speech ? features.bandPowerDB[f] : -200 }
        var next = 0
        for f in 0..<n {
            while next < min(n, f + lead + 1) {
                while deque.count > head && level(deque[deque.count - 1]) <= level(next) { deque.removeLast() }
                deque.append(next); next += 1
            }
            while deque[head] < f - reach { head += 1 }
            if labels[f] == .speech && level(deque[head]) < limit { out[f] = .quiet; changed = true }
        }
        return changed ? out : nil
    }

    /// The median level of this leg's speech while the other leg's party speaks, when the leg
    /// speaks through at least `continuousBackgroundShare` of it (and the other has 3 s of speech).
    func continuousBackgroundDB(_ labels: [FrameClass], features: ChannelFeatures, other: [FrameClass]) -> Float? {
        let n = min(labels.count, other.count)
        var otherSpeech = 0
        var both: [Float] = []
        for f in 0..<n where other[f] == .speech {
            otherSpeech += 1
            if labels[f] == .speech { both.append(features.bandPowerDB[f]) }
        }
        guard otherSpeech >= features.grid.frames(inSeconds: 3),
              Double(both.count) >= configuration.continuousBackgroundShare * Double(otherSpeech) else { return nil }
        return DecibelQuantile.of(both, fraction: 0.5)
    }

    /// `labels` with the background frames (speech in `before`, quiet after `withoutBackground`)
    /// that fall within `reach` frames of the other leg's speech marked speech again: for the
    /// line's noise, which echo is not.
    static func echoAsBusy(_ labels: [FrameClass], before: [FrameClass], other: [FrameClass], reach: Int) -> [FrameClass] {
        let n = min(labels.count, before.count, other.count)
        var out = labels
        var lastOther = Int.min / 2
        // The other leg's next speech frame at or after each frame, from the end.
        var nextOther = [Int](repeating: Int.max / 2, count: n + 1)
        for f in stride(from: n - 1, through: 0, by: -1) { nextOther[f] = other[f] == .speech ? f : nextOther[f + 1] }
        for f in 0..<n {
            if other[f] == .speech { lastOther = f }
            if labels[f] == .quiet && before[f] == .speech && (f - lastOther <= reach || nextOther[f] - f <= reach) {
                out[f] = .speech
            }
        }
        return out
    }
}
