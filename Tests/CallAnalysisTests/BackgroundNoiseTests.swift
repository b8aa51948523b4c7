import CallAnalysis
import CallDSP
import Foundation
import Testing

/// Music far under a party's voice and outside any hold (a TV across the room, a street's swells
/// read as music) is the line's background: the SNR is measured against it, not only against the
/// hiss of its quietest moments.
@Suite struct BackgroundNoiseTests {
    /// Held notes of a scale with a bass line, swelling ±`swingDB` over 6 s: a music-like background
    /// whose loud phases the music model claims while its soft phases stay quiet.
    static func swellingTune(samples n: Int, rate: Int, swingDB: Float) -> [Float] {
        let notes: [Float] = [392.0, 440.0, 493.9, 523.3, 587.3, 523.3, 493.9, 440.0]
        let noteSamples = rate * 2 / 5
        return (0..<n).map { i in
            let hz = notes[(i / noteSamples) % notes.count]
            let t = Float(i % noteSamples) / Float(rate), seconds = Float(i) / Float(rate)
            var v: Float = 0.7 * sinf(2 * .pi * hz / 4 * t)
            for h in 1...4 { v += sinf(2 * .pi * hz * Float(h) * t) / Float(h) }
            return v * powf(10, swingDB * sinf(2 * .pi * seconds / 6) / 20)
        }
    }

    @Test func aSwellingTuneUnderTheCustomerIsTheLinesNoise() throws {
        let file = "20261123-113300_agent-1004_call-000008.flac"
        let (excerpt, rate) = try Samples.excerpt(file, seconds: 40)
        let planner = FFTPlanner()
        let clean = Samples.analyze(channels: excerpt, sampleRateHz: rate, name: file, planner: planner)
        let customerIndex = clean.agentChannel == "left" ? 1 : 0
        let customer = try #require(clean.parties.customer)
        let levelDBov = try #require(customer.activeLevelDbov), cleanSNR = try #require(customer.snrDb)
        // The tune's mean power 16 dB under the customer's active level, through the whole excerpt.
        let bedDBov = levelDBov - 16
        let tune = Self.swellingTune(samples: excerpt[customerIndex].count, rate: rate, swingDB: 6)
        let rms = sqrt(tune.reduce(0) { $0 + Double($1 * $1) } / Double(tune.count))
        let gain = Float(pow(10, bedDBov / 20) / rms)
        var channels = excerpt
        channels[customerIndex] = zip(excerpt[customerIndex], tune).map { $0 + $1 * gain }
        let report = Samples.analyze(channels: channels, sampleRateHz: rate, name: file, planner: planner)
        let measured = try #require(report.parties.customer?.snrDb)
        // Truth: the customer's level against the tune's mean power plus the line's own noise.
        let expected = levelDBov - 10 * log10(pow(10, (levelDBov - cleanSNR) / 10) + pow(10, bedDBov / 10))
        // Measured 18.6 against 16.0 (the soft phases weigh more than the swells).
        #expect(abs(measured - expected) <= 3.5, "SNR \(measured) dB, expected \(expected) dB (clean \(cleanSNR) dB)")
        #expect(!report.segments.contains { $0.kind == .hold }, "a tune under the customer is no hold")
        #expect(abs((report.parties.agent?.snrDb ?? 0) - (clean.parties.agent?.snrDb ?? 99)) <= 0.5, "the agent's leg is untouched")
        // Control: with no music counted as noise, only the tune's soft phases are measured.
        var off = AnalysisConfiguration()
        off.lineNoiseMusicBelowSpeechDB = 200
        let without = Samples.analyze(channels: channels, sampleRateHz: rate, name: file, planner: planner, configuration: off)
        #expect((without.parties.customer?.snrDb ?? 0) - expected > 5, "without the rule \(without.parties.customer?.snrDb ?? 0) dB")
    }
}
