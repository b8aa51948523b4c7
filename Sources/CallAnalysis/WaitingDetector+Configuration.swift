import Foundation

/// Every threshold of the waiting detector, with its unit in its name (shipped in
/// Models/detectors.json; `callqa defaults` prints them).
extension WaitingDetector {
    public struct Configuration: Codable, Sendable, Equatable {
        /// A burst matches a plan when its frequency is this close to one of the plan's tones ...
        public var ringFrequencyToleranceHz: Double = 12
        /// ... its length this close to the plan's on-time (0.4 s UK bursts: see below) ...
        public var ringOnToleranceSeconds: Double = 0.3
        /// ... tighter for the UK's short double bursts, so a 0.5 s busy tone is not a ring ...
        public var shortBurstToleranceSeconds: Double = 0.12
        /// ... and rings start this close to one cadence period apart.
        public var ringPeriodToleranceSeconds: Double = 0.6
        /// A swung plan's burst (Japan) changes level by at least this much from frame to frame
        /// (median; about 5 dB for 90% at 16 Hz, under 0.5 dB for a steady tone).
        public var ringSwingMinimumDB: Double = 2
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
        /// A run's music is at least this loud (median speech-band power of a run's music frames, dBov):
        /// the quietest of 77 real holds and coloured ring-back tones in the evaluation sets is at
        /// -34.5; a Vorbis line's noise read as music sat at -61.
        public var holdMusicMinimumDBov: Float = -55
        /// Hold music is played to the customer, so it is on the agent's leg (40 of 40 music holds
        /// in the sets' truth). On the customer's leg music is mostly their surroundings (a TV) or
        /// a codec's noise (-51 dBov), so there a hold needs music at least this loud (the
        /// quietest real hold is -34.5 dBov) and the agent's leg speaking through at most this
        /// share of it: only where the agent's side is wrong is hold music on that leg.
        public var customerLegHoldMusicMinimumDBov: Float = -45
        public var customerLegHoldMaximumOtherSpeechShare: Double = 0.1
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
        /// ... and, on a mono call (no other leg to hear a reply on), no longer than this, after
        /// at least this much music. (Once stricter, they split holds whose first prompt came early
        /// or ran long: docs/measurements.md.)
        public var monoAnnouncementMaximumSeconds: Double = 15
        public var monoAnnouncementMusicSeconds: Double = 2
        /// One recording played twice: speech segments of at least this length, lengths within
        /// this share (and 0.3 s) of each other, whose band-power contours correlate at this or
        /// more (repeats of a recording 0.99+; a person's segments of like length at most 0.65) ...
        public var recordingMinimumSeconds: Double = 1.5
        public var recordingLengthTolerance: Double = 0.1
        public var recordingCorrelation: Float = 0.9
        /// A hold's opening prompt played once ("请稍候，您的电话正在接通", then music) is told by
        /// its voice: a speech segment right before a music hold (as for a recorded edge) whose
        /// median F0 lies at least this many semitones from that of every other speech segment on
        /// the leg (at least `promptVoiceMinimumSegments` of them, each with
        /// `promptVoiceMinimumVoicedSeconds` of F0) is the hold's. A talker's segments sit within
        /// 2 semitones of some other segment of theirs on every call of the sets; prompts
        /// 3-15 semitones off (a recorded voice, not the agent's). The prompt itself needs
        /// `promptMinimumVoicedSeconds` of F0: a real talker's one-second "好的" can sit 8
        /// semitones over the rest of their words.
        public var promptVoiceChangeSemitones: Float = 3
        public var promptVoiceMinimumSegments = 3
        public var promptVoiceMinimumVoicedSeconds: Double = 0.3
        public var promptMinimumVoicedSeconds: Double = 1
        /// ... played this many times on the agent's leg (each play at most
        /// `announcementMaximumSeconds` long), each within this long of the last's start, this
        /// long after its end and at a period steady to this (a queue repeats its announcement
        /// every 10-60 s, by a timer; a generated call that reuses one clip for a talker's
        /// consecutive turns leaves a second between them), nobody else speaking between, is a
        /// hold of announcements alone.
        public var announcementHoldMinimumRepeats = 3
        public var announcementRepeatMaximumSeconds: Double = 40
        public var announcementRepeatMinimumGapSeconds: Double = 4
        public var announcementRepeatPeriodToleranceSeconds: Double = 1.5
        /// Different announcements at a timer's period: at least this many, at least this far
        /// apart (start to start), every period within this of the first.
        public var announcementTimerMinimumPlays = 4
        public var announcementTimerMinimumPeriodSeconds: Double = 10
        public var announcementTimerToleranceSeconds: Double = 0.3
        /// Longer "speech" between two stretches of hold music, up to this long, tight against
        /// both, with nobody on the other leg, is music the frame model could not settle (a jazz
        /// trio's drums and walking bass under line noise) when its speech frames' mean music
        /// probability is at least `unsettledMusicProbability` (such stretches 0.24-0.37; real
        /// speech of 8 s and more averages under 0.03 on every evaluation set) and its segments
        /// that are plainly speech (mean under `plainSpeechMusicProbability`: a prompt) add up to
        /// at most `unsettledSpeechMaximumSeconds`.
        public var unsettledMusicMaximumSeconds: Double = 60
        public var unsettledMusicProbability: Double = 0.15
        public var plainSpeechMusicProbability: Double = 0.05
        public var unsettledSpeechMaximumSeconds: Double = 8
        /// Speech segments that follow a hold's music within `announcementGapSeconds`, with nobody on
        /// the other leg, whose speech frames' mean music probability is at least this, are the
        /// hold's last bars (real speech segments average under 0.05; speech just after music,
        /// scored with the music in its window, rarely reaches this): only after a hold's worth of
        /// music, and up to an announcement's length after it.
        public var holdTailMusicProbability: Double = 0.3
        /// A lone ring cut short with music on its leg through two thirds of this long after it is a
        /// note of the music.
        public var musicAfterLoneRingSeconds: Double = 3
        /// Speech on one leg only (or on a mono call), at least this much of it, over by this long
        /// after the recording's start, then at least this many rings on that leg before anyone
        /// speaks, is an IVR's greeting before the agent's phone rang ...
        public var ivrPromptMinimumSeconds: Double = 1.5
        public var ivrPromptLatestEndSeconds: Double = 30
        public var ivrPromptMinimumRings = 2
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
        /// Beeps repeating at most this often (busy 0.7–1 s, reorder 0.5 s; hold beeps come every
        /// few seconds), on for this share of their period (busy and reorder tones are on about
        /// half of it; the tone labeller pads a burst by a frame or two) and at these frequencies
        /// (call-progress tones are 400–620 Hz; hold beeps are often 1 kHz) ...
        public var disconnectToneMaximumPeriodSeconds: Double = 1.2
        public var disconnectToneDutyRange: ClosedRange<Double> = 0.3...0.7
        public var disconnectToneHzRange: ClosedRange<Double> = 350...650
        /// ... from after the last words until the recording ends, within a period and this much
        /// (a recorder may stop a little after the tone, or the tone a little before the file's
        /// end), are the disconnect tone of the side that hung up, not a hold.
        public var disconnectToneEndReachSeconds: Double = 1.5
        /// Speech shorter than this after the tone starts (its last burst cut by the recording's
        /// end) is the tone, not words: the shortest word is longer.
        public var disconnectToneWordSeconds: Double = 0.3
        /// On both legs, the tone names the side only where it is this much louder (the other leg
        /// hears it as crosstalk or echo); else the side is left unknown.
        public var disconnectToneLouderDB: Float = 10
        /// Without a tone, the side that hung up is the leg that falls silent first: from this
        /// long after the last words (their decay) ...
        public var legEndAfterWordsSeconds: Double = 0.3
        /// ... this far under its median level of the second before, until the recording ends
        /// (at least this long) ...
        public var legEndDropDB: Float = 8
        public var legEndReferenceSeconds: Double = 1
        public var legEndMinimumSeconds: Double = 0.1
        /// ... and not within this of the other leg (both cut at once: the recorder stopping).
        public var legEndSimultaneousSeconds: Double = 0.1
        /// A leg whose pauses in this long before the last words were digital silence carried no
        /// line to lose (a clean or muted leg): it tells nothing.
        public var legEndPausesSeconds: Double = 10
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
        /// Keypad tones up to this far apart are one stretch of keying (people key a few digits a
        /// second, pausing between groups).
        public var keypadJoinSeconds: Double = 1.5
        /// Keys on both legs at once are the louder leg's, heard on the other this far under it (an echo).
        public var keypadEchoBelowDB: Float = 10
        /// ... flagged from this long (R8) ...
        public var deadAirFlagSeconds: Double = 10
        /// ... and failed from this long.
        public var deadAirFailSeconds: Double = 60

        public init() {}
    }
}
