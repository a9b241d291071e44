import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A ``Transport`` built on Foundation's `URLSession`: the default on iOS, tvOS, watchOS and
/// visionOS, where libcurl is not available, and an alternative everywhere else.
///
/// ## File-range bodies
/// A ``TikTokHTTPBody/file(_:)`` range is streamed from disk as it is sent (`httpBodyStream`), a read of
/// at most 1 MiB at a time, so memory does not grow with the chunk: a 64 MB chunk raised the
/// benchmark's peak resident memory by about as much as ``CurlTransport`` (see
/// `Documentation/Performance.md`), where reading it into memory first cost twice its size.
/// The request declares the range's exact `Content-Length`. On Linux, where FoundationNetworking
/// would send a stream chunked (swiftlang/swift#68422), the transport stops libcurl from choosing
/// chunked, so the body goes out as exactly those bytes. When `URLSession` sends the request again
/// (a kept-alive connection that died before the body went out, for a replayable request) it asks
/// for the body again and gets a fresh stream from the range's first byte. The file is checked
/// before anything is sent: one that cannot be opened or is shorter than the range fails with
/// ``TransportError/Kind/fileUnreadable``, as does one that becomes unreadable while it is sent.
///
/// ## Behaviour
/// - Redirects are never followed; a 3xx is returned as a response.
/// - The stall timeout is `URLSessionConfiguration.timeoutIntervalForRequest`, an idle timer: it
///   fails a request that moves no bytes for that long with ``TransportError/Kind/timedOut``. An
///   overall deadline (``TikTokHTTPRequest/timeout``, else ``Configuration/requestTimeout``) fails a
///   request still running when it passes, however steadily bytes trickle.
/// - A response whose `Content-Length` is over ``Configuration/maxResponseBodySize`` is cancelled
///   before its body is delivered; any other body is collected as it arrives and the request is
///   cancelled once it passes the limit, failing with ``TransportError/Kind/responseTooLarge``.
///   The transport keeps at most the limit, but FoundationNetworking on Linux reads and queues
///   data without back-pressure, so a hostile endless body can be read (and briefly queued) well
///   past the limit before the cancel takes effect. ``CurlTransport`` stops at the limit.
/// - Cookies, caches and credential storage are off: TikTok's API needs none of them.
/// - Upload progress: on Apple platforms as `URLSession` reports it; FoundationNetworking on Linux
///   reports none, so the handler is called once with the full body size when the response arrives.
/// - FoundationNetworking may drop the body of a 3xx response it was told not to follow.
///
/// ```swift
/// let client = TikTokClient(accessToken: token, transport: URLSessionTransport())
/// ```
public final class URLSessionTransport: Transport {
    /// Settings for a ``URLSessionTransport``.
    public struct Configuration: Sendable {
        /// How long a request may go without moving a byte before it fails. Default 60 s.
        public var stallTimeout: Duration
        /// The longest a request may take in all, for requests that set no
        /// ``TikTokHTTPRequest/timeout``. Default 30 minutes.
        public var requestTimeout: Duration
        /// The largest response body accepted. Default 16 MiB.
        public var maxResponseBodySize: Int

        /// Creates a configuration; every parameter has a default.
        public init(stallTimeout: Duration = .seconds(60), requestTimeout: Duration = .seconds(1800),
                    maxResponseBodySize: Int = 16 << 20) {
            self.stallTimeout = stallTimeout
            self.requestTimeout = requestTimeout
            self.maxResponseBodySize = maxResponseBodySize
        }
    }

    /// The settings this transport was created with.
    public let configuration: Configuration
    private let session: URLSession
    /// Carries only requests that must not be replayed (``TikTokHTTPRequest/isReplayable``), each with
    /// `Connection: close`: it never holds an idle connection, so each such request goes out on
    /// a fresh one, which URLSession (libcurl, on Linux) does not silently re-send on.
    private let freshSession: URLSession
    private let delegate: URLSessionTransportDelegate

    /// Creates a transport with its own `URLSession`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        let seconds = configuration.stallTimeout.inSeconds
        sessionConfiguration.timeoutIntervalForRequest = max(seconds, 0.001)
        sessionConfiguration.httpCookieStorage = nil
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.urlCache = nil
        sessionConfiguration.urlCredentialStorage = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        delegate = URLSessionTransportDelegate()
        session = URLSession(configuration: sessionConfiguration, delegate: delegate, delegateQueue: nil)
        freshSession = URLSession(configuration: sessionConfiguration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        session.invalidateAndCancel()
        freshSession.invalidateAndCancel()
    }

    /// Sends `request` through `URLSession` and returns the response.
    ///
    /// - Throws: ``TransportError`` when no response arrived, or `CancellationError` when the
    ///   calling task is cancelled.
    public func send(_ request: TikTokHTTPRequest) async throws -> TikTokHTTPResponse {
        try Task.checkCancellation()
        let urlRequest = try makeURLRequest(request)
        let bodyData: Data?
        var region: TikTokFileRegion?
        switch request.body {
        case .empty:
            bodyData = (request.method == .get || request.method == .head) ? nil : Data()
        case .bytes(let data):
            bodyData = data
        case .file(let file):
            try await Self.checkReadable(file, method: request.method, url: request.url)
            (bodyData, region) = (nil, file)
        }
        try Task.checkCancellation()

        let exchange = Exchange(limit: configuration.maxResponseBodySize, progress: request.uploadProgress,
                                fileBody: region, method: request.method, url: request.url)
        let timeout = request.timeout ?? configuration.requestTimeout
        let http: HTTPURLResponse
        let data: Data
        do {
            (http, data) = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let session = request.isReplayable ? session : freshSession
                    let task: URLSessionTask
                    if let bodyData {
                        task = session.uploadTask(with: urlRequest, from: bodyData)
                    } else if region != nil {
                        // Read from disk as it is sent; the delegate hands out a fresh stream if
                        // URLSession sends the request again (needNewBodyStream).
                        var streamed = urlRequest
                        streamed.httpBodyStream = exchange.makeBodyStream()
                        task = session.dataTask(with: streamed)
                    } else {
                        task = session.dataTask(with: urlRequest)
                    }
                    exchange.start(task, continuation: continuation, delegate: delegate, timeout: timeout,
                                   expired: TransportError(.timedOut, "no complete response within \(timeout)",
                                                           method: request.method, url: request.url),
                                   tooLarge: TransportError(.responseTooLarge,
                                                            "the response body exceeded \(configuration.maxResponseBodySize) bytes",
                                                            method: request.method, url: request.url))
                }
            } onCancel: {
                exchange.cancel()
            }
        } catch {
            if exchange.isCancelled || Task.isCancelled { throw CancellationError() }
            throw Self.transportError(error, request: request)
        }

        let bodySize = request.body.count
        if let progress = request.uploadProgress, bodySize > 0, exchange.lastReported != bodySize {
            // FoundationNetworking on Linux does not call `didSendBodyData`; the response proves
            // the whole body was sent.
            progress(bodySize)
        }
        var headers = TikTokHTTPHeaders()
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String {
                headers.add(name: name, value: value)
            }
        }
        return TikTokHTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    private static func transportError(_ error: any Error, request: TikTokHTTPRequest) -> TransportError {
        if let error = error as? TransportError { return error }
        guard let urlError = error as? URLError else {
            return TransportError(.other, String(describing: type(of: error)), method: request.method, url: request.url)
        }
        var kind: TransportError.Kind = switch urlError.code {
        case .cannotFindHost, .dnsLookupFailed: .cannotResolveHost
        case .cannotConnectToHost: .connectionRefused
        case .notConnectedToInternet, .internationalRoamingOff, .dataNotAllowed: .cannotConnect
        case .timedOut: .timedOut
        case .networkConnectionLost: .connectionReset
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
             .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid,
             .clientCertificateRejected, .clientCertificateRequired: .tls
        // The URL's scheme was checked before sending, so `unsupportedURL` at this point is
        // FoundationNetworking's report of a reply without a status line (HTTP/0.9).
        case .badServerResponse, .cannotParseResponse, .cannotDecodeRawData, .cannotDecodeContentData,
             .httpTooManyRedirects, .redirectToNonExistentLocation, .unsupportedURL: .invalidResponse
        case .badURL: .invalidRequest
        case .dataLengthExceedsMaximum: .responseTooLarge
        case .cancelled: .cancelled
        default: .other
        }
        // FoundationNetworking reports many libcurl failures as `unknown` (-1), with libcurl's own
        // message as the description; recognise the common ones from it.
        let detail = (urlError as NSError).localizedDescription
        if kind == .other {
            if detail.contains("SSL") || detail.contains("TLS") || detail.contains("certificate") {
                kind = .tls
            } else if detail.contains("transfer closed") || detail.contains("reset") || detail.contains("Recv failure") {
                kind = .connectionReset
            }
        }
        var message = "URLSession error \(urlError.code.rawValue)"
        if !detail.isEmpty && !detail.contains("(null)") && !detail.contains("NSURLErrorDomain") {
            message += ": " + (request.url.query.map { detail.replacingOccurrences(of: $0, with: "<redacted>") } ?? detail)
        }
        return TransportError(kind, message, method: request.method, url: request.url)
    }

    private func makeURLRequest(_ request: TikTokHTTPRequest) throws -> URLRequest {
        try request.validate()
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = session.configuration.timeoutIntervalForRequest
        for field in request.headers {
            let name = field.name.lowercased()
            if name == "content-length" || name == "transfer-encoding" { continue }
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name)
        }
        if !request.isReplayable { urlRequest.setValue("close", forHTTPHeaderField: "Connection") }
        if case .file(let region) = request.body {
            // A streamed body has no length URLSession knows of: it is declared here.
            urlRequest.setValue(String(region.length), forHTTPHeaderField: "Content-Length")
            #if canImport(FoundationNetworking)
            // FoundationNetworking hands libcurl a stream as a body of unknown size, which libcurl
            // sends chunked, beside the Content-Length above (swiftlang/swift#68422). A blank
            // Transfer-Encoding header stops that: libcurl does not choose chunked when the request
            // names a Transfer-Encoding itself, and never sends a header whose value is blank. So
            // the body goes out as exactly Content-Length bytes, and no Transfer-Encoding header.
            urlRequest.setValue(" ", forHTTPHeaderField: "Transfer-Encoding")
            #endif
        }
        return urlRequest
    }

    /// Checks on a Dispatch queue that a file range can be sent: the file opens for reading and
    /// holds the whole range. Nothing is sent otherwise.
    private static func checkReadable(_ region: TikTokFileRegion, method: TikTokHTTPMethod, url: URL) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result {
                    let name = region.file.lastPathComponent
                    let handle: FileHandle
                    do {
                        handle = try FileHandle(forReadingFrom: region.file)
                    } catch {
                        throw TransportError(.fileUnreadable, "cannot open \(name)", method: method, url: url)
                    }
                    defer { try? handle.close() }
                    let size = (try? handle.seekToEnd()).map { Int64(clamping: $0) } ?? -1
                    guard size >= region.offset + region.length else {
                        throw TransportError(.fileUnreadable,
                                             "\(name) is shorter than the range \(region.offset)..<\(region.offset + region.length)",
                                             method: method, url: url)
                    }
                })
            }
        }
    }
}

/// One request in flight: its task, the response and body as they arrive, and the awaiting
/// continuation, resumed exactly once (by completion, the deadline, the size limit or a cancel).
private final class Exchange: @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private let progress: UploadProgressHandler?
    private let fileBody: TikTokFileRegion?
    private let method: TikTokHTTPMethod
    private let url: URL
    private var task: URLSessionTask?
    private var continuation: CheckedContinuation<(HTTPURLResponse, Data), any Error>?
    private var response: HTTPURLResponse?
    private var body = Data()
    private var failure: TransportError?
    private var cancelled = false
    private var reported: Int64?
    private var timer: DispatchWorkItem?

    init(limit: Int, progress: UploadProgressHandler?, fileBody: TikTokFileRegion?, method: TikTokHTTPMethod, url: URL) {
        self.limit = limit
        self.progress = progress
        self.fileBody = fileBody
        self.method = method
        self.url = url
    }

    /// A new stream over the file range from its first byte, for each time the body is sent; nil
    /// for a request without a file body.
    func makeBodyStream() -> InputStream? {
        guard let fileBody else { return nil }
        return FileRegionInputStream(fileBody) { [weak self] message in
            guard let self else { return }
            // The stream's failure aborts the transfer; it is what the caller is told.
            let error = TransportError(.fileUnreadable, message, method: method, url: url)
            lock.withLock { if failure == nil { failure = error } }
        }
    }

    /// Registers the task with the delegate, arms the deadline and resumes the task (or cancels
    /// it at once when the caller was cancelled first).
    func start(_ task: URLSessionTask, continuation: CheckedContinuation<(HTTPURLResponse, Data), any Error>,
               delegate: URLSessionTransportDelegate, timeout: Duration,
               expired: TransportError, tooLarge: TransportError) {
        let timer = DispatchWorkItem { [weak self] in self?.fail(expired) }
        lock.lock()
        self.task = task
        self.continuation = continuation
        self.timer = timer
        self.tooLarge = tooLarge
        let cancelled = self.cancelled
        lock.unlock()
        delegate.register(self, for: task.taskIdentifier)
        if cancelled {
            task.cancel()
            return
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(timeout.inSeconds, 0.001), execute: timer)
        task.resume()
    }

    private var tooLarge: TransportError?

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    var lastReported: Int64? { lock.withLock { reported } }

    /// Ends the exchange with `error` (unless it already ended) and cancels its task.
    private func fail(_ error: TransportError) {
        lock.lock()
        if failure == nil { failure = error }
        let task = self.task
        lock.unlock()
        task?.cancel()
    }

    /// Keeps the response; false (having failed the exchange) when its declared length alone is
    /// over the limit, so the body is never read.
    func received(_ response: URLResponse) -> Bool {
        lock.withLock { self.response = response as? HTTPURLResponse }
        if response.expectedContentLength > Int64(limit), let tooLarge = lock.withLock({ tooLarge }) {
            fail(tooLarge)
            return false
        }
        return true
    }

    func received(_ data: Data) {
        let overflow = lock.withLock { () -> TransportError? in
            guard failure == nil else { return nil }
            guard body.count + data.count <= limit else { return tooLarge }
            body.append(data)
            return nil
        }
        if let overflow { fail(overflow) }
    }

    func sent(_ total: Int64) {
        lock.withLock { reported = total }
        progress?(total)
    }

    func completed(_ error: (any Error)?) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        timer?.cancel()
        let failure = self.failure
        let response = self.response
        let body = self.body
        lock.unlock()
        guard let continuation else { return }
        if let failure {
            continuation.resume(throwing: failure)
        } else if let error {
            continuation.resume(throwing: error)
        } else if let response {
            continuation.resume(returning: (response, body))
        } else {
            continuation.resume(throwing: URLError(.badServerResponse))
        }
    }
}

/// Routes each task's callbacks to its ``Exchange``, refuses redirects, forwards upload
/// progress, and gives a streamed body again when URLSession asks for it.
private final class URLSessionTransportDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var exchanges: [Int: Exchange] = [:]

    func register(_ exchange: Exchange, for taskIdentifier: Int) {
        lock.withLock { exchanges[taskIdentifier] = exchange }
    }

    private func exchange(_ task: URLSessionTask) -> Exchange? {
        lock.withLock { exchanges[task.taskIdentifier] }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let wanted = exchange(dataTask)?.received(response) ?? true
        completionHandler(wanted ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        exchange(dataTask)?.received(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask,
                    needNewBodyStream completionHandler: @escaping @Sendable (InputStream?) -> Void) {
        completionHandler(exchange(task)?.makeBodyStream())
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64,
                    totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        exchange(task)?.sent(totalBytesSent)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let exchange = lock.withLock { exchanges.removeValue(forKey: task.taskIdentifier) }
        exchange?.completed(error)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
