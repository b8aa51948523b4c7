import CallAnalysis
import CallAudio
import CallInputs
import CallScoring
import CallStore
import CallViews
import Foundation
import Hummingbird

/// Call routes: the search, one call (page, audio, clip), the example library and the audit log.
extension CallServer {
    func addCallRoutes(to router: Router<CallRequestContext>) {
        router.get("/calls") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            return try self.callSearch(request, viewer: viewer)
        }
        router.get("/calls/:id") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            let (id, call) = try self.knownCall(context, viewer: viewer)
            let peaks = try? AudioDecoder.peaks(path: call.summary.path, columns: Timeline.envelopeColumns)
            let t = viewer.page.t
            let labels = Dictionary(uniqueKeysWithValues: ["agent", "customer", "mixed", "agentSpeech", "customerSpeech", "ringback", "hold", "deadAir", "keypad", "interruption"]
                .map { ($0, t["tl_" + $0]) })
            let svg = Timeline(labels: labels).svg(call.report, envelope: peaks.map { Timeline.Envelope(channelPeaks: $0, agentChannel: call.report.agentChannel) })
            let masked = viewer.page.seesPhoneNumbers ? svg : Pages.maskPhoneNumbers(svg)
            let review = Pages.CallReview(verdicts: try self.store.verdicts(callId: id),
                                          disputes: viewer.role == .trainer ? [] : try self.store.disputes(callId: id))
            return Self.html(Pages.call(id: id, summary: call.summary, report: call.report, rules: call.rules, timelineSVG: masked,
                                        viewer: viewer.page, rubric: self.rubric, review: review,
                                        transcript: TranscriptFile.read(forRecording: call.summary.path).transcript))
        }
        router.get("/calls/:id/audio") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            let (id, call) = try self.knownCall(context, viewer: viewer)
            // Every request for a recording is audited, whatever its range (a browser's seeks too).
            try self.store.audit(user: viewer.name, action: "play", callId: id,
                                 detail: (call.summary.path as NSString).lastPathComponent + (request.headers[.range].map { " " + String($0.prefix(64)) } ?? ""))
            let stream: AudioStream
            do throws(DecodeError) { stream = try AudioStream(path: call.summary.path) } catch {
                throw HTTPError(.gone, message: "\((call.summary.path as NSString).lastPathComponent): recording no longer readable (\(error.reasonText))")
            }
            return stream.response(range: request.headers[.range])
        }
        router.post("/calls/:id/clip") { request, context in
            let (viewer, _, form) = try await self.authorise(request, post: true, context)
            let (id, call) = try self.knownCall(context, viewer: viewer)
            // Seconds into a call: finite, not negative, at most a day. Anything else is a bad request.
            func seconds(_ field: String, default value: Double) throws -> Double {
                guard let text = form[field], !text.isEmpty else { return value }
                guard let v = Double(text), v.isFinite, v >= 0, v <= 86_400 else {
                    throw HTTPError(.badRequest, message: "\(field): seconds into the call, from 0 to 86400")
                }
                return v
            }
            let start = max(0, try seconds("start", default: 0) - 5), end = try seconds("end", default: 30) + 5
            let clip = try Self.readRecording(call.summary.path, from: start, to: min(end, start + 600))
            let wav = AudioWriter.wavBytes(channels: clip.channels, sampleRateHz: clip.sampleRateHz)
            try self.store.audit(user: viewer.name, action: "export", callId: id, detail: String(format: "clip %.1f–%.1f s", start, end))
            var response = Response(status: .ok, headers: [.contentType: "audio/wav"], body: .init(byteBuffer: ByteBuffer(bytes: wav)))
            response.headers[.contentDisposition] = "attachment; filename=\"call-\(id)-\(Int(start))s.wav\""
            return response
        }
        router.get("/examples") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            let q = request.uri.queryParameters
            let rule = q["rule"].map(String.init).flatMap { r in (1...13).map { "R\($0)" }.contains(r) ? r : nil } ?? "R7"
            let worst = q["order"].map(String.init) != "best"
            var agent = q["agent"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            if viewer.role == .agent { agent = viewer.agentId ?? "—" }
            let day = q["day"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            if let agent, !Self.validAgentId(agent) { throw HTTPError(.badRequest) }
            let rows = try self.store.examples(rule: rule, worst: worst, agentId: agent, day: day, limit: 50)
            return Self.html(Pages.examples(rows, rule: rule, worst: worst, agent: agent, day: day, viewer: viewer.page, rubric: self.rubric))
        }
        router.get("/audit") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            guard viewer.role == .manager else {
                try self.store.audit(user: viewer.name, action: "denied", callId: nil, detail: "audit log")
                throw HTTPError(.forbidden)
            }
            return Self.html(Pages.audit(try self.store.auditLog(), viewer: viewer.page))
        }
    }
}
