import Foundation

/// Joins the reports of consecutive parts of one long recording into the recording's report, so a
/// ten-hour file is analysed an hour at a time in bounded memory. Whatever is defined on the whole
/// call (holds and speech crossing a part boundary, interruptions, the ending, the flags) is rebuilt
/// from the joined segments; per-party measures are combined weighted by talk time.
public struct PartJoiner: Sendable {
    public let configuration: AnalysisConfiguration
    public init(configuration: AnalysisConfiguration) { self.configuration = configuration }

    /// A segment ending at a part boundary and one of its kind starting this soon after it are one
    /// segment cut by the boundary (a part's detectors need a moment to settle, as at a call's start;
    /// a beep hold is found again only from its next beep).
    static let speechBoundarySeconds = 0.3
    func boundaryTolerance(_ s: CallReport.Segment) -> Double {
        switch (s.kind, s.holdKind) {
        case (.speech, _): Self.speechBoundarySeconds
        case (.hold, .tone?): configuration.waiting.maximumBeepPeriodSeconds
        default: configuration.waiting.holdJoinGapSeconds
        }
    }

    /// `parts[k]` covers the recording from `startSeconds[k]`; the first part's answer is the call's.
    public func join(_ parts: [CallReport], startSeconds: [Double], hangupSide: String?) -> CallReport {
        precondition(!parts.isEmpty && parts.count == startSeconds.count, "one start per part")
        var call = parts[0]
        if parts.count == 1 { return call }
        let labelled = alignedParties(parts)
        var segments: [CallReport.Segment] = []
        for (k, part) in labelled.enumerated() {
            let offset = startSeconds[k]
            // Only segments of earlier parts, ending at this boundary, continue into this part.
            let earlier = segments.count
            // Dead air is found again below on the whole call: a silence may span a boundary.
            for var s in part.segments.sorted(by: { $0.startSeconds < $1.startSeconds }) where s.kind != .deadAir {
                s.startSeconds = CallComposer.rounded(s.startSeconds + offset)
                s.endSeconds = CallComposer.rounded(s.endSeconds + offset)
                let touchesBoundary = k > 0 && s.startSeconds - offset <= boundaryTolerance(s)
                if touchesBoundary, let i = segments[..<earlier].lastIndex(where: {
                    $0.kind == s.kind && $0.party == s.party && $0.holdKind == s.holdKind && $0.endSeconds >= offset - 0.05
                }) {
                    segments[i].endSeconds = max(segments[i].endSeconds, s.endSeconds)
                } else {
                    segments.append(s)
                }
            }
        }
        let speechSpans = segments.filter { $0.kind == .speech }.map { $0.startSeconds...$0.endSeconds }
        let holdSpans = segments.filter { $0.kind == .hold || $0.kind == .keypad }.map { $0.startSeconds...$0.endSeconds }
        segments += WaitingDetector.deadAir(speech: speechSpans.sorted { $0.lowerBound < $1.lowerBound }, holds: holdSpans,
                                            minimumSeconds: configuration.waiting.deadAirMinimumSeconds).map {
            CallReport.Segment(kind: .deadAir, party: nil, holdKind: nil, startSeconds: CallComposer.rounded($0.lowerBound),
                               endSeconds: CallComposer.rounded($0.upperBound))
        }
        segments.sort { $0.startSeconds < $1.startSeconds }
        let durationSeconds = zip(parts, startSeconds).map { $1 + $0.durationSeconds }.max() ?? call.durationSeconds
        let stereo = call.layout == .stereo
        call.durationSeconds = durationSeconds
        call.segments = segments
        call.parties = .init(agent: Self.joined(labelled.map(\.parties.agent)), customer: Self.joined(labelled.map(\.parties.customer)))
        call.mixed = stereo ? nil : Self.joined(labelled.map(\.mixed))
        call.attribution = Self.joinedAttribution(labelled)

        let conversation = ConversationMeasures(configuration: configuration.conversation)
        let turns = segments.compactMap { s in
            s.kind == .speech ? s.party.map { ConversationMeasures.Turn(party: $0, startSeconds: s.startSeconds, endSeconds: s.endSeconds) } : nil
        }
        call.interruptions = stereo ? conversation.interruptions(turns) : nil
        // The metadata's hang-up side, else the last part's (a disconnect tone at the call's end).
        let hangupSide = hangupSide ?? parts.last?.ending?.hangupSide
        call.ending = conversation.ending(turns, durationSeconds: durationSeconds, hangupSide: hangupSide)
        if !stereo, call.attribution == nil, let last = segments.filter({ $0.kind == .speech }).map(\.endSeconds).max() {
            call.ending = .init(lastParty: nil, tailSilenceSeconds: CallComposer.rounded(durationSeconds - last),
                                afterCustomerSeconds: nil, hangupSide: hangupSide)
        }
        let holds = segments.filter { $0.kind == .hold }.map {
            WaitingDetector.Hold(kind: $0.holdKind ?? .silence, startSeconds: $0.startSeconds, endSeconds: $0.endSeconds)
        }
        let deadAir = segments.filter { $0.kind == .deadAir }.map { $0.startSeconds...$0.endSeconds }
        var flags = CallComposer.flags(holds: holds, deadAir: deadAir, configuration: configuration.waiting)
        flags += CallComposer.speakingFlags(parties: call.parties, interruptions: call.interruptions ?? [],
                                            ending: call.ending, configuration: configuration)
        call.flags = flags.sorted { $0.startSeconds < $1.startSeconds }
        let agentTalk = call.parties.agent?.talkSeconds ?? 0, customerTalk = call.parties.customer?.talkSeconds ?? 0
        call.totals = .init(
            holdSeconds: CallComposer.rounded(holds.reduce(0) { $0 + $1.seconds }),
            longestHoldSeconds: CallComposer.rounded(holds.map(\.seconds).max() ?? 0),
            deadAirSeconds: CallComposer.rounded(deadAir.reduce(0) { $0 + $1.upperBound - $1.lowerBound }),
            overtalkSeconds: stereo ? CallComposer.rounded(conversation.overtalkSeconds(turns)) : nil,
            agentTalkShare: stereo && agentTalk + customerTalk > 0 ? (agentTalk / (agentTalk + customerTalk) * 1000).rounded() / 1000 : nil)
        // A part without speech is not a call without speech.
        var warnings: [String] = []
        for w in parts.flatMap(\.warnings) where !warnings.contains(w) && !w.hasSuffix(CallComposer.noSpeechWarning) { warnings.append(w) }
        if !segments.contains(where: { $0.kind == .speech }) { warnings.append("\(call.file): \(CallComposer.noSpeechWarning)") }
        call.warnings = warnings
        return call
    }

    /// On mono calls each part tells its two voices apart on its own, naming the one heard first the
    /// agent; later parts are renamed to match the first part's voices by pitch.
    func alignedParties(_ parts: [CallReport]) -> [CallReport] {
        func distance(_ x: Double, _ y: Double) -> Double { abs(log(x / y)) }
        // Voices less than a semitone apart in pitch cannot be matched this way: labels stay.
        let semitone = log(2.0) / 12
        guard let first = parts.first, first.layout == .mono,
              let agentHz = first.parties.agent?.medianF0Hz, let customerHz = first.parties.customer?.medianF0Hz,
              agentHz > 0, customerHz > 0, distance(agentHz, customerHz) >= semitone else { return parts }
        return parts.enumerated().map { k, part in
            guard k > 0, let a = part.parties.agent?.medianF0Hz, let c = part.parties.customer?.medianF0Hz,
                  a > 0, c > 0, distance(a, c) >= semitone else { return part }
            guard distance(a, customerHz) + distance(c, agentHz) < distance(a, agentHz) + distance(c, customerHz) else { return part }
            return part.withPartiesSwapped()
        }
    }

    /// One party's measures over the parts: sums of talk and syllables, levels as mean power and the
    /// rest as means, each weighted by the part's talk time.
    static func joined(_ metrics: [CallReport.PartyMetrics?]) -> CallReport.PartyMetrics? {
        let present = metrics.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        let talk = present.reduce(0) { $0 + $1.talkSeconds }
        func weight(_ m: CallReport.PartyMetrics) -> Double { talk > 0 ? m.talkSeconds : 1 }
        func mean(_ value: (CallReport.PartyMetrics) -> Double?) -> Double? {
            let pairs = present.compactMap { m in value(m).map { ($0, weight(m)) } }
            let total = pairs.reduce(0) { $0 + $1.1 }
            return total > 0 ? pairs.reduce(0) { $0 + $1.0 * $1.1 } / total : nil
        }
        func powerMean(_ value: (CallReport.PartyMetrics) -> Double?) -> Double? {
            mean { m in value(m).map { pow(10, $0 / 10) } }.map { 10 * log10(max($0, 1e-30)) }
        }
        let level = powerMean(\.activeLevelDbov)
        let noise = powerMean { m in m.activeLevelDbov.flatMap { l in m.snrDb.map { l - $0 } } }
        let syllables = present.compactMap(\.syllables)
        func round(_ x: Double?, _ scale: Double) -> Double? { x.map { ($0 * scale).rounded() / scale } }
        return CallReport.PartyMetrics(
            talkSeconds: CallComposer.rounded(talk), activeLevelDbov: round(level, 100),
            snrDb: round(level.flatMap { l in noise.map { l - $0 } }, 10), clipped: present.contains { $0.clipped },
            speechRateCharsPerMinute: round(mean(\.speechRateCharsPerMinute), 10),
            pitchSpreadSemitones: round(mean(\.pitchSpreadSemitones), 10),
            syllables: syllables.isEmpty ? nil : syllables.reduce(0, +),
            medianF0Hz: round(mean(\.medianF0Hz), 10), humDbov: round(powerMean(\.humDbov), 10))
    }

    static func joinedAttribution(_ parts: [CallReport]) -> CallReport.Attribution? {
        let attributed = parts.filter { $0.attribution != nil }
        guard let method = attributed.first?.attribution?.method else { return nil }
        let weights = attributed.map { ($0.mixed?.talkSeconds ?? 0) + 1e-9 }
        let confidence = zip(attributed, weights).reduce(0) { $0 + $1.0.attribution!.confidence * $1.1 } / weights.reduce(0, +)
        return .init(method: method, confidence: (confidence * 100).rounded() / 100)
    }
}

extension CallReport {
    /// The same report with the agent and the customer named the other way round.
    func withPartiesSwapped() -> CallReport {
        var swapped = self
        swapped.parties = .init(agent: parties.customer, customer: parties.agent)
        swapped.segments = segments.map { s in
            var s = s
            s.party = s.party.map { $0 == .agent ? .customer : .agent }
            return s
        }
        return swapped
    }
}
