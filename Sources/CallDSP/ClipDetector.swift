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
}
