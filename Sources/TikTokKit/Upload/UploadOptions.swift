public import Foundation

/// Settings for an upload and the wait for its outcome.
public struct UploadOptions: Sendable {
    /// Chunk size for videos over 64,000,000 bytes. Default ``UploadPlan/defaultChunkSize``.
    public var chunkSize: Int64
    /// Retries of a failed chunk (transport errors, 5xx, 429).
    public var retryPolicy: RetryPolicy
    /// Whether an expired upload URL (403/404 from the upload host) may be replaced by a fresh
    /// init — a second publish ID — once. Off by default: the caller decides.
    public var restartExpiredUploads: Bool
    /// Where upload state is persisted for resuming; nil keeps nothing.
    public var journal: (any UploadJournal)?
    /// How the outcome is polled.
    public var statusPolling: StatusPolling
    /// How to wait; injectable for tests. Must throw `CancellationError` when cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// The wall clock; injectable for tests.
    public var now: @Sendable () -> Date

    /// Creates options; every parameter has a default.
    public init(chunkSize: Int64 = UploadPlan.defaultChunkSize, retryPolicy: RetryPolicy = .default,
                restartExpiredUploads: Bool = false, journal: (any UploadJournal)? = nil,
                statusPolling: StatusPolling = StatusPolling(),
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.chunkSize = chunkSize
        self.retryPolicy = retryPolicy
        self.restartExpiredUploads = restartExpiredUploads
        self.journal = journal
        self.statusPolling = statusPolling
        self.sleep = sleep
        self.now = now
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
