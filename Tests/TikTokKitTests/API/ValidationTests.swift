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
