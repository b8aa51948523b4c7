import CallDSP
import Foundation
import Testing

@Suite struct FrameGridTests {
    @Test func standardGridIsTenMillisecondHops() {
        let g8 = FrameGrid.standard(sampleRateHz: 8000)
        #expect(g8.hopLength == 80 && g8.frameLength == 256)
        let g16 = FrameGrid.standard(sampleRateHz: 16000)
        #expect(g16.hopLength == 160 && g16.frameLength == 512)
        #expect(abs(g8.seconds(ofFrame: 250) - 2.5) < 1e-12)
        #expect(g8.frame(atSeconds: 2.5) == 250)
        #expect(g8.bin(ofHz: 1000) == 32)
        // 32 ms windows at every rate (FFTW-friendly lengths), so bins stay about 31 Hz wide.
        for (rate, length) in [(11025.0, 350), (22050.0, 700), (32000.0, 1024), (44100.0, 1400), (48000.0, 1536)] {
            let g = FrameGrid.standard(sampleRateHz: rate)
            #expect(g.frameLength == length, "at \(rate) Hz")
            #expect(abs(g.binHz - 31.25) < 1, "at \(rate) Hz")
        }
    }
}

@Suite struct SpectrumTests {
    @Test func fullScaleSineReadsHalfPowerInItsBins() {
        let planner = FFTPlanner()
        let fft = RealFFT(size: 256, planner: planner)
        var power = [Float](repeating: 0, count: fft.binCount)
        let n = 256
        let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        power.withUnsafeMutableBufferPointer { p in
            fft.powerSpectrum(fillInput: { input in
                for i in 0..<n { input[i] = Float(window[i] * sin(2 * Double.pi * 32 * Double(i) / Double(n))) }
            }, into: p)
        }
        let scale: Float = 16 / (3 * Float(n * n))
        let bandPower = (30...34).reduce(Float(0)) { $0 + power[$1] } * scale
        #expect(abs(bandPower - 0.5) < 0.01)
        #expect(power[32] > 1000 * power[50])
    }

    @Test func goertzelFindsItsToneAndIgnoresOthers() {
        let sr = 8000.0
        let x = (0..<800).map { Float(0.5 * sin(2 * Double.pi * 450 * Double($0) / sr)) }
        let on = x.withUnsafeBufferPointer { Goertzel(frequencyHz: 450, sampleRateHz: sr).power($0) }
        let off = x.withUnsafeBufferPointer { Goertzel(frequencyHz: 1000, sampleRateHz: sr).power($0) }
        #expect(abs(on - 0.125) < 0.005)  // 0.5² / 2
        #expect(off < on / 1000)
    }
}

@Suite struct ActiveSpeechLevelTests {
    /// A 1 kHz tone at −20 dBov (amplitude 0.1·√2) gated 1 s on, 1 s off. P.56 counts 0.2 s of
    /// hangover plus the envelope's decay as active, so the reference reads −21.15 dBov at activity
    /// 0.640 (SampleAudio/generate.py's sample-exact p56_active_level), not the whole-signal −23 dBov.
    @Test func gatedToneReadsItsOnLevel() {
        let sr = 8000.0
        let grid = FrameGrid.standard(sampleRateHz: sr)
        var meter = ActiveSpeechLevelMeter(sampleRateHz: sr)
        var summaries: [ActiveSpeechLevelMeter.FrameSummary] = []
        let amplitude = 0.1 * 2.0.squareRoot()
        var hop = [Float](repeating: 0, count: grid.hopLength)
        for f in 0..<1000 {
            for i in 0..<grid.hopLength {
                let t = Double(f * grid.hopLength + i) / sr
                let on = Int(t) % 2 == 0
                hop[i] = on ? Float(amplitude * sin(2 * Double.pi * 1000 * t)) : 0
            }
            hop.withUnsafeBufferPointer { meter.consume($0) }
            summaries.append(meter.endFrame())
        }
        let level = summaries.withUnsafeBufferPointer {
            ActiveSpeechLevelMeter.measure($0, samplesPerHop: grid.hopLength, ranges: [FrameRange(start: 0, end: 1000)])
        }
        #expect(level != nil)
        #expect(abs(level!.levelDBov - -21.148) < 0.1)
        #expect(abs(level!.activityFactor - 0.640) < 0.02)
    }

    @Test func silenceHasNoLevel() {
        let summaries = [ActiveSpeechLevelMeter.FrameSummary](
            repeating: .init(sumOfSquares: 0, heldEnvelopeMin: 0, heldEnvelopeMax: 0), count: 10)
        let level = summaries.withUnsafeBufferPointer {
            ActiveSpeechLevelMeter.measure($0, samplesPerHop: 80, ranges: [FrameRange(start: 0, end: 10)])
        }
        #expect(level == nil || level!.levelDBov < -100)
    }
}

@Suite struct ClipDetectorTests {
    @Test func countsRunsAtFullScaleOnly() {
        var d = ClipDetector()
        let x: [Float] = [0.1, 1, 1, 1, 1, 0.2, -1, -1, 0.3, 0.99, 0.98, 0.5, -0.98, -0.98, -0.98]
        x.withUnsafeBufferPointer { d.consume($0) }
        #expect(d.clippedRunCount == 2)  // four at +1, three at −0.98 (μ-law's ceiling); two at −1 is too short
        #expect(d.clippedSampleCount == 7)
    }
}

@Suite struct PitchTests {
    /// A voiced, speech-like signal with a known F0 contour: harmonics falling 12 dB/octave, a
    /// glide of ±10 % (a Mandarin tone's range), syllable-rate amplitude modulation, line noise.
    static func voice(f0: Double, sampleRateHz: Double, seconds: Double, seed: UInt64) -> [Float] {
        var rng = seed
        func noise() -> Double {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: rng >> 11) % 2000) / 1000 - 1
        }
        var phase = 0.0
        return (0..<Int(seconds * sampleRateHz)).map { i in
            let t = Double(i) / sampleRateHz
            let hz = f0 * (1 + 0.1 * sin(2 * .pi * 0.7 * t))
            phase += 2 * .pi * hz / sampleRateHz
            var x = 0.0
            var h = 1
            while Double(h) * hz < sampleRateHz / 2 - 200 {
                x += sin(Double(h) * phase) / Double(h * h)
                h += 1
            }
            let envelope = 0.6 + 0.4 * sin(2 * .pi * 4 * t)
            return Float(0.2 * x * envelope + 0.002 * noise())
        }
    }

    @Test(arguments: [(90.0, 8000.0), (130.0, 8000.0), (210.0, 8000.0), (300.0, 16000.0)])
    func medianF0IsWithinFivePercent(f0: Double, rate: Double) {
        let grid = FrameGrid.standard(sampleRateHz: rate)
        let extractor = ChannelFeatureExtractor(grid: grid, planner: FFTPlanner())
        let x = Self.voice(f0: f0, sampleRateHz: rate, seconds: 4, seed: UInt64(f0))
        x.withUnsafeBufferPointer { extractor.consume($0) }
        let features = extractor.finish()
        var voiced = features.f0Hz.filter { $0 > 0 }.map(Double.init)
        voiced.sort()
        #expect(voiced.count > features.frameCount / 2, "most frames voiced")
        let median = voiced[voiced.count / 2]
        // The contour's median is f0 itself (the glide is symmetric).
        #expect(abs(median - f0) / f0 <= 0.05, "median F0 \(median) Hz for \(f0) Hz")
    }

    @Test func noiseIsNotVoiced() {
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        let extractor = ChannelFeatureExtractor(grid: grid, planner: FFTPlanner())
        var rng: UInt64 = 7
        let x: [Float] = (0..<16000).map { _ in
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: rng >> 11) % 2000) / 10000 - 0.1
        }
        x.withUnsafeBufferPointer { extractor.consume($0) }
        let features = extractor.finish()
        #expect(features.f0Hz.filter { $0 > 0 }.count < features.frameCount / 20)
    }
}

@Suite struct OpeningTests {
    /// A voice from the very first sample: the noise warm-up first learns it as noise, and the
    /// opening is measured again once the real noise (a quiet line after it) is known, pitch included.
    @Test func aVoiceFromTheFirstSampleIsActiveAndPitched() {
        let rate = 8000.0
        let grid = FrameGrid.standard(sampleRateHz: rate)
        var state: UInt64 = 3
        let x = (0..<Int(2 * rate)).map { i -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = 0.0003 * (Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1)
            guard Double(i) < rate else { return noise }  // 1 s of voice, then the quiet line
            let t = Double(i) / rate
            let voice = (1...12).reduce(0.0) { $0 + sin(2 * .pi * 120 * Double($1) * t) / Double($1) }
            return noise + Float(0.05 * voice)
        }
        let extractor = ChannelFeatureExtractor(grid: grid, planner: FFTPlanner())
        x.withUnsafeBufferPointer { extractor.consume($0) }
        let f = extractor.finish()
        let opening = 3..<25  // the first quarter second, inside the warm-up
        #expect(opening.allSatisfy { f.divergenceDB[$0] >= 10 }, "\(opening.map { f.divergenceDB[$0] })")
        let pitched = opening.filter { abs(f.f0Hz[$0] - 120) <= 6 }.count
        #expect(pitched >= opening.count * 3 / 4, "F0 \(opening.map { f.f0Hz[$0] })")
    }
}
