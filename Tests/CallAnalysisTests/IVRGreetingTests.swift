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
}
