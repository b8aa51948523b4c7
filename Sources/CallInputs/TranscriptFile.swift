public import CallScoring
import CallAnalysis
import Foundation

/// `NAME.transcript.json` beside `NAME.wav`, when a recogniser left one.
public enum TranscriptFile {
    /// The transcript, or nil when there is none; a broken one gives a warning naming the file
    /// (the call is scored without it), not a failure.
    public static func read(forRecording path: String) -> (transcript: Transcript?, warning: String?) {
        let url = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("transcript.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return (nil, nil) }
        do {
            return (try JSONDecoder().decode(Transcript.self, from: Data(contentsOf: url)), nil)
        } catch {
            return (nil, "\(url.path): transcript ignored: \(DecodingErrorText.describe(error))")
        }
    }
}
