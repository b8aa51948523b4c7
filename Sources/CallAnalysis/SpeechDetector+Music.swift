import CallDSP
import Foundation

extension SpeechDetector {
    /// Music: sustained spectral peaks and no syllabic dips. The model scores a window around each
    /// frame; the decision is then taken per stretch of sound (frames joined across short gaps), from
    /// the stretch's mean score: an utterance is speech or music as a whole, so one held vowel or
    /// one sung-looking second cannot carve music out of a sentence. Stretches longer than
    /// `musicRegionSeconds` (music straight after speech, long monologues) are split where the
    /// smoothed score crosses the threshold and each piece is judged as a whole.
    func musicFrames(_ features: ChannelFeatures, active: [Bool], tone: [Bool]) -> (music: [Bool], probability: [Float]) {
        let c = configuration
        let n = features.frameCount
        var music = [Bool](repeating: false, count: n)
        guard n > 0 else { return (music, []) }
        let half = features.grid.frames(inSeconds: c.musicWindowSeconds) / 2
        let measures = MusicMeasures(
            features: features, active: active, halfWindow: half,
            smoothingHalfWindow: features.grid.frames(inSeconds: c.musicSmoothingSeconds) / 2)
        let k = MusicMeasures.featureCount
        var probability = [Float](repeating: 0, count: n)
        // The measures are smoothed over seconds: scoring every `stride`-th frame loses nothing.
        let stride = MusicMeasures.stride
        var row = [Float](repeating: 0, count: k)
        row.withUnsafeMutableBufferPointer { r in
            var held: Float = 0
            for f in 0..<n {
                if f % stride == 0 {
                    measures.measures(at: f, into: r)
                    held = c.musicModel.probability(UnsafeBufferPointer(r))
                }
                if active[f] && !tone[f] { probability[f] = held }
            }
        }
        let sound = (0..<n).map { active[$0] && !tone[$0] }
        let gap = features.grid.frames(inSeconds: c.musicRegionGapSeconds)
        let longest = features.grid.frames(inSeconds: c.musicRegionSeconds)
        let shortestPiece = features.grid.frames(inSeconds: c.musicMinimumPieceSeconds)
        // Short stretches stay speech, but a stretch is measured with the sound and tones near it:
        // the last notes of a ringback tune after a held note are still the tune.
        let shortestStretch = features.grid.frames(inSeconds: c.musicMinimumStretchSeconds)
        let stretchGap = features.grid.frames(inSeconds: c.musicStretchJoinSeconds)
        var longEnough = [Bool](repeating: false, count: n)
        for run in Self.runs(of: (0..<n).map { sound[$0] || tone[$0] }, joiningGapsUpTo: stretchGap) where run.count >= shortestStretch {
            for f in run.start..<run.end { longEnough[f] = true }
        }
        for region in Self.runs(of: sound, joiningGapsUpTo: gap) where longEnough[region.start] {
            let threshold = region.count >= shortestStretch ? c.musicProbability : c.musicShortStretchProbability
            var pieces = [region]
            if region.count > longest {
                // Split at threshold crossings, then fold pieces too short to judge into the one before.
                pieces = []
                var start = region.start
                var above = probability[region.start] >= c.musicProbability
                for f in region.start..<region.end where sound[f] && (probability[f] >= c.musicProbability) != above {
                    pieces.append(FrameRange(start: start, end: f)); start = f; above.toggle()
                }
                pieces.append(FrameRange(start: start, end: region.end))
                var folded: [FrameRange] = []
                for p in pieces {
                    if let last = folded.last, p.count < shortestPiece || last.count < shortestPiece {
                        folded[folded.count - 1] = FrameRange(start: last.start, end: p.end)
                    } else {
                        folded.append(p)
                    }
                }
                pieces = folded
            }
            for piece in pieces {
                var sum: Float = 0, count: Float = 0
                for f in piece.start..<piece.end where sound[f] { sum += probability[f]; count += 1 }
                guard count > 0, sum / count >= threshold else { continue }
                for f in piece.start..<piece.end where sound[f] { music[f] = true }
            }
        }
        return (music, probability)
    }
}
