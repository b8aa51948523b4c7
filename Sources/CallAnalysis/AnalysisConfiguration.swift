public import Foundation

/// Every threshold the detectors use, with its unit in its name. The defaults here are the ones
/// shipped in `Models/detectors.json`; a deployment may pass its own file.
public struct AnalysisConfiguration: Codable, Sendable, Equatable {
    public var speech = SpeechDetector.Configuration()
    /// Calls shorter than this cannot be judged.
    public var minimumCallSeconds = 0.5

    public init() {}

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
