import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A recording that opens with the IVR's greeting, then the agent's phone ringing, then the agent
/// (set 7's 950013): the greeting was read as the agent's first words, so no ring was looked for
/// after it, and the wait for the agent was dead air.
@Suite struct IVRGreetingTests {
    @Test func ringsAfterAnIVRGreetingAreTheWaitForTheAgent() throws {
        let rate = AnswerTests.rate
        // The greeting: 3 s of another sample's words, from 0.5 s, then 1 s of the recorder's quiet.
        let (other, otherRate) = try Samples.decode(RecordedAnnouncementTests.file)
        #expect(otherRate == rate)
        let words = Array(other[0][Int(9.7 * Double(rate))..<Int(12.7 * Double(rate))])
        let greeting = AnswerTests.silence(0.5) + words + AnswerTests.silence(1)
        let dither = AnswerTests.noise(Double(greeting.count) / Double(rate), level: 0.00003, seed: 4)
        let call = try AnswerTests.call(rings: [1, 1], pickupSeconds: 8)
        let greetingSeconds = Double(greeting.count) / Double(rate)
        let channels = [zip(greeting, dither).map { $0 + $1 } + call[0],
                        AnswerTests.noise(greetingSeconds, level: 0.001, seed: 8) + call[1]]
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "IVR greeting", planner: FFTPlanner())
        #expect(report.answer.rings == 2, "\(report.answer)")
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - (greetingSeconds + 8)) <= 0.25, "answer \(answer) s, the agent's line connected at \(greetingSeconds + 8) s")
        #expect(!report.segments.contains { $0.kind == .speech && $0.startSeconds < greetingSeconds + 8 },
                "the greeting read as a party: \(report.segments.prefix(4))")
        #expect(!report.segments.contains { $0.kind == .deadAir })
        // Control: the same greeting with nothing after it but the agent (no rings) stays speech.
        let direct = [zip(greeting, dither).map { $0 + $1 } + Array(call[0][Int(8 * Double(rate))...]),
                      AnswerTests.noise(greetingSeconds, level: 0.001, seed: 8) + Array(call[1][Int(8 * Double(rate))...])]
        let plain = Samples.analyze(channels: direct, sampleRateHz: rate, name: "greeting then agent", planner: FFTPlanner())
        #expect(plain.segments.first { $0.kind == .speech }.map { $0.startSeconds < 1 } == true, "\(plain.segments.prefix(3))")
    }

    /// A call opened by `opening` on `leg` (and `other` on the other leg, at the same time) before
    /// two rings on the agent's leg and the agent's pickup at 8 s after it.
    static func report(opening: [Float], leg: Int, other: [Float] = [], mono: Bool = false) throws -> (CallReport, Double) {
        let rate = AnswerTests.rate
        let count = max(opening.count, other.count) + Int(0.5 * Double(rate))
        var legs = [AnswerTests.noise(Double(count) / Double(rate), level: 0.00003, seed: 4),
                    AnswerTests.noise(Double(count) / Double(rate), level: 0.001, seed: 8)]
        for (i, x) in opening.enumerated() { legs[leg][i] += x }
        for (i, x) in other.enumerated() { legs[1 - leg][i] += x }
        let call = try AnswerTests.call(rings: [1, 1], pickupSeconds: 8)
        legs[0] += call[0]; legs[1] += call[1]
        let channels = mono ? [zip(legs[0], legs[1]).map { $0 + $1 }] : legs
        return (Samples.analyze(channels: channels, sampleRateHz: rate, name: "before the rings", planner: FFTPlanner()),
                Double(count) / Double(rate))
    }

    /// What is not an IVR greeting stays speech: a conversation on both legs before a transfer's
    /// rings, one short word ("喂").
    @Test func speechThatIsNoGreetingStays() throws {
        let (other, rate) = try Samples.decode(RecordedAnnouncementTests.file)
        let agentWords = Array(other[0][Int(9.7 * Double(rate))..<Int(12.7 * Double(rate))])
        let customerWords = Array(other[1][Int(19.0 * Double(rate))..<Int(22.0 * Double(rate))])
        let word = Array(agentWords.prefix(Int(0.6 * Double(rate))))
        let talk = [Float](repeating: 0, count: Int(0.5 * Double(rate))) + agentWords
        let reply = [Float](repeating: 0, count: Int(4 * Double(rate))) + customerWords
        for (name, opening, leg, otherLeg, mono) in [("a conversation", talk, 0, reply, false), ("one word", word, 0, [], false)] {
            let (report, openingSeconds) = try Self.report(opening: opening, leg: leg, other: otherLeg, mono: mono)
            #expect(report.segments.contains { $0.kind == .speech && $0.startSeconds < openingSeconds }, "\(name): \(report.segments.prefix(4))")
        }
    }

    /// On a mono recording the greeting and the rings share the one channel: one voice before the
    /// rings is the IVR's (set 10's 980002, where the wait for the agent was read as the call).
    @Test func aMonoGreetingBeforeRingsIsTheIVRs() throws {
        let (other, rate) = try Samples.decode(RecordedAnnouncementTests.file)
        let words = [Float](repeating: 0, count: Int(0.5 * Double(rate))) + Array(other[0][Int(9.7 * Double(rate))..<Int(12.7 * Double(rate))])
        let (report, openingSeconds) = try Self.report(opening: words, leg: 0, mono: true)
        #expect(report.answer.rings == 2, "\(report.answer)")
        let answer = try #require(report.answer.answerSeconds)
        #expect(abs(answer - (openingSeconds + 8)) <= 0.25, "answer \(answer) s, the agent connected at \(openingSeconds + 8) s")
        #expect(!report.segments.contains { $0.kind == .speech && $0.startSeconds < openingSeconds + 8 }, "\(report.segments.prefix(4))")
    }
}
