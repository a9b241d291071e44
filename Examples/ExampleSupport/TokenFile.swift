// Storing the access token that `tiktok-login` obtains, so that only its owner can read it.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExampleEnvironment {
    /// Writes `token` to ``tokenFile`` (`~/.tiktokkit/token`), readable by its owner alone.
    ///
    /// The directory is created 0700. The token goes to a new file created 0600 from the start
    /// (not written first and restricted afterwards), which is then renamed over the old one: the
    /// token is never readable by anyone else, even for a moment, and a reader never sees half a file.
    ///
    /// - Throws: ``ExampleFailure`` naming the file and the system's reason.
    public static func storeToken(_ token: String) throws {
        let file = tokenFile
        let directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let temporary = directory.appendingPathComponent(".token.\(UUID().uuidString).tmp")
        // O_EXCL: a fresh file of ours, never an existing file or a symlink someone planted.
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary.path, file.path) == 0 else {
            let error = failure("cannot write", file)
            unlink(temporary.path)
            throw error
        }
    }

    private static func failure(_ what: String, _ url: URL) -> ExampleFailure {
        ExampleFailure("\(what) \(url.path): \(String(cString: strerror(errno)))")
    }
}
