@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A busy tone after the last words, on the leg of the side that hung up, was reported as a beep
/// hold (set 5: four calls). It is the line saying the call is over, and says who ended it.
@Suite struct DisconnectToneTests {
    /// Sample call 2 with `seconds` of 450 Hz beeps (`on` seconds every `period`) at -20 dBov
    /// appended on the customer's leg (right), the agent's leg carrying only its line's noise.
    static func report(on: Double, period: Double, seconds: Double = 4) throws -> CallReport {
        let file = "20261123-091544_agent-1002_call-000002.wav"
        let (channels, rate) = try Samples.decode(file)
        let count = Int(seconds * Double(rate))
        var legs = channels
        var generator = SystemRandomNumberGenerator()
        for i in 0..<count {
            let t = Double(i) / Double(rate)
            let beeping = t.truncatingRemainder(dividingBy: period) < on
            legs[1].append(beeping ? Float(0.1 * sin(2 * .pi * 450 * t)) : 0)
            legs[0].append(Float.random(in: -0.001...0.001, using: &generator))
        }
        return Samples.analyze(channels: legs, sampleRateHz: rate, name: file, planner: FFTPlanner())
    }

    @Test func aBusyToneAfterTheLastWordsIsTheCustomerHangingUp() throws {
        let report = try Self.report(on: 0.35, period: 0.7)
        let end = report.durationSeconds - 4
        #expect(!report.segments.contains { $0.kind == .hold && $0.endSeconds > end }, "\(report.segments.suffix(3))")
        #expect(!report.segments.contains { $0.kind == .speech && $0.startSeconds > end }, "\(report.segments.suffix(3))")
        #expect(report.ending?.hangupSide == "customer")
    }

    @Test func holdBeepsAtTheEndAreStillAHold() throws {
        // Control: a beep every 2 s, the hold cadence, still reads as a hold running to the end.
        let report = try Self.report(on: 0.4, period: 2, seconds: 9)
        let end = report.durationSeconds - 9
        #expect(report.segments.contains { $0.kind == .hold && $0.holdKind == .tone && $0.startSeconds >= end - 0.5 },
                "\(report.segments.suffix(3))")
        #expect(report.ending?.hangupSide == nil)
    }
}
