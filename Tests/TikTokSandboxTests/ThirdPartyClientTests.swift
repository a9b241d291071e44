import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// What a client not built on TikTokKit sends, found by running one (curl and Python, written from
/// TikTok's docs) against the sandbox: the sandbox must refuse what TikTok refuses and take what
/// TikTok takes, and say why when it refuses.
@Suite("Third-party clients")
struct ThirdPartyClientTests {
    private func client(_ emulator: TikTokEmulator) -> TikTokClient {
        TikTokClient(accessToken: "t", transport: httpClientTransport(),
                     configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
    }

    private func put(_ url: URL, range: String, bytes: Int = 1000) async throws -> TikTokHTTPResponse {
        try await httpClientTransport().send(TikTokHTTPRequest(method: .put, url: url,
                                                               headers: ["Content-Type": "video/mp4", "Content-Range": range],
                                                               body: .bytes(Data(count: bytes))))
    }

    private func draft(_ emulator: TikTokEmulator, size: Int64 = 1000) async throws -> URL {
        let start = try await client(emulator).initInboxVideo(.fileUpload(videoSize: size, chunkSize: size, totalChunkCount: 1))
        return try #require(start.uploadURL.flatMap(URL.init(string:)))
    }

    /// The upload URL is the credential: a PUT that dropped or replaced its `upload_token` is
    /// refused (403, with the reason in `X-Sandbox-Reason`), and the exact URL still works after.
    @Test(arguments: ["missing", "forged"])
    func aChunkWithoutTheUploadTokenIsRefused(_ how: String) async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let url = try await draft(emulator)
        var components = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false))
        components.queryItems = components.queryItems?.compactMap { item in
            item.name != "upload_token" ? item : how == "forged" ? URLQueryItem(name: "upload_token", value: "sandbox-guess") : nil
        }
        let refused = try await put(try #require(components.url), range: "bytes 0-999/1000")
        #expect(refused.status == 403)
        #expect(refused.headers["X-Sandbox-Reason"]?.contains("upload_token") == true)
        #expect(emulator.allUploads.first?.violations.contains { $0.contains("upload_token") } == true)
        #expect(try await put(url, range: "bytes 0-999/1000").status == 201)
    }

    /// TikTok's guide writes `bytes FIRST-LAST/TOTAL`; a client that writes it otherwise must not
    /// pass here and fail at TikTok.
    @Test(arguments: ["bytes=0-999/1000", "BYTES 0-999/1000", "bytes  0-999/1000", "bytes 0-999/999", "bytes 0-999/*",
                      "bytes 0-999", "bytes +0-999/1000", "bytes 0-1000/1000", "bytes 999-0/1000", "0-999/1000"])
    func aMalformedContentRangeIsRefused(_ range: String) async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let url = try await draft(emulator)
        let refused = try await put(url, range: range)
        #expect(refused.status == 416, "\(range)")
        #expect(refused.headers["Content-Range"] == "bytes */1000")
        #expect(refused.headers["X-Sandbox-Reason"]?.contains("bytes FIRST-LAST/1000") == true)
        #expect(try await put(url, range: "bytes 0-999/1000").status == 201)
    }

    /// Python's requests sends a generator body chunked: accepted, as Testing.md says, and
    /// recorded as a violation; a chunked body longer than its range counts for nothing.
    @Test(arguments: [1000, 1200])
    func aChunkedBodyIsTakenWhenItMatchesItsRange(_ sent: Int) async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let url = try await draft(emulator)
        let target = url.path + "?" + (url.query ?? "")
        let body = Data(repeating: 0x41, count: sent)
        let raw = try RawClient(port: UInt16(try #require(url.port)))
        try await raw.send("PUT \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: video/mp4\r\n"
                           + "Content-Range: bytes 0-999/1000\r\nTransfer-Encoding: chunked\r\n\r\n"
                           + String(sent, radix: 16) + "\r\n")
        try await raw.send(body)
        try await raw.send("\r\n0\r\n\r\n")
        let response = try await raw.receiveResponse()
        let upload = try #require(emulator.allUploads.first)
        if sent == 1000 {
            #expect(response.status == 201)
            #expect(upload.receivedBytes == 1000)
        } else {
            #expect(response.status == 416)
            #expect(upload.receivedBytes == 0)
            #expect(try await put(url, range: "bytes 0-999/1000").status == 201)
        }
        #expect(upload.violations.contains { $0.contains("Transfer-Encoding: chunked") })
    }

    /// Every answer carries a log_id of its own, errors included.
    @Test func everyInvalidPublishIDAnswerHasItsOwnLogID() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        var logIDs: Set<String> = []
        for id in ["v_inbox_file~v2.nope1", "v_inbox_file~v2.nope2", "v_inbox_file~v2.nope3"] {
            let error = try await #require(throws: TikTokError.self) { try await client(emulator).publishStatus(publishID: id) }
            #expect(error.kind == .api(.invalidPublishID))
            logIDs.insert(try #require(error.logID))
        }
        #expect(logIDs.count == 3)
    }

    @Test func revokingWithoutATokenIsAnInvalidRequest() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        var request = TikTokHTTPRequest(method: .post, url: emulator.baseURL.appendingPathComponent("v2/oauth/revoke/"),
                                        headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                        body: .bytes(Data("client_key=sandbox-client-key&client_secret=sandbox-client-secret&token=".utf8)))
        request.timeout = .seconds(10)
        let response = try await httpClientTransport().send(request)
        let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        #expect(body["error"] as? String == "invalid_request")
    }

    /// `fields` is required; every field TikTok documents comes back when asked for.
    @Test func userInfoNeedsFieldsAndHasEveryDocumentedOne() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        // (TikTokKit refuses an empty list itself; a raw client does not.)
        var bare = TikTokHTTPRequest(method: .get, url: emulator.baseURL.appendingPathComponent("v2/user/info/"),
                                     headers: ["Authorization": "Bearer t"])
        bare.timeout = .seconds(10)
        let refused = try await httpClientTransport().send(bare)
        #expect(refused.status == 400)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("invalid_params"))
        let documented = ["open_id", "union_id", "avatar_url", "avatar_url_100", "avatar_large_url", "display_name",
                          "bio_description", "profile_deep_link", "username", "is_verified", "follower_count",
                          "following_count", "likes_count", "video_count"]
        var request = TikTokHTTPRequest(method: .get,
                                        url: try #require(URL(string: "\(emulator.baseURL)/v2/user/info/?fields=\(documented.joined(separator: ","))")),
                                        headers: ["Authorization": "Bearer t"])
        request.timeout = .seconds(10)
        let response = try await httpClientTransport().send(request)
        let data = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])["data"] as? [String: Any]
        let user = try #require(data?["user"] as? [String: Any])
        #expect(Set(user.keys) == Set(documented))
    }

    /// A truncated body is called what it is, not a missing source_info.
    @Test(arguments: [#"{"post_info":"#, "source_info=FILE_UPLOAD", #"["not","an","object"]"#])
    func aBodyThatIsNotJSONIsSaidToBeSo(_ body: String) async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        var request = TikTokHTTPRequest(method: .post, url: emulator.baseURL.appendingPathComponent("v2/post/publish/inbox/video/init/"),
                                        headers: ["Authorization": "Bearer t", "Content-Type": "application/json; charset=UTF-8"],
                                        body: .bytes(Data(body.utf8)))
        request.timeout = .seconds(10)
        let response = try await httpClientTransport().send(request)
        let error = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?["error"] as? [String: Any]
        #expect(response.status == 400)
        #expect(error?["code"] as? String == "invalid_params")
        #expect(error?["message"] as? String == "The request body is not a valid JSON object.")
        #expect(emulator.allUploads.isEmpty)
    }

    /// A chunked body that ran past its range is forgotten, bytes and all: the correct retry of a
    /// real video after a PUT of garbage is checked as the video it is.
    @Test func aRefusedChunkedBodyLeavesNothingBehind() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let video = try await SampleVideo.write(to: scratch.path("clip.mp4"), size: 200_000, durationSeconds: 4)
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let url = try await draft(emulator, size: 200_000)
        let raw = try RawClient(port: UInt16(try #require(url.port)))
        try await raw.send("PUT \(url.path)?\(url.query ?? "") HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: video/mp4\r\n"
                           + "Content-Range: bytes 0-199999/200000\r\nTransfer-Encoding: chunked\r\n\r\n"
                           + String(250_000, radix: 16) + "\r\n")
        try await raw.send(Data(repeating: 0x41, count: 250_000))
        try await raw.send("\r\n0\r\n\r\n")
        #expect(try await raw.receiveResponse().status == 416)

        let retry = try await httpClientTransport().send(TikTokHTTPRequest(
            method: .put, url: url, headers: ["Content-Type": "video/mp4", "Content-Range": "bytes 0-199999/200000"],
            body: .bytes(try Data(contentsOf: video))))
        #expect(retry.status == 201)
        let publishID = try #require(emulator.allUploads.first?.publishID)
        let result = try await client(emulator).waitForPublish(
            publishID: publishID, options: UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(10))))
        #expect(result.status == .sendToUserInbox)
        #expect(emulator.allUploads.first?.sha256 == (try await SampleVideo.sha256(of: video)))
    }

    /// The reason header quotes what the client sent: a bare LF in it cannot split the answer's
    /// headers for a lenient reader.
    @Test func theReasonHeaderCannotBeSplit() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let url = try await draft(emulator)
        let raw = try RawClient(port: UInt16(try #require(url.port)))
        try await raw.send("PUT \(url.path)?\(url.query ?? "") HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           + "Content-Type: text/plain\nX-Injected: yes\r\nContent-Range: bytes 0-999/1000\r\nContent-Length: 1000\r\n\r\n")
        try await raw.send(Data(count: 1000))
        let response = try await raw.receiveResponse()
        #expect(response.status == 400)
        #expect(response.headers["X-Injected"] == nil)
        #expect(response.headers["X-Sandbox-Reason"]?.contains("\n") == false)
        #expect(response.headers["X-Sandbox-Reason"]?.contains("X-Injected: yes") == true)
    }
}
