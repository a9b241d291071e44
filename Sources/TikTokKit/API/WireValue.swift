/// A string value from TikTok's API that may grow new cases: decoding never fails on an unknown
/// value, which is kept as its raw string.
///
/// Conforming types are structs with one `rawValue` and static members for the known values
/// (`PrivacyLevel.selfOnly`), so a value TikTok adds tomorrow decodes today and compares equal
/// to itself.
public protocol WireValue: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible
where RawValue == String {
    /// Creates a value from TikTok's spelling; an unknown spelling is kept, never refused.
    init(rawValue: String)
}

extension WireValue {
    /// Decodes the string; control characters (never part of a real TikTok value) become visible
    /// `\u{…}` escapes, so a value printed by an app cannot drive its terminal.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: Secrets.printable(try decoder.singleValueContainer().decode(String.self)))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { Secrets.printable(rawValue) }
}

/// Who can see a post. A creator's allowed levels come from ``CreatorInfo/privacyLevelOptions``.
public struct PrivacyLevel: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Everyone (public accounts only).
    public static let publicToEveryone = PrivacyLevel(rawValue: "PUBLIC_TO_EVERYONE")
    /// Mutual followers.
    public static let mutualFollowFriends = PrivacyLevel(rawValue: "MUTUAL_FOLLOW_FRIENDS")
    /// Followers (private accounts only).
    public static let followerOfCreator = PrivacyLevel(rawValue: "FOLLOWER_OF_CREATOR")
    /// Only the creator. The only level an unaudited app may use.
    public static let selfOnly = PrivacyLevel(rawValue: "SELF_ONLY")

    /// The four levels TikTok documents.
    public static let documented: [PrivacyLevel] = [.publicToEveryone, .mutualFollowFriends, .followerOfCreator, .selfOnly]
}

/// Where TikTok gets a post's media from.
public struct MediaSource: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The app uploads the bytes in chunks to an upload URL. Works for any file; needs no
    /// domain verification.
    public static let fileUpload = MediaSource(rawValue: "FILE_UPLOAD")
    /// TikTok downloads the media from an https URL on a domain or prefix the app verified.
    public static let pullFromURL = MediaSource(rawValue: "PULL_FROM_URL")
}

/// How a photo post is delivered.
public struct PostMode: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Posted to the creator's profile at once (scope `video.publish`).
    public static let directPost = PostMode(rawValue: "DIRECT_POST")
    /// Sent to the creator's TikTok inbox to finish there (scope `video.upload`).
    public static let mediaUpload = PostMode(rawValue: "MEDIA_UPLOAD")
}

/// The state of a publish, from the status endpoint.
public struct PublishStatus: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// FILE_UPLOAD: TikTok is still receiving or processing the uploaded bytes.
    public static let processingUpload = PublishStatus(rawValue: "PROCESSING_UPLOAD")
    /// PULL_FROM_URL: TikTok is still downloading the media.
    public static let processingDownload = PublishStatus(rawValue: "PROCESSING_DOWNLOAD")
    /// Inbox flow: the creator was notified and can finish the post in TikTok.
    public static let sendToUserInbox = PublishStatus(rawValue: "SEND_TO_USER_INBOX")
    /// Posted.
    public static let publishComplete = PublishStatus(rawValue: "PUBLISH_COMPLETE")
    /// Failed for good; see ``FailReason``.
    public static let failed = PublishStatus(rawValue: "FAILED")
}

/// Why a publish ended ``PublishStatus/failed``.
public struct FailReason: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// TikTok could not read the media: not a format it takes (MP4, WebM, MOV; JPEG or WebP photos).
    public static let fileFormatCheckFailed = FailReason(rawValue: "file_format_check_failed")
    /// The video is longer (or shorter) than this creator may post.
    public static let durationCheckFailed = FailReason(rawValue: "duration_check_failed")
    /// The frame rate is outside TikTok's 23–60 fps.
    public static let frameRateCheckFailed = FailReason(rawValue: "frame_rate_check_failed")
    /// A video side is outside 360–4096 px, or a photo is larger than 1080p.
    public static let pictureSizeCheckFailed = FailReason(rawValue: "picture_size_check_failed")
    /// TikTok had an internal problem processing the post; the whole publish may be retried later.
    public static let `internal` = FailReason(rawValue: "internal")
    /// `PULL_FROM_URL`: TikTok could not download the video within an hour.
    public static let videoPullFailed = FailReason(rawValue: "video_pull_failed")
    /// TikTok could not download a photo within an hour.
    public static let photoPullFailed = FailReason(rawValue: "photo_pull_failed")
    /// The publish was cancelled through the cancel endpoint.
    public static let publishCancelled = FailReason(rawValue: "publish_cancelled")
    /// The user revoked the app's access while TikTok was processing the post.
    public static let authRemoved = FailReason(rawValue: "auth_removed")
    /// The creator reached TikTok's daily post cap.
    public static let spamRiskTooManyPosts = FailReason(rawValue: "spam_risk_too_many_posts")
    /// TikTok has banned this creator from posting.
    public static let spamRiskUserBannedFromPosting = FailReason(rawValue: "spam_risk_user_banned_from_posting")
    /// TikTok flagged the caption as spam.
    public static let spamRiskText = FailReason(rawValue: "spam_risk_text")
    /// TikTok flagged the post as spam.
    public static let spamRisk = FailReason(rawValue: "spam_risk")

    /// Every fail reason TikTok documents.
    public static let documented: [FailReason] = [
        .fileFormatCheckFailed, .durationCheckFailed, .frameRateCheckFailed, .pictureSizeCheckFailed,
        .internal, .videoPullFailed, .photoPullFailed, .publishCancelled, .authRemoved,
        .spamRiskTooManyPosts, .spamRiskUserBannedFromPosting, .spamRiskText, .spamRisk,
    ]
}

/// The `error.code` of a Content Posting (v2 API) response. `ok` means success.
public struct APIErrorCode: WireValue {
    public let rawValue: String

    /// Creates a code; `invalid_params` (seen on the wire) becomes `invalid_param` (documented),
    /// so both compare equal.
    public init(rawValue: String) {
        self.rawValue = rawValue == "invalid_params" ? "invalid_param" : rawValue
    }

    /// Success: every response carries an `error` object, and this is its code when nothing failed.
    public static let ok = APIErrorCode(rawValue: "ok")
    /// TikTok rejected the request's parameters (also spelled `invalid_params`); the message says which.
    public static let invalidParam = APIErrorCode(rawValue: "invalid_param")
    /// The uploaded file does not meet TikTok's specifications.
    public static let invalidFileUpload = APIErrorCode(rawValue: "invalid_file_upload")
    /// A scope this call needs is missing from the app or the token; handled like
    /// ``scopeNotAuthorized``.
    public static let scopePermissionMissed = APIErrorCode(rawValue: "scope_permission_missed")
    /// The creator's TikTok app is too old for photos sent to the inbox (31.8 or later needed).
    public static let appVersionCheckFailed = APIErrorCode(rawValue: "app_version_check_failed")
    /// TikTok has no publish with this ID.
    public static let invalidPublishID = APIErrorCode(rawValue: "invalid_publish_id")
    /// The publish ID belongs to another user or app than the token's.
    public static let tokenNotAuthorizedForSpecifiedPublishID = APIErrorCode(rawValue: "token_not_authorized_for_specified_publish_id")
    /// The publish is final or too far along to cancel.
    public static let publishNotCancellable = APIErrorCode(rawValue: "publish_not_cancellable")
    /// The access token is invalid or expired: refresh it and retry once.
    public static let accessTokenInvalid = APIErrorCode(rawValue: "access_token_invalid")
    /// The user did not authorize a scope this call needs.
    public static let scopeNotAuthorized = APIErrorCode(rawValue: "scope_not_authorized")
    /// The creator reached TikTok's daily post cap (about 15 a day, shared by all apps).
    public static let spamRiskTooManyPosts = APIErrorCode(rawValue: "spam_risk_too_many_posts")
    /// TikTok has banned this creator from posting.
    public static let spamRiskUserBannedFromPosting = APIErrorCode(rawValue: "spam_risk_user_banned_from_posting")
    /// The creator has 5 drafts waiting in the TikTok inbox, the 24-hour limit.
    public static let spamRiskTooManyPendingShare = APIErrorCode(rawValue: "spam_risk_too_many_pending_share")
    /// The app reached its daily quota of users who post (5 before the audit).
    public static let reachedActiveUserCap = APIErrorCode(rawValue: "reached_active_user_cap")
    /// An unaudited app may only post `SELF_ONLY`, to an account set to private.
    public static let unauditedClientCanOnlyPostToPrivateAccounts = APIErrorCode(rawValue: "unaudited_client_can_only_post_to_private_accounts")
    /// `PULL_FROM_URL`: the media URL is not on a domain or prefix the app verified.
    public static let urlOwnershipUnverified = APIErrorCode(rawValue: "url_ownership_unverified")
    /// The privacy level is missing or not one of the creator's options.
    public static let privacyLevelOptionMismatch = APIErrorCode(rawValue: "privacy_level_option_mismatch")
    /// Too many requests for this access token in the last minute.
    public static let rateLimitExceeded = APIErrorCode(rawValue: "rate_limit_exceeded")
    /// TikTok had an internal error; retry later with backoff.
    public static let internalError = APIErrorCode(rawValue: "internal_error")

    /// Every code TikTok documents for the Content Posting API, `ok` excluded.
    public static let documented: [APIErrorCode] = [
        .invalidParam, .invalidFileUpload, .scopePermissionMissed, .appVersionCheckFailed, .invalidPublishID,
        .tokenNotAuthorizedForSpecifiedPublishID, .publishNotCancellable, .accessTokenInvalid,
        .scopeNotAuthorized, .spamRiskTooManyPosts, .spamRiskUserBannedFromPosting,
        .spamRiskTooManyPendingShare, .reachedActiveUserCap, .unauditedClientCanOnlyPostToPrivateAccounts,
        .urlOwnershipUnverified, .privacyLevelOptionMismatch, .rateLimitExceeded, .internalError,
    ]
}

/// The `error` of an OAuth (`/v2/oauth/…`) response.
public struct OAuthErrorCode: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The user declined, or is not eligible.
    public static let accessDenied = OAuthErrorCode(rawValue: "access_denied")
    /// TikTok did not accept the client key or client secret.
    public static let invalidClient = OAuthErrorCode(rawValue: "invalid_client")
    /// The code or refresh token is invalid, expired, already used, revoked, or was issued for
    /// another redirect URI or app.
    public static let invalidGrant = OAuthErrorCode(rawValue: "invalid_grant")
    /// A parameter is missing or malformed, such as a PKCE verifier that does not match the challenge.
    public static let invalidRequest = OAuthErrorCode(rawValue: "invalid_request")
    /// A requested scope is unknown or not enabled for the app.
    public static let invalidScope = OAuthErrorCode(rawValue: "invalid_scope")
    /// The app is not allowed this grant type or product.
    public static let unauthorizedClient = OAuthErrorCode(rawValue: "unauthorized_client")
    /// TikTok does not support this `grant_type`.
    public static let unsupportedGrantType = OAuthErrorCode(rawValue: "unsupported_grant_type")
    /// TikTok does not support this `response_type` (use `code`).
    public static let unsupportedResponseType = OAuthErrorCode(rawValue: "unsupported_response_type")
    /// TikTok's authorization server had a problem; retry later.
    public static let serverError = OAuthErrorCode(rawValue: "server_error")
    /// TikTok's authorization server is unavailable for now; retry later.
    public static let temporarilyUnavailable = OAuthErrorCode(rawValue: "temporarily_unavailable")

    /// Every OAuth error TikTok documents.
    public static let documented: [OAuthErrorCode] = [
        .accessDenied, .invalidClient, .invalidGrant, .invalidRequest, .invalidScope, .unauthorizedClient,
        .unsupportedGrantType, .unsupportedResponseType, .serverError, .temporarilyUnavailable,
    ]
}
