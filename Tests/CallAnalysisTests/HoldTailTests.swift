@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A hold's last bars that the music model leaned to but could not settle (soft music on a
/// digitally silent line, mean probability 0.4) read as the agent's speech and ended the hold
/// seconds early.
@Suite struct HoldTailTests {
    /// Music 1–30 s, a "speech" stretch 30.3–36 s scored `tail`, the agent back at 37–40 s (0.02).
    static func line(tail: Float, agentAt: Double = 37) -> WaitingDetector.Channel {
        var channel = AnnouncementTests.channel(seconds: 45, music: [1...30], speech: [30.3...36, agentAt...40])
        let grid = channel.features.grid
        channel.musicProbability = channel.labels.indices.map { f in
            switch channel.labels[f] {
            case .music: return 0.9
            case .speech: return grid.seconds(ofFrame: f) < 36.05 ? tail : 0.02
            default: return 0
            }
        }
        return channel
    }

    @Test func unsettledMusicAtAHoldsEndIsPartOfIt() throws {
        let detector = WaitingDetector(configuration: .init())
        let channel = Self.line(tail: 0.4)
        let (holds, announcements) = detector.musicHolds(channel, after: 0)
        let hold = try #require(holds.first)
        #expect(holds.count == 1 && abs(hold.startSeconds - 1) < 0.05 && abs(hold.endSeconds - 36) < 0.05, "\(holds)")
        #expect(announcements == [channel.speech[0]], "the agent's words after it are not the hold's")
        // Controls: plainly speech (the agent back at once); the customer speaking in it; the
        // tail rule off.
        #expect(detector.musicHolds(Self.line(tail: 0.05), after: 0).holds.first.map { abs($0.endSeconds - 30) < 0.05 } == true)
        let reply = [FrameRange(start: 3300, end: 3400)]
        #expect(detector.musicHolds(channel, after: 0, otherSpeech: reply).holds.first.map { abs($0.endSeconds - 30) < 0.05 } == true)
        var off = WaitingDetector.Configuration()
        off.holdTailMusicProbability = 2
        #expect(WaitingDetector(configuration: off).musicHolds(channel, after: 0).holds.first.map { abs($0.endSeconds - 30) < 0.05 } == true)
    }

    @Test func aBlipOfMusicHasNoTail() {
        // A second of music-like sound, then 6 s leaning to music: no hold, and the speech stays.
        var channel = AnnouncementTests.channel(seconds: 20, music: [1...2], speech: [2.3...8.3])
        channel.musicProbability = channel.labels.map { $0 == .music ? 0.9 : ($0 == .speech ? 0.4 : 0) }
        let (holds, announcements) = WaitingDetector(configuration: .init()).musicHolds(channel, after: 0)
        #expect(holds.isEmpty && announcements.isEmpty, "\(holds) \(announcements)")
    }

    @Test func theAgentsWordsRightAfterTheMusicAreNotItsTail() {
        // Speech scored 0.02 starting 0.3 s after the music, then the leaning stretch: the hold ends
        // at the music, since its tail must follow the music before anyone speaks plainly.
        var channel = AnnouncementTests.channel(seconds: 45, music: [1...30], speech: [30.3...33, 33.5...36])
        channel.musicProbability = channel.labels.indices.map { f in
            channel.labels[f] == .music ? 0.9 : (channel.labels[f] == .speech ? (f < 3300 ? 0.02 : 0.4) : 0)
        }
        let holds = WaitingDetector(configuration: .init()).musicHolds(channel, after: 0).holds
        #expect(holds.count == 1 && holds.first.map { abs($0.endSeconds - 30) < 0.05 } == true, "\(holds)")
    }
}

/// Music the other party talks through is no hold, and the speech between its stretches is that
/// leg's party (a customer over their TV), not announcements: set 6 lost a customer's 6.6 s turn.
@Suite struct DroppedHoldTests {
    @Test func speechBetweenMusicTheOtherPartyTalksThroughStaysSpeech() {
        let channel = AnnouncementTests.channel(seconds: 40, music: [1...10, 15.3...30], speech: [10.3...15])
        // The other leg talks 1-10 s and 15.5-30 s: through most of the music.
        let other = [FrameRange(start: 100, end: 1000), FrameRange(start: 1550, end: 3000)]
        let (holds, announcements) = WaitingDetector(configuration: .init()).musicHolds(channel, after: 0, otherSpeech: other)
        #expect(holds.isEmpty, "\(holds)")
        #expect(announcements.isEmpty, "the party's turn taken as an announcement: \(announcements)")
        // Control: with nobody on the other leg it is one hold, and the turn its announcement.
        let alone = WaitingDetector(configuration: .init()).musicHolds(channel, after: 0)
        #expect(alone.holds.count == 1 && alone.announcements == channel.speech, "\(alone)")
    }

    /// Music under the customer's leg all through the call (their TV, at -20 dB: the sample's own
    /// hold music, looped): the hold is still the agent's 41.45-59.45 s alone. Reading the
    /// customer's leg for holds too, it grew to 36.9-76.1 s.
    @Test func musicOnTheCustomersLegIsNoHold() throws {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (channels, rate) = try Samples.decode(file)
        let bed = Array(channels[0][(42 * rate)..<(59 * rate)])
        var customer = channels[1]
        for i in (9 * rate)..<customer.count { customer[i] += 0.1 * bed[(i - 9 * rate) % bed.count] }
        func holds(_ configuration: AnalysisConfiguration) -> [CallReport.Segment] {
            Samples.analyze(channels: [channels[0], customer], sampleRateHz: rate, name: file, planner: FFTPlanner(),
                            configuration: configuration).segments.filter { $0.kind == .hold }
        }
        let found = holds(AnalysisConfiguration())
        #expect(found.count == 1 && found.allSatisfy { abs($0.startSeconds - 41.45) < 0.5 && abs($0.endSeconds - 59.45) < 0.5 }, "\(found)")
        var both = AnalysisConfiguration()
        both.waiting.customerLegHoldMusicMinimumDBov = both.waiting.holdMusicMinimumDBov
        both.waiting.customerLegHoldMaximumOtherSpeechShare = both.waiting.holdMaximumOtherSpeechShare
        let before = holds(both)
        #expect(before.contains { $0.startSeconds < 40 || $0.endSeconds > 62 }, "\(before)")
    }

    /// With the agent's side set wrong (the agent is on the left, the customer's side given), the
    /// hold music is on the leg taken as the customer's: still the hold, not dead air.
    @Test func holdMusicOnALegTakenForTheCustomersIsStillAHold() throws {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (channels, rate) = try Samples.decode(file)
        let analyzer = CallAnalyzer(input: .init(file: file, sampleRateHz: rate, channelCount: 2, agentChannelIndex: 1),
                                    configuration: AnalysisConfiguration(), planner: FFTPlanner())
        var start = 0
        while start < channels[0].count {
            let n = min(rate, channels[0].count - start)
            analyzer.consume(channels.map { Array($0[start..<(start + n)]) }, count: n)
            start += n
        }
        let segments = analyzer.finish().segments
        let holds = segments.filter { $0.kind == .hold }
        #expect(holds.count == 1 && holds.allSatisfy { abs($0.startSeconds - 41.45) < 0.5 && abs($0.endSeconds - 59.45) < 0.5 }, "\(holds)")
        #expect(!segments.contains { $0.kind == .deadAir && $0.startSeconds < 59 && $0.endSeconds > 42 }, "\(segments.filter { $0.kind == .deadAir })")
    }
}
