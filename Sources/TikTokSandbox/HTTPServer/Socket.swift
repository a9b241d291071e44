import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX socket calls the server makes, with the spellings that differ between Glibc and
/// Darwin kept in one place.
///
/// blocking-ok-file: every call here runs on the server's accept thread or a connection's thread.
enum Socket {
    #if canImport(Darwin)
    private static let streamType = SOCK_STREAM
    /// Darwin has no `MSG_NOSIGNAL`; every socket gets `SO_NOSIGPIPE` instead.
    private static let sendFlags: Int32 = 0
    #else
    private static let streamType = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #endif

    /// A bound, listening socket.
    struct Listener {
        let fd: Int32
        let port: UInt16
        let family: Int32
    }

    /// Creates a socket bound to `host:port` (an IPv4 or IPv6 literal) and starts listening.
    static func listen(host: String, port: UInt16) throws(HTTPServerError) -> Listener {
        var address = sockaddr_storage()
        let family: Int32
        let length: Int
        if let v4 = ipv4Address(host, port: port) {
            family = AF_INET
            length = MemoryLayout<sockaddr_in>.size
            withUnsafeMutableBytes(of: &address) { $0.storeBytes(of: v4, as: sockaddr_in.self) }
        } else if let v6 = ipv6Address(host, port: port) {
            family = AF_INET6
            length = MemoryLayout<sockaddr_in6>.size
            withUnsafeMutableBytes(of: &address) { $0.storeBytes(of: v6, as: sockaddr_in6.self) }
        } else {
            throw HTTPServerError(.invalidAddress, "\(host) is not an IPv4 or IPv6 address literal")
        }

        let fd = socket(family, streamType, 0)
        guard fd >= 0 else { throw .socket("socket", errno) }
        prepare(fd)
        setFlag(fd, SOL_SOCKET, SO_REUSEADDR)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw .socket("bind(\(host):\(port))", code)
        }
        guard posixListen(fd, SOMAXCONN) == 0 else {
            let code = errno
            close(fd)
            throw .socket("listen", code)
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        let boundPort = withUnsafeBytes(of: &actual) { bytes in
            family == AF_INET
                ? UInt16(bigEndian: bytes.load(as: sockaddr_in.self).sin_port)
                : UInt16(bigEndian: bytes.load(as: sockaddr_in6.self).sin6_port)
        }
        return Listener(fd: fd, port: boundPort, family: family)
    }

    private static func ipv4Address(_ host: String, port: UInt16) -> sockaddr_in? {
        var address = sockaddr_in()
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        return address
    }

    private static func ipv6Address(_ host: String, port: UInt16) -> sockaddr_in6? {
        var address = sockaddr_in6()
        guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        #if canImport(Darwin)
        address.sin6_len = UInt8(MemoryLayout<sockaddr_in6>.size)
        #endif
        return address
    }

    /// The outcome of one `accept` call.
    enum Accepted {
        case connection(Int32)
        /// A transient failure (interrupted, aborted handshake): try again.
        case retry
        /// Out of descriptors or memory: free some, wait a moment, and try again.
        case exhausted
        /// The listening socket was shut down or closed.
        case stopped
    }

    static func accept(_ listener: Int32) -> Accepted {
        let fd = posixAccept(listener)
        if fd >= 0 {
            prepare(fd)
            setFlag(fd, Int32(IPPROTO_TCP), TCP_NODELAY)
            return .connection(fd)
        }
        switch errno {
        case EINTR, ECONNABORTED, EPROTO, EPERM:
            return .retry
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            return .exhausted
        default:
            return .stopped
        }
    }

    /// Per-socket options set on both listening and accepted sockets.
    private static func prepare(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        #if canImport(Darwin)
        setFlag(fd, SOL_SOCKET, SO_NOSIGPIPE)
        #endif
    }

    static func setFlag(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32 = 1) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Makes every `recv` and `send` on `fd` fail with `EAGAIN` once it has waited `milliseconds`
    /// (at least 1) without moving a byte.
    static func setTimeouts(_ fd: Int32, milliseconds: Int32) {
        var timeout = timeval(tv_sec: Int(milliseconds / 1000), tv_usec: .init((milliseconds % 1000) * 1000))
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Makes the next `close` send a TCP RST instead of a FIN.
    static func setAbortOnClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    static func shutdown(_ fd: Int32, reading: Bool, writing: Bool) {
        let how: Int32
        switch (reading, writing) {
        case (true, true): how = Int32(SHUT_RDWR)
        case (true, false): how = Int32(SHUT_RD)
        default: how = Int32(SHUT_WR)
        }
        #if canImport(Darwin)
        _ = Darwin.shutdown(fd, how)
        #else
        _ = Glibc.shutdown(fd, how)
        #endif
    }

    /// Sends every byte; false when the peer is gone or stopped taking bytes for longer than the
    /// socket's send timeout (never raises `SIGPIPE`).
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var next = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let sent = send(fd, next, left, sendFlags)
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            if sent == 0 { return false }
            next += sent
            left -= sent
        }
        return true
    }

    static func sendAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { sendAll(fd, $0) }
    }

    /// Receives up to `count` bytes; 0 at end of stream.
    /// - Throws: ``HTTPServerError/Code-swift.struct/timedOut`` when nothing arrived within the
    ///   socket's receive timeout.
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(HTTPServerError) -> Int {
        try receive(fd, into: buffer, count: count, flags: 0)
    }

    /// Receives and drops up to `count` bytes; 0 at end of stream. On Linux the kernel drops them
    /// without copying; elsewhere they land in `scratch`.
    static func receiveDiscarding(_ fd: Int32, scratch: UnsafeMutableRawPointer, count: Int) throws(HTTPServerError) -> Int {
        #if canImport(Glibc)
        let flags = Int32(MSG_TRUNC)
        #else
        let flags: Int32 = 0
        #endif
        return min(try receive(fd, into: scratch, count: count, flags: flags), count)
    }

    private static func receive(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int,
                                flags: Int32) throws(HTTPServerError) -> Int {
        while true {
            let got = recv(fd, buffer, count, flags)
            if got >= 0 { return got }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .timedOut
            case let code: throw .socket("recv", code)
            }
        }
    }

    /// Waits up to `milliseconds` for `fd` to become readable; false on timeout.
    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&entry, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Waits up to `milliseconds` for the peer to close or reset the connection, without reading
    /// from it; returns whether it did. Data the peer sent and nobody read yet does not count.
    static func waitForHangUp(_ fd: Int32, milliseconds: Int32) -> Bool {
        #if os(Linux)
        // POLLRDHUP (peer closed its end) without POLLIN: unread data does not wake the poll.
        // POLLRDHUP is 0x2000 on every Linux architecture; Glibc hides it behind _GNU_SOURCE.
        var entry = pollfd(fd: fd, events: 0x2000, revents: 0)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, milliseconds)) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return false }
            let ready = poll(&entry, 1, Int32(clamping: (deadline - now) / 1_000_000 + 1))   // blocking-ok: a connection's own thread
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
        #else
        // No POLLRDHUP: wait for readability, then peek; unread data ends the wait early as "open".
        guard waitReadable(fd, milliseconds: milliseconds) else { return false }
        var byte: UInt8 = 0
        let got = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
        #endif
    }

    /// Connects to the listener once so a blocked `accept` returns; Darwin does not wake it on
    /// `shutdown(2)` of a listening socket the way Linux does.
    static func poke(port: UInt16, family: Int32) {
        #if canImport(Darwin)
        let loopback = family == AF_INET6 ? "::1" : "127.0.0.1"
        let fd = socket(family, streamType, 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_storage()
        let length: Int
        if family == AF_INET6, let v6 = ipv6Address(loopback, port: port) {
            length = MemoryLayout<sockaddr_in6>.size
            withUnsafeMutableBytes(of: &address) { $0.storeBytes(of: v6, as: sockaddr_in6.self) }
        } else if let v4 = ipv4Address(loopback, port: port) {
            length = MemoryLayout<sockaddr_in>.size
            withUnsafeMutableBytes(of: &address) { $0.storeBytes(of: v4, as: sockaddr_in.self) }
        } else {
            return
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(length)) }
        }
        #endif
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

#if canImport(Darwin)
private func posixListen(_ fd: Int32, _ backlog: Int32) -> Int32 { Darwin.listen(fd, backlog) }
private func posixAccept(_ fd: Int32) -> Int32 { Darwin.accept(fd, nil, nil) }
#else
private func posixListen(_ fd: Int32, _ backlog: Int32) -> Int32 { Glibc.listen(fd, backlog) }
private func posixAccept(_ fd: Int32) -> Int32 { Glibc.accept(fd, nil, nil) }
#endif
