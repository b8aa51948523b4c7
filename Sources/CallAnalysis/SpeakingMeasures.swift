public import CallDSP
import Foundation

/// How a party speaks: speech rate from syllable nuclei, pitch and its spread. In Mandarin one
/// character is one syllable, so nuclei per minute of talk are characters per minute, with no
/// speech recognition.
public struct SpeakingMeasures: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// Moving average over the vowel-band (300–2000 Hz) level before peak picking, in frames of 10 ms.
        public var smoothingFrames = 4
        /// A nucleus is a peak of that level no more than this far below its utterance's loudest ...
        public var nucleusBelowPeakDB: Float = 20
        /// ... voiced (F0 found) within this many frames of it ...
        public var voicedWithinFrames = 2
        /// ... with a dip of at least this much between it and the previous nucleus (else the two
        /// are one syllable and the louder stands).
        public var nucleusDipDB: Float = 2.5
        /// Intonation spread is the 10th-to-90th percentile range of F0 in semitones; below this the
        /// party is flagged monotone (R6). Read Mandarin spans 6–12 semitones; a flat voice 2–3.
        public var monotoneSpreadSemitones: Double = 3
        /// Frames of F0 a party needs before its pitch is reported.
        public var minimumVoicedFrames = 50

        public init() {}
    }

    public struct Result: Sendable, Equatable {
        public var syllables: Int
        public var charsPerMinute: Double?
        public var medianF0Hz: Double?
        public var pitchSpreadSemitones: Double?
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// - Complexity: O(frames in `speech`).
    public func measure(_ features: ChannelFeatures, speech: [FrameRange]) -> Result {
        let c = configuration
        let n = features.frameCount
        var talkFrames = 0
        var syllables = 0
        var pitches: [Float] = []
        for r in speech {
            let lo = max(0, r.start), hi = min(n, r.end)
            guard hi - lo >= 3 else { continue }
            talkFrames += hi - lo
            syllables += nuclei(features, lo..<hi).count
            for f in lo..<hi where features.f0Hz[f] > 0 { pitches.append(features.f0Hz[f]) }
        }
        let talkSeconds = Double(talkFrames) * features.grid.hopSeconds
        var result = Result(syllables: syllables, charsPerMinute: nil, medianF0Hz: nil, pitchSpreadSemitones: nil)
        if talkSeconds > 0 { result.charsPerMinute = Double(syllables) / talkSeconds * 60 }
        if pitches.count >= c.minimumVoicedFrames {
            pitches.sort()
            func q(_ p: Double) -> Double { Double(pitches[min(pitches.count - 1, Int(Double(pitches.count) * p))]) }
            result.medianF0Hz = q(0.5)
            result.pitchSpreadSemitones = 12 * log2(q(0.9) / q(0.1))
        }
        return result
    }

    /// Frame indices of syllable nuclei in one utterance.
    func nuclei(_ features: ChannelFeatures, _ range: Range<Int>) -> [Int] {
        let c = configuration
        let level = features.vowelBandDB
        // Centred moving average of the vowel-band level.
        let half = c.smoothingFrames / 2
        var smooth = [Float](repeating: 0, count: range.count)
        for (i, f) in range.enumerated() {
            let a = max(range.lowerBound, f - half), b = min(range.upperBound, f - half + c.smoothingFrames)
            var sum: Float = 0
            for g in a..<b { sum += level[g] }
            smooth[i] = sum / Float(b - a)
        }
        let top = smooth.max() ?? 0
        var accepted: [Int] = []
        for i in 1..<(smooth.count - 1) where smooth[i] >= smooth[i - 1] && smooth[i] > smooth[i + 1] && smooth[i] >= top - c.nucleusBelowPeakDB {
            let f = range.lowerBound + i
            let voiced = (max(range.lowerBound, f - c.voicedWithinFrames)...min(range.upperBound - 1, f + c.voicedWithinFrames))
                .contains { features.f0Hz[$0] > 0 }
            guard voiced else { continue }
            if let last = accepted.last {
                let dip = smooth[last...i].min()!
                if smooth[last] - dip < c.nucleusDipDB || smooth[i] - dip < c.nucleusDipDB {
                    if smooth[i] > smooth[last] { accepted[accepted.count - 1] = i }
                    continue
                }
            }
            accepted.append(i)
        }
        return accepted.map { range.lowerBound + $0 }
    }
}
