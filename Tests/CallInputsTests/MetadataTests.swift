import CallAnalysis
import CallInputs
import Foundation
import Testing

@Suite struct MetadataTests {
    /// A fresh folder with the given files.
    func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("callqa-meta-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func fileNameGivesAgentCallAndStart() throws {
        let reader = try CallMetadataReader()
        let (m, problems) = reader.metadata(for: "/nowhere/20261123-093012_agent-1007_call-000123.wav")
        #expect(problems.isEmpty)
        #expect(m?.agentId == "1007")
        #expect(m?.callId == "000123")
        #expect(m?.startTime == "2026-11-23T09:30:12")
        #expect(m?.ringToAnswerSeconds == nil)
    }

    @Test func customPatternAndNoPattern() throws {
        let reader = try CallMetadataReader(namePattern: #"(?<agent>\d+)__(?<start>\d{14})"#)
        let m = reader.metadata(for: "/x/7001__20261124081500.wav").metadata
        #expect(m?.agentId == "7001")
        #expect(m?.startTime == "2026-11-24T08:15:00")
        #expect(try CallMetadataReader(namePattern: "").metadata(for: "/x/20261123-093012_agent-1_call-2.wav").metadata == nil)
        #expect(throws: (any Error).self) { try CallMetadataReader(namePattern: "(unclosed") }
    }

    @Test func sidecarWinsAndGivesRingToAnswer() throws {
        let dir = try folder([
            "20261123-093012_agent-1007_call-000123.json":
                #"{"agentId": "2002", "start_time": "2026-11-23 09:30:10", "answerTime": "2026-11-23T09:30:22.5", "hangupSide": "Customer"}"#,
        ])
        let (m, problems) = try CallMetadataReader().metadata(for: dir.appendingPathComponent("20261123-093012_agent-1007_call-000123.wav").path)
        #expect(problems.isEmpty)
        #expect(m?.agentId == "2002")  // the sidecar wins over the file name
        #expect(m?.callId == "000123")  // gaps filled from the file name
        #expect(m?.ringToAnswerSeconds == 12.5)
        #expect(m?.hangupSide == "customer")
        #expect(m?.source == "sidecar+fileName")
    }

    @Test func impossibleOrFarOffTimesFallBackToTheNextSource() throws {
        for bad in ["1900-01-01T00:00:00", "9999-99-99", "2099-12-01 10:00:00", "tomorrow"] {
            let dir = try folder(["20261123-093012_agent-1007_call-000123.json": #"{"startTime": "\#(bad)"}"#])
            let (m, problems) = try CallMetadataReader().metadata(for: dir.appendingPathComponent("20261123-093012_agent-1007_call-000123.wav").path)
            #expect(m?.startTime == "2026-11-23T09:30:12", "\(bad)")  // from the file name
            #expect(problems.contains { $0.contains(String(bad.prefix(4))) && $0.contains("impossible or far off") }, "\(bad): \(problems)")
        }
        // No other source: the file's own time, never the bad one.
        let dir = try folder(["call.json": #"{"startTime": "1900-01-01T00:00:00"}"#, "call.wav": ""])
        let (m, _) = try CallMetadataReader().metadata(for: dir.appendingPathComponent("call.wav").path)
        #expect(m?.startTime?.hasPrefix("19") == false && m?.source.contains("fileTime") == true)
    }

    @Test func oneAgentOneIdWhicheverSourceNamedThem() throws {
        let dir = try folder(["20261123-093012_agent-1001_call-000001.json": #"{"agent_id": "agent-1001"}"#,
                              "20261123-100000_x_call-000002.json": #"{"agentId": " Agent_1001 "}"#])
        let reader = try CallMetadataReader()
        for file in ["20261123-093012_agent-1001_call-000001.wav", "20261123-100000_x_call-000002.wav",
                     "20261123-110000_agent-1001_call-000003.wav"] {
            #expect(reader.metadata(for: dir.appendingPathComponent(file).path).metadata?.agentId == "1001", "\(file)")
        }
        // An agents file maps other names to one id.
        let agents = try AgentDirectory(csvText: "id,name,team,aliases\n1001,李娜,一组,lina;工号1001\n")
        let csv = try folder(["calls.csv": "file,agent_id\na.wav,LiNa\nb.wav,工号1001\n"])
        let mapped = try CallMetadataReader(agents: agents)
        for file in ["a.wav", "b.wav"] {
            #expect(mapped.metadata(for: csv.appendingPathComponent(file).path).metadata?.agentId == "1001", "\(file)")
        }
        #expect(agents.agents.first == .init(id: "1001", name: "李娜", team: "一组"))
        #expect(throws: (any Error).self) { try AgentDirectory(csvText: "name,team\nx,y\n") }
    }

    @Test func folderCSVByFileOrCallId() throws {
        let csv = "\u{FEFF}File,Agent ID,Start Time,Answer Time,End Time,Direction,Hangup Side\r\n"
            + "a.wav,3003,2026-11-23 10:00:00,2026-11-23 10:00:07,2026-11-23 10:03:00,inbound,agent\r\n"
            + "\"b, quoted.wav\",3004,2026-11-23 11:00:00,2026-11-23 11:00:04,,outbound,customer\r\n"
        let dir = try folder(["calls.csv": csv])
        let reader = try CallMetadataReader()
        let a = reader.metadata(for: dir.appendingPathComponent("a.wav").path).metadata
        #expect(a?.agentId == "3003")
        #expect(a?.ringToAnswerSeconds == 7)
        #expect(a?.direction == "inbound")
        let b = reader.metadata(for: dir.appendingPathComponent("b, quoted.wav").path).metadata
        #expect(b?.agentId == "3004")
        #expect(b?.ringToAnswerSeconds == 4)
        #expect(b?.endTime == nil)

        let byCall = try folder(["metadata.csv": "call_id,agent_id,start_time,answer_time\n000777,9,20261123-120000,20261123-120010\n"])
        let c = try CallMetadataReader().metadata(for: byCall.appendingPathComponent("20261123-120000_agent-9_call-000777.wav").path).metadata
        #expect(c?.ringToAnswerSeconds == 10)
        #expect(c?.source == "csv+fileName")
    }

    @Test func brokenMetadataIsAWarningNamingTheFile() throws {
        let dir = try folder(["x.json": "[1, 2", "calls.csv": "nothing useful\n1\n"])
        let (m, problems) = try CallMetadataReader().metadata(for: dir.appendingPathComponent("x.wav").path)
        #expect(m == nil)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.contains("x.json") })
        #expect(problems.contains { $0.contains("calls.csv") && $0.contains("file") })
    }

    @Test func timesParseAndNormalise() {
        #expect(CallMetadata.normalized("2026-02-28T23:59:59") == "2026-02-28T23:59:59")
        #expect(CallMetadata.normalized("20240229-010203") == "2024-02-29T01:02:03")
        #expect(CallMetadata.normalized("2026-13-01 00:00:00") == nil)
        #expect(CallMetadata.normalized("yesterday") == nil)
        let a = CallMetadata.secondsSinceEpoch("1970-01-02T00:00:01")
        #expect(a == 86401)
    }
}
