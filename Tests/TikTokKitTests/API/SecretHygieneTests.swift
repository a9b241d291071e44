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

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
