/// The `post_info` of a photo post.
public struct PhotoPostInfo: Codable, Sendable, Hashable {
    /// At most 90 UTF-16 code units.
    public var title: String?
    /// At most 4000 UTF-16 code units; `#hashtags` and `@mentions` are parsed.
    public var description: String?
    /// Who can see the post; required for ``PostMode/directPost``. Sent for
    /// ``PostMode/mediaUpload`` too when given: TikTok does not require it there (the creator
    /// picks the privacy when finishing the post in TikTok) and does not say whether it is used.
    public var privacyLevel: PrivacyLevel?
    /// Turns comments off (direct post only).
    public var disableComment: Bool?
    /// Adds recommended music (direct post only).
    public var autoAddMusic: Bool?
    /// Paid partnership (direct post only). Cannot be ``PrivacyLevel/selfOnly``.
    public var brandContentToggle: Bool?
    /// Promotes the creator's own business (direct post only).
    public var brandOrganicToggle: Bool?

    /// The longest photo title, in UTF-16 code units.
    public static let maxTitleLength = 90
    /// The longest photo description, in UTF-16 code units.
    public static let maxDescriptionLength = 4000

    /// Creates photo post settings. Photos have no duet or stitch settings: TikTok rejects them.
    public init(
        title: String? = nil,
        description: String? = nil,
        privacyLevel: PrivacyLevel? = nil,
        disableComment: Bool? = nil,
        autoAddMusic: Bool? = nil,
        brandContentToggle: Bool? = nil,
        brandOrganicToggle: Bool? = nil
    ) {
        self.title = title
        self.description = description
        self.privacyLevel = privacyLevel
        self.disableComment = disableComment
        self.autoAddMusic = autoAddMusic
        self.brandContentToggle = brandContentToggle
        self.brandOrganicToggle = brandOrganicToggle
    }

    enum CodingKeys: String, CodingKey {
        case title
        case description
        case privacyLevel = "privacy_level"
        case disableComment = "disable_comment"
        case autoAddMusic = "auto_add_music"
        case brandContentToggle = "brand_content_toggle"
        case brandOrganicToggle = "brand_organic_toggle"
    }
}

/// The `source_info` of a photo post: photos are always pulled from URLs.
public struct PhotoSource: Codable, Sendable, Hashable {
    /// Always ``MediaSource/pullFromURL``.
    public var source: MediaSource
    /// 1 to 35 https URLs of JPEG or WebP images on a verified domain or URL prefix.
    public var photoImages: [String]
    /// The 0-based index of the cover image in ``photoImages``.
    public var photoCoverIndex: Int

    /// The most photos one post may hold.
    public static let maxPhotoCount = 35

    /// Creates a photo source.
    public init(photoImages: [String], photoCoverIndex: Int = 0) {
        self.source = .pullFromURL
        self.photoImages = photoImages
        self.photoCoverIndex = photoCoverIndex
    }

    enum CodingKeys: String, CodingKey {
        case source
        case photoImages = "photo_images"
        case photoCoverIndex = "photo_cover_index"
    }
}

/// The body of `POST /v2/post/publish/content/init/`.
public struct PhotoInitRequest: Codable, Sendable, Hashable {
    /// Title, description and settings.
    public var postInfo: PhotoPostInfo
    /// The photos.
    public var sourceInfo: PhotoSource
    /// Direct post or inbox upload.
    public var postMode: PostMode
    /// Always `PHOTO`.
    public var mediaType: String
    /// Labels the post as AI-generated. TikTok's 2026 docs place it at the top level of the body.
    public var isAIGC: Bool?

    /// Creates a photo init body.
    public init(postInfo: PhotoPostInfo, sourceInfo: PhotoSource, postMode: PostMode, isAIGC: Bool? = nil) {
        self.postInfo = postInfo
        self.sourceInfo = sourceInfo
        self.postMode = postMode
        self.mediaType = "PHOTO"
        self.isAIGC = isAIGC
    }

    enum CodingKeys: String, CodingKey {
        case postInfo = "post_info"
        case sourceInfo = "source_info"
        case postMode = "post_mode"
        case mediaType = "media_type"
        case isAIGC = "is_aigc"
    }
}
