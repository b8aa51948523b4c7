import CallDSP
import Foundation
import Testing

/// The note grid (music's tuning as evidence), through the channel extractor: plucked notes of a
/// scale read as music whatever the reference pitch; the same notes at pitches off any semitone
/// grid do not, and neither does a quiet line.
@Suite struct NoteGridTests {
    /// Plucked harmonic notes of 0.25 s, each followed by a 0.1 s rest, over a faint line noise;
    /// `hz(i)` is note i's fundamental.
    static func notes(count: Int, rate: Int = 8000, hz: (Int) -> Double) -> [Float] {
        var x: [Float] = []
        for i in 0..<count {
            let f0 = hz(i)
            for s in 0..<(rate / 4) {
                let t = Double(s) / Double(rate)
                var v = 0.0
                for h in 1...4 where f0 * Double(h) < 3500 { v += sin(2 * .pi * f0 * Double(h) * t) / Double(h) }
                x.append(Float(0.2 * v * exp(-5 * t)))
            }
            x += [Float](repeating: 0, count: rate / 10)
        }
        var seed: UInt64 = 7
        return x.map { v in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return v + Float(Int64(seed >> 40) - (1 << 23)) / Float(1 << 23) * 1e-4
        }
    }

    static func evidence(_ x: [Float], rate: Int = 8000) -> [Float] {
        let extractor = ChannelFeatureExtractor(grid: .standard(sampleRateHz: Double(rate)), planner: FFTPlanner())
        x.withUnsafeBufferPointer { extractor.consume($0) }
        let features = extractor.finish()
        #expect(features.noteGrid.count == (features.frameCount + ChannelFeatures.noteGridStepFrames - 1) / ChannelFeatures.noteGridStepFrames)
        return features.noteGrid
    }

    /// Share of the steps after the first 3 s (the look-back filling) at or above 1.
    static func musicShare(_ evidence: [Float]) -> Double {
        let settled = evidence.dropFirst(40)
        return Double(settled.filter { $0 >= 1 }.count) / Double(max(settled.count, 1))
    }

    /// An arpeggio over two octaves of a major scale, tuned to `reference` (the A above middle C).
    static func arpeggio(_ i: Int, reference: Double) -> Double {
        let midi = [48, 52, 55, 60, 64, 67, 72, 67, 64, 60, 55, 52, 53, 57, 60, 65, 69, 65, 60, 57]
        return reference * pow(2, Double(midi[i % midi.count] - 69) / 12)
    }

    @Test(arguments: [440.0, 432.0, 446.0])
    func notesOfAScaleAreMusicAtAnyReferencePitch(reference: Double) {
        let share = Self.musicShare(Self.evidence(Self.notes(count: 40) { Self.arpeggio($0, reference: reference) }))
        #expect(share >= 0.8, "A = \(reference) Hz: \(share) of steps")
    }

    @Test func theSameNotesOffAnyGridAreNot() {
        // Pitches drawn evenly over three octaves (not quantised), same timbre and rhythm.
        var seed: UInt64 = 11
        let x = Self.notes(count: 40) { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return 110 * pow(2, 3 * Double(seed >> 11) / Double(1 << 53))
        }
        // A note's own overtones share its place within the semitone (octaves exactly, the twelfth
        // within 0.02), so random notes agree by chance more often than random peaks would: a few
        // percent of steps, against nearly all for the scale.
        let evidence = Self.evidence(x)
        #expect(Self.musicShare(evidence) < 0.1, "\(Self.musicShare(evidence)) of steps")
        let sorted = evidence.dropFirst(40).sorted()
        #expect(sorted[sorted.count / 2] < 0.5, "median \(sorted[sorted.count / 2])")
    }

    @Test func aQuietLineIsNotMusic() {
        let evidence = Self.evidence(Self.notes(count: 30) { _ in 0 })
        #expect((evidence.max() ?? 0) < 0.5, "largest \(evidence.max() ?? 0)")
    }

    @Test func widebandNotesAreMusicToo() {
        // 16 kHz: a longer transform, the same 128 ms and 100–2000 Hz.
        let share = Self.musicShare(Self.evidence(Self.notes(count: 40, rate: 16000) { Self.arpeggio($0, reference: 440) }, rate: 16000))
        #expect(share >= 0.8, "\(share) of steps")
    }

    @Test func musicFromTheFirstSampleHasNotesFromItsStart() {
        // Sustained organ-like chords from sample 0 at a steady level: the extractor's warm-up
        // learns them as its noise, so they read as quiet until the opening is measured again.
        let rate = 8000
        let chords: [[Double]] = [[261.6, 329.6, 392.0], [220.0, 261.6, 329.6], [174.6, 220.0, 261.6], [196.0, 246.9, 293.7]]
        var x: [Float] = []
        for i in 0..<12 {
            let chord = chords[i % chords.count]
            for s in 0..<(rate / 2) {
                let t = Double(s) / Double(rate)
                var v = 0.0
                for f0 in chord { for h in 1...3 { v += sin(2 * .pi * f0 * Double(h) * t) / Double(h) } }
                x.append(Float(0.05 * v))
            }
        }
        let evidence = Self.evidence(x, rate: rate)
        // Notes from the first steps on (before, none until the opening's 1.5 s were over: the
        // evidence was 0 for the first 15 steps), and music's full evidence from 2 s.
        let opening = evidence[2..<15]
        #expect(opening.allSatisfy { $0 >= 0.4 }, "steps 2–14: \(Array(opening))")
        let settled = evidence[25..<min(evidence.count, 70)]
        #expect(settled.allSatisfy { $0 >= 1 }, "steps 25–69: \(Array(settled))")
    }

    @Test func quietMusicUnderACodecsSlowNoiseEstimateStillHasNotes() {
        // Dense music (a loud broadband bed under the notes) then the same tune played alone
        // and softer, from a perceptual codec: the noise estimate, limited to falling 10 dB/s,
        // stays above the soft passage for seconds, so it reads as quiet (divergence under 5 dB).
        // Its spectrum is peaky, unlike line noise, so the note grid still follows it.
        let rate = 8000
        var seed: UInt64 = 3
        func noise() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(seed >> 40) - (1 << 23)) / Float(1 << 23)
        }
        let loud = Self.notes(count: 24) { Self.arpeggio($0, reference: 440) }.map { $0 + 0.15 * noise() }
        let soft = Self.notes(count: 24) { Self.arpeggio($0 + 3, reference: 440) }.map { 0.05 * $0 }
        let extractor = ChannelFeatureExtractor(grid: .standard(sampleRateHz: Double(rate)), planner: FFTPlanner(),
                                                noiseFallDBPerSecond: 10)
        (loud + soft).withUnsafeBufferPointer { extractor.consume($0) }
        let features = extractor.finish()
        let step = ChannelFeatures.noteGridStepFrames
        let softStart = loud.count / (rate / 100), softEnd = features.frameCount
        // Read from 3 s into the soft passage, where the look-back holds its notes alone: the
        // whole passage, most of whose frames read as quiet.
        let quiet = features.divergenceDB[softStart..<softEnd].filter { $0 < 5 }.count
        #expect(Double(quiet) >= 0.5 * Double(softEnd - softStart), "quiet frames \(quiet) of \(softEnd - softStart)")
        let evidence = Array(features.noteGrid[(softStart / step + 40)..<(softEnd / step)])
        let share = Double(evidence.filter { $0 >= 1 }.count) / Double(evidence.count)
        #expect(share >= 0.8, "soft passage: \(share) of steps at 1 or more")
    }

    @Test func humOrARingBackToneInTheOpeningIsNotMusic() {
        // Notes are looked for on anything not digitally silent in the opening, and later on quiet
        // frames with a peaky spectrum: line noise with 50 Hz hum and its harmonics (8 s, well past
        // the opening), and a UK ring-back (400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s
        // on, 2 s off), from the first sample.
        let rate = 8000
        var seed: UInt64 = 5
        func noise() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(seed >> 40) - (1 << 23)) / Double(1 << 23) * 3e-3
        }
        let hum: [Float] = (0..<(8 * rate)).map { i in
            let t = Double(i) / Double(rate)
            var v = noise()
            for h in 1...7 { v += 3e-3 / Double(h) * sin(2 * .pi * 50 * Double(h) * t) }
            return Float(v)
        }
        let ring: [Float] = (0..<(4 * rate)).map { i in
            let t = Double(i) / Double(rate), phase = t.truncatingRemainder(dividingBy: 3)
            let on = phase < 0.4 || (phase >= 0.6 && phase < 1.0)
            return Float(noise() + (on ? 0.05 * (sin(2 * .pi * 400 * t) + sin(2 * .pi * 450 * t)) : 0))
        }
        for (name, x) in [("hum", hum), ("ring-back", ring)] {
            let evidence = Self.evidence(x, rate: rate)
            #expect((evidence.max() ?? 0) < 0.5, "\(name): largest \(evidence.max() ?? 0)")
        }
    }
}
