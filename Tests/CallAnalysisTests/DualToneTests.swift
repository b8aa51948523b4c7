@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Dual call-progress tones whose strongest peak flicks between their two frequencies (as through
/// Opus) stay tones; a voice-like glide through two such frequencies does not become one.
@Suite struct DualToneTests {
    static let rate = 8000

    /// Faint line noise (about −60 dBov) with `signal` added.
    static func line(seconds: Double, _ signal: (Double) -> Double) -> [Float] {
        var seed: UInt64 = 21
        return (0..<Int(seconds * Double(rate))).map { i in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let noise = Double(Int64(seed >> 40) - (1 << 23)) / Double(1 << 23) * 1.5e-3
            return Float(noise + signal(Double(i) / Double(rate)))
        }
    }

    static func labels(_ x: [Float], configuration: SpeechDetector.Configuration = .init()) -> [SpeechDetector.FrameClass] {
        let extractor = ChannelFeatureExtractor(grid: .standard(sampleRateHz: Double(rate)), planner: FFTPlanner())
        x.withUnsafeBufferPointer { extractor.consume($0) }
        return SpeechDetector(configuration: configuration).classify(extractor.finish())
    }

    /// Share of the frames labelled tone within `spans` (seconds into each period) of `times`
    /// periods of `everySeconds`.
    static func toneShare(_ labels: [SpeechDetector.FrameClass], within spans: [(Double, Double)],
                          everySeconds: Double, times: Int) -> Double {
        var frames = 0, tones = 0
        for period in 0..<times {
            for (on, off) in spans {
                let base = Double(period) * everySeconds
                for f in Int((base + on) * 100)..<Int((base + off) * 100) {
                    frames += 1
                    if labels[f] == .tone { tones += 1 }
                }
            }
        }
        return Double(tones) / Double(max(frames, 1))
    }

    @Test func aUKRingBackWhosePeakFlicksIsStillATone() {
        // 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off; within a burst one of the two is
        // 12 dB stronger in turn every 30 ms, so the strongest peak jumps 50 Hz, past the 40 Hz a
        // single tone may wander.
        let x = Self.line(seconds: 9) { t in
            let phase = t.truncatingRemainder(dividingBy: 3)
            guard phase < 0.4 || (phase >= 0.6 && phase < 1.0) else { return 0 }
            let lowLoud = Int(t / 0.03) % 2 == 0
            return 0.05 * ((lowLoud ? 1 : 0.25) * sin(2 * .pi * 400 * t) + (lowLoud ? 0.25 : 1) * sin(2 * .pi * 450 * t))
        }
        // The middle of every burst (its edges blur over a window).
        let share = Self.toneShare(Self.labels(x), within: [(0.05, 0.35), (0.65, 0.95)], everySeconds: 3, times: 3)
        #expect(share >= 0.9, "\(share) of the bursts' frames are tone")
    }

    @Test func aRingBackThatBeatsAndSwingsInLevelIsStillATone() {
        // 440 + 480 Hz, 2 s on, 4 s off, as through GSM: which half is the stronger changes every
        // 20 ms, and the level swings 7 dB from one 20 ms block to the next. Past the 6 dB a steady
        // tone may vary, but the peak hops: a beating dual tone, allowed 10 dB.
        let x = Self.line(seconds: 12) { t in
            guard t.truncatingRemainder(dividingBy: 6) < 2 else { return 0 }
            let block = Int(t / 0.02)
            let lowLoud = block % 2 == 0, gain = block % 3 == 0 ? 0.45 : 1.0
            return 0.05 * gain * ((lowLoud ? 1 : 0.4) * sin(2 * .pi * 440 * t) + (lowLoud ? 0.4 : 1) * sin(2 * .pi * 480 * t))
        }
        // 0.83 measured with the beating rule alone (a run is judged on the 6 dB range until its
        // hops show), 1.0 with the swinging-tone rule; 0 without either.
        let share = Self.toneShare(Self.labels(x), within: [(0.1, 1.9)], everySeconds: 6, times: 2)
        #expect(share >= 0.75, "\(share) of the bursts' frames are tone")
        // The beating rule alone (the swinging-tone rule off) still reads it.
        var beatingOnly = SpeechDetector.Configuration()
        beatingOnly.toneSwingMinimumTurns = 100
        let beatShare = Self.toneShare(Self.labels(x, configuration: beatingOnly), within: [(0.1, 1.9)], everySeconds: 6, times: 2)
        #expect(beatShare >= 0.75, "\(beatShare) tone with the beating rule alone")
        // Control: held to the steady tone's 6 dB, the bursts fall apart (the swinging-tone rule,
        // which reads these 20 ms swings too, off as well).
        var strict = SpeechDetector.Configuration()
        strict.beatingToneLevelRangeDB = strict.toneLevelRangeDB
        strict.toneSwingMinimumTurns = 100
        let strictShare = Self.toneShare(Self.labels(x, configuration: strict), within: [(0.1, 1.9)], everySeconds: 6, times: 2)
        #expect(strictShare < 0.2, "\(strictShare) of the bursts' frames are tone with 6 dB")
    }

    @Test func aBeatingRingBackIsAToneFromItsFirstFrames() {
        // The GSM ring-back above, each burst opening 8 dB under its level for 30 ms (a codec's
        // ramp): until its hops show, each swing broke the run, and the burst's first 0.1 s was
        // speech before the ring (a single ring then came after "speech" and was no ring).
        let x = Self.line(seconds: 12) { t in
            let phase = t.truncatingRemainder(dividingBy: 6)
            guard phase < 2 else { return 0 }
            let block = Int(t / 0.02)
            let lowLoud = block % 2 == 0, gain = (block % 3 == 0 ? 0.45 : 1.0) * (phase < 0.03 ? 0.4 : 1)
            return 0.05 * gain * ((lowLoud ? 1 : 0.4) * sin(2 * .pi * 440 * t) + (lowLoud ? 0.4 : 1) * sin(2 * .pi * 480 * t))
        }
        let labels = Self.labels(x)
        // 1.0 measured, and no speech; without the onset rule 0, and 44 frames of speech.
        let onset = Self.toneShare(labels, within: [(0.02, 0.2)], everySeconds: 6, times: 2)
        #expect(onset >= 0.85, "\(onset) of the onsets' frames are tone")
        let speech = (0..<labels.count).filter { labels[$0] == .speech && Double($0 % 600) < 40 }.count
        #expect(speech == 0, "\(speech) frames of speech in the bursts' first 0.4 s")
    }

    @Test func aRingWhoseSecondHalfShowsOnlyAtItsEndStaysWhole() {
        // 1.85 s of 400 Hz, then 0.15 s where 450 Hz is the stronger (as the last frames of a
        // 400 + 450 Hz burst may read): the second frequency comes too late to be a glide's, and
        // the 0.15 s after it, too short to be a tone of its own, is the ring's tail, not speech.
        let x = Self.line(seconds: 12) { t in
            let phase = t.truncatingRemainder(dividingBy: 6)
            guard phase < 2 else { return 0 }
            return phase < 1.85 ? 0.05 * sin(2 * .pi * 400 * t) : 0.02 * sin(2 * .pi * 400 * t) + 0.05 * sin(2 * .pi * 450 * t)
        }
        let labels = Self.labels(x)
        let tail = Self.toneShare(labels, within: [(1.87, 1.97)], everySeconds: 6, times: 2)
        #expect(tail >= 0.9, "\(tail) of the tails' frames are tone")
        let speech = (0..<labels.count).filter { labels[$0] == .speech }.count
        #expect(speech == 0, "\(speech) frames of speech")
    }

    @Test func aToneThatStartsOnAnotherFrequencyIsStillATone() {
        // Each 0.4 s burst of 450 Hz opens with 30 ms of 400 Hz (the two halves of the UK pair):
        // the run that starts on 400 Hz takes 450 Hz as its second frequency and never flicks back,
        // so it is cut there, and the burst is read again from its 450 Hz part.
        let x = Self.line(seconds: 9) { t in
            let phase = t.truncatingRemainder(dividingBy: 3)
            guard phase < 0.4 else { return 0 }
            return 0.05 * sin(2 * .pi * (phase < 0.03 ? 400 : 450) * t)
        }
        let share = Self.toneShare(Self.labels(x), within: [(0.1, 0.35)], everySeconds: 3, times: 3)
        #expect(share >= 0.9, "\(share) of the bursts' frames are tone")
    }

    @Test func aGlideThroughTwoToneFrequenciesIsNotATone() {
        // A pure, voice-like glide from 470 to 370 Hz in 0.3 s (passing 480/440 and 450/400 Hz on
        // the way), alone on the line, five times: a dual tone flicks, a glide passes once.
        let x = Self.line(seconds: 5) { t in
            let local = t.truncatingRemainder(dividingBy: 1)
            guard local >= 0.3 && local < 0.6 else { return 0 }
            let s = local - 0.3
            // Phase of a linear sweep 470 → 370 Hz.
            return 0.05 * sin(2 * .pi * (470 * s - 0.5 * (100 / 0.3) * s * s))
        }
        let tones = Self.labels(x).filter { $0 == .tone }.count
        #expect(tones == 0, "\(tones) frames called tone")
    }
}
