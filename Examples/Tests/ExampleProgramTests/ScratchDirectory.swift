// The same as the root package's Tests/TikTokSandboxTests/Support/ScratchDirectory.swift (see ChildProcess.swift).
import Foundation

/// A fresh directory under the temporary directory for one test's files, removed with
/// everything in it by `remove()` (call it in a `defer`, so a failing test cleans up too).
struct ScratchDirectory: Sendable {
    let url: URL

    init(_ prefix: String = "tiktokkit-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory (nothing is created).
    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
