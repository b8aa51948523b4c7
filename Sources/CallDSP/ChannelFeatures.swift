/// Per-frame features of one channel, in flat arrays indexed by `frameIndex` (one frame per hop).
/// This is all that is kept of a call's audio: about 40 bytes per 10 ms.
public struct ChannelFeatures: Sendable {
    public let grid: FrameGrid
    /// Power in the telephone speech band (200–3400 Hz), dB re full-scale mean square.
    public var bandPowerDB: [Float] = []
    /// Share of the band's power in its two strongest narrow peaks: near 1 for tones.
    public var tonality: [Float] = []
    /// Frequency of the strongest peak in the band.
    public var dominantHz: [Float] = []
    /// Frequency of the second strongest peak in the band (0 where there is none): with
    /// `dominantHz`, the two halves of a dual tone such as a keypad's.
    public var secondHz: [Float] = []
    /// Power at the harmonics related to the strongest peak (2×, 1.5×, ½, ⅓ of it) over the peak's
    /// own: near 0 for a pure tone, large for a voice or an instrument.
    public var overtoneRatio: [Float] = []
    /// Spectral flatness of the band (geometric over arithmetic mean): near 1 for white noise.
    public var flatness: [Float] = []
    /// Mean absolute change of the band's log spectrum since the previous frame, in dB.
    public var fluxDB: [Float] = []
    /// Share of the band's power in spectral peaks that have stood still for 150 ms: sustained
    /// notes in music score high; speech harmonics glide and score low.
    public var persistence: [Float] = []
    /// How far the band's spectrum stands above the tracked noise spectrum, in dB (mean of
    /// per-bin power ratios): about 2 dB on noise alone, far more where anything is playing.
    public var divergenceDB: [Float] = []
    /// Power in the vowel band (300–2000 Hz), dB: syllable nuclei are its peaks.
    public var vowelBandDB: [Float] = []
    /// Syllabic envelope, dB of power: how much energy the 14 mel-like bands from 250 to 2500 Hz
    /// carry together, sustained over the last `syllabicWindowFrames` frames (the sub-band temporal
    /// and cross-band correlation of Wang & Narayanan, 2007). A vowel fills many bands for several
    /// frames at once; a consonant, a burst or a noise flicker does not, so syllable nuclei stand
    /// out with deeper dips between them than in the plain band power. The bands span the vowels'
    /// first two formants and leave out a nasal's murmur (under 250 Hz, also what telephone lines
    /// cut) and most of a sibilant's hiss (above 2.5 kHz). Frame f holds the window ending at f:
    /// the envelope centred on f is at f + `syllabicLagFrames`.
    public var syllabicDB: [Float] = []
    public static let syllabicWindowFrames = 5
    public static var syllabicLagFrames: Int { syllabicWindowFrames / 2 }
    public static let syllabicLowHz = 250.0
    public static let syllabicHighHz = 2500.0
    public static let syllabicBandCount = 14
    /// Music's tuning as evidence (`NoteGrid`): how well the notes that started in the 3 s before
    /// frame `NoteGrid.stepFrames · i` sit on one semitone grid; 1 and above is music. One value per
    /// step of `noteGridStepFrames` frames.
    public var noteGrid: [Float] = []
    public static var noteGridStepFrames: Int { NoteGrid.stepFrames }
    /// F0 of voiced frames (YIN), 0 where unvoiced or quiet.
    public var f0Hz: [Float] = []
    /// Spectral envelope of each frame: cepstral coefficients 1…`cepstrumCount` of 16 log band
    /// energies on a mel-like scale over the speech band, row-major. Tells voices apart on mono calls
    /// (12 rather than 8: with the envelope whitened by its own variation inside a chunk, the finer
    /// detail of 9…12 separates voices on real calls as well).
    public var cepstra: [Float] = []
    public static let cepstrumCount = 12
    /// P.56 envelope summary and energy of each hop.
    public var levelSummaries: [ActiveSpeechLevelMeter.FrameSummary] = []
    /// Samples in the last hop (the stream may end inside it); every other hop has `grid.hopLength`.
    public var finalHopSampleCount: Int
    /// Half-second blocks' mains hum (`HumMeter`).
    public var humBlocks: [HumBlock] = []
    public var clippedRunCount = 0
    public var clippedSampleCount = 0
    /// Samples consumed.
    public var sampleCount = 0

    public init(grid: FrameGrid) { self.grid = grid; finalHopSampleCount = grid.hopLength }

    public var frameCount: Int { bandPowerDB.count }

    /// Samples in hop `frameIndex`.
    public func hopSampleCount(_ frameIndex: Int) -> Int {
        frameIndex == levelSummaries.count - 1 ? finalHopSampleCount : grid.hopLength
    }

    /// Mean square of hop `frameIndex`, from the level meter's summary.
    public func hopPower(_ frameIndex: Int) -> Float {
        let n = hopSampleCount(frameIndex)
        return n > 0 ? levelSummaries[frameIndex].sumOfSquares / Float(n) : 0
    }

    /// P.56 active level over the hops in `ranges` (`ActiveSpeechLevelMeter.measure`).
    public func activeLevel(ranges: [FrameRange], noisePower: Double = 0) -> ActiveLevel? {
        levelSummaries.withUnsafeBufferPointer {
            ActiveSpeechLevelMeter.measure($0, samplesPerHop: grid.hopLength, finalHopSamples: finalHopSampleCount,
                                           ranges: ranges, noisePower: noisePower)
        }
    }

    mutating func reserve(frames: Int) {
        bandPowerDB.reserveCapacity(frames)
        tonality.reserveCapacity(frames)
        dominantHz.reserveCapacity(frames)
        secondHz.reserveCapacity(frames)
        overtoneRatio.reserveCapacity(frames)
        flatness.reserveCapacity(frames)
        fluxDB.reserveCapacity(frames)
        persistence.reserveCapacity(frames)
        divergenceDB.reserveCapacity(frames)
        levelSummaries.reserveCapacity(frames)
        vowelBandDB.reserveCapacity(frames)
        syllabicDB.reserveCapacity(frames)
        f0Hz.reserveCapacity(frames)
    }
}
