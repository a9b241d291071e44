// chunked-upload: sends a video to a local server the way TikTok's FILE_UPLOAD wants it —
// sequential PUTs of byte ranges with `Content-Range` — streaming each chunk from disk through
// `CurlTransport`. The server is TikTokSandbox's HTTP server on 127.0.0.1, so nothing leaves
// the machine.
//
//     swift run --package-path Examples chunked-upload [FILE] [--chunk-size BYTES]
//
// Without FILE, an 80,000,123-byte sample MP4 is generated. `UploadPlan` cuts it by TikTok's
// rules (over 64,000,000 bytes: several chunks, count rounded down, the last chunk takes the
// remainder) and `MediaProbe` reads its container from its bytes for `Content-Type`.
import ExampleSupport
import Foundation
import TikTokKit
import TikTokSandbox

struct Options {
    var file: URL?
    var chunkSize: Int64 = UploadPlan.defaultChunkSize
}

func parseOptions() -> Options {
    var arguments = Arguments()
    if arguments.wantsHelp {
        print("""
        usage: chunked-upload [FILE] [--chunk-size BYTES]

        Uploads FILE (default: a generated 80,000,123-byte sample MP4) to a local server in
        sequential Content-Range PUTs through CurlTransport, and checks what arrived.
        --chunk-size applies to videos over 64,000,000 bytes (5,242,880 to 64,000,000).
        """)
        exit(0)
    }
    do {
        var options = Options()
        if let chunkSize = try arguments.integer("--chunk-size") { options.chunkSize = chunkSize }
        let files = try arguments.positionals()   // an unknown or mistyped --option is refused here
        guard files.count <= 1 else { throw ExampleFailure("expected at most one file, got \(files.count); see --help") }
        options.file = files.first.map { URL(fileURLWithPath: $0) }
        return options
    } catch {
        fail("\(error)")
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("chunked-upload: \(message)\n".utf8))
    exit(1)
}

/// A value behind a lock (the server calls handlers on its own threads).
final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

/// A receiver that accepts chunks only in order and answers 206, then 201 for the last one.
final class Receiver: Sendable {
    private struct State { var received: Int64 = 0; var checksum: UInt64 = 0; var chunks = 0 }
    private let state = Guarded(State())

    var summary: (bytes: Int64, checksum: UInt64, chunks: Int) {
        state.withLock { ($0.received, $0.checksum, $0.chunks) }
    }

    func handle(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        guard request.method == "PUT",
              let range = request.headers["Content-Range"].flatMap(ContentRange.init),
              range.first == state.withLock({ $0.received })
        else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 416)
        }
        var checksum = state.withLock { $0.checksum }
        var count: Int64 = 0
        while let piece = try request.read(upTo: 1 << 20) {
            checksum = fnv1a(piece, seed: checksum)
            count += Int64(piece.count)
        }
        let received = state.withLock { state -> Int64 in
            state.received += count
            state.checksum = checksum
            state.chunks += 1
            return state.received
        }
        let headers: TikTokHTTPHeaders = ["Content-Range": "bytes 0-\(received - 1)/\(range.total)"]
        return HTTPServerResponse(status: received == range.total ? 201 : 206, headers: headers)
    }
}

struct ContentRange {
    let first: Int64, last: Int64, total: Int64
    init?(_ header: String) {
        let numbers = header.dropFirst("bytes ".count).split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int64($0) }
        guard header.hasPrefix("bytes "), numbers.count == 3 else { return nil }
        (first, last, total) = (numbers[0], numbers[1], numbers[2])
    }
}

func fnv1a(_ data: Data, seed: UInt64) -> UInt64 {
    var hash = seed == 0 ? 0xcbf2_9ce4_8422_2325 : seed
    for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

func generateSample() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiktokkit-sample.mp4")
    print("generating a sample video: \(url.path)")
    return try SampleVideo.write(to: url, size: 80_000_123, durationSeconds: 30)
}

let options = parseOptions()
let file = try options.file ?? generateSample()
let probe: MediaProbe
let plan: UploadPlan
do {
    probe = try MediaProbe(file: file)
    plan = try UploadPlan(videoSize: probe.size, chunkSize: options.chunkSize)
} catch let error as TikTokError {
    fail("\(error.message). \(error.advice)")
}
let size = plan.videoSize

let receiver = Receiver()
let server = try HTTPServer { try receiver.handle($0) }
defer { server.shutdown() }
print("local server: \(server.baseURL.absoluteString)")

let transport = CurlTransport()
let uploadURL = URL(string: server.baseURL.absoluteString + "/upload/?upload_id=demo&upload_token=not-a-real-token")!
let started = ContinuousClock.now
print("uploading \(file.lastPathComponent) (\(probe.container.mimeType), \(size) bytes) in \(plan.chunkCount) chunk(s)")

for chunk in plan.chunks {
    let request = TikTokHTTPRequest(method: .put, url: uploadURL,
                              headers: ["Content-Type": probe.container.mimeType, "Content-Range": chunk.contentRange],
                              body: .file(try TikTokFileRegion(file: file, offset: chunk.offset, length: chunk.length)))
    let response = try await transport.send(request)
    print("  chunk \(chunk.index + 1)/\(plan.chunkCount): \(chunk.contentRange) -> HTTP \(response.status)"
          + (response.headers["Content-Range"].map { " (server has \($0))" } ?? ""))
    guard response.status == 206 || response.status == 201 else { fail("unexpected status \(response.status)") }
}

let elapsed = ContinuousClock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
var expected: UInt64 = 0
let reader = try FileHandle(forReadingFrom: file)
while let piece = try reader.read(upToCount: 1 << 20), !piece.isEmpty { expected = fnv1a(piece, seed: expected) }
let summary = receiver.summary
print(String(format: "done in %.2f s (%.0f MB/s); server received %lld bytes in %d chunks; checksum %@",
             seconds, Double(size) / 1e6 / max(seconds, 0.001), summary.bytes, summary.chunks,
             summary.checksum == expected && summary.bytes == size ? "matches" : "DIFFERS"))
if summary.checksum != expected || summary.bytes != size { exit(1) }
