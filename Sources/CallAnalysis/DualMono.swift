public import CallDSP

/// A stereo recording whose two channels carry the same mix (some recorders write mono that way):
/// analysed as two parties it would be one long overlap. The test is on the per-frame band levels,
/// so a small gain difference or a delay under about 2 ms between the channels does not matter; a
/// real two-leg call has stretches where one leg is far louder than the other (one party talking),
/// even when hold music or a prompt is heard on both legs for minutes.
public enum DualMono {
    /// The channels' level difference may wander this far from its median (each channel through
    /// its own codec, GSM say, and one 1.5 ms late: 97% of frames within 2 dB, 94% within 1.5; a
    /// two-leg call has at most 31% within 2 dB on every evaluation set) ...
    public static let toleranceDB: Float = 2
    /// ... on this share of the frames where either channel is active ...
    public static let matchingShare = 0.95
    /// ... no more than this long may differ by `mismatchDB` or more (one party talking alone) ...
    public static let mismatchDB: Float = 6
    public static let maximumMismatchSeconds = 1.0
    /// ... and the two may differ in level by at most this (a "small level difference").
    public static let maximumOffsetDB: Float = 6

    /// The channel to analyse (the louder: summing could cancel an inverted channel or comb-filter
    /// a delayed one), or nil when the two channels are two legs.
    public static func channelToKeep(_ a: ChannelFeatures, _ b: ChannelFeatures) -> Int? {
        let n = min(a.frameCount, b.frameCount)
        var differences: [Float] = []
        for f in 0..<n where (a.divergenceDB[f] >= 5 || b.divergenceDB[f] >= 5) && max(a.bandPowerDB[f], b.bandPowerDB[f]) > -70 {
            differences.append(a.bandPowerDB[f] - b.bandPowerDB[f])
        }
        // A second of sound at least, or there is nothing to compare.
        guard differences.count >= a.grid.frames(inSeconds: 1),
              let median = DecibelQuantile.of(differences, fraction: 0.5), abs(median) <= maximumOffsetDB else { return nil }
        var close = 0, apart = 0
        for d in differences {
            if abs(d - median) <= toleranceDB { close += 1 }
            if abs(d - median) >= mismatchDB { apart += 1 }
        }
        guard Double(close) >= matchingShare * Double(differences.count),
              apart <= a.grid.frames(inSeconds: maximumMismatchSeconds) else { return nil }
        return median >= 0 ? 0 : 1
    }
}
