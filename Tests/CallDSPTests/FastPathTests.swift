@testable import CallDSP
import Foundation
import Testing

/// The shortcuts taken for speed (issue 14) against plain reference computations: each must give
/// what the straightforward loop gives.
@Suite struct FastPathTests {
    /// The P.56 envelope advances once per 2.5 ms tick on the tick's mean |x| instead of sample by
    /// sample. Against the two cascaded one-pole smoothers run on every sample, each frame's held
    /// maximum must stay within 3% (0.26 dB) on a rising ramp and a sudden burst, and the energy
    /// must be exact, whatever the block boundaries.
    @Test func envelopeByTicksFollowsTheSampleBySampleFilter() {
        let sr = 8000.0
        let g = Float(exp(-1 / (sr * ActiveSpeechLevelMeter.timeConstantSeconds)))
        var meter = ActiveSpeechLevelMeter(sampleRateHz: sr)
        var s1: Float = 0, s2: Float = 0
        var worst: Float = 0
        var n = 0
        for frame in 0..<200 {
            // A rising ramp for a second, then a 0.3 s burst after silence; fed as 37 + 43 samples.
            let x: [Float] = (0..<80).map { i in
                let t = n + i
                let v: Float = frame < 100 ? 0.5 * Float(t) / 8000 : (frame >= 150 && frame < 180 ? 0.3 : 0)
                return t % 2 == 0 ? v : -v
            }
            n += 80
            var peak: Float = 0
            for v in x {
                s1 = g * s1 + (1 - g) * abs(v)
                s2 = g * s2 + (1 - g) * s1
                peak = max(peak, s2)
            }
            x.withUnsafeBufferPointer {
                meter.consume(UnsafeBufferPointer(rebasing: $0[0..<37]))
                meter.consume(UnsafeBufferPointer(rebasing: $0[37..<80]))
            }
            let summary = meter.endFrame()
            // Held values keep the maximum over 0.2 s, so compare where the envelope is rising.
            if (frame > 2 && frame < 100) || (frame >= 152 && frame < 180) {
                worst = max(worst, abs(summary.heldEnvelopeMax - peak) / peak)
            }
            #expect(abs(summary.sumOfSquares - x.reduce(0) { $0 + $1 * $1 }) <= 1e-5 * max(1, summary.sumOfSquares))
        }
        #expect(worst < 0.03, "worst relative difference \(worst)")
    }

    /// Blocks under full scale skip the per-sample scan; a run must still be counted across block
    /// boundaries and broken by a quiet block between.
    @Test func clippingIsCountedAcrossBlocks() {
        var d = ClipDetector()
        for block: [Float] in [[0.1, 0.2, 0.3, 0.4, 0.5], [0.2, 1, 1], [1, 1, 0.1, 0.2, 0.3, 0.1], [0.1, 0.1, 0.1, 0.1, -1, -1], [0.2, 0.1, 0.1, 0.1, 0.1], [-1, 0.5, 0.5, 0.5, 0.5]] {
            block.withUnsafeBufferPointer { d.consume($0) }
        }
        #expect(d.clippedRunCount == 1)  // four at +1 over two blocks; −1 twice, a quiet block, −1 again is not a run
        #expect(d.clippedSampleCount == 4)
        let samples: [Float] = [0.1, -0.99, 0.5, 0.2, 0.3, -0.2, 0.4]
        #expect(samples.withUnsafeBufferPointer { ClipDetector.peakMagnitude($0) } == 0.99)
    }

    /// The pitch tracker's transform: the smallest even 2^a·5^b that keeps every lag from wrapping.
    @Test func pitchTransformIsTheSmallestFastSize() {
        for minimum in [5, 100, 371, 741, 1000, 1484, 2970] {
            let size = PitchTracker.transformSize(atLeast: minimum)
            var fast: [Int] = []
            var twos = 2
            while twos < 8 * minimum {
                var n = twos
                while n < 8 * minimum { fast.append(n); n *= 5 }
                twos *= 2
            }
            #expect(size == fast.filter { $0 >= minimum }.min(), "at least \(minimum)")
        }
        #expect(PitchTracker.transformSize(atLeast: 256 + 115 + 1) == 400)
    }

    /// Peaks are kept as bits: a held tone's peak stands still (persistence near 1, tonality near
    /// 1); a fast glide's peak moves on every frame (persistence near 0).
    @Test func heldAndGlidingTonesByTheirPeaks() {
        let sr = 8000.0
        func features(_ hz: (Double) -> Double) -> ChannelFeatures {
            let grid = FrameGrid.standard(sampleRateHz: sr)
            let extractor = ChannelFeatureExtractor(grid: grid, planner: FFTPlanner())
            var phase = 0.0, rng: UInt64 = 7
            let x: [Float] = (0..<Int(2 * sr)).map { i in
                phase += 2 * .pi * hz(Double(i) / sr) / sr
                rng = rng &* 6364136223846793005 &+ 1442695040888963407
                return Float(0.1 * sin(phase)) + Float(Int64(bitPattern: rng >> 11) % 2000) / 2_000_000
            }
            x.withUnsafeBufferPointer { extractor.consume($0) }
            return extractor.finish()
        }
        let held = features { _ in 1000 }
        let glide = features { t in 500 + 1500 * t }  // 1.5 kHz a second: ~15 Hz a frame, half a bin
        let middle = 50..<150
        let mean = { (v: [Float]) in middle.reduce(Float(0)) { $0 + v[$1] } / Float(middle.count) }
        #expect(mean(held.persistence) > 0.9)
        #expect(mean(held.tonality) > 0.9)
        #expect(abs(mean(held.dominantHz) - 1000) < 5)
        #expect(mean(glide.persistence) < 0.5)
    }
}
