import Foundation
import Testing
@testable import CallDSP

/// The line-noise estimate under a codec that thins the noise while a tone plays.
@Suite struct NoiseTrackerTests {
    /// White noise at about −40 dBov with a 425 Hz ring-back (1 s on, 4 s off, −20 dBov). While the
    /// ring plays, the noise goes through a one-pole low-pass (−11 dB at 3 kHz, −2 dB at 500 Hz), as
    /// GSM spends its bits on the tone and thins the noise around it.
    static func thinnedRings(rate: Int = 8000, seconds: Int = 21) -> (samples: [Float], ringing: (Int) -> Bool) {
        var seed: UInt64 = 11
        func noise() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(seed >> 40) - (1 << 23)) / Float(1 << 23) * 0.017
        }
        let ringing = { (i: Int) -> Bool in
            let t = Double(i) / Double(rate)
            return t >= 1 && (t - 1).truncatingRemainder(dividingBy: 5) < 1
        }
        var low: Float = 0
        let samples: [Float] = (0..<(seconds * rate)).map { i in
            let n = noise()
            low = 0.6 * low + 0.4 * n
            guard ringing(i) else { return n }
            let phase = 2 * Double.pi * 425 * Double(i) / Double(rate)
            return low + 0.14 * Float(sin(phase))
        }
        return (samples, ringing)
    }

    /// Share of frames in the gaps between rings (from 0.3 s after a ring to its next one) that
    /// stand 5 dB or more above the estimate: the speech detector's "sound".
    static func soundInGaps(soundHoldsNoiseDivergenceDB: Float?) -> Double {
        let (samples, ringing) = thinnedRings()
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        let extractor = ChannelFeatureExtractor(grid: grid, planner: FFTPlanner(), soundHoldsNoiseDivergenceDB: soundHoldsNoiseDivergenceDB)
        samples.withUnsafeBufferPointer { extractor.consume($0) }
        let features = extractor.finish()
        let settle = grid.frames(inSeconds: 0.3)
        let gaps = (grid.frames(inSeconds: 2)..<features.frameCount).filter { f in
            (0...settle).allSatisfy { !ringing(max(0, f - $0) * grid.hopLength) } && !ringing(f * grid.hopLength + grid.frameLength)
        }
        let loud = gaps.filter { features.divergenceDB[$0] >= 5 }.count
        return Double(loud) / Double(gaps.count)
    }

    @Test func noiseThinnedDuringARingIsNotLearnedSoTheGapsStayQuiet() {
        let held = Self.soundInGaps(soundHoldsNoiseDivergenceDB: 10)
        #expect(held <= 0.05, "held: \(held) of the gaps' frames read as sound")
        // Control: without the hold the estimate follows the thinned noise down during each ring
        // and climbs back at 1 dB/s, so much of each gap reads as sound.
        let notHeld = Self.soundInGaps(soundHoldsNoiseDivergenceDB: nil)
        #expect(notHeld >= 0.2, "not held: \(notHeld) of the gaps' frames read as sound")
    }
}
