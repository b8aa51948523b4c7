import Foundation

/// The scorer's reasons in the viewer's language. Reasons are stored as the scorer writes them
/// (English, with the figures in them), so stored calls need no rescoring to read in Chinese: each
/// known sentence is matched with its figures and rewritten; a sentence no pattern knows is shown
/// as written.
enum Reasons {
    /// Pattern (whole sentence, figures captured) and its Chinese, `$1`… the figures.
    static let chinese: [(NSRegularExpression, String)] = [
        (#"answered after (\d+) ring(?:'s|s') time of ring-back music \(([\d.]+) s\), over (\d+)"#, "彩铃响了 $2 秒（约 $1 声）后接听，超过 $3 声"),
        (#"answered after (\d+) ring(?:'s|s') time of ring-back music \(([\d.]+) s\)"#, "彩铃响了 $2 秒（约 $1 声）后接听"),
        (#"answered after (\d+) rings? \(([\d.]+) s\), over (\d+)"#, "响铃 $1 声后接听（$2 秒），超过 $3 声"),
        (#"answered after (\d+) rings? \(([\d.]+) s\)"#, "响铃 $1 声后接听（$2 秒）"),
        (#"no ringback audio and no answer time in the metadata"#, "录音中没有回铃音，元数据也没有接听时间"),
        (#"agent first spoke ([\d.]+) s after the answer"#, "坐席接通 $1 秒后才开口"),
        (#"no standard greeting in the first words \("(.*)"\)"#, "开头没有标准问候语（“$1”）"),
        (#"forbidden phrase "(.+)" at ([\d.]+) s"#, "$2 秒处说了服务禁语“$1”"),
        (#"agent greeted ([\d.]+) s after the answer \(wording needs a transcript\)"#, "坐席接通 $1 秒后问候（措辞需要通话文本才能判断）"),
        (#"agent greeted ([\d.]+) s after the answer"#, "坐席接通 $1 秒后问候"),
        (#"the agent never speaks"#, "坐席全程没有讲话"),
        (#"no ring count"#, "没有响铃次数"),
        (#"answered within (\d+) rings"#, "在 $1 声内接听"),
        (#"apologised at ([\d.]+) s"#, "$1 秒处已致歉"),
        (#"late answer without an apology in the first ([\d.]+) s"#, "接听较晚，前 $1 秒内没有致歉"),
        (#"needs a transcript"#, "需要通话文本"),
        (#"agent speaks (\d+) chars/min \((\d+)–(\d+)\)"#, "坐席语速每分钟 $1 字（标准 $2–$3）"),
        (#"no agent speech"#, "坐席没有讲话"),
        (#"agent at (-?[\d.]+) dBov \((-?\d+) to (-?\d+)\), clipped"#, "坐席音量 $1 dBov（标准 $2 至 $3），有削波"),
        (#"agent at (-?[\d.]+) dBov \((-?\d+) to (-?\d+)\)"#, "坐席音量 $1 dBov（标准 $2 至 $3）"),
        (#"agent's pitch spans ([\d.]+) semitones \(monotone under ([\d.]+)\)"#, "坐席音高起伏 $1 个半音（低于 $2 为单调）"),
        (#"not enough voiced agent speech"#, "坐席浊音太少，无法判断"),
        (#"no hold"#, "没有保持"),
        (#"(\d+) holds? over ([\d.]+) s, longest ([\d.]+) s"#, "$1 次保持超过 $2 秒，最长 $3 秒"),
        (#"(\d+) holds?, longest ([\d.]+) s"#, "$1 次保持，最长 $2 秒"),
        (#"dead air of ([\d.]+) s"#, "冷场 $1 秒"),
        (#"no dead air"#, "没有冷场"),
        (#"longest silence ([\d.]+) s"#, "最长静默 $1 秒"),
        (#"agent never interrupted"#, "坐席没有打断客户"),
        (#"agent interrupted (\d+) times?"#, "坐席打断客户 $1 次"),
        (#"needs two channels"#, "需要双声道录音"),
        (#"agent ended the call ([\d.]+) s after the customer's last words"#, "客户最后一句话 $1 秒后坐席挂断"),
        (#"the customer ended the call"#, "客户先结束通话"),
        (#"no customer speech"#, "客户没有讲话"),
        (#"call lasted ([\d.]+) min"#, "通话 $1 分钟"),
        (#"line fine"#, "线路正常"),
        (#"line noise \(SNR (-?[\d.]+) dB\)"#, "线路噪声大（信噪比 $1 dB）"),
        (#"customer silent"#, "客户无声"),
        (#"customer too quiet \((-?[\d.]+) dBov\)"#, "客户声音过小（$1 dBov）"),
        (#"parties told apart with low confidence \(([\d.]+)\)"#, "双方区分置信度低（$1）"),
        (#"incomplete recording"#, "录音不完整"),
        (#"no speech in the recording"#, "录音中没有讲话"),
        (#"no start time in metadata or file name"#, "元数据和文件名中都没有开始时间"),
        (#"outbound call at (\d\d:\d\d) \(allowed (\d\d:\d\d)–(\d\d:\d\d)\)"#, "$1 外呼（允许 $2–$3）"),
        (#"outbound call at (\d\d:\d\d)"#, "$1 外呼"),
        (#"started (\d{4}-\d\d-\d\d) (\d\d:\d\d) in staffed hours"#, "$1 $2 开始，在服务时间内"),
        (#"started (\d{4}-\d\d-\d\d) (\d\d:\d\d), outside staffed hours"#, "$1 $2 开始，不在服务时间内"),
        // The analysis's warnings, as the call page shows them (without the file's path).
        (#"agent taken to be on the right channel: its first words \(([\d.]+) s at ([\d.]+) s\) come ([\d.]+) s before the left channel's; --agent-channel left or right fixes the side"#,
         "坐席判定在右声道：其第一句话（$2 秒处，长 $1 秒）比左声道早 $3 秒；可用 --agent-channel left 或 right 指定"),
        (#"agent taken to be on the left channel: its first words \(([\d.]+) s at ([\d.]+) s\) come ([\d.]+) s before the right channel's; --agent-channel left or right fixes the side"#,
         "坐席判定在左声道：其第一句话（$2 秒处，长 $1 秒）比右声道早 $3 秒；可用 --agent-channel left 或 right 指定"),
        (#"both channels carry the same audio \(dual mono\): analysed as one channel, parties told apart by voice"#,
         "两个声道是同一路音频（双声道同源）：按单声道分析，按声音区分双方"),
        (#"recording ends early: header declares ([\d.]+) s but data stops at ([\d.]+) s; analysed what is present"#, "录音提前结束：文件头声明 $1 秒，数据止于 $2 秒；已分析现有部分"),
        (#"header declares more audio data than the file holds \(truncated recording\); analysed the ([\d.]+) s present"#, "文件头声明的音频多于实际（录音被截断）；已分析现有的 $1 秒"),
        (#"no speech found in the recording"#, "录音中没有找到讲话"),
    ].map { (try! NSRegularExpression(pattern: "^" + $0.0 + "$"), $0.1) }

    /// Composite reasons: "excused by R13 (A, B); measured: C", "A: route for review", "A; B".
    static func translate(_ reason: String, _ t: Catalogue) -> String {
        guard t.language == .zh else { return reason }
        if reason.hasPrefix("excused by R13 ("), let close = reason.range(of: "); measured: ") {
            let why = String(reason[reason.index(reason.startIndex, offsetBy: 16)..<close.lowerBound])
            return "因线路问题免责（\(list(why))）；实测：" + translate(String(reason[close.upperBound...]), t)
        }
        if reason.hasSuffix(": route for review") { return list(String(reason.dropLast(18))) + "：转人工复核" }
        if reason.contains("; ") { return reason.components(separatedBy: "; ").map { one($0) }.joined(separator: "；") }
        return one(reason)
    }

    /// One of the analysis's warnings, translated whole (its sentences carry their own "; ").
    static func translateWarning(_ warning: String, _ t: Catalogue) -> String {
        t.language == .zh ? one(warning) : warning
    }

    static func list(_ text: String) -> String { text.components(separatedBy: ", ").map { one($0) }.joined(separator: "，") }

    static func one(_ sentence: String) -> String {
        let range = NSRange(sentence.startIndex..., in: sentence)
        for (pattern, template) in chinese where pattern.firstMatch(in: sentence, range: range) != nil {
            return pattern.stringByReplacingMatches(in: sentence, range: range, withTemplate: template)
        }
        return sentence
    }
}
