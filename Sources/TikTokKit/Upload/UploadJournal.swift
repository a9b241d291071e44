public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persists uploads so an interrupted one can continue — even in a new process — instead of
/// starting a second publish of the same video, and so an init whose answer was lost is never
/// silently sent again.
///
/// Entries are keyed by ``UploadKey``: *who* uploads (an account: the creator's `open_id` or your
/// own key, never a token) and *what* (your job ID, or the video's real path). An entry is never
/// resumed for another account, so one journal can serve every creator a server posts for.
///
/// An upload writes, in order: ``UploadJournalEntry/initPending(_:)`` just before the init is
/// sent; ``UploadJournalEntry/uploading(_:)`` as soon as TikTok answers (before the publish ID is
/// announced) and after every chunk; and removes the entry once the publish reached a final
/// state. Implement it on your own store (a database row per key, a Redis hash) to share uploads
/// between machines; implement ``claim(_:)`` too so two workers cannot both init one upload.
public protocol UploadJournal: Sendable {
    /// The entry saved under `key`, if any.
    func entry(for key: UploadKey) async throws -> UploadJournalEntry?
    /// Saves (replaces) the entry under its ``UploadJournalEntry/key``. Must be durable when it
    /// returns: a crash right after must not lose it.
    func save(_ entry: UploadJournalEntry) async throws
    /// Forgets the entry under `key` (its upload finished, or can no longer be resumed).
    func remove(for key: UploadKey) async throws

    /// Claims `key` for this caller until the returned claim is released, so two runs of one
    /// upload cannot both init (or both resume) it. Return nil when the store cannot lock (then
    /// the caller must not run two uploads of one key at once).
    /// - Throws: ``TikTokError`` `upload_in_progress` when another upload holds the claim.
    func claim(_ key: UploadKey) async throws -> (any UploadClaim)?
}

extension UploadJournal {
    /// No locking: the default for journals that cannot lock.
    public func claim(_ key: UploadKey) async throws -> (any UploadClaim)? { nil }
}

/// An exclusive claim on one ``UploadKey``, returned by ``UploadJournal/claim(_:)``.
///
/// A store with leases (a Redis `SET key NX PX`, a database advisory lock) implements it: the
/// uploader calls ``release()`` exactly once when the upload ends, however it ends.
public protocol UploadClaim: Sendable {
    /// Gives the claim up.
    func release() async
}

/// Whose upload, and of what: the key of an ``UploadJournal`` entry.
///
/// ```swift
/// // A server posting for many creators, one job per video:
/// let options = UploadOptions(journal: journal, account: creator.openID, jobID: job.id)
/// ```
public struct UploadKey: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Who started the upload: the creator's `open_id`, or a key of your own for the account.
    /// Never a token (tokens rotate, and the journal is not a secret store for them).
    public var account: String
    /// What is uploaded: `job:` and your job ID, or `file:` and the video's real path.
    public var job: String

    /// Creates a key.
    public init(account: String, job: String) {
        self.account = account
        self.job = job
    }

    /// The key of an upload identified by the file itself (symlinks resolved).
    public static func file(_ file: FileIdentity, account: String) -> UploadKey {
        UploadKey(account: account, job: "file:" + file.path)
    }

    /// The key of an upload identified by your own job ID: a retried job that downloaded the
    /// same video to a new path continues the same upload.
    public static func job(_ id: String, account: String) -> UploadKey {
        UploadKey(account: account, job: "job:" + id)
    }

    public var description: String { "\(account)/\(job)" }
}

/// One journaled upload.
public enum UploadJournalEntry: Codable, Sendable, Hashable {
    /// An init is about to be sent, or was sent and its answer is not journaled: TikTok may hold
    /// a publish for it. A rerun reports `init_outcome_unknown` instead of sending a second init,
    /// unless ``UploadOptions/retryUnconfirmedInit``.
    case initPending(PendingInit)
    /// TikTok answered the init: everything needed to continue.
    case uploading(UploadState)

    /// The key it is saved under.
    public var key: UploadKey {
        switch self {
        case .initPending(let pending): pending.key
        case .uploading(let state): state.key
        }
    }
}

/// An init that was about to be sent, journaled before it leaves.
public struct PendingInit: Codable, Sendable, Hashable {
    /// The upload's key.
    public var key: UploadKey
    /// The file being uploaded.
    public var file: FileIdentity
    /// Inbox or direct post.
    public var destination: UploadDestination
    /// When the init was about to be sent.
    public var startedAt: Date

    /// Creates a pending init.
    public init(key: UploadKey, file: FileIdentity, destination: UploadDestination, startedAt: Date) {
        self.key = key
        self.file = file
        self.destination = destination
        self.startedAt = startedAt
    }
}

/// An ``UploadJournal`` that keeps one small JSON file per upload in a directory.
///
/// Files are written atomically (write, fsync, rename) with permissions 0600, since they hold
/// the upload URL and its token. The file name is a digest of the ``UploadKey``; claims are
/// `flock`s on a `.lock` file beside it, so they hold across processes on one machine.
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

    /// Reads the entry's file; a missing, unreadable or undecodable file, or one holding another
    /// key's entry, reads as no entry.
    public func entry(for key: UploadKey) async throws -> UploadJournalEntry? {
        guard let data = try? Data(contentsOf: file(for: key)),
              let entry = try? Self.decoder.decode(UploadJournalEntry.self, from: data) else { return nil }
        // A digest collision (or a file copied in by hand) never hands one key's upload to another.
        return entry.key == key ? entry : nil
    }

    /// Writes the entry to a temporary file (0600), syncs it and renames it over the old one, so
    /// a crash leaves the old state or the new one, never half of either.
    public func save(_ entry: UploadJournalEntry) async throws {
        let data = try Self.encoder.encode(entry)
        let url = file(for: entry.key)
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

    /// Deletes the entry's file, if there is one.
    public func remove(for key: UploadKey) async throws {
        try? FileManager.default.removeItem(at: file(for: key))
    }

    /// Takes an exclusive `flock` on `<entry>.lock`; another process (or task) running the same
    /// upload gets `upload_in_progress` instead of a second init.
    public func claim(_ key: UploadKey) async throws -> (any UploadClaim)? {
        let lockFile = file(for: key).appendingPathExtension("lock")
        let descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw TikTokError(.upload(.uploadInProgress), message: "another upload of \(key.displayName) is running")
        }
        return Lock(descriptor: descriptor)
    }

    /// A `flock` held on an entry's lock file.
    final class Lock: UploadClaim {
        private let descriptor: Int32

        init(descriptor: Int32) { self.descriptor = descriptor }

        func release() async { _ = flock(descriptor, LOCK_UN) }

        deinit { close(descriptor) }
    }

    private func file(for key: UploadKey) -> URL {
        let digest = SHA256.hash(Array("\(key.account)\n\(key.job)".utf8)).hexString
        return directory.appendingPathComponent(String(digest.prefix(32)) + ".json")
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

extension UploadKey {
    /// For messages: the job ID, or the file's name (never a directory path).
    var displayName: String {
        if job.hasPrefix("file:") { return URL(fileURLWithPath: String(job.dropFirst(5))).lastPathComponent }
        return job
    }
}
