public import CallDSP
import Foundation

/// Tells the two parties apart on a mono recording: the speech is cut into chunks at its pauses,
/// each chunk is described by its voice (median F0, mean spectral envelope) and its level (each leg
/// of the mix has its own), the chunks are split into two groups by two-means, the parties are
/// then read off the chunks in order with turn-taking in mind (a change of party inside a segment
/// is unlikely, between segments it is expected), and the group heard in the first two seconds
/// is the agent (the agent greets after pickup). No speaker models, no global state.
public struct MonoAttribution: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// Pauses at least this long inside a segment may be a change of speaker.
        public var chunkPauseSeconds = 0.12
        /// Weight of the F0 dimension against each cepstral one (pitch tells voices apart best) ...
        public var pitchWeight: Float = 2
        /// ... and of the chunk's level (each leg of a mono mix brings its own level).
        public var levelWeight: Float = 1
        /// Parties alternate: changing party between two chunks of one segment (a short pause)
        /// costs this much, between segments `turnSwitchCost`, in units of the squared distance
        /// to a group's centre per second of chunk (at most `evidenceSeconds` per chunk).
        public var segmentSwitchCost: Float = 4
        public var turnSwitchCost: Float = 0.5
        public var evidenceSeconds: Float = 3
        public init() {}
    }

    public struct Result: Sendable, Equatable {
        /// Speech ranges with their party, in time order.
        public var turns: [(range: FrameRange, party: CallReport.Party)]
        /// Mean silhouette of the chunks, 0…1: how clearly the two voices separate.
        public var confidence: Double

        public static func == (a: Result, b: Result) -> Bool {
            a.confidence == b.confidence && a.turns.count == b.turns.count
                && zip(a.turns, b.turns).allSatisfy { $0.range == $1.range && $0.party == $1.party }
        }
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// - Complexity: O(frames + chunks × iterations).
    public func attribute(_ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange]) -> Result? {
        let c = configuration
        let grid = features.grid
        let k = ChannelFeatures.cepstrumCount
        guard features.cepstra.count == features.frameCount * k else { return nil }
        // 1. Chunks: speech frames inside the segments, cut at pauses.
        var chunks: [FrameRange] = []
        var segmentOf: [Int] = []
        let pause = grid.frames(inSeconds: c.chunkPauseSeconds)
        for (index, segment) in speech.enumerated() {
            let mask = (segment.start..<segment.end).map { labels[$0] == .speech }
            for run in SpeechDetector.runs(of: mask, joiningGapsUpTo: pause) {
                chunks.append(FrameRange(start: segment.start + run.start, end: segment.start + run.end))
                segmentOf.append(index)
            }
        }
        guard chunks.count >= 2 else { return nil }
        // 2. One vector per chunk: log F0, mean cepstra and level.
        let dims = k + 2
        var vectors = [[Float]](repeating: [Float](repeating: 0, count: dims), count: chunks.count)
        var hasPitch = [Bool](repeating: false, count: chunks.count)
        for (i, chunk) in chunks.enumerated() {
            var pitches: [Float] = []
            for f in chunk.start..<chunk.end where features.f0Hz[f] > 0 { pitches.append(log2f(features.f0Hz[f])) }
            if pitches.count >= 3 {
                pitches.sort()
                vectors[i][0] = pitches[pitches.count / 2]
                hasPitch[i] = true
            }
            for j in 0..<k {
                var sum: Float = 0
                for f in chunk.start..<chunk.end { sum += features.cepstra[f * k + j] }
                vectors[i][j + 1] = sum / Float(chunk.count)
            }
            var levels = Array(features.bandPowerDB[chunk.start..<chunk.end])
            levels.sort()
            vectors[i][k + 1] = levels[levels.count * 3 / 4]  // the voiced peaks, not the pauses
        }
        // Chunks without pitch take the median pitch of the others (neutral in that dimension).
        let pitched = vectors.indices.filter { hasPitch[$0] }.map { vectors[$0][0] }.sorted()
        let neutral = pitched.isEmpty ? 0 : pitched[pitched.count / 2]
        for i in vectors.indices where !hasPitch[i] { vectors[i][0] = neutral }
        // Standardise each dimension, weight pitch.
        for d in 0..<dims {
            let mean = vectors.reduce(0) { $0 + $1[d] } / Float(vectors.count)
            let sd = (vectors.reduce(0) { $0 + ($1[d] - mean) * ($1[d] - mean) } / Float(vectors.count)).squareRoot()
            for i in vectors.indices {
                let weight = d == 0 ? c.pitchWeight : d == k + 1 ? c.levelWeight : 1
                vectors[i][d] = sd > 1e-6 ? (vectors[i][d] - mean) / sd * weight : 0
            }
        }
        // 3. Two-means, weighted by chunk length, from two starts (the chunks farthest apart in
        //    pitch; the longest chunk and the one farthest from it): the tighter split wins.
        func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let weights = chunks.map { Float($0.count) }
        let longest = vectors.indices.max { weights[$0] < weights[$1] }!
        let starts = [
            (vectors.indices.min { vectors[$0][0] < vectors[$1][0] }!, vectors.indices.max { vectors[$0][0] < vectors[$1][0] }!),
            (longest, vectors.indices.max { distance(vectors[$0], vectors[longest]) < distance(vectors[$1], vectors[longest]) }!),
        ]
        var best: (centres: [[Float]], cost: Float)?
        for (a, b) in starts {
            let run = twoMeans(vectors, weights: weights, from: [vectors[a], vectors[b]], distance: distance)
            if run.cost < (best?.cost ?? .infinity) { best = run }
        }
        let centres = best!.centres
        // Turn-taking: the likeliest sequence of parties over the chunks, where a change of party
        // inside a segment costs more than one between segments.
        let evidence = chunks.map { min(Float($0.count) * Float(grid.hopSeconds), c.evidenceSeconds) }
        let switchCosts = chunks.indices.map { i in i > 0 && segmentOf[i] == segmentOf[i - 1] ? c.segmentSwitchCost : c.turnSwitchCost }
        let assignment = Self.likeliestParties(
            costs: vectors.indices.map { i in (0..<2).map { distance(vectors[i], centres[$0]) * evidence[i] } },
            switchCosts: switchCosts)
        // Silhouette: how much nearer each chunk is to its own group than to the other.
        var silhouette: Float = 0, silhouetteWeight: Float = 0
        for i in vectors.indices {
            let own = distance(vectors[i], centres[assignment[i]]).squareRoot()
            let other = distance(vectors[i], centres[1 - assignment[i]]).squareRoot()
            let s = max(own, other) > 0 ? (other - own) / max(own, other) : 0
            silhouette += s * weights[i]; silhouetteWeight += weights[i]
        }
        // 4. The group that speaks first is the agent's. Segments keep their extents; one is cut
        //    only where its chunks change party, in the middle of the pause between them.
        // The first words after pickup (the greeting) are the agent's: the chunks of the first
        // two seconds of speech vote by length (one stray chunk does not decide the roles).
        var firstVotes: [Float] = [0, 0]
        let greetingEnd = chunks[0].start + grid.frames(inSeconds: 2)
        for i in chunks.indices where chunks[i].start < greetingEnd {
            firstVotes[assignment[i]] += Float(min(chunks[i].end, greetingEnd) - chunks[i].start)
        }
        let agentGroup = firstVotes[1] > firstVotes[0] ? 1 : 0
        var turns: [(range: FrameRange, party: CallReport.Party)] = []
        var i = 0
        for (index, segment) in speech.enumerated() {
            var start = segment.start
            var party: CallReport.Party?
            var lastEnd = segment.start
            while i < chunks.count && segmentOf[i] == index {
                let p: CallReport.Party = assignment[i] == agentGroup ? .agent : .customer
                if let current = party, current != p {
                    let cut = (lastEnd + chunks[i].start) / 2
                    turns.append((FrameRange(start: start, end: cut), current))
                    start = cut
                }
                party = p
                lastEnd = chunks[i].end
                i += 1
            }
            if let party { turns.append((FrameRange(start: start, end: segment.end), party)) }
        }
        return Result(turns: turns, confidence: Double(max(0, silhouette / max(silhouetteWeight, 1))))
    }

    /// Weighted two-means from the given centres; returns the centres and the weighted squared error.
    func twoMeans(_ vectors: [[Float]], weights: [Float], from initial: [[Float]], distance: ([Float], [Float]) -> Float)
        -> (centres: [[Float]], cost: Float)
    {
        let dims = vectors[0].count
        var centres = initial
        var assignment = [Int](repeating: 0, count: vectors.count)
        for _ in 0..<25 {
            for i in vectors.indices { assignment[i] = distance(vectors[i], centres[0]) <= distance(vectors[i], centres[1]) ? 0 : 1 }
            for g in 0..<2 {
                var sum = [Float](repeating: 0, count: dims), total: Float = 0
                for i in vectors.indices where assignment[i] == g {
                    for d in 0..<dims { sum[d] += vectors[i][d] * weights[i] }
                    total += weights[i]
                }
                if total > 0 { centres[g] = sum.map { $0 / total } }
            }
        }
        let cost = vectors.indices.reduce(Float(0)) { $0 + distance(vectors[$1], centres[assignment[$1]]) * weights[$1] }
        return (centres, cost)
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
