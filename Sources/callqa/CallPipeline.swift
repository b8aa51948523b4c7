import CallAnalysis
import CallAudio
import CallDSP
import Foundation

/// Why one file failed: always says which file.
struct CallFailure: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}

/// Decodes a file block by block into a fresh analyzer. The composition of I/O and analysis lives
/// here, at the edge; the analysis itself never sees a file.
struct CallPipeline {
    let configuration: AnalysisConfiguration
    let planner: FFTPlanner

    func analyze(
        path: String, agentChannelIndex: Int, metadata: CallMetadata? = nil, warnings: [String] = []
    ) throws(CallFailure) -> CallReport {
        let keep: Int
        do {
            let (analyzer, decoder) = try run(path: path, agentChannelIndex: agentChannelIndex, metadata: metadata)
            let channels = analyzer.finishFeatures()
            guard channels.count == 2, let louder = DualMono.channelToKeep(channels[0], channels[1]) else {
                var report = analyzer.report(channels: channels, warnings: warnings + decoder.warnings)
                report.incompleteRecording = decoder.isIncomplete
                return report
            }
            keep = louder
        }
        // The same mix on both channels: the first pass is gone with its scope, and the louder
        // channel is decoded again and analysed as a mono call (rare, so the second pass costs little).
        let (mono, decoder) = try run(path: path, agentChannelIndex: 0, metadata: metadata, onlyChannel: keep)
        var report = mono.finish(warnings: warnings + decoder.warnings + [
            "\(path): both channels carry the same audio (dual mono): analysed as one channel, parties told apart by voice"])
        report.incompleteRecording = decoder.isIncomplete
        return report
    }

    func features(path: String) throws(CallFailure) -> [ChannelFeatures] {
        try run(path: path, agentChannelIndex: 0).0.finishFeatures()
    }

    private func run(
        path: String, agentChannelIndex: Int, metadata: CallMetadata? = nil, onlyChannel: Int? = nil
    ) throws(CallFailure) -> (CallAnalyzer, AudioDecoder) {
        let decoder: AudioDecoder
        do { decoder = try AudioDecoder(path: path) } catch {
            throw CallFailure(path: path, reason: error.reasonText)
        }
        let info = decoder.info
        let analyzer = CallAnalyzer(
            input: .init(file: path, sampleRateHz: info.sampleRateHz, channelCount: info.channelCount,
                         agentChannelIndex: info.channelCount == 2 ? agentChannelIndex : 0, metadata: metadata,
                         onlyChannel: onlyChannel, perceptuallyCoded: info.isPerceptuallyCoded),
            configuration: configuration, planner: planner, expectedSamples: info.declaredFrameCount)
        var block: [[Float]] = []
        do {
            while true {
                let count = try decoder.readBlock(into: &block)
                if count == 0 { break }
                analyzer.consume(block, count: count)
            }
        } catch {
            throw CallFailure(path: path, reason: error.reasonText)
        }
        if decoder.framesRead == 0 {
            throw CallFailure(path: path, reason: DecodeError(path: path, reason: .empty).reasonText)
        }
        let seconds = Double(decoder.framesRead) / Double(info.sampleRateHz)
        if seconds < configuration.minimumCallSeconds {
            throw CallFailure(path: path, reason: DecodeError(
                path: path, reason: .tooShort(seconds: seconds, minimumSeconds: configuration.minimumCallSeconds)).reasonText)
        }
        return (analyzer, decoder)
    }
}
