import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("OAuth token endpoints")
struct OAuthClientTests {
    private let tokenJSON = """
    {"access_token":"act.NEW-ACCESS","expires_in":86400,"open_id":"afd97af1-b87b","refresh_expires_in":31536000,
     "refresh_token":"rft.NEW-REFRESH","scope":"user.info.basic,video.upload","token_type":"Bearer"}
    """

    private func form(_ request: FakeTransport.RecordedRequest) -> [String: String] {
        let text = String(decoding: request.body, as: UTF8.self)
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            result[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    private func oauth(_ fake: FakeTransport) -> OAuthClient {
        OAuthClient(clientKey: "aw123", clientSecret: Fixture.clientSecret, transport: fake)
    }

    @Test func codeExchangeSendsTheFormWithVerifier() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/token/", .json(tokenJSON))
        let tokens = try await oauth(fake).exchange(code: "code*1!", redirectURI: "http://127.0.0.1:8123/callback/",
                                                    codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let request = try #require(fake.requests.first)
        #expect(request.url.absoluteString == "https://open.tiktokapis.com/v2/oauth/token/")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["Authorization"] == nil)
        #expect(form(request) == ["client_key": "aw123", "client_secret": Fixture.clientSecret, "code": "code*1!",
                                  "grant_type": "authorization_code", "redirect_uri": "http://127.0.0.1:8123/callback/",
                                  "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"])
        #expect(tokens.accessToken == "act.NEW-ACCESS")
        #expect(tokens.refreshToken == "rft.NEW-REFRESH")
        #expect(tokens.expiresIn == 86400)
    }

    @Test func plainHTTPBaseURLsAreRefusedExceptOnLoopbackLikeTheAPIClient() async throws {
        let fake = FakeTransport()
        let remote = OAuthClient(clientKey: "aw123", clientSecret: Fixture.clientSecret, transport: fake,
                                 baseURL: URL(string: "http://auth.example.com")!)
        await #expect { _ = try await remote.refresh(refreshToken: "rft.secret") } throws: {
            ($0 as? TikTokError)?.kind == .validation(field: "baseURL")
        }
        await #expect { _ = try await remote.exchange(code: "c", redirectURI: "http://127.0.0.1:1/", codeVerifier: String(repeating: "a", count: 43)) } throws: {
            ($0 as? TikTokError)?.kind == .validation(field: "baseURL")
        }
        #expect(fake.requests.isEmpty, "neither the secret nor the refresh token left the process")
        fake.enqueue(.post, "/v2/oauth/token/", .json(tokenJSON))
        let local = OAuthClient(clientKey: "aw123", clientSecret: Fixture.clientSecret, transport: fake,
                                baseURL: URL(string: "http://127.0.0.1:9")!)
        _ = try await local.refresh(refreshToken: "rft.secret")
        #expect(fake.requests.count == 1)
    }

    @Test func refreshSendsTheRefreshToken() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/token/", .json(tokenJSON))
        _ = try await oauth(fake).refresh(refreshToken: Fixture.refreshToken)
        #expect(form(try #require(fake.requests.first)) == ["client_key": "aw123", "client_secret": Fixture.clientSecret,
                                                            "grant_type": "refresh_token", "refresh_token": Fixture.refreshToken])
    }

    @Test func clientCredentialsReturnsAnAppToken() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/token/", .json(#"{"access_token":"clt.APP","expires_in":7200,"token_type":"Bearer"}"#))
        let tokens = try await oauth(fake).clientCredentials()
        #expect(tokens.accessToken == "clt.APP")
        #expect(tokens.refreshToken == nil)
        #expect(form(try #require(fake.requests.first))["grant_type"] == "client_credentials")
    }

    @Test func revokeSendsTheAccessToken() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/revoke/", .json("{}"))
        try await oauth(fake).revoke(accessToken: Fixture.accessToken)
        #expect(form(try #require(fake.requests.first)) == ["client_key": "aw123", "client_secret": Fixture.clientSecret,
                                                            "token": Fixture.accessToken])
    }

    @Test(arguments: [200, 400])
    func oauthErrorsAreDecidedFromTheBody(status: Int) async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/token/", .json(status: status, """
        {"error":"invalid_request","error_description":"Code verifier or code challenge is invalid.","log_id":"202206221854370101130062072500FFA2"}
        """))
        do {
            _ = try await oauth(fake).exchange(code: "c", redirectURI: "r", codeVerifier: nil)
            Issue.record("expected an error")
        } catch let error as TikTokError {
            #expect(error.kind == .oauth(.invalidRequest))
            #expect(error.message == "Code verifier or code challenge is invalid.")
            #expect(error.logID == "202206221854370101130062072500FFA2")
            #expect(error.httpStatus == status)
            #expect(error.advice.contains("hex SHA-256"))
        }
    }

    @Test func revokeErrorWithHTTP200IsThrown() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/revoke/", .json(#"{"error":"invalid_client","error_description":"Client secret is missed in request.","log_id":"L"}"#))
        await #expect {
            try await oauth(fake).revoke(accessToken: "act.x")
        } throws: { ($0 as? TikTokError)?.kind == .oauth(.invalidClient) }
    }

    @Test func tokensWrappedInDataAreAccepted() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/oauth/token/", .json(#"{"data":\#(tokenJSON)}"#))
        #expect(try await oauth(fake).refresh(refreshToken: "rft.x").accessToken == "act.NEW-ACCESS")
    }

    @Test func descriptionHidesTheSecret() {
        #expect(!OAuthClient(clientKey: "k", clientSecret: Fixture.clientSecret).description.contains(Fixture.clientSecret))
    }

    @Test func tikTokClientSharesItsTransportAndBaseURL() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/api/v2/oauth/token/", .json(tokenJSON))
        let client = TikTokClient(accessToken: "act.x", transport: fake,
                                  configuration: .init(baseURL: URL(string: "http://127.0.0.1:7000/api")!))
        _ = try await client.oauth(clientKey: "k", clientSecret: "s").refresh(refreshToken: "rft.y")
        #expect(fake.requests.first?.url.absoluteString == "http://127.0.0.1:7000/api/v2/oauth/token/")
    }
}
