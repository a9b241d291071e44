import Foundation
import Testing
@_spi(Testing) import TikTokKit
import TikTokKitTesting

/// A clock that only moves when someone sleeps on it.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = ContinuousClock.now
    private var slept: [Duration] = []

    var now: ContinuousClock.Instant { lock.withLock { current } }
    var sleeps: [Duration] { lock.withLock { slept } }

    /// Moves time on without anyone sleeping (a request in flight, say).
    func advance(by duration: Duration) { lock.withLock { current = current + duration } }

    func sleep(_ duration: Duration) async throws {
        try Task.checkCancellation()
        lock.withLock {
            slept.append(duration)
            current = current + duration
        }
    }
}

extension RateLimiter {
    /// A call let through and answered at once, as the client does for a quick request.
    func take(_ bucket: Bucket, tokenKey: String) async throws {
        await finished(try await acquire(bucket, tokenKey: tokenKey))
    }
}

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test func waitsOnceTheWindowIsFull() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        let start = clock.now
        for _ in 0..<6 { try await limiter.take(.directVideoInit, tokenKey: "t") }
        #expect(clock.sleeps.isEmpty)
        try await limiter.take(.directVideoInit, tokenKey: "t")
        #expect(clock.now - start >= .seconds(60))
        #expect(clock.sleeps.count == 1)
    }

    /// A call in flight holds its slot until it is answered, however long that takes (not a
    /// window from when it was let go): the next call waits for that answer, then a window.
    @Test func aCallInFlightHoldsItsSlotUntilItsAnswer() async throws {
        let clock = ManualClock()
        let start = clock.now
        // The slow call is answered once 90 s have passed, while the 7th call waits.
        let pending = LockedBox<(RateLimiter, RateLimiter.Ticket)?>(nil)
        // One call a minute, to look at one slot.
        let limiter = RateLimiter(policy: .wait, limits: ["inbox_video_init": .init(count: 1, per: .seconds(60))],
                                  clocks: .init(now: { clock.now }, sleep: { duration in
            try await clock.sleep(duration)
            guard clock.now - start >= .seconds(90), let (limiter, ticket) = pending.value else { return }
            pending.mutate { $0 = nil }
            await limiter.finished(ticket)
        }))
        let slow = try await limiter.acquire(.inboxVideoInit, tokenKey: "t")
        pending.mutate { $0 = (limiter, slow) }
        try await limiter.acquire(.inboxVideoInit, tokenKey: "t")
        #expect(clock.now - start >= .milliseconds(151_200), "a window after the slow call's answer, at 90 s")
        #expect(clock.now - start <= .milliseconds(154_200), "looked again within 1/20 window")
    }

    /// TikTok counts a call when it arrives: the slot is held for a window (plus 1/50) from the
    /// call's answer, not from when the limiter let it go — so the 7th init cannot reach TikTok
    /// inside the first one's window however long the first took to arrive.
    @Test func aSlotIsHeldForAWindowFromTheAnswerWithAMargin() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        let start = clock.now
        let first = try await limiter.acquire(.inboxVideoInit, tokenKey: "t")
        clock.advance(by: .seconds(5))   // the first init took 5 s to reach TikTok and be answered
        await limiter.finished(first)
        for _ in 0..<5 { try await limiter.take(.inboxVideoInit, tokenKey: "t") }
        try await limiter.take(.inboxVideoInit, tokenKey: "t")
        #expect(clock.now - start == .seconds(5) + .seconds(60) + .milliseconds(1_200))
    }

    @Test func limitsCanBeOverriddenPerBucket() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, limits: ["inbox_video_init": .init(count: 2, per: .seconds(1))],
                                  clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        #expect(await limiter.limit(for: .inboxVideoInit) == .init(count: 2, per: .seconds(1)))
        #expect(await limiter.limit(for: .directVideoInit) == RateLimiter.Bucket.directVideoInit.limit)
        let start = clock.now
        for _ in 0..<3 { try await limiter.take(.inboxVideoInit, tokenKey: "t") }
        #expect(clock.now - start == .milliseconds(1_020))
    }

    @Test func bucketsAreSeparatePerTokenAndEndpoint() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        for _ in 0..<6 {
            try await limiter.take(.directVideoInit, tokenKey: "a")
            try await limiter.take(.directVideoInit, tokenKey: "b")
            try await limiter.take(.inboxVideoInit, tokenKey: "a")
        }
        for _ in 0..<30 { try await limiter.take(.statusFetch, tokenKey: "a") }
        #expect(clock.sleeps.isEmpty)
        try await limiter.take(.statusFetch, tokenKey: "a")
        #expect(clock.sleeps.count == 1)
    }

    @Test func statusBudgetHoldsOverManyCalls() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        var stamps: [ContinuousClock.Instant] = []
        for _ in 0..<100 {
            try await limiter.take(.statusFetch, tokenKey: "t")
            stamps.append(clock.now)
        }
        // No 60-second window ever holds more than 30 calls.
        for (index, stamp) in stamps.enumerated() {
            #expect(stamps[index...].prefix { $0 < stamp + .seconds(60) }.count <= 30)
        }
    }

    @Test func failPolicyThrowsWithoutWaiting() async throws {
        let limiter = RateLimiter(policy: .fail)
        for _ in 0..<20 { try await limiter.take(.creatorInfo, tokenKey: "t") }
        await #expect {
            try await limiter.take(.creatorInfo, tokenKey: "t")
        } throws: { ($0 as? TikTokError)?.kind == .api(.rateLimitExceeded) }
    }

    @Test func a429BlocksTheBucketForRetryAfter() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        await limiter.didReceiveRateLimit(.statusFetch, tokenKey: "t", retryAfter: .seconds(7))
        try await limiter.take(.statusFetch, tokenKey: "t")
        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test(arguments: ["86000", "1000000000"])
    func aHugeRetryAfterParksTheBucketForOneWindowAtMost(header: String) async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        await limiter.didReceiveRateLimit(.statusFetch, tokenKey: "t", retryAfter: .seconds(Double(header) ?? 0))
        try await limiter.take(.statusFetch, tokenKey: "t")
        #expect(clock.sleeps.reduce(.zero, +) <= .seconds(60))
    }

    @Test func anInitAnswered429IsSentAgainAfterItsRetryAfter() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/",
                     .json(status: 429, headers: ["Retry-After": "3"], Fixture.error("rate_limit_exceeded")),
                     .json(Fixture.inboxInit))
        let client = TikTokClient(accessToken: Fixture.accessToken, transport: fake,
                                  configuration: .init(rateLimiter: limiter))
        let start = try await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        #expect(!start.publishID.isEmpty)
        #expect(fake.requests.count == 2, "a 429 created nothing, so the init is sent once more")
        #expect(clock.sleeps.contains(.seconds(3)), "after its Retry-After")
    }

    @Test func a429ThatPersistsFailsAfterTwoRetries() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(policy: .wait, clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        let fake = FakeTransport()
        let refusal = FakeTransport.Reply.json(status: 429, headers: ["Retry-After": "1"], Fixture.error("rate_limit_exceeded"))
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", refusal, refusal, refusal, refusal)
        let client = TikTokClient(accessToken: Fixture.accessToken, transport: fake, configuration: .init(rateLimiter: limiter))
        await #expect { _ = try await client.publishStatus(publishID: "p") } throws: {
            ($0 as? TikTokError)?.kind == .api(.rateLimitExceeded)
        }
        #expect(fake.requests.count == 3)
    }

    @Test func clientBacksOffAfterA429WithRetryAfter() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(status: 429, headers: ["Retry-After": "3"], Fixture.error("rate_limit_exceeded")),
                     .json(Fixture.statusComplete))
        let client = Fixture.client(fake, policy: .fail)
        await #expect {
            _ = try await client.publishStatus(publishID: "p")
        } throws: { ($0 as? TikTokError)?.kind == .api(.rateLimitExceeded) }
        // The next call is held back client-side (policy .fail throws instead of waiting) …
        await #expect(throws: TikTokError.self) { _ = try await client.publishStatus(publishID: "p") }
        #expect(fake.requests.count == 1)
    }

    @Test func cancellationStopsAWait() async throws {
        let limiter = RateLimiter(policy: .wait)
        for _ in 0..<6 { try await limiter.take(.photoInit, tokenKey: "t") }
        let task = Task { try await limiter.take(.photoInit, tokenKey: "t") }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
