/// The end of a channel's stream, and the second look at its opening.
extension ChannelFeatureExtractor {
    /// Pads the tail and returns the features; one frame per started hop.
    public func finish() -> ChannelFeatures {
        revisitOpening()
        features.humBlocks = hum.blocks
        if hopFill > 0 {
            features.levelSummaries.append(meter.endFrame())
            features.finalHopSampleCount = hopFill
            hopFill = 0
        }
        let wanted = features.levelSummaries.count
        var guardCount = 0
        let zeros = [Float](repeating: 0, count: grid.hopLength)
        while features.bandPowerDB.count < wanted && guardCount < history.count * 4 {
            // Pad with silence through the same path as real samples, without touching the meter.
            zeros.withUnsafeBufferPointer { z in feedWindow(z) }
            guardCount += grid.hopLength
        }
        // Extremely short inputs (shorter than half a window) may leave frames unfilled.
        while features.bandPowerDB.count < wanted { appendEmptyFrame() }
        if features.bandPowerDB.count > wanted {
            let extra = features.bandPowerDB.count - wanted
            features.bandPowerDB.removeLast(extra); features.tonality.removeLast(extra)
            features.dominantHz.removeLast(extra); features.secondHz.removeLast(extra); features.overtoneRatio.removeLast(extra)
            features.flatness.removeLast(extra)
            features.fluxDB.removeLast(extra); features.persistence.removeLast(extra)
            features.divergenceDB.removeLast(extra)
            features.vowelBandDB.removeLast(extra); features.f0Hz.removeLast(extra); features.syllabicDB.removeLast(extra)
            if keepsCepstra { features.cepstra.removeLast(extra * ChannelFeatures.cepstrumCount) }
        }
        features.clippedRunCount = clips.clippedRunCount
        features.clippedSampleCount = clips.clippedSampleCount
        // One value per started step of the frames kept (padding frames may have made more).
        let steps = (features.frameCount + NoteGrid.stepFrames - 1) / NoteGrid.stepFrames
        features.noteGrid = Array(noteGrid.values.prefix(steps))
        features.noteGrid += repeatElement(0, count: steps - features.noteGrid.count)
        return features
    }

    func revisitOpening() {
        guard !opening.isDone else { return }
        // Moved out and back (no copy): two inout borrows of `features` at once are not allowed.
        var divergence = features.divergenceDB, f0 = features.f0Hz
        features.divergenceDB = []; features.f0Hz = []
        let tracker = pitch
        opening.revisit(noise: UnsafeBufferPointer(start: noisePower + bandLow, count: bandHigh - bandLow + 1),
                        divergenceDB: &divergence, f0Hz: &f0) { samples in
            tracker.analyse { frame in for i in 0..<min(frame.count, samples.count) { frame[i] = samples[i] } }.hz
        }
        features.divergenceDB = divergence; features.f0Hz = f0
    }

    fileprivate func appendEmptyFrame() {
        features.bandPowerDB.append(-100); features.tonality.append(0); features.dominantHz.append(0); features.secondHz.append(0); features.overtoneRatio.append(0)
        features.flatness.append(1); features.fluxDB.append(0); features.persistence.append(0)
        features.divergenceDB.append(0); features.vowelBandDB.append(-100); features.f0Hz.append(0)
        features.syllabicDB.append(-100)
        if keepsCepstra { features.cepstra.append(contentsOf: repeatElement(0, count: ChannelFeatures.cepstrumCount)) }
    }
}
