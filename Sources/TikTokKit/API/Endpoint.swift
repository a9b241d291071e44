/// One documented TikTok endpoint: method, path and rate-limit bucket.
package struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP method.
    public let method: TikTokHTTPMethod
    /// The path under the base URL.
    public let path: String
    /// The client-side rate limit bucket, if TikTok documents a limit.
    public let bucket: RateLimiter.Bucket?

    /// `POST /v2/post/publish/creator_info/query/`: the creator's privacy options, interaction
    /// switches and maximum video duration (scope `video.publish`).
    public static let creatorInfo = Endpoint(method: .post, path: "/v2/post/publish/creator_info/query/", bucket: .creatorInfo)
    /// `POST /v2/post/publish/video/init/`: starts a video posted straight to the profile.
    public static let directVideoInit = Endpoint(method: .post, path: "/v2/post/publish/video/init/", bucket: .directVideoInit)
    /// `POST /v2/post/publish/inbox/video/init/`: starts a video sent to the creator's inbox as a draft.
    public static let inboxVideoInit = Endpoint(method: .post, path: "/v2/post/publish/inbox/video/init/", bucket: .inboxVideoInit)
    /// `POST /v2/post/publish/content/init/`: starts a photo post, direct or to the inbox.
    public static let photoInit = Endpoint(method: .post, path: "/v2/post/publish/content/init/", bucket: .photoInit)
    /// `POST /v2/post/publish/status/fetch/`: the state of a publish.
    public static let statusFetch = Endpoint(method: .post, path: "/v2/post/publish/status/fetch/", bucket: .statusFetch)
    /// `POST /v2/post/publish/cancel/`: cancels a `PULL_FROM_URL` download still in progress.
    public static let cancel = Endpoint(method: .post, path: "/v2/post/publish/cancel/", bucket: nil)
    /// `GET /v2/user/info/`: the fields of the user the token belongs to.
    public static let userInfo = Endpoint(method: .get, path: "/v2/user/info/", bucket: .userInfo)
    /// `POST /v2/oauth/token/`: exchanges a code, refreshes a token or issues a client token.
    public static let oauthToken = Endpoint(method: .post, path: "/v2/oauth/token/", bucket: nil)
    /// `POST /v2/oauth/revoke/`: revokes an access token, disconnecting the app from the account.
    public static let oauthRevoke = Endpoint(method: .post, path: "/v2/oauth/revoke/", bucket: nil)

    public var description: String { "\(method) \(path)" }

    /// Whether a successful call creates a publish (the init endpoints): such calls are never
    /// retried when their outcome is unknown, because that is how duplicate posts happen.
    public var createsPublish: Bool {
        self == .directVideoInit || self == .inboxVideoInit || self == .photoInit
    }
}
