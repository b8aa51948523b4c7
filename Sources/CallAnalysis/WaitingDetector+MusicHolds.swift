import CallDSP

extension WaitingDetector {
    /// Music runs after the answer, joined across short gaps, quiet passages and recorded
    /// announcements. Returns the holds and the announcements' speech segments on this channel.
    /// - Complexity: O(frames + segments): runs and segments are walked in time order.
    func musicHolds(_ channel: Channel, after answer: Double, otherSpeech: [FrameRange] = [], mono: Bool = false)
        -> (holds: [Hold], announcements: [FrameRange])
    {
        let c = configuration
        let grid = channel.features.grid
        let start = min(channel.labels.count, max(0, grid.frame(atSeconds: answer)))
        let mask = channel.labels.indices.map { $0 >= start && channel.labels[$0] == .music }
        let runs = SpeechDetector.runs(of: mask, joiningGapsUpTo: grid.frames(inSeconds: c.holdJoinGapSeconds))
        let shortest = grid.frames(inSeconds: c.minimumMusicHoldSeconds)
        let longestAnnouncement = grid.frames(inSeconds: mono ? c.monoAnnouncementMaximumSeconds : c.announcementMaximumSeconds)
        let musicBefore = mono ? grid.frames(inSeconds: c.monoAnnouncementMusicSeconds) : shortest
        let tight = grid.frames(inSeconds: c.announcementGapSeconds)
        let quietJoin = grid.frames(inSeconds: c.holdQuietGapSeconds)
        var announcements: [FrameRange] = []
        var joined: [FrameRange] = []
        var absorbed = 0  // announcement frames inside the hold being built
        var ownIndex = 0, otherIndex = 0
        for run in runs {
            guard let last = joined.last else { joined.append(run); continue }
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
            // announcements still a minor part of the hold.
            let announcement = !inside.isEmpty && gap <= longestAnnouncement
                && last.count >= musicBefore && run.count >= shortest
                && inside[0].start - last.end <= tight && run.start - inside[inside.count - 1].end <= tight
                && Double(absorbed + spoken) <= c.announcementMaximumShare * Double(run.end - joined[joined.count - 1].start)
            if !answered && (quietPassage || announcement) {
                announcements += inside
                absorbed += spoken
                joined[joined.count - 1] = FrameRange(start: last.start, end: run.end)
            } else {
                joined.append(run)
                absorbed = 0
            }
        }
        let holds = joined
            .map { Hold(kind: .music, startSeconds: grid.seconds(ofFrame: $0.start), endSeconds: grid.seconds(ofFrame: $0.end)) }
            .filter { $0.seconds >= c.minimumMusicHoldSeconds }
        return (holds, announcements)
    }
}
