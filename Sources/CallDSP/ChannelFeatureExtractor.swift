import Foundation

/// Streams one channel's samples and keeps per-frame features: one FFT per hop, the P.56 envelope
/// and clipping per sample. Owns all of its buffers (nothing is allocated per frame), so one
/// extractor per channel per call; not Sendable because it owns an FFTW plan.
public final class ChannelFeatureExtractor {
    public static let bandLowHz = 200.0
    public static let bandHighHz = 3400.0
    /// A peak counts as "standing still" when it was a peak this many hops ago, and half as many.
    static let persistenceHops = 15

    public let grid: FrameGrid
    let fft: RealFFT
    let hum: HumMeter
    let pitch: PitchTracker
    let noteGrid: NoteGrid
    let vowelLow: Int, vowelHigh: Int
    /// Mel-like band edges (bins) and the DCT that turns their log energies into cepstra.
    let melEdges: [Int]
    /// Mel-like band edges (bins) of the syllabic envelope, and each band's mean power over the last
    /// `syllabicWindowFrames` frames (a ring of rows of `syllabicStride` bands, the unused ones
    /// zero), in Double: the envelope multiplies four powers together.
    let syllabicEdges: [Int]
    let bandRing: UnsafeMutablePointer<Double>
    var bandRingRow = 0
    static let syllabicStride = 16
    let dct: [Float]
    var melLog: [Float]
    let window: [Float]
    var history: [Float]  // ring of the last frameLength samples
    var historyWrite = 0
    var samplesSinceFrame = 0
    var meter: ActiveSpeechLevelMeter
    var clips = ClipDetector()
    var hopFill = 0
    /// The channel's DC offset (a recorder's analog input often has one), followed slowly from hop
    /// means and taken out of what the level meter sees: otherwise it reads as line noise and
    /// drags the SNR down (an offset of 0.05 is noise at −26 dBov). Clipping still sees the raw
    /// samples; the spectrum's band starts far above 0 Hz.
    var dcOffset: Float = 0
    var hopSum: Float = 0
    var hopsSeen = 0
    let centred: UnsafeMutablePointer<Float>
    static let dcFollowPerHop: Float = 0.002
    static let dcSignificant: Float = 1e-3
    var features: ChannelFeatures

    let bandLow: Int, bandHigh: Int
    // Per-bin scratch, allocated once: the per-frame loops touch them ~100 times a frame and
    // run faster on plain pointers than through array accessors and closures.
    let power: UnsafeMutablePointer<Float>
    let previousLogPower: UnsafeMutablePointer<Float>
    /// persistenceHops+1 rows of peak flags, one bit per bin, `peakWords` words per row.
    let peakHistory: UnsafeMutablePointer<UInt64>
    let peakWords: Int
    var peakHistoryRow = 0
    let powerScale: Float
    /// Per-bin noise estimate: the minimum of a smoothed periodogram, allowed to rise slowly.
    let smoothedPower: UnsafeMutablePointer<Float>
    /// Per-bin minima of the smoothed power over the last `minimumRows` sub-windows, and the
    /// minimum of the sub-window in progress.
    let recentMinimum: UnsafeMutablePointer<Float>
    let currentMinimum: UnsafeMutablePointer<Float>
    let recentRowsMinimum: UnsafeMutablePointer<Float>
    static let framesPerMinimumRow = 25
    static let minimumRows = 8
    let noisePower: UnsafeMutablePointer<Float>
    var framesSeen = 0
    let warmUpFrames: Int
    /// A leg alive again after digital silence (the far end connecting, a mute ending) is a new
    /// line: its noise is learned afresh from frame `warmUpFrom`.
    var warmUpFrom = 0
    var digitallySilentFrames = 0
    /// Band power under which a frame is digital silence (a muted or idle leg), here and downstream.
    public static let digitalSilenceDB: Float = -85
    static let revivalSilenceFrames = 50
    /// Spectral flatness under which a quiet frame is taken as peaky (tones, notes), not noise.
    static let peakySpectrumFlatness: Float = 0.05
    /// The first 1.5 s, measured again once the noise is known (speech from the first sample).
    var opening: OpeningRevisit
    /// Noise may rise by this factor per hop (about 1 dB/s) so a louder line is learned in seconds
    /// while a long utterance barely lifts it.
    let noiseRisePerHop: Float
    /// On audio from a perceptual codec the estimate falls at most this much a hop (0: no limit).
    /// MP3, Vorbis and Opus at telephone bitrates thin quiet line noise in some bins for a tenth of
    /// a second or more; followed at once, those dips left the estimate several dB low for many
    /// seconds (it rises 1 dB/s), and the returning noise read as sound: phantom holds, talk and
    /// interruptions. On PCM recordings the estimate follows the noise's brief dips between
    /// sounds, as the 1.6 bias below assumes; limiting it there loses weak speech.
    let noiseFallPerHop: Float
    /// After a frame this far above the estimate (plainly sound) it does not fall: through GSM a
    /// ring-back took 6–8 dB out of the noise at 2–3.4 kHz (the codec spends its bits on the tone),
    /// and the estimate, following, left the next 4 s of plain noise reading as sound.
    let soundHoldsNoiseDivergenceDB: Float
    /// The minimum of a smoothed periodogram sits ~2 dB under the noise mean.
    static let noiseBias: Float = 1.6

    /// Whether each frame's cepstra are kept (only mono calls need them, to tell voices apart).
    public let keepsCepstra: Bool
    /// Frames at or above both are surely sound to the caller's speech detector: the hum, read
    /// only where the line alone plays, is not measured on blocks with such a frame.
    let surelySound: (divergenceDB: Float, bandPowerDBov: Float)?

    /// - Parameter noiseFallDBPerSecond: the most the noise estimate may fall, for audio from a
    ///   perceptual codec; nil for no limit.
    /// - Parameter soundHoldsNoiseDivergenceDB: after a frame at least this far above the noise
    ///   estimate, the estimate does not fall; nil to let it follow every dip.
    /// - Parameter surelySound: the divergence and band power from which the caller's detector
    ///   always calls a frame sound (its line-hum measure then skips the block); nil to measure
    ///   hum on every block.
    public init(grid: FrameGrid, planner: FFTPlanner, expectedFrames: Int = 0, keepsCepstra: Bool = false,
                noiseFallDBPerSecond: Float? = nil, soundHoldsNoiseDivergenceDB: Float? = nil,
                surelySound: (divergenceDB: Float, bandPowerDBov: Float)? = nil) {
        self.keepsCepstra = keepsCepstra
        self.surelySound = surelySound
        self.grid = grid
        fft = RealFFT(size: grid.frameLength, planner: planner)
        pitch = PitchTracker(frameLength: grid.frameLength, sampleRateHz: grid.sampleRateHz, planner: planner)
        hum = HumMeter(sampleRateHz: Int(grid.sampleRateHz), planner: planner)
        noteGrid = NoteGrid(sampleRateHz: grid.sampleRateHz, hopSeconds: grid.hopSeconds, planner: planner)
        vowelLow = grid.bin(ofHz: 300)
        vowelHigh = grid.bin(ofHz: 2000)
        let bands = 16
        func mel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
        func hz(_ m: Double) -> Double { 700 * (pow(10, m / 2595) - 1) }
        let lowMel = mel(Self.bandLowHz), highMel = mel(Self.bandHighHz)
        melEdges = (0...bands).map { grid.bin(ofHz: hz(lowMel + (highMel - lowMel) * Double($0) / Double(bands))) }
        let syllabicBands = ChannelFeatures.syllabicBandCount
        let lowSyllabic = mel(ChannelFeatures.syllabicLowHz), highSyllabic = mel(ChannelFeatures.syllabicHighHz)
        syllabicEdges = (0...syllabicBands).map {
            grid.bin(ofHz: hz(lowSyllabic + (highSyllabic - lowSyllabic) * Double($0) / Double(syllabicBands)))
        }
        let k = ChannelFeatures.cepstrumCount
        dct = (0..<(k * bands)).map { i in
            let c = i / bands + 1, b = i % bands
            return Float(cos(Double.pi * Double(c) * (Double(b) + 0.5) / Double(bands)) * (2 / Double(bands)))
        }
        melLog = [Float](repeating: 0, count: bands)
        let n = grid.frameLength
        window = (0..<n).map { 0.5 - 0.5 * cosf(2 * .pi * Float($0) / Float(n)) }
        history = Array(repeating: 0, count: n)
        meter = ActiveSpeechLevelMeter(sampleRateHz: grid.sampleRateHz)
        features = ChannelFeatures(grid: grid)
        features.reserve(frames: expectedFrames)
        // Mono calls keep 12 cepstra a frame: reserved too, or an hour's would double past need.
        if keepsCepstra { features.cepstra.reserveCapacity(expectedFrames * ChannelFeatures.cepstrumCount) }
        bandLow = max(1, grid.bin(ofHz: Self.bandLowHz))
        bandHigh = min(grid.binCount - 2, grid.bin(ofHz: Self.bandHighHz))
        func floats(_ value: Float) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: grid.binCount)
            p.initialize(repeating: value, count: grid.binCount)
            return p
        }
        power = floats(0)
        centred = .allocate(capacity: grid.hopLength)
        centred.initialize(repeating: 0, count: grid.hopLength)
        previousLogPower = floats(-100)
        smoothedPower = floats(0)
        noisePower = floats(0)
        currentMinimum = floats(.greatestFiniteMagnitude)
        recentRowsMinimum = floats(.greatestFiniteMagnitude)
        recentMinimum = .allocate(capacity: Self.minimumRows * grid.binCount)
        recentMinimum.initialize(repeating: .greatestFiniteMagnitude, count: Self.minimumRows * grid.binCount)
        peakWords = grid.binCount / 64 + 3
        peakHistory = .allocate(capacity: (Self.persistenceHops + 1) * peakWords)
        peakHistory.initialize(repeating: 0, count: (Self.persistenceHops + 1) * peakWords)
        precondition(syllabicBands <= Self.syllabicStride)
        bandRing = .allocate(capacity: ChannelFeatures.syllabicWindowFrames * Self.syllabicStride)
        bandRing.initialize(repeating: 0, count: ChannelFeatures.syllabicWindowFrames * Self.syllabicStride)
        warmUpFrames = grid.frames(inSeconds: 0.25)
        opening = OpeningRevisit(frames: grid.frames(inSeconds: 1.5))
        noiseRisePerHop = powf(10, Float(grid.hopSeconds) * 1.0 / 10)
        noiseFallPerHop = noiseFallDBPerSecond.map { powf(10, -Float(grid.hopSeconds) * $0 / 10) } ?? 0
        self.soundHoldsNoiseDivergenceDB = soundHoldsNoiseDivergenceDB ?? .infinity
        // Hann window: mean square of a band = 16/(3 n²) · Σ|X|² (a full-scale sine reads 0.5).
        powerScale = 16 / (3 * Float(n) * Float(n))
        // Centre frame f's window on hop f: pre-roll half a window less half a hop of zeros.
        let preroll = (n - grid.hopLength) / 2
        historyWrite = preroll % n
        primed = preroll
        samplesSinceFrame = 0
    }

    deinit {
        power.deallocate(); previousLogPower.deallocate(); smoothedPower.deallocate(); centred.deallocate()
        noisePower.deallocate(); peakHistory.deallocate(); recentMinimum.deallocate(); currentMinimum.deallocate()
        recentRowsMinimum.deallocate(); bandRing.deallocate()
    }
    /// Samples (including the zero pre-roll) in the window so far; frames start once it is full.
    var primed: Int

    /// Feeds the next block of this channel's samples.
    /// - Complexity: O(n + (n / hop) · frameLength log frameLength).
    public func consume(_ samples: UnsafeBufferPointer<Float>) {
        var start = 0
        while start < samples.count {
            // Level meter and clip detector run on exact hop boundaries.
            let take = min(grid.hopLength - hopFill, samples.count - start)
            let chunk = UnsafeBufferPointer(rebasing: samples[start..<(start + take)])
            hopSum += sum4(chunk)
            // An offset under −60 dBov is far below any line's noise: left alone, so a clean
            // recording's digital silence stays exact zeros.
            if abs(dcOffset) >= Self.dcSignificant {
                let offset = dcOffset
                for i in 0..<take { centred[i] = chunk[i] - offset }
                meter.consume(UnsafeBufferPointer(start: centred, count: take))
            } else {
                meter.consume(chunk)
            }
            clips.consume(chunk)
            noteGrid.append(chunk)
            feedWindow(chunk)
            hopFill += take
            if hopFill == grid.hopLength {
                features.levelSummaries.append(meter.endFrame())
                // The running mean of the hops at first (an offset is there from the first
                // sample), then a slow follower (5 s) that speech's own swings do not move.
                hopsSeen += 1
                dcOffset += (hopSum / Float(grid.hopLength) - dcOffset) * max(Self.dcFollowPerHop, 1 / Float(hopsSeen))
                hopSum = 0
                hopFill = 0
            }
            start += take
        }
        if let sure = surelySound {
            // Every frame centred in the block is analysed by now but the last few (window centres
            // are on hop boundaries); any of them sound and the block's hum is never read.
            let divergence = features.divergenceDB, band = features.bandPowerDB, hop = grid.hopLength
            hum.consume(samples) { start, count in
                let frames = (start / hop)..<min(divergence.count, (start + count) / hop + 1)
                return frames.contains { divergence[$0] >= sure.divergenceDB && band[$0] >= sure.bandPowerDBov }
            }
        } else {
            hum.consume(samples)
        }
        features.sampleCount += samples.count
    }
}
