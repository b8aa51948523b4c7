@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A busy tone after the last words, on the leg of the side that hung up, was reported as a beep
/// hold (set 5: four calls). It is the line saying the call is over, and says who ended it.
@Suite struct DisconnectToneTests {
    /// Sample call 2 with `seconds` of beeps (`on` seconds every `period`, at `hz`, -20 dBov)
    /// appended on `leg` (0 the agent's, 1 the customer's), the other leg carrying only line noise.
    static func report(on: Double, period: Double, seconds: Double, hz: Double = 450, leg: Int = 1, mono: Bool = false,
                       configuration: AnalysisConfiguration = AnalysisConfiguration()) throws -> CallReport {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (channels, rate) = try Samples.decode(file)
        let count = Int(seconds * Double(rate))
        var legs = channels
        let noise = AnswerTests.noise(seconds, level: 0.001, seed: 7)
        for i in 0..<count {
            let t = Double(i) / Double(rate)
            let beeping = t.truncatingRemainder(dividingBy: period) < on
            legs[leg].append(beeping ? Float(0.1 * sin(2 * .pi * hz * t)) : 0)
            legs[1 - leg].append(noise[min(i, noise.count - 1)])
        }
        if mono { legs = [zip(legs[0], legs[1]).map { $0 + $1 }] }
        return Samples.analyze(channels: legs, sampleRateHz: rate, name: file, planner: FFTPlanner(), configuration: configuration)
    }

    /// The appended line noise is quieter than the call's own: without the tone, that leg would
    /// be read as falling silent (its side hanging up, `HangupTests`). These tests are the tone's.
    static var toneOnly: AnalysisConfiguration {
        var c = AnalysisConfiguration()
        c.waiting.legEndDropDB = .infinity
        return c
    }

    static func after(_ report: CallReport, seconds: Double) -> [CallReport.Segment] {
        report.segments.filter { $0.endSeconds > report.durationSeconds - seconds }
    }

    @Test func aBusyToneAfterTheLastWordsIsTheCustomerHangingUp() throws {
        // 3.6 s: the last burst is cut to 0.1 s by the recording's end.
        let report = try Self.report(on: 0.35, period: 0.7, seconds: 3.6)
        let tail = Self.after(report, seconds: 3.6)
        #expect(tail.isEmpty, "nothing after the last words: \(tail)")
        #expect(report.ending?.hangupSide == "customer")
        // Control: with the rule off the same beeps are a beep hold.
        var off = Self.toneOnly
        off.waiting.disconnectToneMaximumPeriodSeconds = 0
        let before = try Self.report(on: 0.35, period: 0.7, seconds: 3.6, configuration: off)
        #expect(Self.after(before, seconds: 3.6).contains { $0.kind == .hold && $0.holdKind == .tone }, "\(Self.after(before, seconds: 3.6))")
        #expect(before.ending?.hangupSide == nil)
    }

    @Test func onTheAgentsLegItIsTheAgentHangingUp() throws {
        let report = try Self.report(on: 0.5, period: 1, seconds: 4, leg: 0)
        #expect(Self.after(report, seconds: 4).isEmpty && report.ending?.hangupSide == "agent", "\(Self.after(report, seconds: 4))")
    }

    /// On a mono mix the tone is on no one leg: it is still the customer's hang-up (set 9's
    /// 970012; every independent set's busy tone follows the customer's hang-up: the network plays
    /// it to the agent still on the line).
    @Test func onAMonoMixItIsTheCustomerHangingUp() throws {
        let report = try Self.report(on: 0.35, period: 0.7, seconds: 3.6, mono: true, configuration: Self.toneOnly)
        #expect(Self.after(report, seconds: 3.6).isEmpty, "\(Self.after(report, seconds: 3.6))")
        #expect(report.ending?.hangupSide == "customer")
    }

    @Test func holdBeepsAtTheEndAreStillAHold() throws {
        // A beep every 2 s, and fast 1 kHz beeps (0.2 s every second) on the agent's leg: hold
        // cadences, still holds running to the end (the customer hung up on hold).
        for (on, period, hz, leg) in [(0.4, 2.0, 450.0, 1), (0.2, 1.0, 1000.0, 0)] {
            // Default settings: the leg muted for the hold is not a side hanging up either.
            let report = try Self.report(on: on, period: period, seconds: 9, hz: hz, leg: leg)
            #expect(Self.after(report, seconds: 9).contains { $0.kind == .hold && $0.holdKind == .tone }, "\(Self.after(report, seconds: 9))")
            #expect(report.ending?.hangupSide == nil)
        }
    }
}
