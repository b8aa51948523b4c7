public import CallDSP

/// The segmenter: frame labels to speech segments (double threshold, bridged pauses, edges).
extension SpeechDetector {
    /// Turns per-frame speech labels into segments: bridge short gaps, keep weak edges only where
    /// they are sound (not the line's noise), drop short bursts and those without a core, pad.
    public func segments(_ labels: [FrameClass], features: ChannelFeatures) -> [FrameRange] {
        let grid = features.grid
        let c = configuration
        var raw: [FrameRange] = []
        var start = -1
        for (f, label) in labels.enumerated() {
            if label == .speech {
                if start < 0 { start = f }
            } else if start >= 0 {
                raw.append(FrameRange(start: start, end: f)); start = -1
            }
        }
        if start >= 0 { raw.append(FrameRange(start: start, end: labels.count)) }
        let bridge = grid.frames(inSeconds: c.bridgeGapSeconds), edgeGap = grid.frames(inSeconds: c.edgeGapSeconds)
        let edgeReach = grid.frames(inSeconds: c.edgeChainReachSeconds)
        // Groups of runs bridged together (never across a tone, keys or music: the gap must be quiet).
        var groups: [Range<Int>] = []
        for i in raw.indices {
            if let last = groups.last, raw[i].start - raw[i - 1].end <= bridge,
               !labels[raw[i - 1].end..<raw[i].start].contains(where: { $0 == .tone || $0 == .keypad || $0 == .music }) {
                groups[groups.count - 1] = last.lowerBound..<(i + 1)
            } else {
                groups.append(i..<(i + 1))
            }
        }
        // Runs that reach the high threshold anchor a group. Before its first anchor and after its
        // last, weak runs belong to it when they rise clear of the pause level (or lie between it
        // and one that does), or through a chain of gaps up to `edgeGap`.
        // The line's pause level: the median of the frames called quiet (none in a clip that is
        // speech throughout, and then no such test).
        var pauses: [Float] = []
        features.bandPowerDB.withUnsafeBufferPointer { level in
            for f in 0..<min(labels.count, level.count) where labels[f] == .quiet && level[f] >= ChannelFeatureExtractor.digitalSilenceDB {
                pauses.append(level[f])
            }
        }
        let pauseDB = pauses.count >= grid.frames(inSeconds: c.minimumPauseSeconds) ? DecibelQuantile.of(pauses, fraction: 0.5) : nil
        let coreLevelDB = (pauseDB ?? -.infinity) + c.coreAboveQuietDB
        func isCore(_ f: Int) -> Bool { features.divergenceDB[f] >= c.coreDivergenceDB && features.bandPowerDB[f] >= coreLevelDB }
        func anchored(_ i: Int) -> Bool { (raw[i].start..<raw[i].end).contains(where: isCore) }
        // A weak run that rises clear of the pause level is a weak sound, not the line's noise.
        // (Asking two such frames, against single noise spikes, lost weak edges of noisy speech:
        // sample F1 0.9846 -> 0.9843.)
        let edgeLevelDB = (pauseDB ?? -.infinity) + c.edgeAboveQuietDB
        func audible(_ i: Int) -> Bool { (raw[i].start..<raw[i].end).contains { features.bandPowerDB[$0] >= edgeLevelDB } }
        // A group whose cores are a long, inaudible stretch apart is two groups.
        let splitPause = grid.frames(inSeconds: c.splitPauseSeconds)
        let split = groups.flatMap { g -> [Range<Int>] in
            var parts: [Range<Int>] = [], from = g.lowerBound, previousAnchor: Int?
            for i in g where anchored(i) {
                if let a = previousAnchor, raw[i].start - raw[a].end >= splitPause, !(a + 1..<i).contains(where: audible) {
                    parts.append(from..<(a + 1)); from = a + 1
                }
                previousAnchor = i
            }
            parts.append(from..<g.upperBound)
            return parts
        }
        let merged = split.map { g -> FrameRange in
            guard let first = g.first(where: anchored), let last = g.last(where: anchored) else {
                return FrameRange(start: raw[g.lowerBound].start, end: raw[g.upperBound - 1].end)
            }
            // The earliest and latest audible weak runs, then any run chained to those by short gaps.
            var lo = (g.lowerBound..<first).first(where: audible) ?? first
            var hi = (last..<g.upperBound).last(where: audible) ?? last
            // A weak onset or decay is a fraction of a syllable; a chain longer than that is the
            // line's noise stepping up (a call connecting) and flickering over the low threshold.
            let onset = raw[lo].start, decay = raw[hi].end
            while lo > g.lowerBound && raw[lo].start - raw[lo - 1].end <= edgeGap && onset - raw[lo - 1].start <= edgeReach { lo -= 1 }
            while hi + 1 < g.upperBound && raw[hi + 1].start - raw[hi].end <= edgeGap && raw[hi + 1].end - decay <= edgeReach { hi += 1 }
            return FrameRange(start: raw[lo].start, end: raw[hi].end)
        }
        let minimum = grid.frames(inSeconds: c.minimumSpeechSeconds)
        let pad = Int((c.paddingSeconds / grid.hopSeconds).rounded())
        let minimumCore = grid.frames(inSeconds: c.minimumCoreSeconds)
        // Pitch where it was tracked (features from the extractor; none in a detector's unit test).
        // Not near music: there unpitched "speech" is the music's drums, and it bridges the hold.
        let pitched = features.f0Hz.count >= labels.count && c.minimumPitchedSeconds > 0 ? grid.frames(inSeconds: c.minimumPitchedSeconds) : 0
        let musicReach = grid.frames(inSeconds: c.unpitchedMusicReachSeconds)
        return merged.filter { r in
            guard r.count >= minimum else { return false }
            if pitched > 0 {
                var voiced = 0
                for f in r.start..<r.end where features.f0Hz[f] > 0 { voiced += 1; if voiced >= pitched { break } }
                // Only the rare unpitched segment looks around it for music.
                let nearMusic = voiced < pitched
                    && labels[max(0, r.start - musicReach)..<min(labels.count, r.end + musicReach)].contains(.music)
                guard voiced >= pitched || nearMusic else { return false }
            }
            var core = 0
            for f in r.start..<r.end where labels[f] == .speech && isCore(f) {
                core += 1
                if core >= minimumCore { return true }
            }
            return false
        }.map { r in
            // Inside one run too, sound far under the segment's loudest leads or trails it by at
            // most a weak onset or decay: a line whose noise steps up as the call connects reads
            // active until the noise estimate follows (up to 2 s), and is not the greeting's start.
            var first = r.start, last = r.end - 1
            features.bandPowerDB.withUnsafeBufferPointer { level in
                let floor = (level[r.start..<r.end].max() ?? 0) - c.edgeBelowLoudestDB
                while first < last && level[first] < floor { first += 1 }
                while last > first && level[last] < floor { last -= 1 }
            }
            var lo = max(r.start, first - edgeReach), hi = min(r.end, last + 1 + edgeReach)
            for _ in 0..<pad where lo > 0 && labels[lo - 1] == .quiet { lo -= 1 }
            for _ in 0..<pad where hi < labels.count && labels[hi] == .quiet { hi += 1 }
            return FrameRange(start: lo, end: hi)
        }
    }
}
