import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// Many uploads at once through one client, against the emulator's per-token limits.
///
/// TikTok's windows are a minute; here both sides count in 250 ms windows (the emulator's
/// `rateLimitWindow`, the limiter's `limits`), so 128 uploads — 22 windows of 6 inits — take
/// seconds instead of 22 minutes while every limit still binds. Everything else is default.
@Suite("Concurrent uploads through one client")
struct ConcurrentUploadTests {
    static let window: Duration = .milliseconds(250)

    static func scaledLimits() -> [String: RateLimiter.Limit] {
        let buckets: [RateLimiter.Bucket] = [.creatorInfo, .directVideoInit, .inboxVideoInit, .photoInit, .statusFetch, .userInfo]
        return Dictionary(uniqueKeysWithValues: buckets.map { ($0.name, RateLimiter.Limit(count: $0.limit.count, per: window)) })
    }

    @Test(arguments: [32, 128])
    func everyUploadFinishesAndNoneMeetsTikToksRateLimit(count: Int) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        var configuration = TikTokEmulator.Configuration(accessToken: "many-token", hashUploads: false)
        configuration.rateLimitWindow = Self.window
        configuration.enforcePostingCaps = false   // up to 128 drafts from one user
        let tiktok = try TikTokEmulator(configuration: configuration)
        defer { tiktok.shutdown() }
        let client = TikTokClient(accessToken: "many-token",
                                  configuration: .init(baseURL: tiktok.baseURL, rateLimiter: RateLimiter(limits: Self.scaledLimits())))
        let results = try await withThrowingTaskGroup(of: PublishResult.self) { group in
            for _ in 0..<count {
                group.addTask { try await client.publishDraft(file: file.url) }
            }
            return try await group.reduce(into: [PublishResult]()) { $0.append($1) }
        }
        #expect(results.count == count)
        #expect(Set(results.map(\.publishID)).count == count, "one publish each")
        #expect(results.allSatisfy { $0.status == .sendToUserInbox })
        #expect(tiktok.initRequestCount == count, "one init each")
        #expect(tiktok.allUploads.allSatisfy { $0.receivedBytes == 1_000_000 })
        #expect(tiktok.rateLimitedCallCount == 0, "the limiter kept every call inside TikTok's limits")
    }
}
