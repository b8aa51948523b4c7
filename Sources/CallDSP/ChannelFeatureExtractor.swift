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
    private let fft: RealFFT
    private let hum: HumMeter
    private let pitch: PitchTracker
    private let vowelLow: Int, vowelHigh: Int
    /// Mel-like band edges (bins) and the DCT that turns their log energies into cepstra.
    private let melEdges: [Int]
    /// Mel-like band edges (bins) of the syllabic envelope, and each band's mean power over the last
    /// `syllabicWindowFrames` frames (a ring per band, band-major), in Double: the envelope
    /// multiplies four powers together.
    private let syllabicEdges: [Int]
    private let bandRing: UnsafeMutablePointer<Double>
    private var bandRingRow = 0
    private let dct: [Float]
    private var melLog: [Float]
    private let window: [Float]
    private var history: [Float]  // ring of the last frameLength samples
    private var historyWrite = 0
    private var samplesSinceFrame = 0
    private var meter: ActiveSpeechLevelMeter
    private var clips = ClipDetector()
    private var hopFill = 0
    private var features: ChannelFeatures

    private let bandLow: Int, bandHigh: Int
    // Per-bin scratch, allocated once: the per-frame loops touch them ~100 times a frame and
    // run faster on plain pointers than through array accessors and closures.
    private let power: UnsafeMutablePointer<Float>
    private let previousLogPower: UnsafeMutablePointer<Float>
    private let peakHistory: UnsafeMutablePointer<UInt8>  // persistenceHops+1 rows of band-bin peak flags
    private var peakHistoryRow = 0
    private let powerScale: Float
    /// Per-bin noise estimate: the minimum of a smoothed periodogram, allowed to rise slowly.
    private let smoothedPower: UnsafeMutablePointer<Float>
    /// Per-bin minima of the smoothed power over the last `minimumRows` sub-windows, and the
    /// minimum of the sub-window in progress.
    private let recentMinimum: UnsafeMutablePointer<Float>
    private let currentMinimum: UnsafeMutablePointer<Float>
    private let recentRowsMinimum: UnsafeMutablePointer<Float>
    static let framesPerMinimumRow = 25
    static let minimumRows = 8
    private let noisePower: UnsafeMutablePointer<Float>
    private var framesSeen = 0
    private let warmUpFrames: Int
    /// A leg that comes alive after digital silence (the far end connecting after ringing, a mute
    /// ending) is a new line: its noise is learned afresh, as at the start, from frame `warmUpFrom`.
    private var warmUpFrom = 0
    private var digitallySilentFrames = 0
    static let digitalSilenceDB: Float = -85
    static let revivalSilenceFrames = 50
    /// The first 1.5 s, measured again once the noise is known (speech from the first sample).
    private var opening: OpeningRevisit
    /// Noise may rise by this factor per hop (about 1 dB/s) so a louder line is learned in seconds
    /// while a long utterance barely lifts it.
    private let noiseRisePerHop: Float

    /// Whether each frame's cepstra are kept (only mono calls need them, to tell voices apart).
    public let keepsCepstra: Bool

    public init(grid: FrameGrid, planner: FFTPlanner, expectedFrames: Int = 0, keepsCepstra: Bool = false) {
        self.keepsCepstra = keepsCepstra
        self.grid = grid
        fft = RealFFT(size: grid.frameLength, planner: planner)
        pitch = PitchTracker(frameLength: grid.frameLength, sampleRateHz: grid.sampleRateHz, planner: planner)
        hum = HumMeter(sampleRateHz: Int(grid.sampleRateHz), planner: planner)
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
        bandLow = max(1, grid.bin(ofHz: Self.bandLowHz))
        bandHigh = min(grid.binCount - 2, grid.bin(ofHz: Self.bandHighHz))
        func floats(_ value: Float) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: grid.binCount)
            p.initialize(repeating: value, count: grid.binCount)
            return p
        }
        power = floats(0)
        previousLogPower = floats(-100)
        smoothedPower = floats(0)
        noisePower = floats(0)
        currentMinimum = floats(.greatestFiniteMagnitude)
        recentRowsMinimum = floats(.greatestFiniteMagnitude)
        recentMinimum = .allocate(capacity: Self.minimumRows * grid.binCount)
        recentMinimum.initialize(repeating: .greatestFiniteMagnitude, count: Self.minimumRows * grid.binCount)
        peakHistory = .allocate(capacity: (Self.persistenceHops + 1) * grid.binCount)
        peakHistory.initialize(repeating: 0, count: (Self.persistenceHops + 1) * grid.binCount)
        bandRing = .allocate(capacity: ChannelFeatures.syllabicWindowFrames * syllabicBands)
        bandRing.initialize(repeating: 0, count: ChannelFeatures.syllabicWindowFrames * syllabicBands)
        warmUpFrames = grid.frames(inSeconds: 0.25)
        opening = OpeningRevisit(frames: grid.frames(inSeconds: 1.5))
        noiseRisePerHop = powf(10, Float(grid.hopSeconds) * 1.0 / 10)
        // Hann window: mean square of a band = 16/(3 n²) · Σ|X|² (a full-scale sine reads 0.5).
        powerScale = 16 / (3 * Float(n) * Float(n))
        // Centre frame f's window on hop f: pre-roll half a window less half a hop of zeros.
        let preroll = (n - grid.hopLength) / 2
        historyWrite = preroll % n
        primed = preroll
        samplesSinceFrame = 0
    }

    deinit {
        power.deallocate(); previousLogPower.deallocate(); smoothedPower.deallocate()
        noisePower.deallocate(); peakHistory.deallocate(); recentMinimum.deallocate(); currentMinimum.deallocate(); recentRowsMinimum.deallocate()
        bandRing.deallocate()
    }

    /// Samples (including the zero pre-roll) in the window so far; frames start once it is full.
    private var primed: Int

    /// Feeds the next block of this channel's samples.
    /// - Complexity: O(n + (n / hop) · frameLength log frameLength).
    public func consume(_ samples: UnsafeBufferPointer<Float>) {
        var start = 0
        while start < samples.count {
            // Level meter and clip detector run on exact hop boundaries.
            let take = min(grid.hopLength - hopFill, samples.count - start)
            let chunk = UnsafeBufferPointer(rebasing: samples[start..<(start + take)])
            meter.consume(chunk)
            clips.consume(chunk)
            feedWindow(chunk)
            hopFill += take
            if hopFill == grid.hopLength {
                features.levelSummaries.append(meter.endFrame())
                hopFill = 0
            }
            start += take
        }
        hum.consume(samples)
        features.sampleCount += samples.count
    }

    /// Appends samples to the analysis window, analysing a frame at every hop once it is full.
    /// Copies in runs up to the next frame boundary: no per-sample bookkeeping on the class.
    private func feedWindow(_ chunk: UnsafeBufferPointer<Float>) {
        let size = history.count, hop = grid.hopLength
        var index = 0
        while index < chunk.count {
            // Until the window first fills, the next frame is due when it fills; then every hop.
            let untilFrame = primed < size ? size - primed : hop - samplesSinceFrame
            let run = min(chunk.count - index, untilFrame, size - historyWrite)
            let write = historyWrite
            history.withUnsafeMutableBufferPointer { h in
                for i in 0..<run { h[write + i] = chunk[index + i] }
            }
            historyWrite = write + run == size ? 0 : write + run
            index += run
            if primed < size {
                primed += run
                if primed == size { analyseWindow() }
            } else {
                samplesSinceFrame += run
                if samplesSinceFrame == hop { samplesSinceFrame = 0; analyseWindow() }
            }
        }
    }

    /// Pads the tail and returns the features; one frame per started hop.
    public func finish() -> ChannelFeatures {
        revisitOpening()
        features.humBlocks = hum.blocks
        if hopFill > 0 {
            features.levelSummaries.append(meter.endFrame())
            hopFill = 0
        }
        let wanted = features.levelSummaries.count
        var guardCount = 0
        let zeros = [Float](repeating: 0, count: grid.hopLength)
        while features.bandPowerDB.count < wanted && guardCount < history.count * 4 {
            // Pad with silence through the same path as real samples, without touching the meter.
            zeros.withUnsafeBufferPointer { z in feedWindow(z) }
            guardCount += grid.hopLength
        }
        // Extremely short inputs (shorter than half a window) may leave frames unfilled.
        while features.bandPowerDB.count < wanted { appendEmptyFrame() }
        if features.bandPowerDB.count > wanted {
            let extra = features.bandPowerDB.count - wanted
            features.bandPowerDB.removeLast(extra); features.tonality.removeLast(extra)
            features.dominantHz.removeLast(extra); features.overtoneRatio.removeLast(extra)
            features.flatness.removeLast(extra)
            features.fluxDB.removeLast(extra); features.persistence.removeLast(extra)
            features.divergenceDB.removeLast(extra)
            features.vowelBandDB.removeLast(extra); features.f0Hz.removeLast(extra); features.syllabicDB.removeLast(extra)
            if keepsCepstra { features.cepstra.removeLast(extra * ChannelFeatures.cepstrumCount) }
        }
        features.clippedRunCount = clips.clippedRunCount
        features.clippedSampleCount = clips.clippedSampleCount
        return features
    }

    private func revisitOpening() {
        guard !opening.isDone else { return }
        // Moved out and back (no copy): two inout borrows of `features` at once are not allowed.
        var divergence = features.divergenceDB, f0 = features.f0Hz
        features.divergenceDB = []; features.f0Hz = []
        let tracker = pitch
        opening.revisit(noise: UnsafeBufferPointer(start: noisePower + bandLow, count: bandHigh - bandLow + 1),
                        divergenceDB: &divergence, f0Hz: &f0) { samples in
            tracker.analyse { frame in for i in 0..<min(frame.count, samples.count) { frame[i] = samples[i] } }.hz
        }
        features.divergenceDB = divergence; features.f0Hz = f0
    }

    private func appendEmptyFrame() {
        features.bandPowerDB.append(-100); features.tonality.append(0); features.dominantHz.append(0); features.overtoneRatio.append(0)
        features.flatness.append(1); features.fluxDB.append(0); features.persistence.append(0)
        features.divergenceDB.append(0); features.vowelBandDB.append(-100); features.f0Hz.append(0)
        features.syllabicDB.append(-100)
        if keepsCepstra { features.cepstra.append(contentsOf: repeatElement(0, count: ChannelFeatures.cepstrumCount)) }
    }

    private func analyseWindow() {
        let n = history.count
        let start = historyWrite  // oldest sample
        let p = UnsafeMutableBufferPointer(start: power, count: grid.binCount)
        history.withUnsafeBufferPointer { h in
            window.withUnsafeBufferPointer { w in
                fft.powerSpectrum(fillInput: { input in
                    // The ring's oldest part first, then its newest: two straight runs.
                    let head = n - start
                    for i in 0..<head { input[i] = h[start + i] * w[i] }
                    for i in head..<n { input[i] = h[i - head] * w[i] }
                }, into: p)
            }
        }
        computeFeatures()
        // F0 only where something stands above the noise (pitch of line noise means nothing), and
        // on every other frame: a 20 ms pitch track is plenty for syllables and intonation.
        var hz: Float = 0
        let count = features.f0Hz.count
        if count % 2 == 1 && features.divergenceDB[count - 1] >= 5 {
            hz = features.f0Hz[count - 1]
        } else if features.divergenceDB.last! >= 5 {
            hz = history.withUnsafeBufferPointer { h in
                pitch.analyse { frame in
                    let head = n - start
                    for i in 0..<head { frame[i] = h[start + i] }
                    for i in head..<n { frame[i] = h[i - head] }
                }.hz
            }
        }
        if !opening.isDone && hz == 0 && count % 2 == 0 {
            opening.keepUnpitched(frame: count, samples: Array(history[start..<n]) + Array(history[0..<start]))
        }
        features.f0Hz.append(hz)
    }

    private func computeFeatures() {
        let scale = powerScale
        let binCount = grid.binCount
        let row = peakHistoryRow
        let rows = Self.persistenceHops + 1
        let rowMid = (row + rows - Self.persistenceHops / 2) % rows
        let rowOld = (row + 1) % rows  // oldest row: persistenceHops ago
        let lo = bandLow, hi = bandHigh
        let floorPower: Float = 1e-11
        let rise = noiseRisePerHop
        let p = power, prev = previousLogPower, sm = smoothedPower, nz = noisePower
        if digitallySilentFrames >= Self.revivalSilenceFrames {
            var raw: Float = 0
            for k in lo...hi { raw += p[k] }
            if 10 * log10f(raw * scale + floorPower) >= Self.digitalSilenceDB {
                // Speech may start the new line as it may start the file: measure it again later.
                warmUpFrom = framesSeen
                revisitOpening()
                opening = OpeningRevisit(startFrame: framesSeen, frames: opening.endFrame - opening.startFrame)
            }
        }
        let firstFrame = framesSeen == warmUpFrom
        framesSeen += 1
        // Warm-up: a single periodogram's bins scatter far below their mean, so a minimum taken
        // from the first frames would start the noise far too low and let it creep up for seconds.
        // Start from the running mean instead: an estimate that is too high falls at once.
        let warmingUp = framesSeen - warmUpFrom <= warmUpFrames
        let warmWeight = 1 / Float(framesSeen - warmUpFrom)

        // Pass 1 (branch-free, vectorises): scale, smooth, track the noise, divergence from it.
        p[lo - 1] *= scale
        p[hi + 1] *= scale
        var ratioSum: Float = 0, noiseTotal: Float = 0
        if warmingUp {
            for k in lo...hi {
                let v = p[k] * scale
                p[k] = v
                sm[k] = firstFrame ? v : 0.7 * sm[k] + 0.3 * v
                nz[k] = firstFrame ? v * 1.6 : nz[k] + (v * 1.6 - nz[k]) * warmWeight
                ratioSum += v / max(nz[k], floorPower)
                noiseTotal += nz[k]
            }
        } else {
            // The slow rise keeps speech out of the noise estimate, but a line that gets 10 dB
            // noisier at once (after a muted hold, a new leg) would take many seconds to learn.
            // So each bin also keeps its minimum over the last few seconds (in sub-windows), and
            // the estimate jumps up to it when it has fallen more than 10 dB behind.
            let rows = Self.minimumRows
            let recent = recentMinimum, current = currentMinimum, rowsMinimum = recentRowsMinimum
            let closeRow = framesSeen % Self.framesPerMinimumRow == 0
            let row = (framesSeen / Self.framesPerMinimumRow) % rows
            for k in lo...hi {
                let v = p[k] * scale
                p[k] = v
                let smoothed = 0.7 * sm[k] + 0.3 * v
                sm[k] = smoothed
                // The minimum of a smoothed periodogram sits ~2 dB under the noise mean.
                var noise = min(smoothed * 1.6, nz[k] * rise)
                let windowFloor = min(current[k], smoothed)
                current[k] = windowFloor
                let lowest = min(windowFloor, rowsMinimum[k])
                if lowest * 1.6 > noise * 10 { noise = lowest * 1.6 }
                nz[k] = noise
                ratioSum += v / max(noise, floorPower)
                noiseTotal += noise
            }
            if closeRow {
                for k in lo...hi {
                    recent[row * binCount + k] = current[k]
                    current[k] = .greatestFiniteMagnitude
                    var m = Float.greatestFiniteMagnitude
                    for r in 0..<rows { m = min(m, recent[r * binCount + k]) }
                    rowsMinimum[k] = m
                }
            }
        }
        noiseTotal /= 1.6
        if !opening.isDone {
            opening.keepSpectrum(UnsafeBufferPointer(start: p + lo, count: hi - lo + 1))
            if framesSeen >= opening.endFrame { revisitOpening() }
        }

        // Pass 2 (branch-free): total, log spectrum, flatness and flux.
        var total: Float = 0, logSum: Float = 0, flux: Float = 0
        do {
            // Four independent sums (Swift will not reorder float additions by itself), then the rest.
            var k = lo
            var t0: Float = 0, t1: Float = 0, t2: Float = 0, t3: Float = 0
            var l0: Float = 0, l1: Float = 0, l2: Float = 0, l3: Float = 0
            var f0: Float = 0, f1: Float = 0, f2: Float = 0, f3: Float = 0
            while k + 4 <= hi + 1 {
                let v0 = p[k], v1 = p[k + 1], v2 = p[k + 2], v3 = p[k + 3]
                t0 += v0; t1 += v1; t2 += v2; t3 += v3
                let d0 = Decibels.fastPowerToDB(v0 + floorPower), d1 = Decibels.fastPowerToDB(v1 + floorPower)
                let d2 = Decibels.fastPowerToDB(v2 + floorPower), d3 = Decibels.fastPowerToDB(v3 + floorPower)
                l0 += d0; l1 += d1; l2 += d2; l3 += d3
                f0 += abs(d0 - prev[k]); f1 += abs(d1 - prev[k + 1]); f2 += abs(d2 - prev[k + 2]); f3 += abs(d3 - prev[k + 3])
                prev[k] = d0; prev[k + 1] = d1; prev[k + 2] = d2; prev[k + 3] = d3
                k += 4
            }
            total = (t0 + t1) + (t2 + t3); logSum = (l0 + l1) + (l2 + l3); flux = (f0 + f1) + (f2 + f3)
            while k <= hi {
                let v = p[k]
                total += v
                let lv = Decibels.fastPowerToDB(v + floorPower)
                logSum += lv
                flux += abs(lv - prev[k])
                prev[k] = lv
                k += 1
            }
        }

        var vowel: Float = 0
        for k in vowelLow...vowelHigh { vowel += p[k] }
        features.vowelBandDB.append(10 * log10f(vowel + floorPower))
        // Syllabic envelope. Per band, the mean product of every pair of frames in the window
        // (sustained energy); then the mean product of every pair of bands (energy in many bands
        // at once). A mean of pairwise products is ((Σx)² − Σx²) / (n(n−1)).
        let syllabicBands = syllabicEdges.count - 1
        let window = ChannelFeatures.syllabicWindowFrames
        let ringRow = bandRingRow
        var ySum = 0.0, ySquares = 0.0
        syllabicEdges.withUnsafeBufferPointer { edges in
            for b in 0..<syllabicBands {
                var sum: Float = 0
                let a = edges[b], e = max(a + 1, edges[b + 1])
                for k in a..<e { sum += p[k] }
                let ring = bandRing + b * window
                ring[ringRow] = Double(sum / Float(e - a))
                var s1 = 0.0, s2 = 0.0
                for r in 0..<window {
                    let x = ring[r]
                    s1 += x; s2 += x * x
                }
                let y = max(0, (s1 * s1 - s2) / Double(window * (window - 1)))
                ySum += y; ySquares += y * y
            }
        }
        bandRingRow = (bandRingRow + 1) % window
        let z = max(0, (ySum * ySum - ySquares) / Double(syllabicBands * (syllabicBands - 1)))
        // z is a fourth power of band power: a quarter of its dB is in dB of power.
        features.syllabicDB.append(Float(2.5 * log10(z + 1e-60)))

        // Cepstra: log energies of mel-like bands, then a DCT.
        let bandCount = melLog.count
        for b in 0..<bandCount where keepsCepstra {
            var sum: Float = 0
            let a = melEdges[b], e = max(melEdges[b] + 1, melEdges[b + 1])
            for k in a..<e { sum += p[k] }
            melLog[b] = Decibels.fastPowerToDB(sum / Float(e - a) + floorPower)
        }
        for c in 0..<ChannelFeatures.cepstrumCount where keepsCepstra {
            var sum: Float = 0
            for b in 0..<bandCount { sum += dct[c * bandCount + b] * melLog[b] }
            features.cepstra.append(sum)
        }

        // Pass 3: peaks. In noise a third of the bins are local peaks, at random, so the flags
        // and persistence are computed without branches; only a new top-two peak branches.
        let peaks = peakHistory
        let base = row * binCount, baseMid = rowMid * binCount, baseOld = rowOld * binCount
        let peakFloor = floorPower * 100
        var first: Float = 0, firstBin = 0, second: Float = 0, secondBin = 0
        var persistent: Float = 0
        for k in lo...hi {
            let v = p[k], below = p[k - 1], above = p[k + 1]
            let isPeak = greater(v, below) & (1 - greater(above, v)) & greater(v, peakFloor)
            peaks[base + k] = isPeak
            let wasMid = peaks[baseMid + k] | peaks[baseMid + k - 1] | peaks[baseMid + k + 1]
            let wasOld = peaks[baseOld + k] | peaks[baseOld + k - 1] | peaks[baseOld + k + 1]
            persistent += Float(isPeak & wasMid & wasOld) * (v + below + above)
            let candidate = v * Float(isPeak)
            if candidate > second {
                if candidate > first {
                    second = first; secondBin = firstBin; first = candidate; firstBin = k
                } else {
                    second = candidate; secondBin = k
                }
            }
        }
        peakHistoryRow = (row + 1) % rows

        let bins = Float(hi - lo + 1)
        let mean = total / bins
        let flatness = total > floorPower * bins
            ? min(1, powf(10, (logSum / bins) / 10) / max(mean, floorPower)) : 1
        // Power in the two strongest peaks' lobes (±2 bins), shared bins counted once.
        var peakEnergy: Float = 0
        if first > 0 {
            for k in max(lo, firstBin - 2)...min(hi, firstBin + 2) { peakEnergy += p[k] }
        }
        if second > 0 {
            for k in max(lo, secondBin - 2)...min(hi, secondBin + 2) where first <= 0 || abs(k - firstBin) > 2 {
                peakEnergy += p[k]
            }
        }
        // Harmonics of the strongest peak (or the peak as a harmonic of a lower fundamental):
        // voiced speech and instruments have them, call-progress tones and beeps do not.
        var overtone: Float = 0
        if first > 0 {
            // Power above the line's noise, so a pure tone in loud noise still reads as pure.
            func lobe(_ centre: Int) -> Float {
                guard centre >= 2 && centre + 1 < binCount else { return 0 }
                var sum: Float = 0
                for k in (centre - 1)...(centre + 1) {
                    // Bins outside the band were never scaled and have no noise estimate.
                    sum += (k >= lo && k <= hi) ? max(0, p[k] - nz[k]) : (k >= lo - 1 && k <= hi + 1 ? p[k] : p[k] * scale)
                }
                return sum
            }
            let main = lobe(firstBin)
            let related = max(max(lobe(firstBin * 2), lobe(firstBin * 3 / 2)), max(lobe(firstBin / 2), lobe(firstBin / 3)))
            overtone = main > 0 ? related / main : 0
        }
        // Share of the power above the noise: a tone in line noise still reads near 1.
        let signalPower = max(total - noiseTotal, total * 0.05)
        let tonal = total > 0 ? min(1, peakEnergy / signalPower) : 0
        // The peak's frequency to a fraction of a bin (parabola through the log powers around it):
        // how a peak glides is what tells a voice from a held note.
        var peakBin = Float(firstBin)
        if first > 0 && firstBin > lo && firstBin < hi {
            let a = prev[firstBin - 1], b = prev[firstBin], c = prev[firstBin + 1]
            let curvature = a - 2 * b + c
            if curvature < 0 { peakBin += max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) }
        }
        let bandDB = 10 * log10f(total + floorPower)
        features.bandPowerDB.append(bandDB)
        digitallySilentFrames = bandDB < Self.digitalSilenceDB ? digitallySilentFrames + 1 : 0
        features.tonality.append(tonal)
        features.dominantHz.append(peakBin * Float(grid.binHz))
        features.overtoneRatio.append(overtone)
        features.flatness.append(flatness)
        features.fluxDB.append(flux / bins)
        features.persistence.append(total > 0 ? min(1, persistent / total) : 0)
        features.divergenceDB.append(10 * log10f(max(ratioSum / bins, 1e-6)))
    }
}

/// 1 when a > b, else 0, for non-negative powers, without a branch: the sign bit of b − a
/// (which is never −0 for such values).
@inline(__always) private func greater(_ a: Float, _ b: Float) -> UInt8 {
    UInt8(truncatingIfNeeded: (b - a).bitPattern >> 31)
}
