import Foundation

/// Checks requests against TikTok's documented rules before anything is sent, so bad input fails
/// fast with an error that names the field.
enum Validation {
    static func check(_ request: DirectVideoInitRequest, creatorInfo: CreatorInfo?) throws {
        let post = request.postInfo
        try checkLength(post.title, field: "title", max: VideoPostInfo.maxTitleLength)
        try checkPrivacy(post.privacyLevel, brandContent: post.brandContentToggle, creatorInfo: creatorInfo)
        if let creatorInfo {
            if creatorInfo.commentDisabled && !post.disableComment {
                throw TikTokError.validation("disableComment", "the creator has turned comments off; set disableComment to true")
            }
            if creatorInfo.duetDisabled && !post.disableDuet {
                throw TikTokError.validation("disableDuet", "the creator has turned duets off; set disableDuet to true")
            }
            if creatorInfo.stitchDisabled && !post.disableStitch {
                throw TikTokError.validation("disableStitch", "the creator has turned stitches off; set disableStitch to true")
            }
        }
        if let timestamp = post.videoCoverTimestampMs, timestamp < 0 {
            throw TikTokError.validation("videoCoverTimestampMs", "the cover timestamp cannot be negative")
        }
        try check(request.sourceInfo)
    }

    static func check(_ request: InboxVideoInitRequest) throws {
        try check(request.sourceInfo)
    }

    static func check(_ source: VideoSource) throws {
        switch source {
        case .pullFromURL(let url):
            try checkHTTPS(url, field: "videoURL")
        case .fileUpload(let videoSize, let chunkSize, let totalChunkCount):
            // The rules `UploadPlan` follows, so a hand-built source fails here, not at TikTok.
            guard videoSize > 0 else { throw TikTokError.validation("videoSize", "the video is empty") }
            guard videoSize <= UploadPlan.maxVideoSize else {
                throw TikTokError.validation("videoSize", "the video has \(videoSize) bytes; TikTok accepts at most 4 GiB (\(UploadPlan.maxVideoSize) bytes)")
            }
            guard chunkSize > 0, chunkSize <= videoSize else {
                throw TikTokError.validation("chunkSize", "the chunk size must be between 1 and the video size")
            }
            let whole = chunkSize == videoSize
            guard whole ? videoSize <= UploadPlan.singleChunkLimit
                        : (UploadPlan.minChunkSize...UploadPlan.maxChunkSize).contains(chunkSize) else {
                throw TikTokError.validation("chunkSize", whole
                    ? "a video over \(UploadPlan.singleChunkLimit) bytes must go in at least two chunks"
                    : "the chunk size must be between \(UploadPlan.minChunkSize) and \(UploadPlan.maxChunkSize) bytes (or the whole video up to \(UploadPlan.singleChunkLimit)); got \(chunkSize)")
            }
            guard totalChunkCount >= 1, totalChunkCount <= UploadPlan.maxChunkCount, Int64(totalChunkCount) == videoSize / chunkSize else {
                throw TikTokError.validation("totalChunkCount",
                                             "the chunk count must be video size / chunk size, rounded down, and at most \(UploadPlan.maxChunkCount)")
            }
            guard videoSize - Int64(totalChunkCount - 1) * chunkSize <= UploadPlan.maxFinalChunkSize else {
                throw TikTokError.validation("chunkSize", "the last chunk would be over \(UploadPlan.maxFinalChunkSize) bytes")
            }
        }
    }

    static func check(_ request: PhotoInitRequest, creatorInfo: CreatorInfo?) throws {
        let post = request.postInfo
        try checkLength(post.title, field: "title", max: PhotoPostInfo.maxTitleLength)
        try checkLength(post.description, field: "description", max: PhotoPostInfo.maxDescriptionLength)
        let images = request.sourceInfo.photoImages
        guard !images.isEmpty else { throw TikTokError.validation("photoImages", "a photo post needs at least one image") }
        guard images.count <= PhotoSource.maxPhotoCount else {
            throw TikTokError.validation("photoImages", "a photo post holds at most \(PhotoSource.maxPhotoCount) images; got \(images.count)")
        }
        for (index, image) in images.enumerated() {
            try checkHTTPS(image, field: "photoImages[\(index)]")
        }
        guard images.indices.contains(request.sourceInfo.photoCoverIndex) else {
            throw TikTokError.validation("photoCoverIndex",
                                         "the cover index \(request.sourceInfo.photoCoverIndex) is outside 0...\(images.count - 1)")
        }
        if request.postMode == .directPost {
            guard let privacy = post.privacyLevel else {
                throw TikTokError.validation("privacyLevel", "a direct photo post needs a privacy level chosen by the user")
            }
            try checkPrivacy(privacy, brandContent: post.brandContentToggle ?? false, creatorInfo: creatorInfo)
            if let creatorInfo, creatorInfo.commentDisabled, post.disableComment != true {
                throw TikTokError.validation("disableComment", "the creator has turned comments off; set disableComment to true")
            }
        }
    }

    static func checkPublishID(_ publishID: String) throws {
        guard !publishID.isEmpty, publishID.count <= 64 else {
            throw TikTokError.validation("publishID", "a publish ID has 1 to 64 characters")
        }
    }

    private static func checkPrivacy(_ privacy: PrivacyLevel, brandContent: Bool, creatorInfo: CreatorInfo?) throws {
        if let options = creatorInfo?.privacyLevelOptions, !options.isEmpty, !options.contains(privacy) {
            throw TikTokError.validation(
                "privacyLevel",
                "\(privacy) is not one of the creator's options (\(options.map(\.rawValue).joined(separator: ", ")))")
        }
        if brandContent && privacy == .selfOnly {
            throw TikTokError.validation("brandContentToggle", "branded content cannot be private (SELF_ONLY)")
        }
    }

    private static func checkLength(_ text: String?, field: String, max: Int) throws {
        guard let text else { return }
        let length = text.utf16.count
        if length > max {
            throw TikTokError.validation(field, "\(field) has \(length) UTF-16 code units; TikTok allows at most \(max)")
        }
    }

    private static func checkHTTPS(_ text: String, field: String) throws {
        guard let url = URL(string: text), let host = url.host, !host.isEmpty, isSecure(scheme: url.scheme, host: host) else {
            throw TikTokError.validation(field, "TikTok only pulls media from https URLs on a verified domain; got \(Redaction.url(text))")
        }
    }

    /// https anywhere, or plain http on a loopback host (the offline sandbox): the one rule for
    /// the API base URL, upload URLs and media URLs.
    static func isSecure(scheme: String?, host: String) -> Bool {
        switch scheme?.lowercased() {
        case "https": true
        case "http": ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased())
        default: false
        }
    }
}
