@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// The music measures' window ring must hand every window the same per-frame values whole-call
/// arrays did: any `width` consecutive frames as one straight run from `lo % width`.
@Suite struct WindowRingTests {
    @Test func everyWindowIsOneStraightRunOfItsFrames() {
        var features = ChannelFeatures(grid: .standard(sampleRateHz: 8000))
        let n = 57
        features.bandPowerDB = (0..<n).map { -60 + Float($0) * 0.7 }
        features.flatness = (0..<n).map { Float($0 % 9) / 10 }
        features.f0Hz = (0..<n).map { $0 % 4 == 0 ? 200 : ($0 % 4 == 2 ? 200.5 : 0) }
        let active = [Bool](repeating: true, count: n)
        let noise: Float = 1e-7, width = 11
        var ring = WindowRing(width: width)
        for hi in 1...n {
            while ring.filled < hi {
                let g = ring.filled
                let pitch = g >= 2 && g % 2 == 0 && active[g] ? (features.f0Hz[g], features.f0Hz[g - 2]) : nil
                ring.append(bandPowerDB: features.bandPowerDB[g], flatness: features.flatness[g], pitchHz: pitch, noise: noise)
            }
            let lo = max(0, hi - width), base = lo % width
            for f in lo..<hi {
                let power = max(powf(10, features.bandPowerDB[f] / 10) - noise, 0)
                #expect(ring.power[base + f - lo] == power)
                #expect(ring.levelDB[base + f - lo] == 10 * log10f(power + noise * 0.1 + 1e-12))
                #expect(ring.logFlatness[base + f - lo] == log10f(features.flatness[f] + 1e-4))
                // Pitch pairs 20 ms apart on even frames: 200 → 200.5 Hz moves 0.043 semitone (steady).
                let paired = f >= 2 && f % 2 == 0
                #expect(ring.voicedPair[base + f - lo] == (paired ? 1 : 0))
                #expect(ring.steady[base + f - lo] == (paired ? 1 : 0))
            }
        }
    }
}
