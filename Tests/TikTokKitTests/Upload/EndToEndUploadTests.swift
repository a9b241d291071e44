import Foundation
import Testing
@_spi(Testing) import TikTokKit
import TikTokKitTesting
import TikTokSandbox

/// Uploads through the real default transport (`CurlTransport`, or `URLSessionTransport` in a
/// build without libcurl) to `TikTokEmulator` on 127.0.0.1.
@Suite("End to end through the default transport", .serialized)
struct EndToEndUploadTests {
    private func client(_ tiktok: TikTokEmulator) -> TikTokClient {
        #if canImport(CTikTokKitCurl)
        let transport: any Transport = CurlTransport()
        #else
        let transport: any Transport = URLSessionTransport()
        #endif
        return TikTokClient(accessToken: "e2e-token", transport: transport, configuration: .init(baseURL: tiktok.baseURL))
    }

    private func expectSameBytes(_ file: SampleFile, _ tiktok: TikTokEmulator, _ publishID: String) throws {
        let stored = try #require(tiktok.storedFile(for: publishID))
        #expect(FileManager.default.contentsEqual(atPath: file.url.path, andPath: stored.path))
    }

    private func quickOptions() -> UploadOptions {
        UploadOptions(retryPolicy: UploadRetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)),
                      statusPolling: StatusPolling(initialInterval: .milliseconds(10)))
    }

    @Test func aFileOver200MBArrivesByteForByte() async throws {
        let file = try await SampleFile(size: 210_000_017, name: "big.mp4")
        defer { file.remove() }
        let tiktok = try TikTokEmulator(configuration: .init(accessToken: "e2e-token", storeDirectory: file.directory, hashUploads: false))
        let result = try await client(tiktok).publishDraft(file: file.url, options: quickOptions())
        #expect(result.status == .sendToUserInbox)
        #expect(tiktok.initRequestCount == 1)
        #expect(tiktok.chunkRequestCount == 13)   // floor(210,000,017 / 16,000,000)
        #expect(tiktok.allUploads.first?.violations == [])
        try expectSameBytes(file, tiktok, result.publishID)
    }

    @Test func directPostChecksCreatorInfoAndPublishes() async throws {
        let file = try await SampleFile(size: 3_000_000, durationSeconds: 45)
        defer { file.remove() }
        let tiktok = try TikTokEmulator(accessToken: "e2e-token", storeDirectory: file.directory)
        let result = try await client(tiktok).publishVideo(file: file.url, post: VideoPostInfo(title: "e2e", privacyLevel: .selfOnly),
                                                           options: quickOptions())
        #expect(result.status == .publishComplete)
        #expect(result.publishID.hasPrefix("v_pub_file~"))
        try expectSameBytes(file, tiktok, result.publishID)
        let upload = try #require(tiktok.allUploads.first)
        #expect(upload.sha256 == SHA256.hash(file.data).hexString, "the emulator's hash of what it received")
        #expect(upload.title == "e2e")
        #expect(upload.chunks.map(\.contentType) == ["video/mp4"])
    }

    @Test func aWrongTokenIsRejectedBeforeAnyUpload() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let tiktok = try TikTokEmulator(accessToken: "e2e-token")
        let client = TikTokClient(accessToken: "wrong", configuration: .init(baseURL: tiktok.baseURL))
        await #expect {
            _ = try await client.publishDraft(file: file.url, options: quickOptions())
        } throws: { ($0 as? TikTokError)?.kind == .api(.accessTokenInvalid) }
        #expect(tiktok.chunkRequestCount == 0)
    }

    @Test func injectedFaultsAreRetriedAndTheBytesStillMatch() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let tiktok = try TikTokEmulator(configuration: .init(accessToken: "e2e-token", storeDirectory: file.directory, hashUploads: false))
        tiktok.inject(.resetMidBody, onChunkRequest: 1)   // (hashing 70 MB is slow in debug builds: compare files)
        tiktok.inject(.serverError, onChunkRequest: 3)
        tiktok.inject(.tooManyRequests(retryAfterSeconds: 0), onChunkRequest: 5)
        tiktok.inject(.resetMidBody, onChunkRequest: 6)
        let result = try await client(tiktok).publishDraft(file: file.url, options: quickOptions())
        #expect(tiktok.initRequestCount == 1)
        #expect(tiktok.chunkRequestCount == 8)   // 4 chunks + 4 faults
        let upload = try #require(tiktok.allUploads.first)
        let ranges = upload.chunks.compactMap(\.contentRange)
        #expect(upload.violations.isEmpty)
        #expect(ranges == ranges.sorted { (ContentRange($0)?.first ?? 0) < (ContentRange($1)?.first ?? 0) }, "never out of order")
        try expectSameBytes(file, tiktok, result.publishID)
    }
}

/// Twenty uploads at once from one client share one per-token budget.
@Suite("Under load")
struct UnderLoadTests {
    @Test func twentyConcurrentUploadsShareOneLimiterWithinTikToksLimits() async throws {
        let clock = ManualClock()   // moves only when the limiter waits: no real minute passes
        let calls = LockedBox<[(String, ContinuousClock.Instant)]>([])
        let limiter = RateLimiter(policy: .wait,
                                  observer: { bucket, instant in calls.mutate { $0.append((bucket.name, instant)) } },
                                  clocks: .init(now: { clock.now }, sleep: { try await clock.sleep($0) }))
        var configuration = TikTokEmulator.Configuration(accessToken: "load", enforceRateLimits: false)
        configuration.enforcePostingCaps = false   // 20 drafts from one user
        let tiktok = try TikTokEmulator(configuration: configuration)
        let client = TikTokClient(accessToken: "load", configuration: .init(baseURL: tiktok.baseURL, rateLimiter: limiter))
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let options = UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(1))).sleeping { _ in }
        let results = try await withThrowingTaskGroup(of: PublishResult.self) { group in
            for _ in 0..<20 { group.addTask { try await client.publishDraft(file: file.url, options: options) } }
            return try await group.reduce(into: [PublishResult]()) { $0.append($1) }
        }
        #expect(results.count == 20)
        #expect(Set(results.map(\.publishID)).count == 20)
        #expect(tiktok.initRequestCount == 20)
        // However the calls interleaved, no 60 s window holds more than TikTok allows.
        for (bucket, limit) in [("inbox_video_init", 6), ("status_fetch", 30)] {
            let stamps = calls.value.filter { $0.0 == bucket }.map(\.1).sorted()
            #expect(!stamps.isEmpty)
            for (index, stamp) in stamps.enumerated() {
                #expect(stamps[index...].prefix { $0 < stamp + .seconds(60) }.count <= limit, "\(bucket) over \(limit)/min")
            }
        }
        #expect(clock.now - (calls.value.map(\.1).min() ?? clock.now) >= .seconds(180), "20 inits at 6/min need 3 windows")
    }
}
