import Foundation
import Testing
import TikTokKit

/// Builds a request to an absolute URL written as a literal.
func makeRequest(
    _ method: TikTokHTTPMethod,
    _ url: String,
    headers: TikTokHTTPHeaders = [:],
    body: TikTokHTTPBody = .empty,
    uploadProgress: UploadProgressHandler? = nil
) throws -> TikTokHTTPRequest {
    TikTokHTTPRequest(method: method, url: try #require(URL(string: url)), headers: headers, body: body,
                uploadProgress: uploadProgress)
}

/// Values collected from `@Sendable` callbacks.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) {
        lock.lock()
        defer { lock.unlock() }
        elements.append(element)
    }

    var all: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return elements
    }
}

/// A temporary file of `count` patterned bytes, removed when the value is dropped.
final class TemporaryFile: Sendable {
    let url: URL
    let contents: Data

    init(count: Int) throws {
        contents = Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 251) })
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("FakeTransportTests-\(UUID().uuidString).bin")
        try contents.write(to: url)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
