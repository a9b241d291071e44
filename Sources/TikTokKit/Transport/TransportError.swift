public import Foundation

/// A request that got no HTTP response: what went wrong, and where.
///
/// The message and ``description`` name the method, scheme, host and path of the request, never
/// its query string (TikTok's upload URLs carry an `upload_token` there) and never a header value.
///
/// ```swift
/// do {
///     _ = try await transport.send(request)
/// } catch let error as TransportError where error.kind == .timedOut {
///     // retry later
/// }
/// ```
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this was. New kinds may be added; match with `==`, not `switch`.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The host name could not be resolved.
        public static let cannotResolveHost = Kind(rawValue: "cannotResolveHost")
        /// The server refused the connection: nothing listens on that port.
        public static let connectionRefused = Kind(rawValue: "connectionRefused")
        /// The connection could not be made for another reason (unreachable network, …).
        public static let cannotConnect = Kind(rawValue: "cannotConnect")
        /// Connecting took longer than the connect timeout, or no bytes moved for longer than
        /// the stall timeout.
        public static let timedOut = Kind(rawValue: "timedOut")
        /// The connection was reset or closed before the response was complete.
        public static let connectionReset = Kind(rawValue: "connectionReset")
        /// TLS failed: handshake, certificate verification or host name mismatch.
        public static let tls = Kind(rawValue: "tls")
        /// The transfer was aborted without the calling task being cancelled, for example
        /// because the transport was shut down. Task cancellation throws `CancellationError`.
        public static let cancelled = Kind(rawValue: "cancelled")
        /// The server's reply was not valid HTTP.
        public static let invalidResponse = Kind(rawValue: "invalidResponse")
        /// The response body was larger than the transport accepts.
        public static let responseTooLarge = Kind(rawValue: "responseTooLarge")
        /// The request could not be sent as given (bad URL, unsupported scheme, bad file range).
        public static let invalidRequest = Kind(rawValue: "invalidRequest")
        /// The file behind a ``TikTokFileRegion`` body is missing, unreadable or shorter than the range,
        /// or changed while it was being sent.
        public static let fileUnreadable = Kind(rawValue: "fileUnreadable")
        /// Anything else; the message says what.
        public static let other = Kind(rawValue: "other")

        public var description: String { rawValue }
    }

    /// What kind of failure this was.
    public var kind: Kind
    /// A human-readable account of what happened; never contains a query string or header value.
    public var message: String
    /// The request's method, when known.
    public var method: TikTokHTTPMethod?
    /// `scheme://host[:port]/path` of the request, without its query string.
    public var endpoint: String?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, method: TikTokHTTPMethod? = nil, url: URL? = nil) {
        self.kind = kind
        self.message = message
        self.method = method
        self.endpoint = url.map(\.redactedDescription)
    }

    /// `kind: message (METHOD endpoint)`.
    public var description: String {
        var text = "\(kind): \(message)"
        if let endpoint {
            text += " (\([method?.rawValue, endpoint].compactMap { $0 }.joined(separator: " ")))"
        }
        return text
    }
}

extension TransportError: LocalizedError {
    public var errorDescription: String? { description }
}

extension URL {
    /// `scheme://host[:port]/path`: the URL without user info, query or fragment, safe to log.
    public var redactedDescription: String {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else {
            return "<unparseable URL>"
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "<unparseable URL>"
    }
}
