public import Foundation
public import TikTokKit

extension FakeTransport {
    /// One request as `FakeTransport` received it, with its body read into memory.
    ///
    /// ```swift
    /// let chunk = fake.requests(method: .put, path: "/video/")[1]
    /// #expect(chunk.headers["Content-Range"] == "bytes 5000000-9999999/12345678")
    /// #expect(chunk.body == expectedBytes)
    /// #expect(chunk.bodyKind == .file(try TikTokFileRegion(file: videoURL, offset: 5_000_000, length: 5_000_000)))
    /// ```
    public struct RecordedRequest: Sendable, Hashable {
        /// The request method.
        public var method: TikTokHTTPMethod
        /// The full URL, query included.
        public var url: URL
        /// The header fields exactly as the caller set them. A real transport adds
        /// `Content-Length` itself (and ignores one set here); the fake adds nothing.
        public var headers: TikTokHTTPHeaders
        /// The body's bytes. For a ``BodyKind/file(_:)`` body, the bytes of the file range as
        /// they were on disk when the request was sent.
        public var body: Data
        /// How the caller passed the body.
        public var bodyKind: BodyKind

        /// Creates a record; `FakeTransport` makes these for you.
        public init(method: TikTokHTTPMethod, url: URL, headers: TikTokHTTPHeaders, body: Data, bodyKind: BodyKind) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.bodyKind = bodyKind
        }

        /// The URL's path, without the query string: what routes are matched against.
        public var path: String { Route.path(of: url) }
    }

    /// How a request's body was passed to `send`.
    public enum BodyKind: Sendable, Hashable {
        /// ``TikTokHTTPBody/empty``.
        case empty
        /// ``TikTokHTTPBody/bytes(_:)``: bytes in memory.
        case bytes
        /// ``TikTokHTTPBody/file(_:)``: a byte range of a file, which the fake read from disk.
        case file(TikTokFileRegion)
    }
}
