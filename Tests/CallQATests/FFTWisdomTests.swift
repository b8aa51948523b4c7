@testable import callqa
import CallDSP
import Foundation
import Testing

@Suite struct FFTWisdomTests {
    @Test func theWisdomFileIsFoundByTheUsualCacheRules() {
        #expect(FFTWisdomFile.standard(environment: ["CALLQA_FFT_WISDOM": "/w/x", "HOME": "/h"]).path == "/w/x")
        #expect(FFTWisdomFile.standard(environment: ["CALLQA_FFT_WISDOM": "", "HOME": "/h"]).path == nil)
        #expect(FFTWisdomFile.standard(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]).path == "/c/callqa/fftw-wisdom")
        #expect(FFTWisdomFile.standard(environment: ["HOME": "/h"]).path == "/h/.cache/callqa/fftw-wisdom")
        #expect(FFTWisdomFile.standard(environment: [:]).path == nil)
    }

    @Test func measuredPlansAreKeptAndGivenBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-wisdom-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sub/fftw-wisdom").path
        let first = FFTWisdomFile(path: path).makePlanner()
        #expect(first.planner.rigor == .measure)
        #expect(first.loaded == nil)
        // A size no other test plans, so this process's FFTW has no wisdom for it yet.
        let spectrum = measuredSpectrum(size: 250, planner: first.planner)
        first.save()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("(fftw-"))
        #expect(!FileManager.default.fileExists(atPath: path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"))

        let second = FFTWisdomFile(path: path).makePlanner()
        #expect(second.loaded != nil)
        // The measured plan's spectrum is the signal's (a plain DFT in double precision).
        let size = 250
        for k in 0..<(size / 2 + 1) {
            var re = 0.0, im = 0.0
            for i in 0..<size {
                let x = Double(sinf(2 * .pi * 25 * Float(i) / Float(size)))
                re += x * cos(2 * .pi * Double(k * i) / Double(size)); im -= x * sin(2 * .pi * Double(k * i) / Double(size))
            }
            let exact = re * re + im * im
            #expect(abs(Double(spectrum[k]) - exact) <= 1e-3 * max(1, exact), "bin \(k): \(spectrum[k]) against \(exact)")
        }
        #expect(spectrum[25] > 1000 * max(spectrum[60], 1e-3))
        // Estimated plans in other tests would use this process's measured wisdom otherwise.
        second.planner.forgetWisdom()
    }

    @Test func aDamagedFileIsIgnoredAndRewritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-wisdom-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("fftw-wisdom").path
        try "not wisdom at all".write(toFile: path, atomically: true, encoding: .utf8)
        let planner = FFTWisdomFile(path: path).makePlanner()
        #expect(planner.planner.rigor == .measure)
        #expect(planner.loaded == nil)
        _ = measuredSpectrum(size: 252, planner: planner.planner)
        planner.save()
        planner.planner.forgetWisdom()
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("(fftw-"))
    }

    @Test func aBareFileNameIsInTheCurrentFolder() throws {
        let planner = FFTWisdomFile(path: "callqa-wisdom-\(UUID().uuidString)").makePlanner()
        #expect(planner.planner.rigor == .measure)
        #expect(planner.path?.hasPrefix("/") == false)
    }

    @Test func withNowhereToKeepItPlansAreEstimated() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-wisdom-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: blocker) }
        try "a file, not a folder".write(to: blocker, atomically: true, encoding: .utf8)
        let planner = FFTWisdomFile(path: blocker.path + "/callqa/fftw-wisdom").makePlanner()
        #expect(planner.planner.rigor == .estimate)
        planner.save()  // nothing to do, and no error
        #expect(FFTWisdomFile(path: nil).makePlanner().planner.rigor == .estimate)
    }

    /// The power spectrum of a sinusoid at bin 25.
    private func measuredSpectrum(size: Int, planner: FFTPlanner) -> [Float] {
        let fft = RealFFT(size: size, planner: planner)
        var power = [Float](repeating: 0, count: fft.binCount)
        power.withUnsafeMutableBufferPointer { p in
            fft.powerSpectrum(fillInput: { input in
                for i in 0..<size { input[i] = sinf(2 * .pi * 25 * Float(i) / Float(size)) }
            }, into: p)
        }
        return power
    }
}
