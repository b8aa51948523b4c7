/// What a rule is called and what it asks, in one language: what scorecards and call pages show
/// beside the rule's id. A centre's rubric may rename rules or describe them in its own words;
/// rules and languages it leaves out keep these.
public struct RuleText: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public init(name: String, description: String) { self.name = name; self.description = description }

    enum CodingKeys: String, CodingKey { case name, description }
    /// A renamed rule need not be described.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), description: try c.decodeIfPresent(String.self, forKey: .description) ?? "")
    }
}

extension Rubric {
    /// Rule id → language ("zh", "en") → text.
    public typealias RuleTexts = [String: [String: RuleText]]

    public static let standardRuleText: RuleTexts = {
        let zh: [(String, String, String)] = [
            ("R1", "及时接听", "响铃三声以内接起电话。"),
            ("R2", "超时致歉", "响铃超过三声才接听时，坐席先向客户致歉（需要通话文本）。"),
            ("R3", "规范问候", "接通后立即用标准问候语开口。"),
            ("R4", "语速适中", "坐席语速保持在每分钟 120–160 字。"),
            ("R5", "音量适中", "音量让客户听得清楚，不喊叫、不削波。"),
            ("R6", "语调自然", "语调有起伏，不机械、不单调。"),
            ("R7", "等待不超一分钟", "让客户在线等待不超过一分钟，每次超过一分钟的保持都会标出。"),
            ("R8", "避免冷场", "处理业务时告诉客户进展，不出现无声冷场。"),
            ("R9", "不打断客户", "耐心倾听，不在客户说话时插话。"),
            ("R10", "客户先挂机", "客户先挂机；坐席收尾后至少等待五秒再挂断。"),
            ("R11", "通话时长", "业务在三分钟左右办完，超过五分钟会提醒。"),
            ("R12", "服务时间", "通话在服务时间内；外呼不在过早、过晚或用餐时间。"),
            ("R13", "线路质量", "线路嘈杂、客户声音过小或听不清时，不扣坐席分，转人工复核。"),
            ("R14", "月度考核", "坐席月均分决定考核档：90 分以上可评优，连续三个月 80 分以下更换组长。"),
            ("R15", "录音管理", "录音至少保存三年，只有授权人员可以查询，所有访问留痕。"),
        ]
        let en: [(String, String, String)] = [
            ("R1", "Prompt answer", "Pick up within three rings."),
            ("R2", "Apology for a late answer", "After more than three rings the agent apologises first (needs a transcript)."),
            ("R3", "Greeting", "The agent greets at once, with the standard greeting."),
            ("R4", "Speech rate", "The agent speaks at 120–160 characters a minute."),
            ("R5", "Volume", "Loud enough to be heard clearly; no shouting, no clipping."),
            ("R6", "Intonation", "A natural, varied voice; not mechanical or monotone."),
            ("R7", "Holds under a minute", "Never keep the customer waiting over a minute; every longer hold is flagged."),
            ("R8", "No dead air", "Tell the customer what is happening; no unexplained silence."),
            ("R9", "No interrupting", "Listen; never talk over the customer."),
            ("R10", "Customer hangs up first", "The customer ends the call, or the agent waits 5 s after the closing."),
            ("R11", "Call length", "Handle the business in about three minutes; over five is flagged."),
            ("R12", "Service hours", "Calls within staffed hours; no outbound calls too early, too late or at meal times."),
            ("R13", "Line quality", "A noisy line or an inaudible customer excuses the agent and sends the call for review."),
            ("R14", "Monthly KPI", "The month's mean score sets the band: 90 and over award-eligible; 80 or under three months running, the team lead is replaced."),
            ("R15", "Records", "Recordings kept three years, seen only by authorised people, every access audited."),
        ]
        var out: RuleTexts = [:]
        for (language, table) in [("zh", zh), ("en", en)] {
            for (rule, name, text) in table { out[rule, default: [:]][language] = RuleText(name: name, description: text) }
        }
        return out
    }()

    /// The rule's text in `language`, else in English, else its id.
    public func text(of rule: String, language: String) -> RuleText {
        let texts = ruleText[rule] ?? Self.standardRuleText[rule] ?? [:]
        let fallback = Self.standardRuleText[rule] ?? [:]
        return texts[language] ?? fallback[language] ?? texts["en"] ?? fallback["en"] ?? RuleText(name: rule, description: "")
    }
}
