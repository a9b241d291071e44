import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("VirtualClock")
struct VirtualClockTests {
    /// A fake whose every status is PROCESSING_UPLOAD, and a client whose limiter runs on the clock.
    private static func stuckPublish() -> (FakeTransport, VirtualClock, TikTokClient) {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(#"{"data":{"status":"PROCESSING_UPLOAD"},"error":{"code":"ok","message":"","log_id":"x"}}"#),
                     repeatingLast: true)
        let clock = VirtualClock()
        return (fake, clock, TikTokClient(accessToken: "t", transport: fake, configuration: .init(rateLimiter: RateLimiter(clock: clock))))
    }

    /// A status that never turns final: the default 15-minute deadline arrives on the virtual
    /// clock, after the documented schedule of waits, in no real time to speak of.
    @Test(.timeLimit(.minutes(1)))
    func thePollingDeadlineArrivesOnTheVirtualClock() async throws {
        let (fake, clock, client) = Self.stuckPublish()

        let error = try await #require(throws: TikTokError.self) {
            try await client.waitForPublish(publishID: "p~1", options: UploadOptions().onVirtualClock(clock))
        }

        #expect(error.kind == .upload(.statusDeadlineExceeded))
        #expect(error.publishID == "p~1")
        // 2 s growing by 1.5 up to 10 s, then what is left of the 900 s: one poll after each wait.
        #expect(Array(clock.waits.prefix(6)) == [.seconds(2), .seconds(3), .milliseconds(4500), .milliseconds(6750), .seconds(10), .seconds(10)])
        #expect(clock.elapsed == .seconds(900))
        #expect(clock.now == clock.start.addingTimeInterval(900))
        // 95 polls in 15 virtual minutes, within TikTok's 30 a minute: the limiter never had to wait.
        #expect(fake.requests(method: .post, path: "/v2/post/publish/status/fetch/").count == clock.waits.count + 1)
    }

    /// The limiter counts on the virtual clock: the 31st status call of a minute waits a
    /// virtual minute (its window, plus the 1/50 margin), recorded among the waits.
    @Test(.timeLimit(.minutes(1)))
    func aLimiterOnTheClockWaitsVirtualMinutes() async throws {
        let (_, clock, client) = Self.stuckPublish()

        for _ in 0..<31 { _ = try await client.publishStatus(publishID: "p~1") }

        #expect(clock.waits.count >= 1)
        #expect(clock.elapsed >= .seconds(60) && clock.elapsed <= .milliseconds(61_200))
    }

    @Test func aWaitInACancelledTaskThrowsAndLeavesTheClockAlone() async throws {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 0))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try clock.sleep(for: .seconds(5))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.waits.isEmpty)
        #expect(clock.now == Date(timeIntervalSince1970: 0))
    }

    @Test func advancingMovesTheTimeWithoutRecordingAWait() {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 100))
        clock.advance(by: .milliseconds(1500))
        #expect(clock.now == Date(timeIntervalSince1970: 101.5))
        #expect(clock.elapsed == .milliseconds(1500))
        #expect(clock.waits.isEmpty)
    }
}
