/// Supplies the access token for each API call.
///
/// ``TikTokClient`` asks for a token before every request. When TikTok answers
/// `access_token_invalid`, the client calls ``refreshAfterRejection(of:)`` once and, if a new
/// token comes back, retries the request with it — once.
///
/// Implement it to fetch tokens from your own backend, so the client secret never ships in
/// an app:
///
/// ```swift
/// struct BackendTokens: TokenProvider {
///     let backend: MyBackend
///     func accessToken() async throws -> String { try await backend.currentTikTokToken() }
///     func refreshAfterRejection(of token: String) async throws -> String? {
///         try await backend.refreshTikTokToken(rejected: token)
///     }
/// }
/// let client = TikTokClient(tokenProvider: BackendTokens(backend: backend))
/// ```
public protocol TokenProvider: Sendable {
    /// A token to send now.
    func accessToken() async throws -> String

    /// Called when TikTok rejected `token` as invalid or expired. Return a fresh token to retry
    /// the request once, or `nil` to give up (the caller then sees `access_token_invalid`).
    func refreshAfterRejection(of token: String) async throws -> String?

    /// The account these tokens belong to (the creator's `open_id`), when known: upload journals
    /// key entries by it so one user's upload is never resumed for another. Default nil.
    func accountID() async throws -> String?
}

extension TokenProvider {
    /// Unknown by default: the client asks `/v2/user/info/` when a journal needs it.
    public func accountID() async throws -> String? { nil }
}

/// A fixed access token that cannot be refreshed.
public struct StaticTokenProvider: TokenProvider, CustomStringConvertible, CustomReflectable {
    private let token: String
    private let openID: String?

    /// Wraps `token` of the user `openID` (when known; journals key uploads by it).
    public init(_ token: String, openID: String? = nil) {
        self.token = token
        self.openID = openID
    }

    /// The `openID` given at creation, if any.
    public func accountID() async throws -> String? { openID }

    /// The wrapped token, always the same.
    public func accessToken() async throws -> String { token }

    /// Always `nil`: a fixed token cannot be refreshed, so the caller sees `access_token_invalid`.
    public func refreshAfterRejection(of token: String) async throws -> String? { nil }

    /// Never shows the token.
    public var description: String { "StaticTokenProvider(<redacted>)" }

    /// What `dump`, a debugger and a failing test expectation show: never the token.
    public var customMirror: Mirror { Mirror(self, children: ["token": "<redacted>", "openID": openID as Any]) }
}
