/// A failure of the server: it could not start, or a request body could not be read.
///
/// Body reads throw this when the client disconnects mid-body (``Code-swift.struct/disconnected``),
/// breaks the chunked framing (``Code-swift.struct/malformedBody``), sends more than a
/// handler's limit (``Code-swift.struct/bodyTooLarge``) or stalls for longer than the server's
/// read timeout (``Code-swift.struct/timedOut``).
///
/// A handler may let these escape: the server then answers as HTTP says and closes the connection
/// without reading the rest of the body — `413` for `bodyTooLarge`, `400` for `malformedBody`,
/// `408` for `timedOut`.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short name for the code.
        public let description: String

        /// A socket call failed (the message names the call and the `errno` text).
        public static let socket = Code(description: "socket")
        /// The host is not an IPv4 or IPv6 address literal.
        public static let invalidAddress = Code(description: "invalidAddress")
        /// The client closed the connection before the body was complete.
        public static let disconnected = Code(description: "disconnected")
        /// The chunked body framing was invalid.
        public static let malformedBody = Code(description: "malformedBody")
        /// The body is larger than the caller's limit.
        public static let bodyTooLarge = Code(description: "bodyTooLarge")
        /// The request was used after its handler returned.
        public static let requestFinished = Code(description: "requestFinished")
        /// The client sent nothing for longer than the server's read timeout
        /// (``HTTPServer/Limits/readTimeout``).
        public static let timedOut = Code(description: "timedOut")
        /// A file to send as a response body could not be opened, or is not a regular file.
        public static let fileUnreadable = Code(description: "fileUnreadable")
    }

    /// The kind of failure.
    public let code: Code
    /// What happened, in words.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "HTTPServerError.\(code): \(message)" }

    static func socket(_ call: String, _ errorNumber: Int32) -> HTTPServerError {
        HTTPServerError(.socket, "\(call) failed: \(Socket.errorText(errorNumber)) (errno \(errorNumber))")
    }

    static let disconnected = HTTPServerError(.disconnected, "the client closed the connection before the body was complete")

    static let timedOut = HTTPServerError(.timedOut, "the client sent nothing for longer than the read timeout")

    /// The status the server answers with when a handler lets this error escape, or nil for a
    /// plain `500`. Each of these leaves the request body unread or out of step, so the
    /// connection closes after the answer.
    var status: Int? {
        switch code {
        case .bodyTooLarge: 413
        case .malformedBody: 400
        case .timedOut: 408
        default: nil
        }
    }
}
