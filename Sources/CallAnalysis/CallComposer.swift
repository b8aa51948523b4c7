import CallDSP

/// Turns the features of a call's channels into its report: speech segments per party, levels,
/// SNR and clipping. Pure: features in, report out.
struct CallComposer {
    let input: CallAnalyzer.Input
    let configuration: AnalysisConfiguration

    func report(channels: [ChannelFeatures], warnings: [String]) -> CallReport {
        let detector = SpeechDetector(configuration: configuration.speech)
        let stereo = channels.count == 2
        let grid = channels[0].grid
        let durationSeconds = Double(channels[0].sampleCount) / Double(input.sampleRateHz)
        var segments: [CallReport.Segment] = []
        var metrics: [CallReport.PartyMetrics?] = []
        for (index, features) in channels.enumerated() {
            let labels = detector.classify(features)
            let speech = detector.segments(labels, features: features)
            let party: CallReport.Party? = stereo ? (index == input.agentChannelIndex ? .agent : .customer) : nil
            for r in speech {
                segments.append(CallReport.Segment(
                    kind: .speech, party: party, holdKind: nil,
                    startSeconds: grid.seconds(ofFrame: r.start),
                    endSeconds: min(durationSeconds, grid.seconds(ofFrame: r.end))))
            }
            metrics.append(Self.partyMetrics(features, labels: labels, speech: speech))
        }
        segments.sort { $0.startSeconds < $1.startSeconds }
        var parties = CallReport.Parties(agent: nil, customer: nil)
        if stereo {
            parties.agent = metrics[input.agentChannelIndex]
            parties.customer = metrics[1 - input.agentChannelIndex]
        }
        var allWarnings = warnings
        if segments.isEmpty { allWarnings.append("\(input.file): no speech found in the recording") }
        return CallReport(
            file: input.file, durationSeconds: durationSeconds, sampleRateHz: input.sampleRateHz,
            channels: channels.count, layout: stereo ? .stereo : .mono,
            agentChannel: stereo ? (input.agentChannelIndex == 0 ? "left" : "right") : nil,
            answer: .init(source: .none, rings: nil, answerSeconds: nil, tonePlan: nil),
            parties: parties, mixed: stereo ? nil : metrics[0], segments: segments,
            interruptions: nil, ending: nil, warnings: allWarnings)
    }

    /// Talk time, P.56 level over the party's speech only, SNR against the quiet frames.
    static func partyMetrics(
        _ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange]
    ) -> CallReport.PartyMetrics {
        let grid = features.grid
        let talkSeconds = speech.reduce(0.0) { $0 + Double($1.count) * grid.hopSeconds }
        let noisePower = NoiseFloor.estimate(features, labels: labels, speech: speech)
        let levelRanges = hangoverRanges(speech, labels: labels, frames: grid.frames(inSeconds: ActiveSpeechLevelMeter.hangoverSeconds))
        let level = features.levelSummaries.withUnsafeBufferPointer {
            ActiveSpeechLevelMeter.measure($0, ranges: levelRanges, noisePower: noisePower)
        }
        let levelDBov = level.map { ($0.levelDBov * 100).rounded() / 100 }
        let snr = level.map { (($0.levelDBov - Decibels.fromPower(noisePower)) * 10).rounded() / 10 }
        return CallReport.PartyMetrics(
            talkSeconds: (talkSeconds * 100).rounded() / 100, activeLevelDbov: levelDBov, snrDb: snr,
            clipped: features.clippedRunCount > 0, speechRateCharsPerMinute: nil, pitchSpreadSemitones: nil)
    }
}

/// Speech ranges with P.56's hangover after each: on the party's own signal the meter counts the
/// 0.2 s after speech as active, so a level over the segments alone reads a few tenths of a dB high.
/// The tail stops at anything that is not quiet (a tone, music, the next speech).
func hangoverRanges(_ speech: [FrameRange], labels: [SpeechDetector.FrameClass], frames: Int) -> [FrameRange] {
    var out: [FrameRange] = []
    for r in speech {
        var end = r.end
        while end < min(labels.count, r.end + frames) && labels[end] == .quiet { end += 1 }
        if let last = out.last, r.start <= last.end {
            out[out.count - 1] = FrameRange(start: last.start, end: max(last.end, end))
        } else {
            out.append(FrameRange(start: r.start, end: end))
        }
    }
    return out
}

/// The line's noise power: the median power of hops well away from anything playing.
enum NoiseFloor {
    static func estimate(
        _ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange]
    ) -> Double {
        let n = features.frameCount
        guard n > 0 else { return 0 }
        // Keep quiet frames at least 0.2 s from any non-quiet frame: decays are not noise.
        let guardFrames = features.grid.frames(inSeconds: 0.2)
        var lastBusy = -guardFrames - 1
        var quiet: [Float] = []
        var nextBusy = [Int](repeating: Int.max, count: n + 1)
        for f in stride(from: n - 1, through: 0, by: -1) {
            nextBusy[f] = labels[f] == .quiet ? nextBusy[f + 1] : f
        }
        for f in 0..<n {
            if labels[f] != .quiet { lastBusy = f; continue }
            if f - lastBusy > guardFrames && nextBusy[f] - f > guardFrames {
                quiet.append(features.hopPower(f))
            }
        }
        if quiet.count < features.grid.frames(inSeconds: 0.5) {
            quiet = (0..<n).map { features.hopPower($0) }
            quiet.sort()
            return Double(quiet[quiet.count / 10])
        }
        quiet.sort()
        return Double(quiet[quiet.count / 2])
    }
}
