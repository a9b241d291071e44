public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persists ``UploadState`` so an interrupted upload can continue — even in a new process —
/// instead of starting a second publish of the same file.
public protocol UploadJournal: Sendable {
    /// The saved state of the upload of `file`, if any.
    func state(for file: FileIdentity) async throws -> UploadState?
    /// Saves (replaces) the state of an upload. Called after init and after every chunk.
    func save(_ state: UploadState) async throws
    /// Forgets the upload of `file` (it finished, or can no longer be resumed).
    func remove(for file: FileIdentity) async throws

    /// Claims the upload of the file at `path` for this process until the returned lock is
    /// released, so two runs on one file cannot both init (or both resume) it. Returns nil when
    /// the journal cannot lock (then the caller must not run two uploads of one file at once).
    /// - Throws: ``TikTokError`` `upload_in_progress` when another upload holds the claim.
    func claim(path: String) async throws -> UploadJournalLock?
}

extension UploadJournal {
    public func claim(path: String) async throws -> UploadJournalLock? { nil }
}

/// An exclusive claim on one journal entry; released by ``release()`` or when dropped.
public final class UploadJournalLock: Sendable {
    private let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Releases the claim (idempotent through `deinit`).
    public func release() { _ = flock(descriptor, LOCK_UN) }

    deinit { close(descriptor) }
}

/// An ``UploadJournal`` that keeps one small JSON file per uploaded video in a directory.
///
/// Files are written atomically (write, then rename) with permissions 0600, since they hold the
/// upload URL and its token. Entries are keyed by the video's path; ``state(for:)`` returns an
/// entry only when the size and modification date still match.
///
/// ```swift
/// let journal = try FileUploadJournal(directory: FileUploadJournal.defaultDirectory)
/// let result = try await client.publishDraft(file: video, options: UploadOptions(journal: journal))
/// ```
public struct FileUploadJournal: UploadJournal {
    /// The directory holding the entries.
    public let directory: URL

    /// `$XDG_STATE_HOME/tiktokkit/uploads` when that is set, else `~/.tiktokkit/uploads`.
    public static var defaultDirectory: URL {
        if let state = ProcessInfo.processInfo.environment["XDG_STATE_HOME"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("tiktokkit/uploads", isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".tiktokkit/uploads", isDirectory: true)
    }

    /// Uses `directory`, creating it (0700) if needed.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    public func state(for file: FileIdentity) async throws -> UploadState? {
        let url = entry(for: file.path)
        guard let data = try? Data(contentsOf: url) else { return nil }
        guard let state = try? Self.decoder.decode(UploadState.self, from: data) else { return nil }
        return state.file.path == file.path ? state : nil
    }

    public func save(_ state: UploadState) async throws {
        let data = try Self.encoder.encode(state)
        let url = entry(for: state.file.path)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        // Created 0600 from the first byte: the entry holds the upload URL and its token.
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, synced else {
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(.EIO)
        }
        // rename(2) replaces the old entry atomically: a reader sees the old state or the new one.
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    public func remove(for file: FileIdentity) async throws {
        try? FileManager.default.removeItem(at: entry(for: file.path))
    }

    /// Takes an exclusive `flock` on `<entry>.lock`; another process (or task) uploading the same
    /// file gets `upload_in_progress` instead of a second init.
    public func claim(path: String) async throws -> UploadJournalLock? {
        let lockFile = entry(for: path).appendingPathExtension("lock")
        let descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw TikTokError(.upload(.uploadInProgress),
                              message: "another upload of \(URL(fileURLWithPath: path).lastPathComponent) is running")
        }
        return UploadJournalLock(descriptor: descriptor)
    }

    private func entry(for path: String) -> URL {
        directory.appendingPathComponent(String(SHA256.hash(Array(path.utf8)).hexString.prefix(32)) + ".json")
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970   // a Double: sub-microsecond precision
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
