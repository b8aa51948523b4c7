/// What `callqa analyze --json` prints for one call. Fields that later detectors own stay nil
/// until they exist, so the schema is stable for programs that read it.
public struct CallReport: Codable, Sendable, Equatable {
    public enum Layout: String, Codable, Sendable { case stereo, mono }
    public enum Party: String, Codable, Sendable { case agent, customer }
    /// `keypad`: a party keying digits (DTMF tones), with that party; not speech, not dead air.
    public enum SegmentKind: String, Codable, Sendable { case ringback, speech, hold, deadAir, keypad }
    public enum HoldKind: String, Codable, Sendable { case music, tone, silence }

    public struct Answer: Codable, Sendable, Equatable {
        public enum Source: String, Codable, Sendable { case ringback, metadata, none }
        public var source: Source
        /// Ring-back bursts counted before the answer; nil for a CRBT (music has no rings).
        public var rings: Int?
        public var answerSeconds: Double?
        public var tonePlan: String?
        /// Answer time found in the audio (ringback or CRBT), seconds from the recording's start.
        public var ringbackAnswerSeconds: Double?
        /// Ring-to-answer seconds from the call's metadata (answer time − start time).
        public var metadataAnswerSeconds: Double?
        /// A CRBT's length in rings of the standard cadence, so R1 can still judge the wait.
        public var ringEquivalents: Int? = nil
    }

    /// A rule the call breaks or comes close to, at the moment it happens.
    public struct Flag: Codable, Sendable, Equatable {
        public enum Severity: String, Codable, Sendable { case flag, fail }
        /// The standard's rule id, e.g. "R7".
        public var rule: String
        public var severity: Severity
        public var startSeconds: Double
        public var endSeconds: Double
        public var detail: String
    }

    /// How speech on a mono recording was given to the parties.
    public struct Attribution: Codable, Sendable, Equatable {
        public var method: String
        /// 0…1: how clearly the two voices separated (mean silhouette of the utterance clusters).
        public var confidence: Double
    }

    public struct Totals: Codable, Sendable, Equatable {
        public var holdSeconds: Double
        public var longestHoldSeconds: Double
        public var deadAirSeconds: Double
        /// Seconds both parties talk at once (two-party calls).
        public var overtalkSeconds: Double?
        /// The agent's share of all talk time (two-party calls).
        public var agentTalkShare: Double?

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(holdSeconds, forKey: .holdSeconds)
            try c.encode(longestHoldSeconds, forKey: .longestHoldSeconds)
            try c.encode(deadAirSeconds, forKey: .deadAirSeconds)
            try c.encode(overtalkSeconds, forKey: .overtalkSeconds)
            try c.encode(agentTalkShare, forKey: .agentTalkShare)
        }
    }

    public struct PartyMetrics: Codable, Sendable, Equatable {
        public var talkSeconds: Double
        public var activeLevelDbov: Double?
        public var snrDb: Double?
        public var clipped: Bool
        public var speechRateCharsPerMinute: Double?
        public var pitchSpreadSemitones: Double?
        /// Syllable nuclei counted (one per Mandarin character).
        public var syllables: Int?
        public var medianF0Hz: Double?
        /// Mains hum on the line (50/60 Hz and harmonics), apart from the broadband noise that
        /// `snrDb` is measured against; nil when there is none.
        public var humDbov: Double?
    }

    public struct Parties: Codable, Sendable, Equatable {
        public var agent: PartyMetrics?
        public var customer: PartyMetrics?
    }

    public struct Segment: Codable, Sendable, Equatable {
        public var kind: SegmentKind
        public var party: Party?
        public var holdKind: HoldKind?
        public var startSeconds: Double
        public var endSeconds: Double

        // Encode nil as null: a reader sees every key on every segment.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(party, forKey: .party)
            try c.encode(holdKind, forKey: .holdKind)
            try c.encode(startSeconds, forKey: .startSeconds)
            try c.encode(endSeconds, forKey: .endSeconds)
        }
    }

    public struct Interruption: Codable, Sendable, Equatable {
        public var atSeconds: Double
        public var by: Party
    }

    public struct Ending: Codable, Sendable, Equatable {
        public var lastParty: Party?
        /// From the last words (anyone's) to the end of the recording.
        public var tailSilenceSeconds: Double?
        /// From the customer's last words to the end of the recording.
        public var afterCustomerSeconds: Double?
        /// Who hung up, from the call's metadata.
        public var hangupSide: String?

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lastParty, forKey: .lastParty)
            try c.encode(tailSilenceSeconds, forKey: .tailSilenceSeconds)
            try c.encode(afterCustomerSeconds, forKey: .afterCustomerSeconds)
            try c.encode(hangupSide, forKey: .hangupSide)
        }
    }

    public var file: String
    public var durationSeconds: Double
    public var sampleRateHz: Int
    public var channels: Int
    public var layout: Layout
    /// "left" or "right" on stereo calls; nil on mono.
    public var agentChannel: String?
    public var answer: Answer
    public var parties: Parties
    /// On mono recordings, the one mixed channel's measures (until parties are told apart there).
    public var mixed: PartyMetrics?
    public var segments: [Segment]
    public var interruptions: [Interruption]?
    public var ending: Ending?
    public var totals: Totals?
    public var flags: [Flag]
    /// What the recorder's metadata and the file name said about the call, when anything.
    public var metadata: CallMetadata?
    /// Mono calls: how the parties were told apart (nil on stereo calls).
    public var attribution: Attribution?
    public var warnings: [String]
    /// The recording holds less audio than its header says (cut off, or the header overstates
    /// it); nil in reports stored before this was recorded.
    public var incompleteRecording: Bool?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try c.encode(durationSeconds, forKey: .durationSeconds)
        try c.encode(sampleRateHz, forKey: .sampleRateHz)
        try c.encode(channels, forKey: .channels)
        try c.encode(layout, forKey: .layout)
        try c.encode(agentChannel, forKey: .agentChannel)
        try c.encode(answer, forKey: .answer)
        try c.encode(parties, forKey: .parties)
        try c.encodeIfPresent(mixed, forKey: .mixed)
        try c.encode(segments, forKey: .segments)
        try c.encode(interruptions, forKey: .interruptions)
        try c.encode(ending, forKey: .ending)
        try c.encode(totals, forKey: .totals)
        try c.encode(flags, forKey: .flags)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(attribution, forKey: .attribution)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(incompleteRecording ?? false, forKey: .incompleteRecording)
    }
}

extension CallReport.Answer {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(rings, forKey: .rings)
        try c.encode(answerSeconds, forKey: .answerSeconds)
        try c.encode(tonePlan, forKey: .tonePlan)
        try c.encode(ringbackAnswerSeconds, forKey: .ringbackAnswerSeconds)
        try c.encode(metadataAnswerSeconds, forKey: .metadataAnswerSeconds)
        try c.encode(ringEquivalents, forKey: .ringEquivalents)
    }
}

extension CallReport.PartyMetrics {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(talkSeconds, forKey: .talkSeconds)
        try c.encode(activeLevelDbov, forKey: .activeLevelDbov)
        try c.encode(snrDb, forKey: .snrDb)
        try c.encode(clipped, forKey: .clipped)
        try c.encode(speechRateCharsPerMinute, forKey: .speechRateCharsPerMinute)
        try c.encode(pitchSpreadSemitones, forKey: .pitchSpreadSemitones)
        try c.encode(syllables, forKey: .syllables)
        try c.encode(medianF0Hz, forKey: .medianF0Hz)
        try c.encode(humDbov, forKey: .humDbov)
    }
}

extension CallReport.Parties {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(agent, forKey: .agent)
        try c.encode(customer, forKey: .customer)
    }
}


