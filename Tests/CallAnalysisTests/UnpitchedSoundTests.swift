@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// The agent typing while nobody speaks (set 6: keyboard clicks, 5–15 ms bursts several times a
/// second) read as speech and hid the dead air. Every Mandarin syllable has a voiced nucleus;
/// clicks have no pitch.
@Suite struct UnpitchedSoundTests {
    /// Sample call 2 with 8 s of line noise and keyboard clicks on the agent's leg inserted after
    /// the agent's first turn (18.27 s + 0.3 s). Returns the report and where the insert starts.
    static func report(_ configuration: AnalysisConfiguration = AnalysisConfiguration()) throws -> (CallReport, Double) {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (channels, rate) = try Samples.decode(file)
        let at = Int(18.57 * Double(rate)), count = 8 * rate
        // Each leg's own line noise (the agent's leg while the customer talks, and the other way
        // round), looped: a quieter insert would read as a muted line.
        func loop(_ leg: [Float], from: Double, to: Double) -> [Float] {
            let piece = Array(leg[Int(from * Double(rate))..<Int(to * Double(rate))])
            return (0..<count).map { piece[$0 % piece.count] }
        }
        var clicks = loop(channels[0], from: 19.5, to: 23.5)
        let noise = loop(channels[1], from: 10, to: 17)
        // A click every 100-200 ms (jittered): 10 ms of decaying broadband noise, about -29 dBov.
        var state: UInt64 = 5
        var t = 0.2
        while t < 7.8 {
            let start = Int(t * Double(rate))
            let burst = AnswerTests.noise(0.01, level: 0.06, seed: UInt64(start))
            for (i, x) in burst.enumerated() { clicks[start + i] += x * Float(1 - Double(i) / Double(burst.count)) }
            state = state &* 6364136223846793005 &+ 1442695040888963407
            t += 0.1 + Double(state >> 58) / 64 * 0.1
        }
        let legs = [Array(channels[0][..<at]) + clicks + Array(channels[0][at...]),
                    Array(channels[1][..<at]) + noise + Array(channels[1][at...])]
        return (Samples.analyze(channels: legs, sampleRateHz: rate, name: file, planner: FFTPlanner(), configuration: configuration), 18.57)
    }

    @Test func typingBetweenTurnsIsDeadAirNotSpeech() throws {
        let (report, at) = try Self.report()
        let inside = report.segments.filter { $0.kind == .speech && $0.startSeconds > at + 0.5 && $0.startSeconds < at + 7.5 }
        #expect(inside.isEmpty, "speech in the typing: \(inside)")
        let deadAir = report.segments.filter { $0.kind == .deadAir && $0.startSeconds < at + 1 && $0.endSeconds > at + 7 }
        #expect(deadAir.count == 1, "\(report.segments.filter { $0.kind == .deadAir })")
        // Control: without the pitch test the clicks are speech.
        var off = AnalysisConfiguration()
        off.speech.minimumPitchedSeconds = 0
        let (before, _) = try Self.report(off)
        let typed = before.segments.filter { $0.kind == .speech }
            .reduce(0) { $0 + max(0, min($1.endSeconds, at + 7.5) - max($1.startSeconds, at + 0.5)) }
        #expect(typed >= 3, "\(typed) s of the typing read as speech without the pitch test")
    }
}
