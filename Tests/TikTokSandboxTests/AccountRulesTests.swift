import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// TikTok's rules on who may post: the account's privacy, the app's audit, the 24-hour caps and
/// the creator_info answers that report them, each checked over HTTP.
@Suite("Emulator accounts, audit and caps")
final class AccountRulesTests: Sendable {
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory("accounts") }
    deinit { scratch.remove() }

    private func client(_ emulator: TikTokEmulator, token: String = "t") -> TikTokClient {
        TikTokClient(accessToken: token, configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
    }

    private let quick = UploadOptions(retryPolicy: UploadRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)),
                                      statusPolling: StatusPolling(initialInterval: .milliseconds(20), maxInterval: .milliseconds(50)))

    /// A direct FILE_UPLOAD init of a 1000-byte video, built by hand so the SDK's own checks
    /// (against creator_info) do not stop it before the emulator sees it.
    private func directInit(_ emulator: TikTokEmulator, token: String = "t", privacy: PrivacyLevel) async throws -> PublishInit {
        try await client(emulator, token: token).initDirectVideo(
            DirectVideoInitRequest(postInfo: VideoPostInfo(privacyLevel: privacy),
                                   sourceInfo: .fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1)))
    }

    private func refused(_ code: APIErrorCode, status: Int = 403) -> @Sendable (any Error) -> Bool {
        { ($0 as? TikTokError)?.kind == .api(code) && ($0 as? TikTokError)?.httpStatus == status }
    }

    @Test func creatorInfoReportsEachAccountsPrivacy() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t", enforceRateLimits: false)
        configuration.accessTokens["p"] = TikTokEmulator.Configuration.allScopes
        configuration.accounts["p"] = TikTokEmulator.Account(privacy: .private, commentDisabled: true, maxVideoPostDurationSeconds: 180)
        let emulator = try TikTokEmulator(configuration: configuration)

        let open = try await client(emulator).creatorInfo()
        #expect(open.privacyLevelOptions == [.publicToEveryone, .mutualFollowFriends, .selfOnly])
        #expect(!open.duetDisabled && !open.stitchDisabled && !open.commentDisabled)

        let closed = try await client(emulator, token: "p").creatorInfo()
        #expect(closed.privacyLevelOptions == [.followerOfCreator, .mutualFollowFriends, .selfOnly])
        #expect(!closed.privacyLevelOptions.contains(.publicToEveryone))
        #expect(closed.duetDisabled && closed.stitchDisabled && closed.commentDisabled, "private: no duets or stitches")
        #expect(closed.maxVideoPostDurationSeconds == 180)
        // A private account cannot post publicly, even from an audited app.
        await #expect(performing: { _ = try await self.directInit(emulator, token: "p", privacy: .publicToEveryone) },
                      throws: refused(.privacyLevelOptionMismatch))
        _ = try await directInit(emulator, token: "p", privacy: .followerOfCreator)
    }

    @Test func anUnauditedAppPostsOnlySelfOnlyToPrivateAccounts() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", unaudited: true, enforceRateLimits: false))
        // The field report (PR #144): SELF_ONLY to a public account is still refused.
        await #expect(performing: { _ = try await self.directInit(emulator, privacy: .selfOnly) },
                      throws: refused(.unauditedClientCanOnlyPostToPrivateAccounts))
        await #expect(performing: { _ = try await self.directInit(emulator, privacy: .publicToEveryone) },
                      throws: refused(.unauditedClientCanOnlyPostToPrivateAccounts))
        #expect(emulator.initRequestCount == 0)

        // The fix: the creator switches the account to private.
        #expect(emulator.updateAccount(forToken: "t") { $0.privacy = .private })
        await #expect(performing: { _ = try await self.directInit(emulator, privacy: .followerOfCreator) },
                      throws: refused(.unauditedClientCanOnlyPostToPrivateAccounts))
        let file = try await SampleVideo.write(to: scratch.path("v.mp4"), size: 300_000, durationSeconds: 5)
        // A private account has duets and stitches off (creator_info says so), and the SDK
        // makes the post say so too.
        let post = VideoPostInfo(privacyLevel: .selfOnly, disableDuet: true, disableStitch: true)
        let result = try await client(emulator).publishVideo(file: file, post: post, options: quick)
        #expect(result.status == .publishComplete)
        #expect(!emulator.updateAccount(forToken: "nobody") { $0.privacy = .private })
    }

    @Test func anUnauditedAppHasAtMostFiveActiveUsersADay() async throws {
        let users = (1...6).map { "u\($0)" }
        var configuration = TikTokEmulator.Configuration(accessToken: "u1", unaudited: true, enforceRateLimits: false)
        configuration.accountPrivacy = .private
        for user in users { configuration.accessTokens[user] = TikTokEmulator.Configuration.allScopes }
        let emulator = try TikTokEmulator(configuration: configuration)
        for user in users.prefix(5) { _ = try await directInit(emulator, token: user, privacy: .selfOnly) }
        await #expect(performing: { _ = try await self.directInit(emulator, token: "u6", privacy: .selfOnly) },
                      throws: refused(.reachedActiveUserCap))
        // creator_info tells the sixth user with an "intentional" HTTP 200.
        await #expect(performing: { _ = try await self.client(emulator, token: "u6").creatorInfo() },
                      throws: refused(.reachedActiveUserCap, status: 200))
        // The five already active may go on posting.
        _ = try await client(emulator, token: "u1").creatorInfo()
        _ = try await directInit(emulator, token: "u1", privacy: .selfOnly)
        #expect(emulator.initRequestCount == 6)
    }

    @Test func aCreatorMayPostAboutFifteenTimesADay() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t", enforceRateLimits: false)
        configuration.dailyPostLimit = 3
        configuration.accessTokens["other"] = TikTokEmulator.Configuration.allScopes
        let emulator = try TikTokEmulator(configuration: configuration)
        for _ in 0..<3 { _ = try await directInit(emulator, privacy: .selfOnly) }
        await #expect(performing: { _ = try await self.directInit(emulator, privacy: .selfOnly) },
                      throws: refused(.spamRiskTooManyPosts))
        await #expect(performing: { _ = try await self.client(emulator).creatorInfo() },
                      throws: refused(.spamRiskTooManyPosts, status: 200))
        _ = try await directInit(emulator, token: "other", privacy: .selfOnly)   // per creator
        // Drafts are not posts: the inbox still takes them.
        _ = try await client(emulator).initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        #expect(TikTokEmulator.Configuration(accessToken: "x").dailyPostLimit == 15, "TikTok's \"around 15\"")
    }

    @Test func atMostFivePendingInboxSharesAndFinishingOneFreesItsPlace() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", enforceRateLimits: false))
        let file = try await SampleVideo.write(to: scratch.path("d.mp4"), size: 200_000, durationSeconds: 5)
        var drafts: [String] = []
        for _ in 0..<5 { drafts.append(try await client(emulator).publishDraft(file: file, options: quick).publishID) }
        await #expect(performing: { _ = try await self.client(emulator).publishDraft(file: file, options: self.quick) },
                      throws: refused(.spamRiskTooManyPendingShare))
        let photo = emulator.serve(file, as: "p.jpg")
        await #expect(performing: {
            _ = try await self.client(emulator).initPhotoPost(
                PhotoInitRequest(postInfo: PhotoPostInfo(), sourceInfo: PhotoSource(photoImages: [photo.absoluteString], photoCoverIndex: 0), postMode: .mediaUpload))
        }, throws: refused(.spamRiskTooManyPendingShare))
        #expect(emulator.initRequestCount == 5)

        // The creator finishes one draft in TikTok: it is posted and no longer pending.
        #expect(emulator.finishInboxPost(publishID: drafts[0]))
        #expect(!emulator.finishInboxPost(publishID: drafts[0]), "already finished")
        #expect(try await client(emulator).publishStatus(publishID: drafts[0]).status == .publishComplete)
        _ = try await client(emulator).publishDraft(file: file, options: quick)
    }

    @Test func aBannedCreatorIsToldByCreatorInfoAndRefusedEverywhere() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t")
        configuration.accounts["t"] = TikTokEmulator.Account(bannedFromPosting: true)
        let emulator = try TikTokEmulator(configuration: configuration)
        await #expect(performing: { _ = try await self.client(emulator).creatorInfo() },
                      throws: refused(.spamRiskUserBannedFromPosting, status: 200))
        await #expect(performing: { _ = try await self.directInit(emulator, privacy: .selfOnly) },
                      throws: refused(.spamRiskUserBannedFromPosting))
        await #expect(performing: {
            _ = try await self.client(emulator).initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        }, throws: refused(.spamRiskUserBannedFromPosting))
    }

    @Test func creatorInfoOfACreatorWhoCannotPostStillCarriesTheAccountAndAnHTTP200() async throws {
        // A client that looks at the HTTP status or the data alone would think it may post.
        var configuration = TikTokEmulator.Configuration(accessToken: "t")
        configuration.accounts["t"] = TikTokEmulator.Account(bannedFromPosting: true)
        let emulator = try TikTokEmulator(configuration: configuration)
        var request = TikTokHTTPRequest(method: .post, url: emulator.baseURL.appendingPathComponent("v2/post/publish/creator_info/query/"))
        request.headers["Authorization"] = "Bearer t"
        let response = try await httpClientTransport().send(request)
        #expect(response.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        #expect((object["error"] as? [String: Any])?["code"] as? String == "spam_risk_user_banned_from_posting")
        #expect((object["data"] as? [String: Any])?["creator_nickname"] != nil)
    }

    @Test func concurrentInitsCannotPassACapTogether() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", enforceRateLimits: false))
        let client = client(emulator)
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    (try? await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(accepted == 5 && emulator.initRequestCount == 5, "exactly five pending shares, however the inits interleave")
    }

    @Test func aDraftThatFailsTikToksChecksIsNoLongerPending() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", enforceRateLimits: false))
        let long = try await SampleVideo.write(to: scratch.path("long.mp4"), size: 200_000, durationSeconds: 700)
        for _ in 0..<5 {
            await #expect(performing: { _ = try await self.client(emulator).publishDraft(file: long, options: self.quick) },
                          throws: { ($0 as? TikTokError)?.kind == .publishFailed(.durationCheckFailed) })
        }
        // Five failed drafts: none pending, so a sixth share is accepted.
        _ = try await client(emulator).initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
    }
}
