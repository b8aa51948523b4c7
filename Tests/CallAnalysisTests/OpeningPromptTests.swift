@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A hold that opens with a prompt played once ("请稍候", then music): the prompt is a recorded
/// voice, not the agent's, and belongs to the hold. Set 3's holds started 4-9 s late at the music.
@Suite struct OpeningPromptTests {
    /// `x` played `ratio` times faster (linear interpolation): shorter and higher, another voice.
    static func faster(_ x: [Float], ratio: Double) -> [Float] {
        (0..<Int(Double(x.count - 1) / ratio)).map { i in
            let t = Double(i) * ratio, k = Int(t), w = Float(t - Double(k))
            return x[k] * (1 - w) + x[k + 1] * w
        }
    }

    /// Sample call 2 with `prompt` then 40 s of music on the agent's leg after the customer's first turn.
    static func hold(after prompt: [Float]) throws -> (hold: CallReport.Segment?, agent: [CallReport.Segment], span: ClosedRange<Double>) {
        let rate = try Samples.decode(RecordedAnnouncementTests.file).sampleRateHz
        let voiced = prompt.filter { abs($0) > 1e-3 }
        let rms = sqrtf(voiced.reduce(0) { $0 + $1 * $1 } / Float(max(voiced.count, 1)))
        let music = RealVoiceTests.musicBed(seconds: 40, rate: rate, rmsLevel: rms)
        let (report, span) = try RecordedAnnouncementTests.report([prompt, music], gapSeconds: 0.4)
        let holds = report.segments.filter { $0.kind == .hold && $0.startSeconds < span.upperBound && $0.endSeconds > span.lowerBound }
        let agent = report.segments.filter { $0.kind == .speech && $0.party == .agent && span.contains($0.startSeconds + 0.1) }
        return (holds.count == 1 ? holds[0] : nil, agent, span)
    }

    @Test func aPromptInAnotherVoiceOpensTheHold() throws {
        // The agent's own words, 5 semitones up: a different, recorded voice.
        let prompt = Self.faster(try RecordedAnnouncementTests.words(from: 9.7, seconds: 3), ratio: 1.35)
        let (hold, agent, span) = try Self.hold(after: prompt)
        let found = try #require(hold, "one hold expected")
        #expect(abs(found.startSeconds - span.lowerBound) < 0.5, "hold \(found), prompt from \(span.lowerBound) s")
        #expect(agent.isEmpty, "the prompt read as the agent: \(agent)")
        // Control: the agent's own voice saying the same before the music stays the agent's, and
        // the hold starts at the music.
        let (own, ownAgent, ownSpan) = try Self.hold(after: try RecordedAnnouncementTests.words(from: 9.7, seconds: 3))
        let ownHold = try #require(own, "one hold expected")
        #expect(ownHold.startSeconds > ownSpan.lowerBound + 2.5, "hold \(ownHold)")
        #expect(!ownAgent.isEmpty)
    }
}

/// One prompt played before every hold of a call: each play is the same recording, so none is the
/// agent's voice to compare the other with (the review found both read as the agent).
@Suite struct RepeatedOpeningPromptTests {
    @Test func thePromptBeforeEachHoldOpensIt() throws {
        let (channels, rate) = try Samples.decode(RecordedAnnouncementTests.file)
        let prompt = OpeningPromptTests.faster(try RecordedAnnouncementTests.words(from: 9.7, seconds: 3), ratio: 1.35)
        let voiced = prompt.filter { abs($0) > 1e-3 }
        let rms = sqrtf(voiced.reduce(0) { $0 + $1 * $1 } / Float(max(voiced.count, 1)))
        let music = RealVoiceTests.musicBed(seconds: 25, rate: rate, rmsLevel: rms)
        let reply = Array(channels[1][Int(18.97 * Double(rate))..<Int(23.98 * Double(rate))])
        let agentWords = try RecordedAnnouncementTests.words(from: 12.8, seconds: 4)
        // Turns after the customer's first turn (24.38 s): each on one leg, the other leg carrying
        // its own line noise, 0.4 s apart (1 s from the agent's words to the hold's prompt: over
        // less the two are one segment).
        let at = Int(24.38 * Double(rate))
        func noise(_ leg: Int, _ count: Int) -> [Float] { (0..<count).map { channels[leg][Int(19.5 * Double(rate)) * (1 - leg) + Int(7 * Double(rate)) * leg + $0 % Int(3 * Double(rate))] } }
        var legs: [[Float]] = [Array(channels[0][..<at]), Array(channels[1][..<at])]
        var promptStarts: [Double] = []
        for (leg, piece, gapSeconds) in [(0, prompt, 0.4), (0, music, 0.4), (1, reply, 0.4), (0, agentWords, 1.0), (0, prompt, 0.4), (0, music, 0.4)] {
            let gap = Int(gapSeconds * Double(rate))
            if piece.count == prompt.count && leg == 0 { promptStarts.append(Double(legs[0].count) / Double(rate)) }
            let line = noise(leg, piece.count + gap)
            legs[leg] += zip(piece + [Float](repeating: 0, count: gap), line).map { $0 + $1 }
            legs[1 - leg] += noise(1 - leg, piece.count + gap)
        }
        legs[0] += channels[0][at...]; legs[1] += channels[1][at...]
        let report = Samples.analyze(channels: legs, sampleRateHz: rate, name: RecordedAnnouncementTests.file, planner: FFTPlanner())
        let holds = report.segments.filter { $0.kind == .hold }
        for start in promptStarts {
            #expect(holds.contains { abs($0.startSeconds - start) < 0.5 }, "no hold from the prompt at \(start) s: \(holds)")
        }
        #expect(!report.segments.contains { s in s.kind == .speech && promptStarts.contains { abs(s.startSeconds - $0) < 0.5 } })
    }
}

/// An announcement whose music comes back after a quiet passage (set 8's 960001: a song's loop
/// fading out on its last note for 4 s after the prompt, then restarting) is still inside the hold.
@Suite struct AnnouncementThenQuietTests {
    static func holds(quietSeconds: Double) throws -> [CallReport.Segment] {
        let rate = try Samples.decode(RecordedAnnouncementTests.file).sampleRateHz
        let prompt = try RecordedAnnouncementTests.words(from: 9.7, seconds: 3)
        let voiced = prompt.filter { abs($0) > 1e-3 }
        let rms = sqrtf(voiced.reduce(0) { $0 + $1 * $1 } / Float(max(voiced.count, 1)))
        let music = RealVoiceTests.musicBed(seconds: 20, rate: rate, rmsLevel: rms)
        let pieces = [music, prompt + [Float](repeating: 0, count: Int(quietSeconds * Double(rate))), music]
        let (report, span) = try RecordedAnnouncementTests.report(pieces, gapSeconds: 0.4)
        return report.segments.filter { $0.kind == .hold && $0.startSeconds < span.upperBound && $0.endSeconds > span.lowerBound }
    }

    @Test func musicBackAfterAQuietPassageKeepsOneHold() throws {
        let holds = try Self.holds(quietSeconds: 4.0)
        #expect(holds.count == 1, "\(holds)")
        // Control: music back only after 6.5 s of quiet (more than a quiet passage) ends the hold.
        #expect(try Self.holds(quietSeconds: 6.5).count == 2)
    }
}
