import Foundation

/// The per-frame spectral measures: one pass over the band's bins per concept (noise and
/// divergence, level and flux, peaks), branch-free where the bins are many.
extension ChannelFeatureExtractor {
    func computeFeatures() {
        let scale = powerScale
        let binCount = grid.binCount
        let row = peakHistoryRow
        let rows = Self.persistenceHops + 1
        let rowMid = (row + rows - Self.persistenceHops / 2) % rows
        let rowOld = (row + 1) % rows  // oldest row: persistenceHops ago
        let lo = bandLow, hi = bandHigh
        let floorPower: Float = 1e-11
        let afterSound = (features.divergenceDB.last ?? 0) >= soundHoldsNoiseDivergenceDB
        let rise = noiseRisePerHop, fall = afterSound ? 1 : noiseFallPerHop, bias = Self.noiseBias
        let p = power, prev = previousLogPower, sm = smoothedPower, nz = noisePower
        if digitallySilentFrames >= Self.revivalSilenceFrames {
            var raw: Float = 0
            for k in lo...hi { raw += p[k] }
            if 10 * log10f(raw * scale + floorPower) >= Self.digitalSilenceDB {
                // Speech may start the new line as it may start the file: measure it again later.
                warmUpFrom = framesSeen
                revisitOpening()
                opening = OpeningRevisit(startFrame: framesSeen, frames: opening.endFrame - opening.startFrame)
            }
        }
        let firstFrame = framesSeen == warmUpFrom
        framesSeen += 1
        // Warm-up: a single periodogram's bins scatter far below their mean, so a minimum taken
        // from the first frames would start the noise far too low and let it creep up for seconds.
        // Start from the running mean instead: an estimate that is too high falls at once.
        let warmingUp = framesSeen - warmUpFrom <= warmUpFrames
        let warmWeight = 1 / Float(framesSeen - warmUpFrom)

        // Pass 1 (branch-free, vectorises): scale, smooth, track the noise, divergence from it.
        p[lo - 1] *= scale
        p[hi + 1] *= scale
        var ratioSum: Float = 0, noiseTotal: Float = 0
        var ratio4 = SIMD4<Float>(), noise4 = SIMD4<Float>()
        let floor4 = SIMD4<Float>(repeating: floorPower)
        var k = lo
        if warmingUp {
            func step(_ v: Float, _ k: Int) {
                p[k] = v
                sm[k] = firstFrame ? v : 0.7 * sm[k] + 0.3 * v
                nz[k] = firstFrame ? v * bias : nz[k] + (v * bias - nz[k]) * warmWeight
                ratioSum += v / max(nz[k], floorPower)
                noiseTotal += nz[k]
            }
            while k + 4 <= hi + 1 {
                let v = load4(p, k) * scale
                store4(v, p, k)
                let smoothed = firstFrame ? v : 0.7 * load4(sm, k) + 0.3 * v
                store4(smoothed, sm, k)
                let old = load4(nz, k)
                let noise = firstFrame ? v * bias : old + (v * bias - old) * warmWeight
                store4(noise, nz, k)
                ratio4 += v / max4(noise, floor4)
                noise4 += noise
                k += 4
            }
            while k <= hi { step(p[k] * scale, k); k += 1 }
        } else {
            // The slow rise keeps speech out of the noise estimate, but a line that gets 10 dB
            // noisier at once (after a muted hold, a new leg) would take many seconds to learn.
            // So each bin also keeps its minimum over the last few seconds (in sub-windows), and
            // the estimate jumps up to it when it has fallen more than 10 dB behind.
            let rows = Self.minimumRows
            let recent = recentMinimum, current = currentMinimum, rowsMinimum = recentRowsMinimum
            let closeRow = framesSeen % Self.framesPerMinimumRow == 0
            let row = (framesSeen / Self.framesPerMinimumRow) % rows
            while k + 4 <= hi + 1 {
                let v = load4(p, k) * scale
                store4(v, p, k)
                let smoothed = 0.7 * load4(sm, k) + 0.3 * v
                store4(smoothed, sm, k)
                let before = load4(nz, k)
                var noise = max4(min4(smoothed * bias, before * rise), before * fall)
                let windowFloor = min4(load4(current, k), smoothed)
                store4(windowFloor, current, k)
                let lowest = min4(windowFloor, load4(rowsMinimum, k))
                noise.replace(with: lowest * bias, where: lowest * bias .> noise * 10)
                store4(noise, nz, k)
                ratio4 += v / max4(noise, floor4)
                noise4 += noise
                k += 4
            }
            while k <= hi {
                let v = p[k] * scale
                p[k] = v
                let smoothed = 0.7 * sm[k] + 0.3 * v
                sm[k] = smoothed
                var noise = max(min(smoothed * bias, nz[k] * rise), nz[k] * fall)
                let windowFloor = min(current[k], smoothed)
                current[k] = windowFloor
                let lowest = min(windowFloor, rowsMinimum[k])
                if lowest * bias > noise * 10 { noise = lowest * bias }
                nz[k] = noise
                ratioSum += v / max(noise, floorPower)
                noiseTotal += noise
                k += 1
            }
            if closeRow {
                for k in lo...hi {
                    recent[row * binCount + k] = current[k]
                    current[k] = .greatestFiniteMagnitude
                    var m = Float.greatestFiniteMagnitude
                    for r in 0..<rows { m = min(m, recent[r * binCount + k]) }
                    rowsMinimum[k] = m
                }
            }
        }
        ratioSum += ratio4.sum()
        noiseTotal += noise4.sum()
        noiseTotal /= bias
        if !opening.isDone {
            opening.keepSpectrum(UnsafeBufferPointer(start: p + lo, count: hi - lo + 1))
            if framesSeen >= opening.endFrame { revisitOpening() }
        }

        // Pass 2 (branch-free): total, log spectrum, flatness and flux.
        var total: Float = 0, logSum: Float = 0, flux: Float = 0
        do {
            // Four independent sums (Swift will not reorder float additions by itself), then the rest.
            var k = lo
            var t = SIMD4<Float>(), l = SIMD4<Float>(), f = SIMD4<Float>()
            while k + 4 <= hi + 1 {
                let v = load4(p, k)
                t += v
                let d = Decibels.fastPowerToDB(v + floorPower)
                l += d
                let change = d - load4(prev, k)
                f += abs4(change)
                store4(d, prev, k)
                k += 4
            }
            total = (t[0] + t[1]) + (t[2] + t[3]); logSum = (l[0] + l[1]) + (l[2] + l[3]); flux = (f[0] + f[1]) + (f[2] + f[3])
            while k <= hi {
                let v = p[k]
                total += v
                let lv = Decibels.fastPowerToDB(v + floorPower)
                logSum += lv
                flux += abs(lv - prev[k])
                prev[k] = lv
                k += 1
            }
        }

        // Four partial sums: one running sum over the band is a chain of dependent additions.
        var vowel: Float = 0
        do {
            var k = vowelLow, v4 = SIMD4<Float>()
            while k + 4 <= vowelHigh + 1 { v4 += load4(p, k); k += 4 }
            while k <= vowelHigh { vowel += p[k]; k += 1 }
            vowel += (v4[0] + v4[1]) + (v4[2] + v4[3])
        }
        features.vowelBandDB.append(Decibels.fastPowerToDB(vowel + floorPower))
        // Syllabic envelope. Per band, the mean product of every pair of frames in the window
        // (sustained energy); then the mean product of every pair of bands (energy in many bands
        // at once). A mean of pairwise products is ((Σx)² − Σx²) / (n(n−1)). The ring is
        // frame-major, `syllabicStride` bands a row, so two bands are summed at once.
        let syllabicBands = syllabicEdges.count - 1
        let window = ChannelFeatures.syllabicWindowFrames
        let stride = Self.syllabicStride
        let ringRow = bandRingRow
        syllabicEdges.withUnsafeBufferPointer { edges in
            let ring = bandRing + ringRow * stride
            for b in 0..<syllabicBands {
                var sum: Float = 0
                let a = edges[b], e = max(a + 1, edges[b + 1])
                for k in a..<e { sum += p[k] }
                ring[b] = Double(sum / Float(e - a))
            }
        }
        var ySum = 0.0, ySquares = 0.0
        let pairs = Double(window * (window - 1))
        var b = 0
        while b < syllabicBands {
            var s1 = SIMD2<Double>(), s2 = SIMD2<Double>()
            for r in 0..<window {
                let x = UnsafeRawPointer(bandRing + r * stride + b).loadUnaligned(as: SIMD2<Double>.self)
                s1 += x; s2 += x * x
            }
            let y = (s1 * s1 - s2) / pairs
            let y0 = max(0, y[0])
            ySum += y0; ySquares += y0 * y0
            if b + 1 < syllabicBands {
                let y1 = max(0, y[1])
                ySum += y1; ySquares += y1 * y1
            }
            b += 2
        }
        bandRingRow = (bandRingRow + 1) % window
        let z = max(0, (ySum * ySum - ySquares) / Double(syllabicBands * (syllabicBands - 1)))
        // z is a fourth power of band power: a quarter of its dB is in dB of power.
        features.syllabicDB.append(Float(2.5 * log10(z + 1e-60)))

        // Cepstra: log energies of mel-like bands, then a DCT.
        let bandCount = melLog.count
        for b in 0..<bandCount where keepsCepstra {
            var sum: Float = 0
            let a = melEdges[b], e = max(melEdges[b] + 1, melEdges[b + 1])
            for k in a..<e { sum += p[k] }
            melLog[b] = Decibels.fastPowerToDB(sum / Float(e - a) + floorPower)
        }
        for c in 0..<ChannelFeatures.cepstrumCount where keepsCepstra {
            var sum: Float = 0
            for b in 0..<bandCount { sum += dct[c * bandCount + b] * melLog[b] }
            features.cepstra.append(sum)
        }

        // Pass 3: peaks (ChannelFeatureExtractor+Peaks.swift).
        let (first, firstBin, second, secondBin, persistent) = findPeaks(row: row, rowMid: rowMid, rowOld: rowOld, floorPower: floorPower)
        peakHistoryRow = (row + 1) % rows

        let bins = Float(hi - lo + 1)
        let mean = total / bins
        let flatness = total > floorPower * bins
            ? min(1, exp2f((logSum / bins) * 0.33219281) / max(mean, floorPower)) : 1  // 10^(dB/10)
        // Power in the two strongest peaks' lobes (±2 bins), shared bins counted once.
        var peakEnergy: Float = 0
        if first > 0 {
            for k in max(lo, firstBin - 2)...min(hi, firstBin + 2) { peakEnergy += p[k] }
        }
        if second > 0 {
            for k in max(lo, secondBin - 2)...min(hi, secondBin + 2) where first <= 0 || abs(k - firstBin) > 2 {
                peakEnergy += p[k]
            }
        }
        // Harmonics of the strongest peak (or the peak as a harmonic of a lower fundamental):
        // voiced speech and instruments have them, call-progress tones and beeps do not.
        var overtone: Float = 0
        if first > 0 {
            // Power above the line's noise, so a pure tone in loud noise still reads as pure.
            func lobe(_ centre: Int) -> Float {
                if centre - 1 >= lo && centre + 1 <= hi {
                    return max(0, p[centre - 1] - nz[centre - 1]) + max(0, p[centre] - nz[centre]) + max(0, p[centre + 1] - nz[centre + 1])
                }
                guard centre >= 2 && centre + 1 < binCount else { return 0 }
                var sum: Float = 0
                for k in (centre - 1)...(centre + 1) {
                    // Bins outside the band were never scaled and have no noise estimate.
                    sum += (k >= lo && k <= hi) ? max(0, p[k] - nz[k]) : (k >= lo - 1 && k <= hi + 1 ? p[k] : p[k] * scale)
                }
                return sum
            }
            let main = lobe(firstBin)
            let related = max(max(lobe(firstBin * 2), lobe(firstBin * 3 / 2)), max(lobe(firstBin / 2), lobe(firstBin / 3)))
            overtone = main > 0 ? related / main : 0
        }
        // Share of the power above the noise: a tone in line noise still reads near 1.
        let signalPower = max(total - noiseTotal, total * 0.05)
        let tonal = total > 0 ? min(1, peakEnergy / signalPower) : 0
        // The peak's frequency to a fraction of a bin (parabola through the log powers around it):
        // how a peak glides is what tells a voice from a held note.
        func refined(_ bin: Int, _ power: Float) -> Float {
            guard power > 0 && bin > lo && bin < hi else { return Float(bin) }
            let a = prev[bin - 1], b = prev[bin], c = prev[bin + 1]
            let curvature = a - 2 * b + c
            return curvature < 0 ? Float(bin) + max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) : Float(bin)
        }
        let peakBin = refined(firstBin, first)
        let bandDB = Decibels.fastPowerToDB(total + floorPower)
        features.bandPowerDB.append(bandDB)
        digitallySilentFrames = bandDB < Self.digitalSilenceDB ? digitallySilentFrames + 1 : 0
        features.tonality.append(tonal)
        features.dominantHz.append(peakBin * Float(grid.binHz))
        features.secondHz.append(second > 0 ? refined(secondBin, second) * Float(grid.binHz) : 0)
        features.overtoneRatio.append(overtone)
        features.flatness.append(flatness)
        features.fluxDB.append(flux / bins)
        features.persistence.append(total > 0 ? min(1, persistent / total) : 0)
        features.divergenceDB.append(Decibels.fastPowerToDB(max(ratioSum / bins, 1e-6)))
    }
}

/// 1 when a > b, else 0, for non-negative powers, without a branch: the sign bit of b − a
/// (which is never −0 for such values).
@inline(__always) func greater(_ a: Float, _ b: Float) -> UInt8 {
    UInt8(truncatingIfNeeded: (b - a).bitPattern >> 31)
}
