import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

/// A PULL_FROM_URL source is a `MediaURL`: https (or loopback http, for the sandbox), never a
/// local file, checked before any call to TikTok.
@Suite("MediaURL")
struct MediaURLTests {
    @Test(arguments: ["file:///tmp/clip.mp4", "http://media.example.com/v.mp4", "ftp://media.example.com/v.mp4",
                      "https:///no-host.mp4", "media.example.com/v.mp4"])
    func refusesWhatTikTokCannotPull(_ text: String) {
        #expect { _ = try MediaURL(string: text) } throws: { ($0 as? TikTokError)?.kind == .validation(field: "url") }
    }

    @Test func aLocalFileIsToldToUseFileUpload() {
        #expect {
            _ = try MediaURL(URL(fileURLWithPath: "/tmp/clip.mp4"))
        } throws: { ($0 as? TikTokError)?.message.contains("publishVideo(file:post:)") == true }
    }

    @Test func acceptsHTTPSAndTheLoopbackSandboxAndHidesTheQuery() throws {
        let signed = try MediaURL(string: "https://media.example.com/v.mp4?signature=secret")
        #expect(signed.url.absoluteString == "https://media.example.com/v.mp4?signature=secret")
        #expect(!signed.description.contains("secret"))
        _ = try MediaURL(string: "http://127.0.0.1:8080/files/v.mp4")
    }

    @Test func badPostSettingsFailBeforeAnyCall() async throws {
        let fake = FakeTransport()
        let source = try MediaURL(string: "https://media.example.com/v.mp4")
        await #expect(throws: TikTokError.self) {
            _ = try await Fixture.client(fake).publishVideo(pullingFrom: source,
                                                            post: VideoPostInfo(title: String(repeating: "x", count: 2201), privacyLevel: .selfOnly))
        }
        #expect(fake.requests.isEmpty, "not even creator info")
    }
}
