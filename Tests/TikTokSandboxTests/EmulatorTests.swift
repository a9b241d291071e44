import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// The emulator behaves as strictly as TikTok, checked through the real client and transport.
@Suite("TikTokEmulator")
final class EmulatorTests: Sendable {
    /// Sample videos and stores; removed after each test.
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory("emulator") }
    deinit { scratch.remove() }

    private func client(_ emulator: TikTokEmulator, token: String = "t") -> TikTokClient {
        TikTokClient(accessToken: token, configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
    }

    private func sample(_ size: Int64, seconds: Double = 10) async throws -> URL {
        try await SampleVideo.write(to: scratch.path("v-\(UUID().uuidString).mp4"), size: size, durationSeconds: seconds)
    }

    private let quick = UploadOptions(retryPolicy: UploadRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)),
                                      statusPolling: StatusPolling(initialInterval: .milliseconds(20), maxInterval: .milliseconds(50)))

    @Test func wrongTokensAndMissingScopesAreRefused() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t", scopes: ["user.info.basic", "video.upload"])
        configuration.accessTokens["other"] = ["user.info.basic"]
        let emulator = try TikTokEmulator(configuration: configuration)
        await #expect { _ = try await client(emulator, token: "nope").creatorInfo() } throws: {
            ($0 as? TikTokError)?.kind == .api(.accessTokenInvalid) && ($0 as? TikTokError)?.httpStatus == 401
        }
        await #expect { _ = try await client(emulator).creatorInfo() } throws: { ($0 as? TikTokError)?.kind == .api(.scopeNotAuthorized) }
        await #expect { _ = try await client(emulator, token: "other").initInboxVideo(.fileUpload(videoSize: 10, chunkSize: 10, totalChunkCount: 1)) } throws: {
            ($0 as? TikTokError)?.kind == .api(.scopeNotAuthorized)
        }
    }

    @Test(arguments: APIErrorCode.documented)
    func anyDocumentedCodeCanBeScriptedOnAnEndpoint(code: APIErrorCode) async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let path = "/v2/post/publish/status/fetch/"
        emulator.inject([.apiError(code: code.rawValue)], onPath: path)
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .fail))
        let start = try await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        await #expect {
            _ = try await client.publishStatus(publishID: start.publishID)
        } throws: { error in
            let error = error as? TikTokError
            return error?.kind == .api(code) && error?.httpStatus == TikTokEmulator.Fault.apiErrorStatus(for: code.rawValue, on: path)
        }
        #expect(emulator.injectedFaults[code.rawValue] == 1)
    }

    @Test func aScriptedCodeCanComeWithAProbabilityAndIsRepeatableBySeed() async throws {
        func errors(probability: Double, seed: UInt64, requests: Int = 60) async throws -> [Bool] {
            var configuration = TikTokEmulator.Configuration(accessToken: "t")
            configuration.seed = seed
            configuration.enforceRateLimits = false
            let emulator = try TikTokEmulator(configuration: configuration)
            emulator.inject(.apiError(code: "internal_error"), onPath: "/v2/post/publish/creator_info/query/", probability: probability)
            let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
            var outcomes: [Bool] = []
            for _ in 0..<requests {
                do {
                    _ = try await client.creatorInfo()
                    outcomes.append(false)
                } catch let error as TikTokError where error.kind == .api(.internalError) {
                    outcomes.append(true)
                }
            }
            return outcomes
        }
        let first = try await errors(probability: 0.3, seed: 7)
        #expect((6...30).contains(first.filter { $0 }.count), "30 % of 60: \(first.filter { $0 }.count)")
        #expect(try await errors(probability: 0.3, seed: 7) == first, "the same seed, the same requests fail")
        #expect(try await errors(probability: 0, seed: 7, requests: 10).allSatisfy { !$0 })
        #expect(try await errors(probability: 1, seed: 7, requests: 10).allSatisfy { $0 })
    }

    @Test func answersAreValidJSONWhateverTheRequestOrAScriptedCodeHolds() async throws {
        // Text from the request (an unknown source) and from the caller (a scripted code and fail
        // reason) ends up in answers; quotes, backslashes and line breaks must not break them.
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let hostile = #"FILE"UPLOAD\ \"x\n"# + "\n\u{1}"
        var request = TikTokHTTPRequest(method: .post, url: emulator.baseURL.appendingPathComponent("v2/post/publish/inbox/video/init/"),
                                  body: .bytes(try JSONSerialization.data(withJSONObject: ["source_info": ["source": hostile]])))
        request.headers["Authorization"] = "Bearer t"
        request.headers["Content-Type"] = "application/json; charset=UTF-8"
        let response = try await httpClientTransport().send(request)
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any], "not JSON")
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_params")
        #expect((error["message"] as? String)?.contains(hostile) == true)

        let path = "/v2/post/publish/status/fetch/"
        emulator.inject([.apiError(code: #"bad"code\"#), .failReason(#"odd"reason\"#)], onPath: path)
        let client = client(emulator)
        let start = try await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        await #expect { _ = try await client.publishStatus(publishID: start.publishID) } throws: {
            ($0 as? TikTokError)?.code == #"bad"code\"#
        }
        let failed = try await client.publishStatus(publishID: start.publishID)
        #expect(failed.status == .failed)
        #expect(failed.failReason?.rawValue == #"odd"reason\"#)
    }

    @Test func creatorInfoAnswersItsCannotPostCodesWithHTTP200AndFailReasonsCanBeScripted() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        emulator.inject([.apiError(code: "spam_risk_too_many_posts"), .apiError(code: "reached_active_user_cap")],
                        onPath: "/v2/post/publish/creator_info/query/")
        emulator.inject([.failReason("duration_check_failed")], onPath: "/v2/post/publish/status/fetch/")
        let client = client(emulator)
        for expected in [APIErrorCode.spamRiskTooManyPosts, .reachedActiveUserCap] {
            await #expect { _ = try await client.creatorInfo() } throws: { error in
                (error as? TikTokError)?.kind == .api(expected) && (error as? TikTokError)?.httpStatus == 200
            }
        }
        _ = try await client.creatorInfo()   // each injection answers once
        let start = try await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        let report = try await client.publishStatus(publishID: start.publishID)
        #expect(report.status == .failed)
        #expect(report.failReason == .durationCheckFailed)
    }

    @Test func anotherUsersPublishIsNotYoursToFetchOrCancel() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "alice")
        configuration.accessTokens["bob"] = TikTokEmulator.Configuration.allScopes
        let emulator = try TikTokEmulator(configuration: configuration)
        let start = try await client(emulator, token: "alice").initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        for attempt in 0..<2 {
            await #expect {
                if attempt == 0 {
                    _ = try await self.client(emulator, token: "bob").publishStatus(publishID: start.publishID)
                } else {
                    try await self.client(emulator, token: "bob").cancelPublish(publishID: start.publishID)
                }
            } throws: { error in
                let error = error as? TikTokError
                return error?.kind == .api(.tokenNotAuthorizedForSpecifiedPublishID) && error?.httpStatus == 400
            }
        }
        _ = try await client(emulator, token: "alice").publishStatus(publishID: start.publishID)   // the owner still can
    }

    @Test func pullFromURLNeedsAVerifiedPrefixAndReallyDownloads() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", verifiedURLPrefixes: ["https://media.example.com/verified/"]))
        await #expect {
            _ = try await client(emulator).initInboxVideo(.pullFromURL("https://cdn.example.net/video.mp4"))
        } throws: { ($0 as? TikTokError)?.kind == .api(.urlOwnershipUnverified) }

        let served = emulator.serve(try await sample(300_000), as: "clip.mp4")
        let result = try await client(emulator).publishVideo(pullingFrom: try MediaURL(served), post: VideoPostInfo(privacyLevel: .selfOnly), options: quick)
        #expect(result.status == .publishComplete)
        #expect(emulator.allUploads.last?.receivedBytes == 300_000)

        let missing = emulator.baseURL.appendingPathComponent("files/missing.mp4")
        await #expect {
            _ = try await client(emulator).publishVideo(pullingFrom: try MediaURL(missing), post: VideoPostInfo(privacyLevel: .selfOnly), options: quick)
        } throws: { ($0 as? TikTokError)?.kind == .publishFailed(.videoPullFailed) }
    }

    @Test func photosArePulledAndDuetStitchAreNeverSent() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let photo = emulator.serve(try await sample(50_000), as: "a.jpg")
        let result = try await client(emulator).publishPhotos(urls: [photo, photo], post: PhotoPostInfo(title: "two"),
                                                              mode: .mediaUpload, options: quick)
        #expect(result.status == .sendToUserInbox)
        #expect(emulator.allUploads.last?.mediaType == "photo")
        #expect(emulator.allUploads.last?.privacyLevel == nil, "no privacy level given, none sent")
    }

    @Test func aPhotoDraftCarriesThePrivacyLevelTheCallerGives() async throws {
        // TikTok requires privacy_level only for DIRECT_POST; for MEDIA_UPLOAD the SDK sends the
        // one the caller gives (the creator may still change it in TikTok).
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let photo = emulator.serve(try await sample(50_000), as: "b.jpg")
        let result = try await client(emulator).publishPhotos(urls: [photo], post: PhotoPostInfo(privacyLevel: .selfOnly),
                                                              mode: .mediaUpload, options: quick)
        #expect(result.status == .sendToUserInbox)
        #expect(emulator.allUploads.last?.privacyLevel == "SELF_ONLY")
        #expect(emulator.allUploads.last?.isDirectPost == false)
    }

    @Test func initChecksEveryChunkRule() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let badPlans: [VideoSource] = [
            .fileUpload(videoSize: 77_360_899, chunkSize: 77_360_899, totalChunkCount: 1),   // over 64 MB in one chunk
            .fileUpload(videoSize: 100_000_000, chunkSize: 4_000_000, totalChunkCount: 25),  // chunks under 5 MB
            .fileUpload(videoSize: 200_000_000, chunkSize: 66_000_000, totalChunkCount: 3),  // chunks over 64,000,000
        ]
        for plan in badPlans {
            // The SDK refuses these itself (ValidationTests); sent by hand, the emulator refuses them as TikTok does.
            await #expect { _ = try await client(emulator).initInboxVideo(plan) } throws: {
                ($0 as? TikTokError)?.kind.validationField != nil
            }
            guard case .fileUpload(let size, let chunk, let count) = plan else { continue }
            var request = TikTokHTTPRequest(method: .post, url: emulator.baseURL.appendingPathComponent("v2/post/publish/inbox/video/init/"),
                                      body: .bytes(try JSONSerialization.data(withJSONObject: ["source_info": [
                                          "source": "FILE_UPLOAD", "video_size": size, "chunk_size": chunk, "total_chunk_count": count]])))
            request.headers["Authorization"] = "Bearer t"
            request.headers["Content-Type"] = "application/json; charset=UTF-8"
            let response = try await httpClientTransport().send(request)
            let error = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "invalid_params")
            #expect(error?["message"] as? String == "The chunk size is invalid")
        }
        _ = try await client(emulator).initInboxVideo(.fileUpload(videoSize: 158_008_374, chunkSize: 10_000_000, totalChunkCount: 15))
        // TikTok's own worked example.
        _ = try await client(emulator).initInboxVideo(.fileUpload(videoSize: 50_000_123, chunkSize: 10_000_000, totalChunkCount: 5))
    }

    @Test func chunkPutsAreChecked() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let start = try await client(emulator).initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        let url = try #require(start.uploadURL.flatMap(URL.init(string:)))
        let wrong = try await httpClientTransport().send(TikTokHTTPRequest(method: .put, url: url,
                                                               headers: ["Content-Type": "video/mp4", "Content-Range": "bytes 10-1009/1000"],
                                                               body: .bytes(Data(count: 1000))))
        #expect(wrong.status == 416)
        #expect(wrong.headers["Content-Range"] == "bytes */1000")
        #expect(emulator.allUploads.first?.violations.isEmpty == false)
    }

    @Test func uploadURLsExpire() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", uploadURLLifetime: .milliseconds(200)))
        let start = try await client(emulator).initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        let url = try #require(start.uploadURL.flatMap(URL.init(string:)))
        try await Task.sleep(for: .milliseconds(400))
        let late = try await httpClientTransport().send(TikTokHTTPRequest(method: .put, url: url,
                                                              headers: ["Content-Type": "video/mp4", "Content-Range": "bytes 0-999/1000"],
                                                              body: .bytes(Data(count: 1000))))
        #expect(late.status == 403)
    }

    @Test func statusFollowsTheProcessingDelayAndDurationLimit() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", processingDelay: .milliseconds(300),
                                                              maxVideoPostDurationSeconds: 60))
        let client = client(emulator)
        let start = ContinuousClock.now
        let result = try await client.publishDraft(file: try await sample(200_000, seconds: 30), options: quick)
        #expect(result.status == .sendToUserInbox)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        // Over the creator's maximum: TikTokKit refuses direct posts itself, and drafts end FAILED at TikTok.
        await #expect {
            _ = try await client.publishDraft(file: try await sample(200_000, seconds: 61), options: quick)
        } throws: { ($0 as? TikTokError)?.kind == .publishFailed(.durationCheckFailed) }
    }

    @Test func rateLimitsAnswer429() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        for _ in 0..<6 { _ = try await client(emulator).initInboxVideo(.pullFromURL(emulator.baseURL.appendingPathComponent("files/x").absoluteString)) }
        await #expect {
            _ = try await client(emulator).initInboxVideo(.pullFromURL(emulator.baseURL.appendingPathComponent("files/x").absoluteString))
        } throws: { ($0 as? TikTokError)?.kind == .api(.rateLimitExceeded) }
    }

    @Test func oauthIssuesRotatesAndRevokesTokens() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let oauth = OAuthClient(clientKey: "sandbox-client-key", clientSecret: "sandbox-client-secret", baseURL: emulator.baseURL)
        let pkce = PKCE()
        let request = AuthorizationRequest(clientKey: "sandbox-client-key", scopes: ["user.info.basic", "user.info.stats", "video.upload"],
                                           redirectURI: "http://127.0.0.1:9/callback/", pkce: pkce,
                                           authorizeURL: emulator.baseURL.appendingPathComponent("v2/auth/authorize/"))
        let redirect = try await httpClientTransport().send(TikTokHTTPRequest(method: .get, url: request.url))
        #expect(redirect.status == 302)
        let callback = try request.callback(from: try #require(redirect.headers["Location"].flatMap(URL.init(string:))))
        let tokens = try await oauth.exchange(code: callback.code, redirectURI: request.redirectURI, codeVerifier: pkce.verifier)
        let user = try await client(emulator, token: tokens.accessToken).userInfo(fields: [.openID, .displayName, .followerCount])
        #expect(user.displayName == "Sandbox Creator")
        #expect(user.followerCount == 12_345_678_901)
        let rotated = try await oauth.refresh(refreshToken: try #require(tokens.refreshToken))
        #expect(rotated.refreshToken != tokens.refreshToken)
        await #expect { _ = try await oauth.refresh(refreshToken: try #require(tokens.refreshToken)) } throws: {
            ($0 as? TikTokError)?.kind == .oauth(.invalidGrant)
        }
        try await oauth.revoke(accessToken: rotated.accessToken)
        await #expect { _ = try await client(emulator, token: rotated.accessToken).userInfo() } throws: {
            ($0 as? TikTokError)?.kind == .api(.accessTokenInvalid)
        }
        await #expect { _ = try await OAuthClient(clientKey: "sandbox-client-key", clientSecret: "wrong", baseURL: emulator.baseURL).clientCredentials() } throws: {
            ($0 as? TikTokError)?.kind == .oauth(.invalidClient)
        }
    }

    @Test func inspectionOverHTTPShowsUploadsAndHashes() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let file = try await sample(100_000)
        _ = try await client(emulator).publishDraft(file: file, options: quick)
        let response = try await httpClientTransport().send(TikTokHTTPRequest(method: .get, url: emulator.baseURL.appendingPathComponent("__sandbox/uploads")))
        let json = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        let uploads = try #require(json?["uploads"] as? [[String: Any]])
        #expect(uploads.first?["sha256"] as? String == SHA256.hash(try Data(contentsOf: file)).hexString)
        #expect((uploads.first?["chunks"] as? [[String: Any]])?.first?["contentRange"] as? String == "bytes 0-99999/100000")
        #expect((json?["requestCount"] as? Int ?? 0) >= 3)
    }

    @Test func seededFaultsOnAnEndpointAreSurvivedByPolling() async throws {
        let emulator = try TikTokEmulator(configuration: .init(
            accessToken: "t", chunkFaultRate: 0.3, endpointFaultRates: ["/v2/post/publish/status/fetch/": 0.5], seed: 7,
            hashUploads: false))
        let options = UploadOptions(retryPolicy: UploadRetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                                    statusPolling: StatusPolling(initialInterval: .milliseconds(5), maxInterval: .milliseconds(20)))
        let client = TikTokClient(accessToken: "t", transport: httpClientTransport(stallTimeout: .seconds(5)),
                                  configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
        let file = try await sample(70_000_000)
        let result = try await client.publishDraft(file: file, options: options)
        #expect(result.status == .sendToUserInbox)
        let upload = try #require(emulator.allUploads.first)
        #expect(upload.chunks.count > upload.chunkCount, "some chunk PUTs met faults and were retried")
        #expect(upload.receivedBytes == 70_000_000)
        #expect(upload.violations.isEmpty)
    }
}
