import Foundation

/// ITU-T P.56 method B active speech level, split in two so it can be restricted to one party's
/// speech: a streaming envelope pass that keeps a small summary per analysis frame, and a
/// measurement over whichever frames the speech detector later keeps.
///
/// The envelope is |x| through two cascaded one-pole smoothers (0.03 s time constant); a sample is
/// active at threshold c when the envelope reached c within the last 0.2 s (the hangover). The
/// envelope is tracked in 2.5 ms ticks, which is far finer than the 0.2 s hangover it feeds.
/// Noncopyable: it owns its queue's memory (plain pointers, as the queue is touched every
/// tick and array access there cost a uniqueness check per tick).
public struct ActiveSpeechLevelMeter: ~Copyable {
    /// One frame's contribution: energy, and the range of the hangover-held envelope inside it.
    /// 12 bytes, kept for every 10 ms of a call: its sample count is the hop's, held once per
    /// channel (`measure`'s `samplesPerHop`), not per frame.
    public struct FrameSummary: Sendable {
        public var sumOfSquares: Float
        public var heldEnvelopeMin: Float
        public var heldEnvelopeMax: Float

        public init(sumOfSquares: Float, heldEnvelopeMin: Float, heldEnvelopeMax: Float) {
            self.sumOfSquares = sumOfSquares
            self.heldEnvelopeMin = heldEnvelopeMin
            self.heldEnvelopeMax = heldEnvelopeMax
        }
    }

    public static let timeConstantSeconds = 0.03
    public static let hangoverSeconds = 0.2
    /// The envelope's step: a quarter of a 10 ms hop, far finer than the 0.2 s hangover it feeds.
    static let tickSeconds = 0.0025
    /// P.56's margin between the active level and the activity threshold.
    public static let marginDB = 15.9

    private let smoothing: Float
    private let samplesPerTick: Int
    private var stage1: Float = 0
    private var stage2: Float = 0
    private var tickMax: Float = 0
    private var tickAbsSum: Float = 0
    /// The smoothing of one tick: the per-sample factor to the tick's length.
    private let tickSmoothing: Float
    /// (1 − g)·m·g^m for a tick of m samples.
    private let tickCarry: Float
    private var tickFill = 0
    /// Sliding maximum over the hangover, as a monotonic queue of (tick, value) in a ring.
    private let queueTicks: UnsafeMutablePointer<Int>
    private let queueValues: UnsafeMutablePointer<Float>
    private let queueCapacity: Int
    private var queueHead = 0
    private var queueCount = 0
    private let hangoverTicks: Int
    private var tick = 0
    private var held: Float = 0

    private var frameSum: Double = 0
    private var frameMin: Float = .infinity
    private var frameMax: Float = 0

    public init(sampleRateHz: Double) {
        smoothing = Float(exp(-1 / (sampleRateHz * Self.timeConstantSeconds)))
        samplesPerTick = max(1, Int((sampleRateHz * Self.tickSeconds).rounded()))
        tickSmoothing = powf(smoothing, Float(samplesPerTick))
        tickCarry = (1 - smoothing) * Float(samplesPerTick) * tickSmoothing
        hangoverTicks = Int((Self.hangoverSeconds / Self.tickSeconds).rounded())
        queueCapacity = hangoverTicks + 2
        queueTicks = .allocate(capacity: queueCapacity)
        queueTicks.initialize(repeating: 0, count: queueCapacity)
        queueValues = .allocate(capacity: queueCapacity)
        queueValues.initialize(repeating: 0, count: queueCapacity)
    }

    deinit {
        queueTicks.deallocate()
        queueValues.deallocate()
    }

    /// Feeds samples of the current frame.
    /// - Complexity: O(n), no allocation.
    public mutating func consume(_ samples: UnsafeBufferPointer<Float>) {
        // Per sample only sums (vectorised); the smoothers advance once per 2.5 ms tick on the tick's
        // mean |x|. With a 30 ms time constant that is the per-sample envelope to within a few per
        // cent at a sudden onset and within its ripple on steady sound (FastPathTests), and it takes the
        // two-pole chain, a serial dependency on every sample, out of the hot loop.
        var i = 0
        let n = samples.count
        guard let base = samples.baseAddress else { return }
        while i < n {
            let take = min(samplesPerTick - tickFill, n - i)
            var a4 = SIMD4<Float>(), q4 = SIMD4<Float>()
            var j = i
            let end = i + take
            while j + 4 <= end {
                let x = UnsafeRawPointer(base + j).loadUnaligned(as: SIMD4<Float>.self)
                a4 += x.replacing(with: -x, where: x .< 0)
                q4 += x * x
                j += 4
            }
            var absSum = (a4[0] + a4[1]) + (a4[2] + a4[3]), squares = (q4[0] + q4[1]) + (q4[2] + q4[3])
            while j < end {
                let x = base[j]
                absSum += abs(x)
                squares += x * x
                j += 1
            }
            tickAbsSum += absSum
            frameSum += Double(squares)
            tickFill += take
            i += take
            if tickFill == samplesPerTick { closeTick() }
        }
    }

    @inline(__always) private mutating func closeTick() {
        let mean = tickAbsSum / Float(samplesPerTick)
        // The two smoothers' exact step over a tick whose |x| is its mean: stage 2 also sees stage 1's
        // approach to that mean inside the tick (the `tickCarry` term).
        stage2 = tickSmoothing * stage2 + (1 - tickSmoothing) * mean + tickCarry * (stage1 - mean)
        stage1 = tickSmoothing * stage1 + (1 - tickSmoothing) * mean
        tickMax = stage2
        tickAbsSum = 0
        let capacity = queueCapacity
        // A ring buffer indexed without `%`: this runs every tick.
        @inline(__always) func wrap(_ i: Int) -> Int { i >= capacity ? i - capacity : i }
        // Drop smaller values from the back, then expired ones from the front.
        while queueCount > 0 {
            let back = wrap(queueHead + queueCount - 1)
            if queueValues[back] <= tickMax { queueCount -= 1 } else { break }
        }
        let slot = wrap(queueHead + queueCount)
        queueTicks[slot] = tick
        queueValues[slot] = tickMax
        queueCount += 1
        while queueTicks[queueHead] < tick - hangoverTicks {
            queueHead = wrap(queueHead + 1)
            queueCount -= 1
        }
        held = queueValues[queueHead]
        frameMin = min(frameMin, held)
        frameMax = max(frameMax, held)
        tick += 1
        tickMax = 0
        tickFill = 0
    }

    /// Ends the current frame and returns its summary.
    public mutating func endFrame() -> FrameSummary {
        if frameMin == .infinity { frameMin = held; frameMax = held }
        let summary = FrameSummary(
            sumOfSquares: Float(frameSum), heldEnvelopeMin: frameMin, heldEnvelopeMax: frameMax)
        frameSum = 0
        frameMin = .infinity
        frameMax = 0
        return summary
    }
}

/// The result of a P.56 measurement.
public struct ActiveLevel: Sendable, Equatable {
    public var levelDBov: Double
    /// Fraction of the measured samples that were active.
    public var activityFactor: Double
}

extension ActiveSpeechLevelMeter {
    /// P.56 method B over the frames listed in `ranges`.
    /// - Parameter noisePower: mean-square noise present under the speech, subtracted from the
    ///   active power so a noisy line does not read louder than the speech on it.
    /// - Parameter samplesPerHop: samples in every frame but the last, which has `finalHopSamples`
    ///   (a stream's end may cut its last hop short).
    /// - Returns: nil when there is no activity at all.
    /// - Complexity: O(frames × thresholds crossed inside a frame), typically O(frames).
    public static func measure(
        _ summaries: UnsafeBufferPointer<FrameSummary>, samplesPerHop: Int, finalHopSamples: Int? = nil,
        ranges: [FrameRange], noisePower: Double = 0
    ) -> ActiveLevel? {
        // Thresholds every 0.5 dB from −110 dB to +6 dB of full-scale envelope.
        let lowestDB = -110.0, stepDB = 0.5
        let thresholdCount = Int((6 - lowestDB) / stepDB) + 1
        var activeEnergy = [Double](repeating: 0, count: thresholdCount + 1)
        var activeSamples = [Double](repeating: 0, count: thresholdCount + 1)
        var totalSamples = 0.0
        func index(ofDB dB: Double) -> Double { (dB - lowestDB) / stepDB }

        for range in ranges {
            let lo = max(0, range.start), hi = min(summaries.count, range.end)
            guard lo < hi else { continue }
            for f in lo..<hi {
                let s = summaries[f]
                let n = Double(f == summaries.count - 1 ? finalHopSamples ?? samplesPerHop : samplesPerHop)
                guard n > 0 else { continue }
                totalSamples += n
                let energy = Double(s.sumOfSquares)
                let minDB = 20 * log10(max(Double(s.heldEnvelopeMin), 1e-12))
                let maxDB = 20 * log10(max(Double(s.heldEnvelopeMax), 1e-12))
                // Thresholds at or below the frame's minimum: the whole frame is active.
                let full = min(thresholdCount - 1, Int(floor(index(ofDB: minDB))))
                if full >= 0 {
                    activeEnergy[0] += energy; activeSamples[0] += n
                    activeEnergy[full + 1] -= energy; activeSamples[full + 1] -= n
                }
                // Between min and max: part of the frame, interpolated in dB.
                let top = min(thresholdCount - 1, Int(floor(index(ofDB: maxDB))))
                if top >= max(0, full + 1) {
                    for j in max(0, full + 1)...top {
                        let cDB = lowestDB + Double(j) * stepDB
                        let fraction = (maxDB - cDB) / max(maxDB - minDB, 1e-9)
                        activeEnergy[j] += energy * fraction
                        activeSamples[j] += n * fraction
                        activeEnergy[j + 1] -= energy * fraction
                        activeSamples[j + 1] -= n * fraction
                    }
                }
            }
        }
        guard totalSamples > 0 else { return nil }
        // Prefix sums turn the difference arrays into per-threshold totals.
        var previous: (diff: Double, powerDB: Double, samples: Double)?
        var runningEnergy = 0.0, runningSamples = 0.0
        for j in 0..<thresholdCount {
            runningEnergy += activeEnergy[j]
            runningSamples += activeSamples[j]
            guard runningSamples >= 1 else { break }
            let power = max(runningEnergy / runningSamples - noisePower, 1e-12)
            let powerDB = 10 * log10(power)
            let cDB = lowestDB + Double(j) * stepDB
            let diff = powerDB - cDB
            if diff <= marginDB {
                guard let p = previous else {
                    return ActiveLevel(levelDBov: powerDB, activityFactor: runningSamples / totalSamples)
                }
                let t = (p.diff - marginDB) / max(p.diff - diff, 1e-9)
                let level = p.powerDB + t * (powerDB - p.powerDB)
                let activity = p.samples + t * (runningSamples - p.samples)
                return ActiveLevel(levelDBov: level, activityFactor: activity / totalSamples)
            }
            previous = (diff, powerDB, runningSamples)
        }
        guard let p = previous else { return nil }
        return ActiveLevel(levelDBov: p.powerDB, activityFactor: p.samples / totalSamples)
    }
}
