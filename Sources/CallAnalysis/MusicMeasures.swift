import CallDSP
import Foundation

/// Window statistics that tell music from speech, per frame, over a centred window of about 1 s.
/// Each is a known speech/music discriminator; a logistic model (weights in Models/) combines them:
/// 0 persistence: share of power in spectral peaks that stood still for 150 ms (sustained notes);
/// 1 lowEnergyRatio: share of frames under half the window's mean power (speech dips between syllables);
/// 2 levelSpreadDB: standard deviation of the frame level above the noise;
/// 3 fluxDB: mean spectral change per frame;
/// 4 tonality: mean share of power in the two strongest peaks;
/// 5 flatnessSpread: standard deviation of log10 flatness over active frames (voiced/unvoiced alternation);
/// 6 syllabicModulation: share of the level's modulation energy at 3–8 Hz, the syllable rate;
/// 7 steadyPitch: share of voiced pitch estimates 20 ms apart that moved less than 0.05 semitone
///   (a held note; a voice's pitch glides, even on a level Mandarin tone);
/// 8 noteGrid: how well the notes around the frame sit on one semitone grid (`ChannelFeatures.noteGrid`,
///   over the 3 s ending 1 s after the frame: music about to start lends a frame less than a second
///   of its notes); capped at 2 (beyond it, no more evidence is needed).
public struct MusicMeasures {
    public static let featureCount = 9
    /// Window features are computed every `stride` frames and held in between: they change slowly.
    static let stride = 10

    /// The raw measures, one row of `featureCount` per block of `stride` frames (held over the
    /// block): an hour of audio is 36,000 rows, not 360,000.
    private var rows: [Float] = []
    private let frameCount: Int
    /// Per block boundary and column, the sum of the held raw values over the frames before it,
    /// so any frame's moving average is two lookups.
    private var blockPrefix: [Double] = []
    private let smoothingHalfWindow: Int

    /// - Complexity: O(frames × window / stride).
    init(features: ChannelFeatures, active: [Bool], halfWindow: Int, smoothingHalfWindow: Int = 0) {
        frameCount = features.frameCount
        self.smoothingHalfWindow = smoothingHalfWindow
        rows = Self.raw(features, active: active, halfWindow: halfWindow)
        let k = Self.featureCount, blocks = rows.count / k
        blockPrefix = [Double](repeating: 0, count: (blocks + 1) * k)
        for b in 0..<blocks {
            let length = Double(min(Self.stride, frameCount - b * Self.stride))
            for j in 0..<k { blockPrefix[(b + 1) * k + j] = blockPrefix[b * k + j] + length * Double(rows[b * k + j]) }
        }
    }

    /// The sum of column `j` over frames before `frame`.
    private func prefix(_ frame: Int, _ j: Int) -> Double {
        let k = Self.featureCount, block = frame / Self.stride, into = frame - block * Self.stride
        guard into > 0 else { return blockPrefix[block * k + j] }
        return blockPrefix[block * k + j] + Double(into) * Double(rows[block * k + j])
    }

    /// The measures at frame `f`: their moving average over ±`smoothingHalfWindow` frames (music
    /// is a property of seconds, not of one window, and a longer view stops a single dip or held
    /// vowel from deciding), or the raw window measures when there is no smoothing.
    func measures(at f: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let k = Self.featureCount
        guard smoothingHalfWindow > 0 else {
            for j in 0..<k { out[j] = rows[(f / Self.stride) * k + j] }
            return
        }
        let lo = max(0, f - smoothingHalfWindow), hi = min(frameCount, f + smoothingHalfWindow + 1)
        for j in 0..<k { out[j] = Float((prefix(hi, j) - prefix(lo, j)) / Double(hi - lo)) }
    }

    /// Every frame's measures, row-major (for `callqa dump-features`).
    var values: [Float] {
        let k = Self.featureCount
        var out = [Float](repeating: 0, count: frameCount * k)
        out.withUnsafeMutableBufferPointer { o in
            for f in 0..<frameCount { measures(at: f, into: UnsafeMutableBufferPointer(rebasing: o[(f * k)..<(f * k + k)])) }
        }
        return out
    }

    private static func raw(_ features: ChannelFeatures, active: [Bool], halfWindow: Int) -> [Float] {
        let n = features.frameCount
        let k = Self.featureCount
        var rows = [Float](repeating: 0, count: ((n + Self.stride - 1) / Self.stride) * k)
        guard n > 0 else { return rows }
        // Level above the channel's quiet level, so line noise does not fill the dips.
        let noise = powf(10, (DecibelQuantile.of(features.bandPowerDB, fraction: 0.1) ?? -100) / 10)
        let width = 2 * halfWindow + 1
        // Per-frame values over the window only, not the whole call (five arrays of an hour's
        // frames were the analysis's largest transient): a ring of `width` frames, each value
        // written twice (at i and i + width) so any window is one straight run from `lo % width`.
        var ring = WindowRing(width: width)
        let hop = Float(features.grid.hopSeconds)
        // cos/sin of every (modulation frequency, offset in window) pair, made once per channel.
        let modulationHz: [Float] = (1...16).map(Float.init)
        // Four frequencies a row (lane j of group q is frequency 4q + j), so the DFT below runs
        // four frequencies at once; each lane adds in the same order as one frequency alone.
        let groups = modulationHz.count / 4
        var cosTable = [SIMD4<Float>](repeating: .zero, count: groups * width)
        var sinTable = cosTable
        for (m, hz) in modulationHz.enumerated() {
            for i in 0..<width {
                cosTable[(m / 4) * width + i][m % 4] = cosf(2 * .pi * hz * hop * Float(i))
                sinTable[(m / 4) * width + i][m % 4] = sinf(2 * .pi * hz * hop * Float(i))
            }
        }
        var centred = [Float](repeating: 0, count: width)
        var row = [Float](repeating: 0, count: k)
        // The note grid looks back 3 s from its step: read it 1 s on.
        let gridLeadFrames = Int((1.0 / features.grid.hopSeconds).rounded())
        let gridStep = ChannelFeatures.noteGridStepFrames, gridSteps = features.noteGrid.count
        func noteGrid(_ frame: Int) -> Float { features.noteGrid[min(gridSteps - 1, frame / gridStep)] }
        var f = 0
        while f < n {
            let lo = max(0, f - halfWindow), hi = min(n, f + halfWindow + 1)
            while ring.filled < hi {
                let g = ring.filled
                // Pitch pairs 20 ms apart, on the frames YIN ran on.
                let pitch = g >= 2 && g % 2 == 0 && active[g] ? (features.f0Hz[g], features.f0Hz[g - 2]) : nil
                ring.append(bandPowerDB: features.bandPowerDB[g], flatness: features.flatness[g], pitchHz: pitch, noise: noise)
            }
            let base = lo % width
            let count = Float(hi - lo)
            var persist: Float = 0, flux: Float = 0, tonal: Float = 0, mean: Float = 0
            var levelSum: Float = 0, levelSq: Float = 0
            var flatSum: Float = 0, flatSq: Float = 0, flatCount: Float = 0
            var steadySum: Float = 0, pairs: Float = 0, low: Float = 0
            ring.withRows(from: base) { power, levelDB, logFlatness, steady, voicedPair in
                for g in lo..<hi {
                    let r = g - lo
                    steadySum += steady[r]; pairs += voicedPair[r]
                    persist += features.persistence[g]
                    flux += features.fluxDB[g]
                    tonal += features.tonality[g]
                    mean += power[r]
                    levelSum += levelDB[r]
                    levelSq += levelDB[r] * levelDB[r]
                    if active[g] {
                        flatSum += logFlatness[r]; flatSq += logFlatness[r] * logFlatness[r]; flatCount += 1
                    }
                }
                mean /= count
                // Counted without a branch: whether a frame is under half the mean is a coin toss.
                let half = 0.5 * mean
                var under = 0
                for r in 0..<(hi - lo) { under &+= power[r] < half ? 1 : 0 }
                low = Float(under)
            }
            let levelMean = levelSum / count
            row[0] = persist / count
            row[1] = mean > 0 ? low / count : 1
            row[2] = sqrtf(max(levelSq / count - levelMean * levelMean, 0))
            row[3] = flux / count
            row[4] = tonal / count
            row[5] = flatCount > 2 ? sqrtf(max(flatSq / flatCount - (flatSum / flatCount) * (flatSum / flatCount), 0)) : 0
            // Modulation: DFT of the mean-removed level at 1–16 Hz; share of energy at 3–8 Hz.
            var syllabic: Float = 0, all: Float = 0
            let span = hi - lo
            ring.withRows(from: base) { _, levelDB, _, _, _ in for i in 0..<span { centred[i] = levelDB[i] - levelMean } }
            cosTable.withUnsafeBufferPointer { cosines in
                sinTable.withUnsafeBufferPointer { sines in
                    centred.withUnsafeBufferPointer { x in
                        for q in 0..<groups {
                            var re = SIMD4<Float>(), im = SIMD4<Float>()
                            let base = q * width
                            for i in 0..<span {
                                re += x[i] * cosines[base + i]
                                im += x[i] * sines[base + i]
                            }
                            let e = re * re + im * im
                            for j in 0..<4 {
                                all += e[j]
                                let hz = modulationHz[4 * q + j]
                                if hz >= 3 && hz <= 8 { syllabic += e[j] }
                            }
                        }
                    }
                }
            }
            row[6] = all > 0 ? syllabic / all : 0
            // Too few voiced pairs to judge: a neutral value between speech and music.
            row[7] = pairs >= 5 ? steadySum / pairs : 0.5
            row[8] = gridSteps > 0 ? min(2, noteGrid(f + gridLeadFrames)) : 0
            for j in 0..<k { rows[(f / Self.stride) * k + j] = row[j] }
            f = min(n, f + Self.stride)
        }
        return rows
    }
}

/// The per-frame inputs of `MusicMeasures` over the last `width` frames (a window's worth): a ring
/// whose every value is stored at `i` and `i + width`, so a window starting at frame `lo` is the
/// straight run from `lo % width`. Same arithmetic as whole-call arrays, a window's memory.
struct WindowRing {
    let width: Int
    var power: [Float], levelDB: [Float], logFlatness: [Float]
    /// 1 when the pitch held still over the last 20 ms (a note), 0 when it moved (a voice glides,
    /// even on a level Mandarin tone), not counted (`voicedPair` 0) when either estimate is
    /// unvoiced or the pitch jumped (a new note, an octave slip). YIN runs on every other frame.
    var steady: [Float], voicedPair: [Float]
    /// Frames appended so far.
    private(set) var filled = 0

    init(width: Int) {
        self.width = width
        power = [Float](repeating: 0, count: 2 * width)
        levelDB = power; logFlatness = power; steady = power; voicedPair = power
    }

    /// The five rows from ring position `start` (a window's `lo % width`), as plain pointers: the
    /// window loops read them ~100 times a frame.
    @inline(__always) func withRows(
        from start: Int,
        _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> Void
    ) {
        power.withUnsafeBufferPointer { p in
            levelDB.withUnsafeBufferPointer { l in
                logFlatness.withUnsafeBufferPointer { fl in
                    steady.withUnsafeBufferPointer { s in
                        voicedPair.withUnsafeBufferPointer { v in
                            body(p.baseAddress! + start, l.baseAddress! + start, fl.baseAddress! + start,
                                 s.baseAddress! + start, v.baseAddress! + start)
                        }
                    }
                }
            }
        }
    }

    /// Appends the next frame (number `filled`): its band power and flatness, and its pitch and
    /// the pitch 20 ms before when it is an active frame YIN ran on.
    mutating func append(bandPowerDB: Float, flatness: Float, pitchHz: (Float, Float)?, noise: Float) {
        let f = filled
        var pair: Float = 0, still: Float = 0
        if let (a, b) = pitchHz, a > 0 && b > 0 {
            let semitones = abs(12 * log2f(a / b))
            if semitones < 1 {
                pair = 1
                still = semitones < 0.05 ? 1 : 0
            }
        }
        let p = max(powf(10, bandPowerDB / 10) - noise, 0)
        let level = 10 * log10f(p + noise * 0.1 + 1e-12)
        let flat = log10f(flatness + 1e-4)
        let i = f % width
        power[i] = p; levelDB[i] = level; logFlatness[i] = flat; steady[i] = still; voicedPair[i] = pair
        let j = i + width
        power[j] = p; levelDB[j] = level; logFlatness[j] = flat; steady[j] = still; voicedPair[j] = pair
        filled += 1
    }
}

/// A small neural network over `MusicMeasures`: standardise, one tanh hidden layer, logistic output.
/// P(music) = σ(outputBias + Σₕ outputWeightsₕ · tanh(hiddenBiasesₕ + Σⱼ hiddenWeightsₕⱼ · zⱼ)),
/// zⱼ = (xⱼ − meansⱼ) / scalesⱼ. Weights are data (Models/detectors.json), fitted by
/// scripts/train_music_model.py.
public struct MusicModel: Codable, Sendable, Equatable {
    public var featureNames: [String]
    public var means: [Float]
    public var scales: [Float]
    /// Row-major: one row of `featureNames.count` weights per hidden unit.
    public var hiddenWeights: [Float]
    public var hiddenBiases: [Float]
    public var outputWeights: [Float]
    public var outputBias: Float

    /// Why a model cannot be used, or nil when its shapes agree with the measures.
    public var shapeProblem: String? {
        let k = featureNames.count, h = hiddenBiases.count
        if k != MusicMeasures.featureCount { return "music model has \(k) features, the detector computes \(MusicMeasures.featureCount)" }
        if means.count != k || scales.count != k { return "music model means/scales need \(k) values" }
        if hiddenWeights.count != h * k || outputWeights.count != h { return "music model weights do not match \(h) hidden units × \(k) features" }
        if scales.contains(where: { !($0 > 0) }) { return "music model scales must be positive" }
        return nil
    }

    func probability(_ x: UnsafeBufferPointer<Float>) -> Float {
        let k = means.count
        var z = outputBias
        for h in 0..<hiddenBiases.count {
            var a = hiddenBiases[h]
            for j in 0..<k { a += hiddenWeights[h * k + j] * (x[j] - means[j]) / scales[j] }
            z += outputWeights[h] * tanhf(a)
        }
        return 1 / (1 + expf(-z))
    }
}
