/// The body of `POST /v2/post/publish/status/fetch/` and `POST /v2/post/publish/cancel/`.
package struct PublishIDRequest: Codable, Sendable, Hashable {
    /// The publish to ask about.
    public var publishID: String

    /// Creates the body.
    public init(publishID: String) { self.publishID = publishID }

    enum CodingKeys: String, CodingKey {
        case publishID = "publish_id"
    }
}

/// Where a publish stands, from `POST /v2/post/publish/status/fetch/`.
public struct PublishStatusReport: Codable, Sendable, Hashable {
    /// The state.
    public var status: PublishStatus
    /// Why it failed, with ``PublishStatus/failed``.
    public var failReason: FailReason?
    /// The public post IDs, once the post is public and passed moderation. Empty for private
    /// posts and during moderation — empty does not mean failure. An inbox draft can become
    /// several posts.
    public var publiclyAvailablePostIDs: [PostID]
    /// FILE_UPLOAD: bytes TikTok has received.
    public var uploadedBytes: Int64?
    /// PULL_FROM_URL: bytes TikTok has downloaded.
    public var downloadedBytes: Int64?

    /// Creates a report.
    public init(status: PublishStatus, failReason: FailReason? = nil, publiclyAvailablePostIDs: [PostID] = [],
                uploadedBytes: Int64? = nil, downloadedBytes: Int64? = nil) {
        self.status = status
        self.failReason = failReason
        self.publiclyAvailablePostIDs = publiclyAvailablePostIDs
        self.uploadedBytes = uploadedBytes
        self.downloadedBytes = downloadedBytes
    }

    enum CodingKeys: String, CodingKey {
        case status
        case failReason = "fail_reason"
        // Spelled `publicaly` (sic) by TikTok; the corrected spellings are read too, in case it is fixed.
        case publiclyAvailablePostIDs = "publicaly_available_post_id"
        case correctedPostIDs = "publicly_available_post_id"
        case otherSpellingPostIDs = "publically_available_post_id"
        case uploadedBytes = "uploaded_bytes"
        case downloadedBytes = "downloaded_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(PublishStatus.self, forKey: .status)
        let reason = try container.decodeIfPresent(String.self, forKey: .failReason)
        failReason = reason.flatMap { $0.isEmpty ? nil : FailReason(rawValue: Secrets.printable($0)) }
        publiclyAvailablePostIDs = try container.decodeIfPresent([PostID].self, forKey: .publiclyAvailablePostIDs)
            ?? container.decodeIfPresent([PostID].self, forKey: .correctedPostIDs)
            ?? container.decodeIfPresent([PostID].self, forKey: .otherSpellingPostIDs)
            ?? []
        uploadedBytes = try container.decodeIfPresent(Int64.self, forKey: .uploadedBytes)
        downloadedBytes = try container.decodeIfPresent(Int64.self, forKey: .downloadedBytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(failReason, forKey: .failReason)
        try container.encode(publiclyAvailablePostIDs, forKey: .publiclyAvailablePostIDs)
        try container.encodeIfPresent(uploadedBytes, forKey: .uploadedBytes)
        try container.encodeIfPresent(downloadedBytes, forKey: .downloadedBytes)
    }
}
