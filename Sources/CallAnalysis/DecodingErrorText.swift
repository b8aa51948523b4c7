import Foundation

/// One line for a JSON file that did not decode, naming the key it is about: "missing key
/// rules.R1", "speech.activeDivergenceDB: expected Float", "hours[0]: …". Shared by every file
/// CallQA reads settings or data from (detectors, rubrics, transcripts).
public enum DecodingErrorText {
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return error.localizedDescription }
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let c): return "missing key \((path(c).isEmpty ? "" : path(c) + ".") + key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(path(c)): \(c.debugDescription)"
        case .dataCorrupted(let c): return "\(path(c).isEmpty ? "file" : path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
