internal import CFFTW
import Foundation
import Synchronization

/// The one place FFTW plans are made and destroyed. FFTW's planner is not thread-safe; execution of
/// distinct plans is. Passed down from the composition root so that planning stays visible; its
/// lock is process-wide because FFTW's planner state is (two planners in one process, as in
/// parallel tests, must still take turns).
///
/// Measured plans run the transforms 25–30% faster than estimated ones (256, 1024 and 4096
/// points on this project's hosts), but measuring takes about a second per process. FFTW keeps
/// what it measured as "wisdom", which the caller may save and give back: with it, measured plans
/// cost nothing to make. Without a place to keep it, plan by estimate.
public final class FFTPlanner: Sendable {
    public enum Rigor: Sendable { case estimate, measure }

    private static let lock = Mutex(())
    public let rigor: Rigor

    public init(rigor: Rigor = .estimate) {
        self.rigor = rigor
    }

    var flags: UInt32 { UInt32(rigor == .measure ? FFTW_MEASURE : FFTW_ESTIMATE) }

    func withPlannerLock<R>(_ body: () -> R) -> R {
        var result: R?
        Self.lock.withLock { _ in result = body() }
        return result!
    }

    /// Adds FFTW wisdom exported by `exportWisdom()` (of this FFTW build); false when FFTW
    /// rejects the text, which then changes nothing.
    public func importWisdom(_ text: String) -> Bool {
        withPlannerLock { fftwf_import_wisdom_from_string(text) != 0 }
    }

    /// Forgets everything FFTW has learned in this process (plans already made are kept). Its
    /// estimated plans use any measured wisdom at hand, so a test that measured calls this after.
    public func forgetWisdom() {
        withPlannerLock { fftwf_forget_wisdom() }
    }

    /// Everything FFTW has learned in this process, as text.
    public func exportWisdom() -> String {
        withPlannerLock {
            guard let text = fftwf_export_wisdom_to_string() else { return "" }
            defer { free(text) }
            return String(cString: text)
        }
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
        // Measuring overwrites the buffers: they are cleared after planning.
        plan = planner.withPlannerLock {
            fftwf_plan_dft_r2c_1d(Int32(size), realIn, complexOut, planner.flags)
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
