@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Speech rate, interruptions and the ending against SampleAudio's truth.
@Suite struct SpeakingTests {
    struct PartyTruth: Decodable { var speechRateCharsPerMinute: Double?; var characterCount: Int; var talkSeconds: Double }
    struct Interruption: Decodable, Equatable { var atSeconds: Double; var by: String }
    struct Ending: Decodable { var lastParty: String?; var tailSilenceSeconds: Double }
    struct Segment: Decodable { var kind: String; var party: String?; var startSeconds: Double; var endSeconds: Double }
    struct Extra: Decodable {
        var layout: String
        var durationSeconds: Double
        var segments: [Segment]
        var parties: [String: PartyTruth]
        var interruptions: [Interruption]
        var ending: Ending
    }

    @Test func speechRateInterruptionsAndEndingMatchTheTruth() throws {
        let planner = FFTPlanner()
        var rateErrors: [Double] = []
        var found = 0, falseAlarms = 0, missed = 0
        var attributedRight = 0, attributedAll = 0
        for file in try Samples.files() {
            let stem = (file as NSString).deletingPathExtension
            let truth = try JSONDecoder().decode(Extra.self, from: Data(contentsOf: Samples.folder.appendingPathComponent("truth/\(stem).json")))
            let report = try Samples.analyze(file, planner: planner)
            if truth.layout == "stereo" {
                for (party, measured) in [("agent", report.parties.agent), ("customer", report.parties.customer)] {
                    let want = try #require(truth.parties[party]?.speechRateCharsPerMinute)
                    let got = try #require(measured?.speechRateCharsPerMinute)
                    rateErrors.append(abs(got - want) / want)
                }
                var want = truth.interruptions
                for i in report.interruptions ?? [] {
                    if let k = want.firstIndex(where: { $0.by == i.by.rawValue && abs($0.atSeconds - i.atSeconds) <= 0.5 }) {
                        found += 1; want.remove(at: k)
                    } else {
                        falseAlarms += 1
                    }
                }
                missed += want.count
                #expect(report.ending?.lastParty?.rawValue == truth.ending.lastParty, "\(file) last party")
            } else {
                // Mono: talk time given to the right party.
                let frames = Int(truth.durationSeconds / 0.01) + 1
                for party in ["agent", "customer"] {
                    let want = mask(truth.segments.filter { $0.kind == "speech" && $0.party == party }.map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
                    let mine = mask(report.segments.filter { $0.kind == .speech && $0.party?.rawValue == party }.map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
                    let any = mask(report.segments.filter { $0.kind == .speech }.map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
                    for i in 0..<frames where want[i] && any[i] { attributedAll += 1; if mine[i] { attributedRight += 1 } }
                }
                #expect(report.attribution != nil, "\(file) attribution")
                let chars = Double(truth.parties.values.reduce(0) { $0 + $1.characterCount })
                let talk = truth.parties.values.reduce(0) { $0 + $1.talkSeconds }
                let got = try #require(report.mixed?.speechRateCharsPerMinute)
                rateErrors.append(abs(got - chars / talk * 60) / (chars / talk * 60))
            }
            #expect(abs((report.ending?.tailSilenceSeconds ?? -1) - truth.ending.tailSilenceSeconds) <= 0.3, "\(file) tail silence")
        }
        let mape = rateErrors.reduce(0, +) / Double(rateErrors.count)
        let precision = Double(found) / Double(max(found + falseAlarms, 1)), recall = Double(found) / Double(max(found + missed, 1))
        print("speech-rate MAPE \(mape); interruptions precision \(precision) recall \(recall) (\(found) found)")
        // The issue's bars: rate within 5 % on average; interruptions precision and recall ≥ 0.9.
        #expect(mape <= 0.05)
        #expect(found >= 6)
        #expect(precision >= 0.9 && recall >= 0.9)
        let attributed = Double(attributedRight) / Double(max(attributedAll, 1))
        print("mono talk time attributed to the right party: \(attributed)")
        #expect(attributed >= 0.9)
    }

    /// Syllables joined without silence, as in running speech: half of them through a nasal's
    /// murmur (loud, but only the voice's lowest harmonics), half through a consonant's noise; each
    /// vowel with its own tone and a shimmer. One nucleus per syllable, where the plain band level
    /// (the de Jong & Wempe contour) runs the nasal and the vowels together. And talk time that keeps
    /// a short pause but not a long one.
    @Test(arguments: [(8000.0, 4.5), (16000.0, 3.5)])
    func countsJoinedSyllables(sampleRateHz: Double, syllablesPerSecond: Double) throws {
        let syllables = 24
        let syllableSeconds = 1 / syllablesPerSecond
        var rng: UInt64 = 11
        func noise() -> Double {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: rng >> 11) % 2000) / 1000 - 1
        }
        var x: [Float] = []
        var phase = 0.0
        for s in 0..<syllables {
            let n = Int(syllableSeconds * sampleRateHz)
            let onset = n / 4
            let tone = [1.0, 1.25, 0.85, 1.1][s % 4]
            for i in 0..<n {
                let t = Double(i) / Double(n)
                let hz = 120 * tone * (1 + 0.1 * (t - 0.5))
                phase += 2 * .pi * hz / sampleRateHz
                var voiced = 0.0
                var h = 1
                while Double(h) * hz < min(3400, sampleRateHz / 2 - 200) {
                    voiced += sin(Double(h) * phase) / Double(h)
                    h += 1
                }
                let sample: Double
                if i < onset {
                    // The murmur's energy sits round its first formant, near 220 Hz.
                    let bump = sin(.pi * Double(i) / Double(onset))
                    sample = s % 2 == 0 ? 0.15 * bump * sin(2 * .pi * 220 * Double(x.count) / sampleRateHz) : 0.04 * noise()
                } else {
                    let v = Double(i - onset) / Double(n - onset)
                    sample = 0.12 * voiced * (0.3 + 0.7 * sin(.pi * v)) * (1 + 0.1 * sin(2 * .pi * 3 * v))
                }
                x.append(Float(sample + 0.0005 * noise()))
            }
        }
        let grid = FrameGrid.standard(sampleRateHz: sampleRateHz)
        let extractor = ChannelFeatureExtractor(grid: grid, planner: FFTPlanner())
        x.withUnsafeBufferPointer { extractor.consume($0) }
        let features = extractor.finish()
        // The nucleus detector alone: the pace estimate (fitted on real speech) is tested below.
        var nucleiOnly = SpeakingMeasures.Configuration()
        nucleiOnly.paceRateSlope = 0
        let measures = SpeakingMeasures(configuration: nucleiOnly)
        let levels = measures.levels(features)
        let all = [FrameRange(start: 0, end: features.frameCount)]
        let result = measures.measure(features, speech: all, levels: levels)
        var plain = features
        plain.syllabicDB = (0..<features.frameCount).map { features.bandPowerDB[max(0, $0 - ChannelFeatures.syllabicLagFrames)] }
        let plainCount = measures.measure(plain, speech: all, levels: measures.levels(plain)).syllables
        print("\(result.syllables) nuclei for \(syllables) joined syllables at \(Int(sampleRateHz)) Hz; on the plain band level \(plainCount)")
        #expect(abs(result.syllables - syllables) <= 1, "\(result.syllables) nuclei for \(syllables) syllables")
        // The test's nasals do fool the plain band level: it is the envelope that gets this right.
        #expect(plainCount >= syllables + syllables / 4)

        // Talk time: the same speech split by a 0.3 s pause counts the pause, split by 1 s does not.
        let half = features.frameCount / 2
        let shortPause = [FrameRange(start: 0, end: half - 15), FrameRange(start: half + 15, end: features.frameCount)]
        let longPause = [FrameRange(start: 0, end: half - 50), FrameRange(start: half + 50, end: features.frameCount)]
        let seconds = Double(features.frameCount) * grid.hopSeconds
        #expect(abs(measures.measure(features, speech: shortPause, levels: levels).talkSeconds - seconds) < 0.001)
        #expect(abs(measures.measure(features, speech: longPause, levels: levels).talkSeconds - (seconds - 1)) < 0.001)
    }

    /// The two counts: fast speech takes the larger (nuclei merge); slower speech their weighted
    /// mean when they agree, the nuclei alone when the pace is far off (slow speech's centroid).
    @Test func nucleiAndPaceCombine() {
        let measures = SpeakingMeasures(configuration: .init())
        #expect(measures.combined(nuclei: 40, pace: 55, pacePerSecond: 4.5) == 55)
        #expect(measures.combined(nuclei: 60, pace: 55, pacePerSecond: 4.5) == 60)
        #expect(measures.combined(nuclei: 20, pace: 24, pacePerSecond: 3.8) == 21)
        #expect(measures.combined(nuclei: 120, pace: 235, pacePerSecond: 3.8) == 120)
        var nucleiOnly = SpeakingMeasures.Configuration()
        nucleiOnly.paceBlendNucleusWeight = 1
        #expect(SpeakingMeasures(configuration: nucleiOnly).combined(nuclei: 20, pace: 24, pacePerSecond: 3.8) == 20)
    }

    /// A detectors file may give only what it changes (one from an earlier version lacks the newer
    /// keys), but a name that is no setting is an error naming it.
    @Test func anOlderSpeakingConfigurationKeepsTheNewDefaults() throws {
        let decoded = try AnalysisConfiguration.decode(Data(#"{"speaking": {"nucleusDipDB": 3, "smoothingSigmaFrames": 1.5}}"#.utf8))
        var want = SpeakingMeasures.Configuration()
        want.nucleusDipDB = 3
        want.smoothingSigmaFrames = 1.5
        #expect(decoded.speaking == want)
        #expect(decoded.speech == AnalysisConfiguration().speech)
        #expect {
            try AnalysisConfiguration.decode(Data(#"{"speaking": {"nucleusDipDb": 3}}"#.utf8))
        } throws: { error in
            DecodingErrorText.describe(error) == "speaking.nucleusDipDb: not a setting (misspelt?)"
        }
        // A setting an earlier version wrote and this one retired is ignored.
        let retired = try AnalysisConfiguration.decode(Data(#"{"monoAttribution": {"minimumChunkSeconds": 0.3, "pitchWeight": 1}}"#.utf8))
        #expect(retired.monoAttribution == MonoAttribution.Configuration())
    }

    /// The pace's modulation centroid follows the rate of a level that rises and falls like
    /// syllables (a raised cosine per syllable, 12 dB deep), within 0.5 Hz from 3 to 7 per second.
    @Test(arguments: [3.0, 5.0, 7.0])
    func paceCentroidFollowsTheSyllableRate(syllablesPerSecond: Double) throws {
        let frames = 1000
        let level = (0..<frames).map { f -> Float in
            let phase = Double(f) * 0.01 * syllablesPerSecond
            return Float(-30 - 12 * (0.5 - 0.5 * cos(2 * .pi * phase)))
        }
        let pace = try #require(SyllabicPace.centroidHz(level, ranges: [0..<frames], labels: nil))
        #expect(abs(Double(pace.hz) - syllablesPerSecond) <= 0.5, "centroid \(pace.hz) Hz for \(syllablesPerSecond)/s")
        #expect(pace.frames == frames)
        // Too little speech to judge: no estimate.
        #expect(SyllabicPace.centroidHz(level, ranges: [0..<300], labels: nil) == nil)
    }
}
