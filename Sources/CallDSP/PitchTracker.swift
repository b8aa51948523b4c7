internal import CFFTW
import Foundation

/// F0 of one frame by YIN's cumulative-mean-normalised difference, computed from an FFT
/// autocorrelation (zero-padded past the longest lag, so no lag wraps around). Plans made once.
/// Not Sendable: it owns FFTW plans and buffers; one per channel extractor.
public final class PitchTracker {
    public static let minimumHz = 70.0
    public static let maximumHz = 450.0
    /// A frame is voiced when the normalised difference dips below this (YIN's threshold).
    public static let voicingThreshold: Float = 0.2

    public let frameLength: Int
    private let size: Int
    private let sampleRateHz: Double
    private let minLag: Int, maxLag: Int
    private let input: UnsafeMutablePointer<Float>
    private let spectrum: UnsafeMutablePointer<fftwf_complex>
    private let correlation: UnsafeMutablePointer<Float>
    private let forward: OpaquePointer?
    private let inverse: OpaquePointer?
    private let planner: FFTPlanner
    /// Running energy of the frame's tail, for YIN's difference: d(τ) = e(0..N−τ) + e(τ..N) − 2r(τ).
    private var prefixEnergy: [Double]
    private var difference: [Float]

    public init(frameLength: Int, sampleRateHz: Double, planner: FFTPlanner) {
        self.frameLength = frameLength
        self.sampleRateHz = sampleRateHz
        self.planner = planner
        minLag = max(2, Int((sampleRateHz / Self.maximumHz).rounded(.down)))
        maxLag = min(frameLength / 2, Int((sampleRateHz / Self.minimumHz).rounded(.up)))
        size = Self.transformSize(atLeast: frameLength + maxLag + 1)
        input = fftwf_alloc_real(size)!
        spectrum = fftwf_alloc_complex(size / 2 + 1)!
        correlation = fftwf_alloc_real(size)!
        let (i, s, c, n) = (input, spectrum, correlation, Int32(size))
        forward = planner.withPlannerLock { fftwf_plan_dft_r2c_1d(n, i, s, planner.flags) }
        inverse = planner.withPlannerLock { fftwf_plan_dft_c2r_1d(n, s, c, planner.flags) }
        input.initialize(repeating: 0, count: size)
        prefixEnergy = [Double](repeating: 0, count: frameLength + 1)
        difference = [Float](repeating: 0, count: maxLag + 2)
    }

    /// The smallest 2^a·5^b at or above `minimum`: zero padding to the frame plus the longest lag
    /// keeps every lag from wrapping, and FFTW's plans at such sizes (400 for a 256-sample frame)
    /// cost two thirds of the next power of two's.
    static func transformSize(atLeast minimum: Int) -> Int {
        var best = 1
        while best < minimum { best *= 2 }
        var fives = 1
        while fives < minimum {
            fives *= 5
            var n = fives * 2  // even, for the real transform's halves
            while n < minimum { n *= 2 }
            best = min(best, n)
        }
        return best
    }

    deinit {
        planner.withPlannerLock {
            fftwf_destroy_plan(forward)
            fftwf_destroy_plan(inverse)
        }
        fftwf_free(input)
        fftwf_free(spectrum)
        fftwf_free(correlation)
    }

    /// F0 in Hz and YIN's aperiodicity (0 = perfectly periodic) of the unwindowed frame that
    /// `fill` writes (frameLength samples); F0 is 0 when the frame is not voiced.
    public func analyse(fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> (hz: Float, aperiodicity: Float) {
        let n = frameLength
        fill(UnsafeMutableBufferPointer(start: input, count: n))
        for i in n..<size { input[i] = 0 }
        // Prefix sums four samples at a time: one running sum is a chain of dependent additions.
        var sum = 0.0
        prefixEnergy.withUnsafeMutableBufferPointer { prefix in
            prefix[0] = 0
            var i = 0
            while i + 4 <= n {
                let a = Double(input[i] * input[i]), b = Double(input[i + 1] * input[i + 1])
                let c = Double(input[i + 2] * input[i + 2]), d = Double(input[i + 3] * input[i + 3])
                let ab = a + b, abc = ab + c
                prefix[i + 1] = sum + a; prefix[i + 2] = sum + ab; prefix[i + 3] = sum + abc
                sum += abc + d
                prefix[i + 4] = sum
                i += 4
            }
            while i < n { sum += Double(input[i] * input[i]); prefix[i + 1] = sum; i += 1 }
        }
        guard sum > 1e-10 else { return (0, 1) }
        fftwf_execute(forward)
        let bins = size / 2 + 1
        let raw = UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: Float.self)
        for k in 0..<bins {
            let re = raw[2 * k], im = raw[2 * k + 1]
            raw[2 * k] = re * re + im * im
            raw[2 * k + 1] = 0
        }
        fftwf_execute(inverse)
        // correlation[τ] = size · r(τ); difference and its cumulative-mean normalisation.
        let scale = 1 / Float(size)
        var best = -1
        let maxLag = self.maxLag
        prefixEnergy.withUnsafeBufferPointer { prefix in
            difference.withUnsafeMutableBufferPointer { difference in
                // The differences first (independent of each other), then their running sum in
                // blocks of four (as above), then the normalisation.
                difference[0] = 1
                for tau in 1...maxLag {
                    let head = prefix[n - tau]                   // Σ x[j]², j < n − τ
                    let tail = prefix[n] - prefix[tau]           // Σ x[j]², j ≥ τ
                    difference[tau] = Float(head + tail) - 2 * correlation[tau] * scale
                }
                var running: Float = 0, tau = 1
                while tau <= maxLag {
                    if tau + 4 <= maxLag + 1 {
                        let a = difference[tau], b = difference[tau + 1], c = difference[tau + 2], d = difference[tau + 3]
                        let ab = a + b, abc = ab + c
                        let sums = SIMD4<Float>(running + a, running + ab, running + abc, running + (abc + d))
                        running = sums[3]
                        let lags = SIMD4<Float>(Float(tau), Float(tau + 1), Float(tau + 2), Float(tau + 3))
                        let normalised = SIMD4<Float>(a, b, c, d) * lags / sums
                        for j in 0..<4 { difference[tau + j] = sums[j] > 0 ? normalised[j] : 1 }
                        tau += 4
                    } else {
                        let d = difference[tau]
                        running += d
                        difference[tau] = running > 0 ? d * Float(tau) / running : 1
                        tau += 1
                    }
                }
            }
        }
        // The first dip under the threshold, followed to its minimum (YIN step 4).
        var tau = minLag
        while tau <= maxLag {
            if difference[tau] < Self.voicingThreshold {
                while tau + 1 <= maxLag && difference[tau + 1] < difference[tau] { tau += 1 }
                best = tau
                break
            }
            tau += 1
        }
        guard best > 0 else {
            var minimum: Float = 1
            for t in minLag...maxLag { minimum = min(minimum, difference[t]) }
            return (0, minimum)
        }
        // Parabolic interpolation of the dip.
        var lag = Float(best)
        if best > minLag && best < maxLag {
            let a = difference[best - 1], b = difference[best], c = difference[best + 1]
            let curvature = a - 2 * b + c
            if curvature > 0 { lag += max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) }
        }
        return (Float(sampleRateHz) / lag, difference[best])
    }
}
