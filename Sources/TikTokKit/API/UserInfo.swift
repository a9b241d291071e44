/// A field of `GET /v2/user/info/`; each needs the scope named in its documentation.
public struct UserInfoField: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // user.info.basic
    public static let openID = UserInfoField(rawValue: "open_id")
    public static let unionID = UserInfoField(rawValue: "union_id")
    public static let avatarURL = UserInfoField(rawValue: "avatar_url")
    public static let avatarURL100 = UserInfoField(rawValue: "avatar_url_100")
    public static let avatarLargeURL = UserInfoField(rawValue: "avatar_large_url")
    public static let displayName = UserInfoField(rawValue: "display_name")
    // user.info.profile
    public static let bioDescription = UserInfoField(rawValue: "bio_description")
    public static let profileDeepLink = UserInfoField(rawValue: "profile_deep_link")
    public static let isVerified = UserInfoField(rawValue: "is_verified")
    public static let username = UserInfoField(rawValue: "username")
    // user.info.stats
    public static let followerCount = UserInfoField(rawValue: "follower_count")
    public static let followingCount = UserInfoField(rawValue: "following_count")
    public static let likesCount = UserInfoField(rawValue: "likes_count")
    public static let videoCount = UserInfoField(rawValue: "video_count")

    /// The fields scope `user.info.basic` grants.
    public static let basic: [UserInfoField] = [.openID, .unionID, .avatarURL, .avatarURL100, .avatarLargeURL, .displayName]
}

/// A TikTok user, from `GET /v2/user/info/`. Only the requested fields are set.
public struct UserInfo: Codable, Sendable, Hashable {
    public var openID: String?
    public var unionID: String?
    public var avatarURL: String?
    public var avatarURL100: String?
    public var avatarLargeURL: String?
    public var displayName: String?
    public var bioDescription: String?
    public var profileDeepLink: String?
    public var isVerified: Bool?
    public var username: String?
    public var followerCount: Int64?
    public var followingCount: Int64?
    public var likesCount: Int64?
    public var videoCount: Int64?

    /// Creates user info; every field is optional.
    public init(openID: String? = nil, unionID: String? = nil, avatarURL: String? = nil, avatarURL100: String? = nil,
                avatarLargeURL: String? = nil, displayName: String? = nil, bioDescription: String? = nil,
                profileDeepLink: String? = nil, isVerified: Bool? = nil, username: String? = nil,
                followerCount: Int64? = nil, followingCount: Int64? = nil, likesCount: Int64? = nil,
                videoCount: Int64? = nil) {
        self.openID = openID
        self.unionID = unionID
        self.avatarURL = avatarURL
        self.avatarURL100 = avatarURL100
        self.avatarLargeURL = avatarLargeURL
        self.displayName = displayName
        self.bioDescription = bioDescription
        self.profileDeepLink = profileDeepLink
        self.isVerified = isVerified
        self.username = username
        self.followerCount = followerCount
        self.followingCount = followingCount
        self.likesCount = likesCount
        self.videoCount = videoCount
    }

    enum CodingKeys: String, CodingKey {
        case openID = "open_id"
        case unionID = "union_id"
        case avatarURL = "avatar_url"
        case avatarURL100 = "avatar_url_100"
        case avatarLargeURL = "avatar_large_url"
        case displayName = "display_name"
        case bioDescription = "bio_description"
        case profileDeepLink = "profile_deep_link"
        case isVerified = "is_verified"
        case username
        case followerCount = "follower_count"
        case followingCount = "following_count"
        case likesCount = "likes_count"
        case videoCount = "video_count"
    }
}

/// The `data` of `GET /v2/user/info/`: `{"user": {…}}`.
public struct UserInfoPayload: Codable, Sendable, Hashable {
    /// The user.
    public var user: UserInfo

    /// Creates the payload.
    public init(user: UserInfo) { self.user = user }
}
