/// Every decision of the chunk upload, as a value: which range to send next, whether an answer
/// means retry, back off, re-synchronise, restart or done. It does no I/O and reads no clock;
/// ``Uploader`` drives it, doing what each ``Action`` says and feeding back what happened
/// (async-http-client's request state machines are the model). `ChunkUploadMachineTests`
/// exercise it without a network.
///
/// TikTok's upload host answers a PUT with 206 (more to come), 201 (all bytes in), 416 (out of
/// sync, with what it has in `Content-Range`), 403 or 404 (the upload URL expired), 429 or 5xx
/// (retry); anything else is a refusal.
struct ChunkUploadMachine: Sendable {
    /// What the driver must do next.
    enum Action: Sendable, Hashable {
        /// PUT bytes `from..<chunk.offset + chunk.length` of `chunk` (this is attempt `attempt`).
        case send(UploadPlan.Chunk, from: Int64, attempt: Int)
        /// The last attempt failed (`reason`); wait (honouring `retryAfter`, else backing off for
        /// `attempt`), then call ``retryNow()``.
        case retry(attempt: Int, retryAfter: Duration?, reason: String, failure: TikTokError)
        /// A 416 came without a usable `Content-Range`: ask the status endpoint for
        /// `uploaded_bytes`, then call ``statusAnswered(uploadedBytes:)``.
        case askStatus
        /// TikTok confirmed every byte before `offset` (after a 2xx, or a re-sync to it): journal
        /// it, then call ``next()``. `resync` tells a 416 re-synchronisation from progress.
        case confirmed(offset: Int64, resync: Bool)
        /// The upload URL expired and a restart is allowed: init afresh, then call ``restarted()``.
        case restart(TikTokError)
        /// Every byte is confirmed: poll the status.
        case finished
        /// The upload fails with this error.
        case fail(TikTokError)
    }

    let plan: UploadPlan
    /// The most retries a chunk PUT gets is `maxAttempts - 1`.
    let maxAttempts: Int
    /// Bytes TikTok confirmed.
    private(set) var confirmedOffset: Int64
    /// The attempt of the PUT in flight (1 for the first).
    private(set) var attempt = 1
    private var restartsLeft: Int
    private var sending: (chunk: UploadPlan.Chunk, from: Int64)?
    /// 416s in a row that did not move the offset, and 416s in all.
    private var stalledResyncs = 0
    private var totalResyncs = 0
    /// 206s that confirmed only part of a chunk.
    private var partialConfirmations = 0

    init(plan: UploadPlan, confirmedOffset: Int64, maxAttempts: Int, restartsLeft: Int) {
        self.plan = plan
        self.confirmedOffset = confirmedOffset
        self.maxAttempts = max(1, maxAttempts)
        self.restartsLeft = restartsLeft
    }

    /// However the server's offsets move, at most this many 416s and partial 206s.
    private var bound: Int { 2 * plan.chunkCount + 3 }

    /// The first action, or the next after ``Action/confirmed(offset:resync:)``.
    mutating func next() -> Action {
        guard confirmedOffset < plan.videoSize, let chunk = plan.chunk(containing: confirmedOffset) else {
            sending = nil
            return .finished
        }
        sending = (chunk, confirmedOffset)
        attempt = 1
        return .send(chunk, from: confirmedOffset, attempt: attempt)
    }

    /// After ``Action/retry(attempt:retryAfter:reason:failure:)``'s wait: the same range again.
    mutating func retryNow() -> Action {
        guard let sending else { return next() }
        attempt += 1
        return .send(sending.chunk, from: sending.from, attempt: attempt)
    }

    /// The PUT got an HTTP answer.
    /// - Parameters:
    ///   - contentRange: The answer's `Content-Range` header.
    ///   - retryAfter: The answer's `Retry-After`, parsed.
    ///   - body: An excerpt of the body, for a refusal's error.
    mutating func answered(status: Int, contentRange: String?, retryAfter: Duration?, body: String? = nil) -> Action {
        guard let (chunk, start) = sending else { return .fail(Self.outOfSync("an answer arrived with no PUT in flight", status)) }
        let end = chunk.offset + chunk.length
        let total = plan.videoSize
        switch status {
        case 429, 500...:
            return failedAttempt(reason: "HTTP \(status)",
                                 TikTokError(.upload(.retriesExhausted), message: "the upload host kept answering \(status)", httpStatus: status),
                                 retryAfter: retryAfter)
        case 201 where end == total:
            return confirm(total)
        case 201:
            // TikTok answers 201 only once it has the whole file, which it cannot have before the
            // last chunk was sent: a server that says so early is not to be believed.
            return .fail(Self.outOfSync("the upload host answered 201 (complete) to chunk \(chunk.index + 1) of \(plan.chunkCount), before the file was sent", 201))
        case 206:
            guard end < total else { return .fail(Self.outOfSync("TikTok expects more bytes after the last chunk", 206)) }
            // Trust the server's progress header only within what was sent: if it counts bytes
            // instead of naming the last one, last + 1 would skip a byte.
            if let range = contentRange.flatMap(ContentRange.init), let last = range.last, last + 1 > start, last + 1 < end {
                // Part of the chunk: resend the rest. A server that keeps confirming a little at
                // a time (a byte per PUT would take millions) gets a bounded number.
                partialConfirmations += 1
                guard partialConfirmations <= bound else {
                    return .fail(Self.outOfSync("TikTok keeps confirming only part of each chunk (206 with Content-Range \(Secrets.printable(contentRange ?? "")))", 206))
                }
                return confirm(last + 1)
            }
            return confirm(end)
        case 416:
            guard let range = contentRange.flatMap(ContentRange.init) else { return .askStatus }
            guard let last = range.last else { return resync(to: 0) }   // `bytes */T`: nothing received yet
            // `bytes 0-N/T`: N is the last byte received — or, as TikTok's docs leave open, the
            // count. Prefer the reading that lands on a chunk boundary.
            let byIndex = last + 1
            return resync(to: isBoundary(byIndex) || !isBoundary(last) ? byIndex : last)
        case 403, 404:
            let expired = TikTokError(.upload(.uploadURLExpired),
                                      message: "the upload host answered \(status): the upload URL expired or the upload is gone",
                                      httpStatus: status)
            guard restartsLeft > 0 else { return .fail(expired) }
            restartsLeft -= 1
            return .restart(expired)
        default:
            return .fail(TikTokError(.upload(.chunkRejected), message: "the upload host answered \(status) to \(chunk.contentRange)",
                                     httpStatus: status, responseExcerpt: body))
        }
    }

    /// The PUT failed without an answer (a retryable transport error).
    mutating func transportFailed(_ error: TransportError) -> Action {
        failedAttempt(reason: "\(error.kind)",
                      TikTokError(.upload(.retriesExhausted), message: "\(error.kind): \(error.message)", transportError: error),
                      retryAfter: nil)
    }

    /// After ``Action/askStatus``: the status endpoint's `uploaded_bytes` (nil if it had none, or
    /// the call failed).
    mutating func statusAnswered(uploadedBytes: Int64?) -> Action {
        guard let uploadedBytes else { return resync(to: -1) }
        return resync(to: uploadedBytes)
    }

    /// After ``Action/restart(_:)``: the fresh upload URL knows no bytes yet.
    mutating func restarted() -> Action {
        confirmedOffset = 0
        stalledResyncs = 0
        totalResyncs = 0
        partialConfirmations = 0
        return next()
    }

    // MARK: Steps

    private mutating func failedAttempt(reason: String, _ failure: TikTokError, retryAfter: Duration?) -> Action {
        guard attempt < maxAttempts else { return .fail(failure) }
        return .retry(attempt: attempt, retryAfter: retryAfter, reason: reason, failure: failure)
    }

    private mutating func confirm(_ offset: Int64) -> Action {
        stalledResyncs = 0
        confirmedOffset = offset
        sending = nil
        return .confirmed(offset: offset, resync: false)
    }

    private mutating func resync(to confirmed: Int64) -> Action {
        guard confirmed >= 0, confirmed <= plan.videoSize else {
            return .fail(Self.outOfSync("after a 416, TikTok's upload position is unknown or outside the file", 416))
        }
        stalledResyncs = confirmed == confirmedOffset ? stalledResyncs + 1 : 0
        totalResyncs += 1
        guard stalledResyncs < 3, totalResyncs <= bound else {
            return .fail(Self.outOfSync("TikTok keeps refusing byte \(confirmed) (416) without progress", 416))
        }
        confirmedOffset = confirmed
        sending = nil
        return .confirmed(offset: confirmed, resync: true)
    }

    private func isBoundary(_ offset: Int64) -> Bool {
        offset == plan.videoSize || plan.chunk(containing: offset)?.offset == offset
    }

    private static func outOfSync(_ message: String, _ status: Int) -> TikTokError {
        TikTokError(.upload(.outOfSync), message: message, httpStatus: status)
    }
}
