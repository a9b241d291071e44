/// What a creator may post right now, from `POST /v2/post/publish/creator_info/query/`.
///
/// TikTok's audit requires apps to fetch this every time the posting screen is shown, to show
/// ``creatorNickname``, to offer only ``privacyLevelOptions`` (with no default), to disable the
/// comment, duet and stitch switches the creator turned off, and to stop videos longer than
/// ``maxVideoPostDurationSeconds``.
public struct CreatorInfo: Codable, Sendable, Hashable {
    /// The creator's avatar; the URL expires after two hours.
    public var creatorAvatarURL: String?
    /// The creator's unique handle.
    public var creatorUsername: String?
    /// The creator's display name; the posting screen must show it.
    public var creatorNickname: String?
    /// The privacy levels this creator may choose from.
    public var privacyLevelOptions: [PrivacyLevel]
    /// Whether the creator set comments to "No one".
    public var commentDisabled: Bool
    /// Whether duets are off (private account or "No one"). Ignore for photos.
    public var duetDisabled: Bool
    /// Whether stitches are off (private account or "No one"). Ignore for photos.
    public var stitchDisabled: Bool
    /// The longest video, in seconds, this creator may post.
    public var maxVideoPostDurationSeconds: Int?

    /// Creates creator info.
    public init(
        creatorAvatarURL: String? = nil,
        creatorUsername: String? = nil,
        creatorNickname: String? = nil,
        privacyLevelOptions: [PrivacyLevel],
        commentDisabled: Bool = false,
        duetDisabled: Bool = false,
        stitchDisabled: Bool = false,
        maxVideoPostDurationSeconds: Int? = nil
    ) {
        self.creatorAvatarURL = creatorAvatarURL
        self.creatorUsername = creatorUsername
        self.creatorNickname = creatorNickname
        self.privacyLevelOptions = privacyLevelOptions
        self.commentDisabled = commentDisabled
        self.duetDisabled = duetDisabled
        self.stitchDisabled = stitchDisabled
        self.maxVideoPostDurationSeconds = maxVideoPostDurationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case creatorAvatarURL = "creator_avatar_url"
        case creatorUsername = "creator_username"
        case creatorNickname = "creator_nickname"
        case privacyLevelOptions = "privacy_level_options"
        case commentDisabled = "comment_disabled"
        case duetDisabled = "duet_disabled"
        case stitchDisabled = "stitch_disabled"
        case maxVideoPostDurationSeconds = "max_video_post_duration_sec"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        creatorAvatarURL = try container.decodeIfPresent(String.self, forKey: .creatorAvatarURL)
        creatorUsername = try container.decodeIfPresent(String.self, forKey: .creatorUsername)
        creatorNickname = try container.decodeIfPresent(String.self, forKey: .creatorNickname)
        privacyLevelOptions = try container.decodeIfPresent([PrivacyLevel].self, forKey: .privacyLevelOptions) ?? []
        commentDisabled = try container.decodeIfPresent(Bool.self, forKey: .commentDisabled) ?? false
        duetDisabled = try container.decodeIfPresent(Bool.self, forKey: .duetDisabled) ?? false
        stitchDisabled = try container.decodeIfPresent(Bool.self, forKey: .stitchDisabled) ?? false
        maxVideoPostDurationSeconds = try container.decodeIfPresent(Int.self, forKey: .maxVideoPostDurationSeconds)
    }
}
