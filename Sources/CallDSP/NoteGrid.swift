import Foundation

/// Positive evidence of music from its tuning: tonal music plays the notes of one scale (12-tone
/// equal temperament), so the steady spectral peaks of the last few seconds sit on one semitone
/// grid, whatever the reference pitch. A voice's harmonics glide and its F0 is not quantised, so
/// its peaks fall anywhere between grid lines. Studied on the real recordings with
/// scripts/study_note_grid.py (no speech window reaches 1; see docs/measurements.md).
///
/// Every `stepFrames` frames: a Hann-windowed FFT of the last ~128 ms (7.8 Hz bins at 8 and 16 kHz,
/// fine enough to place a 100 Hz note within a tenth of a semitone; the transform is rounded up to a
/// 2^a·5^b size, so 133–145 ms at 11–48 kHz), peaks between 100 and 2000 Hz within 25 dB of the
/// strongest, joined into tracks whose next peak lies within 0.12 semitone of the last (so a track
/// may drift slowly); a track of two steps or more is a note. Then, over the notes that started in the last 3 s:
/// coherence = |Σ d·e^{2πi·s}|² / Σ d² (d a note's duration, s its pitch in semitones: near the
/// note count when every note's fractional semitone agrees) and the share of the band's energy in
/// notes within 0.2 semitone of the common grid. The evidence is the smaller of the two, each
/// scaled so that 1 is music. Runs only on active frames and on quiet ones whose spectrum is peaky
/// (nothing to tune on line noise), and in the opening on every frame that is not digitally silent
/// (there a steady sound still reads as quiet): line noise, hum or a ring-back tone there give
/// evidence well under 1 (`NoteGridTests`).
/// Not Sendable: it owns an FFT; one per channel extractor.
final class NoteGrid {
    static let stepFrames = 8
    static let windowSeconds = 0.128
    static let lowHz = 100.0, highHz = 2000.0
    static let peakRangeDB: Float = 25
    static let peakRangeRatio = powf(10, -peakRangeDB / 10)
    static let trackToleranceSemitones: Float = 0.12
    static let minimumNoteSteps = 2
    static let lookBackSeconds = 3.0
    static let coherenceAtOne: Float = 15
    static let onGridShareAtOne: Float = 0.2
    static let onGridSemitones: Float = 0.2
    static let minimumNotes = 3

    private struct Track {
        var startStep: Int, lastStep: Int
        var lastPitch: Float, pitchSum: Float, pitchCount: Float
        var energy: Float
        /// Where the note's pitch falls within its semitone, as a unit vector (set when it ends).
        var cosine: Float = 0, sine: Float = 0
        var steps: Int { lastStep - startStep + 1 }
        var pitch: Float { pitchSum / pitchCount }
        mutating func placeOnCircle() {
            let angle = 2 * Float.pi * pitch
            cosine = cosf(angle); sine = sinf(angle)
        }
    }

    private let fft: RealFFT
    private let window: [Float]
    private var ring: [Float]
    private var write = 0
    private var power: [Float]
    private let lowBin: Int, highBin: Int  // peaks are sought strictly inside lowBin..<highBin
    private let binHz: Float
    /// Notes that start this many steps before the current one or earlier no longer count.
    private let lookBackSteps: Int
    private var energyRing: [Float]
    private var step = 0
    private var tracks: [Track] = []
    private var nextTracks: [Track] = []
    private var notes: [Track] = []
    private var peaks: [(pitch: Float, power: Float)] = []
    private var used: [Bool] = []
    /// The evidence after each step (one value per `stepFrames` frames).
    private(set) var values: [Float] = []

    init(sampleRateHz: Double, hopSeconds: Double, planner: FFTPlanner) {
        let size = PitchTracker.transformSize(atLeast: Int((sampleRateHz * Self.windowSeconds).rounded()))
        fft = RealFFT(size: size, planner: planner)
        window = (0..<size).map { 0.5 - 0.5 * cosf(2 * .pi * Float($0) / Float(size)) }
        ring = [Float](repeating: 0, count: size)
        power = [Float](repeating: 0, count: size / 2 + 1)
        binHz = Float(sampleRateHz / Double(size))
        lowBin = Int(Self.lowHz / Double(binHz))
        highBin = min(size / 2, Int(Self.highHz / Double(binHz)) + 1)
        let stepSeconds = hopSeconds * Double(Self.stepFrames)
        lookBackSteps = Int((Self.lookBackSeconds / stepSeconds).rounded(.down))
        energyRing = [Float](repeating: 0, count: lookBackSteps + 1)
    }

    /// The next samples of the channel (kept for the next step's window).
    func append(_ samples: UnsafeBufferPointer<Float>) {
        let n = ring.count
        var index = 0
        ring.withUnsafeMutableBufferPointer { r in
            while index < samples.count {
                let run = min(samples.count - index, n - write)
                for i in 0..<run { r[write + i] = samples[index + i] }
                write = write + run == n ? 0 : write + run
                index += run
            }
        }
    }

    /// One step, at frame `stepFrames · step`: measure the window if the frame is active, follow
    /// the notes, and record the evidence.
    func step(active: Bool) {
        peaks.removeAll(keepingCapacity: true)
        var bandEnergy: Float = 0
        if active { bandEnergy = findPeaks() }
        follow()
        energyRing[step % energyRing.count] = bandEnergy
        values.append(evidence())
        step += 1
    }

    /// Peaks of the window's spectrum; returns the band's energy.
    private func findPeaks() -> Float {
        let n = ring.count, start = write
        ring.withUnsafeBufferPointer { r in
            window.withUnsafeBufferPointer { w in
                power.withUnsafeMutableBufferPointer { p in
                    fft.powerSpectrum(fillInput: { input in
                        let head = n - start  // oldest samples first
                        for i in 0..<head { input[i] = r[start + i] * w[i] }
                        for i in head..<n { input[i] = r[i - head] * w[i] }
                    }, into: p, bins: self.highBin + 1)
                }
            }
        }
        // Plain pointers and a local peak list: class properties read in a loop pay for
        // exclusivity checks on every access.
        var energy: Float = 0, loudest: Float = 0
        var found = peaks
        peaks = []
        let (lowBin, highBin, binHz) = (self.lowBin, self.highBin, self.binHz)
        power.withUnsafeBufferPointer { p in
            // Peaks are found on powers (the comparisons of their logs, without the logs).
            let band = UnsafeBufferPointer(rebasing: p[lowBin..<highBin])
            energy = sum4(band)
            loudest = max(0, band.max() ?? 0)
            let floorPower = (loudest + 1e-10) * Self.peakRangeRatio - 1e-10
            guard lowBin + 1 < highBin - 1 else { return }
            // The level test first: most bins are far under the loudest, so it is the one that
            // predicts well (the neighbour tests are a coin toss in noise).
            for j in (lowBin + 1)..<(highBin - 1) where p[j] > floorPower && p[j] > p[j - 1] && p[j] >= p[j + 1] {
                // The fast log's error (hundredths of a dB) moves the parabola's top by thousandths of a bin.
                let a = Decibels.fastPowerToDB(p[j - 1] + 1e-10), b = Decibels.fastPowerToDB(p[j] + 1e-10)
                let g = Decibels.fastPowerToDB(p[j + 1] + 1e-10)
                let curvature = a - 2 * b + g
                let offset = curvature < 0 ? max(-0.5, min(0.5, 0.5 * (a - g) / curvature)) : 0
                let hz = (Float(j) + offset) * binHz
                found.append((12 * log2f(hz / 440), p[j] + 1e-10))
            }
        }
        peaks = found
        return energy
    }

    /// Extends each track by the nearest peak within the tolerance (a peak serves one track);
    /// a track that finds none ends, and is kept as a note if it lasted long enough.
    private func follow() {
        let peaks = self.peaks
        var used = self.used, next = nextTracks, ended = notes
        self.used = []; nextTracks = []; notes = []
        used.removeAll(keepingCapacity: true)
        used.append(contentsOf: repeatElement(false, count: peaks.count))
        next.removeAll(keepingCapacity: true)
        for var track in tracks {
            // Peaks come in rising pitch: the nearest is one of the two either side of the track.
            // Bisection by selects, not branches: each halving's way is a coin toss.
            var lo = 0, hi = peaks.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let below = peaks[mid].pitch < track.lastPitch
                lo = below ? mid + 1 : lo
                hi = below ? hi : mid
            }
            var nearest = -1, distance = Float.greatestFiniteMagnitude
            for q in max(0, lo - 1)..<min(peaks.count, lo + 1) where abs(peaks[q].pitch - track.lastPitch) < distance {
                nearest = q; distance = abs(peaks[q].pitch - track.lastPitch)
            }
            if nearest >= 0 && distance < Self.trackToleranceSemitones && !used[nearest] {
                used[nearest] = true
                track.lastStep = step; track.lastPitch = peaks[nearest].pitch
                track.pitchSum += peaks[nearest].pitch; track.pitchCount += 1
                track.energy += peaks[nearest].power
                next.append(track)
            } else if track.steps >= Self.minimumNoteSteps {
                track.placeOnCircle()
                ended.append(track)
            }
        }
        for (q, peak) in peaks.enumerated() where !used[q] {
            next.append(Track(startStep: step, lastStep: step, lastPitch: peak.pitch, pitchSum: peak.pitch,
                              pitchCount: 1, energy: peak.power))
        }
        // Notes too old to count are dropped now and then (the evidence skips them meanwhile).
        if step % 16 == 0 {
            let earliest = step - lookBackSteps + 1
            ended.removeAll { $0.startStep < earliest }
        }
        nextTracks = tracks
        tracks = next
        notes = ended
        self.used = used
    }

    /// Evidence over the notes (ended or still sounding) that started within the look-back.
    private func evidence() -> Float {
        let earliest = step - lookBackSteps + 1
        for i in tracks.indices where tracks[i].steps >= Self.minimumNoteSteps { tracks[i].placeOnCircle() }
        var re: Float = 0, im: Float = 0, squares: Float = 0, count = 0
        func add(_ t: Track) {
            guard t.startStep >= earliest && t.steps >= Self.minimumNoteSteps else { return }
            let d = Float(t.steps)
            re += d * t.cosine; im += d * t.sine; squares += d * d; count += 1
        }
        for t in notes { add(t) }
        for t in tracks { add(t) }
        guard count >= Self.minimumNotes, squares > 0 else { return 0 }
        let coherence = (re * re + im * im) / squares
        let centre = atan2f(im, re) / (2 * .pi)
        var onGrid: Float = 0
        func tally(_ t: Track) {
            guard t.startStep >= earliest && t.steps >= Self.minimumNoteSteps else { return }
            // Distance to the nearest grid line, in semitones (100–2000 Hz is within ±27 of A4).
            let off = t.pitch - centre
            let nearest = Float(Int(off + 1000.5) - 1000)
            // A select, not a branch (on or off the grid is a coin toss in speech); adding 0 is exact.
            onGrid += abs(off - nearest) < Self.onGridSemitones ? t.energy : 0
        }
        for t in notes { tally(t) }
        for t in tracks { tally(t) }
        let band = energyRing.reduce(0, +)
        guard band > 0 else { return 0 }
        return min(coherence / Self.coherenceAtOne, onGrid / band / Self.onGridShareAtOne)
    }
}
