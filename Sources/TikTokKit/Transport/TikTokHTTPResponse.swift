public import Foundation

/// A complete HTTP response: status, headers and body.
public struct TikTokHTTPResponse: Sendable, Hashable {
    /// The status code, such as 200 or 206.
    public var status: Int
    /// The response's header fields; lookups ignore case.
    public var headers: TikTokHTTPHeaders
    /// The response body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: TikTokHTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Whether the status is in 200...299.
    public var isSuccess: Bool { (200..<300).contains(status) }
}
