import CallDSP
import Foundation

/// The rule flags a call's measures raise by themselves (R6–R10), before any rubric scores it.
extension CallComposer {
    /// R6: a monotone agent. R9: each agent interruption (failed from the configured count).
    /// R10: the agent spoke last, or hung up, sooner than the wait after the customer's last words.
    static func speakingFlags(
        parties: CallReport.Parties, interruptions: [CallReport.Interruption], ending: CallReport.Ending?,
        configuration: AnalysisConfiguration
    ) -> [CallReport.Flag] {
        var out: [CallReport.Flag] = []
        if let spread = parties.agent?.pitchSpreadSemitones, spread < configuration.speaking.monotoneSpreadSemitones {
            out.append(.init(rule: "R6", severity: .flag, startSeconds: 0, endSeconds: 0,
                             detail: String(format: "agent's intonation spans %.1f semitones (monotone under %.1f)",
                                            spread, configuration.speaking.monotoneSpreadSemitones)))
        }
        let byAgent = interruptions.filter { $0.by == .agent }
        let c = configuration.conversation
        for i in byAgent {
            out.append(.init(rule: "R9", severity: byAgent.count >= c.interruptionFailCount ? .fail : .flag,
                             startSeconds: i.atSeconds, endSeconds: i.atSeconds, detail: "agent interrupted the customer"))
        }
        if let e = ending, let after = e.afterCustomerSeconds {
            let agentEnded = e.hangupSide.map { $0 == "agent" } ?? (e.lastParty == .agent)
            if agentEnded && after < c.agentWaitAfterCustomerSeconds {
                out.append(.init(rule: "R10", severity: .flag, startSeconds: 0, endSeconds: 0,
                                 detail: String(format: "agent ended the call %.1f s after the customer's last words (wait %.0f s)",
                                                after, c.agentWaitAfterCustomerSeconds)))
            }
        }
        return out
    }

    /// R7: every hold over the limit. R8: dead air from the flag threshold, failed from the fail one.
    static func flags(
        holds: [WaitingDetector.Hold], deadAir: [ClosedRange<Double>], configuration c: WaitingDetector.Configuration
    ) -> [CallReport.Flag] {
        var out: [CallReport.Flag] = []
        for hold in holds where hold.seconds > c.holdFlagSeconds {
            out.append(.init(rule: "R7", severity: .flag, startSeconds: rounded(hold.startSeconds), endSeconds: rounded(hold.endSeconds),
                             detail: "\(hold.kind.rawValue) hold of \(Int(hold.seconds.rounded())) s (over \(Int(c.holdFlagSeconds)) s)"))
        }
        for gap in deadAir {
            let seconds = gap.upperBound - gap.lowerBound
            guard seconds >= c.deadAirFlagSeconds else { continue }
            let severity: CallReport.Flag.Severity = seconds >= c.deadAirFailSeconds ? .fail : .flag
            out.append(.init(rule: "R8", severity: severity, startSeconds: rounded(gap.lowerBound), endSeconds: rounded(gap.upperBound),
                             detail: "dead air of \(Int(seconds.rounded())) s"))
        }
        return out.sorted { $0.startSeconds < $1.startSeconds }
    }
}
