@testable import CallAnalysis
import CallDSP
import Foundation
import Testing

/// A customer keying in a phone number (DTMF) between the agent's question and their reply (set
/// 10's 980001): the keys were the customer's speech, their level the customer's level, and the
/// keying would be dead air once they were not.
@Suite struct KeypadTests {
    static let rate = AnswerTests.rate
    /// Q.23's frequencies of the keys 0-9.
    static let keys: [Character: (Float, Float)] = [
        "1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "4": (770, 1209), "5": (770, 1336),
        "6": (770, 1477), "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "0": (941, 1336),
    ]

    /// `digits` keyed `onSeconds` each, `offSeconds` apart, the low tone at -13 dBov and the high at -11.
    static func keyed(_ digits: String, onSeconds: Double, offSeconds: Double) -> [Float] {
        var out: [Float] = []
        for d in digits {
            let (low, high) = keys[d]!
            out += (0..<Int(onSeconds * Double(rate))).map { i in
                let t = Float(i) / Float(rate)
                return 0.316 * sinf(2 * .pi * low * t) + 0.398 * sinf(2 * .pi * high * t)
            }
            out += AnswerTests.silence(offSeconds)
        }
        return out
    }

    @Test func keyedDigitsAreNeitherSpeechNorDeadAir() throws {
        let (sample, sampleRate) = try Samples.decode(RecordedAnnouncementTests.file)
        #expect(sampleRate == Self.rate)
        func seconds(_ s: Double) -> Int { Int(s * Double(Self.rate)) }
        let question = Array(sample[0][seconds(9.7)..<seconds(12.7)]), reply = Array(sample[1][seconds(19.0)..<seconds(22.0)])
        // The agent asks (0.5-3.5 s); the customer keys 11 digits from 4 s, then answers at 7.5 s.
        let keysStart = 4.0, keys = Self.keyed("13800138000", onSeconds: 0.1, offSeconds: 0.16)
        let keysEnd = keysStart + Double(keys.count) / Double(Self.rate) - 0.16
        let total = seconds(11)
        func leg(_ parts: [(Double, [Float])], noise: Float, seed: UInt64) -> [Float] {
            var out = AnswerTests.noise(11, level: noise, seed: seed)
            for (at, x) in parts { for (i, v) in x.enumerated() where seconds(at) + i < total { out[seconds(at) + i] += v } }
            return out
        }
        let agent = leg([(0.5, question)], noise: 0.0005, seed: 1)
        // The keys' echo on the agent's leg, 25 dB down, is not the agent keying.
        let echoed = leg([(0.5, question), (keysStart + 0.02, keys.map { $0 * 0.056 })], noise: 0.0005, seed: 1)
        let report = Samples.analyze(channels: [echoed, leg([(keysStart, keys), (7.5, reply)], noise: 0.001, seed: 2)],
                                     sampleRateHz: Self.rate, name: "keyed digits", planner: FFTPlanner())
        let plain = Samples.analyze(channels: [agent, leg([(7.5, reply)], noise: 0.001, seed: 2)],
                                    sampleRateHz: Self.rate, name: "no keys", planner: FFTPlanner())
        let keypad = report.segments.filter { $0.kind == .keypad }
        #expect(keypad.count == 1, "\(report.segments)")
        if let k = keypad.first {
            #expect(k.party == .customer)
            #expect(abs(k.startSeconds - keysStart) <= 0.1 && abs(k.endSeconds - keysEnd) <= 0.1, "keys \(k.startSeconds)-\(k.endSeconds) s, keyed \(keysStart)-\(keysEnd) s")
        }
        #expect(!report.segments.contains { $0.kind == .speech && $0.endSeconds > keysStart && $0.startSeconds < keysEnd }, "\(report.segments)")
        #expect(!report.segments.contains { $0.kind == .deadAir }, "\(report.segments)")
        let level = try #require(report.parties.customer?.activeLevelDbov), plainLevel = try #require(plain.parties.customer?.activeLevelDbov)
        #expect(abs(level - plainLevel) <= 0.5, "customer level \(level) dBov with the keys, \(plainLevel) without")
        // Without the keys the same gap is dead air: the keys are what fills it.
        #expect(plain.segments.contains { $0.kind == .deadAir })
    }

    @Test func aKeyIsOneLowAndOneHighFrequency() {
        let detector = SpeechDetector(configuration: .init())
        #expect(detector.keypadKey(1336, 697) == 1 && detector.keypadKey(705, 1220) == 0)
        // Two of one group, a voice's harmonics 2:1 apart, or 4% off are not keys.
        #expect(detector.keypadKey(697, 770) == nil && detector.keypadKey(650, 1300) == nil && detector.keypadKey(725, 1209) == nil)
    }
}
