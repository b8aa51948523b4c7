import Foundation

/// Speech from the very first sample is learned as noise by the extractor's warm-up, so the opening
/// frames read as quiet. Their band spectra (and, where no pitch was taken, their samples) are kept
/// until the opening is over; then their divergence is measured again against the noise learned
/// by then (the larger of the two is kept: a line that got noisier later must not hide early speech
/// either), and those that turn out to be speech get their F0. A short prompt is all opening.
/// A leg that comes alive after digital silence is a new line too: it gets an opening of its own.
struct OpeningRevisit {
    /// The opening's first frame, and the frame after its last.
    let startFrame: Int
    let endFrame: Int
    private(set) var isDone = false
    private var spectra: [Float] = []
    private var windows: [(frame: Int, samples: [Float])] = []

    init(startFrame: Int = 0, frames: Int) { self.startFrame = startFrame; self.endFrame = startFrame + frames }

    /// One frame's band spectrum (the bins the noise is tracked on), in order.
    mutating func keepSpectrum(_ band: UnsafeBufferPointer<Float>) { spectra.append(contentsOf: band) }

    /// The samples of a frame that got no pitch.
    mutating func keepUnpitched(frame: Int, samples: [Float]) { windows.append((frame, samples)) }

    /// Measures the kept frames again. `noise` is the per-bin noise over the same bins.
    mutating func revisit(
        noise: UnsafeBufferPointer<Float>, divergenceDB: inout [Float], f0Hz: inout [Float],
        pitch: (UnsafeBufferPointer<Float>) -> Float
    ) {
        guard !isDone else { return }
        isDone = true
        let bins = noise.count
        let count = bins > 0 ? min(spectra.count / bins, divergenceDB.count - startFrame) : 0
        for i in 0..<max(0, count) {
            var ratioSum: Float = 0
            for k in 0..<bins { ratioSum += spectra[i * bins + k] / max(noise[k], 1e-11) }
            let f = startFrame + i
            divergenceDB[f] = max(divergenceDB[f], 10 * log10f(max(ratioSum / Float(bins), 1e-6)))
        }
        for (f, samples) in windows where f < f0Hz.count && divergenceDB[f] >= 5 {
            let hz = samples.withUnsafeBufferPointer(pitch)
            f0Hz[f] = hz
            // The odd frame after it copies its pitch, as when streaming.
            if f + 1 < f0Hz.count && divergenceDB[f + 1] >= 5 && f0Hz[f + 1] == 0 { f0Hz[f + 1] = hz }
        }
        spectra = []
        windows = []
    }
}
