/// A field of `GET /v2/user/info/`; each needs the scope named in its documentation.
public struct UserInfoField: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // user.info.basic
    /// Requests the user's ID within this app (`open_id`, scope `user.info.basic`); another app
    /// sees another ID.
    public static let openID = UserInfoField(rawValue: "open_id")
    /// Requests the user's ID across all apps of the same developer (`union_id`, scope `user.info.basic`).
    public static let unionID = UserInfoField(rawValue: "union_id")
    /// Requests the URL of the user's profile image (`avatar_url`, scope `user.info.basic`).
    public static let avatarURL = UserInfoField(rawValue: "avatar_url")
    /// Requests the URL of the 100×100-pixel profile image (`avatar_url_100`, scope `user.info.basic`).
    public static let avatarURL100 = UserInfoField(rawValue: "avatar_url_100")
    /// Requests the URL of a larger profile image (`avatar_large_url`, scope `user.info.basic`).
    public static let avatarLargeURL = UserInfoField(rawValue: "avatar_large_url")
    /// Requests the user's profile name (`display_name`, scope `user.info.basic`).
    public static let displayName = UserInfoField(rawValue: "display_name")
    // user.info.profile
    /// Requests the user's bio, when they wrote one (`bio_description`, scope `user.info.profile`).
    public static let bioDescription = UserInfoField(rawValue: "bio_description")
    /// Requests the link to the user's TikTok profile page (`profile_deep_link`, scope `user.info.profile`).
    public static let profileDeepLink = UserInfoField(rawValue: "profile_deep_link")
    /// Requests whether the account has TikTok's verified badge (`is_verified`, scope `user.info.profile`).
    public static let isVerified = UserInfoField(rawValue: "is_verified")
    /// Requests the user's `@` handle (`username`, scope `user.info.profile`).
    public static let username = UserInfoField(rawValue: "username")
    // user.info.stats
    /// Requests how many accounts follow the user (`follower_count`, scope `user.info.stats`).
    public static let followerCount = UserInfoField(rawValue: "follower_count")
    /// Requests how many accounts the user follows (`following_count`, scope `user.info.stats`).
    public static let followingCount = UserInfoField(rawValue: "following_count")
    /// Requests how many likes the user's videos have in total (`likes_count`, scope `user.info.stats`).
    public static let likesCount = UserInfoField(rawValue: "likes_count")
    /// Requests how many public videos the user has (`video_count`, scope `user.info.stats`).
    public static let videoCount = UserInfoField(rawValue: "video_count")

    /// The fields scope `user.info.basic` grants.
    public static let basic: [UserInfoField] = [.openID, .unionID, .avatarURL, .avatarURL100, .avatarLargeURL, .displayName]
}

/// A TikTok user, from `GET /v2/user/info/`. Only the requested fields are set.
public struct UserInfo: Codable, Sendable, Hashable {
    /// The user's ID within this app (`open_id`); another app sees another ID.
    public var openID: String?
    /// The user's ID across all apps of the same developer (`union_id`).
    public var unionID: String?
    /// The URL of the user's profile image (`avatar_url`).
    public var avatarURL: String?
    /// The URL of the user's profile image at 100×100 pixels (`avatar_url_100`).
    public var avatarURL100: String?
    /// The URL of the user's profile image at a higher resolution (`avatar_large_url`).
    public var avatarLargeURL: String?
    /// The user's profile name (`display_name`).
    public var displayName: String?
    /// The user's bio, when they wrote one (`bio_description`).
    public var bioDescription: String?
    /// The link to the user's TikTok profile page (`profile_deep_link`).
    public var profileDeepLink: String?
    /// Whether TikTok gave the account its verified badge (`is_verified`).
    public var isVerified: Bool?
    /// The user's `@` handle (`username`).
    public var username: String?
    /// How many accounts follow the user (`follower_count`).
    public var followerCount: Int64?
    /// How many accounts the user follows (`following_count`).
    public var followingCount: Int64?
    /// How many likes the user's videos have in total (`likes_count`).
    public var likesCount: Int64?
    /// How many public videos the user has (`video_count`).
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
package struct UserInfoPayload: Codable, Sendable, Hashable {
    /// The user.
    public var user: UserInfo

    /// Creates the payload.
    public init(user: UserInfo) { self.user = user }
}
