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
    private let window: [Float]
    private var history: [Float]  // ring of the last frameLength samples
    private var historyWrite = 0
    private var samplesSinceFrame = 0
    private var meter: ActiveSpeechLevelMeter
    private var clips = ClipDetector()
    private var hopFill = 0
    private var features: ChannelFeatures

    private let bandLow: Int, bandHigh: Int
    private var power: [Float]
    private var previousLogPower: [Float]
    private var peakHistory: [UInt8]  // persistenceHops+1 rings of band-bin peak flags
    private var peakHistoryRow = 0
    private let powerScale: Float
    /// Per-bin noise estimate: the minimum of a smoothed periodogram, allowed to rise slowly.
    private var smoothedPower: [Float]
    private var noisePower: [Float]
    private var framesSeen = 0
    private let warmUpFrames: Int
    /// Noise may rise by this factor per hop (about 1 dB/s) so a louder line is learned in seconds
    /// while a long utterance barely lifts it.
    private let noiseRisePerHop: Float

    public init(grid: FrameGrid, planner: FFTPlanner, expectedFrames: Int = 0) {
        self.grid = grid
        fft = RealFFT(size: grid.frameLength, planner: planner)
        let n = grid.frameLength
        window = (0..<n).map { 0.5 - 0.5 * cosf(2 * .pi * Float($0) / Float(n)) }
        history = Array(repeating: 0, count: n)
        meter = ActiveSpeechLevelMeter(sampleRateHz: grid.sampleRateHz)
        features = ChannelFeatures(grid: grid)
        features.reserve(frames: expectedFrames)
        bandLow = max(1, grid.bin(ofHz: Self.bandLowHz))
        bandHigh = min(grid.binCount - 2, grid.bin(ofHz: Self.bandHighHz))
        power = Array(repeating: 0, count: grid.binCount)
        previousLogPower = Array(repeating: -100, count: grid.binCount)
        peakHistory = Array(repeating: 0, count: (Self.persistenceHops + 1) * grid.binCount)
        smoothedPower = Array(repeating: 0, count: grid.binCount)
        noisePower = Array(repeating: 0, count: grid.binCount)
        warmUpFrames = grid.frames(inSeconds: 0.25)
        noiseRisePerHop = powf(10, Float(grid.hopSeconds) * 1.0 / 10)
        // Hann window: mean square of a band = 16/(3 n²) · Σ|X|² (a full-scale sine reads 0.5).
        powerScale = 16 / (3 * Float(n) * Float(n))
        // Centre frame f's window on hop f: pre-roll half a window less half a hop of zeros.
        let preroll = (n - grid.hopLength) / 2
        historyWrite = preroll % n
        primed = preroll
        samplesSinceFrame = 0
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
        }
        features.clippedRunCount = clips.clippedRunCount
        features.clippedSampleCount = clips.clippedSampleCount
        return features
    }

    private func appendEmptyFrame() {
        features.bandPowerDB.append(-100); features.tonality.append(0); features.dominantHz.append(0); features.overtoneRatio.append(0)
        features.flatness.append(1); features.fluxDB.append(0); features.persistence.append(0)
        features.divergenceDB.append(0)
    }

    private func analyseWindow() {
        let n = history.count
        let start = historyWrite  // oldest sample
        history.withUnsafeBufferPointer { h in
            window.withUnsafeBufferPointer { w in
                power.withUnsafeMutableBufferPointer { p in
                    fft.powerSpectrum(fillInput: { input in
                        var j = start
                        for i in 0..<n {
                            input[i] = h[j] * w[i]
                            j = j == n - 1 ? 0 : j + 1
                        }
                    }, into: p)
                }
            }
        }
        computeFeatures()
    }

    private func computeFeatures() {
        let scale = powerScale
        let binCount = grid.binCount
        let row = peakHistoryRow
        let rows = Self.persistenceHops + 1
        let rowMid = (row + rows - Self.persistenceHops / 2) % rows
        let rowOld = (row + 1) % rows  // oldest row: persistenceHops ago
        var total: Float = 0
        var logSum: Float = 0
        var flux: Float = 0
        var first: Float = 0, firstBin = 0, second: Float = 0, secondBin = 0
        var persistent: Float = 0
        var ratioSum: Float = 0
        var noiseTotal: Float = 0
        let floorPower: Float = 1e-11
        let rise = noiseRisePerHop
        let firstFrame = framesSeen == 0
        framesSeen += 1
        // Warm-up: a single periodogram's bins scatter far below their mean, so a minimum taken
        // from the first frames would start the noise far too low and let it creep up for seconds.
        // Start from the running mean instead: an estimate that is too high falls at once.
        let warmingUp = framesSeen <= warmUpFrames
        let warmWeight = 1 / Float(framesSeen)
        power.withUnsafeMutableBufferPointer { p in
            previousLogPower.withUnsafeMutableBufferPointer { prev in
                peakHistory.withUnsafeMutableBufferPointer { peaks in
                    let base = row * binCount, baseMid = rowMid * binCount, baseOld = rowOld * binCount
                    for k in bandLow...bandHigh {
                        let v = p[k] * scale
                        p[k] = v
                    }
                    p[bandLow - 1] *= scale
                    p[bandHigh + 1] *= scale
                    smoothedPower.withUnsafeMutableBufferPointer { sm in
                        noisePower.withUnsafeMutableBufferPointer { nz in
                            for k in bandLow...bandHigh {
                                let v = p[k]
                                sm[k] = firstFrame ? v : 0.7 * sm[k] + 0.3 * v
                                // The minimum of a smoothed periodogram sits ~2 dB under the noise mean.
                                let candidate = sm[k] * 1.6
                                if warmingUp {
                                    nz[k] = firstFrame ? v * 1.6 : nz[k] + (v * 1.6 - nz[k]) * warmWeight
                                } else {
                                    nz[k] = candidate < nz[k] ? candidate : nz[k] * rise
                                }
                                ratioSum += v / max(nz[k], floorPower)
                                noiseTotal += nz[k] / 1.6
                            }
                        }
                    }
                    for k in bandLow...bandHigh {
                        let v = p[k]
                        total += v
                        let lv = Decibels.fastPowerToDB(v + floorPower)
                        logSum += lv
                        flux += abs(lv - prev[k])
                        prev[k] = lv
                        let isPeak = v > p[k - 1] && v >= p[k + 1] && v > floorPower * 100
                        peaks[base + k] = isPeak ? 1 : 0
                        if isPeak {
                            if v > first {
                                second = first; secondBin = firstBin; first = v; firstBin = k
                            } else if v > second {
                                second = v; secondBin = k
                            }
                            let wasMid = peaks[baseMid + k] | peaks[baseMid + k - 1] | peaks[baseMid + k + 1]
                            let wasOld = peaks[baseOld + k] | peaks[baseOld + k - 1] | peaks[baseOld + k + 1]
                            if wasMid == 1 && wasOld == 1 {
                                persistent += v + p[k - 1] + p[k + 1]
                            }
                        }
                    }
                }
            }
        }
        peakHistoryRow = (row + 1) % rows
        let bins = Float(bandHigh - bandLow + 1)
        let mean = total / bins
        let flatness = total > floorPower * bins
            ? min(1, powf(10, (logSum / bins) / 10) / max(mean, floorPower)) : 1
        var peakEnergy: Float = 0
        power.withUnsafeBufferPointer { p in
            for (b, isSet) in [(firstBin, first > 0), (secondBin, second > 0)] where isSet {
                let lo = max(bandLow, b - 2), hi = min(bandHigh, b + 2)
                for k in lo...hi { peakEnergy += p[k] }
            }
            // The two lobes may overlap: count shared bins once.
            if first > 0 && second > 0 && abs(firstBin - secondBin) <= 4 {
                let lo = max(max(bandLow, firstBin - 2), max(bandLow, secondBin - 2))
                let hi = min(min(bandHigh, firstBin + 2), min(bandHigh, secondBin + 2))
                if lo <= hi { for k in lo...hi { peakEnergy -= p[k] } }
            }
        }
        // Harmonics of the strongest peak (or the peak as a harmonic of a lower fundamental):
        // voiced speech and instruments have them, call-progress tones and beeps do not.
        var overtone: Float = 0
        if first > 0 {
            power.withUnsafeBufferPointer { p in
                func lobe(_ centre: Int) -> Float {
                    guard centre >= 2 && centre + 1 < p.count else { return 0 }
                    var sum: Float = 0
                    for k in (centre - 1)...(centre + 1) {
                        sum += (k >= bandLow - 1 && k <= bandHigh + 1) ? p[k] : p[k] * scale
                    }
                    return sum
                }
                let main = lobe(firstBin)
                let related = max(max(lobe(firstBin * 2), lobe(firstBin * 3 / 2)), max(lobe(firstBin / 2), lobe(firstBin / 3)))
                overtone = main > 0 ? related / main : 0
            }
        }
        // Share of the power above the noise: a tone in line noise still reads near 1.
        let signalPower = max(total - noiseTotal, total * 0.05)
        let tonal = total > 0 ? min(1, peakEnergy / signalPower) : 0
        features.bandPowerDB.append(10 * log10f(total + floorPower))
        features.tonality.append(tonal)
        // The peak's frequency to a fraction of a bin (parabola through the log powers around it):
        // how a peak glides is what tells a voice from a held note.
        var peakBin = Float(firstBin)
        if first > 0 && firstBin > bandLow && firstBin < bandHigh {
            power.withUnsafeBufferPointer { p in
                let a = Decibels.fastPowerToDB(p[firstBin - 1] + floorPower)
                let b = Decibels.fastPowerToDB(p[firstBin] + floorPower)
                let c = Decibels.fastPowerToDB(p[firstBin + 1] + floorPower)
                let curvature = a - 2 * b + c
                if curvature < 0 { peakBin += max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) }
            }
        }
        features.dominantHz.append(peakBin * Float(grid.binHz))
        features.overtoneRatio.append(overtone)
        features.flatness.append(flatness)
        features.fluxDB.append(flux / bins)
        features.persistence.append(total > 0 ? min(1, persistent / total) : 0)
        features.divergenceDB.append(10 * log10f(max(ratioSum / bins, 1e-6)))
    }
}
