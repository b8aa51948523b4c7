import CallDSP

/// Talk in the background of one party's own leg (an office's babble, another agent's voice at
/// the next desk, the far end's echo): speech-like, but far quieter than the party speaking into
/// that microphone. On a two-leg call each channel carries one party, so such stretches are not
/// its speech. (On mono the quieter party may be that far below the louder, so this is not used.)
extension SpeechDetector {
    /// The labels with speech frames in background talk made quiet: frames whose loudest speech
    /// from `backgroundReachSeconds` before to `backgroundLeadSeconds` after (a word's vowel, for
    /// its soft end and its onset) is at least `backgroundBelowDB` under the leg's loud speech
    /// (the 98th percentile of its speech frames' speech-band power). Nil when nothing changes, or
    /// when the leg has under 3 s of speech (too little to know its loud speech by). The frames
    /// made quiet count as the leg's noise, except, on the composer's side, those near the other
    /// party's speech (`echoAsBusy`).
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
            // Never closer than `continuousBackgroundLoudMarginDB` to the leg's loud speech: the
            // party's own words must stay whatever the background does.
            limit = max(limit, min(backgroundDB + c.continuousBackgroundAboveDB, loudDB - c.continuousBackgroundLoudMarginDB))
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

    /// `labels` with the frames `withoutBackground` took (`background`) that fall within
    /// `reachFrames` of the other leg's speech marked speech again: for the line's noise, which
    /// echo is not. Babble in the other party's pauses stays quiet, and counts as noise.
    static func echoAsBusy(_ labels: [FrameClass], background: [Bool], other: [FrameClass], reachFrames: Int) -> [FrameClass] {
        let n = min(labels.count, background.count, other.count)
        var out = labels
        var lastOther = Int32.min / 2
        // The other leg's next speech frame at or after each frame, from the end.
        var nextOther = [Int32](repeating: Int32.max / 2, count: n + 1)
        for f in stride(from: n - 1, through: 0, by: -1) { nextOther[f] = other[f] == .speech ? Int32(f) : nextOther[f + 1] }
        let reach = Int32(reachFrames)
        for f in 0..<n {
            let frame = Int32(f)
            if other[f] == .speech { lastOther = frame }
            if background[f] && labels[f] == .quiet && (frame - lastOther <= reach || nextOther[f] - frame <= reach) {
                out[f] = .speech
            }
        }
        return out
    }
}
