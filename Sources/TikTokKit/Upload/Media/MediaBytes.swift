#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random access to the bytes of a media file, for the container readers.
///
/// The SDK reads files (``FileBytes``); the emulator reads what it kept of an upload. Reads past
/// the end return fewer bytes (none at or after ``size``), never an error.
package protocol MediaBytes {
    /// The file's length in bytes.
    var size: Int64 { get }
    /// Up to `count` bytes at `offset`.
    func read(at offset: Int64, count: Int) throws -> [UInt8]
}

/// Positional reads (`pread`) from an open file descriptor, which stays owned by the caller.
package struct FileBytes: MediaBytes {
    package let descriptor: Int32
    package let size: Int64

    package init(descriptor: Int32, size: Int64) {
        self.descriptor = descriptor
        self.size = size
    }

    package func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        var bytes = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        while filled < wanted {
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + filled, wanted - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw TikTokError.validation("file", "reading the file failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            filled += got
        }
        return filled == wanted ? bytes : Array(bytes[0..<filled])
    }
}

/// Bytes already in memory (a fuzz input, a downloaded body).
package struct MemoryBytes: MediaBytes {
    package let bytes: [UInt8]
    package var size: Int64 { Int64(bytes.count) }

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let start = Int(offset)
        let end = start + min(count, bytes.count - start)
        return Array(bytes[start..<end])
    }
}

/// Wraps a source with a budget: once ``MediaReadBudget/maxBytes`` bytes or
/// ``MediaReadBudget/maxReads`` reads are spent, every further read returns nothing, as at the
/// end of the file. Hostile files therefore cost a bounded amount of I/O whatever their boxes say.
final class BudgetedBytes {
    let source: any MediaBytes
    private(set) var bytesRead: Int64 = 0
    private(set) var reads = 0
    private(set) var exhausted = false

    var size: Int64 { source.size }

    init(_ source: any MediaBytes) { self.source = source }

    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard count > 0, offset >= 0, offset < source.size else { return [] }
        let left = MediaReadBudget.maxBytes - bytesRead
        guard reads < MediaReadBudget.maxReads, left > 0 else {
            exhausted = true
            return []
        }
        let allowed = Int(min(Int64(count), left))
        reads += 1
        let bytes = try source.read(at: offset, count: allowed)
        bytesRead += Int64(bytes.count)
        if allowed < count { exhausted = true }
        return bytes
    }
}

/// How much a probe may read of one file, at most.
enum MediaReadBudget {
    /// 4 MiB: room for the moov and moof headers of any real video; a typical file costs a few KB.
    static let maxBytes: Int64 = 4 << 20
    /// 300,000 reads: a top-level walk over 250,000 fragments' boxes, plus the boxes inside them.
    static let maxReads = 300_000
}
