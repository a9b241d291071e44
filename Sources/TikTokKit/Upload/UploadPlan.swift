/// How a video is cut into chunks for TikTok's FILE_UPLOAD, following the media transfer
/// guide's rules in a form that holds whether TikTok's "MB" means 10^6 or 2^20 bytes.
///
/// - A video of at most 64,000,000 bytes is one chunk: `chunk_size == video_size`.
/// - A larger video uses ``chunkSize`` bytes per chunk, with ``chunkSize`` in
///   [5,242,880, 64,000,000]; ``chunkCount`` = size / chunkSize, rounded **down**; the last chunk
///   takes the remainder, so it is at least ``chunkSize`` and under twice that (≤ 128,000,000).
/// - At most 1000 chunks; empty files and files over 4 GiB are refused.
///
/// ```swift
/// let plan = try UploadPlan(videoSize: 50_000_123, chunkSize: 10_000_000)
/// plan.chunkCount                   // 5
/// plan.chunks.last?.contentRange    // "bytes 40000000-50000122/50000123"
/// ```
public struct UploadPlan: Codable, Sendable, Hashable {
    /// The largest video TikTok accepts: 4 GiB.
    public static let maxVideoSize: Int64 = 4 << 30
    /// Videos up to this size go as a single chunk (64 MB read as 10^6, the safe reading).
    public static let singleChunkLimit: Int64 = 64_000_000
    /// The smallest chunk size allowed for multi-chunk uploads (5 MB read as 2^20, the safe reading).
    public static let minChunkSize: Int64 = 5_242_880
    /// The largest chunk size allowed (64 MB read as 10^6).
    public static let maxChunkSize: Int64 = 64_000_000
    /// The largest final chunk TikTok accepts (128 MB read as 10^6).
    public static let maxFinalChunkSize: Int64 = 128_000_000
    /// The most chunks one upload may have.
    public static let maxChunkCount = 1000
    /// The chunk size used unless configured: 16,000,000 bytes. Large enough that per-chunk
    /// round trips cost little (4 GiB is 268 chunks), small enough that a retried chunk costs
    /// seconds, and that a transport which buffers a chunk (`URLSessionTransport`) holds at most
    /// 32 MB.
    public static let defaultChunkSize: Int64 = 16_000_000

    /// One chunk: a byte range of the video.
    public struct Chunk: Codable, Sendable, Hashable {
        /// 0-based position in the upload.
        public let index: Int
        /// The first byte.
        public let offset: Int64
        /// The number of bytes.
        public let length: Int64
        /// The total size of the video.
        public let total: Int64

        /// Creates a chunk description.
        package init(index: Int, offset: Int64, length: Int64, total: Int64) {
            self.index = index
            self.offset = offset
            self.length = length
            self.total = total
        }

        /// The last byte, inclusive.
        public var lastByte: Int64 { offset + length - 1 }

        /// The `Content-Range` header value: `bytes first-last/total`.
        public var contentRange: String { "bytes \(offset)-\(lastByte)/\(total)" }
    }

    /// The video's size in bytes (`video_size`).
    public let videoSize: Int64
    /// The declared chunk size (`chunk_size`); equals ``videoSize`` for single-chunk uploads.
    public let chunkSize: Int64
    /// The number of chunks (`total_chunk_count`).
    public let chunkCount: Int

    /// Plans an upload.
    /// - Parameters:
    ///   - videoSize: The file's size in bytes.
    ///   - chunkSize: The chunk size for videos over 64,000,000 bytes, capped at half the video so
///     there are always at least two chunks; ignored for smaller videos.
    /// - Throws: ``TikTokError`` (validation of `file` or `chunkSize`) for an empty file, a file over
    ///   4 GiB, or a chunk size outside [5,242,880, 64,000,000].
    public init(videoSize: Int64, chunkSize: Int64 = UploadPlan.defaultChunkSize) throws {
        guard videoSize > 0 else {
            throw TikTokError.validation("file", "the video file is empty")
        }
        guard videoSize <= Self.maxVideoSize else {
            throw TikTokError.validation("file", "the video has \(videoSize) bytes; TikTok accepts at most 4 GiB (\(Self.maxVideoSize) bytes)")
        }
        guard (Self.minChunkSize...Self.maxChunkSize).contains(chunkSize) else {
            throw TikTokError.validation("chunkSize",
                                         "the chunk size must be between \(Self.minChunkSize) and \(Self.maxChunkSize) bytes; got \(chunkSize)")
        }
        self.videoSize = videoSize
        if videoSize <= Self.singleChunkLimit {
            self.chunkSize = videoSize
            self.chunkCount = 1
        } else {
            // A video over 64,000,000 bytes must go in at least two chunks (a 64–128 MB single
            // chunk is rejected), so the chunk size is capped at half the video.
            self.chunkSize = min(chunkSize, videoSize / 2)
            self.chunkCount = Int(videoSize / self.chunkSize)
        }
        // Both hold by construction; checked so a future change cannot break them silently.
        guard chunkCount <= Self.maxChunkCount, lastChunkLength <= Self.maxFinalChunkSize else {
            throw TikTokError.validation("chunkSize", "no valid chunk plan for \(videoSize) bytes with chunks of \(chunkSize)")
        }
    }

    /// The length of the last chunk: the chunk size plus the remainder.
    public var lastChunkLength: Int64 { videoSize - Int64(chunkCount - 1) * chunkSize }

    /// The chunk at `index`.
    public func chunk(_ index: Int) -> Chunk {
        let offset = Int64(index) * chunkSize
        let length = index == chunkCount - 1 ? lastChunkLength : chunkSize
        return Chunk(index: index, offset: offset, length: length, total: videoSize)
    }

    /// Every chunk, in upload order.
    public var chunks: [Chunk] { (0..<chunkCount).map(chunk) }

    /// The chunk containing byte `offset`, or nil past the end.
    public func chunk(containing offset: Int64) -> Chunk? {
        guard offset >= 0, offset < videoSize else { return nil }
        return chunk(min(Int(offset / chunkSize), chunkCount - 1))
    }

    /// The init request's `source_info` for this plan.
    public var source: VideoSource {
        .fileUpload(videoSize: videoSize, chunkSize: chunkSize, totalChunkCount: chunkCount)
    }
}
