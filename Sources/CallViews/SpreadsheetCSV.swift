import Foundation

/// CSV for spreadsheets: a UTF-8 byte-order mark (so Excel on Chinese Windows reads UTF-8), CRLF
/// line ends, and a field quoted when it holds a comma, a quote or a line break. The command line's
/// and the web UI's exports are written by this one function.
public enum SpreadsheetCSV {
    public static func document(header: [String], rows: [[String]]) -> String {
        var text = "\u{FEFF}" + line(header)
        for row in rows { text += line(row) }
        return text
    }

    static func line(_ fields: [String]) -> String { fields.map(quoted).joined(separator: ",") + "\r\n" }

    static func quoted(_ s: String) -> String {
        s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
