/// Keeps calls within TikTok's documented per-token limits by waiting, before TikTok answers
/// `rate_limit_exceeded`.
///
/// One limiter is shared by every call a ``TikTokClient`` makes, so concurrent uploads of one
/// user share one budget; pass the same limiter to several clients through
/// ``TikTokClient/Configuration/rateLimiter`` to share it between them. Buckets are per access token and per endpoint group; a 429 from TikTok
/// blocks its bucket for the `Retry-After` time (or a full window) so the next call waits instead
/// of failing again.
public actor RateLimiter {
    /// A limit: at most `count` calls in any `window`.
    public struct Limit: Sendable, Hashable {
        /// Calls allowed per window.
        public var count: Int
        /// The sliding window.
        public var window: Duration

        /// Creates a limit.
        public init(count: Int, per window: Duration) {
            self.count = max(1, count)
            self.window = window
        }
    }

    /// What to do when a call would exceed its limit.
    public enum Policy: Sendable, Hashable {
        /// Wait until the call fits (the default).
        case wait
        /// Throw ``TikTokError`` `rate_limit_exceeded` at once, without calling TikTok.
        case fail
        /// No client-side limiting.
        case disabled
    }

    /// A group of endpoints that share one limit.
    public struct Bucket: Hashable, Sendable, CustomStringConvertible {
        /// The group's name.
        public let name: String
        /// Its documented limit.
        public let limit: Limit

        /// Creates a bucket.
        public init(name: String, limit: Limit) {
            self.name = name
            self.limit = limit
        }

        /// `/v2/post/publish/creator_info/query/`: 20 per minute.
        public static let creatorInfo = Bucket(name: "creator_info", limit: Limit(count: 20, per: .seconds(60)))
        /// `/v2/post/publish/video/init/`: 6 per minute.
        public static let directVideoInit = Bucket(name: "video_init", limit: Limit(count: 6, per: .seconds(60)))
        /// `/v2/post/publish/inbox/video/init/`: 6 per minute.
        public static let inboxVideoInit = Bucket(name: "inbox_video_init", limit: Limit(count: 6, per: .seconds(60)))
        /// `/v2/post/publish/content/init/`: 6 per minute.
        public static let photoInit = Bucket(name: "content_init", limit: Limit(count: 6, per: .seconds(60)))
        /// `/v2/post/publish/status/fetch/`: 30 per minute.
        public static let statusFetch = Bucket(name: "status_fetch", limit: Limit(count: 30, per: .seconds(60)))
        /// `/v2/user/info/`: 600 per minute.
        public static let userInfo = Bucket(name: "user_info", limit: Limit(count: 600, per: .seconds(60)))

        public var description: String { "\(name) (\(limit.count) per \(limit.window))" }
    }

    private struct Key: Hashable {
        var token: String
        var bucket: String
    }

    private struct Window {
        var calls: [ContinuousClock.Instant] = []
        var blockedUntil: ContinuousClock.Instant?
    }

    /// The policy in force.
    public let policy: Policy
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private let observer: (@Sendable (Bucket, ContinuousClock.Instant) -> Void)?
    private var windows: [Key: Window] = [:]

    /// Creates a limiter.
    /// - Parameters:
    ///   - policy: What to do when a call would exceed its limit.
    ///   - now: The clock, injectable for tests.
    ///   - sleep: How to wait, injectable for tests; must throw `CancellationError` when cancelled.
    ///   - observer: Told of every call let through, with its bucket and time (for metrics and tests).
    public init(
        policy: Policy = .wait,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        observer: (@Sendable (Bucket, ContinuousClock.Instant) -> Void)? = nil
    ) {
        self.policy = policy
        self.now = now
        self.sleep = sleep
        self.observer = observer
    }

    /// Waits until a call in `bucket` for `tokenKey` fits, then records it.
    /// - Throws: `CancellationError`, or with ``Policy/fail`` a `rate_limit_exceeded` error.
    public func acquire(_ bucket: Bucket, tokenKey: String) async throws {
        guard policy != .disabled else { return }
        let key = Key(token: tokenKey, bucket: bucket.name)
        while true {
            try Task.checkCancellation()
            let current = now()
            var window = windows[key, default: Window()]
            window.calls.removeAll { $0 + bucket.limit.window <= current }
            var readyAt: ContinuousClock.Instant?
            if let blockedUntil = window.blockedUntil, blockedUntil > current {
                readyAt = blockedUntil
            } else if window.calls.count >= bucket.limit.count, let oldest = window.calls.first {
                readyAt = oldest + bucket.limit.window
            }
            guard let readyAt else {
                window.blockedUntil = nil
                window.calls.append(current)
                windows[key] = window
                prune(now: current)
                observer?(bucket, current)
                return
            }
            windows[key] = window
            if policy == .fail {
                throw TikTokError(.api(.rateLimitExceeded),
                                  message: "client-side limit for \(bucket) reached; not sent to TikTok")
            }
            try await sleep(readyAt - current)
        }
    }

    /// Forgets idle buckets now and then, so a server with many users does not grow forever.
    private func prune(now current: ContinuousClock.Instant) {
        acquisitions += 1
        guard acquisitions % 1024 == 0 else { return }
        windows = windows.filter { _, window in
            window.calls.contains { $0 + .seconds(3600) > current } || (window.blockedUntil.map { $0 > current } ?? false)
        }
    }

    private var acquisitions = 0

    /// Records that TikTok answered 429: the bucket waits `retryAfter` (or one window), never
    /// longer than one window — TikTok's limits are per minute, so a `Retry-After` of a day (a
    /// broken proxy, a hostile server) must not park every later call for a day.
    public func didReceiveRateLimit(_ bucket: Bucket, tokenKey: String, retryAfter: Duration?) {
        guard policy != .disabled else { return }
        let key = Key(token: tokenKey, bucket: bucket.name)
        let wait = min(max(retryAfter ?? bucket.limit.window, .zero), bucket.limit.window)
        windows[key, default: Window()].blockedUntil = now() + wait
    }

    /// Calls recorded in the current window, for tests and diagnostics.
    public func recentCallCount(_ bucket: Bucket, tokenKey: String) -> Int {
        let current = now()
        return windows[Key(token: tokenKey, bucket: bucket.name)]?.calls.filter { $0 + bucket.limit.window > current }.count ?? 0
    }
}
