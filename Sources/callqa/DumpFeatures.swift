import ArgumentParser
import CallAnalysis
import CallDSP
import Foundation

extension CallQA {
    /// For detector development: per-frame features and labels as CSV.
    struct DumpFeatures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dump-features", abstract: "Print per-frame features as CSV (for detector development).",
            shouldDisplay: false)

        @Argument(help: "One recording.", completion: .file()) var file: String
        @OptionGroup var analysis: AnalysisOptions
        @Flag(help: "Instead: per frame the label, speech segment (-1 outside), F0, band level and cepstra (mono attribution work).")
        var cepstra = false

        func run() async throws {
            let configuration = try analysis.loadConfiguration()
            let fft = FFTWisdomFile.standard().makePlanner()
            defer { fft.save() }
            let pipeline = CallPipeline(configuration: configuration, planner: fft.planner)
            let channels = try pipeline.features(path: file)
            let detector = SpeechDetector(configuration: configuration.speech)
            if cepstra {
                var out = "channel,frame,label,segment,f0Hz,bandDB,cepstra\n"
                let k = ChannelFeatures.cepstrumCount
                for (c, f) in channels.enumerated() {
                    let labels = detector.classifyScoring(f).labels
                    var segmentOf = [Int](repeating: -1, count: f.frameCount)
                    for (i, s) in detector.segments(labels, features: f).enumerated() { for j in s.start..<s.end { segmentOf[j] = i } }
                    let hasCepstra = f.cepstra.count == f.frameCount * k
                    for i in 0..<f.frameCount {
                        let cs = hasCepstra ? f.cepstra[(i * k)..<(i * k + k)].map { String($0) }.joined(separator: ",") : ""
                        out += "\(c),\(i),\(labels[i].rawValue),\(segmentOf[i]),\(f.f0Hz[i]),\(f.bandPowerDB[i]),\(cs)\n"
                    }
                }
                FileHandle.standardOutput.write(Data(out.utf8))
                return
            }
            let names = configuration.speech.musicModel.featureNames.map { "m_" + $0 }.joined(separator: ",")
            var out = "channel,seconds,bandDB,divergenceDB,tonality,dominantHz,secondHz,overtone,flatness,fluxDB,persistence,hopDB,label,vowelDB,f0Hz,syllabicDB,musicProbability,\(names)\n"
            for (c, f) in channels.enumerated() {
                let (labels, probability) = detector.classifyScoring(f)
                let measures = detector.musicMeasures(f)
                let k = measures.count / max(f.frameCount, 1)
                for i in 0..<f.frameCount {
                    let m = measures[(i * k)..<(i * k + k)].map { String($0) }.joined(separator: ",")
                    out += "\(c),\(f.grid.seconds(ofFrame: i)),\(f.bandPowerDB[i]),\(f.divergenceDB[i]),\(f.tonality[i]),\(f.dominantHz[i]),\(f.secondHz[i]),\(f.overtoneRatio[i]),\(f.flatness[i]),\(f.fluxDB[i]),\(f.persistence[i]),\(Decibels.fromPower(f.hopPower(i))),\(labels[i].rawValue),\(f.vowelBandDB[i]),\(f.f0Hz[i]),\(f.syllabicDB[i]),\(probability[i]),\(m)\n"
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }
}
