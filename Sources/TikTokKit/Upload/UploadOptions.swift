public import Foundation

/// Settings for an upload and the wait for its outcome.
public struct UploadOptions: Sendable {
    /// Chunk size for videos over 64,000,000 bytes. Default ``UploadPlan/defaultChunkSize``.
    public var chunkSize: Int64
    /// Retries of a failed chunk (transport errors, 5xx, 429).
    public var retryPolicy: UploadRetryPolicy
    /// Whether an unfinished upload whose URL expired (an hour after init: a 403/404 from the
    /// upload host, or a journaled upload found past its hour) is restarted with exactly one
    /// fresh init, replacing its journal entry. An upload that never completed cannot have made
    /// a post, so this is safe; it is off by default only because it creates a second publish ID
    /// (the first one stays unfinished until TikTok drops it). The examples turn it on.
    public var restartExpiredUploads: Bool
    /// Where upload state is persisted for resuming; nil keeps nothing.
    public var journal: (any UploadJournal)?
    /// Whose upload this is, for the journal: the creator's `open_id` or your own key for the
    /// account (never a token). When nil, the ``TokenProvider``'s ``TokenProvider/accountID()``
    /// is used, else the `open_id` from `/v2/user/info/` (one call per client and token). A
    /// journaled upload is only ever resumed for the account that started it.
    public var account: String?
    /// Your own ID for this upload (a job or queue message ID). When set, the journal keys the
    /// upload by it instead of the file's path, and a retried job that downloaded the same video
    /// (same size and sampled bytes) to a new path continues the upload instead of making a
    /// second init.
    public var jobID: String?
    /// Whether to send a new init although the journal says an earlier run sent one whose answer
    /// was never recorded (it crashed, or the connection died): TikTok may then hold two
    /// publishes. Off by default: the upload fails with `init_outcome_unknown` until someone has
    /// checked the creator's inbox or profile.
    public var retryUnconfirmedInit: Bool
    /// How the outcome is polled.
    public var statusPolling: StatusPolling
    /// The longest one chunk PUT may take in all, however steadily its bytes move; past it the
    /// attempt fails as `timedOut` and the ``retryPolicy`` decides what follows. Default 20
    /// minutes: a 64 MB chunk at about 430 kbit/s. Lower it to fail faster on a stuck peer, raise
    /// it (or plan smaller chunks) on very slow links.
    public var chunkTimeout: Duration
    /// How to wait (retry backoff, status polling); replaceable in tests through
    /// `@_spi(Testing) import TikTokKit`. Must throw `CancellationError` when cancelled.
    @_spi(Testing) public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    /// The wall clock (upload URL lifetime, polling deadline); replaceable in tests through
    /// `@_spi(Testing) import TikTokKit`.
    @_spi(Testing) public var now: @Sendable () -> Date = { Date() }

    /// Creates options; every parameter has a default.
    public init(chunkSize: Int64 = UploadPlan.defaultChunkSize, retryPolicy: UploadRetryPolicy = .default,
                restartExpiredUploads: Bool = false, journal: (any UploadJournal)? = nil,
                account: String? = nil, jobID: String? = nil, retryUnconfirmedInit: Bool = false,
                statusPolling: StatusPolling = StatusPolling(),
                chunkTimeout: Duration = .seconds(1200)) {
        self.chunkSize = chunkSize
        self.retryPolicy = retryPolicy
        self.restartExpiredUploads = restartExpiredUploads
        self.journal = journal
        self.account = account
        self.jobID = jobID
        self.retryUnconfirmedInit = retryUnconfirmedInit
        self.statusPolling = statusPolling
        self.chunkTimeout = chunkTimeout
    }
}

/// How often, and for how long, the status endpoint is polled after the upload.
///
/// The interval starts at ``initialInterval`` and grows by ``backoff`` up to ``maxInterval``;
/// with the defaults (2 s growing to 10 s) a publish is polled at most 30 times in any minute —
/// TikTok's per-token limit — and the client's rate limiter enforces that limit across concurrent
/// uploads of one user.
public struct StatusPolling: Sendable, Hashable {
    /// The first wait.
    public var initialInterval: Duration
    /// The longest wait.
    public var maxInterval: Duration
    /// The factor each wait grows by.
    public var backoff: Double
    /// How long to wait for a final state before failing with `status_deadline_exceeded`.
    public var deadline: Duration

    /// Creates a polling schedule.
    public init(initialInterval: Duration = .seconds(2), maxInterval: Duration = .seconds(10),
                backoff: Double = 1.5, deadline: Duration = .seconds(900)) {
        self.initialInterval = initialInterval
        self.maxInterval = maxInterval
        self.backoff = max(1, backoff)
        self.deadline = deadline
    }
}
