public import CallDSP
import Foundation

/// Tells the two parties apart on a mono recording. The speech is cut into chunks at its pauses;
/// each chunk is described by its voice (median F0, mean spectral envelope) and its level (each leg
/// of the mix has its own). The envelope is measured against how much it varies inside a chunk
/// (whitened by the within-chunk covariance of the cepstra: the sounds of speech vary it, a change
/// of voice moves its mean), so the directions that tell two voices apart are not drowned by the
/// ones every voice moves along. The chunks are grouped by Ward's agglomerative clustering down to
/// two groups (long chunks, whose means are reliable, anchor the groups; short ones join the
/// nearest). The parties are then read off one-second pieces of the chunks in order with
/// turn-taking in mind (a change of party inside a chunk is unlikely, inside a segment less so,
/// between segments it is expected), so a chunk where the second voice starts without a pause
/// (an overlap) is cut where it changes. The group heard in the first two seconds is the agent
/// (the agent greets after pickup). No speaker models, no global state.
public struct MonoAttribution: Sendable {
    public struct Configuration: Codable, Sendable, Equatable {
        /// Pauses at least this long inside a segment may be a change of speaker.
        public var chunkPauseSeconds = 0.12
        /// Weight of the F0 dimension, in units of the F0's spread inside a chunk ...
        public var pitchWeight: Float = 1
        /// ... and of the chunk's level, in units of its spread across chunks (each leg of a mono
        /// mix brings its own level). The cepstra count one per whitened coefficient.
        public var levelWeight: Float = 0.5
        /// Chunks are read off in pieces of about this length, so a voice that takes over without
        /// a pause is found inside the chunk.
        public var pieceSeconds = 1.0
        /// Parties alternate: changing party between two pieces of one chunk costs this much,
        /// between two chunks of one segment `segmentSwitchCost`, between segments
        /// `turnSwitchCost`, in units of the squared distance to a group's centre per second of
        /// piece (at most `evidenceSeconds` per piece).
        public var chunkSwitchCost: Float = 1
        public var segmentSwitchCost: Float = 0.5
        public var turnSwitchCost: Float = 0.05
        public var evidenceSeconds: Float = 3
        /// Confidence from the separation of the two groups (the distance between their centres
        /// over the spread of the pieces about them): none at `confidenceSeparationFloor`, full
        /// at `confidenceSeparationFull`; scaled down when the smaller party has less than
        /// `confidenceMinorityShare` of the talk (a split off a part of one voice, not two voices)
        /// and when the first seconds do not clearly belong to one group (the roles are in doubt).
        public var confidenceSeparationFloor: Float = 2.5
        public var confidenceSeparationFull: Float = 4.5
        public var confidenceMinorityShare: Float = 0.2
        /// A split is always found, even in one voice (the chunks differ by what was said), and
        /// it looks well separated on the chunks it was made from. So the split is also made on
        /// the chunks' first halves and measured on their second halves (and the other way
        /// round): two voices keep their separation, one voice's split does not. Full confidence
        /// needs this replicated separation to reach `confidenceReplicatedSeparation`.
        public var confidenceReplicatedSeparation: Float = 2
        /// A segment's part between cuts shorter than this goes to the party beside it.
        public var minimumCutPartSeconds = 0.4
        public init() {}
    }

    public struct Result: Sendable, Equatable {
        /// Speech ranges with their party, in time order.
        public var turns: [(range: FrameRange, party: CallReport.Party)]
        /// 0…1: how clearly the two voices separate and the roles are known (see the configuration).
        public var confidence: Double

        public static func == (a: Result, b: Result) -> Bool {
            a.confidence == b.confidence && a.turns.count == b.turns.count
                && zip(a.turns, b.turns).allSatisfy { $0.range == $1.range && $0.party == $1.party }
        }
    }

    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    /// The first words after pickup (the greeting) are the agent's.
    static let greetingSeconds = 2.0

    /// - Complexity: O(frames × cepstra² + chunks² × cepstra).
    public func attribute(_ features: ChannelFeatures, labels: [SpeechDetector.FrameClass], speech: [FrameRange]) -> Result? {
        let c = configuration
        let grid = features.grid
        guard features.cepstra.count == features.frameCount * ChannelFeatures.cepstrumCount else { return nil }
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
        // 2. One vector per chunk, grouped in two by Ward's clustering.
        let space = VoiceSpace(features: features, chunks: chunks, configuration: c)
        let vectors = chunks.map { space.vector($0) }
        let weights = chunks.map { Float($0.count) }
        let groups = Self.wardTwoGroups(vectors, weights: weights)
        let centres = (0..<2).map { g in
            var sum = [Float](repeating: 0, count: space.dimensions), total: Float = 0
            for i in vectors.indices where groups[i] == g {
                for d in sum.indices { sum[d] += vectors[i][d] * weights[i] }
                total += weights[i]
            }
            return sum.map { $0 / max(total, 1) }
        }
        // 3. Pieces of about `pieceSeconds`, read off with turn-taking in mind.
        var pieces: [FrameRange] = [], pieceSegment: [Int] = [], switchCosts: [Float] = []
        let pieceFrames = Double(grid.frames(inSeconds: c.pieceSeconds))
        for (i, chunk) in chunks.enumerated() {
            let n = max(1, Int((Double(chunk.count) / pieceFrames).rounded()))
            for j in 0..<n {
                pieces.append(FrameRange(start: chunk.start + chunk.count * j / n, end: chunk.start + chunk.count * (j + 1) / n))
                pieceSegment.append(segmentOf[i])
                switchCosts.append(j > 0 ? c.chunkSwitchCost : i > 0 && segmentOf[i] == segmentOf[i - 1] ? c.segmentSwitchCost : c.turnSwitchCost)
            }
        }
        let pieceVectors = pieces.map { space.vector($0) }
        let distances = pieceVectors.map { v in centres.map { Self.squaredDistance(v, $0) } }
        let costs = pieces.indices.map { i in
            distances[i].map { $0 * min(Float(Double(pieces[i].count) * grid.hopSeconds), c.evidenceSeconds) }
        }
        let assignment = Self.likeliestParties(costs: costs, switchCosts: switchCosts)
        // 4. The group that speaks first is the agent's: the pieces of the first two seconds of
        //    speech vote by length (one stray piece does not decide the roles).
        var firstVotes: [Float] = [0, 0]
        let greetingEnd = pieces[0].start + grid.frames(inSeconds: Self.greetingSeconds)
        for i in pieces.indices where pieces[i].start < greetingEnd {
            firstVotes[assignment[i]] += Float(min(pieces[i].end, greetingEnd) - pieces[i].start)
        }
        let agentGroup = firstVotes[1] > firstVotes[0] ? 1 : 0
        let confidence = confidence(pieceVectors, pieces: pieces, assignment: assignment, centres: centres, firstVotes: firstVotes)
            * min(1, max(0, Self.replicatedSeparation(space, chunks: chunks) / c.confidenceReplicatedSeparation))
        // Segments keep their extents; one is cut only where its pieces change party, in the
        // middle of the pause between them (at the boundary between two pieces of one chunk).
        var turns: [(range: FrameRange, party: CallReport.Party)] = []
        var i = 0
        let shortest = grid.frames(inSeconds: c.minimumCutPartSeconds)
        for (index, segment) in speech.enumerated() {
            var parts: [(range: FrameRange, party: CallReport.Party)] = []
            var start = segment.start
            var party: CallReport.Party?
            var lastEnd = segment.start
            while i < pieces.count && pieceSegment[i] == index {
                let p: CallReport.Party = assignment[i] == agentGroup ? .agent : .customer
                if let current = party, current != p {
                    let cut = (lastEnd + pieces[i].start) / 2
                    parts.append((FrameRange(start: start, end: cut), current))
                    start = cut
                }
                party = p
                lastEnd = pieces[i].end
                i += 1
            }
            if let party { parts.append((FrameRange(start: start, end: segment.end), party)) }
            turns += Self.joiningShortParts(parts, shortest: shortest)
        }
        return Result(turns: turns, confidence: Double(confidence))
    }

    /// A segment's parts with those shorter than `shortest` given to the party of the longer part
    /// beside them: a cut that leaves a scrap of a word is one short piece read off wrongly (it
    /// decided who spoke last), not a change of speaker.
    static func joiningShortParts(_ parts: [(range: FrameRange, party: CallReport.Party)], shortest: Int)
        -> [(range: FrameRange, party: CallReport.Party)]
    {
        guard parts.count > 1 else { return parts }
        var given = parts
        for k in given.indices where given[k].range.count < shortest {
            let before = k > 0 ? given[k - 1].range.count : -1, after = k + 1 < given.count ? given[k + 1].range.count : -1
            given[k].party = before >= after ? given[k - 1].party : given[k + 1].party
        }
        var joined: [(range: FrameRange, party: CallReport.Party)] = []
        for part in given {
            if let last = joined.last, last.party == part.party {
                joined[joined.count - 1].range.end = part.range.end
            } else {
                joined.append(part)
            }
        }
        return joined
    }

    /// How far apart the two groups are along the line between their centres, in units of the
    /// pieces' (length-weighted) spread about their own group's centre; scaled down when one party
    /// has little of the talk or the greeting is split between the groups.
    func confidence(_ vectors: [[Float]], pieces: [FrameRange], assignment: [Int], centres: [[Float]], firstVotes: [Float]) -> Float {
        let c = configuration
        let gap = Self.squaredDistance(centres[0], centres[1]).squareRoot()
        guard gap > 0 else { return 0 }
        let direction = zip(centres[1], centres[0]).map { ($0 - $1) / gap }
        func project(_ v: [Float]) -> Float { zip(v, direction).reduce(0) { $0 + $1.0 * $1.1 } }
        let centreProjections = centres.map(project)
        var spread: Float = 0, total: Float = 0
        var talk: [Float] = [0, 0]
        for (i, v) in vectors.enumerated() {
            let w = Float(pieces[i].count), d = project(v) - centreProjections[assignment[i]]
            spread += w * d * d; total += w
            talk[assignment[i]] += w
        }
        let separation = gap / max((spread / max(total, 1)).squareRoot(), 1e-6)
        let bySeparation = min(1, max(0, (separation - c.confidenceSeparationFloor) / (c.confidenceSeparationFull - c.confidenceSeparationFloor)))
        let minority = min(talk[0], talk[1]) / max(total, 1)
        let byShare = min(1, minority / c.confidenceMinorityShare)
        let roleMargin = abs(firstVotes[0] - firstVotes[1]) / max(firstVotes[0] + firstVotes[1], 1)
        return bySeparation * byShare * (0.5 + 0.5 * roleMargin)
    }

    /// The separation of a split made on one half of every chunk, measured on the other half along
    /// the line between the split's centres (mean of both ways round); near zero for one voice.
    static func replicatedSeparation(_ space: VoiceSpace, chunks: [FrameRange]) -> Float {
        let kept = chunks.filter { $0.count >= 4 }
        guard kept.count >= 2 else { return 0 }
        let halves = [kept.map { FrameRange(start: $0.start, end: ($0.start + $0.end) / 2) },
                      kept.map { FrameRange(start: ($0.start + $0.end) / 2, end: $0.end) }]
        let vectors = halves.map { $0.map { space.vector($0) } }
        let weights = halves.map { $0.map { Float($0.count) } }
        var sum: Float = 0
        for (made, measured) in [(0, 1), (1, 0)] {
            let groups = wardTwoGroups(vectors[made], weights: weights[made])
            func means(_ values: [Float], _ w: [Float]) -> [Float] {
                (0..<2).map { g in
                    var total: Float = 0, mass: Float = 0
                    for i in values.indices where groups[i] == g { total += values[i] * w[i]; mass += w[i] }
                    return total / max(mass, 1e-6)
                }
            }
            // The split's direction, from the half it was made on ...
            var direction = [Float](repeating: 0, count: space.dimensions)
            for d in direction.indices {
                let m = means(vectors[made].map { $0[d] }, weights[made])
                direction[d] = m[1] - m[0]
            }
            let length = squaredDistance(direction, direction.map { _ in 0 }).squareRoot()
            guard length > 0 else { continue }
            // ... and the other half's separation along it.
            let z = vectors[measured].map { v in zip(v, direction).reduce(0) { $0 + $1.0 * $1.1 } / length }
            let w = weights[measured], m = means(z, w)
            var spread: Float = 0, mass: Float = 0
            for i in z.indices { spread += w[i] * (z[i] - m[groups[i]]) * (z[i] - m[groups[i]]); mass += w[i] }
            sum += (m[1] - m[0]) / max((spread / max(mass, 1e-6)).squareRoot(), 1e-6)
        }
        return sum / 2
    }

    static func squaredDistance(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
}
