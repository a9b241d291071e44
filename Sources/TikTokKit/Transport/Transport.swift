/// Sends one HTTP request and returns the whole response.
///
/// `Transport` is the seam between TikTokKit and the network. The SDK ships two
/// implementations, and tests (yours and ours) inject a third:
///
/// - ``CurlTransport`` (Linux and macOS): streams file-range bodies straight from disk in
///   constant memory, keeps connections alive, and cancels promptly. The default wherever
///   libcurl is available.
/// - ``URLSessionTransport`` (every platform, the default on iOS): built on Foundation's
///   `URLSession`. It buffers a file-range body in memory before sending it; see its
///   documentation for the cost.
/// - `FakeTransport` from the `TikTokKitTesting` product: scripted responses and a record of
///   every request, for unit tests that must not touch the network.
///
/// A conforming type must be safe to call from many tasks at once, must not block Swift's
/// cooperative thread pool for the length of a transfer, and must honour task cancellation by
/// throwing `CancellationError`. It must not follow redirects: a 3xx comes back as a response.
///
/// ```swift
/// struct LoggingTransport: Transport {
///     let base: any Transport
///     func send(_ request: TikTokHTTPRequest) async throws -> TikTokHTTPResponse {
///         let response = try await base.send(request)
///         print(request.method, request.url.redactedDescription, response.status)
///         return response
///     }
/// }
/// ```
public protocol Transport: Sendable {
    /// Sends `request` and returns the response, whatever its status code.
    ///
    /// - Parameter request: The method, URL, headers and body to send.
    /// - Returns: The status, headers and body of the response. A non-2xx status is a
    ///   response, not an error.
    /// - Throws: ``TransportError`` when no response arrived (the host could not be resolved,
    ///   the connection was refused, reset or timed out, TLS failed, the body file could not be
    ///   read), or `CancellationError` when the calling task was cancelled.
    func send(_ request: TikTokHTTPRequest) async throws -> TikTokHTTPResponse
}
