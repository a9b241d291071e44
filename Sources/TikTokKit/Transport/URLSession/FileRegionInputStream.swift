import Foundation
#if canImport(Glibc)
import Glibc
private func openForReading(_ path: UnsafePointer<CChar>) -> Int32 { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
private func closeFile(_ descriptor: Int32) { _ = Glibc.close(descriptor) }
#elseif canImport(Darwin)
import Darwin
private func openForReading(_ path: UnsafePointer<CChar>) -> Int32 { Darwin.open(path, O_RDONLY | O_CLOEXEC) }
private func closeFile(_ descriptor: Int32) { _ = Darwin.close(descriptor) }
#endif

/// The body of a ``TikTokFileRegion`` request for `URLSession`: reads the range from disk one read call
/// at a time (each at most ``maxRead`` bytes, at the position it has reached), so no more of the
/// chunk is in memory than the caller's buffer.
///
/// A stream can be read once; ``URLSessionTransport`` makes a new one for every send and whenever
/// `URLSession` asks for the body again (`needNewBodyStream`, when it resends on a new connection).
///
/// It never yields fewer or more bytes than the region: the request declares the region's length
/// as its `Content-Length`, so a file that ends early (or cannot be read) fails the stream with an
/// error, and the transfer with it, instead of leaving the server waiting for the rest.
///
/// Used by one thread at a time (URLSession's), like every `InputStream`. A failure is also told to
/// `failed` (from that thread), so the transport can report it as a ``TransportError`` rather than
/// as whatever `URLSession` makes of an aborted body.
final class FileRegionInputStream: InputStream {
    /// The most one read call returns, whatever buffer it is given.
    static let maxRead = 1 << 20

    private let region: TikTokFileRegion
    private var descriptor: Int32 = -1
    private var position: Int64 = 0
    private var status: Stream.Status = .notOpen
    private var failure: (any Error)?
    private let failed: @Sendable (String) -> Void

    init(_ region: TikTokFileRegion, failed: @escaping @Sendable (String) -> Void) {
        self.region = region
        self.failed = failed
        super.init(data: Data())
    }

    deinit { closeDescriptor() }

    override func open() {
        guard status == .notOpen else { return }
        descriptor = region.file.withUnsafeFileSystemRepresentation { path in
            path.map(openForReading) ?? -1
        }
        if descriptor < 0 {
            fail("cannot open \(region.file.lastPathComponent)")
        } else {
            status = region.length == 0 ? .atEnd : .open
        }
    }

    override func close() {
        closeDescriptor()
        status = .closed
    }

    override var streamStatus: Stream.Status { status }

    override var streamError: (any Error)? { failure }

    override var hasBytesAvailable: Bool { status == .open && position < region.length }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength: Int) -> Int {
        guard status == .open else { return status == .atEnd ? 0 : -1 }
        let wanted = Int(min(Int64(min(maxLength, Self.maxRead)), region.length - position))
        guard wanted > 0 else {
            status = .atEnd
            return 0
        }
        var got: Int
        repeat {
            got = pread(descriptor, buffer, wanted, off_t(region.offset + position))
        } while got < 0 && errno == EINTR
        guard got > 0 else {
            fail(got == 0 ? "\(region.file.lastPathComponent) became shorter while it was being sent"
                          : "reading \(region.file.lastPathComponent) failed")
            return -1
        }
        position += Int64(got)
        if position == region.length { status = .atEnd }
        return got
    }

    override func getBuffer(_ buffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                            length: UnsafeMutablePointer<Int>) -> Bool {
        false
    }

    override func property(forKey key: Stream.PropertyKey) -> AnyObject? { nil }

    override func setProperty(_ property: AnyObject?, forKey key: Stream.PropertyKey) -> Bool { false }

    override func schedule(in aRunLoop: RunLoop, forMode mode: RunLoop.Mode) {}

    override func remove(from aRunLoop: RunLoop, forMode mode: RunLoop.Mode) {}

    private func fail(_ message: String) {
        closeDescriptor()
        failure = TransportError(.fileUnreadable, message)
        status = .error
        failed(message)
    }

    private func closeDescriptor() {
        if descriptor >= 0 {
            closeFile(descriptor)
            descriptor = -1
        }
    }
}
