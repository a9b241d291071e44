public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What TikTokKit learns about a video file before uploading it: that it is a regular readable
/// file, its size and modification date, its container (from its bytes, not its name), that it
/// has a video track, and its duration.
///
/// Supported: MP4 and QuickTime with the `moov` first ("fast start") or last, with or without
/// `ftyp`, `mvhd` version 0 or 1, 64-bit box sizes, edit lists, any codec (H.264, HEVC, ProRes…);
/// fragmented MP4 of every layout (`empty_moov`, `default_base_moof`, CMAF, DASH with `sidx`,
/// Smooth Streaming, written to a pipe), whose duration comes from `mehd` when present, else the
/// last fragment's `tfdt` plus its `trun` sample durations (or every fragment's, without `tfdt`),
/// else `sidx`; 3GP, which is ISO media like MP4 and is uploaded as `video/mp4`; WebM, whose
/// duration is `Segment/Info/Duration × TimecodeScale` (nil for a live recording that carries
/// none). Everything else is refused with a ``MediaRefusal`` naming the reason; see
/// `Documentation/Uploading.md`.
///
/// Bounded on huge and hostile files: at most 4 MiB and 300,000 reads in all, whatever the file
/// (typically a few kilobytes in a few dozen reads). Only box and element headers and a few small
/// boxes are read, never the media data; the walk only moves forward, so boxes of size 0 or
/// pointing backwards end it; all arithmetic on sizes is overflow-checked.
///
/// ```swift
/// let probe = try MediaProbe(file: URL(fileURLWithPath: "clip.mp4"))
/// print(probe.container.mimeType, probe.durationSeconds ?? 0)   // video/mp4 12.5
/// ```
public struct MediaProbe: Sendable, Hashable {
    /// A container TikTok accepts.
    public enum Container: String, Codable, Sendable, Hashable {
        /// ISO base media (MP4, 3GP, fragmented MP4), uploaded as `video/mp4`.
        case mp4
        /// QuickTime (`ftyp` `qt  `, or no `ftyp`), uploaded as `video/quicktime`.
        case quickTime
        /// WebM (EBML DocType `webm`), uploaded as `video/webm`.
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
    /// Its duration in seconds; nil when the file carries none (a live WebM recording).
    public let durationSeconds: Double?

    /// Examines `file`.
    /// - Throws: ``TikTokError`` of kind ``TikTokError/Kind/validation(field:)`` (field `file`)
    ///   when the file is missing, not a regular file or unreadable; of kind
    ///   ``TikTokError/Kind/media(_:)`` when it is empty, not a video TikTok takes, or broken.
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
        let facts = try MediaInspector.inspect(FileBytes(descriptor: descriptor, size: size), name: name)
        container = facts.container
        durationSeconds = facts.durationSeconds
    }
}
