import Foundation
import Testing
import TikTokKit
import TikTokKitTesting
import TikTokSandbox

/// The examples of Documentation/Testing.md, as written there (plus the file they assume), so the
/// page cannot drift from what TikTokKit does.
@Suite("Documented examples")
struct DocumentedExampleTests {
    @Test func aDraftSurvivesA503() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("doc-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let video = try await SampleVideo.write(to: scratch.appendingPathComponent("clip.mp4"), size: 1_000_000)

        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json("""
            {"data":{"publish_id":"v_inbox_file~v2.1",
                     "upload_url":"https://open-upload.tiktokapis.com/upload/?upload_id=1&upload_token=u"},
             "error":{"code":"ok","message":"","log_id":"a"}}
            """))
        fake.enqueue(.put, "/upload/", .status(503), .status(201))   // refused once, then all bytes in
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", .json("""
            {"data":{"status":"SEND_TO_USER_INBOX"},"error":{"code":"ok","message":"","log_id":"b"}}
            """))
        let clock = VirtualClock()   // see below: the retry's backoff takes no real time
        let client = TikTokClient(accessToken: "t", transport: fake,
                                  configuration: .init(rateLimiter: RateLimiter(clock: clock)))

        let result = try await client.publishDraft(file: video, options: UploadOptions().onVirtualClock(clock))

        #expect(result.status == .sendToUserInbox)
        let puts = fake.requests(method: .put, path: "/upload/")
        #expect(puts.map { $0.headers["Content-Range"] } == ["bytes 0-999999/1000000", "bytes 0-999999/1000000"])
        #expect(puts.allSatisfy { $0.headers["Authorization"] == nil })   // the upload URL is the credential
        #expect(clock.waits.count == 1)
    }

    @Test func aStatusThatNeverTurnsFinalReachesTheDeadlineOnTheVirtualClock() async throws {
        let fake = FakeTransport()
        let clock = VirtualClock()
        // The client's rate limiter counts on the same clock: TikTok allows 30 status calls a minute.
        let client = TikTokClient(accessToken: "t", transport: fake,
                                  configuration: .init(rateLimiter: RateLimiter(clock: clock)))
        let processing = #"{"data":{"status":"PROCESSING_UPLOAD"},"error":{"code":"ok","message":"","log_id":"x"}}"#
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", .json(processing), repeatingLast: true)
        await #expect(throws: TikTokError.self) {   // status_deadline_exceeded, with the publish ID
            try await client.waitForPublish(publishID: "v_inbox_file~v2.1", options: UploadOptions().onVirtualClock(clock))
        }
        #expect(clock.elapsed == .seconds(900))    // the default deadline, in a few milliseconds
        #expect(clock.waits.prefix(3) == [.seconds(2), .seconds(3), .milliseconds(4500)])
    }
}
