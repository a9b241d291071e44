import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// The emulator checks an init body as TikTok does, sent raw (the SDK's own checks would stop
/// most of these before the network): photo posts' mode, cover, lengths and images, and a direct
/// video's post info.
@Suite("Emulator init validation")
struct PostValidationTests {
    /// POSTs `body` to `path` and returns the HTTP status and `error.code`.
    private func post(_ emulator: TikTokEmulator, _ path: String, _ body: [String: Any]) async throws -> (Int, String?) {
        var request = TikTokHTTPRequest(method: .post, url: emulator.baseURL.appendingPathComponent(path),
                                  body: .bytes(try JSONSerialization.data(withJSONObject: body)))
        request.headers["Authorization"] = "Bearer t"
        request.headers["Content-Type"] = "application/json; charset=UTF-8"
        let response = try await httpClientTransport().send(request)
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        return (response.status, (object?["error"] as? [String: Any])?["code"] as? String)
    }

    private static let content = "v2/post/publish/content/init/"

    private func photo(_ emulator: TikTokEmulator, mode: Any? = "DIRECT_POST", images: [String]? = nil, cover: Any? = 0,
                       title: String? = nil, description: String? = nil) -> [String: Any] {
        var source: [String: Any] = ["source": "PULL_FROM_URL", "photo_images": images ?? [emulator.baseURL.absoluteString + "/files/a.jpg"]]
        source["photo_cover_index"] = cover
        var post: [String: Any] = ["privacy_level": "SELF_ONLY"]
        post["title"] = title
        post["description"] = description
        var body: [String: Any] = ["media_type": "PHOTO", "source_info": source, "post_info": post]
        body["post_mode"] = mode
        return body
    }

    @Test func photoPostsAreCheckedAsTikTokSays() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", enforceRateLimits: false))
        let invalid = (400, Optional("invalid_params"))
        #expect(try await post(emulator, Self.content, photo(emulator)) == (200, "ok"))
        #expect(try await post(emulator, Self.content, photo(emulator, mode: "MEDIA_UPLOAD")) == (200, "ok"))
        #expect(try await post(emulator, Self.content, photo(emulator, mode: nil)) == invalid, "post_mode is required")
        #expect(try await post(emulator, Self.content, photo(emulator, mode: "DIRECT POST")) == invalid, "the prose's spelling is not a mode")
        #expect(try await post(emulator, Self.content, photo(emulator, cover: nil)) == invalid, "photo_cover_index is required")
        #expect(try await post(emulator, Self.content, photo(emulator, cover: 1)) == invalid, "one image: index 0 only")
        #expect(try await post(emulator, Self.content, photo(emulator, cover: 0.5)) == invalid)
        // 90 and 4000 UTF-16 units: an emoji is two.
        #expect(try await post(emulator, Self.content, photo(emulator, title: String(repeating: "😀", count: 45))) == (200, "ok"))
        #expect(try await post(emulator, Self.content, photo(emulator, title: String(repeating: "😀", count: 45) + "x")) == invalid)
        #expect(try await post(emulator, Self.content, photo(emulator, mode: "MEDIA_UPLOAD", title: String(repeating: "a", count: 91))) == invalid,
                "the limit holds for drafts too")
        #expect(try await post(emulator, Self.content, photo(emulator, description: String(repeating: "d", count: 4000))) == (200, "ok"))
        #expect(try await post(emulator, Self.content, photo(emulator, description: String(repeating: "d", count: 4001))) == invalid)
        let served = emulator.baseURL.absoluteString + "/files/a.jpg"
        #expect(try await post(emulator, Self.content, photo(emulator, images: [])) == invalid)
        #expect(try await post(emulator, Self.content, photo(emulator, images: Array(repeating: served, count: 36))) == invalid)
        #expect(try await post(emulator, Self.content, photo(emulator, images: Array(repeating: served, count: 35))) == (200, "ok"))
        #expect(try await post(emulator, Self.content, photo(emulator, images: ["http://media.example.com/a.jpg"]))
                == (403, "url_ownership_unverified"), "https only")
        var media = photo(emulator)
        media["media_type"] = "VIDEO"
        #expect(try await post(emulator, Self.content, media) == invalid)
    }

    @Test func aDirectVideoNeedsPostInfoAndATitleOfAtMost2200Units() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", enforceRateLimits: false))
        let source: [String: Any] = ["source": "FILE_UPLOAD", "video_size": 1000, "chunk_size": 1000, "total_chunk_count": 1]
        let path = "v2/post/publish/video/init/"
        #expect(try await post(emulator, path, ["source_info": source]) == (400, "invalid_params"))
        #expect(try await post(emulator, path, ["source_info": source, "post_info": [String: Any]()]) == (403, "privacy_level_option_mismatch"))
        let long = String(repeating: "😀", count: 1100)
        #expect(try await post(emulator, path, ["source_info": source, "post_info": ["privacy_level": "SELF_ONLY", "title": long]]) == (200, "ok"))
        #expect(try await post(emulator, path, ["source_info": source, "post_info": ["privacy_level": "SELF_ONLY", "title": long + "x"]])
                == (400, "invalid_params"))
        // The inbox takes no post_info.
        #expect(try await post(emulator, "v2/post/publish/inbox/video/init/", ["source_info": source]) == (200, "ok"))
        #expect(emulator.initRequestCount == 2)
    }
}
