public import Foundation

/// TikTok's OAuth token endpoints: authorization-code exchange (with PKCE), refresh, revoke and
/// client credentials.
///
/// These calls need the app's **client secret**. Keep it on a server: run `OAuthClient` in your
/// backend, and let apps get tokens from it through a ``TokenProvider`` (see
/// `Documentation/OAuth.md`). A desktop or CLI tool you run yourself may hold it.
///
/// ```swift
/// let oauth = OAuthClient(clientKey: key, clientSecret: secret)
/// let tokens = try await oauth.exchange(code: callback.code, redirectURI: redirect, codeVerifier: pkce.verifier)
/// store(tokens.refreshToken)                // rotated: keep the newest
/// ```
///
/// Success is decided from the body: TikTok may report OAuth errors with HTTP 200.
public struct OAuthClient: Sendable, CustomStringConvertible, CustomReflectable {
    /// The app's client key.
    public let clientKey: String
    private let clientSecret: String
    /// The transport requests go through.
    public let transport: any Transport
    /// Where the API lives; default `https://open.tiktokapis.com`.
    public let baseURL: URL

    /// Creates an OAuth client.
    public init(clientKey: String, clientSecret: String, transport: (any Transport)? = nil,
                baseURL: URL = TikTokClient.Configuration.productionBaseURL) {
        self.clientKey = clientKey
        self.clientSecret = clientSecret
        self.transport = transport ?? TikTokClient.defaultTransport
        self.baseURL = baseURL
    }

    /// Exchanges an authorization code for tokens.
    /// - Parameters:
    ///   - code: From the callback (already URL-decoded).
    ///   - redirectURI: Exactly the one used in the authorization URL.
    ///   - codeVerifier: The PKCE verifier; required for desktop and mobile apps.
    public func exchange(code: String, redirectURI: String, codeVerifier: String?) async throws -> TokenResponse {
        var form = [("client_key", clientKey), ("client_secret", clientSecret), ("code", code),
                    ("grant_type", "authorization_code"), ("redirect_uri", redirectURI)]
        if let codeVerifier { form.append(("code_verifier", codeVerifier)) }
        return try await tokenRequest(form)
    }

    /// Exchanges a refresh token for new tokens. The refresh token rotates: store the new one.
    public func refresh(refreshToken: String) async throws -> TokenResponse {
        try await tokenRequest([("client_key", clientKey), ("client_secret", clientSecret),
                                ("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    /// Gets an app token (`clt.…`). It is for TikTok's research and commercial content APIs,
    /// not for posting.
    public func clientCredentials() async throws -> TokenResponse {
        try await tokenRequest([("client_key", clientKey), ("client_secret", clientSecret),
                                ("grant_type", "client_credentials")])
    }

    /// Revokes a user's access token; the app then disappears from the user's connected apps.
    public func revoke(accessToken: String) async throws {
        let response = try await post(.oauthRevoke, form: [("client_key", clientKey), ("client_secret", clientSecret),
                                                           ("token", accessToken)])
        if let error = Self.oauthError(in: response, endpoint: .oauthRevoke, secrets: [clientSecret, accessToken]) { throw error }
        guard response.isSuccess else {
            throw TikTokClient.undecodable(response, endpoint: .oauthRevoke, logID: response.headers["x-tt-logid"])
        }
    }

    /// Never shows the client secret.
    public var description: String { "OAuthClient(clientKey: \(clientKey), clientSecret: <redacted>)" }

    /// What `dump`, a debugger and a failing test expectation show: never the client secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["clientKey": clientKey, "clientSecret": "<redacted>", "transport": transport, "baseURL": baseURL])
    }

    private func tokenRequest(_ form: [(String, String)]) async throws -> TokenResponse {
        let response = try await post(.oauthToken, form: form)
        // Everything sent except the grant type and client key is a secret.
        let secrets = form.filter { !["grant_type", "client_key", "redirect_uri"].contains($0.0) }.map(\.1)
        if let error = Self.oauthError(in: response, endpoint: .oauthToken, secrets: secrets) { throw error }
        let decoder = JSONDecoder()
        if let tokens = try? decoder.decode(TokenResponse.self, from: response.body) {
            return tokens
        }
        // Tolerate tokens wrapped in `data`, as one client reports seeing.
        struct Wrapped: Decodable { var data: TokenResponse }
        if let wrapped = try? decoder.decode(Wrapped.self, from: response.body) {
            return wrapped.data
        }
        throw TikTokClient.undecodable(response, endpoint: .oauthToken, logID: response.headers["x-tt-logid"])
    }

    private func post(_ endpoint: Endpoint, form: [(String, String)]) async throws -> TikTokHTTPResponse {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)
        let basePath = components?.path ?? ""
        components?.path = (basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath) + endpoint.path
        guard let url = components?.url else { throw TikTokError.validation("baseURL", "the base URL is not a valid URL") }
        // The form carries the client secret, a code or a refresh token: the same rule as TikTokClient.
        guard Validation.isSecure(scheme: url.scheme, host: url.host ?? "") else {
            throw TikTokError.validation("baseURL", "the base URL must use https (plain http is allowed only for 127.0.0.1 or localhost)")
        }
        let request = TikTokHTTPRequest(method: .post, url: url,
                                  headers: ["Content-Type": "application/x-www-form-urlencoded", "Cache-Control": "no-cache"],
                                  body: .bytes(Data(FormEncoding.encode(form).utf8)))
        do {
            return try await transport.send(request)
        } catch let error as TransportError {
            throw TikTokError(.transport(error.kind), message: error.message, endpoint: endpoint.path, transportError: error)
        }
    }

    /// The error in an OAuth response, in either of TikTok's shapes, or nil on success.
    static func oauthError(in response: TikTokHTTPResponse, endpoint: Endpoint, secrets: [String]) -> TikTokError? {
        let logIDHeader = response.headers["x-tt-logid"]
        if let body = try? JSONDecoder().decode(OAuthErrorBody.self, from: response.body), !body.error.rawValue.isEmpty {
            return TikTokError(.oauth(body.error), message: Secrets.scrub(body.errorDescription ?? "", removing: secrets),
                               logID: body.logID ?? logIDHeader, httpStatus: response.status, endpoint: endpoint.path)
        }
        if let envelope = try? JSONDecoder().decode(APIEnvelope<EmptyPayload>.self, from: response.body),
           envelope.error.code != .ok {
            return TikTokError(.api(envelope.error.code), message: Secrets.scrub(envelope.error.message, removing: secrets),
                               logID: envelope.error.logID ?? logIDHeader, httpStatus: response.status, endpoint: endpoint.path)
        }
        return nil
    }
}
