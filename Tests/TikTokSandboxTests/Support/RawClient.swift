import Foundation
import Testing
import TikTokKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A socket call in the test client failed.
struct ClientSocketError: Error, CustomStringConvertible {
    let call: String
    let code: Int32
    var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// A response as parsed by `RawClient`.
struct RawResponse {
    var status: Int
    var headers: TikTokHTTPHeaders
    var body: Data
}

/// A TCP client that speaks bytes, so tests control exactly what the server receives.
///
/// The socket calls block, so every one of them runs on a thread of its own (`onOwnThread`) while
/// the test awaits it; every receive times out after 5 s, so a broken server fails a test instead
/// of hanging it. Used by one task at a time.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var pending = Data()

    /// Connects to `port` on the loopback address.
    /// - Parameter receiveBuffer: A small kernel receive buffer (set before connecting, so the
    ///   TCP window stays small): a client that stops reading then holds back the server sooner.
    init(port: UInt16, receiveBuffer: Int32? = nil) throws {
        // The descriptor is stored only once connected: if `init` throws after every property is
        // set, `deinit` runs too, and closing the descriptor there as well would close whatever
        // another test opened under the same number meanwhile.
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw ClientSocketError(call: "socket", code: errno) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        #if canImport(Darwin)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))   // blocking-ok: a moment (loopback: accepted or refused at once)
            }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw ClientSocketError(call: "connect", code: code)
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ text: String) async throws { try await send(Data(text.utf8)) }

    func send(_ data: Data) async throws {
        try await onOwnThread("RawClient.send") { try self.sendBlocking(data) }
    }

    /// The next bytes from the socket; nil at end of stream.
    func receiveSome() async throws -> Data? {
        try await onOwnThread("RawClient.receive") { try self.receiveSomeBlocking() }
    }

    /// Everything until the server closes the connection.
    func receiveUntilClosed() async throws -> Data {
        try await onOwnThread("RawClient.receive") { try self.receiveUntilClosedBlocking() }
    }

    /// Whether the server has closed the connection (reading nothing more from it).
    func isClosedByServer() async throws -> Bool {
        try await onOwnThread("RawClient.receive") { try self.receiveSomeBlocking() == nil }
    }

    /// One response: status line, header fields, and a `Content-Length` body (none for `HEAD`).
    func receiveResponse(forHEAD: Bool = false) async throws -> RawResponse {
        try await onOwnThread("RawClient.receive") { try self.receiveResponseBlocking(forHEAD: forHEAD) }
    }

    /// Reads up to `count` more bytes (fewer if the server closes first) without keeping them,
    /// except the last `tail`; returns how many arrived and those last bytes.
    func receive(count: Int, keepingLast tail: Int) async throws -> (count: Int, tail: Data) {
        try await onOwnThread("RawClient.receive") {
            var received = 0
            var last = Data()
            while received < count, let piece = try self.receiveSomeBlocking() {
                let used = piece.prefix(count - received)
                if used.count < piece.count { self.pending = Data(piece.dropFirst(used.count)) }
                received += used.count
                last.append(used)
                if last.count > tail { last = Data(last.suffix(tail)) }
            }
            return (received, last)
        }
    }

    /// One response that must end the connection: it says `Connection: close`, and the server
    /// closes the connection after it (both are recorded as issues at the caller's line if not).
    func receiveLastResponse(sourceLocation: SourceLocation = #_sourceLocation) async throws -> RawResponse {
        let response = try await receiveResponse()
        #expect(response.headers["Connection"] == "close", sourceLocation: sourceLocation)
        #expect(try await isClosedByServer(), sourceLocation: sourceLocation)
        return response
    }

    private func sendBlocking(_ data: Data) throws {
        #if canImport(Darwin)
        let flags: Int32 = 0
        #else
        let flags = Int32(MSG_NOSIGNAL)
        #endif
        try data.withUnsafeBytes { buffer in
            guard var next = buffer.baseAddress else { return }
            var left = buffer.count
            while left > 0 {
                let sent = Glibc_or_Darwin_send(fd, next, left, flags)   // blocking-ok: on its own thread (onOwnThread)
                guard sent > 0 else { throw ClientSocketError(call: "send", code: errno) }
                next += sent
                left -= sent
            }
        }
    }

    /// Sends FIN: the server sees end of stream, and the client can still receive.
    func finishSending() { _ = shutdown(fd, Int32(SHUT_WR)) }

    private func receiveSomeBlocking() throws -> Data? {
        if !pending.isEmpty {
            defer { pending = Data() }
            return pending
        }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let got = recv(fd, &buffer, buffer.count, 0)   // blocking-ok: on its own thread (onOwnThread)
        guard got >= 0 else { throw ClientSocketError(call: "recv", code: errno) }
        return got == 0 ? nil : Data(buffer[0..<got])
    }

    private func receiveUntilClosedBlocking() throws -> Data {
        var data = Data()
        while let piece = try receiveSomeBlocking() { data.append(piece) }
        return data
    }

    private func receiveResponseBlocking(forHEAD: Bool) throws -> RawResponse {
        var buffer = pending
        pending = Data()
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard let piece = try receiveSomeBlocking() else { throw ClientSocketError(call: "recv (EOF in head)", code: 0) }
            buffer.append(piece)
        }
        guard let headEnd = buffer.range(of: separator) else { throw ClientSocketError(call: "parse", code: 0) }
        let headText = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw ClientSocketError(call: "parse status line", code: 0)
        }
        var headers = TikTokHTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(name: String(line[..<colon]),
                        value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var rest = Data(buffer[headEnd.upperBound...])
        let length = forHEAD || status < 200 ? 0 : Int(headers["Content-Length"] ?? "0") ?? 0
        while rest.count < length {
            guard let piece = try receiveSomeBlocking() else { throw ClientSocketError(call: "recv (EOF in body)", code: 0) }
            rest.append(piece)
        }
        pending = Data(rest[(rest.startIndex + length)...])
        return RawResponse(status: status, headers: headers, body: Data(rest.prefix(length)))
    }
}

#if canImport(Darwin)
private func Glibc_or_Darwin_send(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
    Darwin.send(fd, bytes, count, flags)
}
#else
private func Glibc_or_Darwin_send(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
    Glibc.send(fd, bytes, count, flags)
}
#endif

/// A lock-protected value shared between a handler's thread and the test.
final class Shared<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { lock.withLock { body(&stored) } }
}

/// `count` bytes of a repeating, position-dependent pattern.
func patternBytes(_ count: Int) -> Data {
    Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
}
