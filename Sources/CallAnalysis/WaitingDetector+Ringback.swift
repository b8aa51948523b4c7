import CallDSP
import Foundation

extension WaitingDetector {
    /// The ringing and its answer, and the channels with any noise of the line connecting taken
    /// out of their first words (`noiseAtConnect`), which the answer is then read from. The cuts
    /// stand only if the ringing read again ends where it did: they were made against that end.
    /// An IVR's greeting before the rings (`ringingAfterPrompt`) is taken out of the channels'
    /// speech and returned as `prompt`, per channel.
    func ringback(_ channels: [Channel], bursts: [[Burst]], answered: Bool)
        -> (channels: [Channel], ringing: Ringing?, cuts: [FrameRange?], prompt: [[FrameRange]])
    {
        let none = [FrameRange?](repeating: nil, count: channels.count)
        var prompt = [[FrameRange]](repeating: [], count: channels.count)
        guard !answered else { return (channels, nil, none, prompt) }
        var channels = channels
        var first = ringing(channels, bursts: bursts)
        if first == nil, let opening = ringingAfterPrompt(channels, bursts: bursts) {
            // The greeting goes only if the ringing, read again without it, is still there.
            var without = channels
            for i in without.indices { for r in opening.prompt[i] { without[i] = without[i].removingSpeech(in: r) } }
            if let again = ringing(without, bursts: bursts), again.rings >= configuration.ivrPromptMinimumRings {
                (channels, first, prompt) = (without, again, opening.prompt)
            }
        }
        // Tone rings only (a CRBT's end is music fading, not the line connecting).
        guard let r = first, r.tonePlan != Self.crbtPlanName, let ringEnd = r.ringSeconds.last?.upperBound else {
            return (channels, first, none, prompt)
        }
        let cuts = channels.map { noiseAtConnect($0, ringEnd: ringEnd) }
        guard cuts.contains(where: { $0 != nil }) else { return (channels, first, none, prompt) }
        let trimmed = zip(channels, cuts).map { channel, cut in cut.map { channel.removingSpeech(in: $0) } ?? channel }
        guard let again = ringing(trimmed, bursts: bursts), again.tonePlan == r.tonePlan, again.ringSeconds == r.ringSeconds else {
            return (channels, first, none, prompt)
        }
        return (trimmed, again, cuts, prompt)
    }

    /// The best tone-plan chain before the first speech on any channel, else a CRBT; with its
    /// answer where the line connects.
    private func ringing(_ channels: [Channel], bursts: [[Burst]]) -> Ringing? {
        guard let grid = channels.first?.features.grid else { return nil }
        let firstSpeech = channels.flatMap(\.speech).map { grid.seconds(ofFrame: $0.start) }.min()
        var ringing: Ringing?
        for (channel, channelBursts) in zip(channels, bursts) {
            let early = channelBursts.filter { firstSpeech == nil || $0.start < firstSpeech! }
            if let candidate = bestRinging(early, firstSpeech: firstSpeech),
               candidate.rings > (ringing?.rings ?? 0),
               !Self.isNoteOfMusic(candidate, on: channel, within: configuration.musicAfterLoneRingSeconds) {
                ringing = candidate
            }
        }
        // Music counts as ringing only when someone then answers: music and nothing else is a
        // recording of music (or a call nobody picked up), not a CRBT with an answer time.
        if ringing == nil, let firstSpeech { ringing = colouredRingback(channels, firstSpeech: firstSpeech) }
        if var r = ringing, r.answeredInSilence, let firstSpeech, let lastRing = r.ringSeconds.last,
           let connect = lineConnects(channels, after: lastRing.upperBound, firstWords: firstSpeech, nextRingDue: r.nextRingDueSeconds) {
            r.answerSeconds = connect
            ringing = r
        }
        return ringing
    }

    // MARK: - Ringback

    /// The longest chain of bursts that fits one plan's frequencies and cadence.
    func bestRinging(_ bursts: [Burst], firstSpeech: Double?) -> Ringing? {
        var best: (ringing: Ringing, whole: Bool, error: Double)?
        for plan in TonePlan.all {
            guard let (rings, error) = chain(bursts, plan: plan) else { continue }
            let candidate = ringing(rings, plan: plan, firstSpeech: firstSpeech)
            // As many rings either way: a plan whose cadence the last ring fills beats one that
            // must call it cut by the pickup (France's 1.5 s ring is not a cut 2 s American one).
            let whole = isWhole(rings.last!, plan: plan)
            if best == nil || candidate.rings > best!.ringing.rings
                || (candidate.rings == best!.ringing.rings && (whole && !best!.whole || whole == best!.whole && error < best!.error)) {
                best = (candidate, whole, error)
            }
        }
        return best?.ringing
    }

    /// Every burst of the ring as long as the plan's cadence says.
    private func isWhole(_ ring: [Burst], plan: TonePlan) -> Bool {
        ring.count == plan.cadence.count && zip(ring, plan.cadence).allSatisfy { burst, step in
            abs(burst.seconds - step.on) <= onToleranceSeconds(step.on)
        }
    }

    /// How far a burst may be from the cadence's on-time: short bursts (double rings) are held closer.
    private func onToleranceSeconds(_ on: Double) -> Double {
        on < 0.7 ? configuration.shortBurstToleranceSeconds : configuration.ringOnToleranceSeconds
    }

    /// Groups bursts into rings of `plan` (one burst, or two for the UK's double ring), keeping the
    /// longest run of rings one period apart. Returns the rings and the mean frequency error.
    func chain(_ bursts: [Burst], plan: TonePlan) -> (rings: [[Burst]], errorHz: Double)? {
        let c = configuration
        func frequencyError(_ b: Burst) -> Double { plan.frequenciesHz.map { abs($0 - b.hz) }.min()! }
        func lengthFits(_ b: Burst, _ on: Double, cutAllowed: Bool) -> Bool {
            if abs(b.seconds - on) <= onToleranceSeconds(on) { return true }
            return cutAllowed && b.seconds >= c.minimumCutRingSeconds && b.seconds < on
        }
        let candidates = bursts.filter {
            frequencyError($0) <= min(plan.toleranceHz ?? .infinity, c.ringFrequencyToleranceHz) && (!plan.swings || $0.swingDB >= c.ringSwingMinimumDB)
        }
        // Rings: consecutive bursts matching the cadence's on-times and the gaps between them.
        var rings: [[Burst]] = []
        var i = 0
        while i < candidates.count {
            var ring: [Burst] = []
            var j = i
            for (k, step) in plan.cadence.enumerated() {
                guard j < candidates.count else { break }
                let b = candidates[j]
                if let last = ring.last, abs(b.start - last.end - plan.cadence[k - 1].off) > c.shortBurstToleranceSeconds { break }
                let isLastBurst = j == candidates.count - 1
                guard lengthFits(b, step.on, cutAllowed: isLastBurst) else { break }
                ring.append(b)
                j += 1
                if isLastBurst && b.seconds < step.on - c.ringOnToleranceSeconds { break }  // cut by the pickup
            }
            let complete = ring.count == plan.cadence.count
            let cut = !ring.isEmpty && j == candidates.count
            if complete || cut { rings.append(ring); i = j } else { i += 1 }
        }
        // Keep the longest run of rings one period apart.
        var bestRun: [[Burst]] = []
        var run: [[Burst]] = []
        for ring in rings {
            if let last = run.last, abs(ring[0].start - last[0].start - plan.periodSeconds) > c.ringPeriodToleranceSeconds {
                if run.count > bestRun.count { bestRun = run }
                run = []
            }
            run.append(ring)
        }
        if run.count > bestRun.count { bestRun = run }
        guard !bestRun.isEmpty else { return nil }
        let all = bestRun.flatMap { $0 }
        return (bestRun, all.map(frequencyError).reduce(0, +) / Double(all.count))
    }

    func ringing(_ rings: [[Burst]], plan: TonePlan, firstSpeech: Double?) -> Ringing {
        let c = configuration
        let lastRing = rings.last!
        let lastBurst = lastRing.last!
        let lastStep = plan.cadence[lastRing.count - 1]
        let wasCut = lastRing.count < plan.cadence.count || lastBurst.seconds < lastStep.on - c.ringOnToleranceSeconds
        var answer = lastBurst.end
        if !wasCut {
            // Pickup came in the silence after the last ring: before the next ring was due, and
            // about a greeting's delay before the first words.
            let nextRingDue = lastRing[0].start + plan.periodSeconds
            let beforeGreeting = (firstSpeech ?? lastBurst.end) - c.greetingAfterPickupSeconds
            answer = min(max(beforeGreeting, lastBurst.end), nextRingDue)
        }
        return Ringing(
            tonePlan: plan.name, rings: rings.count, answerSeconds: answer,
            ringSeconds: rings.map { $0.first!.start...$0.last!.end },
            answeredInSilence: !wasCut, nextRingDueSeconds: lastRing[0].start + plan.periodSeconds)
    }

    /// Where the line connects after the last ring: the far end's line noise starting, a step of
    /// `connectStepDB` or more in a channel's level that holds for `connectHoldSeconds`, before
    /// the first words. Nil when no leg steps up (noise throughout, or silence until the words).
    func lineConnects(_ channels: [Channel], after ringEnd: Double, firstWords: Double, nextRingDue: Double) -> Double? {
        let c = configuration
        var earliest: Double?
        for channel in channels {
            let grid = channel.features.grid
            let level = channel.features.bandPowerDB
            let lo = grid.frame(atSeconds: ringEnd + 0.1)
            let baselineFrames = grid.frames(inSeconds: 0.2), hold = grid.frames(inSeconds: c.connectHoldSeconds)
            guard lo >= 0, lo + baselineFrames < level.count else { continue }
            let baseline = level[lo..<(lo + baselineFrames)].sorted()[baselineFrames / 2]
            // The step must come before the words; but after digital quiet the far end's noise
            // starting can itself read as "words" for a moment, so there it may sit at them.
            let latest = baseline < Float(c.mutedLevelDBov) ? firstWords + 0.1 : firstWords - c.connectHoldSeconds
            let hi = min(level.count, grid.frame(atSeconds: min(latest, nextRingDue)) + hold)
            var f = lo + baselineFrames
            let atWords = grid.frame(atSeconds: firstWords) - hold, steady = grid.frames(inSeconds: 0.3)
            while f + hold <= hi {
                if level[f..<(f + hold)].min()! >= baseline + Float(c.connectStepDB) {
                    // At the words themselves, only a steady level is the line (noise); a level
                    // that jumps about is the words, and the answer stays an estimate.
                    if f >= atWords {
                        // (past the frame or two that straddle the step)
                        let after = level[min(level.count, f + 3)..<min(level.count, f + 3 + steady)]
                        guard after.count == steady, after.max()! - after.min()! <= Float(c.connectStepDB) else { break }
                    }
                    let seconds = grid.seconds(ofFrame: f)
                    earliest = min(earliest ?? seconds, seconds)
                    break
                }
                f += 1
            }
        }
        return earliest
    }

    /// Music from the start of the recording until the first speech: a coloured ring-back tone.
    func colouredRingback(_ channels: [Channel], firstSpeech: Double?) -> Ringing? {
        let c = configuration
        var best: (start: Double, end: Double)?
        for channel in channels {
            let grid = channel.features.grid
            let limit = firstSpeech.map { grid.frame(atSeconds: $0) } ?? channel.labels.count
            guard let first = channel.labels[0..<min(limit, channel.labels.count)].firstIndex(of: .music),
                  let last = channel.labels[0..<min(limit, channel.labels.count)].lastIndex(of: .music) else { continue }
            let start = grid.seconds(ofFrame: first), end = grid.seconds(ofFrame: last + 1)
            guard start <= c.crbtLatestStartSeconds, end - start >= c.crbtMinimumSeconds else { continue }
            // Positive evidence only: without the model's probabilities there is no CRBT.
            guard channel.musicProbability.count == channel.labels.count else { continue }
            var sum = 0.0, count = 0.0
            for f in first...last where channel.labels[f] == .music { sum += Double(channel.musicProbability[f]); count += 1 }
            guard count > 0, sum / count >= c.crbtMinimumMusicProbability else { continue }
            if best == nil || end - start > best!.end - best!.start { best = (start, end) }
        }
        guard let span = best else { return nil }
        return Ringing(
            tonePlan: Self.crbtPlanName, rings: Int(((span.end - span.start) / c.secondsPerRing).rounded(.up)),
            answerSeconds: span.end, ringSeconds: [span.start...span.end])
    }
}
