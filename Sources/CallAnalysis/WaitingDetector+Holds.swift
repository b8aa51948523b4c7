import CallDSP
import Foundation

/// The three kinds of hold: music (with its announcements), beeps and a muted line.
extension WaitingDetector {
    /// Music runs after the answer, joined across short gaps, quiet passages and recorded
    /// announcements. Returns the holds and the announcements' speech segments on this channel.
    /// - Complexity: O(frames + segments): runs and segments are walked in time order.
    /// - Parameter customerLeg: the leg is the customer's on a two-leg call: its music is held to
    ///   `customerLegHoldMusicMinimumDBov` and `customerLegHoldMaximumOtherSpeechShare` (see there).
    func musicHolds(_ channel: Channel, after answer: Double, otherSpeech: [FrameRange] = [], mono: Bool = false,
                    customerLeg: Bool = false) -> (holds: [Hold], announcements: [FrameRange])
    {
        let c = configuration
        let grid = channel.features.grid
        let start = min(channel.labels.count, max(0, grid.frame(atSeconds: answer)))
        let mask = channel.labels.indices.map { $0 >= start && channel.labels[$0] == .music }
        // A lone frame or two of music (a note's edge beside an announcement) is no run of its own:
        // taken as one, it stood between an announcement and the music after it, which then
        // never counted as the hold going on.
        let shortestRun = grid.frames(inSeconds: c.minimumMusicRunSeconds)
        let runs = SpeechDetector.runs(of: mask, joiningGapsUpTo: grid.frames(inSeconds: c.holdJoinGapSeconds))
            .filter { run in
                run.count >= shortestRun
                    && Double(mask[run.start..<run.end].lazy.filter { $0 }.count) >= c.minimumMusicRunDensity * Double(run.count)
                    && isAudibleMusic(run, mask: mask, features: channel.features,
                                      minimumDBov: customerLeg ? c.customerLegHoldMusicMinimumDBov : c.holdMusicMinimumDBov)
            }
        let shortest = grid.frames(inSeconds: c.minimumMusicHoldSeconds)
        let longestAnnouncement = grid.frames(inSeconds: mono ? c.monoAnnouncementMaximumSeconds : c.announcementMaximumSeconds)
        let musicBefore = grid.frames(inSeconds: mono ? c.monoAnnouncementMusicSeconds : c.announcementMusicSeconds)
        let tight = grid.frames(inSeconds: c.announcementGapSeconds)
        let longestUnsettled = grid.frames(inSeconds: c.unsettledMusicMaximumSeconds)
        let plainSpeech = grid.frames(inSeconds: c.unsettledSpeechMaximumSeconds)
        let quietJoin = grid.frames(inSeconds: c.holdQuietGapSeconds)
        // The music from each run on, across quiet passages (nobody speaks on either leg, and the
        // music is back within `quietJoin`): through a codec, music after an announcement may come
        // in short runs with quiet between them, and it is that music, not its first run, that
        // must be long.
        var musicFrom = runs.map(\.count)
        var ownCursor = 0, otherGapCursor = 0
        func spokenBetween(_ a: Int, _ b: Int, _ speech: [FrameRange], _ cursor: inout Int) -> Bool {
            while cursor < speech.count && speech[cursor].end <= a { cursor += 1 }
            return cursor < speech.count && speech[cursor].start < b
        }
        let quietGapAfter = runs.indices.dropLast().map { i in
            let a = runs[i].end, b = runs[i + 1].start
            // Both checks run, so both cursors move on.
            let own = spokenBetween(a, b, channel.speech, &ownCursor), other = spokenBetween(a, b, otherSpeech, &otherGapCursor)
            return !own && !other && b - a <= quietJoin
        }
        for i in runs.indices.reversed() where i + 1 < runs.count && quietGapAfter[i] { musicFrom[i] += musicFrom[i + 1] }
        var announcements: [FrameRange] = []
        var joined: [FrameRange] = []
        var inner: [[FrameRange]] = []  // each joined run's announcements
        var absorbed = 0  // announcement frames inside the hold being built
        var ownIndex = 0, otherIndex = 0
        for (index, run) in runs.enumerated() {
            guard let last = joined.last else { joined.append(run); inner.append([]); continue }
            // This leg's speech in the gap, and whether the other leg spoke in it.
            while ownIndex < channel.speech.count && channel.speech[ownIndex].end <= last.end - 1 { ownIndex += 1 }
            var inside: [FrameRange] = []
            var k = ownIndex
            while k < channel.speech.count && channel.speech[k].start < run.start {
                if channel.speech[k].start >= last.end - 1 && channel.speech[k].end <= run.start + 1 { inside.append(channel.speech[k]) }
                k += 1
            }
            while otherIndex < otherSpeech.count && otherSpeech[otherIndex].end <= last.end { otherIndex += 1 }
            let answered = otherIndex < otherSpeech.count && otherSpeech[otherIndex].start < run.start
            let gap = run.start - last.end
            let spoken = inside.reduce(0) { $0 + $1.count }
            // A quiet passage: nobody speaks and the music comes back soon.
            let quietPassage = inside.isEmpty && gap <= quietJoin
            // An announcement: short speech tight against music long enough on both sides, and
            // announcements still a minor part of the hold. After it the music may take a quiet
            // passage's time to come back (a loop's fading last note, then its restart).
            let announcement = !inside.isEmpty && gap <= longestAnnouncement
                && last.count >= musicBefore && musicFrom[index] >= shortest
                && inside[0].start - last.end <= tight && run.start - inside[inside.count - 1].end <= max(tight, quietJoin)
                && Double(absorbed + spoken) <= c.announcementMaximumShare * Double(run.end - joined[joined.count - 1].start)
            let unsettled = !answered && !inside.isEmpty && gap > longestAnnouncement && gap <= longestUnsettled
                && last.count >= musicBefore && musicFrom[index] >= shortest
                && inside[0].start - last.end <= tight && run.start - inside[inside.count - 1].end <= tight
                && unsettledMusic(inside, on: channel, plainSpeechUpTo: plainSpeech)
            if !answered && (quietPassage || announcement || unsettled) {
                // Kept with the hold only: music the other party talks through is no hold, and its
                // "announcements" are that leg's party speaking (a customer over their TV).
                inner[joined.count - 1] += inside
                absorbed += unsettled ? 0 : spoken
                joined[joined.count - 1] = FrameRange(start: last.start, end: run.end)
            } else {
                joined.append(run)
                inner.append([])
                absorbed = 0
            }
        }
        // The hold's tail: music the model leaned to but could not settle, right after the last run
        // and before the agent is back (a hold's soft last bars read as speech ended it early).
        // Only after a hold's worth of music, at most an announcement's length, and kept only if
        // the hold is.
        let tailProbability = Float(c.holdTailMusicProbability)
        var tails = [[FrameRange]](repeating: [], count: joined.count)
        var tailCursor = 0, otherTailCursor = 0
        for i in joined.indices where joined[i].count >= shortest {
            var end = joined[i].end
            let nextStart = i + 1 < joined.count ? joined[i + 1].start : Int.max
            while tailCursor < channel.speech.count && channel.speech[tailCursor].start < end { tailCursor += 1 }
            while tailCursor < channel.speech.count {
                let s = channel.speech[tailCursor]
                guard s.start - end <= tight, s.end <= nextStart, s.end - joined[i].end <= longestAnnouncement,
                      !spokenBetween(end, s.end, otherSpeech, &otherTailCursor),
                      meanMusicProbability(s, on: channel).map({ $0 >= tailProbability }) ?? false else { break }
                tails[i].append(s)
                end = s.end
                tailCursor += 1
            }
            joined[i] = FrameRange(start: joined[i].start, end: end)
        }
        // While the other party talks through most of it, music on this leg is not a hold: the
        // customer on hold hears music and says nothing, and the agent is away. (A lossy codec's
        // stereo coding leaves stray "music" on a quiet leg while the other talks.)
        var otherCursor = 0
        var holds: [Hold] = []
        for (i, run) in joined.enumerated() {
            while otherCursor < otherSpeech.count && otherSpeech[otherCursor].end <= run.start { otherCursor += 1 }
            var overlap = 0, k = otherCursor
            while k < otherSpeech.count && otherSpeech[k].start < run.end {
                overlap += min(run.end, otherSpeech[k].end) - max(run.start, otherSpeech[k].start)
                k += 1
            }
            let hold = Hold(kind: .music, startSeconds: grid.seconds(ofFrame: run.start), endSeconds: grid.seconds(ofFrame: run.end))
            let share = customerLeg ? c.customerLegHoldMaximumOtherSpeechShare : c.holdMaximumOtherSpeechShare
            guard Double(overlap) < share * Double(run.count), hold.seconds >= c.minimumMusicHoldSeconds else { continue }
            holds.append(hold)
            announcements += inner[i] + tails[i]
        }
        return (holds, announcements)
    }

    /// Whether `segments` are music the frame model leaned to: their speech frames' mean music
    /// probability is high enough, and those among them that are plainly speech (a prompt) add up
    /// to at most `limit` frames. False when the probabilities are unknown.
    private func unsettledMusic(_ segments: [FrameRange], on channel: Channel, plainSpeechUpTo limit: Int) -> Bool {
        guard channel.musicProbability.count == channel.labels.count else { return false }
        let c = configuration
        var total: Float = 0, frames = 0, plain = 0
        for segment in segments {
            let (sum, count) = speechMusicProbability(segment, on: channel)
            total += sum; frames += count
            if sum < Float(c.plainSpeechMusicProbability) * Float(count) { plain += segment.count }
        }
        return frames > 0 && total >= Float(c.unsettledMusicProbability) * Float(frames) && plain <= limit
    }

    /// The sum of a segment's speech frames' music probabilities, and how many there are (the
    /// probabilities must be known).
    private func speechMusicProbability(_ segment: FrameRange, on channel: Channel) -> (sum: Float, count: Int) {
        var sum: Float = 0, count = 0
        for f in segment.start..<min(segment.end, channel.labels.count) where channel.labels[f] == .speech {
            sum += channel.musicProbability[f]; count += 1
        }
        return (sum, count)
    }

    /// Whether a run's music frames are loud enough to be music played to the caller (median band
    /// power at least `holdMusicMinimumDBov`): a low-bitrate codec's line noise, flickering above
    /// an estimate that sits in its spectral holes, can score as music at -60 dBov.
    func isAudibleMusic(_ run: FrameRange, mask: [Bool], features: ChannelFeatures, minimumDBov: Float) -> Bool {
        // Labels made without the features' levels (a detector's unit test): nothing to judge by.
        guard run.end <= features.bandPowerDB.count else { return true }
        let levels = (run.start..<run.end).filter { mask[$0] }.map { features.bandPowerDB[$0] }
        return (DecibelQuantile.of(levels, fraction: 0.5) ?? -200) >= minimumDBov
    }

    /// The mean music probability of a segment's speech frames; nil when unknown or none.
    private func meanMusicProbability(_ segment: FrameRange, on channel: Channel) -> Float? {
        guard channel.musicProbability.count == channel.labels.count else { return nil }
        let (sum, count) = speechMusicProbability(segment, on: channel)
        return count > 0 ? sum / Float(count) : nil
    }

    /// A muted line: the agent's leg falls well below the noise the line carries in the pauses of
    /// the conversation, and stays there. A pause keeps the line's noise; a mute removes it (the whole
    /// channel on stereo, the agent leg's share of the mix on mono), whether it leaves exact zeros or,
    /// after a gain stage, dither or a codec, a faint residue.
    /// - Complexity: O(frames).
    func silentHolds(_ channel: Channel, after answer: Double, before end: Double, otherSpeech: [FrameRange] = [], mono: Bool = false) -> [Hold] {
        let c = configuration
        let features = channel.features
        let grid = features.grid
        let n = features.frameCount
        guard n > 0 else { return [] }
        // Speech-band power: a codec's idle pattern (GSM's hum of DC and low tones) is not noise.
        let levels = features.bandPowerDB
        guard let floorDB = conversationNoiseFloor(channel) else { return [] }
        let fallDB = Float(mono ? c.monoMutedBelowNoiseDB : c.mutedBelowNoiseDB)
        let mutedDB = floorDB - fallDB, keepDB = floorDB - fallDB * Float(c.mutedHoldKeepShare)
        // A 0.3 s running mean in dB: steady enough that noise does not flicker across the threshold.
        let half = grid.frames(inSeconds: 0.15)
        var prefix = [Double](repeating: 0, count: n + 1)
        for f in 0..<n { prefix[f + 1] = prefix[f] + Double(levels[f]) }
        let lo = max(0, grid.frame(atSeconds: answer)), hi = min(n, grid.frame(atSeconds: end))
        guard lo < hi else { return [] }
        // Frames quiet and below the keep threshold, and (`muted`) those below the full one.
        var muted = [Bool](repeating: false, count: n)
        let mask = (0..<n).map { f -> Bool in
            guard f >= lo && f < hi && channel.labels[f] == .quiet else { return false }
            let a = max(0, f - half), b = min(n, f + half + 1)
            let meanDB = Float((prefix[b] - prefix[a]) / Double(b - a))
            muted[f] = meanDB < mutedDB
            return meanDB < keepDB
        }
        // A customer talking all through it is not on hold: a noise suppressor on the agent's
        // headset can dip the line while the agent only listens.
        func otherTalks(_ run: FrameRange) -> Bool {
            let overlap = otherSpeech.reduce(0) { $0 + max(0, min($1.end, run.end) - max($1.start, run.start)) }
            return overlap * 2 > run.count
        }
        // A stretch mostly muted is one hold; otherwise only its muted parts are holds.
        let join = grid.frames(inSeconds: 0.3)
        return SpeechDetector.runs(of: mask, joiningGapsUpTo: join)
            .flatMap { run -> [FrameRange] in
                if 2 * muted[run.start..<run.end].lazy.filter({ $0 }).count >= run.count { return [run] }
                return SpeechDetector.runs(of: Array(muted[run.start..<run.end]), joiningGapsUpTo: join)
                    .map { FrameRange(start: run.start + $0.start, end: run.start + $0.end) }
            }
            .filter { !otherTalks($0) }
            .map { Hold(kind: .silence, startSeconds: grid.seconds(ofFrame: $0.start), endSeconds: grid.seconds(ofFrame: $0.end)) }
            .filter { $0.seconds >= c.minimumSilentHoldSeconds }
    }

    /// The median speech-band level of the pauses within `conversationPauseSeconds` of this
    /// channel's speech: the noise the line carries while the parties talk (a long hold does not
    /// pull it down). Nil when those pauses are mostly digital silence: a line that is silent
    /// whenever nobody talks (a clean recording, a codec that suppresses silence) cannot show a
    /// mute, so its silences are dead air.
    func conversationNoiseFloor(_ channel: Channel) -> Float? {
        let c = configuration
        let grid = channel.features.grid
        let n = channel.labels.count
        let reach = grid.frames(inSeconds: c.conversationPauseSeconds)
        var near = [Bool](repeating: false, count: n)
        for r in channel.speech {
            for f in max(0, r.start - reach)..<min(n, r.end + reach) { near[f] = true }
        }
        let pauses = (0..<n).filter { near[$0] && channel.labels[$0] == .quiet }.map { channel.features.bandPowerDB[$0] }
        let live = pauses.filter { Double($0) >= c.mutedLevelDBov }
        guard live.count >= grid.frames(inSeconds: 1), live.count * 2 >= pauses.count else { return nil }
        return DecibelQuantile.of(live, fraction: 0.5)
    }

    /// Dead air: between the first and last speech, stretches of at least `minimumSeconds` where
    /// nobody speaks and nothing plays. `speech` sorted by start.
    static func deadAir(speech: [ClosedRange<Double>], holds: [ClosedRange<Double>], minimumSeconds: Double) -> [ClosedRange<Double>] {
        guard let first = speech.first?.lowerBound, let last = speech.map(\.upperBound).max() else { return [] }
        var out: [ClosedRange<Double>] = []
        let busy = (speech + holds).sorted { $0.lowerBound < $1.lowerBound }
        var covered = first
        for span in busy where span.lowerBound < last {
            if span.lowerBound - covered >= minimumSeconds { out.append(covered...span.lowerBound) }
            covered = max(covered, span.upperBound)
        }
        return out
    }
}
