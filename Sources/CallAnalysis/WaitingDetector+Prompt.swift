import CallDSP
import Foundation

/// A recording that starts before the ringing: the IVR's greeting ("您好，欢迎致电……正在为您转接人工
/// 服务"), then the agent's phone rings, then the agent answers. The greeting is not the agent's
/// speech, and the rings after it are the wait for the agent.
extension WaitingDetector {
    /// The ringing after an opening prompt, and the prompt's speech segments per channel: on a
    /// two-leg call, speech on one leg only, at least `ivrPromptMinimumSeconds` of it, over by
    /// `ivrPromptLatestEndSeconds`, followed on that same leg (the caller hears the greeting and
    /// the ringing alike) and before anyone speaks again by at least `ivrPromptMinimumRings` rings
    /// of one plan. Nil when the recording does not open so. A mono call opens so too (set 10's
    /// 980002); there a short exchange before a transfer's rings would look the same, but no voice
    /// test tells them apart: an IVR menu may join prompts in two voices, and our pitch medians on
    /// a 2 s codec'd prompt wander by half an octave.
    func ringingAfterPrompt(_ channels: [Channel], bursts: [[Burst]]) -> (ringing: Ringing, prompt: [[FrameRange]])? {
        guard let grid = channels.first?.features.grid else { return nil }
        let c = configuration
        let speech = channels.indices.flatMap { i in channels[i].speech.map { (channel: i, range: $0) } }
            .sorted { $0.range.start < $1.range.start }
        let latestEnd = grid.frame(atSeconds: c.ivrPromptLatestEndSeconds)
        var promptEnd = 0, promptFrames = 0
        for next in 1..<max(1, speech.count) {
            let prompt = speech[..<next], leg = speech[0].channel
            promptEnd = max(promptEnd, speech[next - 1].range.end)
            promptFrames += speech[next - 1].range.count
            // One recording on one line, over before the limit.
            guard promptEnd <= latestEnd, prompt.allSatisfy({ $0.channel == leg }) else { return nil }
            guard promptFrames >= grid.frames(inSeconds: c.ivrPromptMinimumSeconds) else { continue }
            let from = grid.seconds(ofFrame: promptEnd), to = grid.seconds(ofFrame: speech[next].range.start)
            let between = bursts[leg].filter { $0.start >= from && $0.end <= to }
            guard let ringing = bestRinging(between, firstSpeech: to), ringing.rings >= c.ivrPromptMinimumRings,
                  !Self.isNoteOfMusic(ringing, on: channels[leg], within: c.musicAfterLoneRingSeconds) else { continue }
            var ranges = [[FrameRange]](repeating: [], count: channels.count)
            ranges[leg] = prompt.map(\.range)
            return (ringing, ranges)
        }
        return nil
    }
}
