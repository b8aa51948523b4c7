public import CallDSP

/// Finds one channel's speech: a per-frame decision (something is playing, it is not a steady
/// tone, it is not music) kept apart from the hysteresis segmenter that turns decisions into
/// segments, as WebRTC's VAD keeps its frame classifier apart from its collector.
public struct SpeechDetector: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// A frame is active when its spectrum stands this far above the tracked noise spectrum ...
        public var activeDivergenceDB: Float = 5
        /// ... and its speech-band power is at least this (anything quieter is not speech on a phone line).
        public var minimumBandPowerDBov: Float = -62
        /// On a two-leg call, speech this much quieter than its leg's loud speech, with nothing
        /// louder within `backgroundReachSeconds` before it or `backgroundLeadSeconds` after it,
        /// is talk in the background, not the leg's party
        /// (babble 18 dB under the customer's voice was read as the customer talking all through).
        public var backgroundBelowDB: Float = 18
        public var backgroundReachSeconds: Double = 0.6
        /// ... or louder speech this soon after it (an onset: longer, and the background just
        /// before a party's words joined them, starting interruptions half a second early).
        public var backgroundLeadSeconds: Double = 0.25
        /// Talk that never pauses (an office's babble, a colleague on another call, the far end's
        /// echo) goes on while the other leg's party speaks, as a party on its own leg does only
        /// now and then (at most a fifth of the other's speech on every leg of the evaluation
        /// sets; babble 0.84–0.92). When the leg speaks through at least this share of the other
        /// leg's speech, its level there (the median) is the background's ...
        public var continuousBackgroundShare: Double = 0.35
        /// ... if at least this far under the leg's loud speech (a party talking over the other
        /// most of the call is not a background) ...
        public var continuousBackgroundBelowLoudDB: Float = 15
        /// ... and speech not this far above that level (nor `continuousBackgroundLoudMarginDB`
        /// under the loud speech, whichever is lower) near it is background.
        public var continuousBackgroundAboveDB: Float = 14
        public var continuousBackgroundLoudMarginDB: Float = 6
        /// Background within this of the other leg's speech is its echo, left out of the line's
        /// noise (an echo's delay is under 0.1 s; its tail and the other party's soft edges reach further).
        public var echoNoiseReachSeconds: Double = 0.3
        /// A speech segment needs a core of frames this far above the noise (double threshold:
        /// edges follow the low one, noise blips never reach the high one) ...
        public var coreDivergenceDB: Float = 10
        /// ... this many of them ...
        public var minimumCoreSeconds: Double = 0.05
        /// ... and this much pitched sound (every Mandarin syllable has a voiced nucleus; keyboard
        /// clicks, bumps and a codec's bursts have none). Pitch is tracked on every other frame and
        /// held for the next, so 0.02 s is one pitch reading anywhere in the segment ...
        public var minimumPitchedSeconds: Double = 0.02
        /// ... except within this of music on the leg (a hold's drums, unpitched, are its music).
        public var unpitchedMusicReachSeconds: Double = 3
        /// ... each also this far above the line's pause level: through a codec the line's own
        /// noise can flicker past the high threshold while the noise estimate sits low, but not
        /// past the level of the line's pauses.
        public var coreAboveQuietDB: Float = 6
        /// The pause level is the median band power of the frames called quiet, digital silence
        /// (a muted or idle leg, `ChannelFeatureExtractor.digitalSilenceDB`) left out, when there
        /// are at least `minimumPauseSeconds` of them (a clip that is speech throughout has none:
        /// no such test).
        public var minimumPauseSeconds: Double = 0.5
        /// A tone frame holds at least this share of its band power in two narrow peaks.
        public var toneTonality: Float = 0.7
        /// ... at or above this frequency (call-progress tones and beeps are 350–2000 Hz; a voice's
        /// fundamental is lower) ...
        public var toneMinimumHz: Float = 300
        /// ... standing above the noise, or this far above the channel's quiet level (10th percentile) ...
        public var toneAboveQuietDB: Float = 4
        /// ... and with quiet somewhere in the this-long stretch just before or just after it
        /// (for a pure tone, at least this tonal in the middle of its run, sound this far under its
        /// level counts as quiet: a beep over a faint hold line stands alone as well as one over
        /// silence; a synthetic voice's steady vowel is 0.7-0.85 tonal) ...
        public var toneIsolationSeconds: Double = 0.05
        public var toneIsolationPureTonality: Float = 0.95
        public var toneIsolationBelowDB: Float = 30
        /// ... with no harmonic family: power above noise at 2×, 1.5×, ½ or ⅓ of the peak under
        /// this share of the peak's ...
        public var toneMaximumOvertoneRatio: Float = 0.25
        /// ... and its strongest peak stays within this many Hz (or, through a codec, flicks between
        /// the two frequencies of a dual tone, each matched within `dualToneToleranceHz`, back and
        /// forth at least `dualToneMinimumSwitches` times: a voice gliding through them passes once) ...
        public var toneFrequencyToleranceHz: Float = 40
        public var dualToneToleranceHz: Float = 20
        public var dualToneMinimumSwitches = 4
        /// ... for at least this long, or this long for a pure tone (`toneIsolationPureTonality`
        /// through the middle half of its run: a hold's short pip; no voice is that pure) with
        /// digital silence within `pureToneSilenceReachSeconds` on both sides (a muted line) ...
        public var minimumToneSeconds: Double = 0.2
        /// A keypad's key (`keypadFrames`): its two frequencies each within this fraction of the
        /// standard's (keypads send them within 1.8%: Q.23; a voice's or a chord's partials a
        /// fifth apart, 2.7% off 852 + 1209 Hz, are not a key), this share of the band's power in
        /// them (a key reads 0.95-1; a voice's two strongest harmonics, a chord's two notes 0.6-0.85),
        /// for at least this long.
        public var keypadToleranceFraction: Float = 0.02
        public var keypadTonality: Float = 0.9
        public var keypadMinimumSeconds: Double = 0.03
        public var minimumPureToneSeconds: Double = 0.1
        public var pureToneSilenceReachSeconds: Double = 0.1
        /// ... and its speech-band power stays within this range.
        public var toneLevelRangeDB: Float = 6
        /// ... or this range for a beating dual tone: one whose peak hops by `beatHopHz` or more
        /// from frame to frame in at least a third of its frames (GSM's 440 + 480 Hz ring-back
        /// swings 6.4 dB and more between frames).
        public var beatingToneLevelRangeDB: Float = 10
        public var beatHopHz: Float = 15
        /// ... or this range for an amplitude-modulated tone (Japan's 400 Hz ring-back, swung 90% at
        /// 16 Hz, dips 18 dB between 10 ms frames): one frequency held while the level turns by
        /// `toneSwingDB` or more at least `toneSwingMinimumTurns` times (after its first change of
        /// direction) within 0.17 s. A voice's
        /// level rises and falls with its syllables, a few times a second, not 30.
        public var swingingToneLevelRangeDB: Float = 24
        public var toneSwingDB: Float = 3
        public var toneSwingMinimumTurns: Int = 4
        /// Music is called where the music model's probability, averaged over the window, exceeds this.
        public var musicProbability: Float = 0.5
        /// Sounds separated by quiet gaps up to this long are judged together as one stretch ...
        public var musicRegionGapSeconds: Double = 0.3
        /// ... and a stretch shorter than this is never music: too short to judge, and a short
        /// utterance (a "hello?", a prompt) must not vanish; no hold or ringback is this short.
        public var musicMinimumStretchSeconds: Double = 3
        /// ... unless the sound (and tones) within this of it make it that long and the model is
        /// at least `musicShortStretchProbability` sure: quiet hold music on a noisy line flickers
        /// in and out of activity, and its short pieces are still music; the tail of an utterance
        /// just before music, where the music's windows bleed in, is not.
        public var musicStretchJoinSeconds: Double = 1.5
        public var musicShortStretchProbability: Float = 0.8
        /// ... stretches longer than this are split where the smoothed score crosses the threshold ...
        public var musicRegionSeconds: Double = 10
        /// ... into pieces no shorter than this.
        public var musicMinimumPieceSeconds: Double = 3
        /// The music model (see MusicMeasures); trained by scripts/train_music_model.py.
        public var musicModel = MusicModel.trained
        /// Width of the window each music measure is taken over ...
        public var musicWindowSeconds: Double = 1.0
        /// ... and of the moving average then applied to it.
        public var musicSmoothingSeconds: Double = 2.0
        /// Gaps in speech shorter than this are bridged (pauses inside a phrase) ...
        public var bridgeGapSeconds: Double = 0.45
        /// ... but before a segment's first core and after its last, a run without a core frame
        /// joins it only across gaps up to this (a weak onset or decay touches its syllable; line
        /// noise flickering over the low threshold, as through a codec, comes and goes) ...
        public var edgeGapSeconds: Double = 0.05
        /// ... and reaches at most this far from the audible runs and cores (a syllable's weak
        /// onset or decay, not a line's noise stepping up as the call connects) ...
        public var edgeChainReachSeconds: Double = 0.3
        /// ... as may sound this far under the segment's loudest frame, inside its runs ...
        public var edgeBelowLoudestDB: Float = 30
        /// ... unless it rises this far above the line's pause level (see `minimumPauseSeconds`).
        public var edgeAboveQuietDB: Float = 4
        /// Between two cores, this long or longer with no weak run that rises clear of the pause
        /// level is a pause, not speech, however densely the line's noise flickers over the low
        /// threshold in it (GSM noise bridged a customer's turns across the agent's).
        public var splitPauseSeconds: Double = 2
        /// Speech bursts shorter than this are dropped (clicks, breaths).
        public var minimumSpeechSeconds: Double = 0.1
        /// Padding added at both ends of each speech segment (weak onsets and decays).
        public var paddingSeconds: Double = 0.02

        public init() {}
    }

    /// Per-frame labels of what is on a channel.
    /// `keypad`: a key's tones (DTMF), neither a party's words nor a line's noise nor a hold's beep.
    public enum FrameClass: UInt8, Sendable { case quiet = 0, speech, tone, music, keypad }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// Labels every frame.
    /// - Complexity: O(frames).
    public func classify(_ features: ChannelFeatures) -> [FrameClass] { classifyScoring(features).labels }

    /// Labels every frame, with the music model's probability per frame (0 where nothing plays or a
    /// tone does): how sure a music decision is, for detectors that need positive evidence.
    public func classifyScoring(_ features: ChannelFeatures) -> (labels: [FrameClass], musicProbability: [Float]) {
        let c = configuration
        let n = features.frameCount
        var labels = [FrameClass](repeating: .quiet, count: n)
        var active = [Bool](repeating: false, count: n)
        for f in 0..<n {
            active[f] = features.divergenceDB[f] >= c.activeDivergenceDB
                && features.bandPowerDB[f] >= c.minimumBandPowerDBov
        }
        // A tone playing from the very start is learned as noise at first (a steady tone and a
        // steady noise look alike to a running estimate), so tones may also stand out from the
        // channel's quiet level, taken over the whole call.
        let quietDB = DecibelQuantile.of(features.bandPowerDB, fraction: 0.1) ?? 0
        let audible = (0..<n).map { f in
            active[f] || (features.bandPowerDB[f] >= quietDB + c.toneAboveQuietDB && features.bandPowerDB[f] >= c.minimumBandPowerDBov)
        }
        var tone = toneFrames(features, active: audible)
        // Call-progress tones and beeps stand alone on the line: a steady stretch with sound right
        // before and after it is a held vowel or a note inside speech or music, not a tone.
        let edge = features.grid.frames(inSeconds: c.toneIsolationSeconds)
        for run in Self.runs(of: tone, joiningGapsUpTo: 0) {
            let before = max(0, run.start - edge)..<run.start
            let after = run.end..<min(n, run.end + edge)
            let pure = Self.isPureTone(features, run.start..<run.end, tonality: c.toneIsolationPureTonality)
            let faintDB = pure ? features.bandPowerDB[run.start + run.count / 2] - c.toneIsolationBelowDB : -.infinity
            func sound(_ f: Int) -> Bool { active[f] && features.bandPowerDB[f] > faintDB }
            let soundBefore = !before.isEmpty && before.allSatisfy(sound)
            let soundAfter = !after.isEmpty && after.allSatisfy(sound)
            if soundBefore && soundAfter {
                for f in run.start..<run.end { tone[f] = false }
            }
        }
        let keypad = keypadFrames(features, audible: audible)
        for f in 0..<n where keypad[f] { tone[f] = false }
        let (music, probability) = musicFrames(features, active: active, tone: tone)
        for f in 0..<n where active[f] || tone[f] || keypad[f] {
            labels[f] = keypad[f] ? .keypad : tone[f] ? .tone : (music[f] ? .music : .speech)
        }
        return (labels, probability)
    }

    /// The window measures behind the music decision, `MusicMeasures.featureCount` per frame
    /// (for detector development and model training).
    public func musicMeasures(_ features: ChannelFeatures) -> [Float] {
        let c = configuration
        let active = (0..<features.frameCount).map {
            features.divergenceDB[$0] >= c.activeDivergenceDB && features.bandPowerDB[$0] >= c.minimumBandPowerDBov
        }
        return MusicMeasures(
            features: features, active: active, halfWindow: features.grid.frames(inSeconds: c.musicWindowSeconds) / 2,
            smoothingHalfWindow: features.grid.frames(inSeconds: c.musicSmoothingSeconds) / 2).values
    }

    /// Maximal runs of true, with false gaps of at most `gap` frames joined into them.
    static func runs(of mask: [Bool], joiningGapsUpTo gap: Int) -> [FrameRange] {
        var out: [FrameRange] = []
        var f = 0
        while f < mask.count {
            guard mask[f] else { f += 1; continue }
            var end = f + 1
            while end < mask.count && mask[end] { end += 1 }
            if let last = out.last, f - last.end <= gap {
                out[out.count - 1] = FrameRange(start: last.start, end: end)
            } else {
                out.append(FrameRange(start: f, end: end))
            }
            f = end
        }
        return out
    }
}
