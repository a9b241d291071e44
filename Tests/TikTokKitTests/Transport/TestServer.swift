import Foundation
import TikTokKit
import TikTokSandbox

/// What a test server saw of one request.
struct ReceivedRequest: Sendable {
    var method: String
    var target: String
    var headers: TikTokHTTPHeaders
    var body: Data
    var connectionID: Int
    /// When the handler started: the request head had arrived.
    var arrivedAt: ContinuousClock.Instant
    /// When the first body byte was read (nil without a body).
    var bodyStartedAt: ContinuousClock.Instant?
    /// When the server saw the client close the connection while it held the request.
    var clientClosedAt: ContinuousClock.Instant?
}

/// A loopback server with a few fixed behaviours, chosen by path, that records every request.
///
/// - `/echo`: 200, body echoed back, `X-Received-Length` header.
/// - `/echo-silent`: `/echo` from a peer that never answers `Expect: 100-continue`.
/// - `/read-and-close`: reads the whole request, then closes the connection without answering
///   (a server that acted on the request and died before replying).
/// - `/read-and-close-once`: `/read-and-close` the first time a target arrives, `/echo` after.
/// - `/status/N`: status N, with `Location` for 3xx and a `Content-Range` for 416.
/// - `/sleep/MS`: reads the body, then answers 200 after MS milliseconds, or notes when the
///   client closed the connection if it does so first.
/// - `/slow-read`: reads the body 64 KiB at a time with 100 ms pauses, until `drainSlowReads`
///   is set; then at full speed. Notes when the body ended early because the client closed the
///   connection. (A client's close reaches the server only after the bytes already in its
///   socket buffers, so a test draining them after a cancel sees the close at once.)
///
/// Handlers run on the server's connection threads, so their waits never touch the cooperative
/// pool; timing checks read the instants the server noted instead of the test's own clock.
/// - `/reset-mid-body`: reads 64 KiB of the body, then resets the connection.
/// - `/raw/NAME`: a malformed reply (see `malformedReplies`).
final class TestServer: Sendable {
    static let malformedReplies: [String: Data] = [
        "garbage": Data("this is not http\r\n\r\n".utf8),
        "bad-status": Data("HTTP/1.1 abc Nope\r\nContent-Length: 0\r\n\r\n".utf8),
        "truncated-body": Data("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".utf8),
    ]

    let server: HTTPServer
    private let log = LockedBox<[ReceivedRequest]>([])
    private let arrivals = LockedBox(0)
    private let draining = LockedBox(false)
    private let closedOnce = LockedBox<Set<String>>([])

    init() throws {
        let (log, arrivals, draining, closedOnce) = (self.log, self.arrivals, self.draining, self.closedOnce)
        server = try HTTPServer { request in
            arrivals.mutate { $0 += 1 }
            return try Self.handle(request, log: log, draining: draining, closedOnce: closedOnce)
        }
    }

    /// Whether `/slow-read` reads at full speed.
    var drainSlowReads: Bool {
        get { draining.value }
        set { draining.mutate { $0 = newValue } }
    }

    /// How many requests have reached a handler (including those still being handled).
    var arrivedCount: Int { arrivals.value }

    /// Waits (without blocking) until `count` requests have reached a handler; false after 20 s.
    func waitForArrivals(_ count: Int) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(20)
        while arrivedCount < count {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// Waits (without blocking) for the finished record of the request whose target contains
    /// `marker`; nil after 20 s.
    func record(containing marker: String) async -> ReceivedRequest? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let found = received.first(where: { $0.target.contains(marker) }) { return found }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    var baseURL: URL { server.baseURL }
    var received: [ReceivedRequest] { log.value }
    var acceptedConnections: Int { server.acceptedConnectionCount }

    func url(_ pathAndQuery: String) -> URL {
        URL(string: baseURL.absoluteString + pathAndQuery)!
    }

    deinit { server.shutdown() }

    private static func handle(_ request: HTTPServerRequest, log: LockedBox<[ReceivedRequest]>,
                               draining: LockedBox<Bool>, closedOnce: LockedBox<Set<String>>) throws -> HTTPServerResponse {
        var record = ReceivedRequest(method: request.method, target: request.target, headers: request.headers,
                                     body: Data(), connectionID: request.connectionID, arrivedAt: .now)
        let parts = request.path.split(separator: "/").map(String.init)
        let first = parts.first ?? ""
        defer { log.mutate { $0.append(record) } }

        switch first {
        case "reset-mid-body":
            _ = try request.read(upTo: 64 * 1024)
            return .reset()
        case "raw":
            _ = try request.discardBody()
            return .raw(malformedReplies[parts.last ?? ""] ?? Data())
        case "slow-read":
            do {
                while let piece = try request.read(upTo: 64 * 1024) {
                    record.bodyStartedAt = record.bodyStartedAt ?? .now
                    record.body.append(piece)
                    if !draining.value { _ = request.waitForClientToClose(timeout: .milliseconds(100)) }
                }
            } catch let error as HTTPServerError where error.code == .disconnected {
                record.clientClosedAt = .now
                return .reset()
            }
            return HTTPServerResponse(status: 200)
        case "echo-silent":
            request.withholdContinue()
            fallthrough
        default:
            if let first = try request.read(upTo: 1 << 20) {
                record.bodyStartedAt = .now
                record.body = first
                record.body.append(try request.readAll())
            }
        }

        var firstTime = false
        if first == "read-and-close-once" { closedOnce.mutate { firstTime = $0.insert(request.target).inserted } }
        switch first {
        case "read-and-close":
            return .raw(Data())
        case "read-and-close-once" where firstTime:
            return .raw(Data())
        case "echo", "echo-silent", "read-and-close-once":
            return HTTPServerResponse(status: 200,
                                      headers: ["X-Received-Length": "\(record.body.count)", "Content-Type": "application/octet-stream"],
                                      body: record.body)
        case "status":
            let code = Int(parts.last ?? "") ?? 500
            var headers: TikTokHTTPHeaders = [:]
            if (300..<400).contains(code) { headers["Location"] = "/echo" }
            if code == 416 { headers["Content-Range"] = "bytes 0-99/1000" }
            return HTTPServerResponse(status: code, headers: headers, body: Data("status \(code)".utf8))
        case "sleep":
            let milliseconds = Int(parts.last ?? "") ?? 0
            if request.waitForClientToClose(timeout: .milliseconds(milliseconds)) {
                record.clientClosedAt = .now
                return .reset()
            }
            return HTTPServerResponse(status: 200, body: Data("slept".utf8))
        default:
            return HTTPServerResponse(status: 404)
        }
    }
}

/// A lock-protected value for test bookkeeping across threads.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ body: (inout Value) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}

/// A file of `size` pseudo-random bytes in a fresh temporary directory, removed by `remove()`.
struct TemporaryFile: Sendable {
    let url: URL
    let bytes: Data

    /// Generates the file on a thread of its own: megabytes of bytes one at a time take a while
    /// in a debug build, and must not hold a thread of the cooperative pool.
    init(size: Int, seed: UInt64 = 0x5eed) async throws {
        (url, bytes) = try await onOwnThread("TemporaryFile") {
            var generator = SplitMix64(seed: seed)
            var data = Data(count: size)
            data.withUnsafeMutableBytes { buffer in
                for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: generator.next()) }
            }
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("tiktokkit-tests-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let url = directory.appendingPathComponent("video.bin")
            try data.write(to: url)
            return (url, data)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
