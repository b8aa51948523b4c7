import CallAnalysis
import CallAudio
import CallDSP
import Foundation
import Testing

/// The truth file written beside each sample call by SampleAudio/generate.py.
struct Truth: Decodable {
    struct Answer: Decodable { var source: String; var rings: Int?; var answerSeconds: Double?; var tonePlan: String? }
    struct Segment: Decodable { var kind: String; var party: String?; var holdKind: String?; var startSeconds: Double; var endSeconds: Double }
    struct Party: Decodable { var activeLevelDbov: Double; var snrDb: Double?; var humDbov: Double? }
    struct Parties: Decodable { var agent: Party; var customer: Party }
    struct Noise: Decodable { var snrDb: Double? }
    var durationSeconds: Double
    var layout: String
    var segments: [Segment]
    var parties: Parties
    var noise: Noise
    var answer: Answer
}

enum Samples {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../SampleAudio").standardized

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".wav") || $0.hasSuffix(".flac") }.sorted()
    }

    static func truth(_ file: String) throws -> Truth {
        let stem = (file as NSString).deletingPathExtension
        let data = try Data(contentsOf: folder.appendingPathComponent("truth/\(stem).json"))
        return try JSONDecoder().decode(Truth.self, from: data)
    }

    /// Every sample of a recording, one array per channel, and its rate.
    static func decode(_ file: String) throws -> (channels: [[Float]], sampleRateHz: Int) {
        try AudioDecoder.readAll(path: folder.appendingPathComponent(file).path)
    }

    /// The first `seconds` of a recording, one array per channel, and its rate.
    static func excerpt(_ file: String, seconds: Int) throws -> (channels: [[Float]], sampleRateHz: Int) {
        let (channels, rate) = try decode(file)
        return (channels.map { Array($0[0..<min($0.count, seconds * rate)]) }, rate)
    }

    /// Analyses samples held in memory, fed in 1 s blocks as a decoder would.
    static func analyze(channels: [[Float]], sampleRateHz: Int, name: String, planner: FFTPlanner,
                        configuration: AnalysisConfiguration = AnalysisConfiguration()) -> CallReport {
        let analyzer = CallAnalyzer(
            input: .init(file: name, sampleRateHz: sampleRateHz, channelCount: channels.count),
            configuration: configuration, planner: planner)
        var start = 0
        while start < channels[0].count {
            let n = min(sampleRateHz, channels[0].count - start)
            analyzer.consume(channels.map { Array($0[start..<(start + n)]) }, count: n)
            start += n
        }
        return analyzer.finish()
    }

    static func analyze(_ file: String, planner: FFTPlanner) throws -> CallReport {
        let path = folder.appendingPathComponent(file).path
        let decoder = try AudioDecoder(path: path)
        let analyzer = CallAnalyzer(
            input: .init(file: path, sampleRateHz: decoder.info.sampleRateHz, channelCount: decoder.info.channelCount),
            configuration: AnalysisConfiguration(), planner: planner)
        var block: [[Float]] = []
        while true {
            let n = try decoder.readBlock(into: &block)
            if n == 0 { break }
            analyzer.consume(block, count: n)
        }
        return analyzer.finish(warnings: decoder.warnings)
    }
}

/// 10 ms frame masks, as the evaluation defines them.
func mask(_ ranges: [(Double, Double)], frames: Int) -> [Bool] {
    var m = [Bool](repeating: false, count: frames)
    for (s, e) in ranges {
        let lo = max(0, Int((s / 0.01).rounded())), hi = min(frames, Int((e / 0.01).rounded()))
        if lo < hi { for i in lo..<hi { m[i] = true } }
    }
    return m
}

@Suite struct SampleTruthTests {
    @Test func speechLevelsAndNoiseMatchTheTruth() throws {
        let planner = FFTPlanner()
        var tp = 0, fp = 0, fn = 0
        var lowTP = 0, lowFP = 0, lowFN = 0
        var claimedInTones = 0, toneFrames = 0
        for file in try Samples.files() {
            let truth = try Samples.truth(file)
            let report = try Samples.analyze(file, planner: planner)
            #expect(abs(report.durationSeconds - truth.durationSeconds) < 0.05, "\(file)")
            let frames = Int(truth.durationSeconds / 0.01) + 1
            let parties: [String?] = truth.layout == "stereo" ? ["agent", "customer"] : [nil]
            for party in parties {
                let t = mask(truth.segments.filter { $0.kind == "speech" && (party == nil || $0.party == party) }
                    .map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
                let d = mask(report.segments.filter { $0.kind == .speech && (party == nil || $0.party?.rawValue == party) }
                    .map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
                let low = (truth.noise.snrDb ?? 99) <= 10
                for i in 0..<frames {
                    if t[i] && d[i] { tp += 1; if low { lowTP += 1 } }
                    if !t[i] && d[i] { fp += 1; if low { lowFP += 1 } }
                    if t[i] && !d[i] { fn += 1; if low { lowFN += 1 } }
                }
            }
            let nonSpeech = mask(truth.segments.filter { $0.kind == "ringback" || ($0.kind == "hold" && $0.holdKind != "silence") }
                .map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
            let anySpeech = mask(report.segments.filter { $0.kind == .speech }.map { ($0.startSeconds, $0.endSeconds) }, frames: frames)
            for i in 0..<frames where nonSpeech[i] { toneFrames += 1; if anySpeech[i] { claimedInTones += 1 } }
            if truth.layout == "stereo" {
                for (name, want, got) in [("agent", truth.parties.agent, report.parties.agent),
                                          ("customer", truth.parties.customer, report.parties.customer)] {
                    let level = try #require(got?.activeLevelDbov, "\(file) \(name): no level")
                    // The bar: within 0.3 dB of the P.56 level of the party's clean speech.
                    let tolerance = 0.3
                    #expect(abs(level - want.activeLevelDbov) <= tolerance, "\(file) \(name) level \(level) vs \(want.activeLevelDbov)")
                    if let snr = want.snrDb {
                        let measured = try #require(got?.snrDb)
                        #expect(abs(measured - snr) <= 3, "\(file) \(name) SNR \(measured) vs \(snr)")
                    }
                    // Mains hum apart from the broadband noise: within 1 dB, and none where none is.
                    if let hum = want.humDbov {
                        let measured = try #require(got?.humDbov, "\(file) \(name): no hum found")
                        #expect(abs(measured - hum) <= 1, "\(file) \(name) hum \(measured) vs \(hum)")
                    } else {
                        #expect(got?.humDbov == nil, "\(file) \(name): hum \(String(describing: got?.humDbov)) on a line without")
                    }
                }
            }
        }
        let f1 = 2 * Double(tp) / Double(2 * tp + fp + fn)
        let lowF1 = 2 * Double(lowTP) / Double(2 * lowTP + lowFP + lowFN)
        print("sample truth: speech F1 \(f1), at 5–10 dB SNR \(lowF1), speech frames in tones/music \(claimedInTones)/\(toneFrames)")
        // The bars: F1 ≥ 0.96 overall, ≥ 0.90 at 5–10 dB SNR, no speech in tones or music.
        #expect(f1 >= 0.96)
        #expect(lowF1 >= 0.90)
        #expect(claimedInTones == 0)
    }

    @Test func silenceIsAnalysedAndSaysSo() throws {
        let grid = FrameGrid.standard(sampleRateHz: 8000)
        let analyzer = CallAnalyzer(
            input: .init(file: "silence.wav", sampleRateHz: 8000, channelCount: 2),
            configuration: AnalysisConfiguration(), planner: FFTPlanner())
        let zeros = [[Float]](repeating: [Float](repeating: 0, count: 8000), count: 2)
        for _ in 0..<3 { analyzer.consume(zeros, count: 8000) }
        let report = analyzer.finish()
        #expect(report.segments.isEmpty)
        #expect(report.warnings.contains { $0.contains("no speech") })
        #expect(abs(report.durationSeconds - 3) < grid.hopSeconds)
    }

    @Test func shippedDetectorFileEqualsTheDefaults() throws {
        let url = Samples.folder.deletingLastPathComponent().appendingPathComponent("Models/detectors.json")
        let shipped = try AnalysisConfiguration.decode(try Data(contentsOf: url))
        #expect(shipped == AnalysisConfiguration())
    }
}
