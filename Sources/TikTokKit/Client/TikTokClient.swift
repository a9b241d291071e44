public import Foundation

/// The front door to TikTok's Content Posting API.
///
/// ```swift
/// let client = TikTokClient(accessToken: token)
/// let creator = try await client.creatorInfo()
/// let start = try await client.initDirectVideo(
///     DirectVideoInitRequest(postInfo: VideoPostInfo(title: "hi", privacyLevel: .selfOnly),
///                            sourceInfo: .pullFromURL("https://media.example.com/v/1.mp4")),
///     creatorInfo: creator)
/// let status = try await client.publishStatus(publishID: start.publishID)
/// ```
///
/// Every call decides success from the body (`error.code == "ok"`), never from the HTTP status,
/// and throws ``TikTokError`` otherwise. Input is validated before anything is sent. Calls wait
/// for the per-token rate limits TikTok documents (see ``RateLimiter``). An
/// `access_token_invalid` answer makes the client ask its ``TokenProvider`` for a fresh token and
/// retry once.
///
/// In tests, inject `FakeTransport` from `TikTokKitTesting`, or point ``Configuration/baseURL``
/// at the TikTokSandbox emulator.
public final class TikTokClient: Sendable {
    /// Client settings.
    public struct Configuration: Sendable {
        /// Where the API lives. Default `https://open.tiktokapis.com`.
        public var baseURL: URL
        /// Client-side rate limiting. Default ``RateLimiter/Policy/wait``.
        public var rateLimitPolicy: RateLimiter.Policy
        /// A limiter to share between clients (for example several clients of one user); when
        /// nil, the client makes its own with ``rateLimitPolicy``.
        public var rateLimiter: RateLimiter?
        /// Receives one line per API call (method, path, status, log ID), per chunk PUT (chunk,
        /// `Content-Range`, status), per retry (its reason and delay) and per re-sync after a 416
        /// — never tokens or upload URL queries: the ``TikTokEvent/message`` of each event the
        /// ``observer`` sees. Default none.
        public var logger: (@Sendable (String) -> Void)?
        /// Receives every request TikTokKit makes as a structured ``TikTokEvent``: API calls,
        /// chunk PUTs, retries with their reason, re-syncs, rate-limit waits, status polls and
        /// upload restarts, with redacted URLs. Bridge it to swift-log or swift-metrics in your
        /// app (see `Documentation/Observability.md`). Called synchronously; keep it quick.
        /// Default none.
        public var observer: (@Sendable (TikTokEvent) -> Void)?
        /// The longest one API call (creator info, init, status, cancel, user info) may take in
        /// all, from sending to the last byte of the answer, however steadily bytes trickle;
        /// past it the call fails with a `timedOut` transport error (for an init:
        /// `init_outcome_unknown`). Default 60 s. Chunk PUTs have their own,
        /// ``UploadOptions/chunkTimeout``.
        public var requestTimeout: Duration

        /// TikTok's API host.
        public static let productionBaseURL = URL(string: "https://open.tiktokapis.com")!

        /// Creates a configuration.
        public init(baseURL: URL = Configuration.productionBaseURL,
                    rateLimitPolicy: RateLimiter.Policy = .wait,
                    rateLimiter: RateLimiter? = nil,
                    logger: (@Sendable (String) -> Void)? = nil,
                    observer: (@Sendable (TikTokEvent) -> Void)? = nil,
                    requestTimeout: Duration = .seconds(60)) {
            self.observer = observer
            self.baseURL = baseURL
            self.requestTimeout = requestTimeout
            self.rateLimitPolicy = rateLimitPolicy
            self.rateLimiter = rateLimiter
            self.logger = logger
        }
    }

    /// The settings this client was created with.
    public let configuration: Configuration
    /// The transport every request goes through.
    public let transport: any Transport
    /// Where access tokens come from.
    public let tokenProvider: any TokenProvider
    /// The limiter shared by every call of this client.
    public let rateLimiter: RateLimiter
    /// `open_id`s learnt from `/v2/user/info/`, by a digest of the token they were asked with.
    let accountIDs = Locked<[String: String]>([:])

    /// Creates a client for one user's access token.
    /// - Parameters:
    ///   - accessToken: The user's access token (`act.…`).
    ///   - transport: Defaults to ``TikTokClient/defaultTransport``.
    ///   - configuration: Base URL, rate limiting, logging.
    ///   - openID: The user's `open_id` from the token response, when known: upload journals key
    ///     uploads by it (otherwise the client asks `/v2/user/info/` once when a journal needs it).
    public convenience init(accessToken: String, openID: String? = nil, transport: (any Transport)? = nil,
                            configuration: Configuration = Configuration()) {
        self.init(tokenProvider: StaticTokenProvider(accessToken, openID: openID), transport: transport,
                  configuration: configuration)
    }

    /// Creates a client whose tokens come from a provider (refreshing, or your backend).
    public init(tokenProvider: any TokenProvider, transport: (any Transport)? = nil,
                configuration: Configuration = Configuration()) {
        self.tokenProvider = tokenProvider
        self.transport = transport ?? TikTokClient.defaultTransport
        self.configuration = configuration
        self.rateLimiter = configuration.rateLimiter ?? RateLimiter(policy: configuration.rateLimitPolicy)
    }

    /// The transport clients use unless given one: a process-wide ``CurlTransport`` where libcurl
    /// exists, otherwise (iOS, tvOS, watchOS, visionOS, or a build with `TIKTOKKIT_NO_CURL=1`) a
    /// ``URLSessionTransport``.
    public static var defaultTransport: any Transport { sharedDefaultTransport }

    #if canImport(CTikTokKitCurl)
    private static let sharedDefaultTransport: any Transport = CurlTransport()
    #else
    private static let sharedDefaultTransport: any Transport = URLSessionTransport()
    #endif

    // MARK: Endpoints

    /// What the creator may post now: privacy options, disabled interactions, maximum duration.
    /// Needs scope `video.publish`. Spam-risk and cap errors arrive here with HTTP 200 and are
    /// thrown all the same.
    public func creatorInfo() async throws -> CreatorInfo {
        try await call(.creatorInfo, body: Optional<EmptyPayload>.none, expecting: CreatorInfo.self)
    }

    /// Starts a direct post of a video (`/v2/post/publish/video/init/`), by FILE_UPLOAD or
    /// PULL_FROM_URL. Needs scope `video.publish`.
    ///
    /// - Parameters:
    ///   - request: Post settings and source.
    ///   - creatorInfo: When given (fetched just before, as TikTok's audit requires), the
    ///     request is checked against it: privacy option, and comment, duet and stitch settings.
    /// - Returns: The publish ID and, for FILE_UPLOAD, the upload URL (valid one hour).
    /// - Throws: ``TikTokError``: validation errors before sending, else TikTok's answer.
    public func initDirectVideo(_ request: DirectVideoInitRequest, creatorInfo: CreatorInfo? = nil) async throws -> PublishInit {
        try Validation.check(request, creatorInfo: creatorInfo)
        return try await call(.directVideoInit, body: request, expecting: PublishInit.self)
    }

    /// Sends a video to the creator's TikTok inbox as a draft (`/v2/post/publish/inbox/video/init/`),
    /// by FILE_UPLOAD or PULL_FROM_URL. Needs scope `video.upload`. The creator finishes the post
    /// in TikTok.
    public func initInboxVideo(_ source: VideoSource) async throws -> PublishInit {
        let request = InboxVideoInitRequest(sourceInfo: source)
        try Validation.check(request)
        return try await call(.inboxVideoInit, body: request, expecting: PublishInit.self)
    }

    /// Starts a photo post (`/v2/post/publish/content/init/`): DIRECT_POST (scope
    /// `video.publish`) or MEDIA_UPLOAD to the inbox (scope `video.upload`). Photos are always
    /// pulled from verified https URLs.
    public func initPhotoPost(_ request: PhotoInitRequest, creatorInfo: CreatorInfo? = nil) async throws -> PublishInit {
        try Validation.check(request, creatorInfo: creatorInfo)
        return try await call(.photoInit, body: request, expecting: PublishInit.self)
    }

    /// Where a publish stands (`/v2/post/publish/status/fetch/`). 30 calls per minute per token.
    public func publishStatus(publishID: String) async throws -> PublishStatusReport {
        try await publishStatus(publishID: publishID, deadline: nil)
    }

    /// ``publishStatus(publishID:)`` that neither waits for the rate limiter nor runs past
    /// `deadline`.
    func publishStatus(publishID: String, deadline: ContinuousClock.Instant?) async throws -> PublishStatusReport {
        try Validation.checkPublishID(publishID)
        let (report, response) = try await callAllowingEmptyData(.statusFetch, body: PublishIDRequest(publishID: publishID),
                                                                 deadline: deadline, expecting: PublishStatusReport.self)
        guard let report, !PostID.containsNonIntegerID(in: response.body) else {
            var error = Self.undecodable(response, endpoint: .statusFetch, logID: response.headers["x-tt-logid"])
            error.message = report == nil ? "TikTok reported success without the expected data"
                                          : "a post ID was not a whole number (digits were lost on the way)"
            throw error
        }
        return report
    }

    /// Cancels a publish (`/v2/post/publish/cancel/`). TikTok documents it for PULL_FROM_URL
    /// downloads still in progress, best effort.
    public func cancelPublish(publishID: String) async throws {
        try Validation.checkPublishID(publishID)
        _ = try await callAllowingEmptyData(.cancel, body: PublishIDRequest(publishID: publishID), expecting: EmptyPayload.self)
    }

    /// The authorized user's profile (`GET /v2/user/info/`), with only the fields asked for.
    /// Each field needs its scope (`user.info.basic`, `.profile` or `.stats`).
    public func userInfo(fields: [UserInfoField] = UserInfoField.basic) async throws -> UserInfo {
        guard !fields.isEmpty else { throw TikTokError.validation("fields", "ask for at least one user info field") }
        let query = [URLQueryItem(name: "fields", value: fields.map(\.rawValue).joined(separator: ","))]
        return try await call(.userInfo, body: Optional<EmptyPayload>.none, query: query, expecting: UserInfoPayload.self).user
    }
}

extension TikTokClient {
    /// The account an upload journal keys this client's uploads by: `explicit` when given, else
    /// the token provider's, else the `open_id` from `/v2/user/info/` (asked once per token).
    func journalAccount(explicit: String?) async throws -> String {
        if let explicit {
            guard !explicit.isEmpty else { throw TikTokError.validation("account", "the journal's account key is empty") }
            return explicit
        }
        if let known = try await tokenProvider.accountID(), !known.isEmpty { return known }
        let tokenKey = Self.rateLimitKey(for: try await tokenProvider.accessToken())
        if let cached = accountIDs.withLock({ $0[tokenKey] }) { return cached }
        let info: UserInfo
        do {
            info = try await userInfo(fields: [.openID])
        } catch var error as TikTokError {
            error.message = "an upload journal needs to know whose upload this is, and /v2/user/info/ failed: \(error.message). Pass UploadOptions(account:) (the creator's open_id or your own key)"
            throw error
        }
        guard let openID = info.openID, !openID.isEmpty else {
            throw TikTokError(.undecodableResponse, message: "/v2/user/info/ returned no open_id; pass UploadOptions(account:) for the journal")
        }
        accountIDs.withLock { $0[tokenKey] = openID }
        return openID
    }

    /// An ``OAuthClient`` (token exchange, refresh, revoke, client credentials) that shares this
    /// client's transport and base URL.
    ///
    /// Needs the client secret: use it on a server or in a tool you run yourself.
    public func oauth(clientKey: String, clientSecret: String) -> OAuthClient {
        OAuthClient(clientKey: clientKey, clientSecret: clientSecret, transport: transport, baseURL: configuration.baseURL)
    }
}
