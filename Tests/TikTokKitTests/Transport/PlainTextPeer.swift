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
        let (fd, port) = try LoopbackListener.open(backlog: 8)
        listener = fd
        self.port = port
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
