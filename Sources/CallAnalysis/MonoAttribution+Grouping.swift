public import CallDSP
import Foundation

extension MonoAttribution {
    /// Where a stretch of speech sits among the call's voices: its median log F0 in units of the
    /// F0's spread inside a chunk, its mean cepstra whitened by their covariance inside a chunk
    /// (the sounds of speech move the envelope around; what is left is the voice and its line),
    /// and its level in units of the level's spread across chunks.
    struct VoiceSpace {
        let features: ChannelFeatures
        let coefficientCount: Int
        /// Cholesky factor (lower, row-major) of the cepstra's within-chunk covariance.
        let lower: [Double]
        let pitchNeutralOctaves: Float, pitchMeanOctaves: Float, pitchSpreadOctaves: Float
        let levelMeanDB: Float, levelSpreadDB: Float
        let pitchWeight: Float, levelWeight: Float
        var dimensions: Int { coefficientCount + 2 }

        init(features: ChannelFeatures, chunks: [FrameRange], configuration: Configuration) {
            self.features = features
            let k = ChannelFeatures.cepstrumCount
            coefficientCount = k
            pitchWeight = configuration.pitchWeight
            levelWeight = configuration.levelWeight
            // Pitch: each chunk's median, and how far its voiced frames stray from it.
            var pitches: [Float?] = [], squares: Float = 0, voiced = 0
            for chunk in chunks {
                let octaves = Self.voicedOctaves(features, chunk)
                guard let median = Self.median(octaves) else { pitches.append(nil); continue }
                pitches.append(median)
                for p in octaves { squares += (p - median) * (p - median) }
                voiced += octaves.count
            }
            let known = pitches.compactMap { $0 }
            let neutral = Self.median(known) ?? 0
            pitchNeutralOctaves = neutral
            pitchMeanOctaves = pitches.reduce(0) { $0 + ($1 ?? neutral) } / Float(pitches.count)
            pitchSpreadOctaves = max(voiced > 0 ? (squares / Float(voiced)).squareRoot() : 1, 1e-3)
            let levels = chunks.map { Self.level(features, $0) }
            let meanDB = levels.reduce(0, +) / Float(levels.count)
            levelMeanDB = meanDB
            levelSpreadDB = max((levels.reduce(0) { $0 + ($1 - meanDB) * ($1 - meanDB) } / Float(levels.count)).squareRoot(), 1e-3)
            // Cepstra: covariance of the frames about their own chunk's mean, a little ridge so
            // that a coefficient the line flattens cannot make it singular.
            var covariance = [Double](repeating: 0, count: k * k), frames = 0
            features.cepstra.withUnsafeBufferPointer { cepstra in
                for chunk in chunks {
                    var mean = [Double](repeating: 0, count: k)
                    for f in chunk.start..<chunk.end { for j in 0..<k { mean[j] += Double(cepstra[f * k + j]) } }
                    for j in 0..<k { mean[j] /= Double(chunk.count) }
                    var deviation = [Double](repeating: 0, count: k)
                    for f in chunk.start..<chunk.end {
                        for j in 0..<k { deviation[j] = Double(cepstra[f * k + j]) - mean[j] }
                        for a in 0..<k { for b in 0...a { covariance[a * k + b] += deviation[a] * deviation[b] } }
                    }
                    frames += chunk.count
                }
            }
            var trace = 0.0
            for a in 0..<k { trace += covariance[a * k + a] / Double(max(frames, 1)) }
            let ridge = max(1e-4 * trace / Double(k), 1e-9)
            for a in 0..<k {
                for b in 0...a { covariance[a * k + b] = covariance[a * k + b] / Double(max(frames, 1)) + (a == b ? ridge : 0) }
            }
            lower = Self.cholesky(covariance, k)
        }

        func vector(_ range: FrameRange) -> [Float] {
            let k = coefficientCount
            var mean = [Double](repeating: 0, count: k)
            for f in range.start..<range.end { for j in 0..<k { mean[j] += Double(features.cepstra[f * k + j]) } }
            // Whitened: solve L y = mean (distances become Mahalanobis distances).
            var whitened = [Double](repeating: 0, count: k)
            for a in 0..<k {
                var sum = mean[a] / Double(range.count)
                for b in 0..<a { sum -= lower[a * k + b] * whitened[b] }
                whitened[a] = sum / lower[a * k + a]
            }
            let pitch = Self.median(Self.voicedOctaves(features, range)) ?? pitchNeutralOctaves
            return [(pitch - pitchMeanOctaves) / pitchSpreadOctaves * pitchWeight]
                + whitened.map { Float($0) }
                + [(Self.level(features, range) - levelMeanDB) / levelSpreadDB * levelWeight]
        }

        static func voicedOctaves(_ features: ChannelFeatures, _ range: FrameRange) -> [Float] {
            (range.start..<range.end).compactMap { features.f0Hz[$0] > 0 ? log2f(features.f0Hz[$0]) : nil }
        }

        /// The median of at least three values (fewer say little about a voice's pitch).
        static func median(_ values: [Float]) -> Float? {
            values.count >= 3 ? values.sorted()[values.count / 2] : nil
        }

        /// The voiced peaks' level, not the pauses'.
        static func level(_ features: ChannelFeatures, _ range: FrameRange) -> Float {
            let levels = features.bandPowerDB[range.start..<range.end].sorted()
            return levels[levels.count * 3 / 4]
        }

        /// Lower-triangular L with L Lᵀ = the symmetric positive-definite matrix (lower half read).
        static func cholesky(_ matrix: [Double], _ k: Int) -> [Double] {
            var l = [Double](repeating: 0, count: k * k)
            for a in 0..<k {
                for b in 0...a {
                    var sum = matrix[a * k + b]
                    for j in 0..<b { sum -= l[a * k + j] * l[b * k + j] }
                    l[a * k + b] = a == b ? max(sum, 1e-12).squareRoot() : sum / l[b * k + b]
                }
            }
            return l
        }
    }

    /// Ward's agglomerative clustering (each merge adds the least to the weighted squared error)
    /// down to two groups, by the nearest-neighbour chain: the same merges as the greedy order, in
    /// O(items² × dimensions) without a distance matrix. Returns 0 or 1 per item.
    static func wardTwoGroups(_ vectors: [[Float]], weights: [Float]) -> [Int] {
        var centres = vectors, mass = weights
        var members = vectors.indices.map { [$0] }
        var active = [Bool](repeating: true, count: vectors.count)
        var activeCount = vectors.count
        func cost(_ a: Int, _ b: Int) -> Float { mass[a] * mass[b] / (mass[a] + mass[b]) * squaredDistance(centres[a], centres[b]) }
        var chain: [Int] = []
        while activeCount > 2 {
            if chain.isEmpty { chain.append(active.firstIndex(of: true)!) }
            let a = chain[chain.count - 1]
            // Ties go to the previous link, so the chain always ends in a mutual pair.
            var nearest = chain.count >= 2 ? chain[chain.count - 2] : -1
            var best = nearest >= 0 ? cost(a, nearest) : .infinity
            for b in vectors.indices where active[b] && b != a {
                let d = cost(a, b)
                if d < best { best = d; nearest = b }
            }
            if chain.count >= 2 && nearest == chain[chain.count - 2] {
                chain.removeLast(2)
                let total = mass[a] + mass[nearest]
                for d in centres[a].indices { centres[a][d] = (centres[a][d] * mass[a] + centres[nearest][d] * mass[nearest]) / total }
                mass[a] = total
                members[a] += members[nearest]
                active[nearest] = false
                activeCount -= 1
            } else {
                chain.append(nearest)
            }
        }
        var groups = [Int](repeating: 0, count: vectors.count)
        for (g, cluster) in active.indices.filter({ active[$0] }).enumerated() { for i in members[cluster] { groups[i] = g } }
        return groups
    }

    /// Viterbi over two states: per item the cost of each party, and the cost of changing party
    /// before each item.
    static func likeliestParties(costs: [[Float]], switchCosts: [Float]) -> [Int] {
        guard !costs.isEmpty else { return [] }
        var total = costs[0]
        var from = [[Int]](repeating: [0, 1], count: costs.count)
        for i in 1..<costs.count {
            var next: [Float] = [0, 0]
            for g in 0..<2 {
                let stay = total[g], change = total[1 - g] + switchCosts[i]
                from[i][g] = stay <= change ? g : 1 - g
                next[g] = min(stay, change) + costs[i][g]
            }
            total = next
        }
        var out = [Int](repeating: 0, count: costs.count)
        out[costs.count - 1] = total[0] <= total[1] ? 0 : 1
        for i in stride(from: costs.count - 1, to: 0, by: -1) { out[i - 1] = from[i][out[i]] }
        return out
    }
}
