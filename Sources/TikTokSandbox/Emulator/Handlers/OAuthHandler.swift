import Foundation
import TikTokKit

/// OAuth: the authorize page (`GET /v2/auth/authorize/`, which consents at once), the token
/// endpoint (`POST /v2/oauth/token/`: code, refresh and client-credentials grants) and revoke.
extension TikTokEmulator {
    /// The authorize page, which consents at once for the sandbox user: it checks the client
    /// key, the redirect URI, the scopes and the PKCE challenge, remembers them with a fresh
    /// single-use code, and redirects to `redirect_uri` with `code`, `scopes` (those granted:
    /// the ones asked for minus ``Configuration/declinedScopes``) and `state`. Problems the app
    /// can see come back on the redirect as `error` and `error_description`, as on TikTok.
    func authorize(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let items = request.queryItems
        guard items["client_key"] == configuration.clientKey, let redirect = items["redirect_uri"],
              var components = URLComponents(string: redirect), components.scheme != nil, components.host != nil else {
            return HTTPServerResponse(status: 400, body: Data("unknown client_key or bad redirect_uri".utf8))
        }
        func back(_ pairs: [(String, String)]) -> HTTPServerResponse {
            components.queryItems = pairs.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "state", value: items["state"] ?? "")]
            return HTTPServerResponse(status: 302, headers: ["Location": components.string ?? redirect])
        }
        let asked = Set((items["scope"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        guard !asked.isEmpty else { return back([("error", "invalid_scope"), ("error_description", "The scope is missing.")]) }
        guard items["response_type"] ?? "code" == "code" else {
            return back([("error", "unsupported_response_type"), ("error_description", "The response_type must be code.")])
        }
        let challenge = items["code_challenge"].flatMap { $0.isEmpty ? nil : $0 }
        if challenge != nil, items["code_challenge_method"] != "S256" {
            return back([("error", "invalid_request"), ("error_description", "Only S256 is supported as code_challenge_method.")])
        }
        if challenge == nil, configuration.requirePKCE {
            return back([("error", "invalid_request"), ("error_description", "The code_challenge is missing.")])
        }
        let granted = asked.subtracting(configuration.declinedScopes)
        let code = "sandbox-code-" + UUID().uuidString
        let lifetime = configuration.authorizationCodeLifetime
        locked {
            $0.codes[code] = EmulatorState.PendingCode(redirectURI: redirect, scopes: granted, challenge: challenge,
                                                       expiresAt: now + lifetime)
        }
        return back([("code", code), ("scopes", granted.sorted().joined(separator: ","))])
    }

    func oauthToken(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let form = try Self.form(request)
        guard form["client_key"] == configuration.clientKey else {
            return Self.oauthError(.invalidClient, "Client key is invalid.")
        }
        guard let secret = form["client_secret"], !secret.isEmpty else {
            return Self.oauthError(.invalidRequest, "Client secret is missed in request.")
        }
        guard secret == configuration.clientSecret else { return Self.oauthError(.invalidClient, "Client secret is invalid.") }
        switch form["grant_type"] {
        case "authorization_code":
            return exchange(form)
        case "refresh_token":
            guard let old = form["refresh_token"], let grant = locked({ $0.refreshGrants.removeValue(forKey: old) }),
                  grant.expiresAt.map({ now < $0 }) ?? true else {
                return Self.oauthError(.invalidGrant, "Refresh token is invalid or expired.")
            }
            return issueTokens(grant)
        case "client_credentials":
            let token = "clt.sandbox-" + UUID().uuidString
            let expiresAt = now + configuration.accessTokenLifetime
            locked { $0.grants[token] = EmulatorState.Grant(user: "sandbox-client", scopes: [], expiresAt: expiresAt) }
            return Self.encoded(["access_token": token, "expires_in": Self.seconds(configuration.accessTokenLifetime), "token_type": "Bearer"])
        case nil:
            return Self.oauthError(.invalidRequest, "The grant_type is missing.")
        default:
            return Self.oauthError(.unsupportedGrantType, "The grant type is not supported.")
        }
    }

    /// The code grant: the code is used up whatever happens next (single use), then checked for
    /// expiry, `redirect_uri` and the PKCE verifier.
    private func exchange(_ form: [String: String]) -> HTTPServerResponse {
        guard let code = form["code"], let pending = locked({ $0.codes.removeValue(forKey: code) }),
              now < pending.expiresAt else {
            return Self.oauthError(.invalidGrant, "Authorization code is expired.")
        }
        guard form["redirect_uri"] == pending.redirectURI else {
            return Self.oauthError(.invalidRequest, "Redirect_uri is not matched with the uri when requesting code.")
        }
        if let challenge = pending.challenge {
            guard let verifier = form["code_verifier"], !verifier.isEmpty else {
                return Self.oauthError(.invalidRequest, "Code verifier or code challenge is invalid.")
            }
            let matches = configuration.acceptedPKCEEncodings.contains { encoding in
                (try? PKCE(verifier: verifier, encoding: encoding))?.challenge == challenge
            }
            guard matches else { return Self.oauthError(.invalidRequest, "Code verifier or code challenge is invalid.") }
        }
        return issueTokens(EmulatorState.Grant(user: EmulatorState.oauthUser, scopes: pending.scopes, authorization: UUID()))
    }

    /// A fresh access and refresh token for `grant` (a refresh keeps its user, scopes and consent).
    private func issueTokens(_ grant: EmulatorState.Grant) -> HTTPServerResponse {
        let access = "act.sandbox-" + UUID().uuidString
        let refresh = "rft.sandbox-" + UUID().uuidString
        let now = self.now
        var accessGrant = grant, refreshGrant = grant
        accessGrant.expiresAt = now + configuration.accessTokenLifetime
        refreshGrant.expiresAt = now + configuration.refreshTokenLifetime
        locked { state in
            state.grants[access] = accessGrant
            state.refreshGrants[refresh] = refreshGrant
        }
        return Self.encoded(["access_token": access, "expires_in": Self.seconds(configuration.accessTokenLifetime), "open_id": grant.user,
                             "refresh_expires_in": Self.seconds(configuration.refreshTokenLifetime), "refresh_token": refresh,
                             "scope": grant.scopes.sorted().joined(separator: ","), "token_type": "Bearer"])
    }

    /// Revoke ends the consent: the access token, and every access and refresh token issued
    /// under the same authorization, stop working.
    func oauthRevoke(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let form = try Self.form(request)
        guard form["client_key"] == configuration.clientKey, form["client_secret"] == configuration.clientSecret else {
            return Self.oauthError(.invalidClient, "Client key or secret is invalid.")
        }
        guard let token = form["token"], !token.isEmpty else {
            return Self.oauthError(.invalidRequest, "Token is missed in request.")
        }
        if let user = endAuthorization(ofToken: token) {
            sendWebhook(.authorizationRemoved, user: user, content: ["reason": 5])   // 5: the developer revoked it
        }
        return .json("{}")
    }

    /// Ends the consent behind `token`: it and every access and refresh token of the same
    /// authorization stop working. Returns the user, or nil for a token not in force.
    func endAuthorization(ofToken token: String) -> String? {
        locked { state in
            guard let grant = state.grants.removeValue(forKey: token) else { return nil }
            if let authorization = grant.authorization {
                state.grants = state.grants.filter { $0.value.authorization != authorization }
                state.refreshGrants = state.refreshGrants.filter { $0.value.authorization != authorization }
            }
            return grant.user
        }
    }

    /// Whole seconds, as TikTok's `expires_in` fields carry them.
    private static func seconds(_ duration: Duration) -> Int { Int(duration.inSeconds.rounded(.up)) }

    /// `GET /v2/user/info/`: the fields asked for (the `fields` parameter is required), each
    /// needing its scope; every documented field has a value.
    func userInfo(fields: [String], caller: Caller) -> HTTPServerResponse {
        guard !fields.isEmpty else {
            return Self.invalidParams("The fields parameter is required: a comma-separated list such as open_id,display_name.")
        }
        let values: [String: (String, any Sendable)] = [
            "open_id": ("user.info.basic", caller.grant.user), "union_id": ("user.info.basic", "sandbox-union-id"),
            "avatar_url": ("user.info.basic", "https://sandbox.invalid/avatar.jpg"),
            "avatar_url_100": ("user.info.basic", "https://sandbox.invalid/avatar-100.jpg"),
            "avatar_large_url": ("user.info.basic", "https://sandbox.invalid/avatar-large.jpg"),
            "display_name": ("user.info.basic", "Sandbox Creator"),
            "bio_description": ("user.info.profile", "An offline TikTok creator."),
            "profile_deep_link": ("user.info.profile", "https://sandbox.invalid/@sandbox"),
            "username": ("user.info.profile", "sandbox"), "is_verified": ("user.info.profile", false),
            "follower_count": ("user.info.stats", 12_345_678_901), "following_count": ("user.info.stats", 321),
            "likes_count": ("user.info.stats", 9_876_543), "video_count": ("user.info.stats", 42),
        ]
        var user: [String: Any] = [:]
        for field in fields {
            guard let (scope, value) = values[field] else { continue }
            guard caller.grant.scopes.contains(scope) else {
                return Self.error(401, .scopeNotAuthorized, "The field \(field) needs the scope \(scope).")
            }
            user[field] = value
        }
        return Self.ok(["user": user])
    }

    /// A form-encoded request body (the first value of each name).
    static func form(_ request: HTTPServerRequest) throws -> [String: String] {
        Dictionary(FormEncoding.decode(String(decoding: try request.readAll(limit: 1 << 16), as: UTF8.self)),
                   uniquingKeysWith: { first, _ in first })
    }
}
