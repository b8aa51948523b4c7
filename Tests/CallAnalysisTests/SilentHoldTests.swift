@testable import CallAnalysis
import CallDSP
import Testing

/// Silent holds: the agent's leg muted, found by the fall of the line's noise.
@Suite struct SilentHoldTests {
    /// Mono: talk with pauses at -50 dB, then 28 s with nobody speaking at `holdDB` (from 22 to
    /// 50 s), with `waver` (a stretch of it at another level) if given.
    static func monoMuteChannel(holdDB: Float, waver: (seconds: ClosedRange<Double>, db: Float)? = nil) -> WaitingDetector.Channel {
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        func f(_ seconds: Double) -> Int { grid.frames(inSeconds: seconds) }
        var features = ChannelFeatures(grid: grid)
        var labels = [SpeechDetector.FrameClass](repeating: .quiet, count: f(70))
        features.bandPowerDB = [Float](repeating: -50, count: f(70))
        var speech: [FrameRange] = []
        for (a, b) in [(2.0, 10.0), (11.0, 20.0), (52.0, 60.0)] {
            speech.append(FrameRange(start: f(a), end: f(b)))
            for i in f(a)..<f(b) where i % 5 != 0 { labels[i] = .speech; features.bandPowerDB[i] = -30 }
        }
        for i in f(22)..<f(50) { features.bandPowerDB[i] = holdDB }
        if let waver { for i in f(waver.seconds.lowerBound)..<f(waver.seconds.upperBound) { features.bandPowerDB[i] = waver.db } }
        return WaitingDetector.Channel(features: features, labels: labels, speech: speech)
    }

    @Test func aMonoMuteIsAHoldWhereItsNoiseDropsThreeDecibels() {
        // When the agent leg's noise goes (-54 dB: half the mix's noise and more) it is a silent
        // hold; when the mix stays within a dB of the pauses it is dead air. Stereo keeps asking for 8 dB.
        let detector = WaitingDetector(configuration: .init())
        let holds = detector.silentHolds(Self.monoMuteChannel(holdDB: -54), after: 0, before: 70, mono: true)
        #expect(holds.count == 1, "\(holds)")
        #expect(holds.first.map { abs($0.startSeconds - 22) < 0.3 && abs($0.endSeconds - 50) < 0.3 } == true)
        #expect(detector.silentHolds(Self.monoMuteChannel(holdDB: -54), after: 0, before: 70).isEmpty)
        #expect(detector.silentHolds(Self.monoMuteChannel(holdDB: -51), after: 0, before: 70, mono: true).isEmpty)
    }

    @Test func aMuteWhoseLevelWaversAboutTheThresholdIsOneHold() {
        // GSM's noise on a mono mute: the level comes back to 2 dB under the pauses' for 0.6 s,
        // short of the 3 dB fall but not the line back. One hold, not two; control: a hold that
        // must stay the whole 3 dB down splits there.
        let line = Self.monoMuteChannel(holdDB: -54, waver: (35.0...35.6, -52))
        let holds = WaitingDetector(configuration: .init()).silentHolds(line, after: 0, before: 70, mono: true)
        #expect(holds.count == 1, "\(holds)")
        #expect(holds.first.map { abs($0.startSeconds - 22) < 0.3 && abs($0.endSeconds - 50) < 0.3 } == true)
        var strict = WaitingDetector.Configuration()
        strict.mutedHoldKeepShare = 1
        #expect(WaitingDetector(configuration: strict).silentHolds(line, after: 0, before: 70, mono: true).count == 2)
    }

    @Test func onlyAFullFallStartsAHold() {
        // Stereo asks for 8 dB, and keeps a hold going at 4: a line 6 dB down throughout is no
        // hold; 8 s fully muted inside 20 s that are only 6 dB down is a hold of those 8 s (the
        // half rule does not lose it with the stretch around it).
        let detector = WaitingDetector(configuration: .init())
        #expect(detector.silentHolds(Self.monoMuteChannel(holdDB: -56), after: 0, before: 70).isEmpty)
        let inside = Self.monoMuteChannel(holdDB: -56, waver: (30.0...38.0, -70))
        let holds = detector.silentHolds(inside, after: 0, before: 70)
        #expect(holds.count == 1 && holds.first.map { abs($0.startSeconds - 30) < 0.3 && abs($0.endSeconds - 38) < 0.3 } == true, "\(holds)")
    }
}
