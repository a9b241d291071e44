import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// A small stand-in for TikTok on 127.0.0.1, enough for end-to-end uploads through the real
/// `CurlTransport`: inbox init, a chunk upload URL that checks `Content-Range` and writes what it
/// receives to a file, and a status endpoint. Faults can be injected on chunk PUTs.
final class LoopbackTikTok: @unchecked Sendable {
    enum Fault { case resetMidBody, serverError, tooManyRequests }

    private let lock = NSLock()
    private(set) var server: HTTPServer!
    let receivedFile: URL
    private var received: Int64 = 0
    private var expectedTotal: Int64 = 0
    private var faults: [Int: Fault] = [:]   // by PUT number (1-based)
    private var putCount = 0
    private(set) var initCount = 0
    private var contentRanges: [String] = []

    init(directory: URL) throws {
        receivedFile = directory.appendingPathComponent("received.bin")
        guard FileManager.default.createFile(atPath: receivedFile.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        server = try HTTPServer { [unowned self] request in try self.handle(request) }
    }

    deinit { server.shutdown() }

    var baseURL: URL { server.baseURL }
    var ranges: [String] { lock.withLock { contentRanges } }
    var puts: Int { lock.withLock { putCount } }
    func inject(_ fault: Fault, onPut number: Int) { lock.withLock { faults[number] = fault } }

    private func handle(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        switch (request.method, request.path) {
        case ("POST", "/v2/post/publish/inbox/video/init/"):
            let body = try JSONSerialization.jsonObject(with: try request.readAll()) as? [String: Any]
            let source = body?["source_info"] as? [String: Any]
            guard request.headers["Authorization"] == "Bearer e2e-token", let size = source?["video_size"] as? Int64 ?? (source?["video_size"] as? Int).map(Int64.init) else {
                return .json(status: 400, #"{"error":{"code":"invalid_params","message":"bad init","log_id":"E"}}"#)
            }
            lock.withLock { initCount += 1; expectedTotal = size }
            let url = "\(server.baseURL.absoluteString)/upload/?upload_id=1&upload_token=e2e-upload-token"
            return .json(#"{"data":{"publish_id":"v_inbox_file~v2.e2e","upload_url":"\#(url)"},"error":{"code":"ok","message":"","log_id":"E"}}"#)
        case ("PUT", "/upload/"):
            return try receiveChunk(request)
        case ("POST", "/v2/post/publish/status/fetch/"):
            return .json(#"{"data":{"status":"SEND_TO_USER_INBOX"},"error":{"code":"ok","message":"","log_id":"E"}}"#)
        default:
            return HTTPServerResponse(status: 404)
        }
    }

    private func receiveChunk(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let (number, fault, have, total) = lock.withLock { () -> (Int, Fault?, Int64, Int64) in
            putCount += 1
            contentRanges.append(request.headers["Content-Range"] ?? "")
            return (putCount, faults[putCount], received, expectedTotal)
        }
        _ = number
        guard request.headers["Authorization"] == nil, request.query == "upload_id=1&upload_token=e2e-upload-token",
              let range = request.headers["Content-Range"].flatMap(ContentRange.init),
              let first = range.first, let last = range.last, range.total == total,
              request.contentLength == last - first + 1 else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 400)
        }
        switch fault {
        case .resetMidBody?:
            _ = try request.read(upTo: 100_000)
            return .reset()
        case .serverError?:
            _ = try request.discardBody()
            return HTTPServerResponse(status: 503)
        case .tooManyRequests?:
            _ = try request.discardBody()
            return HTTPServerResponse(status: 429, headers: ["Retry-After": "0"])
        case nil:
            break
        }
        guard first == have else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 416, headers: ["Content-Range": have == 0 ? "bytes */\(total)" : "bytes 0-\(have - 1)/\(total)"])
        }
        let handle = try FileHandle(forWritingTo: receivedFile)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(first))
        var count: Int64 = 0
        while let piece = try request.read(upTo: 1 << 20) {
            try handle.write(contentsOf: piece)
            count += Int64(piece.count)
        }
        let now = lock.withLock { received += count; return received }
        return HTTPServerResponse(status: now == total ? 201 : 206, headers: ["Content-Range": "bytes 0-\(now - 1)/\(total)"])
    }
}

@Suite("End to end through CurlTransport", .serialized)
struct EndToEndUploadTests {
    private func client(_ tiktok: LoopbackTikTok) -> TikTokClient {
        #if os(Linux) || os(macOS)
        let transport: any Transport = CurlTransport()
        #else
        let transport: any Transport = URLSessionTransport()
        #endif
        return TikTokClient(accessToken: "e2e-token", transport: transport, configuration: .init(baseURL: tiktok.baseURL))
    }

    private func quickOptions() -> UploadOptions {
        UploadOptions(retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)),
                      statusPolling: StatusPolling(initialInterval: .milliseconds(10)))
    }

    @Test func aFileOver200MBArrivesByteForByte() async throws {
        let file = try SampleFile(size: 210_000_017, name: "big.mp4")
        defer { file.remove() }
        let tiktok = try LoopbackTikTok(directory: file.directory)
        let result = try await client(tiktok).publishDraft(file: file.url, options: quickOptions())
        #expect(result.status == .sendToUserInbox)
        #expect(tiktok.initCount == 1)
        #expect(tiktok.puts == 13)   // floor(210,000,017 / 16,000,000)
        #expect(FileManager.default.contentsEqual(atPath: file.url.path, andPath: tiktok.receivedFile.path))
    }

    @Test func injectedFaultsAreRetriedAndTheBytesStillMatch() async throws {
        let file = try SampleFile(size: 70_000_000)
        defer { file.remove() }
        let tiktok = try LoopbackTikTok(directory: file.directory)
        tiktok.inject(.resetMidBody, onPut: 1)
        tiktok.inject(.serverError, onPut: 3)
        tiktok.inject(.tooManyRequests, onPut: 5)
        tiktok.inject(.resetMidBody, onPut: 6)
        let result = try await client(tiktok).publishDraft(file: file.url, options: quickOptions())
        #expect(result.publishID == "v_inbox_file~v2.e2e")
        #expect(tiktok.initCount == 1)
        #expect(tiktok.puts == 8)   // 4 chunks + 4 faults
        let ranges = tiktok.ranges
        #expect(ranges == ranges.sorted { (ContentRange($0)?.first ?? 0) < (ContentRange($1)?.first ?? 0) }, "never out of order")
        #expect(FileManager.default.contentsEqual(atPath: file.url.path, andPath: tiktok.receivedFile.path))
    }
}
