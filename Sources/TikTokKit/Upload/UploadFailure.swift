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
    /// Another process or task is running the same upload (same account and file or job) with
    /// the same journal.
    public static let uploadInProgress = UploadFailure(rawValue: "upload_in_progress")
    /// TikTok reported the upload complete although the uploader's position disagrees: it has the
    /// file, so the post may exist; never start over.
    public static let completedOutOfOrder = UploadFailure(rawValue: "upload_completed_out_of_order")
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
            Advice(classification: .userMustAct,
                   suggestion: "TikTok reports an upload position that does not match the file, and it did not accept the whole file. Check the publish's status (waitForPublish) before starting a new upload of the same file.")
        case .completedOutOfOrder:
            Advice(classification: .userMustAct,
                   suggestion: "TikTok accepted the whole file out of step with this upload (another upload of the same file may have run). Follow the publish with waitForPublish(publishID:) instead of uploading again, or it may be posted twice.")
        case .uploadInProgress:
            Advice(classification: .retryLater,
                   suggestion: "Another run is uploading this file right now. Wait for it to finish instead of starting a second upload, which could post the video twice.")
        case .retriesExhausted:
            Advice(classification: .retryLater,
                   suggestion: "The network kept failing while uploading. With a journal (UploadOptions(journal:)), calling the same publish method again resumes the upload while its URL is valid (one hour); without one it would start a second upload.")
        case .fileChanged:
            Advice(classification: .userMustAct,
                   suggestion: "The file changed while (or since) it was being uploaded, so the bytes TikTok has would not match it. Upload it again as a new publish.")
        case .initOutcomeUnknown:
            Advice(classification: .userMustAct,
                   suggestion: "The init request was sent but its answer was lost (the connection failed, or an earlier run stopped before journaling it), so TikTok may have created the post. Check the creator's TikTok inbox or profile (and your webhooks) before trying again; retrying blindly can post twice. With a journal, a rerun keeps reporting this until you pass UploadOptions(retryUnconfirmedInit: true).")
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
