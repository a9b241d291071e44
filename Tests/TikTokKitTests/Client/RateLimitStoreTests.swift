import Foundation
import Testing
@_spi(Testing) import TikTokKit
import TikTokKitTesting

/// Limiters in several processes share TikTok's per-token limits through one store; here two
/// limiters (two "processes") share an `InMemoryRateLimitStore`, on a clock the test moves.
@Suite("Shared rate-limit store")
struct RateLimitStoreTests {
    private let bucket = RateLimiter.Bucket.directVideoInit
    private let clock = LockedBox(Date(timeIntervalSince1970: 1_800_000_000))

    private func limiter(_ store: InMemoryRateLimitStore, policy: RateLimiter.Policy = .fail, count: Int = 2,
                         sleeps: LockedBox<[Duration]>? = nil) -> RateLimiter {
        let clock = self.clock
        return RateLimiter(policy: policy, limits: [bucket.name: RateLimiter.Limit(count: count, per: .seconds(60))],
                           store: store,
                           clocks: .init(sleep: { duration in
                               sleeps?.mutate { $0.append(duration) }
                               clock.mutate { $0 = $0.addingTimeInterval(duration.inSecondsForTests) }
                           }, date: { clock.value }))
    }

    private func advance(_ seconds: Double) { clock.mutate { $0 = $0.addingTimeInterval(seconds) } }

    private func refused(_ limiter: RateLimiter, token: String = "user-a") async -> Bool {
        do {
            _ = try await limiter.acquire(bucket, tokenKey: token)
            return false
        } catch {
            return (error as? TikTokError)?.kind == .api(.rateLimitExceeded)
        }
    }

    @Test func twoLimitersSharingAStoreShareOneBudgetPerToken() async throws {
        let store = InMemoryRateLimitStore()
        let first = limiter(store), second = limiter(store)
        _ = try await first.acquire(bucket, tokenKey: "user-a")
        _ = try await second.acquire(bucket, tokenKey: "user-a")
        let firstRefused = await refused(first), secondRefused = await refused(second)
        #expect(firstRefused && secondRefused, "two calls in all, whichever process makes them")
        _ = try await second.acquire(bucket, tokenKey: "user-b")   // another user's budget
        #expect(await store.count("user-a:\(bucket.name)", at: clock.value) == 2)
    }

    @Test func aCallCountsForAWindowAfterItsAnswerInEveryProcess() async throws {
        let store = InMemoryRateLimitStore()
        let first = limiter(store, count: 1), second = limiter(store, count: 1)
        let ticket = try await first.acquire(bucket, tokenKey: "user-a")
        advance(30)
        await first.finished(ticket)       // answered after 30 s: counts until 30 + 61.2 s
        advance(61)
        #expect(await refused(second))
        advance(0.3)
        _ = try await second.acquire(bucket, tokenKey: "user-a")
    }

    @Test func aCallNeverAnsweredHoldsItsSlotForTheUnansweredHold() async throws {
        let store = InMemoryRateLimitStore()
        let first = limiter(store, count: 1), second = limiter(store, count: 1)
        _ = try await first.acquire(bucket, tokenKey: "user-a")   // the process dies before the answer
        advance(600)
        #expect(await refused(second))
        advance(62)
        _ = try await second.acquire(bucket, tokenKey: "user-a")
    }

    @Test func a429InOneProcessBlocksTheBucketInAll() async throws {
        let store = InMemoryRateLimitStore()
        let first = limiter(store, count: 5), second = limiter(store, count: 5)
        await first.didReceiveRateLimit(bucket, tokenKey: "user-a", retryAfter: .seconds(10))
        #expect(await refused(second))
        advance(10.1)
        _ = try await second.acquire(bucket, tokenKey: "user-a")
    }

    @Test func theWaitPolicySleepsUntilTheStoreHasRoomAndNoLonger() async throws {
        let store = InMemoryRateLimitStore()
        let sleeps = LockedBox<[Duration]>([])
        let first = limiter(store, count: 1), waiting = limiter(store, policy: .wait, count: 1, sleeps: sleeps)
        await first.finished(try await first.acquire(bucket, tokenKey: "user-a"))
        _ = try await waiting.acquire(bucket, tokenKey: "user-a")
        let slept = sleeps.value.reduce(Duration.zero, +)
        #expect(slept >= .seconds(61) && slept < .seconds(62), "a window plus the margin: \(sleeps.value)")
        #expect(sleeps.value.allSatisfy { $0 <= .seconds(3) }, "it asks the store again at least every 1/20 window")
        // A wait past the caller's deadline is refused at once instead.
        await #expect(throws: TikTokError.self) { _ = try await waiting.acquire(bucket, tokenKey: "user-a", maxWait: .seconds(5)) }
    }

    @Test func aCallInFlightElsewhereIsWaitedForInStepsNotRefusedAtOnce() async throws {
        // The store can name only its worst case for a call in flight (its unanswered hold, about
        // 11 minutes); a caller with a 10 s deadline must still wait in steps, and be refused
        // only when the next step would pass it.
        let store = InMemoryRateLimitStore()
        let sleeps = LockedBox<[Duration]>([])
        let first = limiter(store, count: 1), waiting = limiter(store, policy: .wait, count: 1, sleeps: sleeps)
        _ = try await first.acquire(bucket, tokenKey: "user-a")
        await #expect(throws: TikTokError.self) { _ = try await waiting.acquire(bucket, tokenKey: "user-a", maxWait: .seconds(10)) }
        #expect(sleeps.value == [.seconds(3), .seconds(3), .seconds(3)], "three 3 s steps fit in 10 s, a fourth would not")
    }

    @Test func twoClientsWithTheirOwnLimitersShareAUsersBudgetThroughTheStore() async throws {
        let store = InMemoryRateLimitStore()
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo), repeatingLast: true)
        func client() -> TikTokClient {
            TikTokClient(accessToken: Fixture.accessToken, transport: fake,
                         configuration: .init(baseURL: URL(string: "https://open.tiktokapis.com")!,
                                              rateLimiter: RateLimiter(policy: .fail, limits: ["creator_info": RateLimiter.Limit(count: 1, per: .seconds(60))],
                                                                       store: store)))
        }
        _ = try await client().creatorInfo()
        await #expect { _ = try await client().creatorInfo() } throws: { ($0 as? TikTokError)?.kind == .api(.rateLimitExceeded) }
        #expect(fake.requests.count == 1, "the second process never called TikTok")
    }
}

extension Duration {
    /// Seconds as a Double, for the test clock.
    var inSecondsForTests: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
