public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Identifies the exact file an upload belongs to: its path, size and modification date.
public struct FileIdentity: Codable, Sendable, Hashable {
    /// The file's path.
    public var path: String
    /// Its size in bytes.
    public var size: Int64
    /// Its last modification date.
    public var modificationDate: Date

    /// Creates an identity.
    public init(path: String, size: Int64, modificationDate: Date) {
        self.path = path
        self.size = size
        self.modificationDate = modificationDate
    }

    /// The identity of the file at `path` now, from one `stat`.
    /// - Throws: ``TikTokError`` (validation of `file`) when it cannot be examined.
    package init(statOf path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TikTokError.validation("file", "\(URL(fileURLWithPath: path).lastPathComponent) cannot be examined")
        }
        self.init(path: URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path, size: Int64(info.st_size),
                  modificationDate: Self.modificationDate(of: info))
    }

    /// A `stat` result's modification time, to the nanosecond the platform gives.
    static func modificationDate(of info: stat) -> Date {
        #if canImport(Darwin)
        let seconds = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        let seconds = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
        return Date(timeIntervalSince1970: seconds)
    }

    /// The identity of a probed file.
    package init(_ probe: MediaProbe) {
        self.init(path: probe.file.standardizedFileURL.resolvingSymlinksInPath().path, size: probe.size, modificationDate: probe.modificationDate)
    }

    /// Whether `other` is the same file, unchanged (dates compared to the millisecond).
    package func matches(_ other: FileIdentity) -> Bool {
        path == other.path && size == other.size
            && abs(modificationDate.timeIntervalSince(other.modificationDate)) < 0.001
    }
}

/// Where an uploaded video goes.
public enum UploadDestination: Codable, Sendable, Hashable {
    /// The creator's TikTok inbox, as a draft they finish in the app (scope `video.upload`).
    case inbox
    /// Straight to the creator's profile with these settings (scope `video.publish`).
    case direct(VideoPostInfo)
}

/// Everything needed to continue an interrupted FILE_UPLOAD, even in a new process: persisted by
/// an ``UploadJournal`` after init and after every chunk.
///
/// It holds the upload URL, which carries TikTok's `upload_token`: store it like a credential.
/// ``description`` never shows it.
public struct UploadState: Codable, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Whose upload this is, and of what: it is only ever resumed under this key.
    public var key: UploadKey
    /// The publish this upload belongs to.
    public var publishID: String
    /// Where to PUT chunks (query included). A credential.
    public var uploadURL: String
    /// When TikTok issued ``uploadURL``; it is valid for one hour.
    public var uploadURLIssuedAt: Date
    /// The chunk plan declared at init.
    public var plan: UploadPlan
    /// Bytes TikTok has confirmed receiving, from the start of the file.
    public var confirmedOffset: Int64
    /// The file being uploaded.
    public var file: FileIdentity
    /// The `Content-Type` of the chunks.
    public var container: MediaProbe.Container
    /// Inbox or direct post.
    public var destination: UploadDestination
    /// For an upload keyed by a job ID: a digest of the video's size and sampled bytes (64 KiB at
    /// the start of every chunk, and its last 64 KiB), which recognises the same video downloaded
    /// again to another path.
    public var contentSample: String?

    /// How long TikTok keeps an upload URL valid.
    public static let uploadURLLifetime: TimeInterval = 3600

    /// Creates a state.
    public init(key: UploadKey, publishID: String, uploadURL: String, uploadURLIssuedAt: Date, plan: UploadPlan,
                confirmedOffset: Int64 = 0, file: FileIdentity, container: MediaProbe.Container,
                destination: UploadDestination, contentSample: String? = nil) {
        self.key = key
        self.publishID = publishID
        self.uploadURL = uploadURL
        self.uploadURLIssuedAt = uploadURLIssuedAt
        self.plan = plan
        self.confirmedOffset = confirmedOffset
        self.file = file
        self.container = container
        self.destination = destination
        self.contentSample = contentSample
    }

    /// Whether the upload URL is still usable at `date`, keeping `margin` seconds in hand.
    public func isUploadURLValid(at date: Date, margin: TimeInterval = 60) -> Bool {
        date < uploadURLIssuedAt.addingTimeInterval(Self.uploadURLLifetime - margin)
    }

    /// Whether every byte has been confirmed.
    public var isComplete: Bool { confirmedOffset >= plan.videoSize }

    public var description: String {
        "UploadState(account: \(key.account), publishID: \(publishID), uploadURL: \(Redaction.url(uploadURL)), confirmed: \(confirmedOffset)/\(plan.videoSize), file: \(URL(fileURLWithPath: file.path).lastPathComponent))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["key": key, "publishID": publishID, "uploadURL": Redaction.url(uploadURL),
                                "confirmedOffset": confirmedOffset, "plan": plan, "file": file])
    }
}
