import CallDSP
import Foundation
import Testing

/// Mains hum is measured per half-second block, and read only on blocks where the line alone
/// plays: blocks with sound in them are not transformed at all, and the others are unchanged.
@Suite struct HumMeterTests {
    /// 6 s at 8 kHz: a 50 Hz hum (with its third harmonic) on faint noise, and a loud burst of
    /// voiced buzz from 2 to 3 s.
    static func humWithABurst() -> [Float] {
        let rate = 8000
        var seed: UInt64 = 3
        return (0..<(6 * rate)).map { i in
            let t = Double(i) / Double(rate)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let noise = Double(Int64(seed >> 40) - (1 << 23)) / Double(1 << 23) * 3e-4
            var x = 0.003 * sin(2 * .pi * 50 * t) + 0.001 * sin(2 * .pi * 150 * t) + noise
            if t >= 2 && t < 3 { for h in 1...12 { x += 0.03 * sin(2 * .pi * 140 * Double(h) * t) / Double(h) } }
            return Float(x)
        }
    }

    /// The features of `x` fed in blocks of `block` samples (a decoder's blocks: the frames at a
    /// hum block's end may not be analysed yet when it closes).
    static func features(_ x: [Float], block: Int = .max, surelySound: (divergenceDB: Float, bandPowerDBov: Float)?) -> ChannelFeatures {
        let extractor = ChannelFeatureExtractor(grid: .standard(sampleRateHz: 8000), planner: FFTPlanner(), surelySound: surelySound)
        x.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + min(block, all.count))
                extractor.consume(UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        return extractor.finish()
    }

    @Test(arguments: [Int.max, 333])
    func blocksWithSoundAreSkippedAndTheRestAreUnchanged(block: Int) {
        let x = Self.humWithABurst()
        let all = Self.features(x, surelySound: nil)
        let skipping = Self.features(x, block: block, surelySound: (5, -62))
        #expect(all.humBlocks.count == skipping.humBlocks.count)
        #expect(all.humBlocks.count == 11)
        let hop = skipping.grid.hopLength
        var skipped = 0
        for (a, b) in zip(all.humBlocks, skipping.humBlocks) {
            #expect(a.power == b.power && a.startSample == b.startSample)
            let frames = (b.startSample / hop)..<min(skipping.frameCount, (b.startSample + b.sampleCount) / hop + 1)
            let sound = frames.contains { skipping.divergenceDB[$0] >= 5 && skipping.bandPowerDB[$0] >= -62 }
            if sound {
                skipped += 1
                #expect(b.hum50Power == 0 && b.hum60Power == 0)
            } else {
                #expect(a == b)
                // The hum itself is found on the line's own blocks (a tenth of the power or more).
                #expect(a.hum50Power > 0.1 * a.power, "block at \(a.startSample): \(a.hum50Power) of \(a.power)")
            }
        }
        // The burst covers two or three blocks; the line before and after it is measured.
        #expect((2...3).contains(skipped), "\(skipped) blocks skipped")
    }

    @Test func digitalSilenceHasNoHum() {
        let silent = Self.features([Float](repeating: 0, count: 16000), surelySound: nil)
        #expect(!silent.humBlocks.isEmpty)
        #expect(silent.humBlocks.allSatisfy { $0.power == 0 && $0.hum50Power == 0 && $0.hum60Power == 0 })
    }
}
