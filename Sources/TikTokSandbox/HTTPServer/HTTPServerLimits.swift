internal import TikTokKit

extension HTTPServer {
    /// How long a connection may keep the server waiting, and how many may be open at once: what
    /// keeps a server that many clients share (an app's CI service) serving when some of them
    /// misbehave or leak connections.
    ///
    /// - A connection with no request in progress (freshly accepted, or between keep-alive
    ///   requests) is closed, without an answer, after ``idleTimeout``.
    /// - While the server waits for a client — for a request's header section, its body, or to
    ///   take a response — no wait may last longer than ``readTimeout`` without a byte moving, and
    ///   a header section must arrive whole within ``readTimeout`` of its first byte. A header
    ///   section that times out is answered `408` and the connection closed; a body read that
    ///   times out throws ``HTTPServerError/Code-swift.struct/timedOut`` to the handler, and if the
    ///   handler lets it escape, the answer is `408`.
    /// - At most ``maxConnections`` connections are served at once. A connection accepted past the
    ///   cap closes the open connection that has been idle longest, so every client with a
    ///   request in progress stays served and the newcomer is served too; when no connection is
    ///   idle, the newcomer is answered `503` with `Retry-After: 1` and closed. When the process
    ///   runs out of file descriptors, the server likewise closes the longest-idle connection and
    ///   retries `accept` shortly, instead of stopping.
    ///
    /// Closing an idle keep-alive connection is ordinary HTTP (RFC 9112 §9.6): clients open a new
    /// one. Handlers are not timed: a handler that blocks (as tests of a stalled server do) holds
    /// its connection for as long as it likes.
    ///
    /// ```swift
    /// // A test of the limits themselves, with small values:
    /// let server = try HTTPServer(limits: .init(idleTimeout: .milliseconds(300), maxConnections: 8)) { _ in
    ///     HTTPServerResponse(status: 200)
    /// }
    /// ```
    public struct Limits: Sendable, Hashable {
        /// How long a connection with no request in progress stays open; 60 s by default.
        public var idleTimeout: Duration
        /// The longest the server waits for a client without progress, and the longest a header
        /// section may take to arrive; 30 s by default.
        public var readTimeout: Duration
        /// The most connections served at once (at least 1); 512 by default, half the common
        /// 1,024-descriptor limit, which leaves room for the files handlers open.
        public var maxConnections: Int

        /// Limits for a server.
        /// - Parameters:
        ///   - idleTimeout: How long a connection with no request in progress stays open.
        ///   - readTimeout: The longest wait for a client without progress, and the longest a
        ///     header section may take.
        ///   - maxConnections: The most connections served at once; values below 1 mean 1.
        public init(idleTimeout: Duration = .seconds(60), readTimeout: Duration = .seconds(30), maxConnections: Int = 512) {
            self.idleTimeout = idleTimeout
            self.readTimeout = readTimeout
            self.maxConnections = maxConnections
        }

        var idleMilliseconds: Int32 { Self.milliseconds(idleTimeout) }
        var readMilliseconds: Int32 { Self.milliseconds(readTimeout) }
        var connectionCap: Int { max(1, maxConnections) }

        /// At least 1 ms: a zero timeout would mean "do not wait at all" to `poll` and "wait
        /// forever" to `SO_RCVTIMEO`.
        private static func milliseconds(_ duration: Duration) -> Int32 {
            Int32(clamping: max(1, duration.inMillisecondsRoundedUp))
        }
    }
}
