import Foundation

/// Power of one frequency in a block of samples, without a full FFT: the right tool for
/// single-tone checks (dial/ringback/beep tones) on a few frequencies.
public struct Goertzel: Sendable {
    public let frequencyHz: Double
    private let coefficient: Float

    public init(frequencyHz: Double, sampleRateHz: Double) {
        self.frequencyHz = frequencyHz
        coefficient = Float(2 * cos(2 * Double.pi * frequencyHz / sampleRateHz))
    }

    /// Mean power of the tone in `samples` on the same scale as the block's mean square
    /// (a full-scale sine at exactly this frequency reads 0.5).
    public func power(_ samples: UnsafeBufferPointer<Float>) -> Float {
        var s1: Float = 0, s2: Float = 0
        for x in samples {
            let s0 = x + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let n = Float(max(samples.count, 1))
        let magnitudeSquared = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return 2 * magnitudeSquared / (n * n)
    }
}
