public import CallDSP
import Foundation

/// What the customer waits through: ringback (four tone plans, or a coloured ring-back tone),
/// holds (music, beeps, a muted line) and dead air. Works on the frame labels the speech detector
/// already made, so it adds no pass over the audio.
public struct WaitingDetector: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// A burst matches a plan when its frequency is this close to one of the plan's tones ...
        public var ringFrequencyToleranceHz: Double = 12
        /// ... its length this close to the plan's on-time (0.4 s UK bursts: see below) ...
        public var ringOnToleranceSeconds: Double = 0.3
        /// ... tighter for the UK's short double bursts, so a 0.5 s busy tone is not a ring ...
        public var shortBurstToleranceSeconds: Double = 0.12
        /// ... and rings start this close to one cadence period apart.
        public var ringPeriodToleranceSeconds: Double = 0.6
        /// A ring cut short by the pickup still counts when at least this long.
        public var minimumCutRingSeconds: Double = 0.2
        /// Callers are greeted about this long after pickup: the answer time is taken this long
        /// before the first speech when the ringing stopped in a silent part of the cadence.
        public var greetingAfterPickupSeconds: Double = 0.5
        /// After the last ring the answer is where a leg's level steps up this much (the far end's
        /// line noise starting) and stays up this long; else `greetingAfterPickupSeconds` before
        /// the first words.
        public var connectStepDB: Double = 6
        public var connectHoldSeconds: Double = 0.2
        /// Speech starting within this long of the last ring's end is checked against the noise of
        /// the connected line (the quiet end of its level over `connectNoiseSeconds` after the
        /// ring): it starts where a frame stands `connectClearDB` above that noise, reaching back
        /// while `connectOnsetDB` above it; a cut under `connectMinimumTrimSeconds` is left alone.
        public var connectTouchSeconds: Double = 0.1
        public var connectNoiseSeconds: Double = 10
        public var connectClearDB: Double = 10
        public var connectOnsetDB: Double = 4
        public var connectMinimumTrimSeconds: Double = 0.2
        /// Music from the start of the recording to the first speech, at least this long, is a
        /// coloured ring-back tone (彩铃) ...
        public var crbtMinimumSeconds: Double = 2
        /// ... that must start within this long of the recording's start ...
        public var crbtLatestStartSeconds: Double = 2
        /// ... and counts one ring per this many seconds (the 1 s + 4 s cadence it replaces) ...
        public var secondsPerRing: Double = 5
        /// ... and only where the music model is this sure on average: ringing needs positive
        /// evidence of music; a doubtful stretch before the first words is speech or nothing.
        public var crbtMinimumMusicProbability: Double = 0.7
        /// Music on a channel with gaps no longer than this is one hold ...
        public var holdJoinGapSeconds: Double = 1.5
        /// Music runs shorter than this (after the joining) are ignored ...
        public var minimumMusicRunSeconds: Double = 0.3
        /// ... or where fewer than this share of their frames are music: a frame or two every
        /// second is a codec's line noise flickering past the music test (GSM on a muted leg),
        /// which joined across the gaps made holds of silence. Music runs in real holds are at
        /// least 0.46 music; such flicker at most 0.15.
        public var minimumMusicRunDensity: Double = 0.25
        /// ... and a music hold is at least this long (a jingle between words is not a hold).
        public var minimumMusicHoldSeconds: Double = 3
        /// Speech between two stretches of hold music on the same leg, no longer than this, with
        /// the music back within `announcementGapSeconds` and nobody speaking on the other leg, is
        /// a recorded announcement ("please hold"): part of the hold, not a party's speech ...
        public var announcementMaximumSeconds: Double = 15
        public var announcementGapSeconds: Double = 3.5
        /// ... after at least this much music (the music after it need only be hold-length): a
        /// prompt 2-3 s into the music still belongs to the hold ...
        public var announcementMusicSeconds: Double = 2
        /// ... while announcements stay under this share of the hold (a conversation between
        /// bursts of music is not a hold) ...
        public var announcementMaximumShare: Double = 0.4
        /// Longer "speech" between two stretches of hold music, up to this long, with nobody on the
        /// other leg, is music the frame model could not settle (a jazz trio's drums and walking
        /// bass under line noise) when its frames' mean music probability is at least
        /// `unsettledMusicProbability`: real speech of 8 s and more averages under 0.03 on every
        /// evaluation set, such stretches 0.24-0.37 (docs/measurements.md) ...
        public var unsettledMusicMaximumSeconds: Double = 60
        public var unsettledMusicProbability: Double = 0.15
        /// ... and, on a mono call (no other leg to hear a reply on), no longer than this, after
        /// at least this much music (the music after it need only be hold-length). Stricter mono
        /// limits split holds whose first prompt comes early or runs long (docs/measurements.md).
        public var monoAnnouncementMaximumSeconds: Double = 15
        public var monoAnnouncementMusicSeconds: Double = 2
        /// A lone ring cut short with music on its leg through two thirds of this long after it is a
        /// note of the music.
        public var musicAfterLoneRingSeconds: Double = 3
        /// Music on one leg while the other leg's speech covers at least this share of it is not a hold.
        public var holdMaximumOtherSpeechShare: Double = 0.5
        /// Hold music with a quiet passage up to this long in it, nobody speaking on either leg, is
        /// one hold (real hold loops have soft bars and a pause where they restart).
        public var holdQuietGapSeconds: Double = 5
        /// Hold beeps: tone bursts after the answer repeating at most this far apart ...
        public var maximumBeepPeriodSeconds: Double = 20
        /// ... at least this many times, each within these of the first's frequency and length ...
        public var minimumBeeps = 3
        public var beepFrequencyToleranceHz: Double = 20
        public var beepLengthToleranceSeconds: Double = 0.15
        /// ... at a period steady to this fraction.
        public var beepPeriodTolerance: Double = 0.2
        /// A muted line (the agent's leg cut: not even line noise) for at least this long is a
        /// silent hold ...
        public var minimumSilentHoldSeconds: Double = 5
        /// ... muted meaning this far below the noise of the line in the conversation's pauses
        /// (those within `conversationPauseSeconds` of speech). On mono the mute removes only the
        /// agent leg's share of the mix; a pause removes nothing. A line whose pauses are mostly
        /// below `mutedLevelDBov` (digital silence) has no floor to fall from: its silences are
        /// dead air, not holds.
        public var mutedBelowNoiseDB: Double = 8
        /// ... or, on mono, this far: there the mute takes away only the agent leg's noise (3 dB
        /// when both legs are equally noisy), while a pause or dead air leaves the mix as it was.
        public var monoMutedBelowNoiseDB: Double = 3
        /// A hold found by that fall lasts while the line stays this share of it below the noise
        /// and at least half the hold falls the whole way: a level wavering about the threshold (a
        /// GSM line's noise on a mono mute 3 dB down) would otherwise split one hold in two.
        public var mutedHoldKeepShare: Double = 0.5
        public var mutedLevelDBov: Double = -85
        public var conversationPauseSeconds: Double = 2
        /// Holds longer than this are flagged (R7).
        public var holdFlagSeconds: Double = 60
        /// Silences between the first and last speech at least this long are reported as dead air ...
        public var deadAirMinimumSeconds: Double = 3
        /// ... flagged from this long (R8) ...
        public var deadAirFlagSeconds: Double = 10
        /// ... and failed from this long.
        public var deadAirFailSeconds: Double = 60

        public init() {}
    }

    /// A call-progress tone plan: frequencies and one cadence period of (on, off) seconds.
    public struct TonePlan: Sendable, Equatable {
        public var name: String
        public var frequenciesHz: [Double]
        public var cadence: [(on: Double, off: Double)]
        public var periodSeconds: Double { cadence.reduce(0) { $0 + $1.on + $1.off } }

        public static func == (a: TonePlan, b: TonePlan) -> Bool { a.name == b.name }

        public static let all: [TonePlan] = [
            TonePlan(name: "China", frequenciesHz: [450], cadence: [(1, 4)]),
            // Dual tones under ~60 Hz apart merge into one peak at their centre in a 32 ms frame.
            TonePlan(name: "NorthAmerica", frequenciesHz: [440, 480, 460], cadence: [(2, 4)]),
            TonePlan(name: "UK", frequenciesHz: [400, 450, 425], cadence: [(0.4, 0.2), (0.4, 2)]),
            TonePlan(name: "CEPT", frequenciesHz: [425], cadence: [(1, 4)]),
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
        var beepSeconds = 0.0, beepPeriodSeconds = 0.0
        public var seconds: Double { endSeconds - startSeconds }
    }

    public struct Result: Sendable, Equatable {
        public var ringing: Ringing?
        public var holds: [Hold]
        public var deadAir: [ClosedRange<Double>]
        /// Per channel, the speech segments that are announcements inside a music hold.
        public var announcements: [[FrameRange]]
        /// Per channel, the frames at the start of the first words that were the line's noise
        /// rising as the call connected (`noiseAtConnect`), not speech.
        public var connectNoise: [FrameRange?] = []
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// The tone plan reported for a coloured ring-back tone.
    static let crbtPlanName = "CRBT"

    /// One ring, cut short, with music through most of the time straight after it on its leg: a held note of a coloured
    /// ring-back tone (a codec that thins the music's partials leaves a note looking like a pure
    /// tone), not a ring the pickup cut. A real pickup is followed by the line, not by music.
    static func isNoteOfMusic(_ ringing: Ringing, on channel: Channel, within seconds: Double) -> Bool {
        guard ringing.rings == 1, !ringing.answeredInSilence, let end = ringing.ringSeconds.last?.upperBound else { return false }
        let grid = channel.features.grid
        let from = grid.frame(atSeconds: end), to = min(channel.labels.count, grid.frame(atSeconds: end + seconds))
        guard from < to else { return false }
        return 3 * channel.labels[from..<to].lazy.filter { $0 == .music }.count >= 2 * (to - from)
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
        let (channels, ringing, connectNoise) = ringback(channels, bursts: bursts, answered: answered)
        let speechSpans = channels.flatMap { ch in
            ch.speech.map { grid.seconds(ofFrame: $0.start)...grid.seconds(ofFrame: $0.end) }
        }.sorted { $0.lowerBound < $1.lowerBound }
        let firstSpeech = speechSpans.first?.lowerBound
        let answer = answered ? 0 : ringing?.answerSeconds ?? firstSpeech ?? 0

        // Holds after the answer.
        var holds: [Hold] = []
        var announcements: [[FrameRange]] = []
        let ringBursts = Set((ringing?.ringSeconds ?? []).map { $0.lowerBound })
        for (index, channel) in channels.enumerated() {
            let otherSpeech = channels.indices.filter { $0 != index }.flatMap { channels[$0].speech }.sorted { $0.start < $1.start }
            let music = musicHolds(channel, after: answer, otherSpeech: otherSpeech, mono: channels.count == 1)
            holds += music.holds
            announcements.append(music.announcements)
            let talk = channel.speech.map { grid.seconds(ofFrame: $0.start)...grid.seconds(ofFrame: $0.end) }
            holds += beepHolds(bursts[index].filter { !ringBursts.contains($0.start) && $0.start >= answer }, talk: talk)
                .map { hold in
                    // The beeps go on until the agent is back: the hold ends at the next words on
                    // that leg, or when the next beep was due and did not come.
                    var hold = hold
                    let nextTalk = talk.first { $0.lowerBound >= hold.endSeconds }?.lowerBound ?? durationSeconds
                    hold.endSeconds = min(nextTalk, hold.endSeconds - hold.beepSeconds + hold.beepPeriodSeconds)
                    return hold
                }
            if index == agentChannel {
                let before = endsInsideCall ? durationSeconds : speechSpans.last?.upperBound ?? durationSeconds
                holds += silentHolds(channel, after: answer, before: before, otherSpeech: otherSpeech, mono: channels.count == 1)
            }
        }
        holds = mergeOverlapping(holds)

        let deadAir = Self.deadAir(speech: speechSpans, holds: holds.map { $0.startSeconds...$0.endSeconds },
                                   minimumSeconds: configuration.deadAirMinimumSeconds)
        return Result(ringing: ringing, holds: holds, deadAir: deadAir, announcements: announcements, connectNoise: connectNoise)
    }

    // MARK: - Tone bursts

    struct Burst: Equatable {
        var start: Double
        var end: Double
        var hz: Double
        var seconds: Double { end - start }
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
            out.append(Burst(start: grid.seconds(ofFrame: f), end: grid.seconds(ofFrame: end), hz: Double(hz[hz.count / 2])))
            f = end
        }
        return out
    }

    // MARK: - Holds

    /// Holds found on both channels (music heard on both legs) are one hold.
    func mergeOverlapping(_ holds: [Hold]) -> [Hold] {
        var out: [Hold] = []
        for h in holds.sorted(by: { $0.startSeconds < $1.startSeconds }) {
            if var last = out.last, h.startSeconds <= last.endSeconds {
                last.endSeconds = max(last.endSeconds, h.endSeconds)
                out[out.count - 1] = last
            } else {
                out.append(h)
            }
        }
        return out
    }
}
