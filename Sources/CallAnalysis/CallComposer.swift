import CallDSP
import Foundation

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
        var attribution: CallReport.Attribution?
        var monoParties = CallReport.Parties(agent: nil, customer: nil)
        // First what plays on each line (holds, ringback), then whose speech is left: a recorded
        // announcement inside a music hold belongs to the hold, not to a party.
        let classified = channels.map { detector.classifyScoring($0) }
        let foreground = channels.indices.map { index in
            stereo ? detector.withoutBackground(classified[index].labels, features: channels[index],
                                                other: classified[1 - index].labels) ?? classified[index].labels
                   : classified[index].labels
        }
        var views = channels.indices.map { index in
            WaitingDetector.Channel(features: channels[index], labels: foreground[index],
                                    speech: detector.segments(foreground[index], features: channels[index]),
                                    musicProbability: classified[index].musicProbability)
        }
        let side = stereo && input.detectsAgentChannel
            ? AgentSide(configuration: configuration.agentSide).decide(views, configured: input.agentChannelIndex,
                                                                       direction: input.metadata?.direction)
            : AgentSide.Decision(agentChannel: input.agentChannelIndex, opening: nil)
        let agent = side.agentChannel
        let waiting = WaitingDetector(configuration: configuration.waiting).detect(
            views, agentChannel: stereo ? agent : 0, durationSeconds: durationSeconds,
            answered: input.startsAnswered, endsInsideCall: input.endsInsideCall)
        for (index, cut) in waiting.connectNoise.enumerated() { if let cut { views[index] = views[index].removingSpeech(in: cut) } }
        if let tone = waiting.disconnectTone, let index = tone.channel {
            views[index] = views[index].removingSpeech(in: FrameRange(start: grid.frame(atSeconds: tone.startSeconds), end: channels[index].frameCount))
        }
        // The line's noise is measured while it is connected: after the ringing, and not on hold
        // (a muted leg, or music, is not the line's noise).
        let answerFrame = grid.frame(atSeconds: waiting.ringing?.answerSeconds ?? 0)
        let holdFrames = waiting.holds.map { FrameRange(start: grid.frame(atSeconds: $0.startSeconds), end: grid.frame(atSeconds: $0.endSeconds)) }
        let connected = NoiseFloor.Window(fromFrame: answerFrame, excluding: holdFrames)
        for (index, view) in views.enumerated() {
            let features = view.features, labels = view.labels
            let speech = view.speech.filter { !waiting.announcements[index].contains($0) }
            let levels = SpeakingMeasures(configuration: configuration.speaking).levels(features)
            if stereo {
                let party: CallReport.Party = index == agent ? .agent : .customer
                segments += speech.map { Self.segment($0, party: party, grid: grid, durationSeconds: durationSeconds) }
            } else if let attributed = MonoAttribution(configuration: configuration.monoAttribution)
                .attribute(features, labels: labels, speech: speech) {
                // One mixed channel: parties told apart by voice; every per-party measure follows.
                segments += attributed.turns.map { Self.segment($0.range, party: $0.party, grid: grid, durationSeconds: durationSeconds) }
                attribution = .init(method: "voiceClustering", confidence: (attributed.confidence * 100).rounded() / 100)
                for party in [CallReport.Party.agent, .customer] {
                    let ranges = attributed.turns.filter { $0.party == party }.map(\.range)
                    let m = ranges.isEmpty ? nil : measures(features, labels: labels, speech: ranges, levels: levels, connected: connected)
                    if party == .agent { monoParties.agent = m } else { monoParties.customer = m }
                }
            } else {
                segments += speech.map { Self.segment($0, party: nil, grid: grid, durationSeconds: durationSeconds) }
            }
            // Background talk heard while the other party speaks (their echo, mostly) is not the
            // line's noise; babble in the other party's pauses still is.
            let noiseLabels = stereo
                ? SpeechDetector.echoAsBusy(labels, background: zip(classified[index].labels, foreground[index]).map { $0 == .speech && $1 != .speech },
                                            other: classified[1 - index].labels,
                                            reachFrames: grid.frames(inSeconds: configuration.speech.echoNoiseReachSeconds))
                : labels
            metrics.append(measures(features, labels: labels, speech: speech, levels: levels, connected: connected, noiseLabels: noiseLabels))
        }
        segments += Self.waitingSegments(waiting, durationSeconds: durationSeconds,
                                         parties: stereo ? [agent == 0 ? .agent : .customer, agent == 0 ? .customer : .agent] : [nil])
        segments.sort { $0.startSeconds < $1.startSeconds }
        var parties = monoParties
        if stereo {
            parties.agent = metrics[agent]
            parties.customer = metrics[1 - agent]
        }
        var allWarnings = warnings
        if let note = AgentSide.note(side) { allWarnings.append("\(input.file): \(note)") }
        if !stereo, let prompt = waiting.openingPromptSeconds {
            allWarnings.append(String(format: "%@: the opening speech (%.1f–%.1f s) was read as an IVR greeting before the rings; "
                + "on a mono recording a short exchange before a transfer's rings sounds the same", input.file, prompt.lowerBound, prompt.upperBound))
        }
        if !segments.contains(where: { $0.kind == .speech }) {
            allWarnings.append("\(input.file): \(Self.noSpeechWarning)")
        }
        let c = configuration.waiting
        let holdSeconds = waiting.holds.reduce(0) { $0 + $1.seconds }
        let conversation = ConversationMeasures(configuration: configuration.conversation)
        let turns = segments.compactMap { s in
            s.kind == .speech ? s.party.map { ConversationMeasures.Turn(party: $0, startSeconds: s.startSeconds, endSeconds: s.endSeconds) } : nil
        }
        let interruptions = stereo ? conversation.interruptions(turns) : nil
        // Who hung up: the metadata's word, else the side whose leg carries the disconnect tone,
        // else the side whose leg fell silent first after the last words. A disconnect tone on
        // no one leg (a mono mix, or both legs alike) is the customer's: the network plays it to
        // the agent still on the line, and an agent who hangs up ends the recording.
        let lastWordsSeconds = turns.map(\.endSeconds).max()
        // Not past a hold running on after the last words: a muted leg there is the hold's.
        let holdAfterWords = lastWordsSeconds.map { last in waiting.holds.contains { $0.endSeconds > last } } ?? false
        let hungUpChannel = stereo ? waiting.disconnectTone?.channel
            ?? (holdAfterWords ? nil : lastWordsSeconds.flatMap { WaitingDetector(configuration: c).firstLegToFallSilent(channels, lastWordsSeconds: $0) }) : nil
        let toneOnNoLegSide: String? = waiting.disconnectTone != nil && hungUpChannel == nil ? "customer" : nil
        let legSide = hungUpChannel.map { $0 == agent ? "agent" : "customer" } ?? toneOnNoLegSide
        var ending = conversation.ending(turns, durationSeconds: durationSeconds, hangupSide: input.metadata?.hangupSide ?? legSide)
        if !stereo, attribution == nil, let last = segments.filter({ $0.kind == .speech }).map(\.endSeconds).max() {
            ending = .init(lastParty: nil, tailSilenceSeconds: Self.rounded(durationSeconds - last),
                           afterCustomerSeconds: nil, hangupSide: input.metadata?.hangupSide ?? legSide)
        }
        var flags = Self.flags(holds: waiting.holds, deadAir: waiting.deadAir, configuration: c)
        flags += Self.speakingFlags(parties: parties, interruptions: interruptions ?? [],
                                    ending: ending, configuration: configuration)
        flags.sort { $0.startSeconds < $1.startSeconds }
        let agentTalk = parties.agent?.talkSeconds ?? 0, customerTalk = parties.customer?.talkSeconds ?? 0
        return CallReport(
            file: input.file, durationSeconds: durationSeconds, sampleRateHz: input.sampleRateHz,
            channels: input.channelCount, layout: stereo ? .stereo : .mono,
            agentChannel: stereo ? (agent == 0 ? "left" : "right") : nil,
            answer: Self.answer(waiting.ringing, metadata: input.metadata, secondsPerRing: c.secondsPerRing),
            parties: parties, mixed: stereo ? nil : metrics[0], segments: segments,
            interruptions: interruptions, ending: ending,
            totals: .init(
                holdSeconds: Self.rounded(holdSeconds),
                longestHoldSeconds: Self.rounded(waiting.holds.map(\.seconds).max() ?? 0),
                deadAirSeconds: Self.rounded(waiting.deadAir.reduce(0) { $0 + $1.upperBound - $1.lowerBound }),
                overtalkSeconds: stereo ? Self.rounded(conversation.overtalkSeconds(turns)) : nil,
                agentTalkShare: stereo && agentTalk + customerTalk > 0 ? (agentTalk / (agentTalk + customerTalk) * 1000).rounded() / 1000 : nil),
            flags: flags, metadata: input.metadata, attribution: attribution, warnings: allWarnings)
    }

    static let noSpeechWarning = "no speech found in the recording"

    static func rounded(_ seconds: Double) -> Double { (seconds * 100).rounded() / 100 }

    static func segment(_ r: FrameRange, party: CallReport.Party?, grid: FrameGrid, durationSeconds: Double) -> CallReport.Segment {
        CallReport.Segment(kind: .speech, party: party, holdKind: nil, startSeconds: grid.seconds(ofFrame: r.start),
                           endSeconds: min(durationSeconds, grid.seconds(ofFrame: r.end)))
    }

    /// Everything measured on one party's speech: talk, level, SNR, clipping, rate, pitch.
    func measures(
        _ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange], levels: SpeakingMeasures.Levels,
        connected: NoiseFloor.Window = .init(), noiseLabels: [SpeechDetector.FrameClass]? = nil
    ) -> CallReport.PartyMetrics {
        let speaking = SpeakingMeasures(configuration: configuration.speaking).measure(features, speech: speech, levels: levels, labels: labels)
        var m = Self.partyMetrics(features, labels: labels, speech: speech, talkSeconds: speaking.talkSeconds, connected: connected,
                                  noiseLabels: noiseLabels, musicBelowSpeechDB: configuration.lineNoiseMusicBelowSpeechDB)
        m.speechRateCharsPerMinute = speaking.charsPerMinute.map { ($0 * 10).rounded() / 10 }
        m.pitchSpreadSemitones = speaking.pitchSpreadSemitones.map { ($0 * 10).rounded() / 10 }
        m.medianF0Hz = speaking.medianF0Hz.map { ($0 * 10).rounded() / 10 }
        m.syllables = speaking.syllables
        return m
    }

    /// `parties`: each channel's party (nil on a mono call).
    static func waitingSegments(_ waiting: WaitingDetector.Result, durationSeconds: Double, parties: [CallReport.Party?]) -> [CallReport.Segment] {
        var out: [CallReport.Segment] = []
        for ring in waiting.ringing?.ringSeconds ?? [] {
            out.append(.init(kind: .ringback, party: nil, holdKind: nil,
                             startSeconds: rounded(ring.lowerBound), endSeconds: rounded(min(durationSeconds, ring.upperBound))))
        }
        for hold in waiting.holds {
            out.append(.init(kind: .hold, party: nil, holdKind: hold.kind,
                             startSeconds: rounded(hold.startSeconds), endSeconds: rounded(min(durationSeconds, hold.endSeconds))))
        }
        for gap in waiting.deadAir {
            out.append(.init(kind: .deadAir, party: nil, holdKind: nil,
                             startSeconds: rounded(gap.lowerBound), endSeconds: rounded(gap.upperBound)))
        }
        for (channel, spans) in waiting.keypad.enumerated() {
            out += spans.map { .init(kind: .keypad, party: parties.indices.contains(channel) ? parties[channel] : nil, holdKind: nil,
                                     startSeconds: rounded($0.lowerBound), endSeconds: rounded(min(durationSeconds, $0.upperBound))) }
        }
        return out
    }

    /// The answer from the audio when it rang there; from the metadata otherwise. Both are reported.
    static func answer(_ ringing: WaitingDetector.Ringing?, metadata: CallMetadata?, secondsPerRing: Double) -> CallReport.Answer {
        let fromMetadata = metadata?.ringToAnswerSeconds.map(rounded)
        if let ringing {
            let answer = rounded(ringing.answerSeconds)
            // A CRBT plays music, not bursts: there is no ring to count, only its length.
            let isMusic = ringing.tonePlan == WaitingDetector.crbtPlanName
            return .init(source: .ringback, rings: isMusic ? nil : ringing.rings, answerSeconds: answer, tonePlan: ringing.tonePlan,
                         ringbackAnswerSeconds: answer, metadataAnswerSeconds: fromMetadata,
                         ringEquivalents: isMusic ? ringing.rings : nil)
        }
        if let seconds = fromMetadata {
            // The recorder started at pickup: rings are counted on the standard 5 s cadence.
            return .init(source: .metadata, rings: Int((seconds / secondsPerRing).rounded(.up)), answerSeconds: seconds,
                         tonePlan: nil, ringbackAnswerSeconds: nil, metadataAnswerSeconds: seconds)
        }
        return .init(source: .none, rings: nil, answerSeconds: nil, tonePlan: nil,
                     ringbackAnswerSeconds: nil, metadataAnswerSeconds: nil)
    }

    /// P.56 level over the party's speech only, SNR against the quiet frames; talk time as measured
    /// for the speech rate (`SpeakingMeasures`).
    static func partyMetrics(
        _ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange], talkSeconds: Double,
        connected: NoiseFloor.Window = .init(), noiseLabels: [SpeechDetector.FrameClass]? = nil, musicBelowSpeechDB: Float? = nil
    ) -> CallReport.PartyMetrics {
        let grid = features.grid
        let noisePower = NoiseFloor.estimate(features, labels: noiseLabels ?? labels, speech: speech, within: connected,
                                             musicBelowSpeechDB: musicBelowSpeechDB)
        let levelRanges = hangoverRanges(speech, labels: labels, frames: grid.frames(inSeconds: ActiveSpeechLevelMeter.hangoverSeconds))
        let level = features.activeLevel(ranges: levelRanges, noisePower: noisePower)
        let levelDBov = level.map { ($0.levelDBov * 100).rounded() / 100 }
        // The SNR is against the broadband noise: mains hum is reported apart.
        let hum = LineHum.measure(features, labels: labels, within: connected)
        let broadbandPower = noisePower * max(0.05, 1 - (hum?.share ?? 0))
        let snr = level.map { (($0.levelDBov - Decibels.fromPower(broadbandPower)) * 10).rounded() / 10 }
        return CallReport.PartyMetrics(
            talkSeconds: (talkSeconds * 100).rounded() / 100, activeLevelDbov: levelDBov, snrDb: snr,
            clipped: features.clippedRunCount > 0, speechRateCharsPerMinute: nil, pitchSpreadSemitones: nil,
            syllables: nil, medianF0Hz: nil, humDbov: hum.map { (Decibels.fromPower($0.power) * 10).rounded() / 10 })
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
