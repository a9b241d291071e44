/// The classification and plain-words advice for each error TikTok documents.
///
/// `Documentation/Errors.md` holds the same table for readers; a test checks that every
/// documented code and fail reason has specific advice here.
enum ErrorAdvice {
    struct Advice: Sendable, Hashable {
        var classification: TikTokError.Classification
        var suggestion: String
    }

    static func advice(for error: TikTokError) -> Advice {
        switch error.kind.storage {
        case .api(let code): api(code, httpStatus: error.httpStatus)
        case .oauth(let code): oauth(code)
        case .publishFailed(let reason): failReason(reason)
        case .http(let status): http(status)
        case .transport(let kind): transport(kind)
        case .undecodableResponse:
            Advice(classification: .retryLater,
                   suggestion: "TikTok's reply was not the JSON it documents; a proxy or gateway may have answered instead. Retry later; if it persists, report it with the log ID and the response excerpt.")
        case .validation(let field):
            Advice(classification: .userMustAct,
                   suggestion: "Fix `\(field)` and try again; nothing was sent to TikTok.")
        case .upload(let failure): upload(failure)
        case .media(let refusal): media(refusal)
        }
    }

    static func api(_ code: APIErrorCode, httpStatus: Int? = nil) -> Advice {
        switch code {
        case .invalidParam:
            return Advice(classification: .permanent,
                          suggestion: "TikTok rejected the request's parameters; read the message. \"The chunk size is invalid\" means the chunk plan broke TikTok's rules (TikTokKit's planner follows them; a custom chunk size may not), or TikTok changed its enforcement: single-chunk uploads of at most 64,000,000 bytes are the safest.")
        case .invalidFileUpload:
            return Advice(classification: .permanent,
                          suggestion: "The uploaded file does not meet TikTok's specifications: use MP4 (H.264), WebM or MOV, 23–60 fps, 360–4096 px per side, at most 4 GB and within the creator's maximum duration.")
        case .scopePermissionMissed, .scopeNotAuthorized:
            return Advice(classification: .userMustAct,
                          suggestion: "The access token lacks a scope this call needs (video.publish for direct posts and creator info, video.upload for drafts, user.info.* for user fields). Request the scope in the authorization URL, have the user authorize again, and check the scopes TikTok actually granted.")
        case .appVersionCheckFailed:
            return Advice(classification: .userMustAct,
                          suggestion: "Sending photos to the inbox (MEDIA_UPLOAD) needs TikTok app version 31.8 or later: ask the creator to update the TikTok app, or use DIRECT_POST.")
        case .invalidPublishID:
            return Advice(classification: .permanent,
                          suggestion: "TikTok has no publish with this ID: the upload failed or expired, or the ID is mistyped. Start a new upload; do not keep polling this ID.")
        case .tokenNotAuthorizedForSpecifiedPublishID:
            return Advice(classification: .permanent,
                          suggestion: "This publish ID belongs to another user or app: use the access token of the user who started the upload.")
        case .publishNotCancellable:
            return Advice(classification: .permanent,
                          suggestion: "The publish is already final or too far along to cancel; only PULL_FROM_URL downloads in progress can be cancelled. Check its status instead.")
        case .accessTokenInvalid:
            return Advice(classification: .refreshToken,
                          suggestion: "The access token is invalid or expired: refresh it with the refresh token and retry once. If the refresh fails, the user must log in again.")
        case .spamRiskTooManyPosts:
            return Advice(classification: .retryLater,
                          suggestion: "The creator reached TikTok's daily post cap (about 15 posts per day, shared across all apps using Direct Post). Try again in 24 hours; tell the creator it is TikTok's limit, not the app's.")
        case .spamRiskUserBannedFromPosting:
            return Advice(classification: .permanent,
                          suggestion: "TikTok has banned this creator from posting. Do not retry; the creator must resolve it with TikTok.")
        case .spamRiskTooManyPendingShare:
            return Advice(classification: .userMustAct,
                          suggestion: "The creator has 5 drafts waiting in the TikTok inbox (the 24-hour limit). Ask them to post or delete pending drafts in the TikTok app, or wait 24 hours.")
        case .reachedActiveUserCap:
            return Advice(classification: .retryLater,
                          suggestion: "Your app reached its daily quota of active posting users (set by TikTok from your audit; 5 users per 24 hours before audit). Try again tomorrow; to raise the cap, apply for or update TikTok's Content Posting audit.")
        case .unauditedClientCanOnlyPostToPrivateAccounts:
            return Advice(classification: .userMustAct,
                          suggestion: "Until your app passes TikTok's Content Posting audit, it can only post with privacy SELF_ONLY, and only to an account set to private: switch the TikTok account to Private in its settings and post as SELF_ONLY. Apply for the audit at https://developers.tiktok.com/application/content-posting-api.")
        case .urlOwnershipUnverified:
            return Advice(classification: .userMustAct,
                          suggestion: "TikTok only pulls media from domains or URL prefixes your app verified: verify the domain (DNS TXT record) or the https URL prefix under Manage URL properties in the TikTok developer portal, and use a URL without redirects. Or use FILE_UPLOAD, which needs no verification (publishVideo(file:post:) or publishDraft(file:)).")
        case .privacyLevelOptionMismatch:
            return Advice(classification: .userMustAct,
                          suggestion: "The privacy level is missing or not one the creator may use: query creator info again and let the user pick from its privacy_level_options (with no default).")
        case .rateLimitExceeded:
            return Advice(classification: .retryLater,
                          suggestion: "Too many requests for this access token (init: 6 per minute, status: 30, creator info: 20). Wait a minute and retry with backoff; TikTokKit's rate limiter spaces calls for you when enabled.")
        case .internalError:
            return Advice(classification: .retryLater,
                          suggestion: "TikTok had an internal error. Retry later with backoff; if it persists, report it with the log ID.")
        default:
            if let httpStatus, httpStatus >= 500 {
                return Advice(classification: .retryLater,
                              suggestion: "TikTok reported \(code) with HTTP \(httpStatus). Retry later with backoff; report it with the log ID if it persists.")
            }
            return Advice(classification: .permanent,
                          suggestion: "TikTok reported \(code), a code TikTokKit does not know yet. Read the message and check TikTok's error documentation; report it with the log ID.")
        }
    }

    static func oauth(_ code: OAuthErrorCode) -> Advice {
        switch code {
        case .accessDenied:
            Advice(classification: .userMustAct,
                   suggestion: "The user declined, or is not eligible. Ask them to authorize again, or explain why the app needs access.")
        case .invalidClient:
            Advice(classification: .permanent,
                   suggestion: "TikTok did not accept the client key or client secret: check both in the developer portal (and that the secret is sent from your server).")
        case .invalidGrant:
            Advice(classification: .userMustAct,
                   suggestion: "The authorization code or refresh token is invalid, expired, already used, revoked, or was issued for another redirect URI or app. Have the user log in again; after a refresh, always store the newest refresh token.")
        case .invalidRequest:
            Advice(classification: .permanent,
                   suggestion: "A parameter is missing or malformed. \"Code verifier or code challenge is invalid\" means the PKCE pair did not match: TikTok desktop apps need code_challenge = lowercase hex SHA-256 of the verifier, and the same verifier at token exchange. Also check that redirect_uri equals the one used to authorize.")
        case .invalidScope:
            Advice(classification: .permanent,
                   suggestion: "A requested scope is unknown or not enabled for the app: enable it for the app (and its sandbox) in the developer portal, or stop requesting it.")
        case .unauthorizedClient:
            Advice(classification: .permanent,
                   suggestion: "The app is not allowed this grant type or product: check the app's products and settings in the developer portal.")
        case .unsupportedGrantType, .unsupportedResponseType:
            Advice(classification: .permanent,
                   suggestion: "TikTok does not support this grant or response type; use authorization_code, refresh_token or client_credentials, and response_type=code.")
        case .serverError, .temporarilyUnavailable:
            Advice(classification: .retryLater,
                   suggestion: "TikTok's authorization server had a problem. Retry later with backoff.")
        default:
            Advice(classification: .permanent,
                   suggestion: "TikTok's OAuth endpoint reported \(code); read the description and report it with the log ID.")
        }
    }

    static func failReason(_ reason: FailReason) -> Advice {
        switch reason {
        case .fileFormatCheckFailed:
            Advice(classification: .userMustAct,
                   suggestion: "TikTok could not read the media: use MP4 (H.264 recommended), WebM or MOV for video, and JPEG or WebP (not PNG) for photos.")
        case .durationCheckFailed:
            Advice(classification: .userMustAct,
                   suggestion: "The video is too long or too short for this creator: keep it within creator info's max_video_post_duration_sec (3 to 10 minutes depending on the creator).")
        case .frameRateCheckFailed:
            Advice(classification: .userMustAct,
                   suggestion: "The frame rate is outside TikTok's 23–60 fps: re-encode the video.")
        case .pictureSizeCheckFailed:
            Advice(classification: .userMustAct,
                   suggestion: "A video side is outside 360–4096 px, or a photo is larger than 1080p (TikTok does not say which photo): resize and upload again.")
        case .internal:
            Advice(classification: .retryLater,
                   suggestion: "TikTok had an internal problem processing the post. Retry the whole publish later.")
        case .videoPullFailed, .photoPullFailed:
            Advice(classification: .retryLater,
                   suggestion: "TikTok could not download the media within an hour: make sure the URL is https, public, answers without redirects and stays reachable, then retry — or upload the file with FILE_UPLOAD instead.")
        case .publishCancelled:
            Advice(classification: .permanent,
                   suggestion: "The publish was cancelled through the cancel endpoint. Start a new one if it is still wanted.")
        case .authRemoved:
            Advice(classification: .permanent,
                   suggestion: "The user revoked the app's access during processing. Do not retry; the user must authorize the app again.")
        case .spamRiskTooManyPosts:
            Advice(classification: .retryLater,
                   suggestion: "The creator reached TikTok's daily post cap. Try again in 24 hours.")
        case .spamRiskUserBannedFromPosting:
            Advice(classification: .permanent,
                   suggestion: "TikTok has banned this creator from posting. Do not retry.")
        case .spamRiskText:
            Advice(classification: .permanent,
                   suggestion: "TikTok flagged the caption as spam. Do not retry as is; change the title or description.")
        case .spamRisk:
            Advice(classification: .permanent,
                   suggestion: "TikTok flagged the post as spam. Do not retry.")
        default:
            Advice(classification: .permanent,
                   suggestion: "The publish failed with \(reason), a reason TikTokKit does not know yet; report it with the publish ID.")
        }
    }

    static func http(_ status: Int) -> Advice {
        switch status {
        case 401: Advice(classification: .refreshToken, suggestion: "HTTP 401: refresh the access token and retry once.")
        case 408, 425, 429, 500...599:
            Advice(classification: .retryLater, suggestion: "HTTP \(status) without a TikTok error body, likely from a gateway: retry later with backoff.")
        default:
            Advice(classification: .permanent, suggestion: "HTTP \(status) without a TikTok error body: check the base URL and the request.")
        }
    }

    static func transport(_ kind: TransportError.Kind) -> Advice {
        switch kind {
        case .invalidRequest, .fileUnreadable:
            Advice(classification: .userMustAct, suggestion: "The request could not be sent as given (\(kind)): check the URL and the file.")
        case .tls:
            Advice(classification: .permanent, suggestion: "TLS failed: check the system clock and CA certificates, and for a custom base URL its certificate.")
        default:
            Advice(classification: .retryLater, suggestion: "The network failed (\(kind)) before TikTok answered. Check connectivity and retry with backoff.")
        }
    }
}
