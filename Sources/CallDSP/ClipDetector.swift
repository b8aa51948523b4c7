/// Clipping: runs of consecutive samples stuck at the same near-full-scale value. Codecs top out
/// below 1.0 (μ-law at 0.980, A-law at 0.984), so "full scale" is taken as ≥ 0.97 of float scale,
/// and a run needs the same value repeated, which real unclipped audio almost never does.
public struct ClipDetector: Sendable {
    public static let fullScaleThreshold: Float = 0.97
    public static let minimumRunLength = 3

    public private(set) var clippedRunCount = 0
    public private(set) var clippedSampleCount = 0
    private var runValue: Float = 0
    private var runLength = 0

    public init() {}

    /// - Complexity: O(n).
    public mutating func consume(_ samples: UnsafeBufferPointer<Float>) {
        // Almost every block stays under the threshold: then every sample would only end the run.
        if Self.peakMagnitude(samples) < Self.fullScaleThreshold {
            runValue = 0
            runLength = 0
            return
        }
        for x in samples {
            let m = abs(x)
            if m >= Self.fullScaleThreshold && x == runValue {
                runLength += 1
                if runLength == Self.minimumRunLength {
                    clippedRunCount += 1
                    clippedSampleCount += runLength
                } else if runLength > Self.minimumRunLength {
                    clippedSampleCount += 1
                }
            } else {
                runValue = m >= Self.fullScaleThreshold ? x : 0
                runLength = m >= Self.fullScaleThreshold ? 1 : 0
            }
        }
    }

    /// The largest |x|, four samples at a time.
    static func peakMagnitude(_ samples: UnsafeBufferPointer<Float>) -> Float {
        var peak = SIMD4<Float>(), i = 0
        let n = samples.count
        if let base = samples.baseAddress {
            let mask = SIMD4<UInt32>(repeating: 0x7FFF_FFFF)
            while i + 4 <= n {
                let x = unsafeBitCast(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<UInt32>.self) & mask, to: SIMD4<Float>.self)
                peak = peak.replacing(with: x, where: x .> peak)
                i += 4
            }
        }
        var result = max(max(peak[0], peak[1]), max(peak[2], peak[3]))
        while i < n { result = max(result, abs(samples[i])); i += 1 }
        return result
    }
}
