import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("TikTokClient endpoints")
struct TikTokClientTests {
    private func expectJSONCall(_ request: FakeTransport.RecordedRequest?, path: String) throws {
        let request = try #require(request)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "https://open.tiktokapis.com" + path)
        #expect(request.headers["Authorization"] == "Bearer \(Fixture.accessToken)")
        #expect(request.headers["Content-Type"] == "application/json; charset=UTF-8")
    }

    @Test func theDefaultTransportIsCurlWhereItIsBuiltInElseURLSession() {
        // A build without libcurl (iOS, or TIKTOKKIT_NO_CURL=1) has only URLSession to send with.
        #if canImport(CTikTokKitCurl)
        #expect(TikTokClient.defaultTransport is CurlTransport)
        #else
        #expect(TikTokClient.defaultTransport is URLSessionTransport)
        #endif
        // A client given no transport uses that one, shared by the process.
        #expect(TikTokClient(accessToken: "t").transport as AnyObject === TikTokClient.defaultTransport as AnyObject)
    }

    @Test func creatorInfoPostsAndDecodes() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo))
        let info = try await Fixture.client(fake).creatorInfo()
        try expectJSONCall(fake.requests.first, path: "/v2/post/publish/creator_info/query/")
        #expect(info.creatorNickname == "TikTok Official")
        #expect(info.privacyLevelOptions == [.publicToEveryone, .mutualFollowFriends, .selfOnly])
        #expect(info.stitchDisabled)
        #expect(info.maxVideoPostDurationSeconds == 300)
    }

    @Test(arguments: ["spam_risk_too_many_posts", "spam_risk_user_banned_from_posting", "reached_active_user_cap"])
    func creatorInfoErrorsWithHTTP200AreThrown(code: String) async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(status: 200, Fixture.error(code, "nope")))
        do {
            _ = try await Fixture.client(fake).creatorInfo()
            Issue.record("expected \(code)")
        } catch let error as TikTokError {
            #expect(error.kind == .api(APIErrorCode(rawValue: code)))
            #expect(error.httpStatus == 200)
            #expect(error.logID == Fixture.logID)
            #expect(error.message == "nope")
            #expect(error.endpoint == "/v2/post/publish/creator_info/query/")
        }
    }

    @Test func directVideoFileUploadInitSendsTheDocumentedBody() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/video/init/", .json(Fixture.fileUploadInit))
        let start = try await Fixture.client(fake).initDirectVideo(DirectVideoInitRequest(
            postInfo: VideoPostInfo(title: "this will be a funny #cat video on your @tiktok #fyp",
                                    privacyLevel: .mutualFollowFriends, disableComment: true, videoCoverTimestampMs: 1000),
            sourceInfo: .fileUpload(videoSize: 50_000_123, chunkSize: 10_000_000, totalChunkCount: 5)))
        #expect(start.publishID == "v_pub_file~v2-1.123456789")
        #expect(start.uploadURL == "https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=\(Fixture.uploadToken)")
        let request = fake.requests.first
        try expectJSONCall(request, path: "/v2/post/publish/video/init/")
        let body = try Fixture.jsonBody(try #require(request))
        #expect(Set(body.keys) == ["post_info", "source_info"])
        let post = try #require(body["post_info"] as? [String: Any])
        #expect(post["privacy_level"] as? String == "MUTUAL_FOLLOW_FRIENDS")
        #expect(post["disable_comment"] as? Bool == true)
        let source = try #require(body["source_info"] as? [String: Any])
        #expect(source["total_chunk_count"] as? Int == 5)
    }

    @Test func directVideoPullFromURLInitSendsTheURL() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/video/init/",
                     .json(#"{"data":{"publish_id":"v_pub_url~v2.1"},"error":{"code":"ok","message":"","log_id":"x"}}"#))
        let start = try await Fixture.client(fake).initDirectVideo(DirectVideoInitRequest(
            postInfo: VideoPostInfo(privacyLevel: .selfOnly),
            sourceInfo: .pullFromURL("https://example.verified.domain.com/example_video.mp4")))
        #expect(start.publishID == "v_pub_url~v2.1")
        #expect(start.uploadURL == nil)
        let recorded = try #require(fake.requests.first)
        let source = try #require(try Fixture.jsonBody(recorded)["source_info"] as? [String: Any])
        #expect(source["source"] as? String == "PULL_FROM_URL")
        #expect(source["video_url"] as? String == "https://example.verified.domain.com/example_video.mp4")
    }

    @Test(arguments: [MediaSource.fileUpload, .pullFromURL])
    func inboxInitSendsOnlySourceInfo(source: MediaSource) async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(Fixture.inboxInit))
        let videoSource: VideoSource = source == .fileUpload
            ? .fileUpload(videoSize: 4_194_304, chunkSize: 4_194_304, totalChunkCount: 1)
            : .pullFromURL("https://example.verified.domain.com/v.mp4")
        let start = try await Fixture.client(fake).initInboxVideo(videoSource)
        #expect(start.publishID == "v_inbox_file~v2.123456789")
        try expectJSONCall(fake.requests.first, path: "/v2/post/publish/inbox/video/init/")
        let body = try Fixture.jsonBody(try #require(fake.requests.first))
        #expect(Array(body.keys) == ["source_info"])
        #expect((body["source_info"] as? [String: Any])?["source"] as? String == source.rawValue)
    }

    @Test(arguments: [PostMode.directPost, .mediaUpload])
    func photoInitSendsModeAndPhotos(mode: PostMode) async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/content/init/", .json(Fixture.photoInit))
        let start = try await Fixture.client(fake).initPhotoPost(PhotoInitRequest(
            postInfo: PhotoPostInfo(title: "funny cat", privacyLevel: mode == .directPost ? .publicToEveryone : nil),
            sourceInfo: PhotoSource(photoImages: ["https://tiktokcdn.com/obj/example-image-01.webp"]),
            postMode: mode))
        #expect(start.publishID == "p_pub_url~v2.123456789")
        try expectJSONCall(fake.requests.first, path: "/v2/post/publish/content/init/")
        let body = try Fixture.jsonBody(try #require(fake.requests.first))
        #expect(body["post_mode"] as? String == mode.rawValue)
        #expect(body["media_type"] as? String == "PHOTO")
    }

    @Test func statusFetchSendsThePublishIDAndDecodes() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", .json(Fixture.statusComplete))
        let report = try await Fixture.client(fake).publishStatus(publishID: "v_pub_file~v2-1.123456789")
        try expectJSONCall(fake.requests.first, path: "/v2/post/publish/status/fetch/")
        let body = try Fixture.jsonBody(try #require(fake.requests.first))
        #expect(body as NSDictionary == ["publish_id": "v_pub_file~v2-1.123456789"])
        #expect(report.status == .publishComplete)
        #expect(report.publiclyAvailablePostIDs == ["7663542984343883021"])
    }

    @Test(arguments: ["invalid_publish_id", "token_not_authorized_for_specified_publish_id", "rate_limit_exceeded", "scope_not_authorized"])
    func statusFetchDocumentedErrorsAreTyped(code: String) async throws {
        let fake = FakeTransport()
        let status = code == "rate_limit_exceeded" ? 429 : code == "scope_not_authorized" ? 401 : 400
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", .json(status: status, Fixture.error(code)))
        await #expect {
            _ = try await Fixture.client(fake).publishStatus(publishID: "v_pub_file~v2-1.1")
        } throws: { error in
            let error = error as? TikTokError
            return error?.kind == .api(APIErrorCode(rawValue: code)) && error?.httpStatus == status
        }
    }

    @Test func cancelSucceedsWithoutData() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/cancel/", .json(Fixture.cancelOK))
        try await Fixture.client(fake).cancelPublish(publishID: "v_pub_url~v2.1")
        try expectJSONCall(fake.requests.first, path: "/v2/post/publish/cancel/")
    }

    @Test func cancelOfAFinishedPublishIsTyped() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/cancel/", .json(status: 400, Fixture.error("publish_not_cancellable")))
        await #expect {
            try await Fixture.client(fake).cancelPublish(publishID: "v_pub_url~v2.1")
        } throws: { ($0 as? TikTokError)?.kind == .api(.publishNotCancellable) }
    }

    @Test func userInfoAsksForTheSelectedFields() async throws {
        let fake = FakeTransport()
        fake.enqueue(.get, "/v2/user/info/", .json("""
        {"data":{"user":{"open_id":"o-1","display_name":"Creator","follower_count":42}},"error":{"code":"ok","message":"","log_id":"x"}}
        """))
        let user = try await Fixture.client(fake).userInfo(fields: [.openID, .displayName, .followerCount])
        let request = try #require(fake.requests.first)
        #expect(request.method == .get)
        #expect(request.url.absoluteString == "https://open.tiktokapis.com/v2/user/info/?fields=open_id,display_name,follower_count")
        #expect(request.headers["Authorization"] == "Bearer \(Fixture.accessToken)")
        #expect(request.body.isEmpty)
        #expect(user.openID == "o-1")
        #expect(user.followerCount == 42)
    }

    @Test func baseURLIsConfigurable() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/prefix/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo))
        let client = TikTokClient(accessToken: Fixture.accessToken, transport: fake,
                                  configuration: .init(baseURL: URL(string: "http://127.0.0.1:9999/prefix")!))
        _ = try await client.creatorInfo()
        #expect(fake.requests.first?.url.absoluteString == "http://127.0.0.1:9999/prefix/v2/post/publish/creator_info/query/")
    }

    @Test func httpErrorWithoutATikTokBodyIsAnHTTPError() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .response(TikTokHTTPResponse(status: 502, headers: ["x-tt-logid": "HDR-LOG"], body: Data("<html>Bad Gateway</html>".utf8))))
        do {
            _ = try await Fixture.client(fake).publishStatus(publishID: "p1")
            Issue.record("expected an error")
        } catch let error as TikTokError {
            #expect(error.kind == .http(status: 502))
            #expect(error.logID == "HDR-LOG")
            #expect(error.responseExcerpt == "<html>Bad Gateway</html>")
            #expect(error.classification == .retryLater)
        }
    }

    @Test func successStatusWithGarbageBodyIsUndecodable() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .response(TikTokHTTPResponse(status: 200, body: Data("not json".utf8))))
        await #expect {
            _ = try await Fixture.client(fake).creatorInfo()
        } throws: { ($0 as? TikTokError)?.kind == .undecodableResponse }
    }

    @Test func transportFailuresBecomeTikTokErrors() async throws {
        let fake = FakeTransport()
        fake.enqueue(.error(TransportError(.connectionReset, "connection reset by peer")))
        do {
            _ = try await Fixture.client(fake).creatorInfo()
            Issue.record("expected an error")
        } catch let error as TikTokError {
            #expect(error.kind == .transport(.connectionReset))
            #expect(error.transportError?.kind == .connectionReset)
            #expect(error.classification == .retryLater)
        }
    }

    @Test func accessTokenInvalidRefreshesAndRetriesOnce() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/",
                     .json(status: 401, Fixture.error("access_token_invalid", "The access token is invalid or not found in the request.")),
                     .json(Fixture.creatorInfo))
        let provider = RefreshingTokenProvider(
            tokens: StoredTokens(accessToken: Fixture.accessToken, accessTokenExpiresAt: .distantFuture,
                                 refreshToken: Fixture.refreshToken)) { _ in
            TokenResponse(accessToken: Fixture.refreshedToken, expiresIn: 7200, refreshToken: "rft.NEW", refreshExpiresIn: 100)
        }
        let client = TikTokClient(tokenProvider: provider, transport: fake, configuration: .init(rateLimitPolicy: .disabled))
        _ = try await client.creatorInfo()
        #expect(fake.requests.map { $0.headers["Authorization"] } == ["Bearer \(Fixture.accessToken)", "Bearer \(Fixture.refreshedToken)"])
        #expect(await provider.refreshCount == 1)
    }

    @Test func accessTokenInvalidTwiceIsThrownAfterOneRetry() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/",
                     .json(status: 401, Fixture.error("access_token_invalid")), repeatingLast: true)
        let provider = RefreshingTokenProvider(
            tokens: StoredTokens(accessToken: Fixture.accessToken, accessTokenExpiresAt: .distantFuture,
                                 refreshToken: Fixture.refreshToken)) { _ in
            TokenResponse(accessToken: Fixture.refreshedToken, expiresIn: 7200, refreshToken: "rft.NEW")
        }
        let client = TikTokClient(tokenProvider: provider, transport: fake, configuration: .init(rateLimitPolicy: .disabled))
        await #expect {
            _ = try await client.creatorInfo()
        } throws: { ($0 as? TikTokError)?.classification == .refreshToken }
        #expect(fake.requests.count == 2)
    }

    @Test func staticTokenIsNotRetried() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(status: 401, Fixture.error("access_token_invalid")), repeatingLast: true)
        await #expect(throws: TikTokError.self) { _ = try await Fixture.client(fake).creatorInfo() }
        #expect(fake.requests.count == 1)
    }
}

@Suite("Init calls with unknown outcome")
struct InitOutcomeTests {
    @Test(arguments: [FakeTransport.Reply.error(TransportError(.timedOut, "t")), .error(TransportError(.connectionReset, "r")),
                      .response(TikTokHTTPResponse(status: 502, body: Data("bad gateway".utf8)))])
    func initFailuresAfterSendingAreMarkedUnknownAndNotRetried(reply: FakeTransport.Reply) async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/video/init/", reply)
        do {
            _ = try await Fixture.client(fake).initDirectVideo(DirectVideoInitRequest(
                postInfo: VideoPostInfo(privacyLevel: .selfOnly), sourceInfo: .pullFromURL("https://v.example.com/a.mp4")))
            Issue.record("expected an error")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.initOutcomeUnknown))
            #expect(error.advice.contains("post twice"))
        }
        #expect(fake.requests.count == 1)
    }

    @Test func initFailuresBeforeSendingStayTransportErrors() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .error(TransportError(.connectionRefused, "refused")))
        await #expect {
            _ = try await Fixture.client(fake).initInboxVideo(.pullFromURL("https://v.example.com/a.mp4"))
        } throws: { ($0 as? TikTokError)?.kind == .transport(.connectionRefused) }
    }

    @Test func statusFetchTimeoutsAreOrdinaryTransportErrors() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", .error(TransportError(.timedOut, "t")))
        await #expect {
            _ = try await Fixture.client(fake).publishStatus(publishID: "p")
        } throws: { ($0 as? TikTokError)?.kind == .transport(.timedOut) }
    }

    @Test func clientsCanShareOneRateLimiter() async throws {
        let limiter = RateLimiter(policy: .fail)
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(Fixture.inboxInit), repeatingLast: true)
        let first = TikTokClient(accessToken: Fixture.accessToken, transport: fake, configuration: .init(rateLimiter: limiter))
        let second = TikTokClient(accessToken: Fixture.accessToken, transport: fake, configuration: .init(rateLimiter: limiter))
        for client in [first, second, first, second, first, second] {
            _ = try await client.initInboxVideo(.pullFromURL("https://v.example.com/a.mp4"))
        }
        await #expect(throws: TikTokError.self) { _ = try await first.initInboxVideo(.pullFromURL("https://v.example.com/a.mp4")) }
        #expect(fake.requests.count == 6)
    }
}
