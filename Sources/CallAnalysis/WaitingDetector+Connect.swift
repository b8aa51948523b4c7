import CallDSP
import Foundation

/// The line as the call connects: speech that seems to start the moment the
/// ringing stops.
extension WaitingDetector {
    /// For a second or two after the last ring the line's noise can read as sound: the far end's
    /// noise joins the recording at the pickup (on a mono mix, over the noise already there) and
    /// stands above an estimate that rises about 1 dB/s, and noise next to the first words is
    /// labelled with them. On mono calls that was the agent "talking" from the ring's end, up to
    /// 1.9 s before the greeting, which also moved the answer. With the whole call at hand the
    /// connected line's noise is known: on any leg, a speech segment that starts within
    /// `connectTouchSeconds` of the last ring's end (either side) keeps only what stands clear of
    /// that noise (from the first frame `connectClearDB` above it, reaching back while
    /// `connectOnsetDB` above it); one wholly within `connectOnsetDB` of it is dropped.
    /// - Returns: the frames cut from the start of that segment, or nil when nothing is cut.
    /// - Complexity: O(frames in the look-ahead window).
    func noiseAtConnect(_ channel: Channel, ringEnd: Double) -> FrameRange? {
        let c = configuration
        let grid = channel.features.grid
        let level = channel.features.bandPowerDB
        let frames = min(level.count, channel.labels.count)
        let ringEndFrame = grid.frame(atSeconds: ringEnd), touchFrames = grid.frames(inSeconds: c.connectTouchSeconds)
        // Words starting at the ring's end (not over the ring itself: a leg talking through the
        // ringback is judged by the line it had then).
        // (Or starting later with speech labels all the way back to it: the segmenter keeps only
        // the last 0.3 s of a lead far under the words, which this rule then places exactly.)
        guard let segment = channel.speech.first(where: { $0.end > ringEndFrame }), segment.end <= frames,
              abs(segment.start - ringEndFrame) <= touchFrames
                || (segment.start > ringEndFrame && channel.labels[(ringEndFrame + touchFrames)..<segment.start].allSatisfy { $0 == .speech })
        else { return nil }
        // The connected line's noise: the quiet end of its level over the next seconds, words and
        // all (pauses are a fair share of any conversation), tones and digital silence left out.
        var levels: [Float] = []
        for f in max(0, ringEndFrame)..<min(frames, ringEndFrame + grid.frames(inSeconds: c.connectNoiseSeconds))
        where channel.labels[f] != .tone && level[f] >= Float(c.mutedLevelDBov) {
            levels.append(level[f])
        }
        guard levels.count >= grid.frames(inSeconds: 1), let noiseDB = DecibelQuantile.of(levels, fraction: 0.1) else { return nil }
        let onsetDB = noiseDB + Float(c.connectOnsetDB)
        var onset = segment.end
        if let clear = (segment.start..<segment.end).first(where: { level[$0] >= noiseDB + Float(c.connectClearDB) }) {
            onset = clear
            while onset > segment.start && level[onset - 1] >= onsetDB { onset -= 1 }
        } else if (segment.start..<segment.end).contains(where: { level[$0] >= onsetDB }) {
            // Nothing clear of the noise, yet not all of it at the noise: quiet words on a noisy
            // line, left as they are.
            return nil
        }
        guard onset - segment.start >= grid.frames(inSeconds: c.connectMinimumTrimSeconds) else { return nil }
        return FrameRange(start: segment.start, end: onset)
    }
}

extension WaitingDetector.Channel {
    /// This channel with `cut` no longer speech: its speech frames there quiet, its segments cut.
    func removingSpeech(in cut: FrameRange) -> Self {
        var out = self
        for f in cut.start..<min(cut.end, labels.count) where out.labels[f] == .speech { out.labels[f] = .quiet }
        out.speech = speech.compactMap { s in
            guard s.start < cut.end && s.end > cut.start else { return s }
            // A cut at a segment's start leaves its end; one to the end of the call, its start.
            if s.start < cut.start { return FrameRange(start: s.start, end: cut.start) }
            return s.end > cut.end ? FrameRange(start: cut.end, end: s.end) : nil
        }
        return out
    }
}
