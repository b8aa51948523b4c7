public import CallDSP
import Foundation

/// How a party speaks: speech rate from syllable nuclei, pitch and its spread. In Mandarin one
/// character is one syllable, so nuclei per minute of talk are characters per minute, with no
/// speech recognition.
public struct SpeakingMeasures: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// The syllabic envelope (`ChannelFeatures.syllabicDB`) is smoothed with a Gaussian of this
        /// σ, in frames of 10 ms ...
        public var smoothingSigmaFrames: Float = 1
        /// ... and a nucleus is a peak of it above the party's loudest level (99th percentile of
        /// its speech frames) minus this, above the channel's median level (speech and silence, as
        /// de Jong & Wempe), and no more than `nucleusBelowMedianSpeechDB` under the median of the
        /// party's speech frames ...
        public var nucleusBelowLoudestDB: Float = 20
        public var nucleusBelowMedianSpeechDB: Float = 3
        /// ... with a dip of at least this much since the previous nucleus (else the two are one
        /// syllable), as de Jong & Wempe (2009) but on the syllabic envelope and inside our own
        /// segments. Chosen on one AISHELL speaker (S0150) and our synthetic calls; the other
        /// speaker (S0252) is the check.
        public var nucleusDipDB: Float = 2.75
        /// ... or, where the envelope barely dips, a dip of at least this much in the vowel band
        /// (300–2000 Hz, smoothed with σ `vowelSmoothingSigmaFrames`) between two peaks at least
        /// `minimumNucleusSpacingFrames` apart: a nasal or liquid between two vowels (饭店, 里面)
        /// keeps the overall level up but not the vowel band's.
        public var vowelBandDipDB: Float = 5
        public var vowelSmoothingSigmaFrames: Float = 1.5
        public var minimumNucleusSpacingFrames = 8
        /// Fast and reverberant speech fills the dips between vowels, so nuclei undercount it; the
        /// pace of the vowel-band envelope does not depend on the dips. Its modulation centroid
        /// (2–10 Hz, `SyllabicPace`) gives a second estimate, syllables per second spoken =
        /// intercept + slope × centroid Hz; from `paceMinimumPerSecond` the larger count is reported. Fitted
        /// by scripts/fit_pace.py on the tuning split of real Mandarin and espeak clips (weighted
        /// 0.3: people are the target); slope 0 turns it off.
        public var paceRateInterceptPerSecond: Float = -2.951
        public var paceRateSlope: Float = 1.699
        /// The pace estimate needs at least this much speaking (a window and a half of its 2.56 s
        /// analysis: one window's centroid swings with a few syllables).
        public var paceMinimumSpeakingSeconds: Double = 3.84
        /// From this many syllables per second nuclei merge and undercount, so the larger count
        /// wins. Below it the two are roughly unbiased readings of one rate whose errors are only
        /// partly shared (tuning split of real read Mandarin: nuclei +1.8% ± 7.5%, pace +2.6% ±
        /// 9.7%, correlation 0.42), so they are averaged with the least-variance weight,
        /// `paceBlendNucleusWeight` on the nuclei (0.72, rounded); 1 keeps the nuclei alone.
        /// Two readings this far apart (three standard deviations of their difference on that
        /// split, 9.4%) are not one rate read twice: the pace has left its range (slow speech, 2
        /// per second, can read 3.8 from its centroid), and the nuclei stand alone.
        public var paceMinimumPerSecond: Float = 4
        public var paceBlendNucleusWeight: Float = 0.7
        public var paceBlendMaximumDisagreement: Float = 0.28
        /// Talk time is the party's speech with pauses shorter than this inside it: a breath or a
        /// comma is part of talking (and of the rate's denominator), a longer silence is not.
        public var pauseInTalkSeconds: Double = 0.5
        /// Intonation spread is the 10th-to-90th percentile range of F0 in semitones; below this the
        /// agent is flagged monotone (R6). Real read Mandarin measured 3.2–8.0 (10th–90th percentile
        /// over 40 AISHELL recordings); a flat voice stays under 2.5.
        public var monotoneSpreadSemitones: Double = 2.5
        /// Frames of F0 a party needs before its pitch is reported.
        public var minimumVoicedFrames = 50

        public init() {}
    }

    public struct Result: Sendable, Equatable {
        public var syllables: Int
        /// The party's speech plus the short pauses inside it (`pauseInTalkSeconds`).
        public var talkSeconds: Double
        public var charsPerMinute: Double?
        public var medianF0Hz: Double?
        public var pitchSpreadSemitones: Double?
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// A channel's smoothed levels and median, made once and shared by every party measured on
    /// it (a mono call measures agent, customer and the whole channel).
    public struct Levels: Sendable {
        let band: [Float]
        let vowel: [Float]
        let channelMedianDB: Float
    }

    /// - Complexity: O(frames).
    public func levels(_ features: ChannelFeatures) -> Levels {
        // The envelope is stored at the end of its window; centre it on its frames.
        let lag = ChannelFeatures.syllabicLagFrames, raw = features.syllabicDB
        let centred = raw.indices.map { raw[min(raw.count - 1, $0 + lag)] }
        let band = smoothed(centred, sigma: configuration.smoothingSigmaFrames)
        return Levels(band: band, vowel: smoothed(features.vowelBandDB, sigma: configuration.vowelSmoothingSigmaFrames),
                      channelMedianDB: DecibelQuantile.of(band, fraction: 0.5) ?? 0)
    }

    /// - Complexity: O(frames in `speech`).
    /// - Parameter labels: the speech detector's frame labels; with them the pace is measured over
    ///   speech frames only (not the bridged pauses).
    public func measure(
        _ features: ChannelFeatures, speech: [FrameRange], levels channel: Levels, labels: [SpeechDetector.FrameClass]? = nil
    ) -> Result {
        let c = configuration
        let n = features.frameCount
        let ranges = speech.map { max(0, $0.start)..<min(n, $0.end) }.filter { $0.count >= 3 }
        let talkFrames = Self.talkFrames(speech, pauseFrames: features.grid.frames(inSeconds: c.pauseInTalkSeconds))
        let smooth = channel.band, vowel = channel.vowel
        var levels: [Float] = []
        var pitches: [Float] = []
        for r in ranges {
            levels += smooth[r]
            for f in r where features.f0Hz[f] > 0 { pitches.append(features.f0Hz[f]) }
        }
        var syllables = 0
        if !levels.isEmpty {
            let loud = DecibelQuantile.of(levels, fraction: 0.99) ?? 0
            let speechMedian = DecibelQuantile.of(levels, fraction: 0.5) ?? 0
            let channelMedian = channel.channelMedianDB
            let threshold = max(loud - c.nucleusBelowLoudestDB, channelMedian, speechMedian - c.nucleusBelowMedianSpeechDB)
            for r in ranges { syllables += nuclei(smooth, vowel: vowel, r, threshold: threshold).count }
        }
        let talkSeconds = Double(talkFrames) * features.grid.hopSeconds
        if c.paceRateSlope != 0, let pace = SyllabicPace.centroidHz(
            features.vowelBandDB, ranges: ranges, labels: labels, hopSeconds: features.grid.hopSeconds,
            minimumFrames: features.grid.frames(inSeconds: c.paceMinimumSpeakingSeconds)) {
            let perSecond = c.paceRateInterceptPerSecond + c.paceRateSlope * pace.hz
            let speakingSeconds = Double(pace.frames) * features.grid.hopSeconds
            syllables = combined(nuclei: syllables, pace: Double(perSecond) * speakingSeconds, pacePerSecond: perSecond)
        }
        var result = Result(syllables: syllables, talkSeconds: talkSeconds, charsPerMinute: nil, medianF0Hz: nil, pitchSpreadSemitones: nil)
        if talkSeconds > 0 { result.charsPerMinute = Double(syllables) / talkSeconds * 60 }
        if pitches.count >= c.minimumVoicedFrames {
            pitches.sort()
            let median = Double(pitches[pitches.count / 2])
            result.medianF0Hz = median
            // Semitones from the median, with octave errors (a tracker's classic slip, common in
            // noise) folded back: a voice rarely strays more than 9 semitones from its median.
            var semitones = pitches.map { f -> Double in
                var st = 12 * log2(Double(f) / median)
                while st > 9 { st -= 12 }
                while st < -9 { st += 12 }
                return st
            }
            semitones.sort()
            func q(_ p: Double) -> Double { semitones[min(semitones.count - 1, Int(Double(semitones.count) * p))] }
            result.pitchSpreadSemitones = q(0.9) - q(0.1)
        }
        return result
    }

    /// The syllable count from the nuclei and the pace's count: the larger where speech is fast
    /// (nuclei merge), their weighted mean where the two agree, else the nuclei.
    func combined(nuclei: Int, pace: Double, pacePerSecond: Float) -> Int {
        let c = configuration
        if pacePerSecond >= c.paceMinimumPerSecond { return max(nuclei, Int(pace.rounded())) }
        guard abs(pace / Double(max(nuclei, 1)) - 1) <= Double(c.paceBlendMaximumDisagreement) else { return nuclei }
        let w = Double(c.paceBlendNucleusWeight)
        return Int((w * Double(nuclei) + (1 - w) * pace).rounded())
    }

    /// Frames of speech plus the pauses of at most `pauseFrames` between its ranges.
    static func talkFrames(_ speech: [FrameRange], pauseFrames: Int) -> Int {
        var total = 0
        var current: FrameRange?
        for r in speech.sorted(by: { $0.start < $1.start }) where r.end > r.start {
            if var open = current, r.start - open.end <= pauseFrames {
                open.end = max(open.end, r.end)
                current = open
            } else {
                total += current?.count ?? 0
                current = r
            }
        }
        return total + (current?.count ?? 0)
    }

    func smoothed(_ x: [Float], sigma: Float) -> [Float] {
        let radius = Int((3 * sigma).rounded(.up))
        let kernel = (-radius...radius).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        var out = [Float](repeating: 0, count: x.count)
        for i in x.indices {
            var sum: Float = 0, weight: Float = 0
            for (j, k) in kernel.enumerated() {
                let t = i + j - radius
                guard t >= 0 && t < x.count else { continue }
                sum += k * x[t]; weight += k
            }
            out[i] = weight > 0 ? sum / weight : 0
        }
        return out
    }

    /// Frame indices of syllable nuclei in one utterance: peaks above `threshold`, each with a
    /// dip of `nucleusDipDB` since the previous one, or a vowel-band dip of `vowelBandDipDB`.
    func nuclei(_ level: [Float], vowel: [Float], _ range: Range<Int>, threshold: Float) -> [Int] {
        let c = configuration
        var accepted: [Int] = []
        guard range.count >= 3 else { return [] }
        for f in (range.lowerBound + 1)..<(range.upperBound - 1)
        where level[f] > level[f - 1] && level[f] >= level[f + 1] && level[f] > threshold {
            if let last = accepted.last, level[last...f].min()! > level[f] - c.nucleusDipDB {
                let vowelDip = min(vowel[last], vowel[f]) - vowel[last...f].min()!
                guard vowelDip >= c.vowelBandDipDB && f - last >= c.minimumNucleusSpacingFrames else { continue }
            }
            accepted.append(f)
        }
        return accepted
    }
}
