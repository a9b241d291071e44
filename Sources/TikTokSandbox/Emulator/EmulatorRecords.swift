import Foundation

extension TikTokEmulator {
    /// A fault to inject.
    public enum Fault: Sendable, Hashable, Codable {
        /// Read part of the body, then reset the connection.
        case resetMidBody
        /// Answer 503 without a TikTok body.
        case serverError
        /// Answer 429 `rate_limit_exceeded` with `Retry-After`.
        case tooManyRequests(retryAfterSeconds: Int)
        /// Read the request, then wait before answering.
        case stall(seconds: Double)
        /// Answer TikTok's error envelope with `code` and the HTTP status TikTok uses for it
        /// (``apiErrorStatus(for:on:)``), so an app can meet any code in `Documentation/Errors.md`.
        case apiError(code: String)
        /// On `status/fetch`: answer that the publish `FAILED` with `reason` (a `fail_reason`).
        case failReason(String)
        /// Handle the request fully (store the chunk, create the publish), then close the
        /// connection without answering: the connection "died after the request", and the client
        /// cannot know the server acted on it.
        case dropAnswer
        /// On a chunk PUT: the upload URL has just expired (as after TikTok's hour); this and every
        /// later PUT to it get 403.
        case expireUploadURL

        /// The HTTP status TikTok answers `code` with on `path` (its master error table):
        /// 401 for token and scope errors, 429 for the rate limit, 5xx for `internal_error`, 403
        /// for the spam, audit, ownership and privacy refusals (200 on `creator_info`, which
        /// reports them in a normal answer), 400 for the rest.
        public static func apiErrorStatus(for code: String, on path: String) -> Int {
            switch code {
            case "access_token_invalid", "scope_not_authorized": return 401
            case "rate_limit_exceeded": return 429
            case "internal_error": return 500
            case "spam_risk_too_many_posts", "spam_risk_user_banned_from_posting", "reached_active_user_cap":
                return path.hasSuffix("/creator_info/query/") ? 200 : 403
            case "spam_risk_too_many_pending_share", "unaudited_client_can_only_post_to_private_accounts",
                 "url_ownership_unverified", "privacy_level_option_mismatch":
                return 403
            default: return 400
            }
        }
    }

    /// One chunk PUT as the emulator saw it.
    public struct ChunkRecord: Sendable, Hashable, Codable {
        /// The `Content-Range` header sent.
        public var contentRange: String?
        /// The `Content-Type` header sent.
        public var contentType: String?
        /// The `Content-Length` header sent.
        public var contentLength: Int64?
        /// The status the emulator answered (0 for a reset).
        public var status: Int
    }

    /// What the emulator knows about one publish, for inspection.
    public struct Upload: Sendable, Hashable, Codable {
        /// The publish ID.
        public var publishID: String
        /// `FILE_UPLOAD` or `PULL_FROM_URL`.
        public var source: String
        /// `video` or `photo`.
        public var mediaType: String
        /// Inbox (draft) or direct post.
        public var isDirectPost: Bool
        /// The status a status fetch would report now.
        public var status: String
        /// The fail reason, when failed.
        public var failReason: String?
        /// The declared video size in bytes (FILE_UPLOAD).
        public var videoSize: Int64
        /// The declared chunk size in bytes (FILE_UPLOAD).
        public var chunkSize: Int64
        /// The declared number of chunks (FILE_UPLOAD).
        public var chunkCount: Int
        /// Bytes received (FILE_UPLOAD) or downloaded (PULL_FROM_URL), in order.
        public var receivedBytes: Int64
        /// SHA-256 of every byte received, once complete (when hashing is on).
        public var sha256: String?
        /// Every chunk PUT, in arrival order.
        public var chunks: [ChunkRecord]
        /// Protocol violations seen, in plain words.
        public var violations: [String]
        /// The title sent at init, when any.
        public var title: String?
        /// The privacy level sent at init (`SELF_ONLY`, …), when any.
        public var privacyLevel: String?
        /// The `open_id` of the user whose token made the publish (see ``TikTokEmulator``).
        public var creator: String?
        /// Whether a chunk PUT is being received right now (a client that gave up on one may
        /// start the next only once this is false, or the emulator sees overlapping PUTs).
        public var isReceiving = false
    }

    /// One webhook event the emulator sent, and how each delivery attempt went.
    public struct WebhookRecord: Sendable, Hashable, Codable {
        /// TikTok's event name, such as `post.publish.complete`.
        public var event: String
        /// The `user_openid` of the envelope.
        public var userOpenID: String
        /// The envelope's `content`: a JSON object serialised into a string.
        public var content: String
        /// The HTTP status of each attempt, in order (0 when the receiver could not be reached).
        public var attempts: [Int] = []
        /// Whether an attempt got 200 (TikTok then stops retrying).
        public var delivered = false
    }

    /// The body of `GET /__sandbox/uploads`.
    struct Inspection: Codable {
        var requestCount: Int
        var uploads: [Upload]
    }
}
