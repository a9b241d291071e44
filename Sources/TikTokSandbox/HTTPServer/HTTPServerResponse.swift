public import Foundation
public import TikTokKit

/// What a handler answers: a status, headers and a body held in memory or streamed from a file
/// (``file(_:status:headers:)``), or one of two deliberate failures (``reset()`` and ``raw(_:)``)
/// for testing clients against a misbehaving server.
///
/// The server writes `Content-Length` itself and ignores any `Content-Length` or
/// `Transfer-Encoding` in ``headers``. A `Connection: close` header closes the connection after
/// the response.
public struct HTTPServerResponse: Sendable {
    enum Kind: Sendable {
        case normal
        case file(OpenFile)
        case reset
        case raw(Data)
    }

    /// The status code, such as `200`.
    public var status: Int
    /// Header fields to send.
    public var headers: TikTokHTTPHeaders
    /// The body; not sent for `HEAD` requests. Ignored by a response made with
    /// ``file(_:status:headers:)``, which sends its file instead.
    public var body: Data
    let kind: Kind

    /// A normal response.
    public init(status: Int, headers: TikTokHTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
        kind = .normal
    }

    private init(kind: Kind, status: Int = 0, headers: TikTokHTTPHeaders = [:]) {
        self.status = status
        self.headers = headers
        body = Data()
        self.kind = kind
    }

    /// A response whose body is the file at `url`, streamed from disk as it is sent.
    ///
    /// The file is opened now and its length read, so a missing file is the handler's to answer
    /// (`404`, say); while the response is sent, the server reads it in pieces of at most
    /// ``filePieceSize`` bytes, so memory stays bounded however large the file and however slowly
    /// the client reads. A `HEAD` request gets the length and nothing is read. A file that
    /// shrinks while it is sent closes the connection short of the `Content-Length`, so the
    /// client sees the failure.
    ///
    /// ```swift
    /// let server = try HTTPServer { request in
    ///     (try? .file(video, headers: ["Content-Type": "video/mp4"])) ?? HTTPServerResponse(status: 404)
    /// }
    /// ```
    /// - Parameters:
    ///   - url: A regular file.
    ///   - status: The status code; 200 by default.
    ///   - headers: Header fields to send.
    /// - Throws: ``HTTPServerError`` with code `fileUnreadable` when the file cannot be opened or
    ///   is not a regular file.
    public static func file(_ url: URL, status: Int = 200, headers: TikTokHTTPHeaders = [:]) throws -> HTTPServerResponse {
        HTTPServerResponse(kind: .file(try OpenFile(url)), status: status, headers: headers)
    }

    /// The most bytes of a file body held in memory at once, per response.
    public static let filePieceSize = 256 * 1024

    /// Aborts the connection with a TCP reset (`SO_LINGER` 0, then `close`) and sends nothing.
    public static func reset() -> HTTPServerResponse { HTTPServerResponse(kind: .reset) }

    /// Writes `bytes` verbatim, then closes the connection; for malformed-response tests.
    public static func raw(_ bytes: Data) -> HTTPServerResponse { HTTPServerResponse(kind: .raw(bytes)) }

    /// A response with a JSON body and `Content-Type: application/json; charset=UTF-8`.
    public static func json(status: Int = 200, _ text: String, headers: TikTokHTTPHeaders = [:]) -> HTTPServerResponse {
        var headers = headers
        headers["Content-Type"] = "application/json; charset=UTF-8"
        return HTTPServerResponse(status: status, headers: headers, body: Data(text.utf8))
    }

    /// The standard reason phrase for `status`, or an empty string.
    static func reason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 416: "Range Not Satisfiable"
        case 417: "Expectation Failed"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}
