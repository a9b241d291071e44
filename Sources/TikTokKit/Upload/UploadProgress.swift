/// Where an upload stands: enough to draw a progress bar.
public struct UploadProgress: Sendable, Hashable, CustomStringConvertible {
    /// The stage of a publish.
    public enum Phase: String, Sendable, Hashable {
        /// Checking the file and the request.
        case validating
        /// Calling TikTok's init endpoint.
        case initializing
        /// Sending chunks.
        case uploading
        /// Waiting for TikTok to process the video.
        case processing
        /// Done.
        case finished
    }

    /// The stage.
    public var phase: Phase
    /// Bytes sent (or confirmed) so far.
    public var bytesSent: Int64
    /// The file's size.
    public var totalBytes: Int64
    /// The chunk being sent (0-based), when uploading.
    public var chunkIndex: Int
    /// The number of chunks.
    public var chunkCount: Int
    /// The publish ID, as soon as init returned it.
    public var publishID: String?
    /// The latest status from TikTok, while processing.
    public var status: PublishStatus?
    /// When this run continues a journaled upload instead of making a new init: the byte TikTok
    /// had confirmed when it started. Nil for a fresh upload.
    public var resumedFrom: Int64?

    /// Creates a progress value.
    public init(phase: Phase, bytesSent: Int64 = 0, totalBytes: Int64 = 0, chunkIndex: Int = 0, chunkCount: Int = 0,
                publishID: String? = nil, status: PublishStatus? = nil) {
        self.phase = phase
        self.bytesSent = bytesSent
        self.totalBytes = totalBytes
        self.chunkIndex = chunkIndex
        self.chunkCount = chunkCount
        self.publishID = publishID
        self.status = status
    }

    /// `bytesSent / totalBytes`, from 0 to 1.
    public var fractionCompleted: Double {
        totalBytes > 0 ? min(1, Double(bytesSent) / Double(totalBytes)) : 0
    }

    public var description: String {
        "\(phase.rawValue) \(bytesSent)/\(totalBytes) chunk \(chunkIndex + 1)/\(chunkCount)"
            + (publishID.map { " \($0)" } ?? "") + (status.map { " \($0)" } ?? "")
    }
}

/// The outcome of a publish.
public struct PublishResult: Sendable, Hashable {
    /// The publish ID.
    public var publishID: String
    /// The final status: ``PublishStatus/sendToUserInbox`` for drafts, ``PublishStatus/publishComplete`` for posts.
    public var status: PublishStatus
    /// Public post IDs, when TikTok already made the post public (empty for private posts and
    /// while moderation runs — not a failure).
    public var publiclyAvailablePostIDs: [PostID]

    /// Creates a result.
    public init(publishID: String, status: PublishStatus, publiclyAvailablePostIDs: [PostID] = []) {
        self.publishID = publishID
        self.status = status
        self.publiclyAvailablePostIDs = publiclyAvailablePostIDs
    }
}
