public import Foundation

/// An https URL that TikTok downloads media from (PULL_FROM_URL), checked when it is made.
///
/// A separate type so a local file cannot slip into ``TikTokClient/publishVideo(pullingFrom:post:options:progress:)``:
/// a `file://` URL, or any scheme but https (plain http only on a loopback host, for the offline
/// sandbox), is refused here with a typed error, before any call to TikTok. The domain or URL
/// prefix must also be verified in the developer portal; only TikTok can check that.
///
/// ```swift
/// let source = try MediaURL(string: "https://media.example.com/videos/clip.mp4")
/// try await client.publishVideo(pullingFrom: source, post: post)
/// ```
public struct MediaURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL.
    public let url: URL

    /// Checks `url`.
    /// - Throws: ``TikTokError`` (validation of `url`) for a file URL, a URL without a host, or a
    ///   scheme other than https.
    public init(_ url: URL) throws {
        guard !url.isFileURL else {
            throw TikTokError.validation("url", "\(url.lastPathComponent) is a local file: upload it with publishVideo(file:post:) (FILE_UPLOAD) instead")
        }
        guard let host = url.host, !host.isEmpty, Validation.isSecure(scheme: url.scheme, host: host) else {
            throw TikTokError.validation("url", "TikTok only pulls media from https URLs on a verified domain; got \(Redaction.url(url.absoluteString))")
        }
        self.url = url
    }

    /// Parses and checks `string`.
    /// - Throws: ``TikTokError`` (validation of `url`) when it is not a URL, or as ``init(_:)``.
    public init(string: String) throws {
        guard let url = URL(string: string) else {
            throw TikTokError.validation("url", "not a URL: \(Redaction.url(string))")
        }
        try self.init(url)
    }

    /// The URL without its query (which may hold a signed token).
    public var description: String { Redaction.url(url.absoluteString) }
}
