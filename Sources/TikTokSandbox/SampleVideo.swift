public import Foundation
internal import TikTokKit

/// Writes playable-shaped MP4, QuickTime, WebM and fragmented MP4 files of any size, for tests,
/// examples and benchmarks.
///
/// Each file has one 720×1280 video track with a valid sample table (H.264 in ISO media, VP9 in
/// WebM) lasting `durationSeconds`: `ffprobe` and players read its container, track and duration.
/// The frames are length-prefixed H.264 filler NAL units (WebM: blocks) of pseudo-random bytes,
/// so a player shows no picture, but the file is exactly `size` bytes, written front to back in
/// constant memory (a few MB a second in a debug build, hundreds in release).
///
/// ```swift
/// let url = try SampleVideo.write(to: directory.appendingPathComponent("clip.mp4"),
///                                 size: 50_000_123, durationSeconds: 12)
/// ```
public enum SampleVideo {
    /// The container to write.
    public enum Kind: Sendable {
        /// MP4 with the `moov` first ("fast start"), one H.264 track.
        case mp4
        /// QuickTime (`ftyp` brand `qt  `), one H.264 track.
        case quickTime
        /// WebM with `Info/Duration`, one VP9 track.
        case webM
        /// Fragmented MP4 as a live recorder writes it: an empty `moov` (no `mehd`), then one
        /// `moof` + `mdat` per two seconds, each `traf` with `tfdt` and a `trun`.
        case fragmentedMP4
    }

    /// The largest file written: 1 TiB, far beyond TikTok's 4 GB.
    public static let maxSize: Int64 = 1 << 40

    /// Writes a file of exactly `size` bytes and returns its URL.
    /// - Parameters:
    ///   - url: Where to write; replaced if it exists.
    ///   - size: The total size; at least about 700 bytes (the headers and one frame), at most
    ///     ``maxSize``.
    ///   - durationSeconds: The video's duration, at most 40,000 s.
    ///   - kind: The container.
    ///   - seed: Seeds the media bytes, so the same arguments give the same file.
    /// - Throws: When `size` is too small for the headers, or the file cannot be written.
    @discardableResult
    public static func write(to url: URL, size: Int64, durationSeconds: Double = 10, kind: Kind = .mp4,
                             seed: UInt64 = 0x7117_0C) throws -> URL {
        guard size <= maxSize else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "a sample video is at most \(maxSize) bytes"])
        }
        let seconds = min(max(durationSeconds.isFinite ? durationSeconds : 0, 0), 40_000)
        let layout: any SampleLayout = switch kind {
        case .mp4: ISOSampleLayout(brand: .mp4, size: size, seconds: seconds)
        case .quickTime: ISOSampleLayout(brand: .quickTime, size: size, seconds: seconds)
        case .fragmentedMP4: FragmentedSampleLayout(size: size, seconds: seconds)
        case .webM: WebMSampleLayout(size: size, seconds: seconds)
        }
        guard layout.fits else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "a sample video needs at least \(layout.minimumSize) bytes"])
        }
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var output = SampleOutput(handle: handle, seed: seed)
        try layout.write(to: &output)
        try output.flush()
        guard output.written == size else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "sample video layout wrote \(output.written) of \(size) bytes"])
        }
        return url
    }

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
}

/// A file's structure, computed up front so the bytes can be written in one forward pass.
protocol SampleLayout {
    var fits: Bool { get }
    var minimumSize: Int64 { get }
    func write(to output: inout SampleOutput) throws
}

/// Buffered, forward-only output with a pseudo-random byte source (SplitMix64).
struct SampleOutput {
    let handle: FileHandle
    private var state: UInt64
    private var pending: [UInt8] = []
    private var random = [UInt8](repeating: 0, count: 1 << 20)
    private var randomUsed = 1 << 20
    private(set) var written: Int64 = 0

    init(handle: FileHandle, seed: UInt64) {
        self.handle = handle
        self.state = seed
        pending.reserveCapacity(1 << 21)
    }

    mutating func append(_ bytes: [UInt8]) throws {
        pending.append(contentsOf: bytes)
        written += Int64(bytes.count)
        if pending.count >= 1 << 20 { try flush() }
    }

    mutating func appendRandom(_ count: Int64) throws {
        var left = count
        while left > 0 {
            if randomUsed == random.count { refill() }
            let take = Int(min(left, Int64(random.count - randomUsed)))
            pending.append(contentsOf: random[randomUsed..<(randomUsed + take)])
            randomUsed += take
            left -= Int64(take)
            written += Int64(take)
            if pending.count >= 1 << 20 { try flush() }
        }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func refill() {
        var state = self.state
        random.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in words.indices {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                words[index] = z ^ (z >> 31)
            }
        }
        self.state = state
        randomUsed = 0
    }
}

/// Byte-building helpers for the layouts.
enum SampleBytes {
    static func be16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }

    static func be32(_ value: Int64) -> [UInt8] { be32(UInt32(truncatingIfNeeded: value)) }

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    static func be64(_ value: Int64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (UInt64($0) * 8)) }
    }

    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// An ISO box.
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] { be32(Int64(8 + payload.count)) + ascii(type) + payload }

    /// An ISO full box (version and flags first).
    static func fullBox(_ type: String, version: UInt8 = 0, flags: UInt32 = 0, _ payload: [UInt8]) -> [UInt8] {
        box(type, [version] + be32(flags).suffix(3) + payload)
    }

    static let identityMatrix: [UInt8] = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].flatMap { be32(UInt32($0)) }
}
