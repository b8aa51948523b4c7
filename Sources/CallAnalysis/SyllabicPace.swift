import Foundation

/// The pace of speech from its envelope: the centroid of the vowel-band level's modulation spectrum
/// between 2 and 10 Hz, the range of syllable rates. Merged syllables still modulate the vowel band
/// (formants move, the level wavers), so the centroid keeps rising with the syllable rate where
/// nuclei stop being separable (real spontaneous Mandarin at 4.8–6 syllables/s).
public enum SyllabicPace {
    /// Windows of 256 frames (2.56 s of 10 ms hops: 0.39 Hz resolution) every 64 frames, over the
    /// speech frames laid end to end.
    static let windowFrames = 256
    static let hopFrames = 64
    /// Levels more than this under the loudest are raised to it: pauses' noise is not modulation.
    static let floorBelowLoudestDB: Float = 40
    /// The window's DFT bins k = 6…25: 2 to 10 Hz at 10 ms hops.
    static let bins = Array(6...25)
    /// Hann-windowed cosines and sines of every (bin, offset) pair, made once.
    static let tables: (cos: [Float], sin: [Float]) = {
        let w = windowFrames
        var c = [Float](repeating: 0, count: bins.count * w), s = c
        for (m, k) in bins.enumerated() {
            for i in 0..<w {
                let hann = 0.5 - 0.5 * cosf(2 * .pi * Float(i) / Float(w - 1))
                let phase = 2 * Float.pi * Float(k * i) / Float(w)
                c[m * w + i] = hann * cosf(phase)
                s[m * w + i] = -hann * sinf(phase)
            }
        }
        return (c, s)
    }()

    /// The centroid, and the frames it was measured over (the seconds actually spoken, in frames:
    /// the pace is per second of speaking, pauses left out); nil under `minimumFrames` of speech.
    /// - Complexity: O(speech frames): 2 × 20 bins × 4 overlapping windows, 160 products per frame.
    public static func centroidHz(
        _ vowelBandDB: [Float], ranges: [Range<Int>], labels: [SpeechDetector.FrameClass]?, hopSeconds: Double = 0.01,
        minimumFrames: Int = 384
    ) -> (hz: Float, frames: Int)? {
        var level: [Float] = []
        for r in ranges {
            for f in r where labels.map({ $0[f] == .speech }) ?? true { level.append(vowelBandDB[f]) }
        }
        // A window and a half of speaking at least: one window's centroid swings with a few syllables.
        guard level.count >= max(minimumFrames, 2), let loudest = level.max() else { return nil }
        let floor = loudest - floorBelowLoudestDB
        for i in level.indices { level[i] = max(level[i], floor) }
        let mean = level.reduce(0, +) / Float(level.count)
        for i in level.indices { level[i] -= mean }
        let w = windowFrames
        let (cosTable, sinTable) = tables
        var power = [Float](repeating: 0, count: bins.count)
        var start = 0
        repeat {
            let span = min(w, level.count - start)
            for m in bins.indices {
                var re: Float = 0, im: Float = 0
                for i in 0..<span {
                    let x = level[start + i]
                    re += x * cosTable[m * w + i]; im += x * sinTable[m * w + i]
                }
                power[m] += re * re + im * im
            }
            start += hopFrames
        } while start + w <= level.count
        let total = power.reduce(0, +)
        guard total > 0 else { return nil }
        let windowSeconds = Float(hopSeconds) * Float(w)
        return (zip(bins, power).reduce(0) { $0 + Float($1.0) / windowSeconds * $1.1 } / total, level.count)
    }
}
