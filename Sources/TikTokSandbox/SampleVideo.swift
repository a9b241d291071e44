public import Foundation
internal import TikTokKit

/// Writes structurally valid MP4, QuickTime and WebM files of any size, for tests, examples and
/// benchmarks: the container headers TikTokKit's probe reads (`ftyp`, `moov/mvhd` with a duration,
/// or an EBML header), then pseudo-random media bytes. They are not playable.
///
/// ```swift
/// let url = try SampleVideo.write(to: directory.appendingPathComponent("clip.mp4"),
///                                 size: 50_000_123, durationSeconds: 12)
/// ```
public enum SampleVideo {
    /// The container to write.
    public enum Kind: Sendable {
        case mp4
        case quickTime
        case webM
    }

    /// Writes a file of exactly `size` bytes and returns its URL.
    /// - Parameters:
    ///   - url: Where to write; replaced if it exists.
    ///   - size: The total size; at least 128 bytes.
    ///   - durationSeconds: Recorded in `mvhd` (MP4 and QuickTime).
    ///   - kind: The container.
    ///   - seed: Seeds the media bytes, so the same arguments give the same file.
    @discardableResult
    public static func write(to url: URL, size: Int64, durationSeconds: Double = 10, kind: Kind = .mp4,
                             seed: UInt64 = 0x7117_0C) throws -> URL {
        let header = headerBytes(kind: kind, durationSeconds: durationSeconds, totalSize: size)
        guard size >= Int64(header.count) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "a sample video needs at least \(header.count) bytes"])
        }
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: header)
        var remaining = size - Int64(header.count)
        var state = seed
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while remaining > 0 {
            let count = Int(min(Int64(block.count), remaining))
            block.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for index in words.indices {
                    state &+= 0x9E37_79B9_7F4A_7C15
                    var z = state
                    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                    words[index] = z ^ (z >> 31)
                }
            }
            try handle.write(contentsOf: block[0..<count])
            remaining -= Int64(count)
        }
        return url
    }

    /// The container header, ending with the start of the media data box.
    /// Writes the file as the synchronous ``write(to:size:durationSeconds:kind:seed:)`` does,
    /// but on a thread of its own: a large file takes seconds to generate, and async code (a test,
    /// a server) must not hold a thread of Swift's cooperative pool that long.
    @discardableResult
    public static func write(to url: URL, size: Int64, durationSeconds: Double = 10, kind: Kind = .mp4,
                             seed: UInt64 = 0x7117_0C) async throws -> URL {
        try await onOwnThread("SampleVideo.write") {
            try write(to: url, size: size, durationSeconds: durationSeconds, kind: kind, seed: seed)
        }
    }

    static func headerBytes(kind: Kind, durationSeconds: Double, totalSize: Int64) -> Data {
        switch kind {
        case .webM:
            // EBML header with DocType "webm", then a Segment of unknown size.
            return Data([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01,
                         0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08, 0x42, 0x82, 0x84]
                        + Array("webm".utf8)
                        + [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02,
                           0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        case .mp4, .quickTime:
            let brand = kind == .mp4 ? "isom" : "qt  "
            var data = Data()
            data += box("ftyp", Array(brand.utf8) + [0, 0, 2, 0] + Array(brand.utf8) + Array("mp41".utf8))
            let timescale: UInt32 = 1000
            let duration = UInt32(max(0, min(durationSeconds * 1000, Double(UInt32.max - 1))))
            var mvhd = [UInt8](repeating: 0, count: 100)
            mvhd.replaceSubrange(12..<16, with: bigEndian(timescale))
            mvhd.replaceSubrange(16..<20, with: bigEndian(duration))
            data += box("moov", box("mvhd", mvhd))
            let mdatSize = totalSize - Int64(data.count)
            data += bigEndian(UInt32(clamping: max(8, mdatSize) > Int64(UInt32.max) ? 1 : max(8, mdatSize)))
            data += Array("mdat".utf8)
            if mdatSize > Int64(UInt32.max) {
                // 64-bit box size: the 8 extra bytes belong to the header.
                data += bigEndian64(UInt64(mdatSize))
            }
            return data
        }
    }

    private static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        bigEndian(UInt32(8 + payload.count)) + Array(type.utf8) + payload
    }

    private static func box(_ type: String, _ payload: Data) -> Data {
        Data(box(type, [UInt8](payload)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    private static func bigEndian64(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }
}
