import Foundation
import TikTokKit
import TikTokKitTesting
import TikTokSandbox

/// A fake TikTok for uploader tests: init and status routes on the API host, and an upload host
/// that checks every chunk's headers and keeps the bytes it accepted.
final class FakeUploadHost: @unchecked Sendable {
    static let uploadURL = "https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=\(Fixture.uploadToken)"
    let fake = FakeTransport()
    private let lock = NSLock()
    private var received = Data()
    /// Answers to use instead of the normal one, one per PUT, in order (nil = answer normally).
    private var scripted: [ChunkReply?] = []
    private(set) var sleeps: [Duration] = []

    init(publishID: String = "v_inbox_file~v2.1", initPath: String = "/v2/post/publish/inbox/video/init/") {
        fake.enqueue(.post, initPath, .json("""
            {"data":{"publish_id":"\(publishID)","upload_url":"\(Self.uploadURL)"},"error":{"code":"ok","message":"","log_id":"L"}}
            """), repeatingLast: true)
        fake.on(.put, "/video/") { [unowned self] request in try self.acceptChunk(request) }
    }

    var bytes: Data { lock.withLock { received } }
    func script(_ replies: ChunkReply?...) { lock.withLock { scripted += replies } }
    var puts: [FakeTransport.RecordedRequest] { fake.requests.filter { $0.method == .put } }
    var inits: [FakeTransport.RecordedRequest] { fake.requests.filter { $0.path.hasSuffix("/init/") } }

    func statuses(_ statuses: String...) {
        fake.enqueue(.post, "/v2/post/publish/status/fetch/", statuses.map { status in
            .json(#"{"data":{"status":"\#(status)","publicaly_available_post_id":[]},"error":{"code":"ok","message":"","log_id":"S"}}"#)
        }, repeatingLast: true)
    }

    func options(journal: (any UploadJournal)? = nil, attempts: Int = 6, restart: Bool = false,
                 polling: StatusPolling = StatusPolling()) -> UploadOptions {
        UploadOptions(retryPolicy: UploadRetryPolicy(maxAttempts: attempts), restartExpiredUploads: restart, journal: journal,
                      statusPolling: polling).sleeping { [unowned self] duration in
                          try Task.checkCancellation()
                          lock.withLock { sleeps.append(duration) }
                      }
    }

    func client(logger: (@Sendable (String) -> Void)? = nil) -> TikTokClient { Fixture.client(fake, logger: logger) }

    private func acceptChunk(_ request: FakeTransport.RecordedRequest) throws -> TikTokHTTPResponse {
        let override: ChunkReply?? = lock.withLock { scripted.isEmpty ? nil : scripted.removeFirst() }
        switch override {
        case .some(.some(.status(let code, let headers))): return TikTokHTTPResponse(status: code, headers: headers)
        case .some(.some(.failure(let error))): throw error
        default: break
        }
        return lock.withLock {
            guard let range = request.headers["Content-Range"].flatMap(ContentRange.init),
                  let first = range.first, let last = range.last, let total = range.total,
                  first == Int64(received.count), Int64(request.body.count) == last - first + 1 else {
                let total = request.headers["Content-Range"].flatMap(ContentRange.init)?.total.map(String.init) ?? "*"
                let have = received.isEmpty ? "*" : "0-\(received.count - 1)"
                return TikTokHTTPResponse(status: 416, headers: ["Content-Range": "bytes \(have)/\(total)"])
            }
            received.append(request.body)
            let done = Int64(received.count) == total
            return TikTokHTTPResponse(status: done ? 201 : 206, headers: ["Content-Range": "bytes 0-\(received.count - 1)/\(total)"])
        }
    }
}

/// A scripted answer to one chunk PUT.
enum ChunkReply {
    case status(Int, TikTokHTTPHeaders = [:])
    case failure(any Error)
}

/// A directory with a generated sample video, removed by `remove()`.
struct SampleFile {
    let url: URL
    /// The file's bytes, read on demand (large files are compared on disk instead).
    var data: Data { (try? Data(contentsOf: url)) ?? Data() }

    /// Generates the file on a thread of its own (large ones take a while in a debug build).
    init(size: Int64, durationSeconds: Double = 10, name: String = "clip.mp4") async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uploader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = try await SampleVideo.write(to: directory.appendingPathComponent(name), size: size, durationSeconds: durationSeconds)
    }

    var directory: URL { url.deletingLastPathComponent() }
    func remove() { try? FileManager.default.removeItem(at: directory) }
}
