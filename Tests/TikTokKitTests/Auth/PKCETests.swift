import Foundation
import Testing
import TikTokKit

@Suite("PKCE and the authorization URL")
struct PKCETests {
    @Test func hexChallengeMatchesTikToksTestVector() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3")
        #expect(pkce.method == "S256")
    }

    @Test func base64URLChallengeIsOptInAndMatchesRFC7636() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", encoding: .base64URL)
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test(arguments: [43, 64, 128, 10, 500])
    func generatedVerifiersUseTheRFCAlphabetAndLength(length: Int) {
        let pkce = PKCE(length: length)
        #expect((43...128).contains(pkce.verifier.count))
        #expect(pkce.verifier.allSatisfy { PKCE.verifierAlphabet.contains($0) })
        #expect(pkce.challenge.count == 64)
    }

    @Test func generatedVerifiersDiffer() {
        let verifiers = Set((0..<50).map { _ in PKCE().verifier })
        #expect(verifiers.count == 50)
    }

    @Test(arguments: ["short", String(repeating: "a", count: 129), String(repeating: "a", count: 42) + "!"])
    func badVerifiersAreRefused(verifier: String) {
        #expect(throws: TikTokError.self) { try PKCE(verifier: verifier) }
    }

    @Test func descriptionNeverShowsTheVerifier() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(!pkce.description.contains(pkce.verifier))
    }

    @Test func authorizationURLCarriesEveryParameter() throws {
        let pkce = try PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let request = AuthorizationRequest(clientKey: "aw123", scopes: ["user.info.basic", "video.upload", "video.publish"],
                                           redirectURI: "http://127.0.0.1:8123/callback/", state: "st-1", pkce: pkce)
        let components = try #require(URLComponents(url: request.url, resolvingAgainstBaseURL: false))
        #expect(components.scheme == "https")
        #expect(components.host == "www.tiktok.com")
        #expect(components.path == "/v2/auth/authorize/")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items == [
            "client_key": "aw123",
            "scope": "user.info.basic,video.upload,video.publish",
            "redirect_uri": "http://127.0.0.1:8123/callback/",
            "state": "st-1",
            "response_type": "code",
            "code_challenge": "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3",
            "code_challenge_method": "S256",
        ])
        // Reserved characters are percent-encoded in the raw query.
        #expect(components.percentEncodedQuery?.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A8123%2Fcallback%2F") == true)
        #expect(components.percentEncodedQuery?.contains("scope=user.info.basic%2Cvideo.upload%2Cvideo.publish") == true)
    }

    @Test func generatedStateIsRandom() {
        let first = AuthorizationRequest(clientKey: "k", scopes: [], redirectURI: "r")
        let second = AuthorizationRequest(clientKey: "k", scopes: [], redirectURI: "r")
        #expect(first.state != second.state)
        #expect(first.state.count >= 43)
    }

    @Test func callbackIsParsedWhenStateMatches() throws {
        let request = AuthorizationRequest(clientKey: "k", scopes: ["video.upload"], redirectURI: "http://127.0.0.1:1/cb", state: "s1")
        let callback = try request.callback(from: URL(string: "http://127.0.0.1:1/cb?code=abc%2A123&scopes=user.info.basic%2Cvideo.upload&state=s1")!)
        #expect(callback.code == "abc*123")
        #expect(callback.grantedScopes == ["user.info.basic", "video.upload"])
    }

    @Test func callbackWithWrongStateIsRefused() {
        let request = AuthorizationRequest(clientKey: "k", scopes: [], redirectURI: "r", state: "expected")
        #expect {
            try request.callback(from: URL(string: "http://127.0.0.1:1/cb?code=abc&state=forged")!)
        } throws: { ($0 as? TikTokError)?.kind == .validation(field: "state") }
    }

    @Test func callbackErrorIsSurfaced() {
        let request = AuthorizationRequest(clientKey: "k", scopes: [], redirectURI: "r", state: "s")
        do {
            _ = try request.callback(from: URL(string: "http://127.0.0.1:1/cb?error=access_denied&error_description=User%20denied&state=s")!)
            Issue.record("expected an error")
        } catch let error as TikTokError {
            #expect(error.kind == .oauth(.accessDenied))
            #expect(error.message == "User denied")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
