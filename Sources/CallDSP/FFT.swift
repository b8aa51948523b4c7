internal import CFFTW
import Synchronization

/// The one place FFTW plans are made and destroyed. FFTW's planner is not thread-safe; execution of
/// distinct plans is. Passed down from the composition root so that planning stays visible; its
/// lock is process-wide because FFTW's planner state is (two planners in one process, as in
/// parallel tests, must still take turns).
public final class FFTPlanner: Sendable {
    private static let lock = Mutex(())

    public init() {}

    func withPlannerLock<R>(_ body: () -> R) -> R {
        var result: R?
        Self.lock.withLock { _ in result = body() }
        return result!
    }
}

/// A real-to-complex FFT of one even size with its own aligned buffers and a plan made once.
/// Not Sendable: each concurrent task makes its own.
public final class RealFFT {
    public let size: Int
    public var binCount: Int { size / 2 + 1 }
    private let input: UnsafeMutablePointer<Float>
    private let output: OpaquePointer  // fftwf_complex*
    private let plan: OpaquePointer?
    private let planner: FFTPlanner

    public init(size: Int, planner: FFTPlanner) {
        precondition(size >= 4 && size % 2 == 0, "FFT size must be even")
        self.size = size
        self.planner = planner
        let realIn = fftwf_alloc_real(size)!
        let complexOut = fftwf_alloc_complex(size / 2 + 1)!
        input = realIn
        output = OpaquePointer(complexOut)
        // ESTIMATE: plans in microseconds (MEASURE measured no faster at 256 points) and leaves the buffers alone.
        plan = planner.withPlannerLock {
            fftwf_plan_dft_r2c_1d(Int32(size), realIn, complexOut, UInt32(FFTW_ESTIMATE))
        }
        realIn.initialize(repeating: 0, count: size)
    }

    deinit {
        planner.withPlannerLock { fftwf_destroy_plan(plan) }
        fftwf_free(input)
        fftwf_free(UnsafeMutableRawPointer(output))
    }

    /// Fills the FFT input with `body`, runs the transform, and writes |X[k]|² into `power`.
    /// - Complexity: O(n log n), no allocation.
    /// Only bins below `bins` are written when it is given (the rest are not needed).
    public func powerSpectrum(
        fillInput body: (UnsafeMutableBufferPointer<Float>) -> Void,
        into power: UnsafeMutableBufferPointer<Float>, bins: Int? = nil
    ) {
        let count = min(bins ?? binCount, binCount)
        precondition(power.count >= count)
        body(UnsafeMutableBufferPointer(start: input, count: size))
        fftwf_execute(plan)
        let out = UnsafeMutableRawPointer(output).assumingMemoryBound(to: Float.self)
        for k in 0..<count {
            let re = out[2 * k], im = out[2 * k + 1]
            power[k] = re * re + im * im
        }
    }
}
