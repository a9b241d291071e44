import Foundation
import Testing
@testable import TikTokKit

/// The chunk upload's decisions, tested as values: no network, no clock, no files.
@Suite("Chunk upload state machine")
struct ChunkUploadMachineTests {
    /// 150 MB in three 50 MB chunks.
    private let plan = try! UploadPlan(videoSize: 150_000_000, chunkSize: 50_000_000)
    private let total: Int64 = 150_000_000

    private func machine(at offset: Int64 = 0, attempts: Int = 3, restarts: Int = 0) -> ChunkUploadMachine {
        ChunkUploadMachine(plan: plan, confirmedOffset: offset, maxAttempts: attempts, restartsLeft: restarts)
    }

    private func chunk(_ index: Int) -> UploadPlan.Chunk { plan.chunks[index] }

    private func failure(_ action: ChunkUploadMachine.Action) -> TikTokError? {
        if case .fail(let error) = action { return error }
        return nil
    }

    @Test func sendsEachChunkInTurnUntilA201() {
        var upload = machine()
        #expect(upload.next() == .send(chunk(0), from: 0, attempt: 1))
        #expect(upload.answered(status: 206, contentRange: "bytes 0-49999999/150000000", retryAfter: nil) == .confirmed(offset: 50_000_000, resync: false))
        #expect(upload.next() == .send(chunk(1), from: 50_000_000, attempt: 1))
        #expect(upload.answered(status: 206, contentRange: nil, retryAfter: nil) == .confirmed(offset: 100_000_000, resync: false))
        #expect(upload.next() == .send(chunk(2), from: 100_000_000, attempt: 1))
        #expect(upload.answered(status: 201, contentRange: nil, retryAfter: nil) == .confirmed(offset: total, resync: false))
        #expect(upload.next() == .finished)
    }

    @Test func aResumedUploadStartsAtItsConfirmedOffset() {
        var resumed = machine(at: 50_000_000)
        #expect(resumed.next() == .send(chunk(1), from: 50_000_000, attempt: 1))
        var done = machine(at: total)
        #expect(done.next() == .finished)
    }

    @Test func transportErrors5xxAnd429AreRetriedUntilTheAttemptsRunOut() {
        var upload = machine(attempts: 3)
        _ = upload.next()
        guard case .retry(1, nil, "HTTP 503", let first) = upload.answered(status: 503, contentRange: nil, retryAfter: nil) else {
            Issue.record("503 is retried"); return
        }
        #expect(first.httpStatus == 503)
        #expect(upload.retryNow() == .send(chunk(0), from: 0, attempt: 2), "the same range again")
        let reset = TransportError(.connectionReset, "reset", method: .put, url: URL(string: "https://open-upload.tiktokapis.com/v"))
        guard case .retry(2, nil, "connectionReset", _) = upload.transportFailed(reset) else { Issue.record("reset is retried"); return }
        #expect(upload.retryNow() == .send(chunk(0), from: 0, attempt: 3))
        let exhausted = failure(upload.answered(status: 429, contentRange: nil, retryAfter: .seconds(7)))
        #expect(exhausted?.kind == .upload(.retriesExhausted) && exhausted?.httpStatus == 429)

        var limited = machine()
        _ = limited.next()
        guard case .retry(1, .seconds(7)?, "HTTP 429", _) = limited.answered(status: 429, contentRange: nil, retryAfter: .seconds(7)) else {
            Issue.record("Retry-After is passed on"); return
        }
        // A success resets the attempts for the next chunk.
        _ = limited.retryNow()
        _ = limited.answered(status: 206, contentRange: nil, retryAfter: nil)
        #expect(limited.next() == .send(chunk(1), from: 50_000_000, attempt: 1))
    }

    @Test func a416ResynchronisesFromTheServersRangeOrTheStatus() {
        var upload = machine(at: 50_000_000)
        _ = upload.next()
        // `bytes 0-N/T` names the last byte received…
        #expect(upload.answered(status: 416, contentRange: "bytes 0-99999999/150000000", retryAfter: nil) == .confirmed(offset: 100_000_000, resync: true))
        _ = upload.next()
        // …or, read as a count, still lands on a chunk boundary: the boundary reading wins.
        #expect(upload.answered(status: 416, contentRange: "bytes 0-50000000/150000000", retryAfter: nil) == .confirmed(offset: 50_000_000, resync: true))
        _ = upload.next()
        #expect(upload.answered(status: 416, contentRange: "bytes */150000000", retryAfter: nil) == .confirmed(offset: 0, resync: true))
        _ = upload.next()
        #expect(upload.answered(status: 416, contentRange: nil, retryAfter: nil) == .askStatus)
        #expect(upload.statusAnswered(uploadedBytes: 25_000_000) == .confirmed(offset: 25_000_000, resync: true))
        #expect(upload.next() == .send(chunk(0), from: 25_000_000, attempt: 1), "the rest of the chunk")

        var unknown = machine()
        _ = unknown.next()
        _ = unknown.answered(status: 416, contentRange: nil, retryAfter: nil)
        #expect(failure(unknown.statusAnswered(uploadedBytes: nil))?.kind == .upload(.outOfSync))
        var outside = machine()
        _ = outside.next()
        _ = outside.answered(status: 416, contentRange: nil, retryAfter: nil)
        #expect(failure(outside.statusAnswered(uploadedBytes: total + 1))?.kind == .upload(.outOfSync))
    }

    @Test func a416LoopWithoutProgressEnds() {
        var upload = machine(at: 50_000_000)
        var last: ChunkUploadMachine.Action = upload.next()
        for _ in 0..<3 {
            last = upload.answered(status: 416, contentRange: "bytes 0-49999999/150000000", retryAfter: nil)
            if case .confirmed = last { last = upload.next() }
        }
        #expect(failure(last)?.kind == .upload(.outOfSync), "three 416s at the same byte")
        #expect(failure(last)?.httpStatus == 416)
    }

    @Test func a416ThatMovesBackAndForthIsBoundedToo() {
        var upload = machine()
        var outcome: ChunkUploadMachine.Action = upload.next()
        var answers = 0
        while failure(outcome) == nil, answers < 100 {
            answers += 1
            let range = answers.isMultiple(of: 2) ? "bytes */150000000" : "bytes 0-49999999/150000000"
            outcome = upload.answered(status: 416, contentRange: range, retryAfter: nil)
            if case .confirmed = outcome { outcome = upload.next() }
        }
        #expect(answers == 2 * plan.chunkCount + 4, "2 × chunks + 3 re-syncs, then out of sync")
    }

    @Test func partial206sResendTheRestAndAreBounded() {
        var upload = machine()
        _ = upload.next()
        #expect(upload.answered(status: 206, contentRange: "bytes 0-24999999/150000000", retryAfter: nil) == .confirmed(offset: 25_000_000, resync: false))
        #expect(upload.next() == .send(chunk(0), from: 25_000_000, attempt: 1))
        // A range past what was sent is not believed: the chunk counts as received.
        #expect(upload.answered(status: 206, contentRange: "bytes 0-125000000/150000000", retryAfter: nil) == .confirmed(offset: 50_000_000, resync: false))

        var creeping = machine()
        var outcome = creeping.next()
        var offset: Int64 = 0
        for _ in 0..<20 where failure(outcome) == nil {
            offset += 1
            outcome = creeping.answered(status: 206, contentRange: "bytes 0-\(offset - 1)/150000000", retryAfter: nil)
            if case .confirmed = outcome { outcome = creeping.next() }
        }
        #expect(failure(outcome)?.kind == .upload(.outOfSync) && offset == Int64(2 * plan.chunkCount + 4))
    }

    @Test func earlyAndLateCompletionsAreOutOfSync() {
        var early = machine()
        _ = early.next()
        #expect(failure(early.answered(status: 201, contentRange: nil, retryAfter: nil))?.kind == .upload(.outOfSync))
        var late = machine(at: 100_000_000)
        _ = late.next()
        #expect(failure(late.answered(status: 206, contentRange: nil, retryAfter: nil))?.kind == .upload(.outOfSync))
    }

    @Test func anExpiredURLRestartsOnceWhenAllowedElseFails() {
        var upload = machine(at: 50_000_000, restarts: 1)
        _ = upload.next()
        guard case .restart(let expired) = upload.answered(status: 403, contentRange: nil, retryAfter: nil) else {
            Issue.record("restart"); return
        }
        #expect(expired.kind == .upload(.uploadURLExpired))
        #expect(upload.restarted() == .send(chunk(0), from: 0, attempt: 1), "a fresh upload URL has no bytes")
        #expect(failure(upload.answered(status: 404, contentRange: nil, retryAfter: nil))?.kind == .upload(.uploadURLExpired), "only once")

        var strict = machine()
        _ = strict.next()
        #expect(failure(strict.answered(status: 403, contentRange: nil, retryAfter: nil))?.kind == .upload(.uploadURLExpired))
    }

    @Test func anyOtherAnswerIsARefusalWithItsStatusAndBody() {
        var upload = machine()
        _ = upload.next()
        let refused = failure(upload.answered(status: 400, contentRange: nil, retryAfter: nil, body: "bad Content-Length"))
        #expect(refused?.kind == .upload(.chunkRejected) && refused?.httpStatus == 400 && refused?.responseExcerpt == "bad Content-Length")
    }
}
