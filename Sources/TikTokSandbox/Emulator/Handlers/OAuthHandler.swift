import Foundation
import TikTokKit

/// OAuth: the authorize page (`GET /v2/auth/authorize/`, which consents at once), the token
/// endpoint (`POST /v2/oauth/token/`: code, refresh and client-credentials grants) and revoke.
extension TikTokEmulator {
    func authorize(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let items = request.queryItems
        guard items["client_key"] == configuration.clientKey, let redirect = items["redirect_uri"], var components = URLComponents(string: redirect) else {
            return HTTPServerResponse(status: 400, body: Data("unknown client_key or bad redirect_uri".utf8))
        }
        let code = "sandbox-code-" + UUID().uuidString
        components.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "scopes", value: items["scope"] ?? ""),
                                 URLQueryItem(name: "state", value: items["state"] ?? "")]
        return HTTPServerResponse(status: 302, headers: ["Location": components.string ?? redirect])
    }

    func oauthToken(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let form = try Self.form(request)
        guard form["client_key"] == configuration.clientKey, form["client_secret"] == configuration.clientSecret else {
            return Self.oauthError(.invalidClient, "Client key or secret is invalid.")
        }
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"], code.hasPrefix("sandbox-code-"), form["redirect_uri"] != nil else {
                return Self.oauthError(.invalidGrant, "Authorization code is expired.")
            }
            return issueTokens(EmulatorState.Grant(user: EmulatorState.oauthUser, scopes: Configuration.allScopes))
        case "refresh_token":
            guard let old = form["refresh_token"], let grant = locked({ $0.refreshGrants.removeValue(forKey: old) }) else {
                return Self.oauthError(.invalidGrant, "Refresh token is invalid or expired.")
            }
            return issueTokens(grant)
        case "client_credentials":
            let token = "clt.sandbox-" + UUID().uuidString
            locked { $0.grants[token] = EmulatorState.Grant(user: "sandbox-client", scopes: []) }
            return Self.encoded(["access_token": token, "expires_in": 7200, "token_type": "Bearer"])
        default:
            return Self.oauthError(.unsupportedGrantType, "The grant type is not supported.")
        }
    }

    private func issueTokens(_ grant: EmulatorState.Grant) -> HTTPServerResponse {
        let access = "act.sandbox-" + UUID().uuidString
        let refresh = "rft.sandbox-" + UUID().uuidString
        locked { state in
            state.grants[access] = grant
            state.refreshGrants[refresh] = grant
        }
        return Self.encoded(["access_token": access, "expires_in": 7200, "open_id": grant.user,
                             "refresh_expires_in": 15_552_000, "refresh_token": refresh,
                             "scope": grant.scopes.sorted().joined(separator: ","), "token_type": "Bearer"])
    }

    func oauthRevoke(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let form = try Self.form(request)
        guard form["client_key"] == configuration.clientKey, form["client_secret"] == configuration.clientSecret else {
            return Self.oauthError(.invalidClient, "Client key or secret is invalid.")
        }
        _ = locked { $0.grants.removeValue(forKey: form["token"] ?? "") }
        return .json("{}")
    }

    /// `GET /v2/user/info/`: the fields asked for, each needing its scope.
    func userInfo(fields: [String], caller: Caller) -> HTTPServerResponse {
        let values: [String: (String, any Sendable)] = [
            "open_id": ("user.info.basic", caller.grant.user), "union_id": ("user.info.basic", "sandbox-union-id"),
            "avatar_url": ("user.info.basic", "https://sandbox.invalid/avatar.jpg"),
            "display_name": ("user.info.basic", "Sandbox Creator"), "username": ("user.info.profile", "sandbox"),
            "is_verified": ("user.info.profile", false), "follower_count": ("user.info.stats", 12_345_678_901),
            "video_count": ("user.info.stats", 42),
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
