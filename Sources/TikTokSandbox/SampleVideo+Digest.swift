public import Foundation
internal import TikTokKit

extension SampleVideo {
    /// The SHA-256 of a file's bytes as lowercase hex: what the emulator reports, in
    /// ``TikTokEmulator/Upload/sha256``, for an upload that arrived whole. Read 1 MiB at a
    /// time on a thread of its own, so a large file neither fills memory nor holds a thread of
    /// Swift's cooperative pool.
    ///
    /// ```swift
    /// #expect(emulator.allUploads.first?.sha256 == try await SampleVideo.sha256(of: video))
    /// ```
    /// - Throws: When the file cannot be opened or read.
    public static func sha256(of file: URL) async throws -> String {
        try await onOwnThread("SampleVideo.sha256") {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            var hasher = SHA256()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(chunk)
            }
            return hasher.finalize().hexString
        }
    }
}
