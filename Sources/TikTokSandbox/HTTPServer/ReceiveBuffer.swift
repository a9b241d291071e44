import Foundation

/// The receiving side of one connection: a large buffer refilled by `recv`, consumed by the head
/// parser and the body reader. Confined to the connection's thread.
final class ReceiveBuffer {
    /// Large enough that a bulk upload needs few `recv` calls.
    static let capacity = 256 * 1024

    let fd: Int32
    private let storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// Whether `recv` has reported end of stream.
    private(set) var reachedEnd = false

    init(fd: Int32) {
        self.fd = fd
        storage = .allocate(byteCount: Self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Bytes received but not yet consumed.
    var buffered: Int { end - start }

    /// Receives more bytes after those buffered; false at end of stream.
    private func fill() throws(HTTPServerError) -> Bool {
        if start == end {
            start = 0
            end = 0
        } else if end == storage.count, start > 0 {
            storage.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<end]))
            end -= start
            start = 0
        }
        guard end < storage.count, let base = storage.baseAddress else { return true }
        let got = try Socket.receive(fd, into: base + end, count: storage.count - end)
        if got == 0 {
            reachedEnd = true
            return false
        }
        end += got
        return true
    }

    /// Up to `maxCount` bytes, receiving if none are buffered; valid until the next call.
    /// - Throws: ``HTTPServerError/disconnected`` at end of stream.
    func take(upTo maxCount: Int) throws(HTTPServerError) -> UnsafeRawBufferPointer {
        if start == end {
            guard try fill() else { throw .disconnected }
        }
        let count = min(maxCount, end - start)
        defer { start += count }
        return UnsafeRawBufferPointer(rebasing: storage[start..<(start + count)])
    }

    /// Drops up to `maxCount` bytes and returns how many; when none are buffered, the kernel
    /// drops them without copying (Linux `MSG_TRUNC`).
    /// - Throws: ``HTTPServerError/disconnected`` at end of stream.
    func discard(upTo maxCount: Int) throws(HTTPServerError) -> Int {
        if start < end {
            let count = min(maxCount, end - start)
            start += count
            return count
        }
        guard let base = storage.baseAddress else { throw .disconnected }
        let got = try Socket.receiveDiscarding(fd, scratch: base, count: min(maxCount, storage.count))
        if got == 0 {
            reachedEnd = true
            throw .disconnected
        }
        return got
    }

    /// One CRLF-terminated line without its CRLF.
    /// - Throws: ``HTTPServerError/disconnected`` at end of stream, `malformedBody` past `limit`.
    func readLine(limit: Int) throws(HTTPServerError) -> String {
        var searched = start
        while true {
            if let lineEnd = find(crlfCount: 1, from: searched) {
                let line = String(decoding: UnsafeRawBufferPointer(rebasing: storage[start..<lineEnd]), as: UTF8.self)
                start = lineEnd + 2
                return line
            }
            guard buffered <= limit else { throw HTTPServerError(.malformedBody, "line longer than \(limit) bytes") }
            searched = max(start, end - 1)
            let offset = searched - start
            guard try fill() else { throw .disconnected }
            searched = start + offset
        }
    }

    /// The outcome of reading a request's header section.
    enum Head {
        case text(String)
        /// The client closed the connection between requests.
        case closed
        case tooLarge
    }

    /// Reads up to and including the blank line ending a header section, skipping blank lines
    /// before it (RFC 9112 §2.2).
    /// - Parameter deadline: When the section must be complete (uptime nanoseconds); checked as
    ///   bytes arrive, so a client trickling a byte at a time cannot hold the connection forever.
    /// - Throws: ``HTTPServerError/disconnected`` if the stream ends inside the header section,
    ///   `timedOut` past the deadline or when nothing arrives within the socket's receive timeout.
    func readHead(limit: Int, deadline: UInt64) throws(HTTPServerError) -> Head {
        var searched = start
        while true {
            while buffered >= 2, storage[start] == 0x0D, storage[start + 1] == 0x0A {
                start += 2
                searched = max(searched, start)
            }
            if let headEnd = find(crlfCount: 2, from: searched) {
                guard headEnd - start <= limit else { return .tooLarge }
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: storage[start..<headEnd]), as: UTF8.self)
                start = headEnd + 4
                return .text(text)
            }
            guard buffered <= limit else { return .tooLarge }
            let offset = max(0, buffered - 3)
            guard DispatchTime.now().uptimeNanoseconds < deadline else { throw .timedOut }
            guard try fill() else {
                if buffered == 0 { return .closed }
                throw .disconnected
            }
            searched = start + offset
        }
    }

    /// The index of the first run of `crlfCount` CRLFs at or after `from`.
    private func find(crlfCount: Int, from: Int) -> Int? {
        let width = 2 * crlfCount
        var index = from
        while index + width <= end {
            if storage[index] == 0x0D, storage[index + 1] == 0x0A,
               crlfCount == 1 || (storage[index + 2] == 0x0D && storage[index + 3] == 0x0A) {
                return index
            }
            index += 1
        }
        return nil
    }
}
