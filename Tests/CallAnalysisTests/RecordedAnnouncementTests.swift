@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A recording played again is the same to a hair; a person never says anything the same way
/// twice. Set 6's queues that played one announcement every 12-15 s over the line, with no music,
/// were read as the agent talking, with dead air between.
@Suite struct RecordedAnnouncementTests {
    static let file = "20261123-091544_agent-1002_call-000002.wav"

    /// Sample call 2 with `pieces` inserted on the agent's leg after the customer's first turn
    /// (23.98 s + 0.4 s), each followed by `gapSeconds` of the leg's own line noise; the
    /// customer's leg carries its line noise meanwhile. Returns the report and the insert's span.
    static func report(_ pieces: [[Float]], gapSeconds: Double) throws -> (CallReport, ClosedRange<Double>) {
        let (channels, rate) = try Samples.decode(file)
        let at = Int(24.38 * Double(rate))
        func loop(_ leg: [Float], from: Double, to: Double, count: Int) -> [Float] {
            let piece = Array(leg[Int(from * Double(rate))..<Int(to * Double(rate))])
            return (0..<count).map { piece[$0 % piece.count] }
        }
        var agent: [Float] = []
        // Each play over the line's own noise (another stretch of it each time) and 0.5 dB up or
        // down: a recording played again is never the same samples.
        for (n, piece) in pieces.enumerated() {
            let line = loop(channels[0], from: 19.5 + 0.3 * Double(n), to: 23.5, count: piece.count)
            let gain = Float(pow(10, (n % 2 == 0 ? 0.5 : -0.5) / 20))
            agent += zip(piece, line).map { gain * $0 + $1 }
            agent += loop(channels[0], from: 19.5, to: 23.5, count: Int(gapSeconds * Double(rate)))
        }
        let customer = loop(channels[1], from: 10, to: 17, count: agent.count)
        let legs = [Array(channels[0][..<at]) + agent + Array(channels[0][at...]),
                    Array(channels[1][..<at]) + customer + Array(channels[1][at...])]
        let report = Samples.analyze(channels: legs, sampleRateHz: rate, name: file, planner: FFTPlanner())
        return (report, 24.38...(24.38 + Double(agent.count) / Double(rate)))
    }

    /// The agent's words at `from`, `seconds` long (from its first turn, 9.6-18.27 s).
    static func words(from: Double, seconds: Double) throws -> [Float] {
        let (channels, rate) = try Samples.decode(file)
        return Array(channels[0][Int(from * Double(rate))..<Int((from + seconds) * Double(rate))])
    }

    @Test func oneAnnouncementPlayedOverAndOverIsAHold() throws {
        let prompt = try Self.words(from: 9.7, seconds: 3)
        let (report, span) = try Self.report([prompt, prompt, prompt, prompt], gapSeconds: 9)
        let holds = report.segments.filter { $0.kind == .hold && $0.startSeconds < span.upperBound && $0.endSeconds > span.lowerBound }
        #expect(holds.count == 1, "\(report.segments.filter { $0.startSeconds > 20 && $0.startSeconds < 75 })")
        if let hold = holds.first {
            // From the first play's start to the last's end (the insert's last 9 s are the gap).
            #expect(abs(hold.startSeconds - span.lowerBound) < 0.5 && abs(hold.endSeconds - (span.upperBound - 9)) < 0.5, "\(hold)")
        }
        let agentInside = report.segments.filter { $0.kind == .speech && $0.party == .agent && span.contains($0.startSeconds + 0.5) }
        #expect(agentInside.isEmpty, "announcements read as the agent: \(agentInside)")
        // Control: four different stretches of the agent's words, of a talker's varied lengths
        // (turns starting 11.2-12.6 s apart, not at a timer's period), are the agent talking.
        let different = try [(9.7, 3.0), (12.8, 2.2), (15.0, 3.6), (10.9, 2.6)].map { try Self.words(from: $0.0, seconds: $0.1) }
        let (talk, _) = try Self.report(different, gapSeconds: 9)
        #expect(!talk.segments.contains { $0.kind == .hold && $0.startSeconds < span.upperBound && $0.endSeconds > span.lowerBound },
                "\(talk.segments.filter { $0.kind == .hold })")
        // Controls: two plays are not yet a queue; one clip reused a second apart (a generator's
        // talker) is not either.
        let (two, twoSpan) = try Self.report([prompt, prompt], gapSeconds: 9)
        #expect(!two.segments.contains { $0.kind == .hold && $0.startSeconds < twoSpan.upperBound && $0.endSeconds > twoSpan.lowerBound })
        let (close, closeSpan) = try Self.report([prompt, prompt, prompt, prompt], gapSeconds: 1)
        #expect(!close.segments.contains { $0.kind == .hold && $0.startSeconds < closeSpan.upperBound && $0.endSeconds > closeSpan.lowerBound },
                "\(close.segments.filter { $0.kind == .hold })")
    }

    /// A queue playing different announcements by a timer (set 8: a prompt every 20 s, each a
    /// different one, over comfort noise or a muted line) was dead air between the agent's "words".
    @Test func differentAnnouncementsByATimerAreAHold() throws {
        let rate = try Samples.decode(Self.file).sampleRateHz
        // Four different stretches, each padded with the line's quiet to 16 s, then 4 s more: a
        // play every 20 s (the last padded to 10 s: the agent back 14 s after it, off the timer).
        let pieces = try [(9.7, 3.0, 16.0), (12.8, 2.2, 16.0), (15.0, 3.6, 16.0), (10.9, 2.6, 10.0)].map { from, seconds, padded in
            try Self.words(from: from, seconds: seconds) + [Float](repeating: 0, count: Int((padded - seconds) * Double(rate)))
        }
        let (report, span) = try Self.report(pieces, gapSeconds: 4)
        let holds = report.segments.filter { $0.kind == .hold && $0.startSeconds < span.upperBound && $0.endSeconds > span.lowerBound }
        #expect(holds.count == 1, "\(report.segments.filter { $0.startSeconds > 20 && $0.startSeconds < 110 })")
        if let hold = holds.first {
            // From the first play's start to the last one's end (2.6 s into the last 20 s).
            #expect(abs(hold.startSeconds - span.lowerBound) < 0.5 && abs(hold.endSeconds - (span.lowerBound + 62.6)) < 0.5, "\(hold)")
        }
        let plays = span.lowerBound...(span.lowerBound + 62.6)
        #expect(!report.segments.contains { $0.kind == .deadAir && plays.contains($0.startSeconds) })
        // Control: the same plays 20, 21 and 19 s apart (a talker's timing) are the agent talking.
        let jittered = try [(9.7, 3.0, 16.0), (12.8, 2.2, 17.0), (15.0, 3.6, 15.0), (10.9, 2.6, 16.0)].map { from, seconds, padded in
            try Self.words(from: from, seconds: seconds) + [Float](repeating: 0, count: Int((padded - seconds) * Double(rate)))
        }
        let (talk, talkSpan) = try Self.report(jittered, gapSeconds: 4)
        #expect(!talk.segments.contains { $0.kind == .hold && $0.startSeconds < talkSpan.upperBound && $0.endSeconds > talkSpan.lowerBound })
    }
}
