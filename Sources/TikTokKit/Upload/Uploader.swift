public import Foundation

/// Uploads one video to TikTok by FILE_UPLOAD and waits for the outcome.
///
/// In order: probe and validate the file (and, for a direct post, check it against the creator's
/// info), plan the chunks, init (the publish ID is reported at once and journaled), PUT each chunk
/// to the exact upload URL — streamed from disk, with `Content-Type`, `Content-Length` and
/// `Content-Range`, never `Authorization` — then poll the status until a final state.
///
/// - Chunk failures (network errors, 5xx, 429) are retried with exponential backoff and full
///   jitter, honouring `Retry-After`. A 416 re-synchronises from the server's `Content-Range` (or
///   the status endpoint's `uploaded_bytes`) and continues from the byte the server confirmed.
/// - A 403 or 404 from the upload host means the upload URL expired: a typed error, or — only
///   with ``UploadOptions/restartExpiredUploads`` — one fresh init.
/// - An init whose outcome is unknown (the connection failed after sending) is never retried:
///   that is how duplicate posts happen.
/// - With an ``UploadJournal``, state is saved after init and after every chunk; running the same
///   upload again (even in a new process) continues it without a new init while its URL is valid.
///
/// ```swift
/// let uploader = Uploader(client: client, options: UploadOptions(journal: try FileUploadJournal(directory: dir)))
/// Task { for await step in uploader.progress { print(step.phase, step.fractionCompleted) } }
/// let result = try await uploader.upload(file: video, to: .inbox)
/// ```
///
/// An `Uploader` runs one upload; ``progress`` finishes when it ends.
public actor Uploader {
    /// Progress of the upload; a slow reader sees the newest value.
    public nonisolated let progress: AsyncStream<UploadProgress>
    private let continuation: AsyncStream<UploadProgress>.Continuation
    private let service: UploadService
    private let options: UploadOptions
    private var used = false
    private var random = SystemRandomNumberGenerator()
    private var current = UploadProgress(phase: .validating)

    /// Creates an uploader that makes its calls through `service` (``TikTokClient`` builds one).
    init(service: UploadService, options: UploadOptions) {
        self.service = service
        self.options = options
        (progress, continuation) = AsyncStream.makeStream(of: UploadProgress.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Uploads `file` and waits until TikTok reports a final state.
    ///
    /// - Parameters:
    ///   - file: An MP4, QuickTime or WebM file of at most 4 GiB.
    ///   - destination: ``UploadDestination/inbox`` (a draft) or ``UploadDestination/direct(_:)``.
    /// - Returns: The publish ID, final status and any public post IDs.
    /// - Throws: ``TikTokError`` (with ``TikTokError/publishID`` once init succeeded), or
    ///   `CancellationError`.
    public func upload(file: URL, to destination: UploadDestination) async throws -> PublishResult {
        try claim()
        defer { continuation.finish() }
        emit(.validating)
        let probe = try MediaProbe(file: file)
        let plan = try UploadPlan(videoSize: probe.size, chunkSize: options.chunkSize)
        let identity = FileIdentity(probe)
        if let jobID = options.jobID, jobID.isEmpty { throw TikTokError.validation("jobID", "the job ID is empty") }
        current.totalBytes = plan.videoSize
        current.chunkCount = plan.chunkCount
        guard let journal = options.journal else {
            try await validate(probe, plan: plan, destination: destination)
            let key = UploadKey(account: options.account ?? "", job: options.jobID.map { "job:" + $0 } ?? "file:" + identity.path)
            let state = try await initialize(key: key, probe: probe, plan: plan, destination: destination)
            return try await run(state, restartsLeft: options.restartExpiredUploads ? 1 : 0)
        }
        let account = try await service.journalAccount(options.account)
        let key: UploadKey = options.jobID.map { .job($0, account: account) } ?? .file(identity, account: account)
        // One upload per key and journal at a time: a second run must not init (or resume) it too.
        return try await holding(key, in: journal) {
            try await validate(probe, plan: plan, destination: destination)
            switch try await journal.entry(for: key) {
            case .initPending(let pending)?:
                guard options.retryUnconfirmedInit else { throw Self.unconfirmedInit(pending, file: probe.file) }
            case .uploading(let saved)?:
                let resumable = try await attributing(to: saved.publishID) {
                    try self.resumable(saved, as: identity, plan: plan, destination: destination)
                }
                if let resumable {
                    current.resumedFrom = resumable.confirmedOffset
                    return try await run(resumable, restartsLeft: options.restartExpiredUploads ? 1 : 0)
                }
                // A different file now stands under this key (or the old URL expired and restarting
                // is allowed): the old upload never completed, so it cannot have produced a post.
                // The fresh init below replaces the entry.
            case nil:
                break
            }
            let state = try await initialize(key: key, probe: probe, plan: plan, destination: destination)
            return try await run(state, restartsLeft: options.restartExpiredUploads ? 1 : 0)
        }
    }

    /// Continues an upload from a saved state (from a journal, or another process) without a new
    /// init.
    /// - Throws: ``TikTokError`` `file_changed` if the file's size or modification date differ,
    ///   `upload_url_expired` if the URL is past its hour; otherwise as ``upload(file:to:)``.
    public func resume(_ state: UploadState) async throws -> PublishResult {
        try claim()
        defer { continuation.finish() }
        emit(.validating)
        let probe = try MediaProbe(file: URL(fileURLWithPath: state.file.path))
        let body = {
            try await attributing(to: state.publishID) {
                guard state.file.matches(FileIdentity(probe)) else {
                    throw TikTokError(.upload(.fileChanged), message: "\(probe.file.lastPathComponent) changed since the upload started")
                }
                guard state.isComplete || state.isUploadURLValid(at: self.options.now()) else {
                    throw TikTokError(.upload(.uploadURLExpired), message: "the upload URL has expired")
                }
            }
            self.current.totalBytes = state.plan.videoSize
            self.current.chunkCount = state.plan.chunkCount
            self.current.resumedFrom = state.confirmedOffset
            return try await self.run(state, restartsLeft: 0)
        }
        guard let journal = options.journal else { return try await body() }
        return try await holding(state.key, in: journal, body)
    }

    // MARK: Steps

    private func claim() throws {
        guard !used else {
            throw TikTokError(.upload(.uploaderBusy), message: "this Uploader has already run an upload")
        }
        used = true
    }

    /// Runs `body` holding the journal's claim on `key`, released however it ends.
    private func holding<Result>(_ key: UploadKey, in journal: any UploadJournal,
                                 _ body: () async throws -> Result) async throws -> Result {
        let claim = try await journal.claim(key)
        do {
            let result = try await body()
            await claim?.release()
            return result
        } catch {
            await claim?.release()
            throw error
        }
    }

    /// A journaled upload to continue: `saved`, pointed at the file now at hand, when it is an
    /// upload of that same file with the same plan and destination and its URL is still valid (or
    /// every byte is in). Nil when a fresh init is to replace it: it belongs to another file, or
    /// its URL expired and ``UploadOptions/restartExpiredUploads`` allows a new one.
    private func resumable(_ saved: UploadState, as identity: FileIdentity, plan: UploadPlan,
                           destination: UploadDestination) throws -> UploadState? {
        guard let resumable = try sameUpload(saved, as: identity, plan: plan, destination: destination) else { return nil }
        if resumable.isComplete || resumable.isUploadURLValid(at: options.now()) { return resumable }
        guard options.restartExpiredUploads else {
            throw TikTokError(.upload(.uploadURLExpired),
                              message: "the journaled upload's URL has expired (issued \(saved.uploadURLIssuedAt))")
        }
        return nil
    }

    /// `saved`, pointed at the file now at hand, when it is an upload of that same file with the
    /// same plan and destination; nil when it belongs to another file.
    private func sameUpload(_ saved: UploadState, as identity: FileIdentity, plan: UploadPlan,
                            destination: UploadDestination) throws -> UploadState? {
        guard saved.destination == destination, saved.plan == plan else { return nil }
        guard options.jobID != nil else { return saved.file.matches(identity) ? saved : nil }
        // Keyed by a job: the same video may have been downloaded again to another path.
        guard saved.file.size == identity.size,
              let sample = saved.contentSample,
              sample == (try ContentSample.digest(of: URL(fileURLWithPath: identity.path), plan: plan)) else {
            guard !saved.isComplete else {
                throw TikTokError(.upload(.fileChanged),
                                  message: "job \(saved.key.displayName) already uploaded a different video; follow its publish with waitForPublish(publishID:) or use a new job ID")
            }
            return nil
        }
        var resumed = saved
        resumed.file = identity
        return resumed
    }

    /// The error for an init an earlier run sent (or was about to send) without recording its answer.
    private static func unconfirmedInit(_ pending: PendingInit, file: URL) -> TikTokError {
        let when = ISO8601DateFormatter().string(from: pending.startedAt)
        return TikTokError(.upload(.initOutcomeUnknown),
                           message: "an earlier run sent the init for \(file.lastPathComponent) at \(when) (or was about to) and stopped before recording TikTok's answer, so TikTok may already hold a publish for it. Check the creator's inbox or profile; to start a new upload anyway, retry with retryUnconfirmedInit")
    }

    /// Validates the init request the upload will send (the one validation it gets); for a
    /// direct post, first fetches creator info and checks the post and the video against it.
    private func validate(_ probe: MediaProbe, plan: UploadPlan, destination: UploadDestination) async throws {
        guard case .direct(let post) = destination else {
            try Validation.check(InboxVideoInitRequest(sourceInfo: plan.source))
            return
        }
        let info = try await service.creatorInfo()
        try Validation.check(DirectVideoInitRequest(postInfo: post, sourceInfo: plan.source), creatorInfo: info)
        if let limit = info.maxVideoPostDurationSeconds, let duration = probe.durationSeconds, duration > Double(limit) {
            throw TikTokError.validation("file", "the video lasts \(Int(duration.rounded(.up))) s; this creator may post at most \(limit) s")
        }
    }

    /// Sends the init: journals the intent first, and the answer before the publish ID is
    /// announced, so a crash anywhere in between leaves a rerun knowing an init may exist.
    private func initialize(key: UploadKey, probe: MediaProbe, plan: UploadPlan, destination: UploadDestination) async throws -> UploadState {
        emit(.initializing)
        let identity = FileIdentity(probe)
        let sample = options.jobID == nil || options.journal == nil ? nil : try ContentSample.digest(of: probe.file, plan: plan)
        try await options.journal?.save(.initPending(PendingInit(key: key, file: identity, destination: destination,
                                                                 startedAt: options.now())))
        // The client reports an init whose outcome is unknown as `init_outcome_unknown`, and
        // nothing here retries it; the pending entry stays, so no later run does either.
        let start: PublishInit
        do {
            // Validated once, before the journal's first write (checkAgainstCreator).
            start = switch destination {
            case .inbox:
                try await service.initInboxVideo(InboxVideoInitRequest(sourceInfo: plan.source))
            case .direct(let post):
                try await service.initDirectVideo(DirectVideoInitRequest(postInfo: post, sourceInfo: plan.source))
            }
        } catch let error as TikTokError where Self.nothingWasCreated(by: error) {
            try? await options.journal?.remove(for: key)
            throw error
        }
        let state = try await attributing(to: start.publishID) {
            guard let uploadURL = start.uploadURL, !uploadURL.isEmpty else {
                try? await options.journal?.remove(for: key)
                throw TikTokError(.undecodableResponse, message: "TikTok returned no upload_url for a FILE_UPLOAD init")
            }
            let state = UploadState(key: key, publishID: start.publishID, uploadURL: uploadURL, uploadURLIssuedAt: options.now(),
                                    plan: plan, file: identity, container: probe.container, destination: destination,
                                    contentSample: sample)
            do {
                try await options.journal?.save(.uploading(state))
            } catch {
                throw TikTokError(.upload(.initOutcomeUnknown),
                                  message: "TikTok created publish \(start.publishID) but the journal could not record it (\(error)); the upload stops here")
            }
            return state
        }
        current.publishID = start.publishID
        emit(.initializing)
        return state
    }

    /// Whether an init that failed with `error` certainly made no publish: TikTok answered with
    /// an error, or nothing left this process. (Ambiguous answers are `init_outcome_unknown`.)
    private static func nothingWasCreated(by error: TikTokError) -> Bool {
        switch error.kind.storage {
        case .api, .oauth, .validation: true
        case .http(let status): status < 500
        case .transport(let kind): [.cannotResolveHost, .connectionRefused, .cannotConnect, .tls, .invalidRequest].contains(kind)
        default: false
        }
    }

    /// Uploads what is left, polls, and cleans the journal. Every error from here on carries the
    /// publish ID (this is the one place it is attached).
    private func run(_ initial: UploadState, restartsLeft: Int) async throws -> PublishResult {
        var state = initial
        current.publishID = state.publishID
        do {
            state = try await sendChunks(state, restartsLeft: restartsLeft) { state = $0 }
            emit(.processing, bytesSent: state.plan.videoSize)
            let poller = StatusPoller(service: service, options: options)
            let goal: StatusPoller.Goal = state.destination == .inbox ? .inbox : .published
            let total = state.plan.videoSize
            let result = try await poller.wait(for: state.publishID, goal: goal) { status in
                await self.note(status, bytesSent: total)
            }
            try await options.journal?.remove(for: state.key)
            current.status = result.status
            emit(.finished, bytesSent: state.plan.videoSize)
            return result
        } catch let failed as FreshInitFailed {
            throw failed.error
        } catch let error as TikTokError {
            if error.kind.failReason != nil { try? await options.journal?.remove(for: state.key) }
            throw error.attributed(to: state.publishID)
        }
    }

    /// The upload URL, once checked: it carries a credential, so https only (http only on
    /// loopback), on TikTok's upload hosts unless the client talks to a custom base URL (a
    /// sandbox, a proxy), and without credentials or a fragment (credentials would become an
    /// `Authorization: Basic` header on every chunk PUT; TikTok hands out neither).
    private func trustedUploadURL(_ state: UploadState) throws -> URL {
        guard let url = URL(string: state.uploadURL), let host = url.host?.lowercased() else {
            throw TikTokError(.undecodableResponse, message: "the upload URL is not a URL")
        }
        let secure = Validation.isSecure(scheme: url.scheme, host: host)
        let trusted = service.trustsAnyUploadHost || host == "tiktokapis.com" || host.hasSuffix(".tiktokapis.com")
        guard secure, trusted else {
            throw TikTokError(.undecodableResponse,
                              message: "refusing to send the video to \(Redaction.url(state.uploadURL)): upload URLs must be https on a tiktokapis.com host")
        }
        guard url.user == nil, url.password == nil, url.fragment == nil else {
            throw TikTokError(.undecodableResponse,
                              message: "refusing to send the video to \(Redaction.url(state.uploadURL)): upload URLs must not carry credentials or a fragment")
        }
        return url
    }

    /// Drives a ``ChunkUploadMachine``: does the I/O each action asks for (a PUT, a wait, a status
    /// call, a journal write, a fresh init) and feeds back what happened. Returns the state with
    /// every byte confirmed; `update` sees each new state (so errors name the current publish).
    private func sendChunks(_ initial: UploadState, restartsLeft: Int,
                            update: (UploadState) -> Void) async throws -> UploadState {
        var state = initial
        var url = try trustedUploadURL(state)
        let file = URL(fileURLWithPath: state.file.path)
        var machine = ChunkUploadMachine(plan: state.plan, confirmedOffset: state.confirmedOffset,
                                         maxAttempts: options.retryPolicy.maxAttempts, restartsLeft: restartsLeft)
        var action = machine.next()
        var sentAt = ContinuousClock.now
        while true {
            switch action {
            case .send(let chunk, let start, let attempt):
                try Task.checkCancellation()
                try checkUnchanged(state)
                let end = chunk.offset + chunk.length
                current.chunkIndex = chunk.index
                if attempt == 1 { emit(.uploading, bytesSent: start) }   // a retry is no new progress
                var request = TikTokHTTPRequest(method: .put, url: url,
                                          headers: ["Content-Type": state.container.mimeType,
                                                    "Content-Range": "bytes \(start)-\(end - 1)/\(state.plan.videoSize)"],
                                          body: .file(try TikTokFileRegion(file: file, offset: start, length: end - start)))
                request.timeout = options.chunkTimeout
                // The transport reports from its own thread, in order; yield straight to the stream.
                let snapshot = current
                let continuation = self.continuation
                request.uploadProgress = { sent in
                    var step = snapshot
                    step.bytesSent = start + sent
                    continuation.yield(step)
                }
                if attempt == 1 { sentAt = .now }
                do {
                    let response = try await service.sendChunk(request)
                    action = machine.answered(status: response.status, contentRange: response.headers["Content-Range"],
                                              retryAfter: Duration(retryAfter: response.headers["Retry-After"]),
                                              body: TikTokError.excerpt(of: response.body))
                    if case .retry = action { break }
                    service.record(TikTokEvent(.chunkUpload,
                                              message: "PUT upload chunk \(chunk.index + 1)/\(state.plan.chunkCount) \(request.headers["Content-Range"] ?? ""): HTTP \(response.status)",
                                              method: "PUT", url: state.uploadURL, status: response.status, duration: .now - sentAt,
                                              publishID: state.publishID, contentRange: request.headers["Content-Range"],
                                              bytes: end - start, attempt: attempt))
                } catch let error as TransportError {
                    guard error.kind != .fileUnreadable else {
                        throw TikTokError(.upload(.fileChanged), message: error.message, transportError: error)
                    }
                    action = machine.transportFailed(error)
                }
                if case .fail(let failure) = action, failure.kind == .upload(.retriesExhausted) {
                    service.record(TikTokEvent(.retriesExhausted,
                                              message: "PUT upload chunk \(chunk.index + 1)/\(state.plan.chunkCount): \(failure.message); giving up after \(attempt) attempts",
                                              method: "PUT", url: state.uploadURL, status: failure.httpStatus, publishID: state.publishID,
                                              contentRange: request.headers["Content-Range"], attempt: attempt))
                }
            case .retry(let attempt, let retryAfter, let reason, let failure):
                let delay = options.retryPolicy.delay(beforeRetry: attempt, retryAfter: retryAfter, using: &random)
                let chunk = machine.plan.chunk(containing: machine.confirmedOffset)
                service.record(TikTokEvent(.retry,
                                          message: "PUT upload chunk \((chunk?.index ?? 0) + 1)/\(state.plan.chunkCount): \(failure.message); retry \(attempt) of \(options.retryPolicy.maxAttempts - 1) in \(delay.brief)",
                                          method: "PUT", url: state.uploadURL, status: failure.httpStatus, publishID: state.publishID,
                                          contentRange: chunk.map { "bytes \(machine.confirmedOffset)-\($0.offset + $0.length - 1)/\(state.plan.videoSize)" },
                                          attempt: attempt + 1, reason: reason, delay: delay))
                try await options.sleep(delay)
                action = machine.retryNow()
            case .askStatus:
                let uploaded = try? await service.publishStatus(state.publishID, nil).uploadedBytes
                action = machine.statusAnswered(uploadedBytes: uploaded)
            case .confirmed(let offset, let resync):
                if resync {
                    service.record(TikTokEvent(.resync, message: "upload: HTTP 416; TikTok has bytes up to \(offset) of \(state.plan.videoSize), continuing from there",
                                              method: "PUT", url: state.uploadURL, status: 416, publishID: state.publishID,
                                              bytes: offset, reason: "HTTP 416"))
                }
                state.confirmedOffset = offset
                update(state)
                try await options.journal?.save(.uploading(state))
                emit(.uploading, bytesSent: offset)
                action = machine.next()
            case .restart(let expired):
                // The upload never completed, so it made no post: one fresh init, whose entry
                // replaces this one.
                service.record(TikTokEvent(.uploadRestart, message: "upload: the upload URL expired mid-upload; starting again with a fresh init",
                                          status: expired.httpStatus, publishID: state.publishID, reason: expired.code))
                do {
                    let probe = try MediaProbe(file: file)
                    state = try await initialize(key: state.key, probe: probe, plan: state.plan, destination: state.destination)
                } catch let error as TikTokError {
                    // Not about the expired publish: a failed (or unknown) fresh init names no
                    // publish, or the new one it carries already.
                    throw FreshInitFailed(error: error)
                }
                update(state)
                url = try trustedUploadURL(state)
                action = machine.restarted()
            case .finished:
                return state
            case .fail(let error):
                throw error
            }
        }
    }

    private func note(_ status: PublishStatus, bytesSent: Int64) {
        current.status = status
        emit(.processing, bytesSent: bytesSent)
    }

    /// Checks size and modification date before each chunk (one `stat`, no reads).
    private func checkUnchanged(_ state: UploadState) throws {
        let current = try? FileIdentity(statOf: state.file.path)
        guard let current, state.file.matches(current) else {
            throw TikTokError(.upload(.fileChanged),
                              message: "\(URL(fileURLWithPath: state.file.path).lastPathComponent) changed during the upload")
        }
    }

    private func emit(_ phase: UploadProgress.Phase, bytesSent: Int64? = nil) {
        current.phase = phase
        if let bytesSent { current.bytesSent = bytesSent }
        continuation.yield(current)
    }
}

/// A restart's fresh init failed: its error is thrown as it is, without the expired publish's ID.
private struct FreshInitFailed: Error {
    let error: TikTokError
}
