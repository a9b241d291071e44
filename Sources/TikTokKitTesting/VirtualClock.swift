public import Foundation
@_spi(Testing) public import TikTokKit

/// Time for upload tests that passes only when the upload waits: every wait returns at once and
/// moves the clock on by what it asked for.
///
/// With it, a test of a retried chunk or of a status that never turns final runs in
/// milliseconds, and the polling deadline still arrives: give the upload options on it
/// (``TikTokKit/UploadOptions/onVirtualClock(_:)``) and the client a rate limiter on it
/// (``TikTokKit/RateLimiter/init(clock:policy:limits:)``: TikTok allows 30 status calls a
/// minute, and a minute must pass on the same clock), then look at the ``waits`` it asked for.
///
/// ```swift
/// let clock = VirtualClock()
/// let client = TikTokClient(accessToken: "t", transport: fake,
///                           configuration: .init(rateLimiter: RateLimiter(clock: clock)))
/// fake.enqueue(.post, "/v2/post/publish/status/fetch/", .json(processing), repeatingLast: true)
/// await #expect(throws: TikTokError.self) {
///     try await client.publishDraft(file: video, options: UploadOptions().onVirtualClock(clock))
/// }
/// #expect(clock.elapsed == .seconds(900))   // the default deadline, reached in no real time
/// ```
///
/// Safe to share between tasks. A wait in a cancelled task throws `CancellationError`, as
/// `Task.sleep` does.
public final class VirtualClock: Sendable {
    private struct State {
        var now: Date
        var elapsed: Duration = .zero
        var waits: [Duration] = []
    }

    private let state: Locked<State>
    /// The monotonic instant the clock started at, for a rate limiter's windows.
    private let origin = ContinuousClock.now
    /// Where the clock started.
    public let start: Date

    /// Creates a clock that reads `start` until something waits.
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.start = start
        state = Locked(State(now: start))
    }

    /// The clock's time as a monotonic instant (its start, moved on by ``elapsed``).
    public var instant: ContinuousClock.Instant { origin + elapsed }

    /// The clock's current time.
    public var now: Date { state.withLock { $0.now } }
    /// How far the clock has moved since ``start``: the sum of every wait.
    public var elapsed: Duration { state.withLock { $0.elapsed } }
    /// Every wait asked for, in order (retry backoff, status polling).
    public var waits: [Duration] { state.withLock { $0.waits } }

    /// Moves the clock on by `duration` at once, as a wait of that long would.
    public func advance(by duration: Duration) {
        state.withLock {
            $0.now = $0.now.addingTimeInterval(duration.inSeconds)
            $0.elapsed += duration
        }
    }

    /// Waits `duration` on this clock: records it, moves the clock on, returns at once.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(for duration: Duration) throws {
        try Task.checkCancellation()
        state.withLock { $0.waits.append(duration) }
        advance(by: duration)
    }
}

extension RateLimiter {
    /// A limiter that counts its windows and waits on `clock`: a test whose upload runs on a
    /// ``VirtualClock`` sees the 31st status call of a minute wait a virtual minute, not a real one.
    ///
    /// Meant for calls one at a time per token (one upload, or uploads in turn). While calls on a
    /// full bucket are still in flight, the limiter looks again every 1/20 of a window; on a
    /// virtual clock each look moves time on at once, so concurrent calls that fill a bucket can
    /// carry the clock minutes ahead of what real time would. Such a test keeps the real clock.
    public init(clock: VirtualClock, policy: Policy = .wait, limits: [String: Limit] = [:]) {
        self.init(policy: policy, limits: limits,
                  clocks: Clocks(now: { clock.instant }, sleep: { try clock.sleep(for: $0) }, date: { clock.now }))
    }
}

extension UploadOptions {
    /// These options on `clock`: every wait of the upload (retry backoff, status polling)
    /// returns at once and moves the clock on, and the upload URL's lifetime and the polling
    /// deadline are measured on it.
    public func onVirtualClock(_ clock: VirtualClock) -> UploadOptions {
        sleeping { try clock.sleep(for: $0) }.clock { clock.now }
    }
}
