@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Rings, holds and dead air against SampleAudio's truth, and holds made longer or shorter than
/// the one-minute limit by repeating a sample call's own hold audio.
@Suite struct WaitingTests {
    @Test func ringsHoldsAndDeadAirMatchTheTruth() throws {
        let planner = FFTPlanner()
        var speechRight = 0, musicRight = 0, speechFrames = 0, musicFrames = 0
        for file in try Samples.files() {
            let truth = try Samples.truth(file)
            let report = try Samples.analyze(file, planner: planner)
            // Rings exact and the answer within 0.5 s at ≥ 10 dB SNR; no rings where none rang.
            #expect(report.answer.tonePlan == truth.answer.tonePlan, "\(file)")
            if (truth.noise.snrDb ?? 99) >= 10 {
                #expect(report.answer.rings == truth.answer.rings, "\(file) rings")
                if let want = truth.answer.answerSeconds {
                    #expect(abs((report.answer.answerSeconds ?? -99) - want) <= 0.5, "\(file) answer \(String(describing: report.answer.answerSeconds)) vs \(want)")
                }
            }
            // Holds: same number and kinds, boundaries within 1 s. Dead air within 0.5 s.
            for (kind, tolerance) in [("hold", 1.0), ("deadAir", 0.5)] {
                let want = truth.segments.filter { $0.kind == kind }
                let got = report.segments.filter { $0.kind.rawValue == kind }
                #expect(got.count == want.count, "\(file) \(kind) count")
                for (w, g) in zip(want, got) {
                    #expect(g.holdKind?.rawValue == w.holdKind, "\(file) hold kind")
                    #expect(abs(g.startSeconds - w.startSeconds) <= tolerance && abs(g.endSeconds - w.endSeconds) <= tolerance,
                            "\(file) \(kind) \(g.startSeconds)–\(g.endSeconds) vs \(w.startSeconds)–\(w.endSeconds)")
                }
            }
            // Music-vs-speech frames: truth speech called speech, truth music (hold or CRBT) called music.
            let frames = Int(truth.durationSeconds / 0.01) + 1
            let speechTruth = mask(truth.segments.filter { $0.kind == "speech" }.map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
            let musicTruth = mask(truth.segments.filter { $0.holdKind == "music" || ($0.kind == "ringback" && truth.answer.tonePlan == "CRBT") }
                .map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
            let speechGot = mask(report.segments.filter { $0.kind == .speech }.map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
            let musicGot = mask(report.segments.filter { $0.holdKind == .music || ($0.kind == .ringback && report.answer.tonePlan == "CRBT") }
                .map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
            for i in 0..<frames {
                if speechTruth[i] { speechFrames += 1; if speechGot[i] && !musicGot[i] { speechRight += 1 } }
                if musicTruth[i] { musicFrames += 1; if musicGot[i] && !speechGot[i] { musicRight += 1 } }
            }
        }
        let accuracy = Double(speechRight + musicRight) / Double(speechFrames + musicFrames)
        print("music-vs-speech frame accuracy \(accuracy) (music \(musicRight)/\(musicFrames), speech \(speechRight)/\(speechFrames))")
        #expect(accuracy >= 0.97)
        #expect(Double(musicRight) / Double(musicFrames) >= 0.97)
    }

    /// A sample call with its hold stretched to `seconds` by repeating `loopSeconds` of the hold.
    static func stretched(_ file: String, holdStart: Double, holdEnd: Double, loopSeconds: Double, to seconds: Double)
        throws -> (channels: [[Float]], sampleRateHz: Int)
    {
        let (channels, rate) = try Samples.decode(file)
        let a = Int(holdStart * Double(rate)), b = Int(holdEnd * Double(rate))
        let loop = Int(loopSeconds * Double(rate)), total = Int(seconds * Double(rate))
        let out = channels.map { x -> [Float] in
            var hold: [Float] = []
            hold.reserveCapacity(total)
            while hold.count < total { hold += x[a..<min(a + loop, a + total - hold.count)] }
            return Array(x[0..<a]) + hold + Array(x[b...])
        }
        return (out, rate)
    }

    @Test(arguments: [
        // (file, hold start, hold end, seconds of hold audio that repeat cleanly, kind)
        ("20261123-091544_agent-1002_call-000002.wav", 41.51, 59.51, 16.0, CallReport.HoldKind.music),
        ("20261123-093012_agent-1003_call-000003.wav", 50.36, 63.36, 12.0, CallReport.HoldKind.tone),
        ("20261123-104510_agent-1002_call-000006.wav", 42.56, 57.56, 15.0, CallReport.HoldKind.silence),
    ])
    func holdsOverOneMinuteAreFlagged(file: String, start: Double, end: Double, loop: Double, kind: CallReport.HoldKind) throws {
        let planner = FFTPlanner()
        for seconds in [55.0, 65.0] {
            let (channels, rate) = try Self.stretched(file, holdStart: start, holdEnd: end, loopSeconds: loop, to: seconds)
            let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "\(file) with a \(Int(seconds)) s hold", planner: planner)
            let holds = report.segments.filter { $0.kind == .hold }
            #expect(holds.count == 1, "\(report.file): \(holds)")
            if let hold = holds.first {
                #expect(hold.holdKind == kind)
                #expect(abs(hold.startSeconds - start) <= 1 && abs(hold.endSeconds - (start + seconds)) <= 1,
                        "\(report.file): \(hold.startSeconds)–\(hold.endSeconds)")
            }
            let flagged = report.flags.contains { $0.rule == "R7" }
            #expect(flagged == (seconds > 60), "\(report.file): R7 flag \(flagged)")
        }
    }

    /// Music on one leg while the other party talks through it is not a hold (an MP3 or Vorbis
    /// recorder's stereo coding leaves such stray "music" on a quiet leg): sample call 2's hold music
    /// copied onto the silent customer leg under the agent's 60-76 s.
    @Test func musicUnderTheOtherPartysTalkIsNotAHold() throws {
        var (channels, rate) = try Samples.decode("20261123-091544_agent-1002_call-000002.wav")
        for i in 0..<(16 * rate) { channels[1][60 * rate + i] += channels[0][42 * rate + i] }
        let planner = FFTPlanner()
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "music under the agent's words", planner: planner)
        let holds = report.segments.filter { $0.kind == .hold }
        #expect(holds.count == 1, "\(holds)")
        #expect(holds.allSatisfy { abs($0.startSeconds - 41.45) <= 1 && abs($0.endSeconds - 59.45) <= 1 }, "\(holds)")
        // Without the rule the copy is a hold of its own: the test can fail.
        var lax = AnalysisConfiguration()
        lax.waiting.holdMaximumOtherSpeechShare = 2
        lax.waiting.customerLegHoldMaximumOtherSpeechShare = 2
        let laxHolds = Samples.analyze(channels: channels, sampleRateHz: rate, name: "lax", planner: planner, configuration: lax)
            .segments.filter { $0.kind == .hold }
        #expect(laxHolds.contains { $0.startSeconds >= 59 }, "\(laxHolds)")
    }

    @Test func busyToneAndDialToneAreNotRings() throws {
        // A mono call without ringback, preceded by 6 s of a busy tone (480+620 Hz, 0.5 s on/off).
        var (channels, rate) = try Samples.decode("20261123-104510_agent-1002_call-000006.wav")
        let n = 6 * rate
        var busy = [Float](repeating: 0, count: n)
        for i in 0..<n where (i / (rate / 2)) % 2 == 0 {
            let t = Float(i) / Float(rate)
            busy[i] = 0.02 * (sinf(2 * .pi * 480 * t) + sinf(2 * .pi * 620 * t))
        }
        channels[0] = busy + channels[0]
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: "busy tone", planner: FFTPlanner())
        #expect(report.answer.source == .none)
        #expect(report.answer.rings == nil)
        #expect(!report.segments.contains { $0.kind == .ringback })
    }
}

/// Through Opus, a coloured ring-back tone's held note read as one cut-short ring, and the rest of
/// the tune as a 10 s hold after a 4.7 s "answer". A lone cut ring with music after it is a note.
@Suite struct LoneRingTests {
    static func channel(musicAfterRing musicSeconds: Double) -> WaitingDetector.Channel {
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        var labels = [SpeechDetector.FrameClass](repeating: .quiet, count: grid.frames(inSeconds: 10))
        let ringEnd = grid.frames(inSeconds: 4.7), musicEnd = ringEnd + grid.frames(inSeconds: musicSeconds)
        for f in grid.frames(inSeconds: 4.2)..<ringEnd { labels[f] = .tone }
        for f in ringEnd..<min(labels.count, musicEnd) { labels[f] = .music }
        return WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: labels, speech: [])
    }

    @Test func aCutRingFollowedByMusicIsANote() {
        var ring = WaitingDetector.Ringing(tonePlan: "CEPT", rings: 1, answerSeconds: 4.7, ringSeconds: [4.2...4.7])
        #expect(WaitingDetector.isNoteOfMusic(ring, on: Self.channel(musicAfterRing: 5), within: 3))
        // A pickup cut the ring and the line (not music) follows: a ring.
        #expect(!WaitingDetector.isNoteOfMusic(ring, on: Self.channel(musicAfterRing: 0.3), within: 3))
        // Two rings, or a ring answered in the silence after it, are rings whatever follows.
        ring.rings = 2
        #expect(!WaitingDetector.isNoteOfMusic(ring, on: Self.channel(musicAfterRing: 5), within: 3))
    }
}

/// A real hold's announcement ended on a lone frame of music, then a pause, then the music: the
/// lone frame stood in as "the music after the announcement", too short to count, and the hold
/// broke in two around the announcement.
@Suite struct AnnouncementTests {
    @Test func aLoneMusicFrameDoesNotSplitAHold() {
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        func f(_ seconds: Double) -> Int { grid.frames(inSeconds: seconds) }
        var labels = [SpeechDetector.FrameClass](repeating: .quiet, count: f(50))
        for i in f(1)..<f(20) { labels[i] = .music }
        for i in f(20.4)..<f(27) { labels[i] = .speech }
        labels[f(27.3)] = .music
        for i in f(29)..<f(45) { labels[i] = .music }
        let channel = WaitingDetector.Channel(
            features: ChannelFeatures(grid: grid), labels: labels, speech: [FrameRange(start: f(20.4), end: f(27))])
        let detector = WaitingDetector(configuration: .init())
        let (holds, announcements) = detector.musicHolds(channel, after: 0)
        #expect(holds.count == 1, "\(holds)")
        #expect(holds.first.map { abs($0.startSeconds - 1) < 0.05 && abs($0.endSeconds - 45) < 0.05 } == true)
        #expect(announcements.count == 1)
        // Without the minimum run the lone frame is a run of its own, and the hold stays whole
        // because the music after the announcement is read across the quiet passage to 45 s.
        var strict = WaitingDetector.Configuration()
        strict.minimumMusicRunSeconds = 0
        #expect(WaitingDetector(configuration: strict).musicHolds(channel, after: 0).holds.count == 1)
    }

    /// A channel of `seconds` with music and speech where given (speech also as segments).
    static func channel(seconds: Double, music: [ClosedRange<Double>], speech: [ClosedRange<Double>]) -> WaitingDetector.Channel {
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        func f(_ seconds: Double) -> Int { grid.frames(inSeconds: seconds) }
        var labels = [SpeechDetector.FrameClass](repeating: .quiet, count: f(seconds))
        for span in music { for i in f(span.lowerBound)..<f(span.upperBound) { labels[i] = .music } }
        for span in speech { for i in f(span.lowerBound)..<f(span.upperBound) { labels[i] = .speech } }
        return WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: labels,
                                       speech: speech.map { FrameRange(start: f($0.lowerBound), end: f($0.upperBound)) })
    }

    @Test func aMonoHoldWhosePromptComesEarlyIsOneHold() {
        // 6 s of music, a 3 s prompt, then the music again: on mono as on stereo, 2 s of music
        // before the prompt is enough.
        let channel = Self.channel(seconds: 45, music: [1...7, 10.8...40], speech: [7.4...10.4])
        let (holds, announcements) = WaitingDetector(configuration: .init()).musicHolds(channel, after: 0, mono: true)
        #expect(holds.count == 1, "\(holds)")
        #expect(holds.first.map { abs($0.startSeconds - 1) < 0.05 && abs($0.endSeconds - 40) < 0.05 } == true)
        #expect(announcements == channel.speech)
        // Control: asking for 10 s of music first (the old mono rule) splits it.
        var old = WaitingDetector.Configuration()
        old.monoAnnouncementMusicSeconds = 10
        #expect(WaitingDetector(configuration: old).musicHolds(channel, after: 0, mono: true).holds.count == 2)
        // A 12 s announcement (a long queue message with the music misread around it) likewise.
        let long = Self.channel(seconds: 70, music: [1...21, 33.8...65], speech: [21.4...33.4])
        #expect(WaitingDetector(configuration: .init()).musicHolds(long, after: 0, mono: true).holds.count == 1)
        old.monoAnnouncementMusicSeconds = 3
        old.monoAnnouncementMaximumSeconds = 10
        #expect(WaitingDetector(configuration: old).musicHolds(long, after: 0, mono: true).holds.count == 2)
    }

    @Test func aPromptTwoSecondsIntoTheMusicBelongsToTheHold() {
        // 2.75 s of music, a 1.5 s prompt, then the music: the hold starts with the first music
        // (a 3 s minimum left it out, and its time read as dead air). Control: 3 s asked for.
        let channel = Self.channel(seconds: 45, music: [1...3.75, 5.8...40], speech: [4.0...5.5])
        let (holds, announcements) = WaitingDetector(configuration: .init()).musicHolds(channel, after: 0)
        #expect(holds.count == 1 && holds.first.map { abs($0.startSeconds - 1) < 0.05 } == true, "\(holds)")
        #expect(announcements == channel.speech)
        var old = WaitingDetector.Configuration()
        old.announcementMusicSeconds = 3
        #expect(WaitingDetector(configuration: old).musicHolds(channel, after: 0).holds.first.map { abs($0.startSeconds - 5.8) < 0.05 } == true)
        // A second of music-like sound before the agent's words is no hold's start.
        let blip = Self.channel(seconds: 45, music: [1...2, 6.3...40], speech: [2.3...6])
        let blipHolds = WaitingDetector(configuration: .init()).musicHolds(blip, after: 0).holds
        #expect(blipHolds.count == 1 && blipHolds.first.map { abs($0.startSeconds - 6.3) < 0.05 } == true, "\(blipHolds)")
    }

    @Test func musicTheModelCouldNotSettleInsideAHoldIsPartOfIt() {
        // 20 s of "speech" between two stretches of hold music, nobody on the other leg: when its
        // frames lean to music (mean probability 0.3: drums and a walking bass under line noise)
        // it is the hold going on; when they are plainly speech (0.02) it is the agent back.
        func line(probability: Float) -> WaitingDetector.Channel {
            var channel = Self.channel(seconds: 70, music: [1...20, 40.3...60], speech: [20.3...40])
            channel.musicProbability = channel.labels.map { $0 == .speech ? probability : ($0 == .music ? 0.9 : 0) }
            return channel
        }
        let detector = WaitingDetector(configuration: .init())
        let (holds, announcements) = detector.musicHolds(line(probability: 0.3), after: 0)
        #expect(holds.count == 1 && holds.first.map { abs($0.startSeconds - 1) < 0.05 && abs($0.endSeconds - 60) < 0.05 } == true, "\(holds)")
        #expect(announcements == line(probability: 0.3).speech)
        #expect(detector.musicHolds(line(probability: 0.02), after: 0).holds.count == 2)
        // Controls: the customer answers in it; no probability known.
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        let reply = [FrameRange(start: grid.frames(inSeconds: 30), end: grid.frames(inSeconds: 31))]
        #expect(detector.musicHolds(line(probability: 0.3), after: 0, otherSpeech: reply).holds.count == 2)
        #expect(detector.musicHolds(Self.channel(seconds: 70, music: [1...20, 40.3...60], speech: [20.3...40]), after: 0).holds.count == 2)
        // On mono too; but not when 10 s of it is plainly speech (the agent back between two
        // holds, with a misread tail of music before the words).
        #expect(detector.musicHolds(line(probability: 0.3), after: 0, mono: true).holds.count == 1)
        var talk = Self.channel(seconds: 70, music: [1...20, 40.3...60], speech: [20.3...26, 26.5...37, 37.3...40])
        talk.musicProbability = talk.labels.indices.map { f in
            talk.labels[f] == .music ? 0.9 : (talk.labels[f] == .speech ? (f < 2600 || f >= 3700 ? 0.6 : 0.02) : 0)
        }
        #expect(detector.musicHolds(talk, after: 0, mono: true).holds.count == 2)
    }

    @Test func musicFramesFlickeringInLineNoiseAreNoHold() {
        // A codec's noise on a muted leg passing the music test a frame or two a second (GSM):
        // joined across the gaps, those frames spanned "holds" of silence.
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        func f(_ seconds: Double) -> Int { grid.frames(inSeconds: seconds) }
        var labels = [SpeechDetector.FrameClass](repeating: .quiet, count: f(40))
        var frame = f(5)
        while frame < f(35) {
            labels[frame] = .music
            labels[frame + 1] = .music
            frame += f(0.7)
        }
        let channel = WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: labels, speech: [])
        #expect(WaitingDetector(configuration: .init()).musicHolds(channel, after: 0).holds.isEmpty)
        // Control: without the density test the flicker is a 30 s hold.
        var loose = WaitingDetector.Configuration()
        loose.minimumMusicRunDensity = 0
        #expect(WaitingDetector(configuration: loose).musicHolds(channel, after: 0).holds.count == 1)
    }

    @Test func musicBackInShortRunsAfterAnAnnouncementKeepsTheHoldWhole() {
        // As through Vorbis: after the announcement the music returns as 2.7 s, then a 2 s quiet
        // passage, then 8 s and more. The music after the announcement is what must be long, not its
        // first run (a run of 2.7 s alone is shorter than a hold's 3 s).
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        func f(_ seconds: Double) -> Int { grid.frames(inSeconds: seconds) }
        var labels = [SpeechDetector.FrameClass](repeating: .quiet, count: f(60))
        for i in f(1)..<f(16) { labels[i] = .music }
        for i in f(16.3)..<f(23.8) { labels[i] = .speech }
        for i in f(24.1)..<f(26.8) { labels[i] = .music }
        for i in f(28.8)..<f(45) { labels[i] = .music }
        let speech = [FrameRange(start: f(16.3), end: f(23.8))]
        let detector = WaitingDetector(configuration: .init())
        for mono in [false, true] {
            let channel = WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: labels, speech: speech)
            let (holds, announcements) = detector.musicHolds(channel, after: 0, mono: mono)
            #expect(holds.count == 1, "mono \(mono): \(holds)")
            #expect(holds.first.map { abs($0.startSeconds - 1) < 0.05 && abs($0.endSeconds - 45) < 0.05 } == true)
            #expect(announcements == speech)
        }
        // Speech in the quiet passage after it is the agent back: then the hold ends at the first run.
        var answered = labels
        for i in f(27.2)..<f(28.4) { answered[i] = .speech }
        let channel = WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: answered,
                                              speech: speech + [FrameRange(start: f(27.2), end: f(28.4))])
        #expect(detector.musicHolds(channel, after: 0).holds.count == 2)
        // The same when the customer speaks there, on the other leg.
        let plain = WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: labels, speech: speech)
        #expect(detector.musicHolds(plain, after: 0, otherSpeech: [FrameRange(start: f(27.2), end: f(28.4))]).holds.count == 2)
        // What must be long is the music, not the span: three 0.5 s runs 3 s apart (7.5 s from
        // first to last) are not 3 s of music; the music after them is more than 5 s away.
        var sparse = labels
        for i in f(24.1)..<f(45) { sparse[i] = .quiet }
        for start in [24.1, 27.6, 31.1] { for i in f(start)..<f(start + 0.5) { sparse[i] = .music } }
        for i in f(38)..<f(45) { sparse[i] = .music }
        let thin = WaitingDetector.Channel(features: ChannelFeatures(grid: grid), labels: sparse, speech: speech)
        #expect(detector.musicHolds(thin, after: 0).announcements.isEmpty)
    }
}
