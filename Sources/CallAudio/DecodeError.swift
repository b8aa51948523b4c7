import Foundation

/// Why a recording could not be analysed; always names the file.
public struct DecodeError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case cannotOpen(String)
        case empty
        case unsupportedChannels(Int)
        case unsupportedSampleRate(Int)
        case invalidSamples(atSeconds: Double)
        case tooShort(seconds: Double, minimumSeconds: Double)
        case readFailed(String)
    }

    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var reasonText: String {
        switch reason {
        case .cannotOpen(let message):
            return "not a readable audio file (\(message))"
        case .empty:
            return "empty file: no audio data"
        case .unsupportedChannels(let n):
            return "unsupported channel count \(n) (mono or stereo expected)"
        case .unsupportedSampleRate(let hz):
            return "unsupported sample rate \(hz) Hz (8000–48000 Hz expected)"
        case .invalidSamples(let seconds):
            return String(format: "invalid samples (NaN or infinity) at %.2f s", seconds)
        case .tooShort(let seconds, let minimum):
            return String(format: "too short to judge: %.2f s of audio (at least %.1f s needed)", seconds, minimum)
        case .readFailed(let message):
            return "read failed: \(message)"
        }
    }

    public var description: String { "\(path): \(reasonText)" }
}
