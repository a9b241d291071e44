import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

/// One hook sees every request TikTokKit makes, as structured events without secrets.
@Suite("Observability")
struct ObservabilityTests {
    private func observed(_ host: FakeUploadHost, limiter: RateLimiter? = nil) -> (TikTokClient, LockedBox<[TikTokEvent]>, LockedBox<[String]>) {
        let events = LockedBox<[TikTokEvent]>([])
        let lines = LockedBox<[String]>([])
        let client = TikTokClient(accessToken: Fixture.accessToken, openID: Fixture.openID, transport: host.fake,
                                  configuration: .init(baseURL: URL(string: "https://open.tiktokapis.com")!, rateLimitPolicy: .disabled,
                                                       rateLimiter: limiter,
                                                       logger: { line in lines.mutate { $0.append(line) } },
                                                       observer: { event in events.mutate { $0.append(event) } }))
        return (client, events, lines)
    }

    @Test func everyCallPutRetryResyncAndPollIsAnEvent() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("PROCESSING_UPLOAD", "SEND_TO_USER_INBOX")
        host.script(.failure(TransportError(.connectionReset, "reset mid-body", method: .put, url: URL(string: FakeUploadHost.uploadURL))),
                    .status(503), .status(416, ["Content-Range": "bytes */1000000"]))
        let (client, box, lines) = observed(host)
        _ = try await client.publishDraft(file: file.url, options: host.options())
        let events = box.value

        let initCall = try #require(events.first { $0.kind == .apiCall && $0.endpoint == "/v2/post/publish/inbox/video/init/" })
        #expect(initCall.status == 200 && initCall.method == "POST" && initCall.duration != nil && initCall.bucket == "inbox_video_init")
        #expect(initCall.url == "https://open.tiktokapis.com/v2/post/publish/inbox/video/init/")

        let retries = events.filter { $0.kind == .retry }
        #expect(retries.map(\.reason) == ["connectionReset", "HTTP 503"])
        #expect(retries.map(\.attempt) == [2, 3])
        #expect(retries.allSatisfy { $0.delay != nil && $0.publishID == "v_inbox_file~v2.1" && $0.contentRange == "bytes 0-999999/1000000" })
        #expect(retries.last?.status == 503)

        let resync = try #require(events.first { $0.kind == .resync })
        #expect(resync.bytes == 0 && resync.status == 416)

        let puts = events.filter { $0.kind == .chunkUpload }
        #expect(puts.map(\.status) == [416, 201])
        #expect(puts.first?.attempt == 3, "two retries, then the 416")
        #expect(puts.allSatisfy { $0.bytes == 1_000_000 && $0.method == "PUT" })

        let polls = events.filter { $0.kind == .statusPoll }
        #expect(polls.map(\.publishStatus) == [.processingUpload, .sendToUserInbox])
        #expect(events.filter { $0.kind == .apiCall && $0.endpoint == "/v2/post/publish/status/fetch/" }.count == 2)

        // The logger gets each event's message, in the same order.
        #expect(lines.value == events.map(\.message))
        // No secret anywhere: not the access token, not the upload token in the upload URL's query.
        let everything = events.flatMap { [$0.description] + $0.metadata.values }.joined(separator: "\n")
        #expect(!everything.contains(Fixture.accessToken) && !everything.contains(Fixture.uploadToken))
        #expect(puts.first?.url == "https://open-upload.tiktokapis.com/video/?<redacted>")
    }

    @Test func aRateLimitWaitAndATransportFailureAreEvents() async throws {
        let file = try await SampleFile(size: 1000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("PROCESSING_UPLOAD", "SEND_TO_USER_INBOX")
        // One status call per 50 ms: the second poll (sent at once: the poll sleep is a no-op) waits.
        let limiter = RateLimiter(limits: ["status_fetch": RateLimiter.Limit(count: 1, per: .milliseconds(50))])
        let (client, box, _) = observed(host, limiter: limiter)
        _ = try await client.publishDraft(file: file.url, options: host.options())
        let wait = try #require(box.value.first { $0.kind == .rateLimitWait })
        #expect(wait.bucket == "status_fetch" && (wait.delay ?? .zero) > .zero && wait.endpoint == "/v2/post/publish/status/fetch/")

        host.fake.enqueue(.post, "/v2/post/publish/creator_info/query/",
                          .error(TransportError(.connectionRefused, "refused", method: .post, url: URL(string: "https://open.tiktokapis.com/"))))
        await #expect(throws: TikTokError.self) { _ = try await client.creatorInfo() }
        let failed = try #require(box.value.last { $0.kind == .apiCall })
        #expect(failed.status == nil && failed.reason?.contains("connectionRefused") == true)
    }

    @Test func eventKindsAreOpenAndMetadataIsFlat() {
        let custom = TikTokEvent.Kind(rawValue: "my_kind")
        #expect(custom != .apiCall && custom.description == "my_kind")
        let event = TikTokEvent(.chunkUpload, message: "m", method: "PUT", url: "https://h/p?upload_token=secret#x", status: 206,
                                duration: .milliseconds(1500), bytes: 5)
        #expect(event.url == "https://h/p?<redacted>")
        #expect(event.metadata == ["kind": "chunk_upload", "method": "PUT", "url": "https://h/p?<redacted>", "status": "206",
                                   "duration_ms": "1500.000", "bytes": "5"])
    }
}
