import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scriptable loopback server that impersonates TikTok badly on purpose: it reads each request
/// (head and `Content-Length` body), then plays the steps its script returns for it, byte for
/// byte, with no HTTP library in between — so it can send what no well-behaved server would
/// (endless bodies, megabyte header lines, bytes trickled forever, a close before any header).
///
/// One thread per connection (its own, never the cooperative pool); one request per connection
/// (``response(status:headers:body:)`` adds `Connection: close`). `shutdown()` (and `deinit`)
/// shuts every socket down, which ends every script at its next write or pause.
final class HostileServer: @unchecked Sendable {
    /// What the server read.
    struct Request: Sendable {
        var method: String
        var target: String
        /// Header fields, names lower-cased.
        var headers: [String: String]
        /// How many body bytes arrived.
        var bodyCount: Int

        var path: String { String(target.prefix { $0 != "?" }) }
    }

    /// One thing to do on the connection.
    enum Step: Sendable {
        /// Writes these bytes.
        case send(Data)
        /// Writes these bytes one at a time, `every` apart.
        case trickle(Data, every: Duration)
        /// Writes this piece again and again until the client goes away (or after `limit` bytes).
        case repeatForever(Data, limit: Int = 8 << 30)
        /// Waits (still reading nothing).
        case pause(Duration)
    }

    typealias Script = @Sendable (Request) -> [Step]

    let port: UInt16
    private let listener: Int32
    private let script: Script
    private let lock = NSLock()
    private var open: Set<Int32> = []
    private var stopping = false
    private var log: [Request] = []
    private var sent: [Int] = []

    init(script: @escaping Script) throws {
        (listener, port) = try LoopbackListener.open()
        self.script = script
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "HostileServer.accept"
        thread.start()
    }

    deinit { shutdown() }

    /// `http://127.0.0.1:PORT`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Every request read so far, in order.
    var requests: [Request] { lock.withLock { log } }

    /// Bytes written on each finished connection, in order of finishing.
    var bytesSentPerConnection: [Int] { lock.withLock { sent } }

    /// Stops accepting and shuts every connection down. Idempotent.
    func shutdown() {
        lock.withLock {
            guard !stopping else { return }
            stopping = true
            // The accept thread closes the listener itself once `accept` fails, so its
            // descriptor number is never reused while that thread might still use it.
            _ = systemShutdown(listener)
            for fd in open { _ = systemShutdown(fd) }
        }
    }

    // MARK: Server threads

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)   // blocking-ok: the server's own thread
            guard fd >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let accepted = lock.withLock { () -> Bool in
                guard !stopping else { return false }
                open.insert(fd)
                return true
            }
            guard accepted else { close(fd); return }
            let thread = Thread { [self] in serve(fd) }
            thread.name = "HostileServer.connection"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var written = 0
        defer {
            lock.withLock {
                open.remove(fd)
                sent.append(written)
                close(fd)
            }
        }
        guard let request = readRequest(fd) else { return }
        lock.withLock { log.append(request) }
        for step in script(request) {
            switch step {
            case .send(let data):
                guard write(fd, data, &written) else { return }
            case .trickle(let data, let interval):
                for byte in data {
                    guard write(fd, Data([byte]), &written), pause(interval) else { return }
                }
            case .repeatForever(let piece, let limit):
                while written < limit {
                    guard write(fd, piece, &written) else { return }
                }
            case .pause(let duration):
                guard pause(duration) else { return }
            }
        }
    }

    /// Reads the head and a `Content-Length` body; nil if the client went away first.
    private func readRequest(_ fd: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            let count = recv(fd, &chunk, chunk.count, 0)   // blocking-ok: the connection's own thread
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            if buffer.count >= 4 {
                headEnd = (0...(buffer.count - 4)).first { buffer[$0..<($0 + 4)].elementsEqual(separator) }
            }
            if buffer.count > 1 << 20 { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ").map(String.init)
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let expected = Int(headers["content-length"] ?? "0") ?? 0
        var bodyCount = buffer.count - (headEnd! + 4)
        while bodyCount < expected {
            let count = recv(fd, &chunk, min(chunk.count, expected - bodyCount), 0)   // blocking-ok: the connection's own thread
            guard count > 0 else { return nil }
            bodyCount += count
        }
        return Request(method: requestLine.first ?? "", target: requestLine.count > 1 ? requestLine[1] : "",
                       headers: headers, bodyCount: bodyCount)
    }

    private func write(_ fd: Int32, _ data: Data, _ written: inout Int) -> Bool {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        return data.withUnsafeBytes { buffer -> Bool in
            guard var next = buffer.baseAddress else { return true }
            var left = buffer.count
            while left > 0 {
                let count = send(fd, next, left, flags)   // blocking-ok: the connection's own thread
                guard count > 0 else { return false }
                next += count
                left -= count
                written += count
            }
            return true
        }
    }

    /// Sleeps in small steps; false once the server is shutting down.
    private func pause(_ duration: Duration) -> Bool {
        let end = ContinuousClock.now + duration
        while ContinuousClock.now < end {
            if lock.withLock({ stopping }) { return false }
            usleep(UInt32(min(max((end - ContinuousClock.now).inMicroseconds, 1), 20_000)))   // blocking-ok: the connection's own thread
        }
        return !lock.withLock { stopping }
    }

    private func systemShutdown(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        #else
        Darwin.shutdown(fd, SHUT_RDWR)
        #endif
    }

    // MARK: Building replies

    /// A complete response with `Content-Length` and `Connection: close`.
    static func response(status: Int, reason: String = "X", headers: [(String, String)] = [], body: Data = Data()) -> Data {
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Data(text.utf8) + body
    }

    /// A JSON response.
    static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> [Step] {
        [.send(response(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(text.utf8)))]
    }
}

extension Duration {
    fileprivate var inMicroseconds: Int {
        Int(components.seconds) * 1_000_000 + Int(components.attoseconds / 1_000_000_000_000)
    }
}
