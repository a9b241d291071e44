import Foundation

/// Tokens from `POST /v2/oauth/token/`. The response is a flat object, not an envelope.
///
/// Tokens are secrets: ``description``, `debugDescription` and `dump` never show them.
public struct TokenResponse: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The bearer token for API calls (`act.…`, or `clt.…` for client credentials).
    public var accessToken: String
    /// Seconds until the access token expires. TikTok's docs disagree on the lifetime (24 h or
    /// 2 h); schedule refreshes from this value.
    public var expiresIn: Int64
    /// The user's ID for this app; absent for client credentials.
    public var openID: String?
    /// Exchanges for new tokens; rotated on every refresh, so always store the newest one.
    public var refreshToken: String?
    /// Seconds until the refresh token expires.
    public var refreshExpiresIn: Int64?
    /// The granted scopes, comma-separated. The user may grant fewer than requested.
    public var scope: String?
    /// Always `Bearer`.
    public var tokenType: String?

    /// Creates a token response.
    public init(accessToken: String, expiresIn: Int64, openID: String? = nil, refreshToken: String? = nil,
                refreshExpiresIn: Int64? = nil, scope: String? = nil, tokenType: String? = "Bearer") {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.openID = openID
        self.refreshToken = refreshToken
        self.refreshExpiresIn = refreshExpiresIn
        self.scope = scope
        self.tokenType = tokenType
    }

    /// The granted scopes as a set.
    public var scopes: Set<String> {
        Set((scope ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case openID = "open_id"
        case refreshToken = "refresh_token"
        case refreshExpiresIn = "refresh_expires_in"
        case scope
        case tokenType = "token_type"
    }

    public var description: String {
        "TokenResponse(accessToken: <redacted>, expiresIn: \(expiresIn), openID: \(openID ?? "nil"), "
            + "refreshToken: \(refreshToken == nil ? "nil" : "<redacted>"), scope: \(scope ?? "nil"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessToken": "<redacted>", "expiresIn": expiresIn, "openID": openID as Any,
                                "refreshToken": refreshToken == nil ? "nil" : "<redacted>", "scope": scope as Any])
    }
}

/// The error shape of TikTok's OAuth endpoints: `{"error", "error_description", "log_id"}`.
public struct OAuthErrorBody: Codable, Sendable, Hashable {
    /// The error category.
    public var error: OAuthErrorCode
    /// TikTok's explanation.
    public var errorDescription: String?
    /// TikTok's request identifier.
    public var logID: String?

    /// Creates an OAuth error body.
    public init(error: OAuthErrorCode, errorDescription: String? = nil, logID: String? = nil) {
        self.error = error
        self.errorDescription = errorDescription
        self.logID = logID
    }

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case logID = "log_id"
    }
}
