import Foundation
import TikTokKit
import TikTokSandbox

/// What a test server saw of one request.
struct ReceivedRequest: Sendable {
    var method: String
    var target: String
    var headers: HTTPHeaders
    var body: Data
    var connectionID: Int
}

/// A loopback server with a few fixed behaviours, chosen by path, that records every request.
///
/// - `/echo`: 200, body echoed back, `X-Received-Length` header.
/// - `/status/N`: status N, with `Location` for 3xx and a `Content-Range` for 416.
/// - `/sleep/MS`: reads the body, waits MS milliseconds, then answers 200.
/// - `/slow-read`: reads the body 64 KiB at a time with 100 ms pauses.
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

    init() throws {
        let log = self.log
        server = try HTTPServer { request in
            try Self.handle(request, log: log)
        }
    }

    var baseURL: URL { server.baseURL }
    var received: [ReceivedRequest] { log.value }
    var acceptedConnections: Int { server.acceptedConnectionCount }

    func url(_ pathAndQuery: String) -> URL {
        URL(string: baseURL.absoluteString + pathAndQuery)!
    }

    deinit { server.shutdown() }

    private static func handle(_ request: HTTPServerRequest, log: LockedBox<[ReceivedRequest]>) throws -> HTTPServerResponse {
        var record = ReceivedRequest(method: request.method, target: request.target, headers: request.headers,
                                     body: Data(), connectionID: request.connectionID)
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
            while let piece = try request.read(upTo: 64 * 1024) {
                record.body.append(piece)
                Thread.sleep(forTimeInterval: 0.1)
            }
            return HTTPServerResponse(status: 200)
        default:
            record.body = try request.readAll()
        }

        switch first {
        case "echo":
            return HTTPServerResponse(status: 200,
                                      headers: ["X-Received-Length": "\(record.body.count)", "Content-Type": "application/octet-stream"],
                                      body: record.body)
        case "status":
            let code = Int(parts.last ?? "") ?? 500
            var headers: HTTPHeaders = [:]
            if (300..<400).contains(code) { headers["Location"] = "/echo" }
            if code == 416 { headers["Content-Range"] = "bytes 0-99/1000" }
            return HTTPServerResponse(status: code, headers: headers, body: Data("status \(code)".utf8))
        case "sleep":
            let milliseconds = Double(parts.last ?? "") ?? 0
            Thread.sleep(forTimeInterval: milliseconds / 1000)
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

    init(size: Int, seed: UInt64 = 0x5eed) throws {
        var generator = SplitMix64(seed: seed)
        var data = Data(count: size)
        data.withUnsafeMutableBytes { buffer in
            for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: generator.next()) }
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tiktokkit-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent("video.bin")
        try data.write(to: url)
        bytes = data
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
