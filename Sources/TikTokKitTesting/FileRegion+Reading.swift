import Dispatch
import Foundation
import TikTokKit

extension TikTokFileRegion {
    /// Reads the region's bytes on a Dispatch queue, off Swift's cooperative pool, failing the
    /// way a real transport does when the file is missing, unreadable or too short.
    func readBytes(method: TikTokHTTPMethod, url: URL) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try readSynchronously(method: method, url: url) })
            }
        }
    }

    private func readSynchronously(method: TikTokHTTPMethod, url: URL) throws -> Data {
        let name = file.lastPathComponent
        let range = "\(offset)..<\(offset + length)"
        guard let count = Int(exactly: length) else {
            throw TransportError(.fileUnreadable, "the range \(range) of \(name) is too large to read",
                                 method: method, url: url)
        }
        let type = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.type] as? FileAttributeType
        guard type == .typeRegular else {
            throw TransportError(.fileUnreadable, "\(name) is missing or not a regular file", method: method, url: url)
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw TransportError(.fileUnreadable, "cannot open \(name)", method: method, url: url)
        }
        defer { try? handle.close() }
        let data: Data
        do {
            try handle.seek(toOffset: UInt64(offset))
            data = count == 0 ? Data() : try handle.read(upToCount: count) ?? Data()
        } catch {
            throw TransportError(.fileUnreadable, "reading \(name) failed", method: method, url: url)
        }
        guard data.count == count else {
            throw TransportError(.fileUnreadable, "\(name) is shorter than the range \(range)",
                                 method: method, url: url)
        }
        return data
    }
}
