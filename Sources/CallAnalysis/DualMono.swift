public import CallDSP

/// A stereo recording whose two channels carry the same mix (some recorders write mono that way):
/// analysed as two parties it would be one long overlap. The test is on the per-frame band levels,
/// so a small gain difference or a delay of a few milliseconds between the channels does not matter;
/// a real two-leg call has stretches where one leg is far louder than the other.
public enum DualMono {
    /// The channels' level difference may wander this far from its median ...
    public static let toleranceDB: Float = 1.5
    /// ... on this share of the frames where either channel is active ...
    public static let matchingShare = 0.95
    /// ... and the two may differ in level by at most this (a "small level difference").
    public static let maximumOffsetDB: Float = 6

    public static func matches(_ a: ChannelFeatures, _ b: ChannelFeatures) -> Bool {
        let n = min(a.frameCount, b.frameCount)
        var differences: [Float] = []
        for f in 0..<n where (a.divergenceDB[f] >= 5 || b.divergenceDB[f] >= 5) && max(a.bandPowerDB[f], b.bandPowerDB[f]) > -70 {
            differences.append(a.bandPowerDB[f] - b.bandPowerDB[f])
        }
        // A second of sound at least, or there is nothing to compare.
        guard differences.count >= a.grid.frames(inSeconds: 1) else { return false }
        let median = differences.sorted()[differences.count / 2]
        guard abs(median) <= maximumOffsetDB else { return false }
        let close = differences.filter { abs($0 - median) <= toleranceDB }.count
        return Double(close) >= matchingShare * Double(differences.count)
    }
}
