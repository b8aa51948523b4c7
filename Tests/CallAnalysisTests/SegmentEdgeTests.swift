import CallAnalysis
import CallDSP
import Testing

/// Where a speech segment starts and ends. Through a lossy codec a quiet leg's line noise flickers
/// past the low threshold in runs of a few frames (MP3's joint stereo does it while the other leg
/// talks); bridged onto the next words, that flicker started the agent's turn up to 2 s early,
/// over the customer's last words: false interruptions, 10 on 12 real-voice calls' MP3 copies.
@Suite struct SegmentEdgeTests {
    static let grid = FrameGrid.standard(sampleRateHz: 8000)
    static let pauseDB: Float = -45

    /// A line at the pause level, with `sounds` (frame ranges, band power, divergence) on it; frames
    /// are labelled speech where the divergence reaches the detector's low threshold.
    static func channel(_ frames: Int, sounds: [(Range<Int>, Float, Float)]) -> (labels: [SpeechDetector.FrameClass], features: ChannelFeatures) {
        var features = ChannelFeatures(grid: grid)
        features.bandPowerDB = [Float](repeating: pauseDB, count: frames)
        features.divergenceDB = [Float](repeating: 1, count: frames)
        for (range, level, divergence) in sounds {
            for f in range { features.bandPowerDB[f] = level; features.divergenceDB[f] = divergence }
        }
        let low = SpeechDetector.Configuration().activeDivergenceDB
        return (features.divergenceDB.map { $0 >= low ? .speech : .quiet }, features)
    }

    static let words: (Range<Int>, Float, Float) = (300..<500, -20, 25)

    static func segments(_ sounds: [(Range<Int>, Float, Float)], frames: Int = 800) -> [FrameRange] {
        let (labels, features) = channel(frames, sounds: sounds)
        return SpeechDetector(configuration: .init()).segments(labels, features: features)
    }

    /// Runs of 2–3 frames every 8, at the line's own level (one even past the high threshold).
    static let flicker: [(Range<Int>, Float, Float)] = stride(from: 120, to: 296, by: 8).map {
        ($0..<($0 + ($0 % 3 == 0 ? 3 : 2)), pauseDB + 1.5, $0 == 200 ? 11 : 6)
    }

    @Test func lineNoiseFlickeringBeforeTheWordsIsNotTheirStart() throws {
        let found = Self.segments(Self.flicker + [Self.words])
        #expect(found.count == 1)
        let start = try #require(found.first).start
        // (padding: 2 frames)
        #expect(start >= 297 && start <= 300, "the words start at frame 300; the segment at \(start)")
    }

    @Test func digitalSilenceIsNotTheLinesPauseLevel() throws {
        // The same leg, then a long stretch of digital silence (a muted leg, the time before the
        // answer): most of its quiet frames, but not its pauses' level.
        let silence = (800..<3000, Float(-110), Float(0))
        let found = Self.segments(Self.flicker + [Self.words, silence], frames: 3000)
        let start = try #require(found.first).start
        #expect(start >= 297 && start <= 300, "the words start at frame 300; the segment at \(start)")
    }

    @Test func weakSoundsAboveThePauseLevelStayWithTheirWords() throws {
        // A soft onset 0.2 s before the words and a final release after a 0.1 s closure: weak
        // (under the high threshold), apart from the words, but clear of the line's pause level.
        let onset = (260..<280, Self.pauseDB + 5, Float(7)), release = (510..<518, Self.pauseDB + 5, Float(7))
        let found = Self.segments([onset, Self.words, release])
        #expect(found.count == 1)
        let segment = try #require(found.first)
        #expect(segment.start <= 260 && segment.end >= 518, "\(found)")
    }

    @Test func aWeakRunTouchingTheWordsStaysWithThem() throws {
        // At the pause level but only 30 ms from the words: an onset, not the line.
        let found = Self.segments([(285..<297, Self.pauseDB + 1, Float(6)), Self.words])
        #expect(try #require(found.first).start <= 285, "\(found)")
    }

    @Test func aLineSteppingUpBeforeTheWordsIsNotTheirOnset() throws {
        // The call connects 0.8 s before the greeting: the line's noise steps up 2.5 dB and, until
        // the noise estimate follows, flickers over the low threshold in runs 30 ms apart (every gap
        // an onset's). A weak onset is a fraction of a syllable: at most 0.3 s of chain is kept.
        let stepped: [(Range<Int>, Float, Float)] = stride(from: 220, to: 297, by: 6).map { ($0..<($0 + 3), Self.pauseDB + 2.5, 6) }
        let found = Self.segments(stepped + [Self.words])
        let start = try #require(found.first).start
        #expect(start >= 268 && start <= 302, "the words start at frame 300; the segment at \(start)")
        // Control: with no limit on the chain the step is the words' onset.
        var unlimited = SpeechDetector.Configuration()
        unlimited.edgeChainReachSeconds = 100
        let (labels, features) = Self.channel(800, sounds: stepped + [Self.words])
        let chained = SpeechDetector(configuration: unlimited).segments(labels, features: features)
        #expect(chained.first.map { $0.start <= 222 } == true, "\(chained)")
    }

    @Test func aLineSteppingUpRightBeforeTheWordsIsNotTheirOnset() throws {
        // A quiet ring-back line connects 0.8 s before the greeting: its noise, 40 dB under the
        // words, reads far above the old noise estimate, one run with the words. Only 0.3 s of it
        // may lead them.
        let sounds: [(Range<Int>, Float, Float)] = [(220..<300, Self.pauseDB + 1, 18), (300..<500, -5, 25)]
        let found = Self.segments(sounds)
        let start = try #require(found.first).start
        #expect(start >= 268 && start <= 302, "the words start at frame 300; the segment at \(start)")
        // Control: with no limit the step is the words' onset.
        var unlimited = SpeechDetector.Configuration()
        unlimited.edgeBelowLoudestDB = 100
        let (labels, features) = Self.channel(800, sounds: sounds)
        #expect(SpeechDetector(configuration: unlimited).segments(labels, features: features).first.map { $0.start <= 220 } == true)
    }

    @Test func lineNoiseFlickeringBetweenTwoTurnsDoesNotJoinThem() throws {
        // Words, 2.5 s of the line's noise flickering every 80 ms (as GSM's does on a quiet leg
        // while the other party talks), words again: two segments, not one across the gap.
        // Control: a pause of up to 3 s may hold nothing audible and still join them.
        let gap: [(Range<Int>, Float, Float)] = stride(from: 502, to: 750, by: 8).map { ($0..<($0 + 2), Self.pauseDB + 1.5, 6) }
        let sounds = [Self.words] + gap + [(750..<850, Float(-20), Float(25))]
        let found = Self.segments(sounds, frames: 950)
        #expect(found.count == 2, "\(found)")
        #expect(found.first.map { $0.end <= 505 } == true && found.last.map { $0.start >= 746 } == true, "\(found)")
        var lax = SpeechDetector.Configuration()
        lax.splitPauseSeconds = 3
        let (labels, features) = Self.channel(950, sounds: sounds)
        #expect(SpeechDetector(configuration: lax).segments(labels, features: features).count == 1)
    }
}
