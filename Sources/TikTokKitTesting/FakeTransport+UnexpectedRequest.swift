public import Foundation
public import TikTokKit

extension FakeTransport {
    /// Thrown by `send` when no scripted reply, route closure or fallback answers a request.
    ///
    /// It names the method and the URL without its query string, so an `upload_token` never
    /// reaches a test log:
    ///
    /// ```
    /// FakeTransport has no reply for PUT https://open-upload.tiktokapis.com/video/ — script one
    /// with enqueue(.put, "/video/", …) or on(.put, "/video/") { … }
    /// ```
    public struct UnexpectedRequest: Error, Sendable, Hashable, CustomStringConvertible {
        /// The method of the request nobody answered.
        public var method: TikTokHTTPMethod
        /// `scheme://host[:port]/path` of that request, without its query string.
        public var endpoint: String
        /// The path of that request, as routes match it.
        public var path: String

        /// Creates the error for a request to `url`; the query string is dropped.
        public init(method: TikTokHTTPMethod, url: URL) {
            self.method = method
            self.endpoint = url.redactedDescription
            self.path = Route.path(of: url)
        }

        /// What was asked, and how to script an answer.
        public var description: String {
            let known: [TikTokHTTPMethod] = [.get, .head, .post, .put, .patch, .delete]
            let verb = known.contains(method)
                ? "." + method.rawValue.lowercased()
                : "TikTokHTTPMethod(rawValue: \"\(method.rawValue)\")"
            return "FakeTransport has no reply for \(method) \(endpoint) — script one with "
                + "enqueue(\(verb), \"\(path)\", …) or on(\(verb), \"\(path)\") { … }"
        }
    }
}

extension FakeTransport.UnexpectedRequest: LocalizedError {
    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
