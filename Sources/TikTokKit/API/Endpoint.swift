/// One documented TikTok endpoint: method, path and rate-limit bucket.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The HTTP method.
    public let method: HTTPMethod
    /// The path under the base URL.
    public let path: String
    /// The client-side rate limit bucket, if TikTok documents a limit.
    public let bucket: RateLimiter.Bucket?

    public static let creatorInfo = Endpoint(method: .post, path: "/v2/post/publish/creator_info/query/", bucket: .creatorInfo)
    public static let directVideoInit = Endpoint(method: .post, path: "/v2/post/publish/video/init/", bucket: .directVideoInit)
    public static let inboxVideoInit = Endpoint(method: .post, path: "/v2/post/publish/inbox/video/init/", bucket: .inboxVideoInit)
    public static let photoInit = Endpoint(method: .post, path: "/v2/post/publish/content/init/", bucket: .photoInit)
    public static let statusFetch = Endpoint(method: .post, path: "/v2/post/publish/status/fetch/", bucket: .statusFetch)
    public static let cancel = Endpoint(method: .post, path: "/v2/post/publish/cancel/", bucket: nil)
    public static let userInfo = Endpoint(method: .get, path: "/v2/user/info/", bucket: .userInfo)
    public static let oauthToken = Endpoint(method: .post, path: "/v2/oauth/token/", bucket: nil)
    public static let oauthRevoke = Endpoint(method: .post, path: "/v2/oauth/revoke/", bucket: nil)

    public var description: String { "\(method) \(path)" }

    /// Whether a successful call creates a publish (the init endpoints): such calls are never
    /// retried when their outcome is unknown, because that is how duplicate posts happen.
    public var createsPublish: Bool {
        self == .directVideoInit || self == .inboxVideoInit || self == .photoInit
    }
}
