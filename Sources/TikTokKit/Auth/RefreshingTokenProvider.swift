public import Foundation

/// A user's tokens with absolute expiry times, as an app stores them.
///
/// Its ``description`` never shows a token.
public struct StoredTokens: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The bearer token.
    public var accessToken: String
    /// When the access token expires.
    public var accessTokenExpiresAt: Date
    /// The refresh token; rotated on every refresh.
    public var refreshToken: String
    /// When the refresh token expires, if known.
    public var refreshTokenExpiresAt: Date?
    /// The user's ID for this app.
    public var openID: String?
    /// The granted scopes, comma-separated.
    public var scope: String?

    /// Creates stored tokens.
    public init(accessToken: String, accessTokenExpiresAt: Date, refreshToken: String,
                refreshTokenExpiresAt: Date? = nil, openID: String? = nil, scope: String? = nil) {
        self.accessToken = accessToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.refreshToken = refreshToken
        self.refreshTokenExpiresAt = refreshTokenExpiresAt
        self.openID = openID
        self.scope = scope
    }

    /// Stores a token response received at `receivedAt`, turning `expires_in` into dates.
    /// - Throws: ``TikTokError`` (validation) when the response has no refresh token.
    public init(_ response: TokenResponse, receivedAt: Date = Date()) throws {
        guard let refreshToken = response.refreshToken else {
            throw TikTokError.validation("refreshToken", "the token response has no refresh token to store")
        }
        self.init(accessToken: response.accessToken,
                  accessTokenExpiresAt: receivedAt.addingTimeInterval(TimeInterval(response.expiresIn)),
                  refreshToken: refreshToken,
                  refreshTokenExpiresAt: response.refreshExpiresIn.map { receivedAt.addingTimeInterval(TimeInterval($0)) },
                  openID: response.openID, scope: response.scope)
    }

    public var description: String {
        "StoredTokens(accessToken: <redacted>, expiresAt: \(accessTokenExpiresAt), refreshToken: <redacted>, openID: \(openID ?? "nil"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessToken": "<redacted>", "accessTokenExpiresAt": accessTokenExpiresAt,
                                "refreshToken": "<redacted>", "openID": openID as Any, "scope": scope as Any])
    }
}

/// Where a ``RefreshingTokenProvider`` persists rotated tokens. Implement it with the keychain,
/// a database row, or a file.
public protocol TokenStore: Sendable {
    /// Persists the newest tokens. Called after every refresh, before the new token is used:
    /// TikTok invalidates the old refresh token as soon as it issues a new one.
    func save(_ tokens: StoredTokens) async throws
}

/// Keeps an access token fresh: refreshes ahead of expiry, shares one refresh among concurrent
/// callers, persists each rotated refresh token, and refreshes once more when TikTok rejects a
/// token.
///
/// ```swift
/// let oauth = OAuthClient(clientKey: key, clientSecret: secret)   // on a server
/// let tokens = RefreshingTokenProvider(tokens: stored, store: keychainStore) { refreshToken in
///     try await oauth.refresh(refreshToken: refreshToken)
/// }
/// let client = TikTokClient(tokenProvider: tokens)
/// ```
///
/// In an app that must not hold the client secret, make `refresh` call your backend, which calls
/// ``OAuthClient/refresh(refreshToken:)``.
public actor RefreshingTokenProvider: TokenProvider {
    /// Exchanges a refresh token for new tokens.
    public typealias Refresh = @Sendable (_ refreshToken: String) async throws -> TokenResponse

    private var tokens: StoredTokens
    private let store: (any TokenStore)?
    private let refresh: Refresh
    private let margin: TimeInterval
    private let now: @Sendable () -> Date
    private var inFlight: Task<StoredTokens, any Error>?
    /// How many refreshes have been performed, for diagnostics and tests.
    public private(set) var refreshCount = 0

    /// Creates a provider.
    /// - Parameters:
    ///   - tokens: The current tokens.
    ///   - store: Receives every rotated set of tokens; `nil` keeps them in memory only.
    ///   - refreshAhead: Refresh when the access token has less than this left. Default 5 min.
    ///   - refresh: Exchanges a refresh token for new tokens.
    public init(tokens: StoredTokens, store: (any TokenStore)? = nil, refreshAhead: Duration = .seconds(300),
                refresh: @escaping Refresh) {
        self.init(tokens: tokens, store: store, refreshAhead: refreshAhead, now: { Date() }, refresh: refresh)
    }

    /// Creates a provider that reads the time from `now` (a test's clock).
    @_spi(Testing)
    public init(tokens: StoredTokens, store: (any TokenStore)? = nil, refreshAhead: Duration = .seconds(300),
                now: @escaping @Sendable () -> Date, refresh: @escaping Refresh) {
        self.tokens = tokens
        self.store = store
        self.refresh = refresh
        self.margin = refreshAhead.inSeconds
        self.now = now
    }

    /// The current tokens (as last refreshed).
    public var current: StoredTokens { tokens }

    /// The current access token, refreshed first when less than `refreshAhead` is left. A failed
    /// early refresh still returns the current token while it has not expired.
    public func accessToken() async throws -> String {
        let remaining = tokens.accessTokenExpiresAt.timeIntervalSince(now())
        guard remaining <= margin else { return tokens.accessToken }
        do {
            return try await refreshed().accessToken
        } catch where remaining > 0 && !(error is CancellationError) {
            // The early refresh failed, but the current token still works for a while: use it,
            // and try refreshing again on the next call.
            return tokens.accessToken
        }
    }

    /// The stored tokens' `open_id`.
    public func accountID() async throws -> String? { tokens.openID }

    /// Refreshes after TikTok rejected `token`, sharing one refresh among concurrent callers; when
    /// another caller already refreshed since `token` was handed out, returns the newer token.
    public func refreshAfterRejection(of token: String) async throws -> String? {
        // Someone else already refreshed since this token was handed out: use theirs.
        if token != tokens.accessToken { return tokens.accessToken }
        return try await refreshed().accessToken
    }

    /// Refreshes once for all concurrent callers.
    private func refreshed() async throws -> StoredTokens {
        if let inFlight { return try await inFlight.value }
        let refreshToken = tokens.refreshToken
        let refresh = self.refresh
        let store = self.store
        let now = self.now
        let task = Task<StoredTokens, any Error> {
            let response = try await refresh(refreshToken)
            var complete = response
            complete.refreshToken = response.refreshToken ?? refreshToken   // keep the old one if none came back
            return try StoredTokens(complete, receivedAt: now())
        }
        inFlight = task
        defer { inFlight = nil }
        let next = try await task.value
        // TikTok invalidated the old refresh token when it issued this one: keep the new tokens
        // in memory even if persisting them fails, then report the failure.
        tokens = next
        refreshCount += 1
        try await store?.save(next)
        return next
    }
}
