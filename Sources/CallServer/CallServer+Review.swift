import CallInputs
import CallScoring
import CallStore
import CallViews
import Foundation
import Hummingbird

/// Review routes: the queue, reviewers' verdicts, agents' disputes and QA's answers, calibration.
/// Verdicts, answers and calibration are for qa and managers; a dispute only for the agent
/// whose call it is. Every change is audited.
extension CallServer {
    func addReviewRoutes(to router: Router<CallRequestContext>) {
        router.get("/review") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            try self.requireReviewer(viewer, "review queue")
            var f = CallFilter()
            f.awaitingReview = true
            f.limit = 200
            let calls = try self.store.calls(matching: f).map { summary -> (summary: CallSummary, why: String) in
                (summary, try summary.notCountedBecause ?? self.store.ruleReason(callId: summary.id, rule: "R13") ?? "")
            }
            return Self.html(Pages.review(calls, disputes: try self.store.disputes(callId: nil), viewer: viewer.page))
        }
        router.post("/calls/:id/verdict") { request, context in
            let (viewer, _, form) = try await self.authorise(request, post: true, context)
            let (id, _) = try self.knownCall(context, viewer: viewer)
            try self.requireReviewer(viewer, "verdict on call \(id)")
            // The call is rescored with the verdict: only with the rubric it was scored with.
            let scoredWith = try self.store.rubricName(callId: id)
            guard scoredWith == self.rubricName else {
                throw HTTPError(.conflict, message: "this call was scored with the rubric \(scoredWith ?? "?"), the server runs \(self.rubricName): start `serve --rubric` with the same file")
            }
            guard let rule = form["rule"], let outcome = form["outcome"].flatMap(RuleResult.Outcome.init(rawValue:)) else {
                throw HTTPError(.badRequest, message: "rule and outcome (pass, flag, fail or notApplicable) are needed")
            }
            let comment = String((form["comment"] ?? "").prefix(500))
            guard try self.store.setVerdict(callId: id, rule: rule, outcome: outcome, comment: comment, reviewer: viewer.name,
                                            scorer: Scorer(rubric: self.rubric)) else {
                throw HTTPError(.badRequest, message: "rule: this call has no verdict for \(rule.prefix(8))")
            }
            try self.store.audit(user: viewer.name, action: "verdict", callId: id, detail: "\(rule) \(outcome.rawValue)" + (comment.isEmpty ? "" : ": \(comment)"))
            return Self.redirect("/calls/\(id)")
        }
        router.post("/calls/:id/dispute") { request, context in
            let (viewer, _, form) = try await self.authorise(request, post: true, context)
            let (id, call) = try self.knownCall(context, viewer: viewer)
            guard viewer.role == .agent else {
                try self.store.audit(user: viewer.name, action: "denied", callId: id, detail: "dispute (only the call's agent)")
                throw HTTPError(.forbidden)
            }
            let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let rule = form["rule"], call.rules.contains(where: { $0.rule == rule }), !text.isEmpty else {
                throw HTTPError(.badRequest, message: "a rule of this call and why you disagree are needed")
            }
            _ = try self.store.addDispute(callId: id, rule: rule, text: String(text.prefix(1000)), by: viewer.name)
            try self.store.audit(user: viewer.name, action: "dispute", callId: id, detail: "\(rule): \(text.prefix(200))")
            return Self.redirect("/calls/\(id)")
        }
        router.post("/calls/:id/dispute/:dispute/answer") { request, context in
            let (viewer, _, form) = try await self.authorise(request, post: true, context)
            let (id, _) = try self.knownCall(context, viewer: viewer)
            try self.requireReviewer(viewer, "answer on call \(id)")
            let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let dispute = context.parameters.get("dispute").flatMap({ Int64($0) }), !text.isEmpty else {
                throw HTTPError(.badRequest, message: "an answer is needed")
            }
            guard try self.store.answerDispute(id: dispute, callId: id, answer: String(text.prefix(1000)), by: viewer.name) else {
                throw HTTPError(.notFound, message: "no open dispute \(dispute) on this call")
            }
            try self.store.audit(user: viewer.name, action: "answer", callId: id, detail: "dispute \(dispute): \(text.prefix(200))")
            return Self.redirect("/calls/\(id)")
        }
        router.get("/calibration") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            try self.requireReviewer(viewer, "calibration")
            return Self.html(Pages.calibration(sheet: "", result: nil, rubric: self.rubric, viewer: viewer.page))
        }
        router.post("/calibration") { request, context in
            let (viewer, _, form) = try await self.authorise(request, post: true, context, bodyLimit: 4 << 20)
            try self.requireReviewer(viewer, "calibration")
            let sheet = form["sheet"] ?? ""
            let parsed: HumanEvaluations
            do { parsed = try HumanEvaluations(csvText: sheet) } catch let error as HumanEvaluationsError {
                throw HTTPError(.badRequest, message: error.reason)
            }
            let result = try self.store.calibrate(parsed.rows.map { HumanVerdict(line: $0.line, call: $0.call, rule: $0.rule, outcome: $0.outcome, score: $0.score) },
                                                  problems: parsed.problems, scorer: Scorer(rubric: self.rubric))
            try self.store.audit(user: viewer.name, action: "calibrate", callId: nil, detail: "\(parsed.rows.count) rows")
            return Self.html(Pages.calibration(sheet: sheet, result: result, rubric: self.rubric, viewer: viewer.page))
        }
    }

    func requireReviewer(_ viewer: Viewer, _ what: String) throws {
        guard viewer.role == .qa || viewer.role == .manager else {
            try store.audit(user: viewer.name, action: "denied", callId: nil, detail: what)
            throw HTTPError(.forbidden)
        }
    }
}

extension CallServer {
    func addFailureRoutes(to router: Router<CallRequestContext>) {
        router.get("/failures") { request, context in
            let (viewer, _, _) = try await self.authorise(request, context)
            try self.requireReviewer(viewer, "failed files")
            let rows = try self.store.failures().sorted { $0.at > $1.at }
            return Self.html(Pages.failures(rows, viewer: viewer.page))
        }
    }
}
