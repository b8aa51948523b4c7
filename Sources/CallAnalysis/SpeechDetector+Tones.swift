import CallDSP

/// Steady tones (call-progress tones, beeps): the first of the detector's per-frame decisions.
extension SpeechDetector {
    /// The pairs of the dual call-progress tones (ITU-T E.180): North American ring-back, dial
    /// and busy, the UK's ring-back. A voice's strongest peak glides; it does not flick between two
    /// of these.
    static let dualTonesHz: [(Float, Float)] = [(440, 480), (350, 440), (480, 620), (400, 450)]

    /// Whether two peak frequencies are the two halves of one dual tone.
    func isDualTone(_ a: Float, _ b: Float) -> Bool {
        let tolerance = configuration.dualToneToleranceHz
        return Self.dualTonesHz.contains { pair in
            (abs(a - pair.0) <= tolerance && abs(b - pair.1) <= tolerance)
                || (abs(a - pair.1) <= tolerance && abs(b - pair.0) <= tolerance)
        }
    }

    /// Steady tones: runs of tonal frames whose main peak does not move (or moves between the two
    /// frequencies of a dual tone).
    func toneFrames(_ features: ChannelFeatures, active: [Bool]) -> [Bool] {
        let c = configuration
        let n = features.frameCount
        var tone = [Bool](repeating: false, count: n)
        let minimumRun = features.grid.frames(inSeconds: c.minimumToneSeconds)
        let minimumPureRun = features.grid.frames(inSeconds: c.minimumPureToneSeconds)
        // A pure tone with digital silence within `pureToneSilenceReachSeconds` before and after
        // it: a pip over a muted line.
        let reach = features.grid.frames(inSeconds: c.pureToneSilenceReachSeconds)
        func isPure(_ run: Range<Int>) -> Bool {
            func silent(_ r: Range<Int>) -> Bool { r.contains { features.bandPowerDB[$0] < ChannelFeatureExtractor.digitalSilenceDB } }
            return silent(max(0, run.lowerBound - reach)..<run.lowerBound) && silent(run.upperBound..<min(n, run.upperBound + reach))
                && Self.isPureTone(features, run, tonality: c.toneIsolationPureTonality)
        }
        var runStart = -1, runEnd = -1
        var runHz: Float = 0, runSecondHz: Float = -1
        // Where the run first took its second frequency, which it was on last, and how often it
        // went from one to the other: a dual tone flicks back and forth, a voice glides through.
        var secondFromFrame = -1, lastOnSecond = false, switches = 0
        var runMinDB: Float = 0, runMaxDB: Float = 0
        // Frames whose peak jumped from the frame before: a dual tone beats at the difference of
        // its frequencies (40 Hz for 440 + 480), so through GSM its peak hops and single frames
        // swing by 6 dB and more around a steady level. A voice's peak glides.
        var hops = 0, previousHz: Float = 0, nearDualTone = false
        // A third of its frames hopping, over at least 60 ms, before a run counts as beating.
        let beatMinimumFrames = features.grid.frames(inSeconds: 0.06)
        func beats(over frames: Int, atLeast minimum: Int) -> Bool { nearDualTone && frames >= minimum && hops * 3 >= frames }
        // In loud noise a tone's frame now and then fails a test; a run survives such dropouts.
        let maximumDropout = 2
        func isTonal(_ f: Int) -> Bool {
            active[f] && features.tonality[f] >= c.toneTonality
                && features.dominantHz[f] >= c.toneMinimumHz && features.overtoneRatio[f] <= c.toneMaximumOvertoneRatio
        }
        let swinging = swingingFrames(features, tonal: (0..<n).map(isTonal))
        // Marks the run if long enough. A run cut where a glide reached its second frequency
        // returns that frame: the scan goes back there, as the start of a run of its own.
        func close() -> Int? {
            guard runStart >= 0 else { return nil }
            // ... unless the run was a tone before it and what follows is too short to be one: a
            // dual tone's second half first showing near a burst's end is its tail, not a glide.
            let tail = secondFromFrame - runStart >= minimumRun && runEnd - secondFromFrame < minimumRun
            let cut = secondFromFrame >= 0 && switches < c.dualToneMinimumSwitches && !tail
            if cut { runEnd = secondFromFrame }
            // A beating run is known as one only after a few frames; until then its swings broke
            // the runs before it. Its onset (GSM's ring-back swinging from its first frame) is
            // taken back: tonal frames on its frequencies, within its level range, just before a
            // run that is a tone already.
            let beat = beats(over: runEnd - runStart, atLeast: minimumRun)
            while !cut && beat && runStart > 0 && isTonal(runStart - 1) {
                let hz = features.dominantHz[runStart - 1], level = features.bandPowerDB[runStart - 1]
                guard abs(hz - runHz) <= c.toneFrequencyToleranceHz || isDualTone(runHz, hz),
                      max(runMaxDB, level) - min(runMinDB, level) <= c.beatingToneLevelRangeDB else { break }
                runMinDB = min(runMinDB, level); runMaxDB = max(runMaxDB, level)
                runStart -= 1
            }
            if runEnd - runStart >= minimumRun || (runEnd - runStart >= minimumPureRun && isPure(runStart..<runEnd)) {
                let margin = 3  // the window straddling a tone's edge is less tonal than its middle
                for f in max(0, runStart - margin)..<min(n, runEnd + margin) { tone[f] = true }
            }
            runStart = -1
            return cut ? secondFromFrame : nil
        }
        var f = 0
        while true {
            if f == n {
                if let restart = close() { f = restart; continue }
                break
            }
            let tonal = isTonal(f)
            let level = features.bandPowerDB[f]
            let hz = features.dominantHz[f]
            // A dual tone (440 + 480 Hz, 400 + 450 Hz) is steady too, though a codec may make its
            // strongest peak flick between its two frequencies: the run keeps up to two.
            let onFirst = abs(hz - runHz) <= c.toneFrequencyToleranceHz
            // The pair table is read only for a tonal frame that leaves the run's frequency.
            func onSecond() -> Bool {
                runSecondHz > 0 ? abs(hz - runSecondHz) <= c.toneFrequencyToleranceHz : isDualTone(runHz, hz)
            }
            let beating = beats(over: f - runStart, atLeast: beatMinimumFrames)
            let levelRange = swinging[f] ? c.swingingToneLevelRangeDB : beating ? c.beatingToneLevelRangeDB : c.toneLevelRangeDB
            if tonal && runStart >= 0 && (onFirst || onSecond())
                && max(runMaxDB, level) - min(runMinDB, level) <= levelRange {
                if abs(hz - previousHz) >= c.beatHopHz { hops += 1 }
                previousHz = hz
                if !onFirst && runSecondHz <= 0 { runSecondHz = hz; secondFromFrame = f }
                if onFirst == lastOnSecond { switches += 1; lastOnSecond = !onFirst }
                runMinDB = min(runMinDB, level); runMaxDB = max(runMaxDB, level)
                runEnd = f + 1
                f += 1
                continue
            }
            if runStart >= 0 && !tonal && f - runEnd < maximumDropout { f += 1; continue }
            if let restart = close() { f = restart; continue }
            if tonal {
                runStart = f; runEnd = f + 1; runHz = hz; runMinDB = level; runMaxDB = level
                runSecondHz = -1; secondFromFrame = -1; lastOnSecond = false; switches = 0
                hops = 0; previousHz = hz
                // Only near a dual tone's frequencies: a single tone or a voice does not beat.
                nearDualTone = Self.dualTonesHz.contains {
                    abs(hz - $0.0) <= c.toneFrequencyToleranceHz || abs(hz - $0.1) <= c.toneFrequencyToleranceHz
                }
            }
            f += 1
        }
        return tone
    }

    /// Whether the middle half of `run` (its edges straddle silence or the tone labeller's padding)
    /// is at least `tonality` tonal throughout: a beep or a pip, purer than any voice.
    static func isPureTone(_ features: ChannelFeatures, _ run: Range<Int>, tonality: Float) -> Bool {
        let quarter = run.count / 4
        let middle = (run.lowerBound + quarter)..<max(run.lowerBound + quarter + 1, run.upperBound - quarter)
        return middle.upperBound <= features.tonality.count && features.tonality[middle].allSatisfy { $0 >= tonality }
    }

    /// Frames of an amplitude-modulated tone: windows (±8 frames around a tonal frame) with nearly
    /// every frame tonal on one frequency and the level turning (a rise then a fall, or back, of at
    /// least `toneSwingDB`) `toneSwingMinimumTurns` times or more.
    /// - Complexity: O(frames), and O(frames × 17) only where nearly every frame is tonal.
    func swingingFrames(_ features: ChannelFeatures, tonal: [Bool]) -> [Bool] {
        let c = configuration
        let n = features.frameCount
        let reach = features.grid.frames(inSeconds: 0.08)
        var out = [Bool](repeating: false, count: n)
        guard n > 2 * reach else { return out }
        // Tonal frames before each frame: a window with too few of them is passed over at once
        // (in speech nearly every window is).
        var tonalBefore = [Int](repeating: 0, count: n + 1)
        for f in 0..<n { tonalBefore[f + 1] = tonalBefore[f] + (tonal[f] ? 1 : 0) }
        let width = 2 * reach + 1
        func isTonal(_ f: Int) -> Bool { tonal[f] }
        for f in reach..<(n - reach) where tonal[f] && (tonalBefore[f + reach + 1] - tonalBefore[f - reach]) * 10 >= width * 8 {
            let hz = features.dominantHz[f]
            var onTone = 0, turns = 0, rising = true, started = false
            var extremeDB = features.bandPowerDB[f - reach]
            for g in (f - reach)...(f + reach) {
                if isTonal(g) && abs(features.dominantHz[g] - hz) <= c.toneFrequencyToleranceHz { onTone += 1 }
                let level = features.bandPowerDB[g]
                // Follow the level; a move of toneSwingDB against the current direction is a turn.
                if rising ? level > extremeDB : level < extremeDB {
                    extremeDB = level
                } else if abs(level - extremeDB) >= c.toneSwingDB {
                    if started { turns += 1 }
                    started = true
                    rising.toggle(); extremeDB = level
                }
            }
            // Nearly every frame (80%) on the tone, and the turns after the first change of direction.
            guard onTone * 10 >= width * 8 && turns >= c.toneSwingMinimumTurns else { continue }
            // The whole window is the tone: its first and last frames too, so the run reaches
            // the burst's edges (and the quiet around it).
            for g in (f - reach)...(f + reach) where isTonal(g) && abs(features.dominantHz[g] - hz) <= c.toneFrequencyToleranceHz {
                out[g] = true
            }
        }
        return out
    }
}
