@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Hold beeps over a faint line: set 7's 950004 (A-law, a 425 Hz beep every 8 s over comfort noise
/// at -70 dBov) was read as dead air. Through A-law that noise comes out as a rough -57 dB the
/// noise tracker calls sound, so every beep had "sound" on both sides and was taken for a vowel;
/// and the agent's words right after the last beep touched the run of beeps, which then did not
/// count as a hold.
@Suite struct BeepHoldTests {
    /// G.711 A-law's companding and 8-bit rounding (mid-rise: no zero level), there and back.
    static func aLaw(_ x: Float) -> Float {
        let a: Float = 87.6, m = min(abs(x), 1)
        let y = m < 1 / a ? a * m / (1 + logf(a)) : (1 + logf(a * m)) / (1 + logf(a))
        let q = (floorf(y * 128) + 0.5) / 128
        let back = q < 1 / (1 + logf(a)) ? q * (1 + logf(a)) / a : expf(q * (1 + logf(a)) - 1) / a
        return x < 0 ? -back : back
    }

    /// Sample call 2 with a hold on the agent's leg just before the agent's second turn (at 24.56 s,
    /// its words 0.02 s later): `hz` beeps of `on` seconds every `period` at -18 dBov, the last
    /// ending the hold, over A-law-rounded noise at -70 dBov (or digital silence: a muted line);
    /// the customer's leg keeps its line noise.
    static func report(hz: Double = 425, on: Double = 0.25, period: Double = 8, beeps: Int = 6, mutedLine: Bool = false,
                       configuration: AnalysisConfiguration = AnalysisConfiguration()) throws -> (CallReport, ClosedRange<Double>) {
        let file = RecordedAnnouncementTests.file
        let (channels, rate) = try Samples.decode(file)
        let at = Int(24.56 * Double(rate))
        let lead = 0.5
        let count = Int((lead + period * Double(beeps - 1) + on) * Double(rate))
        let noise = AnswerTests.noise(Double(count) / Double(rate), level: powf(10, -70 / 20) * sqrtf(3), seed: 11)
        var smooth: Float = 0
        let hold: [Float] = (0..<count).map { i in
            let t = Double(i) / Double(rate) - lead
            smooth = 0.6 * smooth + 0.4 * noise[min(i, noise.count - 1)]  // a little pinker than white
            let beep = t >= 0 && t.truncatingRemainder(dividingBy: period) < on ? Float(0.126 * sqrt(2) * sin(2 * .pi * hz * t)) : 0
            return mutedLine ? beep : aLaw(beep + smooth)
        }
        let customerNoise = (0..<count).map { channels[1][Int(19.5 * Double(rate)) + $0 % Int(4 * Double(rate))] }
        let legs = [Array(channels[0][..<at]) + hold + Array(channels[0][at...]),
                    Array(channels[1][..<at]) + customerNoise + Array(channels[1][at...])]
        let report = Samples.analyze(channels: legs, sampleRateHz: rate, name: file, planner: FFTPlanner(), configuration: configuration)
        return (report, (24.56 + lead)...(24.56 + Double(count) / Double(rate)))
    }

    static func holds(_ report: CallReport, in span: ClosedRange<Double>) -> [CallReport.Segment] {
        report.segments.filter { $0.kind == .hold && $0.startSeconds < span.upperBound && $0.endSeconds > span.lowerBound }
    }

    @Test func beepsOverAFaintLineAreAHold() throws {
        let (report, span) = try Self.report()
        let holds = Self.holds(report, in: span)
        #expect(holds.count == 1 && holds.first?.holdKind == .tone, "\(report.segments.filter { $0.endSeconds > 20 && $0.startSeconds < 75 })")
        if let hold = holds.first {
            #expect(abs(hold.startSeconds - span.lowerBound) < 0.2 && abs(hold.endSeconds - span.upperBound) < 0.2, "\(hold), truth \(span)")
        }
        #expect(!report.segments.contains { $0.kind == .deadAir && span.contains($0.startSeconds + 1) })
        // Control: a beep with faint sound on both sides taken for a vowel, as before.
        var strict = AnalysisConfiguration()
        strict.speech.toneIsolationPureTonality = 2
        let (before, _) = try Self.report(configuration: strict)
        #expect(!before.segments.contains { $0.kind == .hold && span.contains($0.startSeconds) }, "\(before.segments.filter { $0.kind == .hold })")
    }

    /// Short pips (1 kHz, 0.15 s every 12 s) on a muted line: set 7's 950008 was a silent hold,
    /// its pips too short for a tone (0.2 s) and taken for speech.
    @Test func pipsOnAMutedLineAreABeepHold() throws {
        let (report, span) = try Self.report(hz: 1000, on: 0.15, period: 12, beeps: 5, mutedLine: true)
        let holds = Self.holds(report, in: span)
        #expect(holds.count == 1 && holds.first?.holdKind == .tone, "\(holds)")
        // (The last pip, 0.02 s before the agent's words, may open them.)
        let pips = span.lowerBound...(span.upperBound - 1)
        #expect(!report.segments.contains { $0.kind == .speech && $0.party == .agent && pips.contains($0.startSeconds) },
                "pips read as the agent: \(report.segments.filter { $0.kind == .speech && span.contains($0.startSeconds) })")
        // Control: with pure tones held to the 0.2 s of other tones, the pips are words and the
        // hold a muted line's.
        var longer = AnalysisConfiguration()
        longer.speech.minimumPureToneSeconds = 0.2
        let (before, _) = try Self.report(hz: 1000, on: 0.15, period: 12, beeps: 5, mutedLine: true, configuration: longer)
        #expect(Self.holds(before, in: span).first?.holdKind != .tone, "\(Self.holds(before, in: span))")
    }
}
