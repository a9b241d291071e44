import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP listener on 127.0.0.1 that writes fixed bytes to each connection as soon as it is
/// accepted, then closes it: a peer that does not speak TLS (or HTTP request/response order).
final class PlainTextPeer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32

    init(reply: String) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ready else { close(fd); throw POSIXError(.EADDRINUSE) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let bytes = Array(reply.utf8)
        Thread {
            while true {
                let client = accept(fd, nil, nil)   // blocking-ok: the peer's own thread
                if client < 0 { return }
                _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
                close(client)
            }
        }.start()
    }

    deinit {
        #if canImport(Glibc)
        _ = Glibc.shutdown(listener, Int32(SHUT_RDWR))
        #else
        _ = Darwin.shutdown(listener, SHUT_RDWR)
        #endif
        close(listener)
    }
}
