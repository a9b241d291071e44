public import Foundation
public import TikTokKit

/// One request as the server received it, with its body read on demand.
///
/// The body is streamed: nothing is buffered beyond the connection's receive buffer unless the
/// handler calls ``readAll(limit:)``. A request is valid only during its handler call, on the
/// handler's thread; reading it afterwards throws.
///
/// ```swift
/// let server = try HTTPServer { request in
///     var total = 0
///     while let piece = try request.read(upTo: 1 << 20) { total += piece.count }
///     return HTTPServerResponse(status: 200, body: Data("\(total)".utf8))
/// }
/// ```
public final class HTTPServerRequest: @unchecked Sendable {
    /// The method, such as `PUT`.
    public let method: String
    /// The request target exactly as sent, such as `/video/?upload_id=1&upload_token=x`.
    public let target: String
    /// The target before `?`.
    public let path: String
    /// The target after `?`, or nil when it has none.
    public let query: String?
    /// The protocol version, `HTTP/1.1` or `HTTP/1.0`.
    public let version: String
    /// The header fields; lookups ignore case.
    public let headers: TikTokHTTPHeaders
    /// The declared `Content-Length`; nil when absent or when the body is chunked.
    public let contentLength: Int64?
    /// Whether the body uses `Transfer-Encoding: chunked`; ``read(upTo:)`` decodes it.
    public let isChunked: Bool
    /// The 1-based index of the TCP connection the request arrived on.
    public let connectionID: Int

    let body: BodyReader
    private var isActive = true

    init(head: RequestHead, connectionID: Int, body: BodyReader) {
        method = head.method
        target = head.target
        if let mark = head.target.firstIndex(of: "?") {
            path = String(head.target[..<mark])
            query = String(head.target[head.target.index(after: mark)...])
        } else {
            path = head.target
            query = nil
        }
        version = head.version
        headers = head.headers
        switch head.framing {
        case .length(let length):
            contentLength = head.headers.contains("Content-Length") ? length : nil
            isChunked = false
        case .chunked:
            contentLength = nil
            isChunked = true
        }
        self.connectionID = connectionID
        self.body = body
    }

    /// The query's `name=value` pairs, percent-decoded (`+` is not treated as a space). When a name
    /// repeats, the last value wins.
    public var queryItems: [String: String] {
        var items: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).removingPercentEncoding ?? String(text) }
            guard let name = parts.first else { continue }
            items[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return items
    }

    /// The next bytes of the body, at most `maxCount` (which must be positive); nil once the body
    /// is complete.
    ///
    /// The first call answers `Expect: 100-continue` if the client asked for it.
    /// - Throws: ``HTTPServerError`` when the client disconnects mid-body, breaks the chunked
    ///   framing, or sends nothing for longer than the server's read timeout.
    public func read(upTo maxCount: Int) throws -> Data? {
        var data: Data?
        _ = try read(upTo: maxCount) { data = Data($0) }
        return data
    }

    /// Passes the next at most `maxCount` body bytes to `body` without copying them, and returns
    /// their count; 0 once the body is complete. The bytes are valid only inside `body`.
    ///
    /// Use this to hash or write an upload without an intermediate `Data`.
    /// - Throws: ``HTTPServerError`` as ``read(upTo:)`` does, or what `body` throws.
    public func read(upTo maxCount: Int, into body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard isActive else { throw HTTPServerError(.requestFinished, "the request was read after its handler returned") }
        return try self.body.read(upTo: maxCount, body)
    }

    /// The rest of the body.
    ///
    /// A handler that lets the `bodyTooLarge` error escape gets the server's `413` answer at once;
    /// when `Content-Length` already says the body is too large, none of it is read (nor
    /// `100 Continue` sent) and the connection closes after the answer.
    /// - Parameter limit: The most bytes to accept.
    /// - Throws: ``HTTPServerError`` with code `bodyTooLarge` when the body is longer than `limit`
    ///   (before reading it, when `Content-Length` says so), or as ``read(upTo:)`` does.
    public func readAll(limit: Int = 64 << 20) throws -> Data {
        if let contentLength, contentLength > limit {
            body.refuse()
            throw HTTPServerError(.bodyTooLarge, "the \(contentLength)-byte body exceeds the \(limit)-byte limit")
        }
        var data = Data()
        if let contentLength { data.reserveCapacity(Int(clamping: contentLength)) }
        while try read(upTo: ReceiveBuffer.capacity, into: { data.append(contentsOf: $0) }) > 0 {
            if data.count > limit {
                throw HTTPServerError(.bodyTooLarge, "the body exceeds the \(limit)-byte limit")
            }
        }
        return data
    }

    /// Reads and drops the rest of the body without copying it, and returns how many bytes that was.
    /// - Throws: ``HTTPServerError`` as ``read(upTo:)`` does.
    @discardableResult
    public func discardBody() throws -> Int64 {
        guard isActive else { throw HTTPServerError(.requestFinished, "the request was read after its handler returned") }
        return try body.discardRest()
    }

    /// Waits up to `timeout` for the client to close or reset the connection, reading nothing;
    /// returns whether it did. A handler that plays a stalled server waits with this instead of
    /// sleeping, so it ends as soon as the client gives up, and can note when that was.
    package func waitForClientToClose(timeout: Duration) -> Bool {
        Socket.waitForHangUp(body.fd, milliseconds: Int32(clamping: max(0, timeout.inMillisecondsRoundedUp)))
    }

    /// Makes the body's first read not answer `Expect: 100-continue`, as a silent peer would: a
    /// client that waits for the interim response sends its body only after its own timeout.
    package func withholdContinue() { body.withholdContinue() }

    /// Ends the handler's use of the request.
    func finish() { isActive = false }
}
