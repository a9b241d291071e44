public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server built on POSIX sockets alone.
///
/// TikTokKit's tests run the real libcurl and URLSession transports against it, and the TikTok
/// API emulator and throughput benchmark are built on it.
///
/// - Each connection gets its own thread with blocking I/O, so a handler may block or sleep
///   (that is how tests simulate a stalled server) without touching Swift's cooperative pool.
/// - Keep-alive: any number of requests per connection, pipelined or not.
/// - Request bodies, delimited by `Content-Length` or chunked, are streamed to the handler
///   through ``HTTPServerRequest/read(upTo:)``; nothing is buffered whole unless the handler
///   asks. `Expect: 100-continue` is answered when the handler first reads the body.
/// - Unread body bytes are drained after the handler returns, so the connection stays usable
///   (unless the handler refused a large body by its declared length: then it closes).
/// - A handler that throws produces a `500`; one that lets a body error escape gets the answer
///   HTTP prescribes for it (``HTTPServerError``).
/// - Responses are sent from memory or streamed from a file (``HTTPServerResponse/file(_:status:headers:)``).
/// - Idle and read timeouts and a connection cap (``Limits``) keep clients that leak or stall
///   connections from locking the others out.
///
/// ```swift
/// let server = try HTTPServer { request in
///     let body = try request.readAll()
///     return HTTPServerResponse(status: 200, headers: ["Content-Type": "text/plain"], body: body)
/// }
/// defer { server.shutdown() }
/// print(server.baseURL)   // http://127.0.0.1:54321
/// ```
public final class HTTPServer: Sendable {
    /// Answers one request. Runs on the connection's own thread and may block.
    public typealias Handler = @Sendable (HTTPServerRequest) throws -> HTTPServerResponse

    /// The port the server listens on.
    public let port: UInt16
    /// The address the server listens on.
    public let host: String
    /// The timeouts and connection cap in force.
    public let limits: Limits
    private let listener: Socket.Listener
    private let state: ServerState

    /// Binds `host:port`, listens, and starts accepting connections on a thread of its own.
    ///
    /// - Parameters:
    ///   - host: An IPv4 or IPv6 address literal; the loopback address by default.
    ///   - port: The port; 0 picks a free one (read it back from ``port``).
    ///   - limits: Idle and read timeouts and the connection cap; see ``Limits`` for the defaults.
    ///   - handler: Answers each request, on the thread of the connection it arrived on.
    /// - Throws: ``HTTPServerError`` when the address is not a literal, or the socket cannot be
    ///   created, bound or listened on.
    public init(host: String = "127.0.0.1", port: UInt16 = 0, limits: Limits = Limits(), handler: @escaping Handler) throws {
        listener = try Socket.listen(host: host, port: port)
        self.host = host
        self.port = listener.port
        self.limits = limits
        state = ServerState(maxConnections: limits.connectionCap)
        // The thread holds the state, never the server, so dropping the server shuts it down.
        let (fd, state) = (listener.fd, state)
        let thread = Thread { Self.acceptLoop(listener: fd, state: state, limits: limits, handler: handler) }
        thread.name = "HTTPServer.accept.\(listener.port)"
        thread.start()
    }

    deinit {
        shutdown()
    }

    /// `http://HOST:PORT`, with the loopback address when listening on every interface.
    public var baseURL: URL {
        let shown: String
        switch host {
        case "0.0.0.0": shown = "127.0.0.1"
        case "::": shown = "[::1]"
        default: shown = listener.family == AF_INET6 ? "[\(host)]" : host
        }
        // An address literal and a port always form a valid URL.
        return URL(string: "http://\(shown):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// The number of TCP connections accepted so far.
    public var acceptedConnectionCount: Int { state.acceptedCount }

    /// The number of requests whose handler has returned so far.
    public var handledRequestCount: Int { state.handledCount }

    /// The number of connections open right now.
    public var openConnectionCount: Int { state.openCount }

    /// The number of open connections waiting for a request (freshly accepted, or between
    /// keep-alive requests): the ones the cap closes first, longest-idle first.
    public var idleConnectionCount: Int { state.idleCount }

    /// The number of idle connections closed to make room: at the connection cap, or when the
    /// process ran out of file descriptors.
    public var evictedConnectionCount: Int { state.evictedCount }

    /// The number of connections answered `503` because the cap was reached and none was idle.
    public var refusedConnectionCount: Int { state.refusedCount }

    /// The number of connections closed because a client kept the server waiting past a limit:
    /// idle past ``Limits/idleTimeout``, or a read past ``Limits/readTimeout``.
    public var timedOutConnectionCount: Int { state.timedOutCount }

    /// Stops accepting, shuts down every open connection, and waits for the accept thread.
    ///
    /// Returns promptly even while handlers are still running; they finish on their own threads
    /// and their responses go nowhere. Calling it again does nothing; `deinit` calls it.
    public func shutdown() {
        guard state.beginStopping(listener: listener.fd) else { return }
        #if canImport(Darwin)
        Socket.poke(port: port, family: listener.family)
        #endif
        state.waitForAcceptLoop()
        close(listener.fd)
    }

    private static func acceptLoop(listener: Int32, state: ServerState, limits: Limits, handler: @escaping Handler) {
        defer { state.acceptLoopFinished() }
        while !state.isStopping {
            switch Socket.accept(listener) {
            case .retry:
                continue
            case .exhausted:
                // Out of descriptors: the connection idle longest gives up its own, and after a
                // moment (for it, or any other, to close) accept is tried again. Never fatal.
                state.evictOldestIdle()
                usleep(10_000)   // blocking-ok: the accept thread's own
            case .stopped:
                return
            case .connection(let fd):
                guard let (id, refused) = state.admit(fd) else { return }
                let thread = Thread {
                    let connection = Connection(fd: fd, id: id, handler: handler, state: state, limits: limits)
                    if refused { connection.refuse() } else { connection.run() }
                }
                thread.name = "HTTPServer.connection.\(id)"
                thread.start()
            }
        }
    }
}
