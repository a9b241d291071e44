import Foundation

/// One thing TikTokKit did on the wire, for logs, metrics and traces: every API call, chunk PUT,
/// retry (with its reason), re-synchronisation, rate-limit wait, status poll and upload restart.
///
/// Set ``TikTokClient/Configuration/observer`` to receive them; ``TikTokClient/Configuration/logger``
/// receives each one's ``message``. Events carry no secret: URLs lose their query (the upload
/// URL's query holds TikTok's upload token) and tokens never appear.
///
/// The observer is called synchronously, on whatever task or thread did the work: keep it quick
/// (hand the event to a logger or a metrics counter) and never block in it.
///
/// ```swift
/// let configuration = TikTokClient.Configuration(observer: { event in
///     if event.kind == .retry { print("retrying:", event.reason ?? "", "in", event.delay ?? .zero) }
/// })
/// ```
public struct TikTokEvent: Sendable, Hashable, CustomStringConvertible {
    /// What happened. New kinds may be added; `switch` over them with a `default`.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        /// A stable name, such as `api_call`.
        public let rawValue: String

        /// Creates a kind; the static members are the kinds TikTokKit reports.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An API call got its answer (``status``), or failed on the way (``reason``).
        public static let apiCall = Kind(rawValue: "api_call")
        /// A chunk PUT to the upload URL got its answer (after any retries, counted in ``attempt``).
        public static let chunkUpload = Kind(rawValue: "chunk_upload")
        /// A request failed and will be sent again after ``delay``; ``reason`` says why.
        public static let retry = Kind(rawValue: "retry")
        /// A chunk PUT failed and its retries are used up; the upload fails.
        public static let retriesExhausted = Kind(rawValue: "retries_exhausted")
        /// TikTok answered 416: the upload continues from the offset it confirmed (``bytes``).
        public static let resync = Kind(rawValue: "resync")
        /// A call waited ``delay`` for its per-token rate limit (``bucket``) before being sent.
        public static let rateLimitWait = Kind(rawValue: "rate_limit_wait")
        /// A status poll while waiting for a publish: ``publishStatus`` is what TikTok reported.
        public static let statusPoll = Kind(rawValue: "status_poll")
        /// The upload URL expired mid-upload and the upload starts again with a fresh init.
        public static let uploadRestart = Kind(rawValue: "upload_restart")

        public var description: String { rawValue }
    }

    /// What happened.
    public var kind: Kind
    /// One line for a human: what ``TikTokClient/Configuration/logger`` receives.
    public var message: String
    /// The HTTP method, for requests.
    public var method: String?
    /// The URL without its query or fragment, for requests.
    public var url: String?
    /// The API path (such as `/v2/post/publish/status/fetch/`), for API calls.
    public var endpoint: String?
    /// The HTTP status of the answer, when one came.
    public var status: Int?
    /// How long the request (all its attempts, for a chunk) took.
    public var duration: Duration?
    /// The publish the event belongs to, when known.
    public var publishID: String?
    /// The `Content-Range` of a chunk PUT.
    public var contentRange: String?
    /// Bytes: a chunk's length, or the offset TikTok confirmed on a re-sync.
    public var bytes: Int64?
    /// Which attempt this was (1 for the first).
    public var attempt: Int?
    /// Why a retry, a re-sync or a failure happened (a transport error kind, an HTTP status, an
    /// error code).
    public var reason: String?
    /// The wait before a retry, or spent on a rate limit, or until the next status poll.
    public var delay: Duration?
    /// The rate-limit bucket, for API calls and rate-limit waits.
    public var bucket: String?
    /// TikTok's `log_id` of the answer, when it sent one (quote it to TikTok support).
    public var logID: String?
    /// The publish status a status poll reported.
    public var publishStatus: PublishStatus?

    /// Creates an event; TikTokKit makes them, tests and bridges may too.
    public init(_ kind: Kind, message: String, method: String? = nil, url: String? = nil, endpoint: String? = nil,
                status: Int? = nil, duration: Duration? = nil, publishID: String? = nil, contentRange: String? = nil,
                bytes: Int64? = nil, attempt: Int? = nil, reason: String? = nil, delay: Duration? = nil,
                bucket: String? = nil, logID: String? = nil, publishStatus: PublishStatus? = nil) {
        self.kind = kind
        self.message = message
        self.method = method
        self.url = url.map(Redaction.url)
        self.endpoint = endpoint
        self.status = status
        self.duration = duration
        self.publishID = publishID
        self.contentRange = contentRange
        self.bytes = bytes
        self.attempt = attempt
        self.reason = reason
        self.delay = delay
        self.bucket = bucket
        self.logID = logID
        self.publishStatus = publishStatus
    }

    /// The kind and the message.
    public var description: String { "\(kind): \(message)" }

    /// The structured fields as strings (absent ones left out), for a logger's metadata.
    public var metadata: [String: String] {
        var fields: [String: String] = ["kind": kind.rawValue]
        fields["method"] = method
        fields["url"] = url
        fields["endpoint"] = endpoint
        fields["status"] = status.map(String.init)
        fields["duration_ms"] = duration.map { String(format: "%.3f", $0.inSeconds * 1000) }
        fields["publish_id"] = publishID
        fields["content_range"] = contentRange
        fields["bytes"] = bytes.map(String.init)
        fields["attempt"] = attempt.map(String.init)
        fields["reason"] = reason
        fields["delay_ms"] = delay.map { String(format: "%.3f", $0.inSeconds * 1000) }
        fields["bucket"] = bucket
        fields["log_id"] = logID
        fields["publish_status"] = publishStatus?.rawValue
        return fields
    }
}

extension TikTokClient {
    /// Hands `event` to the observer and its message to the logger.
    func record(_ event: TikTokEvent) {
        configuration.observer?(event)
        configuration.logger?(event.message)
    }
}
