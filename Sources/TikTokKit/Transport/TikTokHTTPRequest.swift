public import Foundation

/// An HTTP method, such as `GET` or `PUT`.
public struct TikTokHTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method's name as sent on the wire.
    public let rawValue: String

    /// Creates a method from its wire name; it is upper-cased.
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    /// `GET`, which user info uses; replayable by default (``TikTokHTTPRequest/isReplayable``).
    public static let get = TikTokHTTPMethod(rawValue: "GET")
    /// `HEAD`, a `GET` without the response body; replayable by default.
    public static let head = TikTokHTTPMethod(rawValue: "HEAD")
    /// `POST`, used by every TikTok API call but user info; not replayable by default, so an init
    /// is never sent twice behind the caller's back.
    public static let post = TikTokHTTPMethod(rawValue: "POST")
    /// `PUT`, how each upload chunk is sent to the upload URL.
    public static let put = TikTokHTTPMethod(rawValue: "PUT")
    /// `PATCH`, which no TikTok endpoint uses; for other servers a transport may talk to.
    public static let patch = TikTokHTTPMethod(rawValue: "PATCH")
    /// `DELETE`, which no TikTok endpoint uses; for other servers a transport may talk to.
    public static let delete = TikTokHTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}

/// Called with the number of body bytes sent so far. It may be called from any thread, and
/// should return quickly.
public typealias UploadProgressHandler = @Sendable (_ bytesSent: Int64) -> Void

/// One HTTP request: method, URL, headers and body.
///
/// ```swift
/// let chunk = try TikTokFileRegion(file: videoURL, offset: 0, length: 10_000_000)
/// var request = TikTokHTTPRequest(method: .put, url: uploadURL, body: .file(chunk))
/// request.headers["Content-Range"] = "bytes 0-9999999/50000123"
/// request.uploadProgress = { sent in print("sent \(sent) bytes") }
/// let response = try await transport.send(request)
/// ```
public struct TikTokHTTPRequest: Sendable {
    /// The request method.
    public var method: TikTokHTTPMethod
    /// The absolute `http` or `https` URL to send the request to, query included.
    public var url: URL
    /// Header fields to send. Transports add `Content-Length` from the body themselves; a
    /// `Content-Length` set here is ignored.
    public var headers: TikTokHTTPHeaders
    /// The request body.
    public var body: TikTokHTTPBody
    /// Observes upload progress for this request, if set.
    public var uploadProgress: UploadProgressHandler?
    /// Whether a transport may send this request again by itself. HTTP clients (libcurl, and
    /// URLSession on Linux, which is built on it) silently re-send a request when the kept-alive
    /// connection it went out on dies before any answer; the server may already have acted on
    /// the first copy. A request that is not replayable travels on a fresh connection, so its
    /// failure is reported instead; only the SDK's `UploadRetryPolicy` sends it again.
    ///
    /// Defaults to `true` for `GET` and `HEAD` only: a publish init, an OAuth token call, a
    /// cancel or a chunk PUT are never re-sent behind the SDK's back.
    public var isReplayable: Bool
    /// The longest the whole exchange may take, from sending the request to the last byte of the
    /// response, however steadily bytes move; past it the transport fails the request with
    /// ``TransportError/Kind/timedOut``. A stall timeout alone lets a peer that trickles a byte a
    /// second hold a request forever. `nil` (the default) uses the transport's own
    /// `requestTimeout`.
    public var timeout: Duration?

    /// Creates a request.
    /// - Parameters:
    ///   - method: The request method.
    ///   - url: The absolute URL, query included.
    ///   - headers: Header fields to send.
    ///   - body: The body; empty by default.
    ///   - uploadProgress: Called as body bytes are sent.
    public init(
        method: TikTokHTTPMethod,
        url: URL,
        headers: TikTokHTTPHeaders = [:],
        body: TikTokHTTPBody = .empty,
        uploadProgress: UploadProgressHandler? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.uploadProgress = uploadProgress
        isReplayable = method == .get || method == .head
    }
}

extension TikTokHTTPRequest {
    /// Checks that the request can be written as HTTP without injecting anything: an absolute
    /// http(s) URL with a host, a method and header names made of RFC 9110 token characters, and
    /// header values without CR, LF or NUL. Transports call it before sending.
    public func validate() throws {
        let scheme = url.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            throw TransportError(.invalidRequest, "only absolute http and https URLs can be sent", method: method, url: url)
        }
        guard Self.isToken(method.rawValue) else {
            throw TransportError(.invalidRequest, "the method is not a valid HTTP token", url: url)
        }
        for field in headers {
            guard Self.isToken(field.name) else {
                throw TransportError(.invalidRequest, "a header name is not a valid HTTP token", method: method, url: url)
            }
            guard !field.value.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0 }) else {
                throw TransportError(.invalidRequest, "header \(field.name) contains a line break", method: method, url: url)
            }
        }
    }

    private static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
            }
        }
    }
}

extension TikTokHTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `METHOD scheme://host/path`, without the query (upload URLs carry a token there) and
    /// without header values.
    public var description: String { "\(method) \(url.redactedDescription)" }

    public var debugDescription: String { "\(description) \(headers) body: \(body.count) bytes" }

    public var customMirror: Mirror {
        Mirror(self, children: ["method": method, "url": url.redactedDescription, "headers": headers.description,
                                "bodyBytes": body.count])
    }
}

/// The body of a request.
public enum TikTokHTTPBody: Sendable, Hashable {
    /// No body. Methods other than `GET` and `HEAD` send `Content-Length: 0`.
    case empty
    /// Bytes held in memory.
    case bytes(Data)
    /// A byte range of a file on disk, read while sending: ``CurlTransport`` never holds more
    /// than its upload buffer of it in memory, ``URLSessionTransport`` reads it at most 1 MiB at
    /// a time.
    case file(TikTokFileRegion)

    /// The number of bytes the body sends.
    public var count: Int64 {
        switch self {
        case .empty: 0
        case .bytes(let data): Int64(data.count)
        case .file(let region): region.length
        }
    }
}

/// A contiguous byte range of a regular file: `length` bytes starting at `offset`.
public struct TikTokFileRegion: Sendable, Hashable, CustomStringConvertible {
    /// The file's location.
    public let file: URL
    /// The first byte of the range, counted from 0.
    public let offset: Int64
    /// The number of bytes in the range; 0 is allowed.
    public let length: Int64

    /// Creates a region after checking that it is well formed.
    ///
    /// The file itself is checked when the request is sent: a file that does not exist, cannot
    /// be read, or is shorter than `offset + length` then fails with ``TransportError``.
    ///
    /// - Throws: ``TransportError`` with kind ``TransportError/Kind/invalidRequest`` if `file` is
    ///   not a file URL, or `offset` or `length` is negative or their sum overflows.
    public init(file: URL, offset: Int64, length: Int64) throws {
        guard file.isFileURL else {
            throw TransportError(.invalidRequest, "a file body needs a file URL")
        }
        guard offset >= 0, length >= 0, !offset.addingReportingOverflow(length).overflow else {
            throw TransportError(.invalidRequest, "invalid file range: offset \(offset), length \(length)")
        }
        self.file = file
        self.offset = offset
        self.length = length
    }

    /// The region covering a whole file, measured now.
    /// - Throws: ``TransportError`` with kind ``TransportError/Kind/fileUnreadable`` when the
    ///   file's size cannot be read.
    public static func wholeFile(_ file: URL) throws -> TikTokFileRegion {
        let size: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            throw TransportError(.fileUnreadable, "cannot read the size of \(file.lastPathComponent)")
        }
        return try TikTokFileRegion(file: file, offset: 0, length: size)
    }

    /// `name[first-last]`, with the file's name only.
    public var description: String {
        "\(file.lastPathComponent)[\(offset)..<\(offset + length)]"
    }
}
