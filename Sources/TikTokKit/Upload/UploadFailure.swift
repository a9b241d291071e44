/// Why an upload or a wait for its outcome failed, when TikTok sent no error code for it.
public struct UploadFailure: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The upload URL answered 403 or 404: it expired (one hour after init) or the upload task is gone.
    public static let uploadURLExpired = UploadFailure(rawValue: "upload_url_expired")
    /// The upload host refused a chunk with a 4xx other than 403, 404, 416 or 429.
    public static let chunkRejected = UploadFailure(rawValue: "chunk_rejected")
    /// The server's idea of the upload's progress cannot be reconciled with the file.
    public static let outOfSync = UploadFailure(rawValue: "upload_out_of_sync")
    /// A chunk kept failing after every allowed retry.
    public static let retriesExhausted = UploadFailure(rawValue: "upload_retries_exhausted")
    /// The file's size or modification date changed since the upload started.
    public static let fileChanged = UploadFailure(rawValue: "file_changed")
    /// The init request may or may not have reached TikTok; it is not retried automatically.
    public static let initOutcomeUnknown = UploadFailure(rawValue: "init_outcome_unknown")
    /// The publish did not reach a final state before the deadline.
    public static let statusDeadlineExceeded = UploadFailure(rawValue: "status_deadline_exceeded")
    /// Another upload is already running on this ``Uploader``.
    public static let uploaderBusy = UploadFailure(rawValue: "uploader_busy")
}

extension ErrorAdvice {
    static func upload(_ failure: UploadFailure) -> Advice {
        switch failure {
        case .uploadURLExpired:
            Advice(classification: .retryLater,
                   suggestion: "The upload URL expired (TikTok allows one hour from init) or its upload task is gone. Start a new upload; pass `restartExpiredUploads: true` to let TikTokKit do it once by itself.")
        case .chunkRejected:
            Advice(classification: .permanent,
                   suggestion: "TikTok's upload host rejected a chunk's headers or size. Check the file did not change, and report it with the publish ID.")
        case .outOfSync:
            Advice(classification: .retryLater,
                   suggestion: "TikTok reports an upload position that does not match the file. Start a new upload of the same file.")
        case .retriesExhausted:
            Advice(classification: .retryLater,
                   suggestion: "The network kept failing while uploading. The upload can be resumed from its journal while the upload URL is valid (one hour): call the same publish method again.")
        case .fileChanged:
            Advice(classification: .userMustAct,
                   suggestion: "The file changed while (or since) it was being uploaded, so the bytes TikTok has would not match it. Upload it again as a new publish.")
        case .initOutcomeUnknown:
            Advice(classification: .userMustAct,
                   suggestion: "The connection failed after the init request was sent, so TikTok may have created the post. Check the creator's TikTok inbox or profile (and your webhooks) before trying again; retrying blindly can post twice.")
        case .statusDeadlineExceeded:
            Advice(classification: .retryLater,
                   suggestion: "TikTok is still processing the post. Keep its publish ID and check later with waitForPublish(publishID:) or the webhooks; do not upload again.")
        case .uploaderBusy:
            Advice(classification: .permanent,
                   suggestion: "An Uploader runs one upload at a time; create another Uploader for concurrent uploads.")
        default:
            Advice(classification: .permanent, suggestion: "The upload failed (\(failure.rawValue)).")
        }
    }
}
