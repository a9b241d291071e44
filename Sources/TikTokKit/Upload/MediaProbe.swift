public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What TikTokKit learns about a video file before uploading it: that it is a regular readable
/// file, its size and modification date, its container (from its bytes, not its name), and for
/// MP4/QuickTime its duration from the `mvhd` box.
///
/// Only a few small ranges are read (the first bytes and the headers of top-level boxes), never
/// the media data.
public struct MediaProbe: Sendable, Hashable {
    /// A container TikTok accepts.
    public enum Container: String, Codable, Sendable, Hashable {
        case mp4
        case quickTime
        case webM

        /// The `Content-Type` for chunk uploads.
        public var mimeType: String {
            switch self {
            case .mp4: "video/mp4"
            case .quickTime: "video/quicktime"
            case .webM: "video/webm"
            }
        }
    }

    /// The file.
    public let file: URL
    /// Its size in bytes.
    public let size: Int64
    /// Its last modification date.
    public let modificationDate: Date
    /// Its container.
    public let container: Container
    /// Its duration in seconds, when the container says (MP4/QuickTime `mvhd`); nil if unknown.
    public let durationSeconds: Double?

    /// Examines `file`.
    /// - Throws: ``TikTokError`` (validation of `file`) when the file is missing, not a regular
    ///   file, unreadable, empty, or not MP4, QuickTime or WebM.
    public init(file: URL) throws {
        self.file = file
        let name = file.lastPathComponent
        let descriptor = file.withUnsafeFileSystemRepresentation { path -> Int32 in
            guard let path else { return -1 }
            return open(path, O_RDONLY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            let reason = errno == ENOENT ? "does not exist" : "cannot be read (\(String(cString: strerror(errno))))"
            throw TikTokError.validation("file", "\(name) \(reason)")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw TikTokError.validation("file", "\(name) cannot be examined")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw TikTokError.validation("file", "\(name) is not a regular file")
        }
        size = Int64(info.st_size)
        modificationDate = FileIdentity.modificationDate(of: info)
        guard size > 0 else { throw TikTokError.validation("file", "\(name) is empty") }

        let reader = FileReader(descriptor: descriptor, size: size)
        let head = try reader.read(at: 0, count: 64)
        guard let container = Self.sniff(head, reader: reader) else {
            throw TikTokError.validation("file", "\(name) is not an MP4, QuickTime (MOV) or WebM video")
        }
        self.container = container
        durationSeconds = container == .webM ? nil : try? Self.movieDuration(reader)
    }

    /// Recognises the container from the first bytes.
    static func sniff(_ head: [UInt8], reader: FileReader) -> Container? {
        if head.count >= 4, head[0...3] == [0x1A, 0x45, 0xDF, 0xA3] {
            // EBML: WebM declares DocType "webm"; other Matroska files are not accepted.
            return head.count >= 8 && containsASCII(head, "webm") ? .webM : nil
        }
        guard head.count >= 8 else { return nil }
        let type = String(decoding: head[4..<8], as: UTF8.self)
        switch type {
        case "ftyp":
            guard head.count >= 12 else { return nil }
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            return brand == "qt  " ? .quickTime : .mp4
        case "moov", "mdat", "wide", "free", "skip", "pnot":
            // QuickTime files may start without an `ftyp` box; confirm a `moov` box exists.
            return (try? findBox("moov", reader: reader, in: 0..<reader.size)) != nil ? .quickTime : nil
        default:
            return nil
        }
    }

    private static func containsASCII(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    /// Reads `moov/mvhd` and returns duration / timescale, or nil when unknown.
    static func movieDuration(_ reader: FileReader) throws -> Double? {
        guard let moov = try findBox("moov", reader: reader, in: 0..<reader.size),
              let mvhd = try findBox("mvhd", reader: reader, in: moov) else { return nil }
        let header = try reader.read(at: mvhd.lowerBound, count: 32)
        guard header.count >= 20 else { return nil }
        let version = header[0]
        let timescale: UInt64
        let duration: UInt64
        if version == 1 {
            guard header.count >= 32 else { return nil }
            timescale = bigEndian(header[20..<24])
            duration = bigEndian(header[24..<32])
            if duration == UInt64.max { return nil }
        } else {
            timescale = bigEndian(header[12..<16])
            duration = bigEndian(header[16..<20])
            if duration == UInt64(UInt32.max) { return nil }
        }
        guard timescale > 0 else { return nil }
        return Double(duration) / Double(timescale)
    }

    /// Walks the boxes in `range` (no recursion) and returns the payload range of the first
    /// box of `type`.
    static func findBox(_ type: String, reader: FileReader, in range: Range<Int64>) throws -> Range<Int64>? {
        var offset = range.lowerBound
        var boxes = 0
        while offset + 8 <= range.upperBound, boxes < 10_000 {
            boxes += 1
            let header = try reader.read(at: offset, count: 16)
            guard header.count >= 8 else { return nil }
            var size = Int64(bigEndian(header[0..<4]))
            var headerLength: Int64 = 8
            if size == 1 {
                guard header.count >= 16 else { return nil }
                let large = bigEndian(header[8..<16])
                guard large <= UInt64(Int64.max) else { return nil }
                size = Int64(large)
                headerLength = 16
            } else if size == 0 {
                size = range.upperBound - offset   // extends to the end
            }
            guard size >= headerLength, offset <= range.upperBound - size else { return nil }
            if String(decoding: header[4..<8], as: UTF8.self) == type {
                return (offset + headerLength)..<(offset + size)
            }
            offset += size
        }
        return nil
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Positional reads from an open file.
struct FileReader {
    let descriptor: Int32
    let size: Int64

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let wanted = Int(min(Int64(count), size - offset))
        var bytes = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        while filled < wanted {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, wanted - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw TikTokError.validation("file", "reading the file failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes[0..<filled])
    }
}
