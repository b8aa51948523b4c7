import Foundation

/// The one way scores and rates are summarised, for the command line, the web pages and the KPI
/// bands alike: the same agent's month reads the same number wherever it is shown.
public enum ScoreAggregate {
    /// To a tenth, halves away from zero. The nudge keeps a mean that is a half in decimal (84.85)
    /// from falling either way with the binary rounding of whichever sum produced it (SQL's AVG
    /// and a Swift sum differ in the last bit).
    public static func tenth(_ x: Double) -> Double { ((x * 10) + 1e-7).rounded(.toNearestOrAwayFromZero) / 10 }

    /// The mean to a tenth; nil for no values.
    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : tenth(values.reduce(0, +) / Double(values.count))
    }

    /// The median: the middle value, or the mean of the two middle ones for an even count.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
