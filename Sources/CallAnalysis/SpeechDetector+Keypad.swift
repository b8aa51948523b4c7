import CallDSP

/// Keypad tones (DTMF, ITU-T Q.23): a caller keying in a number or a code. Each key sounds one
/// frequency of a low group and one of a high group together for 40 ms or more; the keys come a
/// few a second. Too short for `toneFrames` (a key is one or two of a beep's length), they were
/// read as the customer's speech, and their level as the customer's.
extension SpeechDetector {
    static let keypadLowHz: [Float] = [697, 770, 852, 941]
    static let keypadHighHz: [Float] = [1209, 1336, 1477, 1633]

    /// The key (low index · 4 + high index) whose two frequencies are `a` and `b`, each within
    /// `keypadToleranceFraction`, in either order; nil when they are not one.
    func keypadKey(_ a: Float, _ b: Float) -> Int? {
        let tolerance = configuration.keypadToleranceFraction
        func index(_ hz: Float, in group: [Float]) -> Int? { group.firstIndex { abs(hz - $0) <= $0 * tolerance } }
        let (low, high) = a < b ? (a, b) : (b, a)
        guard let l = index(low, in: Self.keypadLowHz), let h = index(high, in: Self.keypadHighHz) else { return nil }
        return l * 4 + h
    }

    /// Frames of keypad tones: runs of at least `keypadMinimumSeconds` of audible frames whose two
    /// strongest peaks are one key's pair and carry `keypadTonality` of the band's power (a voice
    /// spreads its power over many harmonics), widened by the frames whose windows straddle the
    /// key's edges.
    func keypadFrames(_ features: ChannelFeatures, audible: [Bool]) -> [Bool] {
        let c = configuration
        let n = features.frameCount
        var out = [Bool](repeating: false, count: n)
        let minimum = max(1, features.grid.frames(inSeconds: c.keypadMinimumSeconds))
        // Half a window: the frames whose windows hold part of the key.
        let margin = features.grid.frameLength / features.grid.hopLength / 2 + 1
        func key(_ f: Int) -> Int? {
            guard audible[f], features.tonality[f] >= c.keypadTonality, features.secondHz[f] > 0 else { return nil }
            return keypadKey(features.dominantHz[f], features.secondHz[f])
        }
        var f = 0
        while f < n {
            guard let k = key(f) else { f += 1; continue }
            var end = f + 1
            while end < n && key(end) == k { end += 1 }
            if end - f >= minimum {
                for g in max(0, f - margin)..<min(n, end + margin) { out[g] = true }
            }
            f = end
        }
        return out
    }
}
