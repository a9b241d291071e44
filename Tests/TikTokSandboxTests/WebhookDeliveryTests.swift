import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// An app's webhook receiver, built on the SDK's `WebhookVerifier`, run against the emulator's
/// deliveries: every event arrives signed with the client secret, a non-200 is retried with
/// backoff, and a duplicate is answered 200 without being processed twice.
@Suite("Emulator webhooks")
final class WebhookDeliveryTests: Sendable {
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory("webhooks") }
    deinit { scratch.remove() }

    /// The app's endpoint: answers 503 to the first `outages` requests (the app is down), then
    /// verifies each delivery and processes only new events.
    final class Receiver: @unchecked Sendable {
        private let lock = NSLock()
        private let verifier = WebhookVerifier(clientSecret: "sandbox-client-secret", tolerance: WebhookVerifier.tikTokRetryWindow)
        private var outages: Int
        private(set) var processed: [WebhookEvent] = []
        private(set) var duplicates = 0
        private(set) var rejected = 0
        /// Every request as it arrived: its signature header and raw body.
        private(set) var requests: [(signature: String?, body: Data)] = []
        private var server: HTTPServer?

        init(outages: Int) throws {
            self.outages = outages
            server = try HTTPServer { [weak self] request in
                let body = try request.readAll()
                return HTTPServerResponse(status: self?.handle(signature: request.headers["TikTok-Signature"], body: body) ?? 503)
            }
        }

        var url: URL { (server?.baseURL ?? URL(fileURLWithPath: "/")).appendingPathComponent("tiktok/webhook") }
        func shutdown() { server?.shutdown() }

        func handle(signature: String?, body: Data) -> Int {
            lock.withLock {
                requests.append((signature, body))
                if outages > 0 {
                    outages -= 1
                    return 503
                }
                do {
                    switch try verifier.receive(signatureHeader: signature, body: body) {
                    case .new(let event): processed.append(event)
                    case .duplicate: duplicates += 1
                    }
                    return 200
                } catch {
                    rejected += 1
                    return 400
                }
            }
        }

        var snapshot: (processed: [WebhookEvent], duplicates: Int, rejected: Int, requests: [(signature: String?, body: Data)]) {
            lock.withLock { (processed, duplicates, rejected, requests) }
        }
    }

    private func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func anAppsReceiverGetsEveryEventSignedRetriedAndDeduplicated() async throws {
        let receiver = try Receiver(outages: 2)
        defer { receiver.shutdown() }
        var configuration = TikTokEmulator.Configuration(accessToken: "t", enforceRateLimits: false)
        configuration.webhookURL = receiver.url
        configuration.webhookRetryBaseDelay = .milliseconds(20)
        let emulator = try TikTokEmulator(configuration: configuration)
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
        let quick = UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(10), maxInterval: .milliseconds(20)))

        let video = try await SampleVideo.write(to: scratch.path("v.mp4"), size: 300_000, durationSeconds: 5)
        let draft = try await client.publishDraft(file: video, options: quick)
        #expect(try await eventually { receiver.snapshot.processed.count == 1 }, "inbox_delivered after two outages")
        let posted = try await client.publishVideo(file: video, post: VideoPostInfo(privacyLevel: .publicToEveryone), options: quick)
        // An 11-minute draft: TikTok takes the bytes, then fails the duration check.
        let long = try await SampleVideo.write(to: scratch.path("long.mp4"), size: 300_000, durationSeconds: 660)
        var failedID: String?
        do {
            _ = try await client.publishDraft(file: long, options: quick)
        } catch let error as TikTokError {
            failedID = error.publishID
        }
        #expect(failedID != nil)
        #expect(emulator.finishInboxPost(publishID: draft.publishID))
        #expect(emulator.removeAuthorization(forToken: "t", reason: 1))
        #expect(try await eventually { receiver.snapshot.processed.count == 6 && emulator.webhookDeliveries.allSatisfy(\.delivered) },
                "\(emulator.webhookDeliveries)")

        let (events, _, rejected, requests) = receiver.snapshot
        #expect(rejected == 0, "every delivery verified with the client secret")
        func publish(_ name: String) -> [WebhookEvent.PublishEventContent] {
            events.compactMap { event in
                switch event.kind {
                case .inboxDelivered(let content) where name == "inbox": content
                case .publishComplete(let content) where name == "complete": content
                case .publiclyAvailable(let content) where name == "public": content
                case .publishFailed(let content) where name == "failed": content
                default: nil
                }
            }
        }
        #expect(publish("inbox").map(\.publishID) == [draft.publishID])
        #expect(publish("inbox").first?.publishType == "INBOX_SHARE")
        #expect(Set(publish("complete").map(\.publishID)) == [posted.publishID, draft.publishID])
        #expect(publish("complete").first { $0.publishID == posted.publishID }?.publishType == "DIRECT_PUBLISH")
        #expect(publish("public").first?.postID != nil && publish("public").first?.publishID == posted.publishID)
        #expect(publish("failed").first?.publishID == failedID && publish("failed").first?.reason == .durationCheckFailed)
        #expect(events.contains { $0.kind == .authorizationRemoved(reason: .userDisconnected) })
        #expect(events.allSatisfy { $0.clientKey == "sandbox-client-key" && !$0.userOpenID.isEmpty })

        // The first event was retried with backoff, carrying its first signature each time.
        let first = try #require(emulator.webhookDeliveries.first)
        #expect(first.attempts == [503, 503, 200])
        #expect(Set(requests.prefix(3).map(\.signature)).count == 1)
        // TikTok delivering it once more: answered 200, not processed again.
        #expect(receiver.handle(signature: requests[0].signature, body: requests[0].body) == 200)
        #expect(receiver.snapshot.duplicates == 1 && receiver.snapshot.processed.count == 6)
    }

    @Test func aReceiverThatNeverAnswers200IsRetriedWithGrowingWaitsUntilTheWindowEnds() async throws {
        let receiver = try Receiver(outages: .max)
        defer { receiver.shutdown() }
        var configuration = TikTokEmulator.Configuration(accessToken: "t")
        configuration.webhookURL = receiver.url
        configuration.webhookRetryBaseDelay = .milliseconds(10)
        configuration.webhookRetryWindow = .milliseconds(150)   // 10 + 20 + 40 + 80 = 150: five attempts
        configuration.webhookResignsRetries = true
        let emulator = try TikTokEmulator(configuration: configuration)
        #expect(emulator.removeAuthorization(forToken: "t"))
        #expect(try await eventually { emulator.webhookDeliveries.first?.attempts.count == 5 })
        try await Task.sleep(for: .milliseconds(400))
        #expect(emulator.webhookDeliveries.first?.attempts == [503, 503, 503, 503, 503], "no attempt after the window")
        #expect(emulator.webhookDeliveries.first?.delivered == false)
    }
}
