/// Pass 3 of the per-frame spectrum: the band's local peaks, kept one bit per bin for
/// `persistenceHops` frames.
extension ChannelFeatureExtractor {
    /// Marks this frame's peaks in history row `row` and returns the two strongest (power and bin;
    /// 0 when absent) and the power around peaks that stood still since rows `rowMid` and `rowOld`.
    @inline(__always)
    func findPeaks(row: Int, rowMid: Int, rowOld: Int, floorPower: Float)
        -> (first: Float, firstBin: Int, second: Float, secondBin: Int, persistent: Float)
    {
        let p = power, lo = bandLow, hi = bandHigh
        // One bit per bin (word w + 1 holds bins 64w…64w+63; the first and last
        // words stay zero so a bin's neighbours never need a bounds check). In noise a third of
        // the bins are local peaks, at random: the flags are set without branches, and the
        // persistence and the top two peaks then visit only the peaks.
        let words = peakWords
        let now = peakHistory + row * words, mid = peakHistory + rowMid * words, old = peakHistory + rowOld * words
        let peakFloor = floorPower * 100
        for w in 1..<(words - 1) {
            var bits: UInt64 = 0
            let from = max(lo, (w - 1) << 6), to = min(hi, (w << 6) - 1)
            var k = from
            let lanes = SIMD4<Int32>(1, 2, 4, 8), floor4 = SIMD4<Float>(repeating: peakFloor)
            while k + 4 <= to + 1 {
                let v = load4(p, k)
                let isPeak = (v .> load4(p, k - 1)) .& .!(load4(p, k + 1) .> v) .& (v .> floor4)
                let flags = unsafeBitCast(isPeak, to: SIMD4<Int32>.self) & lanes
                bits |= UInt64(UInt32(bitPattern: (flags[0] | flags[1]) | (flags[2] | flags[3]))) << UInt64(k & 63)
                k += 4
            }
            while k <= to {
                let v = p[k]
                let isPeak = greater(v, p[k - 1]) & (1 - greater(p[k + 1], v)) & greater(v, peakFloor)
                bits |= UInt64(isPeak) << UInt64(k & 63)
                k += 1
            }
            now[w] = bits
        }
        // A bin's peak stood still when a peak was within one bin of it half the span ago and the
        // whole span ago.
        @inline(__always) func near(_ row: UnsafeMutablePointer<UInt64>, _ w: Int) -> UInt64 {
            let x = row[w]
            return x | (x << 1) | (x >> 1) | (row[w - 1] >> 63) | (row[w + 1] << 63)
        }
        var first: Float = 0, firstBin = 0, second: Float = 0, secondBin = 0
        var persistent: Float = 0
        for w in 1..<(words - 1) where now[w] != 0 {
            let offset = (w - 1) << 6
            var still = now[w] & near(mid, w) & near(old, w)
            while still != 0 {
                let k = offset + still.trailingZeroBitCount
                persistent += p[k] + p[k - 1] + p[k + 1]
                still &= still - 1
            }
            var peaks = now[w]
            while peaks != 0 {
                let k = offset + peaks.trailingZeroBitCount
                let candidate = p[k]
                // Selects, not branches: in noise whether a peak is the new top is a coin toss.
                let aboveFirst = candidate > first, aboveSecond = candidate > second
                second = aboveFirst ? first : (aboveSecond ? candidate : second)
                secondBin = aboveFirst ? firstBin : (aboveSecond ? k : secondBin)
                first = aboveFirst ? candidate : first
                firstBin = aboveFirst ? k : firstBin
                peaks &= peaks - 1
            }
        }
        return (first, firstBin, second, secondBin, persistent)
    }
}
