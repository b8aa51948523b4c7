import CallDSP
import Foundation

/// The line's disconnect tone: when one side hangs up, the network plays a busy or reorder tone
/// to the other, and a recorder that goes on recording keeps it on the leg of the side that left.
/// Beeps like that after everyone's last words are the call's end, not a beep hold.
extension WaitingDetector {
    public struct DisconnectTone: Sendable, Equatable {
        /// The leg carrying it (the side that hung up); nil when it plays on both legs at like levels.
        public var channel: Int?
        public var startSeconds: Double
    }

    /// Takes the disconnect tone out of the channels' beep holds and returns it, if any: each
    /// channel's last beep run when `isDisconnectTone` holds for it. On both legs, the side is the
    /// leg where it is `disconnectToneLouderDB` louder; else unknown.
    func disconnectTone(_ beeps: inout [[Hold]], channels: [Channel], durationSeconds: Double) -> DisconnectTone? {
        guard let grid = channels.first?.features.grid else { return nil }
        // The last words: a blip the recording's end cuts from a tone's last burst is not words.
        let wordFrames = grid.frames(inSeconds: configuration.disconnectToneWordSeconds)
        let lastWordsSeconds = channels.flatMap { $0.speech }.filter { $0.count >= wordFrames }
            .map { grid.seconds(ofFrame: $0.end) }.max() ?? 0
        var found: [(channel: Int, tone: Hold, levelDB: Float)] = []
        for index in beeps.indices {
            guard let last = beeps[index].last,
                  isDisconnectTone(last, lastWordsSeconds: lastWordsSeconds, durationSeconds: durationSeconds) else { continue }
            beeps[index].removeLast()
            found.append((index, last, toneLevelDB(channels[index], from: last.startSeconds, to: last.endSeconds)))
        }
        guard let start = found.map(\.tone.startSeconds).min() else { return nil }
        let loudest = found.max { $0.levelDB < $1.levelDB }!
        let clear = found.allSatisfy { $0.channel == loudest.channel || $0.levelDB <= loudest.levelDB - configuration.disconnectToneLouderDB }
        return DisconnectTone(channel: clear ? loudest.channel : nil, startSeconds: start)
    }

    /// Beeps in a busy or reorder cadence (a period of at most `disconnectToneMaximumPeriodSeconds`,
    /// on about half of it, at 350–650 Hz) that start after everyone's last words and last until
    /// the recording ends (within a period and `disconnectToneEndReachSeconds`).
    func isDisconnectTone(_ beeps: Hold, lastWordsSeconds: Double, durationSeconds: Double) -> Bool {
        let c = configuration
        let duty = beeps.beepPeriodSeconds > 0 ? beeps.beepSeconds / beeps.beepPeriodSeconds : 0
        return beeps.beepPeriodSeconds <= c.disconnectToneMaximumPeriodSeconds
            && c.disconnectToneDutyRange.contains(duty) && c.disconnectToneHzRange.contains(beeps.beepHz)
            && beeps.startSeconds >= lastWordsSeconds
            && beeps.endSeconds >= durationSeconds - beeps.beepPeriodSeconds - c.disconnectToneEndReachSeconds
    }

    /// Mean band power (dB) of the tone frames in a stretch of a channel.
    func toneLevelDB(_ channel: Channel, from startSeconds: Double, to endSeconds: Double) -> Float {
        let grid = channel.features.grid
        let frames = max(0, grid.frame(atSeconds: startSeconds))..<min(channel.labels.count, grid.frame(atSeconds: endSeconds))
        let levels = frames.filter { channel.labels[$0] == .tone }.map { Decibels.toPower(Double(channel.features.bandPowerDB[$0])) }
        return levels.isEmpty ? -200 : Float(Decibels.fromPower(levels.reduce(0, +) / Double(levels.count)))
    }
}
