import CallAnalysis
import CallDSP
import Foundation
import Testing

/// What real recordings do that the sample calls did not: speech from the very first sample, short
/// utterances, a read over a music bed, an announcement inside hold music, a dual-mono file.
/// Built from a sample call's own audio, so the truth is known.
@Suite struct RealVoiceTests {
    static let call = "20261123-091544_agent-1002_call-000002.wav"  // stereo, 8 kHz, agent left, music hold 41.45–59.45 s

    static func slice(_ x: [Float], _ from: Double, _ to: Double, rate: Int) -> [Float] {
        Array(x[Int(from * Double(rate))..<Int(to * Double(rate))])
    }

    static func speechSeconds(_ report: CallReport) -> Double {
        report.segments.filter { $0.kind == .speech }.reduce(0) { $0 + $1.endSeconds - $1.startSeconds }
    }

    @Test func speechFromTheFirstSampleAndAShortUtteranceAreFound() throws {
        let (channels, rate) = try Samples.decode(Self.call)
        // 1.6 s of the agent's words cut mid-speech, then 1 s of the agent's quiet line.
        let words = Self.slice(channels[0], 24.58, 26.18, rate: rate)
        let quiet = Self.slice(channels[0], 19.5, 20.5, rate: rate)
        let report = Samples.analyze(channels: [words + quiet], sampleRateHz: rate, name: "short prompt", planner: FFTPlanner())
        let speech = report.segments.filter { $0.kind == .speech }
        #expect(!speech.isEmpty, "no speech found")
        #expect((speech.first?.startSeconds ?? 99) <= 0.1, "first speech at \(speech.first?.startSeconds ?? -1) s, not at the start")
        #expect(Self.speechSeconds(report) >= 1.3, "speech \(Self.speechSeconds(report)) s of 1.6 s")
        #expect(!report.segments.contains { $0.kind == .hold || $0.kind == .ringback })
    }

    /// A chord progression with plucked notes: a stand-in for a broadcast's music bed.
    static func musicBed(seconds: Double, rate: Int, rmsLevel: Float) -> [Float] {
        let n = Int(seconds * Double(rate))
        let chords: [[Float]] = [[261.6, 329.6, 392.0], [220.0, 261.6, 329.6], [174.6, 220.0, 261.6], [196.0, 246.9, 293.7]]
        var x = [Float](repeating: 0, count: n)
        let beat = rate / 4
        for i in 0..<n {
            let t = Float(i) / Float(rate)
            let chord = chords[(i / rate) % chords.count]
            let envelope = expf(-Float(i % beat) / Float(rate) / 0.2)
            var v: Float = 0
            for f in chord { for h in 1...3 { v += sinf(2 * .pi * f * Float(h) * t) / Float(h * h) } }
            x[i] = v * (0.4 + 0.6 * envelope)
        }
        let rms = sqrtf(x.reduce(0) { $0 + $1 * $1 } / Float(n))
        return x.map { $0 / rms * rmsLevel }
    }

    @Test func aReadOverAMusicBedIsSpeech() throws {
        let (channels, rate) = try Samples.decode(Self.call)
        // 15.8 s of the agent reading with short pauses (60.05–75.87 s), music 12 dB under the voice.
        let read = Self.slice(channels[0], 59.9, 76.0, rate: rate)
        let voiced = read.filter { abs($0) > 1e-3 }
        let voiceRMS = sqrtf(voiced.reduce(0) { $0 + $1 * $1 } / Float(max(voiced.count, 1)))
        let bed = Self.musicBed(seconds: 16.1, rate: rate, rmsLevel: voiceRMS * powf(10, -12 / 20))
        let mixed = zip(read, bed).map { $0 + $1 }
        let report = Samples.analyze(channels: [mixed], sampleRateHz: rate, name: "read over a bed", planner: FFTPlanner())
        #expect(!report.segments.contains { $0.kind == .hold || $0.kind == .ringback }, "\(report.segments)")
        #expect(Self.speechSeconds(report) >= 0.9 * 15.0, "speech \(Self.speechSeconds(report)) s")
    }

    @Test func aColouredRingbackToneIsStillFound() throws {
        let report = try Samples.analyze("20261123-113300_agent-1004_call-000008.flac", planner: FFTPlanner())
        #expect(report.answer.tonePlan == "CRBT")
        // Music has no rings: its 14.5 s count as three rings' time for R1.
        #expect(report.answer.rings == nil)
        #expect(report.answer.ringEquivalents == 3)
        #expect(abs((report.answer.answerSeconds ?? 0) - 14.5) <= 0.5)
    }

    @Test func anAnnouncementInsideHoldMusicIsPartOfTheHold() throws {
        let (channels, rate) = try Samples.decode(Self.call)
        // 30 s of the call's hold music, 5.7 s of a recorded voice ("please hold", here the agent's
        // own words), 30 s more music; the customer's line stays quiet throughout.
        func music(_ seconds: Double) -> [[Float]] {
            channels.map { x in
                var out: [Float] = []
                while out.count < Int(seconds * Double(rate)) { out += Self.slice(x, 41.51, 57.51, rate: rate) }
                return Array(out.prefix(Int(seconds * Double(rate))))
            }
        }
        let announcement = [Self.slice(channels[0], 24.58, 30.26, rate: rate), Self.slice(channels[1], 42.0, 47.68, rate: rate)]
        let before = channels.map { Self.slice($0, 0, 41.51, rate: rate) }
        let after = channels.map { Array($0[Int(59.51 * Double(rate))...]) }
        let first = music(30), second = music(30)
        var call: [[Float]] = []
        for c in 0..<2 {
            var x: [Float] = before[c]
            x += first[c]; x += announcement[c]; x += second[c]; x += after[c]
            call.append(x)
        }
        // The same call as a mono recorder writes it (both legs mixed).
        let mono = [zip(call[0], call[1]).map { $0 + $1 }]
        for (layout, channels) in [("stereo", call), ("mono", mono)] {
            let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "\(layout) hold with an announcement", planner: FFTPlanner())
            let holds = report.segments.filter { $0.kind == .hold }
            #expect(holds.count == 1, "\(layout): \(holds)")
            let end: Double = 41.51 + 30 + 5.68 + 30
            if let hold = holds.first {
                #expect(abs(hold.startSeconds - 41.51) <= 1 && abs(hold.endSeconds - end) <= 1, "\(layout): \(hold.startSeconds)–\(hold.endSeconds)")
            }
            let speechInHold = report.segments.filter { s -> Bool in
                s.kind == .speech && s.endSeconds > 42.5 && s.startSeconds < end - 1
            }
            #expect(speechInHold.isEmpty, "\(layout): announcement taken for a party's speech: \(speechInHold)")
            #expect(report.flags.contains { $0.rule == "R7" }, "\(layout): the 66 s hold is not flagged")
        }
    }
}
