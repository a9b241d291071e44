public import Foundation
import TikTokKit

/// An offline TikTok: the Content Posting API, OAuth and the chunk upload host on 127.0.0.1,
/// as strict as TikTok.
///
/// - Envelopes with `log_id`; bearer tokens (401 `access_token_invalid`) and scopes (401
///   `scope_not_authorized`); per-token rate limits (429 `rate_limit_exceeded`).
/// - Creator accounts, public or private (``Account``), whose options `creator_info` reports;
///   privacy checks (403 `privacy_level_option_mismatch`); an unaudited mode that accepts only
///   `SELF_ONLY` posts to private accounts, from at most 5 users a day; TikTok's caps on posts per
///   creator and pending inbox shares, reported by `creator_info` with its "intentional" 200s.
/// - Video init (inbox and direct, FILE_UPLOAD and PULL_FROM_URL) checking every chunk-plan rule;
///   photo init; PULL_FROM_URL and photo URLs must match a verified prefix (403
///   `url_ownership_unverified`) and are really downloaded — the emulator can serve files for that.
/// - The upload URL checks `Content-Range` on every PUT (416 with the progress header on a
///   mismatch; 206 and 201), expires after a configurable time (403), and records violations.
/// - A status lifecycle with a processing delay; the whole received video is probed as TikTok
///   checks it (``MediaInspection``): a file that is not an MP4, QuickTime or WebM video, or sent
///   under another container's `Content-Type`, ends `FAILED` with `file_format_check_failed`, one
///   longer than the creator's maximum with `duration_check_failed`; cancel for downloads in progress.
/// - Faults: injected on chosen requests, or at random (seeded) on chunk PUTs.
/// - Inspection: ``allUploads`` in process, `GET /__sandbox/uploads` over HTTP; `PUT
///   /__sandbox/discard` receives and drops a body, to measure the server alone.
///
/// ```swift
/// let emulator = try TikTokEmulator(accessToken: "test-token")
/// let client = TikTokClient(accessToken: "test-token", configuration: .init(baseURL: emulator.baseURL))
/// let result = try await client.publishDraft(file: video)
/// emulator.allUploads.first?.sha256   // what arrived
/// ```
public final class TikTokEmulator: @unchecked Sendable {
    /// The settings in force.
    public let configuration: Configuration
    /// Guards ``state``; never held across I/O.
    private let lock = NSLock()
    /// Everything the emulator remembers (see ``locked(_:)``).
    private var state: EmulatorState
    private var server: HTTPServer?
    /// Guards ``clockOffset`` (apart from the state, so ``now`` can be read inside ``locked(_:)``).
    private let clockLock = NSLock()
    private var clockOffset: Duration = .zero
    let media = MediaInspection()
    let downloader = URLSessionTransport(configuration: .init(stallTimeout: .seconds(30), maxResponseBodySize: 1 << 30))

    /// Starts an emulator that accepts one access token with every scope.
    public convenience init(accessToken: String, port: UInt16 = 0, storeDirectory: URL? = nil) throws {
        try self.init(configuration: Configuration(accessToken: accessToken, storeDirectory: storeDirectory), port: port)
    }

    /// Starts an emulator.
    /// - Parameters:
    ///   - configuration: Accounts, app status, timings, faults.
    ///   - port: 0 for an ephemeral port.
    public init(configuration: Configuration, port: UInt16 = 0) throws {
        self.configuration = configuration
        self.state = EmulatorState(configuration: configuration)
        server = try HTTPServer(port: port, limits: configuration.serverLimits) { [weak self] request in
            guard let self else { return HTTPServerResponse(status: 503) }
            return try self.route(request)
        }
    }

    deinit { server?.shutdown() }

    /// Runs `body` with the state, under the lock. Handlers do their I/O outside it.
    func locked<T>(_ body: (inout EmulatorState) throws -> T) rethrows -> T {
        try lock.withLock { try body(&state) }
    }

    /// The emulator's clock: the real one plus every ``advanceClock(by:)``.
    var now: ContinuousClock.Instant { ContinuousClock.now + clockLock.withLock { clockOffset } }

    /// Moves the emulator's clock forward by `duration`, so a test can see what TikTok does
    /// later without waiting: access tokens and codes expire, upload URLs run out, processing
    /// ends, rate-limit windows and the 24-hour posting caps roll over. (Over HTTP:
    /// `POST /__sandbox/advance-clock?seconds=S`.)
    public func advanceClock(by duration: Duration) {
        guard duration > .zero else { return }
        clockLock.withLock { clockOffset += duration }
    }

    /// Stops serving.
    public func shutdown() { server?.shutdown() }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { server?.baseURL ?? URL(fileURLWithPath: "/") }

    /// Every publish, in init order.
    public var allUploads: [Upload] { locked { state in state.order.compactMap { state.publishes[$0].map(record) } } }

    /// How many init requests were accepted.
    public var initRequestCount: Int { locked { $0.publishes.count } }

    /// API calls answered 429 `rate_limit_exceeded` because a per-token limit was reached.
    public var rateLimitedCallCount: Int { locked { $0.rateLimitedCalls } }

    /// How many chunk PUTs arrived.
    public var chunkRequestCount: Int { locked { $0.chunkRequests } }

    /// How many faults were injected, by kind (`resetMidBody`, `serverError`, `tooManyRequests`,
    /// `stall`) or, for ``Fault/apiError(code:)`` and ``Fault/failReason(_:)``, by code or reason.
    public var injectedFaults: [String: Int] { locked { $0.faultCounts } }

    /// Every webhook event sent (``Configuration/webhookURL``), with its delivery attempts.
    public var webhookDeliveries: [WebhookRecord] { locked { $0.webhooks } }

    /// How many requests arrived in all.
    public var requestCount: Int { locked { $0.requests } }

    /// The file holding an upload's received bytes, when a store directory is configured.
    public func storedFile(for publishID: String) -> URL? {
        configuration.storeDirectory?.appendingPathComponent(Self.fileName(publishID))
    }

    /// Injects `fault` on the `number`-th chunk PUT the emulator receives (1-based).
    public func inject(_ fault: Fault, onChunkRequest number: Int) {
        locked { $0.chunkFaults[number] = fault }
    }

    /// Injects `faults`, one per request, on the next requests to an API path such as
    /// `/v2/post/publish/status/fetch/`.
    public func inject(_ faults: [Fault], onPath path: String) {
        locked { $0.pathFaults[path, default: []] += faults }
    }

    /// Answers each request to an API path with `fault` with probability `probability` (0–1),
    /// drawn from the seeded generator, so a run is repeatable with the same
    /// ``Configuration/seed``. Faults queued with ``inject(_:onPath:)`` come first.
    public func inject(_ fault: Fault, onPath path: String, probability: Double) {
        let probability = min(max(probability, 0), 1)
        locked { $0.pathFaultChances[path, default: []].append((fault, probability)) }
    }

    /// Serves `file` at `<baseURL>/files/<name>`, a URL PULL_FROM_URL and photo posts may use.
    @discardableResult
    public func serve(_ file: URL, as name: String) -> URL {
        locked { $0.servedFiles[name] = file }
        return baseURL.appendingPathComponent("files").appendingPathComponent(name)
    }

    /// Changes the account of the user `token` belongs to while the emulator runs, e.g. to switch
    /// it to private as a creator would in TikTok's app (the fix for
    /// `unaudited_client_can_only_post_to_private_accounts`). Returns false when no such token
    /// is in force.
    @discardableResult
    public func updateAccount(forToken token: String, _ change: (inout Account) -> Void) -> Bool {
        let fallback = Account(privacy: configuration.accountPrivacy)
        return locked { state in
            guard let user = state.grants[token]?.user else { return false }
            var account = state.accounts[user] ?? fallback
            change(&account)
            state.accounts[user] = account
            return true
        }
    }

    /// Finishes an inbox share as its creator would in TikTok's app: a draft that reached
    /// `SEND_TO_USER_INBOX` becomes `PUBLISH_COMPLETE` and stops counting against the pending
    /// shares. Returns false when `publishID` is not an inbox share that reached the inbox.
    @discardableResult
    public func finishInboxPost(publishID: String) -> Bool {
        let delay = configuration.processingDelay, now = self.now
        let finished = locked { state in
            guard let publish = state.publishes[publishID], publish.status(processingDelay: delay, now: now).0 == .sendToUserInbox else {
                return false
            }
            state.publishes[publishID]?.inboxFinished = true
            return true
        }
        if finished { announceStatus(of: publishID) }
        return finished
    }

    /// The creator disconnects the app in TikTok (or TikTok removes the authorization):
    /// `token`, and every token of the same consent, stop working, and the webhook
    /// `authorization.removed` is sent with `reason` (TikTok's codes: 0 unknown, 1 disconnected
    /// by the user, 2 account deleted, 3 age changed, 4 account banned, 5 revoked by the
    /// developer). Returns false when no such token is in force.
    @discardableResult
    public func removeAuthorization(forToken token: String, reason: Int = 1) -> Bool {
        guard let user = endAuthorization(ofToken: token) else { return false }
        sendWebhook(.authorizationRemoved, user: user, content: ["reason": reason])
        return true
    }

    static func fileName(_ publishID: String) -> String {
        publishID.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + ".bin"
    }
}
