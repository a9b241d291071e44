import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened for a response body, read at explicit offsets so nothing about it
/// changes as it is sent; closed when the last response holding it goes away.
final class OpenFile: Sendable {
    private let descriptor: Int32
    /// The file's length when it was opened: the response's `Content-Length`.
    let length: Int64

    init(_ url: URL) throws(HTTPServerError) {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw HTTPServerError(.fileUnreadable, "cannot open \(url.path): \(Socket.errorText(errno))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw HTTPServerError(.fileUnreadable, "\(url.path) is not a regular file")
        }
        self.descriptor = descriptor
        length = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Sends the whole file to `socket` through a buffer of `pieceSize` bytes; false when the
    /// peer is gone or stopped reading, or the file ended early (it shrank since it was opened).
    func send(to socket: Int32, pieceSize: Int) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceSize, alignment: 16)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return false }
        var offset: Int64 = 0
        while offset < length {
            let wanted = Int(min(Int64(pieceSize), length - offset))
            let got = pread(descriptor, base, wanted, off_t(offset))
            if got < 0, errno == EINTR { continue }
            guard got > 0, Socket.sendAll(socket, UnsafeRawBufferPointer(rebasing: buffer[0..<got])) else { return false }
            offset += Int64(got)
        }
        return true
    }
}
