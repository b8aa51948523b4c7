import CallDSP
import Foundation

/// Recorded announcements told by their repetition: a recording played twice has the same level
/// contour to a hair (correlation 0.99 and more on the sets), while a person saying the same words
/// again never does (agents' segments of like length correlate at most 0.65). A hold may be
/// announcements alone ("请稍候" every 12 s over the line), or open with the announcement it
/// repeats inside its music.
extension WaitingDetector {
    /// Whether two speech segments of a channel are one recording: lengths within
    /// `recordingLengthTolerance` (plus 0.3 s), both at least `recordingMinimumSeconds`, and their
    /// band-power contours (their first and last 0.1 s left out, shifted up to ±0.1 s) correlate
    /// at `recordingCorrelation` or more.
    func sameRecording(_ a: FrameRange, _ b: FrameRange, features: ChannelFeatures) -> Bool {
        let c = configuration, grid = features.grid
        let shortest = grid.frames(inSeconds: c.recordingMinimumSeconds)
        let tolerance = grid.frames(inSeconds: 0.3) + Int(c.recordingLengthTolerance * Double(min(a.count, b.count)))
        guard a.count >= shortest, b.count >= shortest, abs(a.count - b.count) <= tolerance,
              max(a.end, b.end) <= features.bandPowerDB.count else { return false }
        let edge = grid.frames(inSeconds: 0.1), shift = grid.frames(inSeconds: 0.1)
        let n = min(a.count, b.count) - 2 * edge - shift
        guard n >= shortest / 2 else { return false }
        let level = features.bandPowerDB
        let x = level[(a.start + edge)..<(a.start + edge + n)]
        let xMean = x.reduce(0, +) / Float(n)
        let xc = x.map { $0 - xMean }
        let xNorm = xc.reduce(0) { $0 + $1 * $1 }
        for lag in -shift...shift where b.start + edge + lag >= b.start && b.start + edge + lag + n <= b.end {
            let y = level[(b.start + edge + lag)..<(b.start + edge + lag + n)]
            let yMean = y.reduce(0, +) / Float(n)
            var xy: Float = 0, yy: Float = 0
            for (i, v) in zip(xc.indices, y) { let d = v - yMean; xy += xc[i] * d; yy += d * d }
            if xy / max(sqrt(xNorm * yy), 1e-9) >= c.recordingCorrelation { return true }
        }
        return false
    }

    /// Holds of a queue's announcements and nothing else, on the leg after the answer. Either one
    /// recording: at least `announcementHoldMinimumRepeats` plays of it at a steady period (within
    /// `announcementRepeatPeriodToleranceSeconds`) of at most `announcementRepeatMaximumSeconds`.
    /// Or different announcements on a timer: at least `announcementTimerMinimumPlays` consecutive
    /// segments starting at a period of `announcementTimerMinimumPeriodSeconds` or more that holds
    /// to `announcementTimerToleranceSeconds` (a timer's, not a talker's: a generator's one clip
    /// reused for a talker's consecutive turns is that regular, but a second apart). Either way each
    /// play is at most `announcementMaximumSeconds` and `announcementRepeatMinimumGapSeconds` after
    /// the last one's end, with nobody on the other leg from the first to the last. Each hold runs
    /// from its first play's start to its last one's end, with its plays.
    func announcementHolds(_ channel: Channel, after answerFrame: Int, otherSpeech: [FrameRange]) -> [(hold: Hold, plays: [FrameRange])] {
        let c = configuration, grid = channel.features.grid
        let longest = grid.frames(inSeconds: c.announcementMaximumSeconds)
        let within = grid.frames(inSeconds: c.announcementRepeatMaximumSeconds)
        let apart = grid.frames(inSeconds: c.announcementRepeatMinimumGapSeconds)
        let steady = grid.frames(inSeconds: c.announcementRepeatPeriodToleranceSeconds)
        let timerPeriods = grid.frames(inSeconds: c.announcementTimerMinimumPeriodSeconds)...within
        let timerTolerance = grid.frames(inSeconds: c.announcementTimerToleranceSeconds)
        let speech = channel.speech.filter { $0.start >= answerFrame }
        let other = otherSpeech.sorted { $0.start < $1.start }
        // Whether the other leg speaks between frames a and b (binary search on starts).
        func answered(_ a: Int, _ b: Int) -> Bool {
            var lo = 0, hi = other.count
            while lo < hi { let mid = (lo + hi) / 2; if other[mid].start < b { lo = mid + 1 } else { hi = mid } }
            return other[..<lo].contains { $0.end > a }
        }
        // Segment j may follow the chain's last play: announcement-long, a gap after it, nobody on
        // the other leg since, and (given) the chain's own rule.
        func follows(_ chain: [Int], _ j: Int) -> Bool {
            let last = speech[chain.last!]
            return speech[j].count <= longest && speech[j].start - last.end >= apart && !answered(last.start, speech[j].end)
        }
        // The same recording again, at the chain's period so far.
        func repeated(from i: Int) -> [Int] {
            var chain = [i]
            for j in (i + 1)..<speech.count {
                let last = speech[chain.last!], period = speech[j].start - last.start
                guard follows(chain, j), period <= within,
                      chain.count < 2 || abs(period - (last.start - speech[chain[chain.count - 2]].start)) <= steady,
                      sameRecording(speech[i], speech[j], features: channel.features) else { break }
                chain.append(j)
            }
            return chain
        }
        // Any announcements, on the first two's period to a timer's precision.
        func timed(from i: Int) -> [Int] {
            guard i + 1 < speech.count, case let period = speech[i + 1].start - speech[i].start, timerPeriods.contains(period) else { return [i] }
            var chain = [i]
            for j in (i + 1)..<speech.count {
                guard follows(chain, j), abs(speech[j].start - speech[chain.last!].start - period) <= timerTolerance else { break }
                chain.append(j)
            }
            return chain
        }
        var out: [(hold: Hold, plays: [FrameRange])] = []
        var i = 0
        while i < speech.count {
            guard speech[i].count <= longest, !answered(speech[i].start, speech[i].end) else { i += 1; continue }
            var chain = repeated(from: i)
            if chain.count < c.announcementHoldMinimumRepeats {
                chain = timed(from: i)
                if chain.count < c.announcementTimerMinimumPlays { i += 1; continue }
            }
            let plays = chain.map { speech[$0] }
            out.append((Hold(kind: .music, startSeconds: grid.seconds(ofFrame: plays[0].start),
                             endSeconds: grid.seconds(ofFrame: plays[plays.count - 1].end)), plays))
            i = chain.last! + 1
        }
        return out
    }

    /// A music hold opened (or closed) by the recording it plays inside: the leg's speech segment
    /// right before it (within `announcementGapSeconds`, nobody on the other leg between) that is
    /// the same recording as an announcement in it is part of the hold; so is one before it in
    /// another voice (`isOtherVoice`: a prompt played once). Returns the holds and the
    /// announcements with those segments.
    func recordedEdges(_ holds: [Hold], announcements: [FrameRange], channel: Channel, otherSpeech: [FrameRange])
        -> (holds: [Hold], announcements: [FrameRange])
    {
        let grid = channel.features.grid
        let gap = grid.frames(inSeconds: configuration.announcementGapSeconds)
        // A recording at a hold's edge is announcement-long, whichever way it is told.
        let longest = grid.frames(inSeconds: configuration.announcementMaximumSeconds)
        var holds = holds, announcements = announcements
        var voices: SegmentVoices?
        // Each music hold's lead: the leg's speech segment right before it, within the gap,
        // announcement-long, nobody on the other leg between.
        let leads: [Int?] = holds.map { hold in
            guard hold.kind == .music else { return nil }
            let start = grid.frame(atSeconds: hold.startSeconds)
            guard let index = channel.speech.lastIndex(where: { $0.end <= start + 1 }) else { return nil }
            let lead = channel.speech[index]
            guard start - lead.end <= gap, lead.count <= longest,
                  !otherSpeech.contains(where: { $0.start < start && $0.end > lead.start }) else { return nil }
            return index
        }
        for h in holds.indices where holds[h].kind == .music {
            let start = grid.frame(atSeconds: holds[h].startSeconds), end = grid.frame(atSeconds: holds[h].endSeconds)
            // A frame of slack: a second converted back to a frame may land one short.
            let inside = announcements.filter { $0.start >= start - 1 && $0.end <= end + 1 }
            if let leadIndex = leads[h], case let lead = channel.speech[leadIndex], !announcements.contains(lead) {
                // The same recording inside the hold, or before another hold (one prompt before
                // every hold of the call), opens it; else a voice other than the leg's talker.
                let otherLeads = leads.indices.compactMap { $0 != h ? leads[$0] : nil }.filter { $0 != leadIndex }
                let repeated = otherLeads.filter { sameRecording(lead, channel.speech[$0], features: channel.features) }
                var opens = !repeated.isEmpty || inside.contains { sameRecording(lead, $0, features: channel.features) }
                if !opens {
                    if voices == nil { voices = SegmentVoices(channel) }
                    opens = isOtherVoice(leadIndex, on: channel, voices: voices!, besides: Set(announcements))
                }
                if opens {
                    holds[h].startSeconds = grid.seconds(ofFrame: lead.start)
                    announcements.append(lead)
                }
            }
            guard !inside.isEmpty else { continue }
            if let tail = channel.speech.first(where: { $0.start >= end - 1 }), tail.start - end <= gap, !announcements.contains(tail),
               !otherSpeech.contains(where: { $0.start < tail.end && $0.end > end }),
               inside.contains(where: { sameRecording(tail, $0, features: channel.features) }) {
                holds[h].endSeconds = grid.seconds(ofFrame: tail.end)
                announcements.append(tail)
            }
        }
        return (holds, Self.inOrder(announcements))
    }

    /// Each speech segment's median F0 on a leg and how many voiced frames it has, made once.
    struct SegmentVoices {
        var medianHz: [Float?]
        var voicedFrames: [Int]
        init(_ channel: Channel) {
            let f0 = channel.features.f0Hz
            medianHz = []; voicedFrames = []
            for r in channel.speech {
                let lo = min(max(0, r.start), f0.count), hi = max(lo, min(f0.count, r.end))
                var v = f0[lo..<hi].filter { $0 > 0 }
                v.sort()
                medianHz.append(v.isEmpty ? nil : v[v.count / 2])
                voicedFrames.append(v.count)
            }
        }
    }

    /// Whether speech segment `index`'s median F0 lies `promptVoiceChangeSemitones` from every
    /// other speech segment's on the leg (announcements aside): a recorded voice, not the leg's
    /// talker.
    func isOtherVoice(_ index: Int, on channel: Channel, voices: SegmentVoices, besides announcements: Set<FrameRange>) -> Bool {
        let c = configuration, grid = channel.features.grid
        let minimumVoicedFrames = grid.frames(inSeconds: c.promptVoiceMinimumVoicedSeconds)
        guard voices.voicedFrames[index] >= grid.frames(inSeconds: c.promptMinimumVoicedSeconds),
              let own = voices.medianHz[index] else { return false }
        var others = 0
        for (i, other) in channel.speech.enumerated() where i != index && voices.voicedFrames[i] >= minimumVoicedFrames {
            guard let hz = voices.medianHz[i], !announcements.contains(other) else { continue }
            if abs(12 * log2f(own / hz)) < c.promptVoiceChangeSemitones { return false }
            others += 1
        }
        return others >= c.promptVoiceMinimumSegments
    }

    /// Segments in time order, each once.
    static func inOrder(_ segments: [FrameRange]) -> [FrameRange] {
        var out: [FrameRange] = []
        for s in segments.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) where out.last != s { out.append(s) }
        return out
    }
}
