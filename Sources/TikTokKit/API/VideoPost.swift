/// The `post_info` of a direct video post: caption, audience and interaction settings.
///
/// ```swift
/// let post = VideoPostInfo(title: "my #cat", privacyLevel: .selfOnly)
/// ```
public struct VideoPostInfo: Codable, Sendable, Hashable {
    /// Who can see the post. Must be one of the creator's ``CreatorInfo/privacyLevelOptions``.
    public var privacyLevel: PrivacyLevel
    /// The caption; `#hashtags` and `@mentions` are parsed. At most 2200 UTF-16 code units.
    public var title: String?
    /// Turns duets off.
    public var disableDuet: Bool
    /// Turns stitches off.
    public var disableStitch: Bool
    /// Turns comments off.
    public var disableComment: Bool
    /// The frame, in milliseconds, used as the cover; the first frame when unset or invalid.
    public var videoCoverTimestampMs: Int?
    /// Paid partnership: promotes a third-party brand. Cannot be ``PrivacyLevel/selfOnly``.
    public var brandContentToggle: Bool
    /// Promotes the creator's own business.
    public var brandOrganicToggle: Bool
    /// Labels the video "Creator labeled as AI-generated".
    public var isAIGC: Bool?

    /// The longest title TikTok accepts, in UTF-16 code units.
    public static let maxTitleLength = 2200

    /// Creates post settings. Interaction switches default to off (not disabled), brand toggles
    /// to `false` — and both brand toggles are always sent, as TikTok expects.
    public init(
        title: String? = nil,
        privacyLevel: PrivacyLevel,
        disableDuet: Bool = false,
        disableStitch: Bool = false,
        disableComment: Bool = false,
        videoCoverTimestampMs: Int? = nil,
        brandContentToggle: Bool = false,
        brandOrganicToggle: Bool = false,
        isAIGC: Bool? = nil
    ) {
        self.title = title
        self.privacyLevel = privacyLevel
        self.disableDuet = disableDuet
        self.disableStitch = disableStitch
        self.disableComment = disableComment
        self.videoCoverTimestampMs = videoCoverTimestampMs
        self.brandContentToggle = brandContentToggle
        self.brandOrganicToggle = brandOrganicToggle
        self.isAIGC = isAIGC
    }

    enum CodingKeys: String, CodingKey {
        case privacyLevel = "privacy_level"
        case title
        case disableDuet = "disable_duet"
        case disableStitch = "disable_stitch"
        case disableComment = "disable_comment"
        case videoCoverTimestampMs = "video_cover_timestamp_ms"
        case brandContentToggle = "brand_content_toggle"
        case brandOrganicToggle = "brand_organic_toggle"
        case isAIGC = "is_aigc"
    }
}

/// The `source_info` of a video init: where the bytes come from.
public enum VideoSource: Sendable, Hashable {
    /// The app uploads `videoSize` bytes in `totalChunkCount` chunks of `chunkSize` (the last
    /// chunk takes the remainder).
    case fileUpload(videoSize: Int64, chunkSize: Int64, totalChunkCount: Int)
    /// TikTok downloads the video from this https URL on a verified domain or URL prefix.
    case pullFromURL(String)

    /// The wire value of `source`.
    public var source: MediaSource {
        switch self {
        case .fileUpload: .fileUpload
        case .pullFromURL: .pullFromURL
        }
    }
}

extension VideoSource: Codable {
    enum CodingKeys: String, CodingKey {
        case source
        case videoSize = "video_size"
        case chunkSize = "chunk_size"
        case totalChunkCount = "total_chunk_count"
        case videoURL = "video_url"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let source = try container.decode(MediaSource.self, forKey: .source)
        switch source {
        case .fileUpload:
            self = .fileUpload(videoSize: try container.decode(Int64.self, forKey: .videoSize),
                               chunkSize: try container.decode(Int64.self, forKey: .chunkSize),
                               totalChunkCount: try container.decode(Int.self, forKey: .totalChunkCount))
        case .pullFromURL:
            self = .pullFromURL(try container.decode(String.self, forKey: .videoURL))
        default:
            throw DecodingError.dataCorruptedError(forKey: .source, in: container,
                                                   debugDescription: "unknown video source \(source)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        switch self {
        case .fileUpload(let videoSize, let chunkSize, let totalChunkCount):
            try container.encode(videoSize, forKey: .videoSize)
            try container.encode(chunkSize, forKey: .chunkSize)
            try container.encode(totalChunkCount, forKey: .totalChunkCount)
        case .pullFromURL(let url):
            try container.encode(url, forKey: .videoURL)
        }
    }
}

/// The body of `POST /v2/post/publish/video/init/` (direct post).
public struct DirectVideoInitRequest: Codable, Sendable, Hashable {
    /// Caption, audience and interaction settings.
    public var postInfo: VideoPostInfo
    /// Where the bytes come from.
    public var sourceInfo: VideoSource

    /// Creates a direct-post init body.
    public init(postInfo: VideoPostInfo, sourceInfo: VideoSource) {
        self.postInfo = postInfo
        self.sourceInfo = sourceInfo
    }

    enum CodingKeys: String, CodingKey {
        case postInfo = "post_info"
        case sourceInfo = "source_info"
    }
}

/// The body of `POST /v2/post/publish/inbox/video/init/` (draft to the creator's inbox): only a
/// source; TikTok documents no `post_info` for drafts.
public struct InboxVideoInitRequest: Codable, Sendable, Hashable {
    /// Where the bytes come from.
    public var sourceInfo: VideoSource

    /// Creates an inbox init body.
    public init(sourceInfo: VideoSource) { self.sourceInfo = sourceInfo }

    enum CodingKeys: String, CodingKey {
        case sourceInfo = "source_info"
    }
}

/// What a video or photo init returns.
public struct PublishInit: Codable, Sendable, Hashable {
    /// Identifies the publish from now on: keep it to poll status or resume (at most 64
    /// characters, opaque).
    public var publishID: String
    /// FILE_UPLOAD only: where to PUT the chunks, query included. A credential (it carries an
    /// `upload_token`), valid for one hour.
    public var uploadURL: String?

    /// Creates an init result.
    public init(publishID: String, uploadURL: String? = nil) {
        self.publishID = publishID
        self.uploadURL = uploadURL
    }

    enum CodingKeys: String, CodingKey {
        case publishID = "publish_id"
        case uploadURL = "upload_url"
    }
}

extension PublishInit: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The publish ID and the upload URL without its query (which holds the upload token).
    public var description: String {
        let upload = uploadURL.map { ", uploadURL: \(Redaction.url($0))" } ?? ""
        return "PublishInit(publishID: \(publishID)\(upload))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["publishID": publishID, "uploadURL": uploadURL.map(Redaction.url) as Any])
    }
}
