import CallDSP
import Foundation

/// A recording that starts before the ringing: the IVR's greeting ("您好，欢迎致电……正在为您转接人工
/// 服务"), then the agent's phone rings, then the agent answers. The greeting is not the agent's
/// speech, and the rings after it are the wait for the agent.
extension WaitingDetector {
    /// The ringing after an opening prompt, and the prompt's speech segments per channel: speech on
    /// one channel only, ending within `ivrPromptMaximumSeconds`, followed (before anyone speaks
    /// again) by at least `ivrPromptMinimumRings` rings of one plan. Nil when the recording does
    /// not open so.
    func ringingAfterPrompt(_ channels: [Channel], bursts: [[Burst]]) -> (ringing: Ringing, prompt: [[FrameRange]])? {
        guard let grid = channels.first?.features.grid else { return nil }
        let c = configuration
        let speech = channels.indices.flatMap { i in channels[i].speech.map { (channel: i, range: $0) } }
            .sorted { $0.range.start < $1.range.start }
        let limit = grid.frame(atSeconds: c.ivrPromptMaximumSeconds)
        var promptEnd = 0
        for next in 1..<max(1, speech.count) {
            let prompt = speech[..<next]
            promptEnd = max(promptEnd, speech[next - 1].range.end)
            // One recording on one line, over before the limit.
            guard promptEnd <= limit, Set(prompt.map(\.channel)).count == 1 else { return nil }
            let from = grid.seconds(ofFrame: promptEnd), to = grid.seconds(ofFrame: speech[next].range.start)
            for (index, channelBursts) in bursts.enumerated() {
                let between = channelBursts.filter { $0.start >= from && $0.end <= to }
                guard let ringing = bestRinging(between, firstSpeech: to), ringing.rings >= c.ivrPromptMinimumRings,
                      !Self.isNoteOfMusic(ringing, on: channels[index], within: c.musicAfterLoneRingSeconds) else { continue }
                var ranges = [[FrameRange]](repeating: [], count: channels.count)
                for s in prompt { ranges[s.channel].append(s.range) }
                return (ringing, ranges)
            }
        }
        return nil
    }
}
