import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// The emulator's OAuth is as strict as TikTok's: PKCE checked (hex, as TikTok's desktop flow),
/// `redirect_uri` matched, codes single-use and short-lived, tokens with exactly the granted
/// scopes that expire, rotate on refresh and end on revoke. Driven through the SDK's own
/// `AuthorizationRequest` and `OAuthClient`, over HTTP.
@Suite("Emulator OAuth")
struct OAuthEmulatorTests {
    private static let redirect = "http://127.0.0.1:9/callback/"

    private func oauth(_ emulator: TikTokEmulator) -> OAuthClient {
        OAuthClient(clientKey: "sandbox-client-key", clientSecret: "sandbox-client-secret", baseURL: emulator.baseURL)
    }

    private func api(_ emulator: TikTokEmulator, _ token: String) -> TikTokClient {
        TikTokClient(accessToken: token, configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
    }

    /// Opens the authorize page as a browser would and reads the callback it redirects to.
    private func authorize(_ emulator: TikTokEmulator, scopes: [String] = ["user.info.basic", "video.upload"],
                           pkce: PKCE? = PKCE()) async throws -> AuthorizationRequest.Callback {
        let request = AuthorizationRequest(clientKey: "sandbox-client-key", scopes: scopes, redirectURI: Self.redirect, pkce: pkce,
                                           authorizeURL: emulator.baseURL.appendingPathComponent("v2/auth/authorize/"))
        let answer = try await httpClientTransport().send(TikTokHTTPRequest(method: .get, url: request.url))
        #expect(answer.status == 302)
        return try request.callback(from: try #require(answer.headers["Location"].flatMap(URL.init(string:))))
    }

    private func oauthError(_ code: OAuthErrorCode) -> @Sendable (any Error) -> Bool {
        { ($0 as? TikTokError)?.kind == .oauth(code) }
    }

    @Test func thePKCEVerifierIsCheckedAgainstAHexChallenge() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let pkce = PKCE()
        let wrong = try await authorize(emulator, pkce: pkce)
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: wrong.code, redirectURI: Self.redirect, codeVerifier: PKCE().verifier) },
                      throws: oauthError(.invalidRequest))
        let missing = try await authorize(emulator, pkce: pkce)
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: missing.code, redirectURI: Self.redirect, codeVerifier: nil) },
                      throws: oauthError(.invalidRequest))
        let right = try await authorize(emulator, pkce: pkce)
        _ = try await oauth(emulator).exchange(code: right.code, redirectURI: Self.redirect, codeVerifier: pkce.verifier)

        // TikTok's best-known trap: an RFC 7636 base64url challenge fails at the exchange.
        let rfc = PKCE(encoding: .base64URL)
        let trap = try await authorize(emulator, pkce: rfc)
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: trap.code, redirectURI: Self.redirect, codeVerifier: rfc.verifier) },
                      throws: oauthError(.invalidRequest))
        // Accepted only where it is switched on (as TikTok's web flow may).
        var lenient = TikTokEmulator.Configuration(accessToken: "t")
        lenient.acceptedPKCEEncodings = [.hex, .base64URL]
        let web = try TikTokEmulator(configuration: lenient)
        let code = try await authorize(web, pkce: rfc)
        _ = try await oauth(web).exchange(code: code.code, redirectURI: Self.redirect, codeVerifier: rfc.verifier)
        // Without a challenge (a web app without PKCE) no verifier is needed, unless PKCE is required.
        let plain = try await authorize(emulator, pkce: nil)
        _ = try await oauth(emulator).exchange(code: plain.code, redirectURI: Self.redirect, codeVerifier: nil)
        var strict = TikTokEmulator.Configuration(accessToken: "t")
        strict.requirePKCE = true
        await #expect(performing: { _ = try await authorize(try TikTokEmulator(configuration: strict), pkce: nil) },
                      throws: oauthError(.invalidRequest))
    }

    @Test func aCodeWorksOnceWithItsRedirectURIAndExpires() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let first = try await authorize(emulator, pkce: nil)
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: first.code, redirectURI: "https://other.example/", codeVerifier: nil) },
                      throws: oauthError(.invalidRequest))
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: first.code, redirectURI: Self.redirect, codeVerifier: nil) },
                      throws: oauthError(.invalidGrant))   // a failed exchange used it up
        let second = try await authorize(emulator, pkce: nil)
        _ = try await oauth(emulator).exchange(code: second.code, redirectURI: Self.redirect, codeVerifier: nil)
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: second.code, redirectURI: Self.redirect, codeVerifier: nil) },
                      throws: oauthError(.invalidGrant))
        let late = try await authorize(emulator, pkce: nil)
        emulator.advanceClock(by: .seconds(301))
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: late.code, redirectURI: Self.redirect, codeVerifier: nil) },
                      throws: oauthError(.invalidGrant))
        await #expect(performing: { _ = try await oauth(emulator).exchange(code: "sandbox-code-made-up", redirectURI: Self.redirect, codeVerifier: nil) },
                      throws: oauthError(.invalidGrant))
    }

    @Test func tokensCarryExactlyTheScopesGranted() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t")
        configuration.declinedScopes = ["video.publish"]
        let emulator = try TikTokEmulator(configuration: configuration)
        let callback = try await authorize(emulator, scopes: ["video.upload", "video.publish"], pkce: nil)
        #expect(callback.grantedScopes == ["video.upload"], "the user left video.publish unticked")
        let tokens = try await oauth(emulator).exchange(code: callback.code, redirectURI: Self.redirect, codeVerifier: nil)
        #expect(tokens.scopes == ["video.upload"])
        let client = api(emulator, tokens.accessToken)
        _ = try await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        await #expect { _ = try await client.creatorInfo() } throws: { ($0 as? TikTokError)?.kind == .api(.scopeNotAuthorized) }
        await #expect { _ = try await client.userInfo() } throws: { ($0 as? TikTokError)?.kind == .api(.scopeNotAuthorized) }
        // A refresh keeps the grant as it was.
        let refreshed = try await oauth(emulator).refresh(refreshToken: try #require(tokens.refreshToken))
        #expect(refreshed.scopes == ["video.upload"])
    }

    @Test func accessTokensExpireRefreshRotatesAndRevokeEndsTheConsent() async throws {
        var configuration = TikTokEmulator.Configuration(accessToken: "t")
        configuration.accessTokenLifetime = .seconds(600)
        let emulator = try TikTokEmulator(configuration: configuration)
        let callback = try await authorize(emulator, pkce: nil)
        let tokens = try await oauth(emulator).exchange(code: callback.code, redirectURI: Self.redirect, codeVerifier: nil)
        #expect(tokens.expiresIn == 600)
        _ = try await api(emulator, tokens.accessToken).userInfo()
        emulator.advanceClock(by: .seconds(601))
        await #expect { _ = try await api(emulator, tokens.accessToken).userInfo() } throws: {
            ($0 as? TikTokError)?.kind == .api(.accessTokenInvalid) && ($0 as? TikTokError)?.httpStatus == 401
        }
        _ = try await api(emulator, "t").userInfo()   // configured tokens never expire
        let rotated = try await oauth(emulator).refresh(refreshToken: try #require(tokens.refreshToken))
        #expect(rotated.refreshToken != tokens.refreshToken)
        _ = try await api(emulator, rotated.accessToken).userInfo()
        await #expect(performing: { _ = try await oauth(emulator).refresh(refreshToken: try #require(tokens.refreshToken)) },
                      throws: oauthError(.invalidGrant))   // the old refresh token stopped working

        try await oauth(emulator).revoke(accessToken: rotated.accessToken)
        await #expect { _ = try await api(emulator, rotated.accessToken).userInfo() } throws: {
            ($0 as? TikTokError)?.kind == .api(.accessTokenInvalid)
        }
        await #expect(performing: { _ = try await oauth(emulator).refresh(refreshToken: try #require(rotated.refreshToken)) },
                      throws: oauthError(.invalidGrant))   // revoke ended the whole consent

        // Refresh tokens expire too.
        let other = try await oauth(emulator).exchange(code: try await authorize(emulator, pkce: nil).code, redirectURI: Self.redirect, codeVerifier: nil)
        emulator.advanceClock(by: .seconds(15_552_001))
        await #expect(performing: { _ = try await oauth(emulator).refresh(refreshToken: try #require(other.refreshToken)) },
                      throws: oauthError(.invalidGrant))
    }

    @Test func theClientSecretMustBeSentAndRight() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        await #expect(performing: {
            _ = try await OAuthClient(clientKey: "sandbox-client-key", clientSecret: "wrong", baseURL: emulator.baseURL).clientCredentials()
        }, throws: oauthError(.invalidClient))
        await #expect(performing: {
            _ = try await OAuthClient(clientKey: "other-key", clientSecret: "sandbox-client-secret", baseURL: emulator.baseURL).clientCredentials()
        }, throws: oauthError(.invalidClient))
        let credentials = try await oauth(emulator).clientCredentials()
        #expect(credentials.accessToken.hasPrefix("clt."))
        await #expect { _ = try await api(emulator, credentials.accessToken).creatorInfo() } throws: {
            ($0 as? TikTokError)?.kind == .api(.scopeNotAuthorized)   // not a user token
        }
    }
}
