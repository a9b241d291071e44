import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// Connections that die after the request was acted on, and upload URLs that expire mid-upload:
/// the emulator's two faults for them, met through the real client and a real transport.
@Suite("Dropped answers and expiring upload URLs")
final class DroppedAnswerAndExpiryTests: Sendable {
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory("faults") }
    deinit { scratch.remove() }

    /// 70 MB: four chunks of 16,000,000 bytes, the last one 22,000,000.
    private func sample() async throws -> URL {
        try await SampleVideo.write(to: scratch.path("v-\(UUID().uuidString).mp4"), size: 70_000_000, durationSeconds: 10)
    }

    private func emulator(_ configure: (inout TikTokEmulator.Configuration) -> Void = { _ in }) throws -> TikTokEmulator {
        var configuration = TikTokEmulator.Configuration(accessToken: "t", storeDirectory: scratch.url, hashUploads: false)
        configure(&configuration)
        return try TikTokEmulator(configuration: configuration)
    }

    private func client(_ emulator: TikTokEmulator) -> TikTokClient {
        TikTokClient(accessToken: "t", transport: httpClientTransport(), configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
    }

    private func options(attempts: Int = 4, restart: Bool = false) -> UploadOptions {
        UploadOptions(retryPolicy: UploadRetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                      restartExpiredUploads: restart,
                      statusPolling: StatusPolling(initialInterval: .milliseconds(10), maxInterval: .milliseconds(50)))
    }

    @Test func aChunkWhoseAnswerWasDroppedIsResentOnceAndTheUploadResynchronises() async throws {
        let file = try await sample()
        let tiktok = try emulator()
        defer { tiktok.shutdown() }
        tiktok.inject(.dropAnswer, onChunkRequest: 2)
        let result = try await client(tiktok).publishDraft(file: file, options: options())
        #expect(result.status == .sendToUserInbox)
        #expect(tiktok.injectedFaults["dropAnswer"] == 1)
        let upload = try #require(tiktok.allUploads.first)
        // The second chunk was stored, its answer lost; the SDK's one retry met 416 and went on.
        #expect(upload.chunks.map(\.status) == [206, 206, 416, 206, 201])
        #expect(tiktok.initRequestCount == 1)
        let stored = try #require(tiktok.storedFile(for: result.publishID))
        #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: file.path))
    }

    @Test func withoutRetriesADroppedAnswerFailsAndTheTransportDoesNotReplayIt() async throws {
        let file = try await sample()
        let tiktok = try emulator()
        defer { tiktok.shutdown() }
        tiktok.inject(.dropAnswer, onChunkRequest: 1)
        await #expect {
            _ = try await self.client(tiktok).publishDraft(file: file, options: self.options(attempts: 1))
        } throws: { ($0 as? TikTokError)?.kind == .upload(.retriesExhausted) }
        #expect(tiktok.chunkRequestCount == 1, "UploadRetryPolicy(maxAttempts: 1) means one PUT")
    }

    @Test func anInitWhoseAnswerWasDroppedIsReportedUnknownAndNotSentAgain() async throws {
        let file = try await sample()
        let tiktok = try emulator()
        defer { tiktok.shutdown() }
        tiktok.inject([.dropAnswer], onPath: "/v2/post/publish/inbox/video/init/")
        let started = ContinuousClock.now
        await #expect {
            _ = try await self.client(tiktok).publishDraft(file: file, options: self.options())
        } throws: { ($0 as? TikTokError)?.kind == .upload(.initOutcomeUnknown) }
        #expect(ContinuousClock.now - started < .seconds(10), "reported at once, not after a stall timeout")
        #expect(tiktok.initRequestCount == 1, "the emulator made one publish and saw one init")
    }

    @Test func anUploadURLThatExpiresMidUploadIsRestartedOnceWhenAllowed() async throws {
        let file = try await sample()
        let tiktok = try emulator()
        defer { tiktok.shutdown() }
        tiktok.inject(.expireUploadURL, onChunkRequest: 3)
        let result = try await client(tiktok).publishDraft(file: file, options: options(restart: true))
        #expect(result.status == .sendToUserInbox)
        #expect(tiktok.initRequestCount == 2, "exactly one fresh init")
        let uploads = tiktok.allUploads
        #expect(uploads.first?.receivedBytes == 32_000_000, "the first upload stopped where its URL expired")
        #expect(uploads.last?.publishID == result.publishID)
        let stored = try #require(tiktok.storedFile(for: result.publishID))
        #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: file.path))

        // Without the option: a typed error with the first publish's ID.
        let second = try emulator()
        defer { second.shutdown() }
        second.inject(.expireUploadURL, onChunkRequest: 3)
        do {
            _ = try await client(second).publishDraft(file: file, options: options())
            Issue.record("expected upload_url_expired")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.uploadURLExpired))
            #expect(error.publishID == second.allUploads.first?.publishID)
        }
        #expect(second.initRequestCount == 1)
    }
}
