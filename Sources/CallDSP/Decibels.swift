import Foundation

/// Numerically safe dB conversions (librosa's `power_to_db` clamps before the log; so do we).
public enum Decibels {
    /// Smallest power treated as non-zero: −100 dB.
    public static let minimumPower: Double = 1e-10

    public static func fromPower(_ power: Double, reference: Double = 1.0) -> Double {
        10 * log10(max(power, minimumPower) / reference)
    }
    public static func fromPower(_ power: Float) -> Float {
        10 * log10f(max(power, 1e-10))
    }
    public static func toPower(_ dB: Double) -> Double { pow(10, dB / 10) }
    public static func toAmplitude(_ dB: Double) -> Double { pow(10, dB / 20) }
}
