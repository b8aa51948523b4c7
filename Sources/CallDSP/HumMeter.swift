import Foundation

/// One block of about half a second: how much of its power is mains hum (50 or 60 Hz and their
/// harmonics), measured as the power of the harmonics' spectral lines above the noise between them.
public struct HumBlock: Sendable, Equatable {
    public var startSample: Int
    public var sampleCount: Int
    /// Mean power of the block (full scale 1.0).
    public var power: Float
    /// Power in the 50 Hz and the 60 Hz harmonic lines above the local noise.
    public var hum50Power: Float
    public var hum60Power: Float
    /// Blocks at or under this power are digital silence: no hum is measured or read there.
    public static let silentPower: Float = 1e-10
}

/// Streams a channel in blocks of about half a second (2 Hz bins: 50 Hz harmonics are 25 bins
/// apart, with the line's own noise between them) and measures each block's hum. A frame's
/// 32 ms spectrum cannot: its 31 Hz bins blur hum into the noise around it. One long FFT per
/// half second costs about as much as two frames.
final class HumMeter {
    private let fft: RealFFT
    private let window: [Float]
    private var buffer: [Float]
    private var fill = 0
    private var nextStart = 0
    private var power: [Float]
    private let binHz: Double
    /// Turns |X[k]|² into the power of a line summed over its bins (Parseval for a Hann window).
    private let scale: Float
    private(set) var blocks: [HumBlock] = []
    /// Harmonics up to this frequency: hum's energy is in the first few hundred hertz.
    static let highestHarmonicHz = 1000.0

    init(sampleRateHz: Int, planner: FFTPlanner) {
        var size = 1024
        while size < sampleRateHz / 2 { size *= 2 }
        fft = RealFFT(size: size, planner: planner)
        window = (0..<size).map { 0.5 - 0.5 * cosf(2 * .pi * Float($0) / Float(size)) }
        buffer = [Float](repeating: 0, count: size)
        power = [Float](repeating: 0, count: size / 2 + 1)
        binHz = Double(sampleRateHz) / Double(size)
        scale = 2 / (Float(size) * window.reduce(0) { $0 + $1 * $1 })
    }

    /// `unused(start, count)` says whether a block's hum will never be read (sound in it: the hum
    /// is read only on blocks where the line alone plays); such a block gets no spectrum.
    func consume(_ samples: UnsafeBufferPointer<Float>, unused: (_ startSample: Int, _ sampleCount: Int) -> Bool = { _, _ in false }) {
        var index = 0
        while index < samples.count {
            let take = min(buffer.count - fill, samples.count - index)
            buffer.replaceSubrange(fill..<(fill + take), with: samples[index..<(index + take)])
            fill += take
            index += take
            if fill == buffer.count { analyse(skippingSpectrum: unused(nextStart, buffer.count)); fill = 0 }
        }
    }

    private func analyse(skippingSpectrum unused: Bool) {
        let n = buffer.count
        var meanSquare: Float = 0
        buffer.withUnsafeBufferPointer { b in
            // Four partial sums: one running sum is a chain of dependent additions.
            var squares = SIMD4<Float>(), i = 0
            let base = b.baseAddress!
            while i + 4 <= n {
                let x = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Float>.self)
                squares += x * x
                i += 4
            }
            while i < n { meanSquare += b[i] * b[i]; i += 1 }
            meanSquare += (squares[0] + squares[1]) + (squares[2] + squares[3])
        }
        meanSquare /= Float(n)
        guard !unused && meanSquare > HumBlock.silentPower else {
            blocks.append(HumBlock(startSample: nextStart, sampleCount: n, power: meanSquare, hum50Power: 0, hum60Power: 0))
            nextStart += n
            return
        }
        buffer.withUnsafeBufferPointer { b in
            window.withUnsafeBufferPointer { w in
                power.withUnsafeMutableBufferPointer { p in
                    fft.powerSpectrum(fillInput: { input in for i in 0..<n { input[i] = b[i] * w[i] } }, into: p)
                }
            }
        }
        blocks.append(HumBlock(startSample: nextStart, sampleCount: n, power: meanSquare,
                               hum50Power: linePower(mainsHz: 50), hum60Power: linePower(mainsHz: 60)))
        nextStart += n
    }

    /// The harmonics' power above the noise between them. A harmonic counts only where its lobe
    /// stands at least 6 dB above that noise: summing noise's ups and downs over many harmonics
    /// would report hum on every line.
    private func linePower(mainsHz: Double) -> Float {
        let last = power.count - 1
        var total: Float = 0
        var h = 1
        while Double(h) * mainsHz <= min(Self.highestHarmonicHz, binHz * Double(last - 16)) {
            let centre = Int((Double(h) * mainsHz / binHz).rounded())
            var lobe: Float = 0
            for k in (centre - 3)...(centre + 3) { lobe += power[k] }
            var around: Float = 0
            for d in 6...12 { around += power[max(1, centre - d)] + power[centre + d] }
            let floorPerBin = around / 14
            if lobe > 4 * 7 * floorPerBin { total += lobe - 7 * floorPerBin }
            h += 1
        }
        return total * scale
    }
}
