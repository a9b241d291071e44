#if canImport(CTikTokKitCurl)
internal import CTikTokKitCurl
import Foundation

/// A ``Transport`` built on libcurl: streams file ranges from disk, reuses connections, and
/// cancels within milliseconds.
///
/// ## Threading
/// Every `CurlTransport` owns one dedicated agent thread that drives a libcurl *multi* handle
/// (`curl_multi_perform` + `curl_multi_poll`). All transfers of the transport, however many tasks
/// start them, run on that thread; Swift's cooperative thread pool only enqueues a request and
/// awaits its continuation, so it is never blocked for the length of a transfer. A multi handle
/// on its own thread was chosen over a pool of threads calling `curl_easy_perform` because:
/// - all transfers share one connection cache, so consecutive requests to a host reuse one TCP
///   (and TLS) connection no matter which task sends them;
/// - cancellation is immediate: the cancelling task wakes the agent with `curl_multi_wakeup`,
///   and the agent removes the transfer, even while the server sends nothing (an easy handle's
///   progress callback fires only about once a second during a stall);
/// - one thread serves any number of concurrent requests.
/// File bodies are read with `pread` on the agent thread, a buffer at a time, so memory stays at
/// about ``Configuration/uploadBufferSize`` per transfer whatever the file's size.
///
/// ## Behaviour
/// - Redirects are never followed; a 3xx is returned as a response.
/// - TLS peers are always verified (certificate and host name), with the system's CA store.
/// - Only `http` and `https` URLs are accepted.
/// - `Expect: 100-continue` is not sent by default (see ``Configuration/expectContinue``).
/// - A connect timeout bounds connection set-up, a stall timeout fails a transfer in which no
///   bytes moved in either direction for that long, and an overall deadline
///   (``TikTokHTTPRequest/timeout``, else ``Configuration/requestTimeout``) fails one that is still
///   running when it passes, however steadily bytes trickle; all with
///   ``TransportError/Kind/timedOut``.
///
/// ```swift
/// let transport = CurlTransport(configuration: .init(stallTimeout: .seconds(30)))
/// let response = try await transport.send(TikTokHTTPRequest(method: .get, url: url))
/// ```
public final class CurlTransport: Transport {
    /// Settings for a ``CurlTransport``.
    public struct Configuration: Sendable {
        /// How long DNS, TCP and TLS set-up may take. Default 15 s.
        public var connectTimeout: Duration
        /// How long a transfer may go without moving a byte in either direction before it fails
        /// with ``TransportError/Kind/timedOut``. Rounded up to whole seconds (libcurl's
        /// low-speed check counts seconds); at least 1 s. Default 60 s.
        public var stallTimeout: Duration
        /// The longest a request may take in all, for requests that set no
        /// ``TikTokHTTPRequest/timeout``. Default 30 minutes: a 128 MB chunk at 1 Mbit/s still fits,
        /// a peer trickling bytes cannot hold a request for longer.
        public var requestTimeout: Duration
        /// Whether to send `Expect: 100-continue` with request bodies.
        ///
        /// Off by default. libcurl otherwise adds it to every body over 1 MB, which costs a
        /// round trip per request and, when a server or proxy ignores it, a one-second wait per
        /// request: for a chunked TikTok upload that is one wait per chunk. The header only pays
        /// off when a server often rejects a large body before reading it, and TikTok's upload
        /// URLs are authorised in advance.
        public var expectContinue: Bool
        /// Bytes libcurl reads from a body per call, and the memory a transfer's body costs.
        /// libcurl accepts 16 KiB to 2 MiB. Default 512 KiB.
        public var uploadBufferSize: Int
        /// The largest response body accepted; bigger ones fail with
        /// ``TransportError/Kind/responseTooLarge``. Default 16 MiB.
        public var maxResponseBodySize: Int
        /// The most idle connections kept open for reuse. Default 8.
        public var maxIdleConnections: Int
        /// The `User-Agent` header sent unless a request sets its own.
        public var userAgent: String

        /// Creates a configuration; every parameter has a default.
        public init(
            connectTimeout: Duration = .seconds(15),
            stallTimeout: Duration = .seconds(60),
            requestTimeout: Duration = .seconds(1800),
            expectContinue: Bool = false,
            uploadBufferSize: Int = 512 * 1024,
            maxResponseBodySize: Int = 16 << 20,
            maxIdleConnections: Int = 8,
            userAgent: String = "TikTokKit"
        ) {
            self.connectTimeout = connectTimeout
            self.stallTimeout = stallTimeout
            self.requestTimeout = requestTimeout
            self.expectContinue = expectContinue
            self.uploadBufferSize = uploadBufferSize
            self.maxResponseBodySize = maxResponseBodySize
            self.maxIdleConnections = maxIdleConnections
            self.userAgent = userAgent
        }
    }

    /// The settings this transport was created with.
    public let configuration: Configuration
    private let agent: CurlAgent

    /// Creates a transport and starts its agent thread. The thread ends when the transport is
    /// released.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.agent = CurlAgent(configuration: configuration)
    }

    deinit {
        agent.shutdown()
    }

    /// Sends `request` on the agent thread and returns the response.
    ///
    /// - Throws: ``TransportError`` when no response arrived, or `CancellationError` when the
    ///   calling task is cancelled (before or during the transfer); a cancelled transfer is
    ///   aborted within milliseconds.
    public func send(_ request: TikTokHTTPRequest) async throws -> TikTokHTTPResponse {
        try Task.checkCancellation()
        let transfer = try CurlTransfer(request: request, configuration: configuration)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if transfer.attach(continuation) {
                    agent.submit(transfer)
                }
            }
        } onCancel: {
            if transfer.requestCancel() {
                agent.wake()
            }
        }
    }
}
#endif
