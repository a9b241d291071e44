import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

/// No error text and no log line may contain a credential, whatever TikTok or a proxy echoes back.
@Suite("Secret hygiene")
struct SecretHygieneTests {
    private let secrets = [Fixture.accessToken, Fixture.refreshToken, Fixture.clientSecret, Fixture.uploadToken,
                           "TEST-ACCESS-TOKEN", "TEST-REFRESH-TOKEN", "TEST-CLIENT-SECRET", "TEST-UPLOAD-TOKEN"]

    private func texts(of error: any Error) -> [String] {
        var dumped = ""
        dump(error, to: &dumped)
        return [String(describing: error), String(reflecting: error), error.localizedDescription, dumped]
            + ((error as? TikTokError).map { [$0.message, $0.advice, $0.responseExcerpt ?? "", $0.debugDescription] } ?? [])
    }

    @Test func credentialsOfAnyShapeAreRemovedFromEchoedMessages() async throws {
        let token = "plainBackendToken7777"
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/",
                     .json(status: 400, #"{"error":{"code":"invalid_param","message":"bad token \#(token) in header","log_id":"L"}}"#))
        fake.enqueue(.post, "/v2/oauth/token/",
                     .json(#"{"error":"invalid_grant","error_description":"grant plainRefresh8888 with secret plainSecret9999 refused","log_id":"L"}"#))
        let client = TikTokClient(accessToken: token, transport: fake, configuration: .init(rateLimitPolicy: .disabled))
        var texts: [String] = []
        do { _ = try await client.creatorInfo() } catch { texts += self.texts(of: error) }
        do {
            _ = try await client.oauth(clientKey: "k", clientSecret: "plainSecret9999").refresh(refreshToken: "plainRefresh8888")
        } catch { texts += self.texts(of: error) }
        #expect(texts.count > 4)
        for text in texts {
            for secret in [token, "plainRefresh8888", "plainSecret9999"] {
                #expect(!text.contains(secret), "leaked \(secret) in: \(text)")
            }
        }
    }

    @Test func serverTextCannotDriveTheTerminal() async throws {
        // An escape sequence that would clear the screen and a right-to-left override, from the
        // API's error message and from a FAILED status's fail_reason.
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/",
                     .json(status: 400, #"{"error":{"code":"invalid_param","message":"bad \u001b[2J\u001b]0;owned\u0007 \u202Eevil","log_id":"L"}}"#))
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(#"{"data":{"status":"FAILED","fail_reason":"x\u001b[31mred\u009b"},"error":{"code":"ok","message":"","log_id":"L"}}"#))
        let client = TikTokClient(accessToken: "t", transport: fake, configuration: .init(rateLimitPolicy: .disabled))
        var texts: [String] = []
        do { _ = try await client.creatorInfo() } catch { texts += self.texts(of: error) }
        do {
            _ = try await client.waitForPublish(publishID: "v_inbox_file~v2.1")
        } catch { texts += self.texts(of: error) }
        #expect(texts.count > 4)
        for text in texts.filter({ $0.contains("bad") || $0.contains("red") }) {
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E },
                    "control characters in: \(text.debugDescription)")
        }
        #expect(texts.contains { $0.contains("\\u{1B}[2J") }, "shown as a visible escape")
    }

    @Test func errorsAndLogsNeverContainCredentials() async throws {
        let lines = LockedLines()
        let fake = FakeTransport()
        let echo = "token \(Fixture.accessToken) refresh \(Fixture.refreshToken) secret client_secret=\(Fixture.clientSecret) url ?upload_token=\(Fixture.uploadToken)"
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/",
                     .json(status: 401, #"{"error":{"code":"access_token_invalid","message":"\#(echo)","log_id":"L"}}"#),
                     .response(TikTokHTTPResponse(status: 502, body: Data("upstream said Bearer \(Fixture.accessToken) and \(echo)".utf8))),
                     .response(TikTokHTTPResponse(status: 200, body: Data(#"{"access_token":"\#(Fixture.accessToken)","refresh_token":"\#(Fixture.refreshToken)"}"#.utf8))),
                     .error(TransportError(.connectionReset, "reset",
                                           method: .put, url: URL(string: "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=\(Fixture.uploadToken)")!)))
        fake.enqueue(.post, "/v2/oauth/token/",
                     .json(#"{"error":"invalid_grant","error_description":"refresh_token=\#(Fixture.refreshToken) is invalid","log_id":"L"}"#))
        let client = Fixture.client(fake, logger: { lines.append($0) })
        var errors: [any Error] = []
        for _ in 0..<4 {
            do { _ = try await client.creatorInfo() } catch { errors.append(error) }
        }
        do {
            _ = try await client.oauth(clientKey: "k", clientSecret: Fixture.clientSecret).refresh(refreshToken: Fixture.refreshToken)
        } catch { errors.append(error) }
        #expect(errors.count == 5)

        let start = PublishInit(publishID: "v_pub_file~v2-1.1",
                                uploadURL: "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=\(Fixture.uploadToken)")
        var everything = errors.flatMap(texts) + lines.all + [start.description, String(reflecting: start)]
        everything.append(String(describing: client.oauth(clientKey: "k", clientSecret: Fixture.clientSecret)))
        everything.append(String(describing: StaticTokenProvider(Fixture.accessToken)))
        #expect(!lines.all.isEmpty)
        for text in everything {
            for secret in secrets {
                #expect(!text.contains(secret), "leaked \(secret) in: \(text)")
            }
        }
    }
}

/// `dump`, a debugger's `po`, a crash reporter and a failing `#expect` all print a value through its
/// mirror, not its `description`: every public value that holds a credential must redact both.
@Suite("Secrets in printed values")
struct PrintedValueTests {
    private static let token = "act.PRINTED-ACCESS-TOKEN"
    private static let refresh = "rft.PRINTED-REFRESH-TOKEN"
    private static let secret = "PRINTED-CLIENT-SECRET"
    private static let verifier = String(repeating: "PRINTEDVERIFIER", count: 4)

    private static func printed(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped]
    }

    private static var tokens: StoredTokens {
        StoredTokens(accessToken: token, accessTokenExpiresAt: Date(timeIntervalSince1970: 2_000_000_000),
                     refreshToken: refresh, refreshTokenExpiresAt: nil)
    }

    private static var values: [(String, Any)] {
        let oauth = OAuthClient(clientKey: "ck", clientSecret: secret)
        let refreshing = RefreshingTokenProvider(tokens: tokens) { try await oauth.refresh(refreshToken: $0) }
        let pkce = try! PKCE(verifier: verifier)   // swiftlint:disable:this force_try
        return [
            ("StaticTokenProvider", StaticTokenProvider(token, openID: "open-1")),
            ("TikTokClient(accessToken:)", TikTokClient(accessToken: token)),
            ("OAuthClient", oauth),
            ("RefreshingTokenProvider", refreshing),
            ("TikTokClient(tokenProvider:)", TikTokClient(tokenProvider: refreshing)),
            ("StoredTokens", tokens),
            ("WebhookVerifier", WebhookVerifier(clientSecret: secret)),
            ("PKCE", pkce),
            ("AuthorizationRequest", AuthorizationRequest(clientKey: "ck", scopes: ["video.upload"],
                                                          redirectURI: "https://app.example/cb", state: "s", pkce: pkce)),
            ("TikTokHTTPRequest", TikTokHTTPRequest(method: .post, url: URL(string: "https://open.tiktokapis.com/v2/x/")!,
                                                    headers: ["Authorization": "Bearer \(token)"])),
            ("TikTokHTTPHeaders", ["Authorization": "Bearer \(token)", "Cookie": "s=\(refresh)"] as TikTokHTTPHeaders),
            ("TikTokHTTPResponse", TikTokHTTPResponse(status: 200, headers: ["Set-Cookie": "session=\(token)"])),
        ]
    }

    @Test(arguments: values.map(\.0))
    func printingAValueShowsNoCredential(_ name: String) throws {
        let value = try #require(Self.values.first { $0.0 == name }?.1)
        let texts = Self.printed(value)
        // A byte array dumps one decimal per line: the secret's first bytes, in order.
        let secretBytes = Array(Self.secret.utf8).prefix(6).map { "- \($0)" }.joined(separator: "\n")
        let credentials = ["access token": Self.token, "refresh token": Self.refresh, "client secret": Self.secret,
                           "PKCE verifier": "PRINTEDVERIFIER", "client secret's bytes": secretBytes]
        for text in texts {
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
            // Names what leaked, never the text itself: this test's own output must not print it.
            let leaked = credentials.filter { lines.contains($0.value) }.map(\.key).sorted()
            #expect(leaked.isEmpty, "\(name) prints its \(leaked.joined(separator: ", "))")
        }
        #expect(texts[2].contains("<redacted>") || texts[2].contains("TikTokClient"), "\(name)'s dump says what it left out")
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
