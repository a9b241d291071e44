import Foundation
import Testing
import TikTokKit
@testable import TikTokSandbox

/// Which PULL_FROM_URL and photo URLs the sandbox takes as the app's own, as TikTok's portal
/// verifies them: a URL prefix, or a domain with its subdomains.
@Suite("Verified URL properties")
struct URLVerificationTests {
    @Test(arguments: [
        ("https://cdn.example.net/videos/a.mp4", true),
        ("https://cdn.example.net/videos/../private/a.mp4", false),   // not under the prefix once resolved
        ("https://cdn.example.net/private/a.mp4", false),
        ("https://cdn.example.net/videos/%2e%2e/private/a.mp4", false),   // %2e is a dot too
        ("https://cdn.example.net/videos/.%2E/private/a.mp4", false),
        ("http://cdn.example.net/videos/a.mp4", false),               // https only
        ("https://static.example.com/a.mp4", true),                   // the verified domain
        ("https://video.static.example.com/a/b.mp4", true),           // and its subdomains
        ("https://VIDEO.Static.Example.com/a.mp4", true),             // hosts are case-insensitive
        ("https://example.com/a.mp4", false),                         // not its parent
        ("https://evilstatic.example.com/a.mp4", false),              // nor a look-alike
        ("https://static.example.com.evil.net/a.mp4", false),
    ])
    func aURLIsVerifiedByPrefixOrDomain(_ url: String, verified: Bool) throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t", verifiedURLPrefixes: ["https://cdn.example.net/videos/"])
        configuration.verifiedDomains = ["static.example.com"]
        let emulator = try TikTokEmulator(configuration: configuration)
        defer { emulator.shutdown() }
        #expect(emulator.isVerified(url) == verified, "\(url)")
    }
}
