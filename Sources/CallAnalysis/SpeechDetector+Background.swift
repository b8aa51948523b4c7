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
    /// - Complexity: O(frames).
    func withoutBackground(_ labels: [FrameClass], features: ChannelFeatures) -> [FrameClass]? {
        let c = configuration
        let n = labels.count
        let speechLevels = (0..<n).filter { labels[$0] == .speech }.map { features.bandPowerDB[$0] }
        guard speechLevels.count >= features.grid.frames(inSeconds: 3),
              let loudDB = DecibelQuantile.of(speechLevels, fraction: 0.98) else { return nil }
        let limit = loudDB - c.backgroundBelowDB
        let reach = features.grid.frames(inSeconds: c.backgroundReachSeconds)
        // Sliding maximum over speech frames (a deque of frame indices, levels decreasing).
        var deque: [Int] = [], head = 0
        var out = labels
        var changed = false
        func level(_ f: Int) -> Float { labels[f] == .speech ? features.bandPowerDB[f] : -200 }
        var next = 0
        for f in 0..<n {
            while next < min(n, f + reach + 1) {
                while deque.count > head && level(deque[deque.count - 1]) <= level(next) { deque.removeLast() }
                deque.append(next); next += 1
            }
            while deque[head] < f - reach { head += 1 }
            if labels[f] == .speech && level(deque[head]) < limit { out[f] = .quiet; changed = true }
        }
        return changed ? out : nil
    }
}
