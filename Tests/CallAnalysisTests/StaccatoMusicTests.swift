import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Music that dips like speech: short plucked bass notes and chord stabs with rests between them
/// (the opening of a jazz hold tune, where the level falls between notes as between syllables).
/// The level measures alone called it speech; its notes sitting on one semitone grid make it music.
@Suite struct StaccatoMusicTests {
    /// A plucked note with three overtones, decaying.
    static func pluck(_ hz: Double, seconds: Double, decayPerSecond: Double, rate: Int) -> [Double] {
        (0..<Int(seconds * Double(rate))).map { s in
            let t = Double(s) / Double(rate)
            var v = 0.0
            for h in 1...4 where hz * Double(h) < 3800 { v += 0.6 / Double(h) * sin(2 * .pi * hz * Double(h) * t) }
            return v * exp(-decayPerSecond * t)
        }
    }

    /// Twelve bars of a bass line in eighths (0.22 s notes, 0.16 s rests) with a chord on every
    /// other note, tuned to A = 432 Hz.
    static func tune(rate: Int) -> [Float] {
        func hz(_ midi: Int) -> Double { 432 * pow(2, Double(midi - 69) / 12) }
        let bass = [48, 48, 55, 53, 51, 51, 55, 58]
        var x: [Double] = []
        for _ in 0..<12 {
            for (i, note) in bass.enumerated() {
                var segment = pluck(hz(note), seconds: 0.22, decayPerSecond: 6, rate: rate)
                if i % 2 == 0 {
                    for chordNote in (i % 4 == 0 ? [60, 63, 67] : [58, 62, 65]) {
                        for (s, v) in pluck(hz(chordNote), seconds: 0.18, decayPerSecond: 8, rate: rate).enumerated() { segment[s] += 0.5 * v }
                    }
                }
                x += segment + [Double](repeating: 0, count: Int(0.16 * Double(rate)))
            }
        }
        let peak = x.map(abs).max() ?? 1
        var seed: UInt64 = 5
        return x.map { v in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(0.3 * v / peak) + Float(Int64(seed >> 40) - (1 << 23)) / Float(1 << 23) * 1e-4
        }
    }

    @Test func aStaccatoTuneIsAMusicHoldNotSpeech() {
        let rate = 8000
        let x = Self.tune(rate: rate)
        let seconds = Double(x.count) / Double(rate)
        let report = Samples.analyze(channels: [x], sampleRateHz: rate, name: "staccato tune", planner: FFTPlanner())
        let speech = report.segments.filter { $0.kind == .speech }.reduce(0) { $0 + $1.endSeconds - $1.startSeconds }
        let music = report.segments.filter { $0.kind == .hold && $0.holdKind == .music }.reduce(0) { $0 + $1.endSeconds - $1.startSeconds }
        #expect(speech <= 0.05 * seconds, "speech \(speech) s of \(seconds) s: \(report.segments)")
        #expect(music >= 0.9 * seconds, "music hold \(music) s of \(seconds) s")
    }
}
