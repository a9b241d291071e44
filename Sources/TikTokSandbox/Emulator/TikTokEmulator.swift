public import Foundation
import TikTokKit

/// An offline stand-in for TikTok's Content Posting API on 127.0.0.1 — the first slice of the
/// emulator: enough for FILE_UPLOAD publishing end to end.
///
/// It serves creator info, inbox and direct video init (checking the bearer token and the chunk
/// plan's rules), the chunk upload URL (checking `Content-Range` on every PUT: 416 with the
/// progress header on a mismatch, 206 and 201, no `Authorization` allowed) and status fetch.
/// Received bytes are written to a file or discarded (counted either way), and faults can be
/// injected on chunk PUTs.
///
/// ```swift
/// let emulator = try TikTokEmulator(accessToken: "test-token")
/// let client = TikTokClient(accessToken: "test-token",
///                           configuration: .init(baseURL: emulator.baseURL))
/// let result = try await client.publishDraft(file: video)
/// emulator.allUploads.first?.receivedBytes   // what arrived
/// ```
public final class TikTokEmulator: @unchecked Sendable {
    /// A fault to inject on a chunk PUT.
    public enum Fault: Sendable, Hashable {
        /// Read part of the body, then reset the connection.
        case resetMidBody
        /// Answer 503.
        case serverError
        /// Answer 429 with `Retry-After`.
        case tooManyRequests(retryAfterSeconds: Int)
    }

    /// What the emulator knows about one upload.
    public struct Upload: Sendable, Hashable {
        /// Its publish ID.
        public var publishID: String
        /// The declared size.
        public var videoSize: Int64
        /// The declared chunk size.
        public var chunkSize: Int64
        /// The declared chunk count.
        public var chunkCount: Int
        /// Bytes received and accepted, in order.
        public var receivedBytes: Int64
        /// The `Content-Range` of every PUT, in arrival order.
        public var contentRanges: [String]
        /// Protocol violations seen (e.g. an `Authorization` header sent to the upload host).
        public var violations: [String]
    }

    private let lock = NSLock()
    private var server: HTTPServer?
    private let accessToken: String
    private let storeDirectory: URL?
    private var uploads: [String: Upload] = [:]
    private var order: [String] = []
    private var faults: [Int: Fault] = [:]
    private var putCount = 0
    private var initCount = 0

    /// Starts the emulator.
    /// - Parameters:
    ///   - accessToken: The only bearer token accepted.
    ///   - port: 0 for an ephemeral port.
    ///   - storeDirectory: Where to write received videos (`<publish id>.bin`); nil discards them.
    public init(accessToken: String, port: UInt16 = 0, storeDirectory: URL? = nil) throws {
        self.accessToken = accessToken
        self.storeDirectory = storeDirectory
        server = try HTTPServer(port: port) { [weak self] request in
            guard let self else { return HTTPServerResponse(status: 503) }
            return try self.handle(request)
        }
    }

    deinit { server?.shutdown() }

    /// Stops serving.
    public func shutdown() { server?.shutdown() }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { server?.baseURL ?? URL(fileURLWithPath: "/") }

    /// Every upload, in init order.
    public var allUploads: [Upload] { lock.withLock { order.compactMap { uploads[$0] } } }

    /// How many init requests were accepted.
    public var initRequestCount: Int { lock.withLock { initCount } }

    /// How many chunk PUTs arrived.
    public var chunkRequestCount: Int { lock.withLock { putCount } }

    /// The file holding an upload's received bytes, when a store directory was given.
    public func storedFile(for publishID: String) -> URL? {
        storeDirectory?.appendingPathComponent(Self.fileName(publishID))
    }

    /// Injects `fault` on the `number`-th chunk PUT the emulator receives (1-based).
    public func inject(_ fault: Fault, onChunkRequest number: Int) {
        lock.withLock { faults[number] = fault }
    }

    // MARK: Handling

    private func handle(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        if request.method == "PUT" && request.path == "/upload/" {
            return try receiveChunk(request)
        }
        guard request.headers["Authorization"] == "Bearer \(accessToken)" else {
            _ = try request.discardBody()
            return Self.error(401, "access_token_invalid", "The access token is invalid or not found in the request.")
        }
        switch (request.method, request.path) {
        case ("POST", "/v2/post/publish/creator_info/query/"):
            _ = try request.discardBody()
            return Self.ok(#"{"creator_username":"sandbox","creator_nickname":"Sandbox Creator","privacy_level_options":["PUBLIC_TO_EVERYONE","MUTUAL_FOLLOW_FRIENDS","SELF_ONLY"],"comment_disabled":false,"duet_disabled":false,"stitch_disabled":false,"max_video_post_duration_sec":600}"#)
        case ("POST", "/v2/post/publish/inbox/video/init/"):
            return try initUpload(request, prefix: "v_inbox_file~v2.")
        case ("POST", "/v2/post/publish/video/init/"):
            return try initUpload(request, prefix: "v_pub_file~v2-1.")
        case ("POST", "/v2/post/publish/status/fetch/"):
            return try status(request)
        default:
            _ = try request.discardBody()
            return HTTPServerResponse(status: 404)
        }
    }

    private func initUpload(_ request: HTTPServerRequest, prefix: String) throws -> HTTPServerResponse {
        let body = try JSONSerialization.jsonObject(with: try request.readAll(limit: 1 << 20)) as? [String: Any]
        guard let source = body?["source_info"] as? [String: Any], source["source"] as? String == "FILE_UPLOAD",
              let size = (source["video_size"] as? NSNumber)?.int64Value,
              let chunkSize = (source["chunk_size"] as? NSNumber)?.int64Value,
              let count = (source["total_chunk_count"] as? NSNumber)?.intValue else {
            return Self.error(400, "invalid_params", "The request source info is empty or incorrect.")
        }
        guard let plan = try? UploadPlan(videoSize: size, chunkSize: size <= UploadPlan.singleChunkLimit ? UploadPlan.defaultChunkSize : chunkSize),
              plan.chunkSize == chunkSize, plan.chunkCount == count else {
            return Self.error(400, "invalid_params", "The chunk size is invalid")
        }
        let publishID = lock.withLock { () -> String in
            initCount += 1
            let id = prefix + String(7_000_000_000_000_000_000 + UInt64(initCount))
            uploads[id] = Upload(publishID: id, videoSize: size, chunkSize: chunkSize, chunkCount: count,
                                 receivedBytes: 0, contentRanges: [], violations: [])
            order.append(id)
            return id
        }
        if let url = storedFile(for: publishID), !FileManager.default.createFile(atPath: url.path, contents: nil) {
            return Self.error(500, "internal_error", "The sandbox cannot store the upload.")
        }
        let uploadURL = "\(baseURL.absoluteString)/upload/?upload_id=\(publishID)&upload_token=sandbox-\(UUID().uuidString)"
        return Self.ok(#"{"publish_id":"\#(publishID)","upload_url":"\#(uploadURL)"}"#)
    }

    private func receiveChunk(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let publishID = request.queryItems["upload_id"] ?? ""
        let (number, fault, known) = lock.withLock { () -> (Int, Fault?, Upload?) in
            putCount += 1
            uploads[publishID]?.contentRanges.append(request.headers["Content-Range"] ?? "")
            if request.headers.contains("Authorization") {
                uploads[publishID]?.violations.append("Authorization header sent to the upload host")
            }
            return (putCount, faults[putCount], uploads[publishID])
        }
        _ = number
        guard let upload = known else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 404)
        }
        let total = upload.videoSize
        let have = upload.receivedBytes
        let progress: HTTPHeaders = ["Content-Range": have == 0 ? "bytes */\(total)" : "bytes 0-\(have - 1)/\(total)"]
        guard let range = request.headers["Content-Range"].flatMap(ContentRange.init),
              let first = range.first, let last = range.last, range.total == total,
              request.contentLength == last - first + 1 else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 416, headers: progress)
        }
        switch fault {
        case .resetMidBody?:
            _ = try request.read(upTo: 64 * 1024)
            return .reset()
        case .serverError?:
            _ = try request.discardBody()
            return HTTPServerResponse(status: 503)
        case .tooManyRequests(let seconds)?:
            _ = try request.discardBody()
            return HTTPServerResponse(status: 429, headers: ["Retry-After": "\(seconds)"])
        case nil:
            break
        }
        guard first == have else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 416, headers: progress)
        }
        let count: Int64
        if let url = storedFile(for: publishID) {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(first))
            var written: Int64 = 0
            while let piece = try request.read(upTo: 1 << 20) {
                try handle.write(contentsOf: piece)
                written += Int64(piece.count)
            }
            count = written
        } else {
            count = try request.discardBody()
        }
        let now = lock.withLock { () -> Int64 in
            uploads[publishID]?.receivedBytes += count
            return uploads[publishID]?.receivedBytes ?? 0
        }
        return HTTPServerResponse(status: now == total ? 201 : 206, headers: ["Content-Range": "bytes 0-\(now - 1)/\(total)"])
    }

    private func status(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let body = try JSONSerialization.jsonObject(with: try request.readAll(limit: 1 << 20)) as? [String: Any]
        let publishID = body?["publish_id"] as? String ?? ""
        guard let upload = lock.withLock({ uploads[publishID] }) else {
            return Self.error(400, "invalid_publish_id", "The publish_id does not exist.")
        }
        let done = upload.receivedBytes == upload.videoSize
        let status = !done ? "PROCESSING_UPLOAD" : publishID.hasPrefix("v_inbox") ? "SEND_TO_USER_INBOX" : "PUBLISH_COMPLETE"
        return Self.ok(#"{"status":"\#(status)","publicaly_available_post_id":[],"uploaded_bytes":\#(upload.receivedBytes)}"#)
    }

    private static func ok(_ data: String) -> HTTPServerResponse {
        .json(#"{"data":\#(data),"error":{"code":"ok","message":"","log_id":"\#(logID())"}}"#)
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> HTTPServerResponse {
        .json(status: status, #"{"error":{"code":"\#(code)","message":"\#(message)","log_id":"\#(logID())"}}"#)
    }

    private static func logID() -> String { "SANDBOX" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20) }

    private static func fileName(_ publishID: String) -> String {
        publishID.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + ".bin"
    }
}
