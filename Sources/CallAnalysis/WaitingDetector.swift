public import CallDSP
import Foundation

/// What the customer waits through: ringback (five tone plans, or a coloured ring-back tone),
/// holds (music, beeps, a muted line) and dead air. Works on the frame labels the speech detector
/// already made, so it adds no pass over the audio.
public struct WaitingDetector: Sendable {
    /// A call-progress tone plan: frequencies and one cadence period of (on, off) seconds.
    public struct TonePlan: Sendable, Equatable {
        public var name: String
        public var frequenciesHz: [Double]
        public var cadence: [(on: Double, off: Double)]
        /// The tone is swung in level (Japan's 16 Hz): a burst must swing to be one of its rings,
        /// which a steady note of music (a CRBT's 400 Hz) does not.
        public var swings = false
        /// How close a burst must be to one of the tones, when closer than
        /// `ringFrequencyToleranceHz`.
        public var toleranceHz: Double?
        public var periodSeconds: Double { cadence.reduce(0) { $0 + $1.on + $1.off } }

        public static func == (a: TonePlan, b: TonePlan) -> Bool { a.name == b.name }

        public static let all: [TonePlan] = [
            TonePlan(name: "China", frequenciesHz: [450], cadence: [(1, 4)]),
            // Dual tones under ~60 Hz apart merge into one peak at their centre in a 32 ms frame.
            TonePlan(name: "NorthAmerica", frequenciesHz: [440, 480, 460], cadence: [(2, 4)]),
            // India's 400 Hz swung at 25 Hz reads 400-403 Hz; the UK's 400 + 450 Hz (Australia's
            // 400 + 425 + 450 Hz alike) read 418-444 Hz ring by ring. Listed first, India takes
            // the rings that read within 6 Hz of 400.
            TonePlan(name: "India", frequenciesHz: [400], cadence: [(0.4, 0.2), (0.4, 2)], toleranceHz: 6),
            TonePlan(name: "UK", frequenciesHz: [400, 450, 425], cadence: [(0.4, 0.2), (0.4, 2)]),
            TonePlan(name: "CEPT", frequenciesHz: [425], cadence: [(1, 4)]),
            // 400 Hz swung at 16 Hz: its sidebands fall inside the carrier's peak.
            TonePlan(name: "Japan", frequenciesHz: [400], cadence: [(1, 2)], swings: true),
            // Other national ring-back tones of ITU-T E.180's list that none of the above chains.
            TonePlan(name: "France", frequenciesHz: [440], cadence: [(1.5, 3.5)]),
            TonePlan(name: "Spain", frequenciesHz: [425], cadence: [(1.5, 3)]),
            TonePlan(name: "Russia", frequenciesHz: [425], cadence: [(0.8, 3.2)]),
            TonePlan(name: "HongKong", frequenciesHz: [440, 480, 460], cadence: [(0.4, 0.2), (0.4, 3)]),
            TonePlan(name: "Korea", frequenciesHz: [440, 480, 460], cadence: [(1, 2)]),
        ]
    }

    /// One channel as the detectors left it.
    public struct Channel {
        public var features: ChannelFeatures
        public var labels: [SpeechDetector.FrameClass]
        public var speech: [FrameRange]
        /// The music model's probability per frame; empty when not known (then no CRBT: ringing
        /// by music needs positive evidence).
        public var musicProbability: [Float]
        public init(features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange], musicProbability: [Float] = []) {
            self.features = features; self.labels = labels; self.speech = speech; self.musicProbability = musicProbability
        }
    }

    public struct Ringing: Sendable, Equatable {
        public var tonePlan: String
        public var rings: Int
        public var answerSeconds: Double
        /// Each ring's extent (start of its first burst to end of its last).
        public var ringSeconds: [ClosedRange<Double>]
        /// The pickup came in the silence after the last ring (not during a burst), so the answer
        /// time is an estimate that the line connecting can improve.
        var answeredInSilence = false
        /// When the next ring was due: the answer came before it.
        var nextRingDueSeconds = 0.0
    }

    public struct Hold: Sendable, Equatable {
        public var kind: CallReport.HoldKind
        public var startSeconds: Double
        public var endSeconds: Double
        /// Beep holds: one beep's length and their period.
        var beepSeconds = 0.0, beepPeriodSeconds = 0.0, beepHz = 0.0
        public var seconds: Double { endSeconds - startSeconds }
    }

    public struct Result: Sendable, Equatable {
        public var ringing: Ringing?
        public var holds: [Hold]
        public var deadAir: [ClosedRange<Double>]
        /// Per channel, the speech segments that are announcements: inside a music hold, at its
        /// edges, the plays of a hold of announcements alone, or an IVR greeting before the rings.
        public var announcements: [[FrameRange]]
        /// Per channel, the frames at the start of the first words that were the line's noise
        /// rising as the call connected (`noiseAtConnect`), not speech.
        public var connectNoise: [FrameRange?] = []
        /// A disconnect tone (busy or reorder) after the last words; nil when none.
        public var disconnectTone: DisconnectTone?
        /// Per channel, stretches of keypad tones (`keypadSpans`).
        public var keypad: [[ClosedRange<Double>]] = []
        /// The opening speech read as an IVR greeting before the rings (`ringingAfterPrompt`).
        public var openingPromptSeconds: ClosedRange<Double>?
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// The tone plan reported for a coloured ring-back tone.
    static let crbtPlanName = "CRBT"

    /// One ring, cut short, with music through most of the time straight after it on its leg: a held note of a coloured
    /// ring-back tone (a codec that thins the music's partials leaves a note looking like a pure
    /// tone), not a ring the pickup cut. A real pickup is followed by the line, not by music.
    /// Steady notes count with the music: a tune of pure tones (a synthesised CRBT) is tone frames.
    static func isNoteOfMusic(_ ringing: Ringing, on channel: Channel, within seconds: Double) -> Bool {
        guard ringing.rings == 1, !ringing.answeredInSilence, let end = ringing.ringSeconds.last?.upperBound else { return false }
        let grid = channel.features.grid
        let from = grid.frame(atSeconds: end), to = min(channel.labels.count, grid.frame(atSeconds: end + seconds))
        guard from < to else { return false }
        return 3 * channel.labels[from..<to].lazy.filter { $0 == .music || $0 == .tone }.count >= 2 * (to - from)
    }

    /// - Complexity: O(frames).
    /// - Parameter agentChannel: the channel carrying the agent's leg (the only one on mono calls):
    ///   only that leg going mute is a hold; a customer's quiet line is not.
    /// - Parameter answered: the audio starts after the call was answered (a later part of a long
    ///   recording): no ringing is looked for, and holds may start at once.
    /// - Parameter endsInsideCall: the call goes on after the audio (an earlier part of a long
    ///   recording): a muted leg after the last words may be a hold running past the end.
    public func detect(
        _ channels: [Channel], agentChannel: Int, durationSeconds: Double, answered: Bool = false, endsInsideCall: Bool = false
    ) -> Result {
        guard let grid = channels.first?.features.grid else { return Result(ringing: nil, holds: [], deadAir: [], announcements: []) }
        // Tone frames are found once: removing speech at the connect changes none of them.
        let bursts = channels.map { toneBursts($0) }
        let (channels, ringing, connectNoise, prompt) = ringback(channels, bursts: bursts, answered: answered)
        let speechSpans = channels.flatMap { ch in
            ch.speech.map { grid.seconds(ofFrame: $0.start)...grid.seconds(ofFrame: $0.end) }
        }.sorted { $0.lowerBound < $1.lowerBound }
        let firstSpeech = speechSpans.first?.lowerBound
        let answer = answered ? 0 : ringing?.answerSeconds ?? firstSpeech ?? 0

        // Holds after the answer.
        var holds: [Hold] = []
        var announcements: [[FrameRange]] = []
        let ringBursts = Set((ringing?.ringSeconds ?? []).map { $0.lowerBound })
        var beepsByChannel: [[Hold]] = []
        let talk = channels.map { ch in ch.speech.map { grid.seconds(ofFrame: $0.start)...grid.seconds(ofFrame: $0.end) } }
        for (index, channel) in channels.enumerated() {
            let otherSpeech = channels.indices.filter { $0 != index }.flatMap { channels[$0].speech }.sorted { $0.start < $1.start }
            // Hold music is played to the customer, so it is on the agent's leg; music on the
            // customer's leg must be loud and have the agent silent (the side may be wrong).
            let music = musicHolds(channel, after: answer, otherSpeech: otherSpeech, mono: channels.count == 1,
                                   customerLeg: channels.count == 2 && index != agentChannel)
            var edged = recordedEdges(music.holds, announcements: music.announcements, channel: channel, otherSpeech: otherSpeech)
            // Announcements alone, on the agent's leg (one that overlaps a music hold joins it below).
            if channels.count == 1 || index == agentChannel {
                for spoken in announcementHolds(channel, after: grid.frame(atSeconds: answer), otherSpeech: otherSpeech) {
                    edged.holds.append(spoken.hold)
                    edged.announcements += spoken.plays
                }
            }
            holds += edged.holds
            announcements.append(Self.inOrder(edged.announcements + prompt[index]))
            beepsByChannel.append(beepHolds(bursts[index].filter { !ringBursts.contains($0.start) && $0.start >= answer }, talk: talk[index]))
            if index == agentChannel {
                let before = endsInsideCall ? durationSeconds : speechSpans.last?.upperBound ?? durationSeconds
                holds += silentHolds(channel, after: answer, before: before, otherSpeech: otherSpeech, mono: channels.count == 1)
            }
        }
        let disconnect = endsInsideCall ? nil : disconnectTone(&beepsByChannel, channels: channels, durationSeconds: durationSeconds)
        for (index, beeps) in beepsByChannel.enumerated() {
            let talk = talk[index]
            holds += beeps.map { hold in
                // The beeps go on until the agent is back: the hold ends at the next words on
                // that leg, or when the next beep was due and did not come.
                var hold = hold
                let nextTalk = talk.first { $0.lowerBound >= hold.endSeconds }?.lowerBound ?? durationSeconds
                hold.endSeconds = min(nextTalk, hold.endSeconds - hold.beepSeconds + hold.beepPeriodSeconds)
                return hold
            }
        }
        holds = mergeOverlapping(holds)

        // Blips in the disconnect tone are not words: the last silence before it is not dead air.
        var words = speechSpans
        if let disconnect, let index = disconnect.channel {
            words = talk.indices.flatMap { i in talk[i].filter { i != index || $0.lowerBound < disconnect.startSeconds } }
                .sorted { $0.lowerBound < $1.lowerBound }
        }
        // Someone keying in digits is not silence on the line.
        let keypad = withoutKeypadEcho(channels.map { keypadSpans($0) }, channels: channels)
        let deadAir = Self.deadAir(speech: words, holds: holds.map { $0.startSeconds...$0.endSeconds } + keypad.flatMap { $0 },
                                   minimumSeconds: configuration.deadAirMinimumSeconds)
        return Result(ringing: ringing, holds: holds, deadAir: deadAir, announcements: announcements, connectNoise: connectNoise,
                      disconnectTone: disconnect, keypad: keypad, openingPromptSeconds: Self.span(of: prompt.flatMap { $0 }, grid: grid))
    }

    // MARK: - Tone bursts

    struct Burst: Equatable {
        var start: Double
        var end: Double
        var hz: Double
        /// Median change of level from one frame to the next (dB): a steady tone's is a fraction of
        /// a dB, a tone swung at 16 Hz's several.
        var swingDB = 0.0
        var seconds: Double { end - start }
    }

    /// Stretches of keypad frames, keys up to `keypadJoinSeconds` apart joined: a number keyed in.
    func keypadSpans(_ channel: Channel) -> [ClosedRange<Double>] {
        let grid = channel.features.grid
        return SpeechDetector.runs(of: channel.labels.map { $0 == .keypad }, joiningGapsUpTo: grid.frames(inSeconds: configuration.keypadJoinSeconds))
            .map { grid.seconds(ofFrame: $0.start)...grid.seconds(ofFrame: $0.end) }
    }

    /// The keys heard on the other leg too, `keypadEchoBelowDB` or more under it there, are its
    /// echo: kept only on the leg that keyed them.
    func withoutKeypadEcho(_ spans: [[ClosedRange<Double>]], channels: [Channel]) -> [[ClosedRange<Double>]] {
        guard channels.count == 2, let grid = channels.first?.features.grid else { return spans }
        // The keys' loudest frame: between the keys there is only each leg's noise.
        func peakDB(_ span: ClosedRange<Double>, on channel: Int) -> Float {
            let db = channels[channel].features.bandPowerDB
            return db[min(grid.frame(atSeconds: span.lowerBound), db.count)..<min(grid.frame(atSeconds: span.upperBound), db.count)].max() ?? -.infinity
        }
        return spans.indices.map { i in
            spans[i].filter { span in
                !spans[1 - i].contains { $0.overlaps(span) && peakDB(span, on: 1 - i) - peakDB(span, on: i) >= configuration.keypadEchoBelowDB }
            }
        }
    }

    static func span(of ranges: [FrameRange], grid: FrameGrid) -> ClosedRange<Double>? {
        guard let start = ranges.map(\.start).min(), let end = ranges.map(\.end).max() else { return nil }
        return grid.seconds(ofFrame: start)...grid.seconds(ofFrame: end)
    }

    /// Runs of tone frames (short dropouts joined), with their median peak frequency.
    func toneBursts(_ channel: Channel) -> [Burst] {
        let grid = channel.features.grid
        let labels = channel.labels
        let joinFrames = grid.frames(inSeconds: 0.06)
        var out: [Burst] = []
        var f = 0
        while f < labels.count {
            guard labels[f] == .tone else { f += 1; continue }
            var end = f + 1
            while end < labels.count {
                if labels[end] == .tone { end += 1; continue }
                var next = end
                while next < labels.count && next - end <= joinFrames && labels[next] != .tone { next += 1 }
                if next < labels.count && labels[next] == .tone && next - end <= joinFrames { end = next } else { break }
            }
            // The tone labeller pads each run by a few frames; take the frequency from the middle.
            var hz = Array(channel.features.dominantHz[f..<end])
            hz.sort()
            let levels = channel.features.bandPowerDB
            var steps = (f + 1..<end).map { abs(levels[$0] - levels[$0 - 1]) }
            steps.sort()
            out.append(Burst(start: grid.seconds(ofFrame: f), end: grid.seconds(ofFrame: end), hz: Double(hz[hz.count / 2]),
                             swingDB: steps.isEmpty ? 0 : Double(steps[steps.count / 2])))
            f = end
        }
        return out
    }

    // MARK: - Holds

    /// Holds found on both channels (music heard on both legs) are one hold. Its kind is what
    /// plays in it: music over beeps over a muted line (pips on a muted line are a beep hold).
    func mergeOverlapping(_ holds: [Hold]) -> [Hold] {
        func rank(_ kind: CallReport.HoldKind) -> Int {
            switch kind {
            case .music: 2
            case .tone: 1
            case .silence: 0
            }
        }
        var out: [Hold] = []
        for h in holds.sorted(by: { $0.startSeconds < $1.startSeconds }) {
            if var last = out.last, h.startSeconds <= last.endSeconds {
                last.endSeconds = max(last.endSeconds, h.endSeconds)
                if rank(h.kind) > rank(last.kind) {
                    last.kind = h.kind
                    (last.beepSeconds, last.beepPeriodSeconds, last.beepHz) = (h.beepSeconds, h.beepPeriodSeconds, h.beepHz)
                }
                out[out.count - 1] = last
            } else {
                out.append(h)
            }
        }
        return out
    }
}
