public import CallDSP

/// Streams one call's channels through feature extraction and, at the end, composes the detectors
/// into a `CallReport`. Holds no file handles and no global state: the caller decodes and feeds.
/// One analyzer per call; not Sendable (its extractors own FFTW plans).
public final class CallAnalyzer {
    public struct Input: Sendable {
        public var file: String
        public var sampleRateHz: Int
        public var channelCount: Int
        /// Index of the agent's channel on stereo calls (0 = left) ...
        public var agentChannelIndex: Int
        /// ... or, when set, the side the audio says (see `AgentSide`), that one unless in doubt.
        public var detectsAgentChannel = false
        /// What the recorder said about the call, if anything.
        public var metadata: CallMetadata?
        /// Analyse only this channel of a stereo file, as a mono call (dual-mono recordings).
        public var onlyChannel: Int?
        /// The audio comes from a perceptual codec (MP3, Vorbis, Opus): its quiet line noise is
        /// tracked more steadily.
        public var perceptuallyCoded: Bool
        /// The audio is a later part of a long recording: the call was answered before it starts.
        public var startsAnswered: Bool
        /// The audio is an earlier part of a long recording: the call goes on after it.
        public var endsInsideCall = false
        public init(file: String, sampleRateHz: Int, channelCount: Int, agentChannelIndex: Int = 0, metadata: CallMetadata? = nil,
                    onlyChannel: Int? = nil, perceptuallyCoded: Bool = false, startsAnswered: Bool = false) {
            self.perceptuallyCoded = perceptuallyCoded
            self.startsAnswered = startsAnswered
            self.file = file
            self.sampleRateHz = sampleRateHz
            self.channelCount = channelCount
            self.agentChannelIndex = agentChannelIndex
            self.metadata = metadata
            self.onlyChannel = onlyChannel.flatMap { $0 >= 0 && $0 < channelCount ? $0 : nil }
        }
    }

    public let input: Input
    public let configuration: AnalysisConfiguration
    public let grid: FrameGrid
    private let extractors: [ChannelFeatureExtractor]

    public init(input: Input, configuration: AnalysisConfiguration, planner: FFTPlanner, expectedSamples: Int = 0) {
        self.input = input
        self.configuration = configuration
        grid = FrameGrid.standard(sampleRateHz: Double(input.sampleRateHz))
        let frames = expectedSamples / max(grid.hopLength, 1) + 1
        let analysed = input.onlyChannel == nil ? input.channelCount : 1
        extractors = (0..<analysed).map { _ in
            ChannelFeatureExtractor(grid: FrameGrid.standard(sampleRateHz: Double(input.sampleRateHz)),
                                    planner: planner, expectedFrames: frames, keepsCepstra: analysed == 1,
                                    noiseFallDBPerSecond: input.perceptuallyCoded ? configuration.codecNoiseFallDBPerSecond : nil,
                                    soundHoldsNoiseDivergenceDB: input.perceptuallyCoded ? nil : configuration.soundHoldsNoiseDivergenceDB,
                                    surelySound: (configuration.speech.activeDivergenceDB, configuration.speech.minimumBandPowerDBov))
        }
    }

    /// Feeds one block: one buffer per channel, all the same length.
    public func consume(_ channels: [[Float]], count: Int) { consume(channels, range: 0..<count) }

    /// Feeds the samples in `range` of one block (the rest may belong to the next part of a long call).
    public func consume(_ channels: [[Float]], range: Range<Int>) {
        if let only = input.onlyChannel {
            channels[only].withUnsafeBufferPointer { extractors[0].consume(UnsafeBufferPointer(rebasing: $0[range])) }
            return
        }
        for (c, extractor) in extractors.enumerated() {
            channels[c].withUnsafeBufferPointer { extractor.consume(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }

    /// Ends the stream: the features of every channel.
    public func finishFeatures() -> [ChannelFeatures] { extractors.map { $0.finish() } }

    /// Ends the stream and analyses the call.
    public func finish(warnings: [String] = []) -> CallReport {
        report(channels: finishFeatures(), warnings: warnings)
    }

    /// Analyses the call from its finished features (`finishFeatures()`). `endsInsideCall`: the
    /// audio is an earlier part of a long recording (known only when more audio follows it).
    public func report(channels: [ChannelFeatures], warnings: [String] = [], endsInsideCall: Bool = false) -> CallReport {
        var input = input
        input.endsInsideCall = endsInsideCall
        return CallComposer(input: input, configuration: configuration).report(channels: channels, warnings: warnings)
    }
}
