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

extension Decibels {
    /// 10·log10(x) for positive finite x, to about ±0.01 dB, without calling libm: the per-bin
    /// feature loop takes ~80 million logs per hour of stereo audio, and this makes them cheap.
    @inlinable
    public static func fastPowerToDB(_ x: Float) -> Float {
        let bits = x.bitPattern
        let exponent = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 127)
        // Mantissa in [1, 2): log2 by a minimax cubic on [1, 2).
        let m = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)
        let log2m = ((0.15824871 * m - 1.05187502) * m + 3.04788415) * m - 2.15401603
        return (exponent + log2m) * 3.0102999566  // 10·log10(2)
    }
}

/// Quantiles of decibel values in one pass, to 0.05 dB: a call's hour of frames need not be sorted
/// to find its quiet level.
public enum DecibelQuantile {
    static let lowestDB: Float = -160, stepDB: Float = 0.05
    static let binCount = 3400  // −160 … +10 dB

    /// The value below which `fraction` of `values` lie (nil when empty).
    public static func of<C: Collection>(_ values: C, fraction: Double) -> Float? where C.Element == Float {
        var counts = [Int32](repeating: 0, count: binCount)
        var n = 0
        // Arrays are counted through a buffer: the generic iterator cost more than the counting.
        counts.withUnsafeMutableBufferPointer { c in
            func tally<S: Sequence>(_ s: S) where S.Element == Float {
                for v in s where !v.isNaN {
                    c[Int((min(max(v, lowestDB), 10) - lowestDB) / stepDB).clamped(0, binCount - 1)] += 1
                    n += 1
                }
            }
            if values.withContiguousStorageIfAvailable(tally) == nil { tally(values) }
        }
        guard n > 0 else { return nil }
        let target = Int(Double(n) * min(max(fraction, 0), 1))
        var seen = 0
        for (bin, count) in counts.enumerated() {
            seen += Int(count)
            if seen > target { return lowestDB + (Float(bin) + 0.5) * stepDB }
        }
        return lowestDB + Float(binCount) * stepDB
    }
}

extension Int {
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}
