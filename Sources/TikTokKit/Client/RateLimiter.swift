public import Foundation

/// Keeps calls within TikTok's documented per-token limits by waiting, before TikTok answers
/// `rate_limit_exceeded`.
///
/// One limiter is shared by every call a ``TikTokClient`` makes, so concurrent uploads of one
/// user share one budget; pass the same limiter to several clients through
/// ``TikTokClient/Configuration/rateLimiter`` to share it between them. Buckets are per access
/// token and per endpoint group; a 429 from TikTok blocks its bucket for the `Retry-After` time
/// (or a full window) so the next call waits instead of failing again.
///
/// TikTok counts a call when it *arrives*, which is after the limiter let it go. So a call's slot
/// is held for a window from when its answer came back (however late), plus a margin of 1/50
/// of the window (1.2 s a minute); while it is in flight it holds its slot. So the 7th init of a
/// minute never reaches TikTok inside the first one's window, however slow the first was.
///
/// TikTok's limits are per user token, not per process: when several processes (workers,
/// replicas) post for the same users, give each limiter one shared ``RateLimitStore`` (a Redis or
/// database implementation; see `Documentation/Uploading.md`), and the calls are counted there.
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

    /// One call let through: when it was let go, or when its answer arrived.
    private struct Call {
        var id: UInt64
        var at: ContinuousClock.Instant
        var answered = false

        /// Until when it counts against its bucket: a window (plus margin) after its answer. While
        /// in flight it may still arrive at TikTok, so it holds its slot until it is answered, or
        /// for ``RateLimiter/unansweredHold`` (a call that long in flight has died).
        func expiry(_ limit: Limit) -> ContinuousClock.Instant {
            at + RateLimiter.hold(limit) + (answered ? .zero : RateLimiter.unansweredHold)
        }
    }

    private struct Window {
        var calls: [Call] = []
        var blockedUntil: ContinuousClock.Instant?
    }

    /// A call the limiter let through; hand it back to ``RateLimiter/finished(_:)`` when its
    /// answer (or failure) arrives.
    package struct Ticket: Sendable, Hashable {
        fileprivate let bucket: String
        fileprivate let token: String
        fileprivate let id: UInt64
        /// The store's reservation, when a ``RateLimitStore`` counts the calls.
        fileprivate var reservation: String?
        /// How long the call counts after its answer (its bucket's window plus the margin).
        fileprivate var hold: Duration = .zero
    }

    /// The policy in force.
    public let policy: Policy
    private let now: @Sendable () -> ContinuousClock.Instant
    private let sleep: @Sendable (Duration) async throws -> Void
    private let observer: (@Sendable (Bucket, ContinuousClock.Instant) -> Void)?
    private let limits: [String: Limit]
    private let store: (any RateLimitStore)?
    private let date: @Sendable () -> Date
    private var windows: [Key: Window] = [:]
    private var nextTicket: UInt64 = 0

    /// Creates a limiter.
    /// - Parameters:
    ///   - policy: What to do when a call would exceed its limit.
    ///   - limits: Limits to use instead of TikTok's documented ones, by ``Bucket/name`` (TikTok
    ///     raises limits for some apps on request; a sandbox may use shorter windows).
    ///   - observer: Told of every call let through, with its bucket and time (for metrics).
    ///   - store: Where calls are counted when processes share limits; nil counts them in this
    ///     limiter alone.
    public init(
        policy: Policy = .wait,
        limits: [String: Limit] = [:],
        observer: (@Sendable (Bucket, ContinuousClock.Instant) -> Void)? = nil,
        store: (any RateLimitStore)? = nil
    ) {
        self.init(policy: policy, limits: limits, observer: observer, store: store, clocks: Clocks())
    }

    /// Creates a limiter that reads the time from, and waits on, `clocks` (a test's virtual clock).
    @_spi(Testing)
    public init(
        policy: Policy = .wait,
        limits: [String: Limit] = [:],
        observer: (@Sendable (Bucket, ContinuousClock.Instant) -> Void)? = nil,
        store: (any RateLimitStore)? = nil,
        clocks: Clocks
    ) {
        self.policy = policy
        self.limits = limits
        self.store = store
        self.date = clocks.date
        self.now = clocks.now
        self.sleep = clocks.sleep
        self.observer = observer
    }

    /// The clocks a limiter reads and waits on; replaceable in tests (`@_spi(Testing) import TikTokKit`).
    @_spi(Testing)
    public struct Clocks: Sendable {
        /// The monotonic clock the limiter's own windows use.
        public var now: @Sendable () -> ContinuousClock.Instant
        /// How to wait; must throw `CancellationError` when cancelled.
        public var sleep: @Sendable (Duration) async throws -> Void
        /// The wall clock a ``RateLimitStore``'s records use (processes share no monotonic clock).
        public var date: @Sendable () -> Date

        /// The real clocks, or the ones given.
        public init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
                    sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                    date: @escaping @Sendable () -> Date = { Date() }) {
            self.now = now
            self.sleep = sleep
            self.date = date
        }
    }

    /// The limit in force for `bucket`: an override, else TikTok's.
    public func limit(for bucket: Bucket) -> Limit { limits[bucket.name] ?? bucket.limit }

    /// How long a call let through but never reported ``finished(_:)`` holds its slot.
    package static let unansweredHold: Duration = .seconds(600)

    /// How long after its answer a call still counts against its bucket.
    fileprivate static func hold(_ limit: Limit) -> Duration { limit.window + limit.window / 50 }

    /// Waits until a call in `bucket` for `tokenKey` fits, then records it.
    /// - Parameters:
    ///   - bucket: The endpoint's bucket, such as ``Bucket/inboxVideoInit``.
    ///   - tokenKey: Which access token the call is for; TikTok counts each token apart. Any
    ///     stable key will do (the client passes a digest, never the token itself).
    ///   - maxWait: The longest the caller can wait (what is left of its own deadline);
    ///     when the bucket frees up later than that, the call fails at once instead of sleeping.
    /// - Returns: The call's ticket, for ``finished(_:)``.
    /// - Throws: `CancellationError`, or a `rate_limit_exceeded` error with ``Policy/fail`` or
    ///   when the wait would exceed `maxWait`.
    @discardableResult
    package func acquire(_ bucket: Bucket, tokenKey: String, maxWait: Duration? = nil) async throws -> Ticket {
        let key = Key(token: tokenKey, bucket: bucket.name)
        nextTicket += 1
        var ticket = Ticket(bucket: bucket.name, token: tokenKey, id: nextTicket)
        guard policy != .disabled else { return ticket }
        let limit = limit(for: bucket)
        if let store {
            ticket.reservation = try await acquire(from: store, bucket: bucket, limit: limit, key: key, maxWait: maxWait)
            ticket.hold = Self.hold(limit)
            return ticket
        }
        let started = now()
        while true {
            try Task.checkCancellation()
            let current = now()
            var window = windows[key, default: Window()]
            window.calls.removeAll { $0.expiry(limit) <= current }
            var readyAt: ContinuousClock.Instant?
            if let blockedUntil = window.blockedUntil, blockedUntil > current {
                readyAt = blockedUntil
            } else if window.calls.count >= limit.count, let first = window.calls.map({ $0.expiry(limit) }).min() {
                // A call still in flight frees its slot a window after its answer, which may come
                // any time: then look again every 1/20 window.
                readyAt = window.calls.allSatisfy(\.answered) ? first : min(first, current + limit.window / 20)
            }
            guard let readyAt else {
                window.blockedUntil = nil
                window.calls.append(Call(id: ticket.id, at: current))
                windows[key] = window
                prune(now: current)
                observer?(bucket, current)
                return ticket
            }
            windows[key] = window
            try refuseIfNeeded(bucket, wait: readyAt - current, maxWait: maxWait.map { $0 - (current - started) })
            try await sleep(readyAt - current)
        }
    }

    /// With ``Policy/fail``, or a wait past the caller's deadline: the call is refused.
    private func refuseIfNeeded(_ bucket: Bucket, wait: Duration, maxWait: Duration?) throws {
        if policy == .fail {
            throw TikTokError(.api(.rateLimitExceeded),
                              message: "client-side limit for \(bucket) reached; not sent to TikTok")
        }
        if let maxWait, wait > maxWait {
            throw TikTokError(.api(.rateLimitExceeded),
                              message: "client-side limit for \(bucket): the wait would pass the call's deadline; not sent to TikTok")
        }
    }

    /// The store's key for a token's bucket: the token's digest, never the token.
    private static func storeKey(_ key: Key) -> String { "\(key.token):\(key.bucket)" }

    /// ``acquire(_:tokenKey:maxWait:)`` against a shared store: reserve, or wait as the store
    /// says (at most 1/20 of a window at a time, since a call in flight elsewhere may be
    /// answered any moment) and ask again.
    private func acquire(from store: any RateLimitStore, bucket: Bucket, limit: Limit, key: Key,
                         maxWait: Duration?) async throws -> String {
        let started = date()   // the store's clock: the one its waits are measured on
        while true {
            try Task.checkCancellation()
            let at = date()
            switch try await store.reserve(Self.storeKey(key), limit: limit, inFlightHold: Self.hold(limit) + Self.unansweredHold, at: at) {
            case .granted(let reservation):
                observer?(bucket, now())
                return reservation
            case .retry(let later):
                // A call in flight elsewhere may be answered any moment (the store can only name
                // its worst case), so sleep at most 1/20 window and ask again; refuse only when
                // that next step would pass the caller's deadline.
                let step = min(Duration.seconds(max(later.timeIntervalSince(at), 0.001)), limit.window / 20)
                try refuseIfNeeded(bucket, wait: step, maxWait: maxWait.map { $0 - .seconds(at.timeIntervalSince(started)) })
                try await sleep(step)
            }
        }
    }

    /// Records that the call of `ticket` got its answer (or failed) now: its slot is held for a
    /// window from now, since TikTok counted it on arrival, somewhere before this instant. A
    /// ticket never finished holds its slot for ``unansweredHold`` from when it was let go.
    package func finished(_ ticket: Ticket) async {
        let key = Key(token: ticket.token, bucket: ticket.bucket)
        if let store, let reservation = ticket.reservation {
            try? await store.finish(Self.storeKey(key), reservation: reservation, hold: ticket.hold, at: date())
            return
        }
        guard let index = windows[key]?.calls.firstIndex(where: { $0.id == ticket.id }) else { return }
        windows[key]?.calls[index].at = now()
        windows[key]?.calls[index].answered = true
    }

    /// Forgets idle buckets now and then, so a server with many users does not grow forever.
    private func prune(now current: ContinuousClock.Instant) {
        acquisitions += 1
        guard acquisitions % 1024 == 0 else { return }
        windows = windows.filter { _, window in
            window.calls.contains { $0.at + .seconds(3600) > current } || (window.blockedUntil.map { $0 > current } ?? false)
        }
    }

    private var acquisitions = 0

    /// Records that TikTok answered 429: the bucket waits `retryAfter` (or one window), never
    /// longer than one window — TikTok's limits are per minute, so a `Retry-After` of a day (a
    /// broken proxy, a hostile server) must not park every later call for a day.
    package func didReceiveRateLimit(_ bucket: Bucket, tokenKey: String, retryAfter: Duration?) async {
        guard policy != .disabled else { return }
        let key = Key(token: tokenKey, bucket: bucket.name)
        let window = limit(for: bucket).window
        let wait = min(max(retryAfter ?? window, .zero), window)
        if let store {
            try? await store.block(Self.storeKey(key), until: date().addingTimeInterval(wait.inSeconds))
            return
        }
        windows[key, default: Window()].blockedUntil = now() + wait
    }

    /// Calls recorded in the current window by this limiter (not those in a shared store), for
    /// tests and diagnostics.
    package func recentCallCount(_ bucket: Bucket, tokenKey: String) -> Int {
        let current = now()
        let limit = limit(for: bucket)
        return windows[Key(token: tokenKey, bucket: bucket.name)]?.calls.filter { $0.expiry(limit) > current }.count ?? 0
    }
}
