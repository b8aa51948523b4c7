import Foundation

/// The pace of speech from its envelope: the centroid of the vowel-band level's modulation spectrum
/// between 2 and 10 Hz, the range of syllable rates. Merged syllables still modulate the vowel band
/// (formants move, the level wavers), so the centroid keeps rising with the syllable rate where
/// nuclei stop being separable (real spontaneous Mandarin at 4.8–6 syllables/s).
public enum SyllabicPace {
    /// Windows of 2.56 s (0.39 Hz resolution) every 0.64 s over the speech frames laid end to end.
    static let windowFrames = 256
    static let hopFrames = 64
    static let minimumFrames = 384
    /// Levels more than this under the loudest are raised to it: pauses' noise is not modulation.
    static let floorBelowLoudestDB: Float = 40
    /// The window's DFT bins from 2 to 10 Hz (k / 2.56 s, k = 6…25).
    static let modulationHz: [Float] = (6...25).map { Float($0) / 2.56 }
    /// Hann-windowed cosines and sines of every (frequency, offset) pair, made once.
    static let tables: (cos: [Float], sin: [Float]) = {
        let w = windowFrames
        var c = [Float](repeating: 0, count: modulationHz.count * w), s = c
        for (m, hz) in modulationHz.enumerated() {
            for i in 0..<w {
                let hann = 0.5 - 0.5 * cosf(2 * .pi * Float(i) / Float(w - 1))
                c[m * w + i] = hann * cosf(2 * .pi * hz * 0.01 * Float(i))
                s[m * w + i] = -hann * sinf(2 * .pi * hz * 0.01 * Float(i))
            }
        }
        return (c, s)
    }()

    /// - Complexity: O(speech frames × modulation frequencies / hop × window), about 80 products
    ///   per speech frame.
    /// The centroid, and the frames it was measured over (the seconds actually spoken, in frames:
    /// the pace is per second of speaking, pauses left out).
    public static func centroidHz(_ vowelBandDB: [Float], ranges: [Range<Int>], labels: [SpeechDetector.FrameClass]?)
        -> (hz: Float, frames: Int)? {
        var level: [Float] = []
        for r in ranges {
            for f in r where labels.map({ $0[f] == .speech }) ?? true { level.append(vowelBandDB[f]) }
        }
        // A window and a half of speaking at least: one window's centroid swings with a few syllables.
        guard level.count >= minimumFrames, let loudest = level.max() else { return nil }
        let floor = loudest - floorBelowLoudestDB
        for i in level.indices { level[i] = max(level[i], floor) }
        let mean = level.reduce(0, +) / Float(level.count)
        for i in level.indices { level[i] -= mean }
        let w = windowFrames
        let (cosTable, sinTable) = tables
        var power = [Float](repeating: 0, count: modulationHz.count)
        var start = 0
        repeat {
            let span = min(w, level.count - start)
            for m in modulationHz.indices {
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
        return (zip(modulationHz, power).reduce(0) { $0 + $1.0 * $1.1 } / total, level.count)
    }
}
