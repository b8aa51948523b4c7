public import Foundation

/// Every threshold the detectors use, with its unit in its name. The defaults here are the ones
/// shipped in `Models/detectors.json`; a deployment may pass its own file.
public struct AnalysisConfiguration: Codable, Sendable, Equatable {
    public var speech = SpeechDetector.Configuration()
    public var waiting = WaitingDetector.Configuration()
    public var speaking = SpeakingMeasures.Configuration()
    public var conversation = ConversationMeasures.Configuration()
    public var monoAttribution = MonoAttribution.Configuration()
    /// Calls shorter than this cannot be judged.
    public var minimumCallSeconds = 0.5

    public init() {}

    // A file may give only the sections it changes; the rest keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AnalysisConfiguration()
        speech = try c.decodeIfPresent(SpeechDetector.Configuration.self, forKey: .speech) ?? defaults.speech
        waiting = try c.decodeIfPresent(WaitingDetector.Configuration.self, forKey: .waiting) ?? defaults.waiting
        speaking = try c.decodeIfPresent(SpeakingMeasures.Configuration.self, forKey: .speaking) ?? defaults.speaking
        conversation = try c.decodeIfPresent(ConversationMeasures.Configuration.self, forKey: .conversation) ?? defaults.conversation
        monoAttribution = try c.decodeIfPresent(MonoAttribution.Configuration.self, forKey: .monoAttribution) ?? defaults.monoAttribution
        minimumCallSeconds = try c.decodeIfPresent(Double.self, forKey: .minimumCallSeconds) ?? defaults.minimumCallSeconds
    }

    /// Decodes a configuration, naming the offending key when one is wrong.
    public static func decode(_ data: Data) throws -> AnalysisConfiguration {
        let decoder = JSONDecoder()
        let configuration = try decoder.decode(AnalysisConfiguration.self, from: data)
        if let problem = configuration.speech.musicModel.shapeProblem {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "speech.musicModel: \(problem)"))
        }
        return configuration
    }
}
