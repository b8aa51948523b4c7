public import Foundation

/// Every threshold the detectors use, with its unit in its name. The defaults here are the ones
/// shipped in `Models/detectors.json`; a deployment may pass its own file.
public struct AnalysisConfiguration: Codable, Sendable, Equatable {
    public var speech = SpeechDetector.Configuration()
    public var waiting = WaitingDetector.Configuration()
    public var speaking = SpeakingMeasures.Configuration()
    public var conversation = ConversationMeasures.Configuration()
    public var monoAttribution = MonoAttribution.Configuration()
    public var agentSide = AgentSide.Configuration()
    /// Calls shorter than this cannot be judged.
    public var minimumCallSeconds = 0.5
    /// On MP3, Vorbis and Opus recordings the line-noise estimate falls at most this fast (see
    /// `ChannelFeatureExtractor.noiseFallPerHop`).
    public var codecNoiseFallDBPerSecond: Float = 10
    /// On other recordings the estimate does not fall after a frame this far above it (plainly
    /// sound; see `ChannelFeatureExtractor.soundHoldsNoiseDivergenceDB`).
    public var soundHoldsNoiseDivergenceDB: Float = 10
    /// Music at least this far under a party's loud speech, away from any hold, is counted as the
    /// line's noise (hold music plays at a talker's level; a street or a TV 15-25 dB under it).
    public var lineNoiseMusicBelowSpeechDB: Float = 15

    public init() {}

    /// Decodes a detectors file over the defaults: a file may give only the settings it changes
    /// (one written by an earlier version lacks the newer ones), but a name that is not a setting
    /// is an error, so a misspelt threshold is not silently ignored. Errors name the key.
    public static func decode(_ data: Data) throws -> AnalysisConfiguration {
        let given: Any
        do { given = try JSONSerialization.jsonObject(with: data) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not valid JSON"))
        }
        let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(AnalysisConfiguration()))
        let merged = try JSONSerialization.data(withJSONObject: overlay(given, on: defaults, at: []))
        let configuration = try JSONDecoder().decode(AnalysisConfiguration.self, from: merged)
        if let problem = configuration.speech.musicModel.shapeProblem {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: "speech.musicModel: \(problem)"))
        }
        return configuration
    }

    /// `given`'s values in place of `defaults`' own, object by object; anything else (a number, a
    /// list such as the music model's weights) is replaced whole.
    static func overlay(_ given: Any, on defaults: Any, at path: [SettingKey]) throws -> Any {
        guard let defaultObject = defaults as? [String: Any] else { return given }
        guard let givenObject = given as? [String: Any] else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: path, debugDescription: "expected an object of settings"))
        }
        var merged = defaultObject
        for (key, value) in givenObject {
            let keyPath = path + [SettingKey(stringValue: key)]
            guard let defaultValue = defaultObject[key] else {
                // A setting an earlier version had and this one retired is ignored, not an error.
                if retiredSettings.contains(keyPath.map(\.stringValue).joined(separator: ".")) { continue }
                throw DecodingError.dataCorrupted(.init(codingPath: keyPath, debugDescription: "not a setting (misspelt?)"))
            }
            merged[key] = try overlay(value, on: defaultValue, at: keyPath)
        }
        return merged
    }

    /// Settings earlier versions wrote that no longer exist: their detectors files still load.
    static let retiredSettings: Set<String> = ["monoAttribution.minimumChunkSeconds"]

    struct SettingKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
