public import CallDSP
import Foundation

/// Tells the two parties apart on a mono recording: the speech is cut into chunks at its pauses,
/// each chunk is described by its voice (median F0 and mean spectral envelope), the chunks are
/// split into two groups by k-means, and the group that speaks first is the agent (the agent
/// greets after pickup). No speaker models, no global state.
public struct MonoAttribution: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// Pauses at least this long inside a segment may be a change of speaker.
        public var chunkPauseSeconds = 0.12
        /// Chunks shorter than this take the party of their neighbours.
        public var minimumChunkSeconds = 0.3
        /// Weight of the F0 dimension against each cepstral one (pitch tells voices apart best).
        public var pitchWeight: Float = 2
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
        // 2. One vector per chunk: log F0 and mean cepstra.
        let dims = k + 1
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
                vectors[i][d] = sd > 1e-6 ? (vectors[i][d] - mean) / sd * (d == 0 ? c.pitchWeight : 1) : 0
            }
        }
        // 3. Two-means, weighted by chunk length, started from the two chunks farthest apart in pitch.
        func distance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let weights = chunks.map { Float($0.count) }
        var centres = [vectors[vectors.indices.min { vectors[$0][0] < vectors[$1][0] }!],
                       vectors[vectors.indices.max { vectors[$0][0] < vectors[$1][0] }!]]
        var assignment = [Int](repeating: 0, count: chunks.count)
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
        // Short chunks follow their neighbours when both agree.
        let shortest = grid.frames(inSeconds: c.minimumChunkSeconds)
        for i in chunks.indices where chunks[i].count < shortest && i > 0 && i + 1 < chunks.count
            && assignment[i - 1] == assignment[i + 1] {
            assignment[i] = assignment[i - 1]
        }
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
        let agentGroup = assignment[0]
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
}
