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
        /// The declared size, chunk size and chunk count (FILE_UPLOAD).
        public var videoSize: Int64
        public var chunkSize: Int64
        public var chunkCount: Int
        /// Bytes received (FILE_UPLOAD) or downloaded (PULL_FROM_URL), in order.
        public var receivedBytes: Int64
        /// SHA-256 of every byte received, once complete (when hashing is on).
        public var sha256: String?
        /// Every chunk PUT, in arrival order.
        public var chunks: [ChunkRecord]
        /// Protocol violations seen, in plain words.
        public var violations: [String]
        /// The post settings sent at init (title, privacy level), when any.
        public var title: String?
        public var privacyLevel: String?
    }

    /// The body of `GET /__sandbox/uploads`.
    struct Inspection: Codable {
        var requestCount: Int
        var uploads: [Upload]
    }
}
