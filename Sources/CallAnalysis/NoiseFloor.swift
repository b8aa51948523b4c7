import CallDSP
import Foundation

/// The line's noise power: the mean power of quiet hops well away from speech, tones and hold
/// music (quiet music far under the party's speech counts: it is background).
enum NoiseFloor {
    /// Where the line is connected: from the answer on, outside holds.
    struct Window {
        var fromFrame = 0
        var excluding: [FrameRange] = []
        /// Whether frame `f` is inside; `holdIndex` walks the sorted holds as `f` rises.
        func contains(_ f: Int, holdIndex: inout Int) -> Bool {
            guard f >= fromFrame else { return false }
            while holdIndex < excluding.count && excluding[holdIndex].end <= f { holdIndex += 1 }
            return !(holdIndex < excluding.count && excluding[holdIndex].start <= f)
        }
    }

    /// - Parameter musicBelowSpeechDB: music at least this far under the party's loud speech
    ///   (`AnalysisConfiguration.lineNoiseMusicBelowSpeechDB`) is background; nil reads none so.
    static func estimate(
        _ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange], within window: Window = .init(),
        musicBelowSpeechDB: Float? = nil
    ) -> Double {
        let n = features.frameCount
        guard n > 0 else { return 0 }
        // Keep quiet frames at least 0.2 s from speech and 1 s from music or tones: decays (and a
        // reverberant hold loop's tail) are not noise.
        let speechGuard = features.grid.frames(inSeconds: 0.2), musicGuard = features.grid.frames(inSeconds: 1)
        func guardFrames(_ label: SpeechDetector.FrameClass) -> Int { label == .speech ? speechGuard : musicGuard }
        // Music far under the party's loud speech and away from any hold is the line's background
        // (street noise swinging into a music-like label, a TV across the room), not a hold: it is
        // noise the listener hears over, so it counts.
        let backgroundCeiling = musicBelowSpeechDB.map { quietMusicCeilingPower(features, labels: labels, speech: speech, belowLoudSpeechDB: $0) } ?? 0
        let awayFromHolds = Window(fromFrame: window.fromFrame, excluding: window.excluding.map {
            FrameRange(start: $0.start - musicGuard, end: $0.end + musicGuard)
        })
        var holdCursor = 0
        let isQuiet = (0..<n).map { f in
            labels[f] == .quiet || (labels[f] == .music && features.hopPower(f) < backgroundCeiling
                                    && awayFromHolds.contains(f, holdIndex: &holdCursor))
        }
        var quiet: [Float] = []
        // First frame ≥ f inside some frame's guard; Int32 (frame indices fit) halves a call-long array.
        var nextBusy = [Int32](repeating: Int32.max / 2, count: n + 1)
        for f in stride(from: n - 1, through: 0, by: -1) {
            nextBusy[f] = isQuiet[f] ? nextBusy[f + 1] : Int32(f - guardFrames(labels[f]))
        }
        var busyUntil = -1
        var holdIndex = 0
        for f in 0..<n {
            if !isQuiet[f] { busyUntil = max(busyUntil, f + guardFrames(labels[f])); continue }
            // A muted line (digital silence on hold) is not the line's noise.
            if f > busyUntil && f < Int(nextBusy[f]) && features.hopPower(f) > 1e-10 && window.contains(f, holdIndex: &holdIndex) {
                quiet.append(features.hopPower(f))
            }
        }
        // Quantiles in dB without sorting an hour of frames.
        if quiet.count < features.grid.frames(inSeconds: 0.5) {
            let all = (0..<n).map { Decibels.fromPower(features.hopPower($0)) }
            return Decibels.toPower(Double(DecibelQuantile.of(all, fraction: 0.1) ?? -160))
        }
        // The mean, not the median: the level meter subtracts the noise's mean power, and for
        // coloured noise in 10 ms hops the median sits a few per cent below the mean. Hops more than
        // 6 dB above the median (a click, a breath, the faint tail of words) are left out.
        let medianPower = Decibels.toPower(Double(DecibelQuantile.of(quiet.map(Decibels.fromPower), fraction: 0.5) ?? -160))
        var sum = 0.0, count = 0
        for p in quiet where Double(p) <= medianPower * 4 { sum += Double(p); count += 1 }
        return count > 0 ? sum / Double(count) : medianPower
    }

    /// The power under which a music frame counts as background: `belowLoudSpeechDB` under the
    /// party's loud speech (the 90th percentile of its speech hops, in its own segments: not the
    /// echo or announcements on its leg); 0 (none) without speech or music.
    static func quietMusicCeilingPower(
        _ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange], belowLoudSpeechDB: Float
    ) -> Float {
        guard labels.contains(.music) else { return 0 }
        var speechDB: [Float] = []
        for r in speech {
            for f in max(0, r.start)..<min(labels.count, features.frameCount, r.end) where labels[f] == .speech {
                speechDB.append(Decibels.fromPower(features.hopPower(f)))
            }
        }
        guard let loudDB = DecibelQuantile.of(speechDB, fraction: 0.9) else { return 0 }
        return Float(Decibels.toPower(Double(loudDB - belowLoudSpeechDB)))
    }
}
