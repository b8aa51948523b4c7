import Foundation

/// The analysis window: samples kept in a ring, and at every hop one frame analysed (spectrum and
/// its measures, the note grid's step, the pitch on frames with something above the noise).
extension ChannelFeatureExtractor {
    /// Appends samples to the analysis window, analysing a frame at every hop once it is full.
    /// Copies in runs up to the next frame boundary: no per-sample bookkeeping on the class.
    func feedWindow(_ chunk: UnsafeBufferPointer<Float>) {
        let size = history.count, hop = grid.hopLength
        var index = 0
        while index < chunk.count {
            // Until the window first fills, the next frame is due when it fills; then every hop.
            let untilFrame = primed < size ? size - primed : hop - samplesSinceFrame
            let run = min(chunk.count - index, untilFrame, size - historyWrite)
            let write = historyWrite
            history.withUnsafeMutableBufferPointer { h in
                for i in 0..<run { h[write + i] = chunk[index + i] }
            }
            historyWrite = write + run == size ? 0 : write + run
            index += run
            if primed < size {
                primed += run
                if primed == size { analyseWindow() }
            } else {
                samplesSinceFrame += run
                if samplesSinceFrame == hop { samplesSinceFrame = 0; analyseWindow() }
            }
        }
    }

    private func analyseWindow() {
        let n = history.count
        let start = historyWrite  // oldest sample
        let p = UnsafeMutableBufferPointer(start: power, count: grid.binCount)
        history.withUnsafeBufferPointer { h in
            window.withUnsafeBufferPointer { w in
                fft.powerSpectrum(fillInput: { input in
                    // The ring's oldest part first, then its newest: two straight runs.
                    let head = n - start
                    for i in 0..<head { input[i] = h[start + i] * w[i] }
                    for i in head..<n { input[i] = h[i - head] * w[i] }
                }, into: p)
            }
        }
        computeFeatures()
        let count = features.f0Hz.count
        if count % NoteGrid.stepFrames == 0 {
            // Steady sound in the opening is still being learned as noise and reads as quiet, so
            // there notes are looked for on anything not digitally silent. Later, soft music under
            // a codec's slowly falling noise estimate reads as quiet too, but its spectrum is peaky
            // (flatness ~0.002) where line noise's, whose random peaks make chance notes, is flat (~0.6).
            let inOpening = !opening.isDone && count >= opening.startFrame && count < opening.endFrame
            let audible = features.bandPowerDB[count] >= Self.digitalSilenceDB, peaky = features.flatness[count] < Self.peakySpectrumFlatness
            noteGrid.step(active: features.divergenceDB[count] >= 5 || (audible && (inOpening || peaky)))
        }
        // F0 only where something stands above the noise (pitch of line noise means nothing), and
        // on every other frame: a 20 ms pitch track is plenty for syllables and intonation.
        var hz: Float = 0
        if count % 2 == 1 && features.divergenceDB[count - 1] >= 5 {
            hz = features.f0Hz[count - 1]
        } else if features.divergenceDB.last! >= 5 {
            hz = history.withUnsafeBufferPointer { h in
                pitch.analyse { frame in
                    let head = n - start
                    for i in 0..<head { frame[i] = h[start + i] }
                    for i in head..<n { frame[i] = h[i - head] }
                }.hz
            }
        }
        if !opening.isDone && hz == 0 && count % 2 == 0 {
            opening.keepUnpitched(frame: count, samples: Array(history[start..<n]) + Array(history[0..<start]))
        }
        features.f0Hz.append(hz)
    }
}
