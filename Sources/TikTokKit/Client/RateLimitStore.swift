public import Foundation

/// Where a ``RateLimiter`` counts calls, so that several processes posting for the same users
/// share TikTok's per-token limits (TikTok counts per user token, not per process).
///
/// A store keeps, per key (a token's digest and a bucket name, never the token), the calls that
/// still count, each until an expiry, and an optional block after a 429. Every method must be
/// atomic for its key across processes: a Redis Lua script or a database transaction. Times are
/// wall-clock `Date`s, since processes share no monotonic clock; keep the machines' clocks in sync
/// (NTP), or a skewed one counts calls a little early or late.
///
/// ``InMemoryRateLimitStore`` is the reference implementation; `Documentation/Uploading.md`
/// sketches one on Redis.
public protocol RateLimitStore: Sendable {
    /// Records a call under `key` if it fits: calls whose expiry is after `now` number fewer than
    /// `limit.count`, and no block lasts past `now`. The new call counts until `now + inFlightHold`
    /// (it is in flight; ``finish(_:reservation:hold:at:)`` shortens that once it is answered).
    /// - Returns: ``RateLimitReservation/granted(_:)`` with an ID for the call, or
    ///   ``RateLimitReservation/retry(at:)`` with the earliest instant it may fit.
    func reserve(_ key: String, limit: RateLimiter.Limit, inFlightHold: Duration, at now: Date) async throws -> RateLimitReservation

    /// The call `reservation` got its answer at `now`: it counts until `now + hold`.
    func finish(_ key: String, reservation: String, hold: Duration, at now: Date) async throws

    /// TikTok answered 429: no call under `key` fits before `until`.
    func block(_ key: String, until: Date) async throws
}

/// What ``RateLimitStore/reserve(_:limit:inFlightHold:at:)`` decided.
public enum RateLimitReservation: Sendable, Hashable {
    /// The call fits and was recorded under this ID.
    case granted(String)
    /// The call does not fit; ask again at this instant (or sooner).
    case retry(at: Date)
}

/// A ``RateLimitStore`` in memory: the reference implementation of the protocol's rules, and a
/// way to share limits between limiters in one process.
public actor InMemoryRateLimitStore: RateLimitStore {
    private struct Entry {
        var calls: [String: Date] = [:]
        var blockedUntil: Date?
    }

    private var entries: [String: Entry] = [:]
    private var counter: UInt64 = 0

    /// Creates an empty store.
    public init() {}

    /// Drops the calls under `key` that expired by `now`, then records the new one if fewer than
    /// `limit.count` remain and no block lasts past `now`; otherwise names the earliest expiry
    /// (or the block's end) to ask again at.
    public func reserve(_ key: String, limit: RateLimiter.Limit, inFlightHold: Duration, at now: Date) -> RateLimitReservation {
        var entry = entries[key, default: Entry()]
        entry.calls = entry.calls.filter { $0.value > now }
        defer { entries[key] = entry }
        if let blockedUntil = entry.blockedUntil, blockedUntil > now { return .retry(at: blockedUntil) }
        guard entry.calls.count < limit.count else { return .retry(at: entry.calls.values.min() ?? now) }
        counter += 1
        let id = String(counter)
        entry.calls[id] = now.addingTimeInterval(inFlightHold.inSeconds)
        return .granted(id)
    }

    /// Moves the call's expiry to `now + hold`; a reservation that already expired is ignored.
    public func finish(_ key: String, reservation: String, hold: Duration, at now: Date) {
        guard entries[key]?.calls[reservation] != nil else { return }
        entries[key]?.calls[reservation] = now.addingTimeInterval(hold.inSeconds)
    }

    /// Refuses every call under `key` until `until` (a later block replaces an earlier one).
    public func block(_ key: String, until: Date) {
        entries[key, default: Entry()].blockedUntil = until
    }

    /// Calls counted under `key` at `now`, for tests and diagnostics.
    package func count(_ key: String, at now: Date = Date()) -> Int {
        entries[key]?.calls.values.filter { $0 > now }.count ?? 0
    }
}
