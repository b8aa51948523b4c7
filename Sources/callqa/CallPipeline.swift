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

    /// Recordings longer than this are analysed in parts of about `partSeconds` each and the parts'
    /// reports joined (`PartJoiner`): memory stays that of one part whatever the length.
    var longestWholeSeconds = 7200.0
    var partSeconds = 3600.0

    func analyze(
        path: String, agentChannelIndex: Int, detectsAgentChannel: Bool = false, metadata: CallMetadata? = nil, warnings: [String] = []
    ) throws(CallFailure) -> CallReport {
        switch try analyzeInParts(path: path, agentChannelIndex: agentChannelIndex, detectsAgentChannel: detectsAgentChannel,
                                  metadata: metadata, warnings: warnings, onlyChannel: nil) {
        case .report(let report):
            return report
        case .dualMono(let keep):
            // The same mix on both channels: the first pass is gone, and the louder channel is
            // decoded again and analysed as a mono call (rare, so the second pass costs little).
            let note = "\(path): both channels carry the same audio (dual mono): analysed as one channel, parties told apart by voice"
            guard case .report(let report) = try analyzeInParts(
                path: path, agentChannelIndex: 0, metadata: metadata, warnings: warnings, onlyChannel: keep, notes: [note])
            else { preconditionFailure("a one-channel pass is never dual mono") }
            return report
        }
    }

    func features(path: String) throws(CallFailure) -> [ChannelFeatures] {
        let decoder = try open(path)
        let analyzer = makeAnalyzer(path: path, info: decoder.info, agentChannelIndex: 0, metadata: nil, onlyChannel: nil,
                                    expectedSamples: Self.lengthIsKnown(decoder.info) ? decoder.info.declaredFrameCount : 0)
        var block: [[Float]] = []
        do {
            while true {
                let count = try decoder.readBlock(into: &block)
                if count == 0 { break }
                analyzer.consume(block, range: 0..<count)
            }
        } catch {
            throw CallFailure(path: path, reason: error.reasonText)
        }
        try checkLength(decoder, path: path)
        return analyzer.finishFeatures()
    }

    private enum Outcome { case report(CallReport), dualMono(keep: Int) }

    /// Samples per part: the whole recording unless it is longer than `longestWholeSeconds`, then
    /// equal parts of at most `partSeconds` (an unknown length is cut every `longestWholeSeconds`).
    func partSamples(declaredFrames: Int, sampleRateHz: Int) -> Int {
        let rate = Double(sampleRateHz)
        // At least a second a part, whatever the settings.
        let longest = max(1, longestWholeSeconds), part = max(1, partSeconds)
        guard declaredFrames > 0, declaredFrames < Int(Double(Int32.max) * rate) else { return Int(longest * rate) }
        guard Double(declaredFrames) / rate > longest else { return Int.max }
        let parts = (Double(declaredFrames) / rate / part).rounded(.up)
        return Int((Double(declaredFrames) / parts).rounded(.up))
    }

    /// Whether the header states a usable length (libsndfile reports a huge count when it cannot tell).
    static func lengthIsKnown(_ info: AudioInfo) -> Bool {
        info.declaredFrameCount > 0 && info.declaredFrameCount < Int(Double(Int32.max) * Double(info.sampleRateHz))
    }

    /// Streams the file through one analyzer per part. With both channels, a dual-mono recording
    /// (told from its first part) is handed back to be analysed again on one channel. `notes` are
    /// warnings that follow the decoder's.
    private func analyzeInParts(
        path: String, agentChannelIndex: Int, detectsAgentChannel: Bool = false, metadata: CallMetadata?, warnings: [String],
        onlyChannel: Int?, notes: [String] = []
    ) throws(CallFailure) -> Outcome {
        let decoder = try open(path)
        let info = decoder.info
        let partSamples = partSamples(declaredFrames: info.declaredFrameCount, sampleRateHz: info.sampleRateHz)
        let expected = min(partSamples, info.declaredFrameCount)
        // A side taken from the audio is taken once, from the first part, and kept for the rest.
        var agent = agentChannelIndex, detects = detectsAgentChannel
        func analyzer(startsAnswered: Bool) -> CallAnalyzer {
            makeAnalyzer(path: path, info: info, agentChannelIndex: agent, detectsAgentChannel: detects, metadata: metadata,
                         onlyChannel: onlyChannel, expectedSamples: expected, startsAnswered: startsAnswered)
        }
        var current = analyzer(startsAnswered: false)
        // The last planned part takes whatever the file holds beyond its declared length, so no part
        // is a sliver; a file of unknown length is cut every `longestWholeSeconds`.
        let lengthKnown = Self.lengthIsKnown(info)
        let plannedParts = partSamples == Int.max || !lengthKnown ? 1 : (info.declaredFrameCount + partSamples - 1) / partSamples
        var parts: [CallReport] = [], starts: [Double] = []
        var partStart = 0, inPart = 0
        var block: [[Float]] = []
        do {
            while true {
                let count = try decoder.readBlock(into: &block)
                if count == 0 { break }
                var offset = 0
                while offset < count {
                    if inPart == partSamples && (!lengthKnown || parts.count + 1 < plannedParts) {
                        // A full part with more audio after it: analyse it and start the next.
                        let channels = current.finishFeatures()
                        if parts.isEmpty, onlyChannel == nil, let keep = Self.dualMono(channels) { return .dualMono(keep: keep) }
                        parts.append(current.report(channels: channels, warnings: warnings, endsInsideCall: true))
                        starts.append(Double(partStart) / Double(info.sampleRateHz))
                        if detects { agent = parts[0].agentChannel == "right" ? 1 : 0; detects = false }
                        current = analyzer(startsAnswered: true)
                        partStart += inPart
                        inPart = 0
                    }
                    let take = inPart >= partSamples ? count - offset : min(count - offset, partSamples - inPart)
                    current.consume(block, range: offset..<(offset + take))
                    offset += take
                    inPart += take
                }
            }
        } catch {
            throw CallFailure(path: path, reason: error.reasonText)
        }
        try checkLength(decoder, path: path)
        let channels = current.finishFeatures()
        if parts.isEmpty, onlyChannel == nil, let keep = Self.dualMono(channels) { return .dualMono(keep: keep) }
        parts.append(current.report(channels: channels, warnings: warnings + decoder.warnings + notes))
        starts.append(Double(partStart) / Double(info.sampleRateHz))
        var report = PartJoiner(configuration: configuration).join(parts, startSeconds: starts, hangupSide: metadata?.hangupSide)
        report.incompleteRecording = decoder.isIncomplete
        return .report(report)
    }

    private static func dualMono(_ channels: [ChannelFeatures]) -> Int? {
        channels.count == 2 ? DualMono.channelToKeep(channels[0], channels[1]) : nil
    }

    private func open(_ path: String) throws(CallFailure) -> AudioDecoder {
        do { return try AudioDecoder(path: path) } catch {
            throw CallFailure(path: path, reason: error.reasonText)
        }
    }

    private func makeAnalyzer(
        path: String, info: AudioInfo, agentChannelIndex: Int, detectsAgentChannel: Bool = false, metadata: CallMetadata?,
        onlyChannel: Int?, expectedSamples: Int, startsAnswered: Bool = false
    ) -> CallAnalyzer {
        var input = CallAnalyzer.Input(file: path, sampleRateHz: info.sampleRateHz, channelCount: info.channelCount,
                                       agentChannelIndex: info.channelCount == 2 ? agentChannelIndex : 0, metadata: metadata,
                                       onlyChannel: onlyChannel, perceptuallyCoded: info.isPerceptuallyCoded, startsAnswered: startsAnswered)
        input.detectsAgentChannel = detectsAgentChannel && info.channelCount == 2 && onlyChannel == nil
        return CallAnalyzer(input: input, configuration: configuration, planner: planner, expectedSamples: expectedSamples)
    }

    /// An empty or too-short recording is an error naming the file.
    private func checkLength(_ decoder: AudioDecoder, path: String) throws(CallFailure) {
        if decoder.framesRead == 0 {
            throw CallFailure(path: path, reason: DecodeError(path: path, reason: .empty).reasonText)
        }
        let seconds = Double(decoder.framesRead) / Double(decoder.info.sampleRateHz)
        if seconds < configuration.minimumCallSeconds {
            throw CallFailure(path: path, reason: DecodeError(
                path: path, reason: .tooShort(seconds: seconds, minimumSeconds: configuration.minimumCallSeconds)).reasonText)
        }
    }
}
