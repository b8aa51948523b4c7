/// Where analysis frames sit in a signal: every conversion between samples, frames and seconds goes
/// through here, never inline arithmetic (librosa's `convert` module is the model).
public struct FrameGrid: Sendable, Equatable {
    public let sampleRateHz: Double
    /// Samples in one analysis window.
    public let frameLength: Int
    /// Samples between successive frame starts.
    public let hopLength: Int

    public init(sampleRateHz: Double, frameLength: Int, hopLength: Int) {
        precondition(sampleRateHz > 0 && frameLength > 0 && hopLength > 0)
        self.sampleRateHz = sampleRateHz
        self.frameLength = frameLength
        self.hopLength = hopLength
    }

    /// The grid CallQA analyses every call on: a 10 ms hop and a 32 ms window at every rate, so
    /// that the features mean the same at 8 kHz and at 48 kHz: bins about 31 Hz wide, peaks that
    /// must stand still for the same time. The window is the even length nearest 32 ms whose only
    /// prime factors are 2, 3, 5 and 7 (FFTW's fast sizes): 256 at 8 kHz, 512 at 16 kHz, 1536 at
    /// 48 kHz, 1400 at 44.1 kHz. (A power of two would be 23 ms at 44.1 kHz and 43 ms at 48 kHz:
    /// two ring-back tones 40 Hz apart merge at the one, speech harmonics read as held notes at
    /// the other.)
    public static func standard(sampleRateHz: Double) -> FrameGrid {
        let hop = max(1, Int((sampleRateHz * 0.010).rounded()))
        let target = sampleRateHz * 0.032
        var best = 16
        for length in stride(from: 16, through: Int(target * 1.5) + 2, by: 2) where isFastSize(length) {
            if abs(Double(length) - target) < abs(Double(best) - target) { best = length }
        }
        return FrameGrid(sampleRateHz: sampleRateHz, frameLength: best, hopLength: hop)
    }

    /// Whether `n` has no prime factor above 7.
    static func isFastSize(_ n: Int) -> Bool {
        var m = n
        for p in [2, 3, 5, 7] { while m % p == 0 { m /= p } }
        return m == 1
    }

    public var hopSeconds: Double { Double(hopLength) / sampleRateHz }
    /// Width of one FFT bin in Hz.
    public var binHz: Double { sampleRateHz / Double(frameLength) }
    public var binCount: Int { frameLength / 2 + 1 }

    /// Time of a frame's centre of hop (frames are labelled by the hop they start).
    public func seconds(ofFrame frameIndex: Int) -> Double { Double(frameIndex * hopLength) / sampleRateHz }
    public func frame(atSeconds seconds: Double) -> Int { Int((seconds * sampleRateHz / Double(hopLength)).rounded(.down)) }
    public func seconds(ofSample sampleIndex: Int) -> Double { Double(sampleIndex) / sampleRateHz }
    public func frames(inSeconds seconds: Double) -> Int { max(1, Int((seconds / hopSeconds).rounded())) }
    public func samples(inSeconds seconds: Double) -> Int { Int((seconds * sampleRateHz).rounded()) }
    public func bin(ofHz hz: Double) -> Int { min(binCount - 1, max(0, Int((hz / binHz).rounded()))) }
    public func hz(ofBin bin: Int) -> Double { Double(bin) * binHz }
}

/// A half-open range of seconds.
public struct TimeRange: Sendable, Equatable, Codable {
    public var startSeconds: Double
    public var endSeconds: Double
    public init(startSeconds: Double, endSeconds: Double) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }
    public var durationSeconds: Double { endSeconds - startSeconds }
}

/// A half-open range of frame indices.
public struct FrameRange: Sendable, Hashable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }
    public var count: Int { end - start }
}
