import CallDSP
import Foundation

/// Mains hum on a line, told apart from its broadband noise: the SNR is against the noise, and
/// the hum is reported on its own (a hum-laden line is a wiring fault, not a noisy line).
enum LineHum {
    struct Estimate {
        /// Hum power (full scale 1.0) and its share of the line's noise power.
        var power: Double
        var share: Double
    }

    /// The median over half-second blocks in which only the line plays (every frame quiet, 0.2 s
    /// from anything else, while the line is connected). Nil without 1.5 s of such blocks, or
    /// when the hum is under a hundredth of the noise (it then changes nothing).
    static func measure(_ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], within window: NoiseFloor.Window) -> Estimate? {
        let hop = features.grid.hopLength
        let margin = features.grid.frames(inSeconds: 0.2)
        var shares: [[Double]] = [[], []], powers: [[Double]] = [[], []]
        var holdIndex = 0
        for block in features.humBlocks where block.power > HumBlock.silentPower {
            let first = block.startSample / hop - margin, last = (block.startSample + block.sampleCount) / hop + margin
            guard first >= 0, last < labels.count,
                  window.contains(first, holdIndex: &holdIndex), window.contains(last, holdIndex: &holdIndex),
                  (first...last).allSatisfy({ labels[$0] == .quiet }) else { continue }
            for (i, line) in [block.hum50Power, block.hum60Power].enumerated() {
                shares[i].append(Double(min(line, block.power) / block.power))
                powers[i].append(Double(line))
            }
        }
        guard shares[0].count >= 3 else { return nil }
        func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }
        // The mains frequency whose harmonics carry more (a 50 Hz hum has lines at 300 Hz, as 60
        // Hz would: the stronger comb is the true one).
        let mains = median(shares[0]) >= median(shares[1]) ? 0 : 1
        let share = median(shares[mains]), power = median(powers[mains])
        guard share >= 0.01, power > 1e-10 else { return nil }
        return Estimate(power: power, share: share)
    }
}
