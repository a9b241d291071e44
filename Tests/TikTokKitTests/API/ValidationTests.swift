import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

/// Bad input fails with a typed error naming the field, before any request is sent.
@Suite("Validation before sending")
struct ValidationTests {
    private let creator = CreatorInfo(privacyLevelOptions: [.mutualFollowFriends, .selfOnly, .followerOfCreator],
                                      commentDisabled: true, duetDisabled: true, stitchDisabled: false)

    private func expectRejected(field: String, _ body: (TikTokClient) async throws -> Void) async throws {
        let fake = FakeTransport()
        do {
            try await body(Fixture.client(fake))
            Issue.record("expected a validation error for \(field)")
        } catch let error as TikTokError {
            #expect(error.kind == .validation(field: field), "got \(error)")
            #expect(error.classification == .userMustAct)
            #expect(error.advice.contains(field))
        }
        #expect(fake.requests.isEmpty, "nothing may be sent")
    }

    private func video(_ post: VideoPostInfo, source: VideoSource = .pullFromURL("https://v.example.com/a.mp4")) -> DirectVideoInitRequest {
        DirectVideoInitRequest(postInfo: post, sourceInfo: source)
    }

    @Test func videoTitleOver2200UTF16UnitsIsRefused() async throws {
        // 1100 emoji are 2200 UTF-16 units (allowed); one more ASCII letter is not.
        let limit = String(repeating: "😀", count: 1100)
        #expect(limit.utf16.count == 2200)
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/video/init/", .json(Fixture.fileUploadInit))
        _ = try await Fixture.client(fake).initDirectVideo(video(VideoPostInfo(title: limit, privacyLevel: .selfOnly)))
        try await expectRejected(field: "title") {
            _ = try await $0.initDirectVideo(video(VideoPostInfo(title: limit + "a", privacyLevel: .selfOnly)))
        }
    }

    @Test func privacyLevelMustBeOneOfTheCreatorsOptions() async throws {
        try await expectRejected(field: "privacyLevel") {
            _ = try await $0.initDirectVideo(video(VideoPostInfo(privacyLevel: .publicToEveryone, disableDuet: true, disableComment: true)),
                                             creatorInfo: creator)
        }
    }

    @Test func disabledInteractionsMustStayDisabled() async throws {
        try await expectRejected(field: "disableComment") {
            _ = try await $0.initDirectVideo(video(VideoPostInfo(privacyLevel: .selfOnly, disableDuet: true)), creatorInfo: creator)
        }
        try await expectRejected(field: "disableDuet") {
            _ = try await $0.initDirectVideo(video(VideoPostInfo(privacyLevel: .selfOnly, disableComment: true)), creatorInfo: creator)
        }
    }

    @Test func brandedContentCannotBePrivate() async throws {
        try await expectRejected(field: "brandContentToggle") {
            _ = try await $0.initDirectVideo(video(VideoPostInfo(privacyLevel: .selfOnly, brandContentToggle: true)))
        }
    }

    @Test(arguments: ["http://v.example.com/a.mp4", "ftp://v.example.com/a.mp4", "not a url", "https:///nohost"])
    func pullFromURLNeedsHTTPS(url: String) async throws {
        try await expectRejected(field: "videoURL") {
            _ = try await $0.initInboxVideo(.pullFromURL(url))
        }
    }

    @Test func fileUploadChunkArithmeticIsChecked() async throws {
        try await expectRejected(field: "totalChunkCount") {
            _ = try await $0.initInboxVideo(.fileUpload(videoSize: 50_000_123, chunkSize: 10_000_000, totalChunkCount: 6))
        }
        try await expectRejected(field: "videoSize") {
            _ = try await $0.initInboxVideo(.fileUpload(videoSize: 0, chunkSize: 1, totalChunkCount: 1))
        }
    }

    /// A hand-built FILE_UPLOAD source meets the rules `UploadPlan` follows, before any request.
    @Test(arguments: [
        (Int64(77_360_899), Int64(77_360_899), 1, "chunkSize"),        // over 64,000,000 in one chunk
        (100_000_000, 4_000_000, 25, "chunkSize"),                      // chunks under 5 MiB
        (200_000_000, 66_000_000, 3, "chunkSize"),                      // chunks over 64,000,000
        (10_000_000, 3_000_000, 3, "chunkSize"),                        // a small video cut below 5 MiB
        (1_000_000_000, 5_242_880, 191, "totalChunkCount"),             // count is size / chunk rounded down (190)
        (5_500_000_000, 64_000_000, 85, "videoSize"),                   // over 4 GiB
        (300_000_000, 64_000_000, 2, "totalChunkCount"),                // count must be size / chunk
    ])
    func handBuiltFileUploadSourcesFollowTheUploadPlanRules(size: Int64, chunk: Int64, count: Int, field: String) async throws {
        try await expectRejected(field: field) {
            _ = try await $0.initInboxVideo(.fileUpload(videoSize: size, chunkSize: chunk, totalChunkCount: count))
        }
    }

    @Test func everyPlanUploadPlanMakesIsSent() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(Fixture.inboxInit), repeatingLast: true)
        let client = Fixture.client(fake)
        var sent = 0
        for size: Int64 in [1, 4_194_304, 5_242_880, 50_000_123, 64_000_000, 64_000_001, 158_008_374, 1_000_000_007, 4 << 30] {
            for chunk: Int64 in [UploadPlan.minChunkSize, 10_000_000, UploadPlan.defaultChunkSize, UploadPlan.maxChunkSize] {
                _ = try await client.initInboxVideo(try UploadPlan(videoSize: size, chunkSize: chunk).source)
                sent += 1
            }
        }
        // TikTok's own worked example, built by hand.
        _ = try await client.initInboxVideo(.fileUpload(videoSize: 50_000_123, chunkSize: 10_000_000, totalChunkCount: 5))
        #expect(fake.requests.count == sent + 1)
    }

    private func photos(_ urls: [String], cover: Int = 0, post: PhotoPostInfo = PhotoPostInfo(privacyLevel: .selfOnly),
                        mode: PostMode = .directPost) -> PhotoInitRequest {
        PhotoInitRequest(postInfo: post, sourceInfo: PhotoSource(photoImages: urls, photoCoverIndex: cover), postMode: mode)
    }

    @Test func photoCountIsOneTo35() async throws {
        let url = "https://img.example.com/1.jpg"
        try await expectRejected(field: "photoImages") { _ = try await $0.initPhotoPost(photos([])) }
        try await expectRejected(field: "photoImages") { _ = try await $0.initPhotoPost(photos(Array(repeating: url, count: 36))) }
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/content/init/", .json(Fixture.photoInit))
        _ = try await Fixture.client(fake).initPhotoPost(photos(Array(repeating: url, count: 35)))
    }

    @Test func photoURLsMustBeHTTPS() async throws {
        try await expectRejected(field: "photoImages[1]") {
            _ = try await $0.initPhotoPost(photos(["https://img.example.com/1.jpg", "http://img.example.com/2.jpg"]))
        }
    }

    @Test func photoCoverIndexMustBeInRange() async throws {
        try await expectRejected(field: "photoCoverIndex") {
            _ = try await $0.initPhotoPost(photos(["https://img.example.com/1.jpg"], cover: 1))
        }
    }

    @Test func photoTitleAndDescriptionLimits() async throws {
        try await expectRejected(field: "title") {
            _ = try await $0.initPhotoPost(photos(["https://i.example/1.jpg"],
                                                  post: PhotoPostInfo(title: String(repeating: "a", count: 91), privacyLevel: .selfOnly)))
        }
        try await expectRejected(field: "description") {
            _ = try await $0.initPhotoPost(photos(["https://i.example/1.jpg"],
                                                  post: PhotoPostInfo(description: String(repeating: "a", count: 4001), privacyLevel: .selfOnly)))
        }
    }

    @Test func directPhotoPostNeedsAPrivacyLevel() async throws {
        try await expectRejected(field: "privacyLevel") {
            _ = try await $0.initPhotoPost(photos(["https://i.example/1.jpg"], post: PhotoPostInfo()))
        }
    }

    @Test func publishIDMustBeOneTo64Characters() async throws {
        try await expectRejected(field: "publishID") { _ = try await $0.publishStatus(publishID: "") }
        try await expectRejected(field: "publishID") { _ = try await $0.publishStatus(publishID: String(repeating: "x", count: 65)) }
    }
}
