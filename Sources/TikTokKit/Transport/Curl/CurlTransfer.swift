#if canImport(CTikTokKitCurl)
internal import CTikTokKitCurl
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request in flight through ``CurlAgent``: its easy-handle settings, body source, response
/// buffers, and the continuation of the task awaiting it.
///
/// The caller's task and the agent thread share only `state` (behind a lock). Everything else is
/// touched by the agent thread alone, from `configure` to `releaseResources`.
final class CurlTransfer: @unchecked Sendable {
    private enum State {
        case created
        case waiting(CheckedContinuation<TikTokHTTPResponse, any Error>)
        case cancelledBeforeStart
        case done
    }

    private struct Shared {
        var state: State = .created
        var cancelRequested = false
    }

    let method: TikTokHTTPMethod
    let url: URL
    let isReplayable: Bool
    private let request: TikTokHTTPRequest
    private let configuration: CurlTransport.Configuration
    private let shared = Locked(Shared())

    // Agent thread only.
    private(set) var easyHandle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var body: BodySource
    private var bodyCursor: Int64 = 0
    private var responseHeaders = TikTokHTTPHeaders()
    private var responseBody = Data()
    private var lastReportedProgress: Int64 = -1
    private var bodyFailure: String?
    private var responseTooLarge = false

    private enum BodySource {
        case none
        case memory(Data)
        case file(descriptor: Int32, offset: Int64, length: Int64, name: String)

        var length: Int64 {
            switch self {
            case .none: 0
            case .memory(let data): Int64(data.count)
            case .file(_, _, let length, _): length
            }
        }
    }

    /// Validates the request and opens a file body, so bad input fails before any network work.
    init(request: TikTokHTTPRequest, configuration: CurlTransport.Configuration) throws {
        self.request = request
        self.method = request.method
        isReplayable = request.isReplayable
        self.url = request.url
        self.configuration = configuration
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        body = .none
        try request.validate()
        switch request.body {
        case .empty: body = .none
        case .bytes(let data): body = .memory(data)
        case .file(let region): body = try Self.open(region, method: method, url: url)
        }
    }

    deinit {
        releaseResources()
        errorBuffer.deallocate()
    }

    private static func open(_ region: TikTokFileRegion, method: TikTokHTTPMethod, url: URL) throws -> BodySource {
        let name = region.file.lastPathComponent
        let descriptor = region.file.withUnsafeFileSystemRepresentation { path -> Int32 in
            guard let path else { return -1 }
            return Foundation.open(path, O_RDONLY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw TransportError(.fileUnreadable, "cannot open \(name): \(reason)", method: method, url: url)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw TransportError(.fileUnreadable, "\(name) is not a regular file", method: method, url: url)
        }
        guard Int64(info.st_size) >= region.offset + region.length else {
            close(descriptor)
            throw TransportError(
                .fileUnreadable,
                "\(name) has \(info.st_size) bytes, fewer than the range \(region.offset)..<\(region.offset + region.length) needs",
                method: method, url: url)
        }
        return .file(descriptor: descriptor, offset: region.offset, length: region.length, name: name)
    }

    // MARK: Caller side (any thread)

    /// Stores the awaiting continuation. Returns false, having already resumed it with
    /// `CancellationError`, when the task was cancelled before the transfer could start.
    func attach(_ continuation: CheckedContinuation<TikTokHTTPResponse, any Error>) -> Bool {
        let cancelled = shared.withLock { shared -> Bool in
            if case .cancelledBeforeStart = shared.state {
                shared.state = .done
                return true
            }
            shared.state = .waiting(continuation)
            return false
        }
        if cancelled {
            releaseResources()
            continuation.resume(throwing: CancellationError())
        }
        return !cancelled
    }

    /// Marks the transfer cancelled. Returns true when the agent must be woken to abort it.
    func requestCancel() -> Bool {
        shared.withLock { shared in
            shared.cancelRequested = true
            switch shared.state {
            case .created:
                shared.state = .cancelledBeforeStart
                return false
            case .waiting:
                return true
            case .cancelledBeforeStart, .done:
                return false
            }
        }
    }

    var isCancelRequested: Bool { shared.withLock { $0.cancelRequested } }

    /// Resumes the awaiting task, once.
    func complete(_ result: Result<TikTokHTTPResponse, any Error>) {
        let continuation = shared.withLock { shared -> CheckedContinuation<TikTokHTTPResponse, any Error>? in
            guard case .waiting(let continuation) = shared.state else { return nil }
            shared.state = .done
            return continuation
        }
        continuation?.resume(with: result)
    }

    // MARK: Agent thread

    /// Applies every option for this request to a fresh easy handle.
    func configure(_ easy: UnsafeMutableRawPointer) throws {
        easyHandle = easy
        let context = Unmanaged.passUnretained(self).toOpaque()
        var failures: [CURLcode] = []
        func check(_ code: CURLcode) { if code != CURLE_OK { failures.append(code) } }

        check(url.absoluteString.withCString { tk_easy_setopt_string(easy, CURLOPT_URL, $0) })
        check(tk_easy_restrict_to_http(easy))
        check(tk_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        check(tk_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
        check(tk_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1))
        check(tk_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2))
        check(tk_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))
        // libcurl re-sends a request whose reused connection died before any answer; it never
        // does so on a fresh connection. (The connection may still serve later requests.)
        check(tk_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, isReplayable ? 0 : 1))
        check(tk_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout)))
        check(tk_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout ?? configuration.requestTimeout)))
        check(tk_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1))
        check(tk_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, Self.wholeSeconds(configuration.stallTimeout)))
        check(tk_easy_setopt_long(easy, CURLOPT_UPLOAD_BUFFERSIZE,
                                  min(max(configuration.uploadBufferSize, 16 * 1024), 2 * 1024 * 1024)))
        check(tk_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))
        check(tk_easy_set_write_callback(easy, context, curlWriteCallback))
        check(tk_easy_set_header_callback(easy, context, curlHeaderCallback))
        check(tk_easy_set_read_callback(easy, context, curlReadCallback))
        check(tk_easy_set_seek_callback(easy, context, curlSeekCallback))
        check(tk_easy_set_xferinfo_callback(easy, context, curlProgressCallback))

        let bodyLength = body.length
        switch (method, bodyLength) {
        case (.get, 0):
            check(tk_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case (.head, 0):
            check(tk_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
        default:
            // Every other request sends its body through the read callback with a known length,
            // so libcurl writes `Content-Length` and never `Transfer-Encoding: chunked`.
            check(tk_easy_setopt_long(easy, CURLOPT_UPLOAD, 1))
            check(tk_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(bodyLength)))
            if method != .put {
                check(method.rawValue.withCString { tk_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, $0) })
            }
        }

        var list: UnsafeMutablePointer<curl_slist>?
        func append(_ line: String) {
            line.withCString { list = curl_slist_append(list, $0) }
        }
        for field in request.headers {
            let name = field.name.lowercased()
            if name == "content-length" || name == "transfer-encoding" || name == "expect" { continue }
            // "Name;" is libcurl's spelling of a header with an empty value.
            append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if !request.headers.contains("User-Agent") {
            append("User-Agent: \(configuration.userAgent)")
        }
        if method != .get && method != .head {
            append(configuration.expectContinue && bodyLength > 0 ? "Expect: 100-continue" : "Expect:")
        }
        headerList = list
        check(tk_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))

        if let failure = failures.first {
            throw TransportError(.invalidRequest,
                                 "libcurl rejected an option: \(String(cString: curl_easy_strerror(failure)))",
                                 method: method, url: url)
        }
    }

    /// Closes the body file and frees the header list. Idempotent.
    func releaseResources() {
        if case .file(let descriptor, _, _, _) = body {
            close(descriptor)
            body = .none
        }
        if let headerList {
            curl_slist_free_all(headerList)
            self.headerList = nil
        }
    }

    /// Turns libcurl's verdict into the response or a typed error.
    func result(of code: CURLcode) -> Result<TikTokHTTPResponse, any Error> {
        if isCancelRequested {
            return .failure(CancellationError())
        }
        guard code == CURLE_OK, let easy = easyHandle else {
            return .failure(error(for: code))
        }
        var status = 0
        _ = tk_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(TikTokHTTPResponse(status: status, headers: responseHeaders, body: responseBody))
    }

    private func error(for code: CURLcode) -> TransportError {
        if let bodyFailure {
            return TransportError(.fileUnreadable, bodyFailure, method: method, url: url)
        }
        if responseTooLarge {
            return TransportError(.responseTooLarge,
                                  "the response body exceeded \(configuration.maxResponseBodySize) bytes",
                                  method: method, url: url)
        }
        var osError = 0
        if let easy = easyHandle {
            _ = tk_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osError)
        }
        let detail = redacted(String(cString: errorBuffer))
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind = CurlErrorKind.kind(for: code, osError: Int32(truncatingIfNeeded: osError))
        return TransportError(kind, message, method: method, url: url)
    }

    /// Removes the URL's query string from a libcurl message, in case one ever quotes it.
    private func redacted(_ message: String) -> String {
        guard let query = url.query, !query.isEmpty else { return message }
        return message.replacingOccurrences(of: query, with: "<redacted>")
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(clamping: duration.inMillisecondsRoundedUp))
    }

    /// libcurl's low-speed time is whole seconds: rounded up, at least 1.
    private static func wholeSeconds(_ duration: Duration) -> Int {
        Int(min(max(duration.inSeconds.rounded(.up), 1), Double(Int32.max)))
    }

    // MARK: Callbacks (agent thread)

    fileprivate func fillUploadBuffer(_ buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        if isCancelRequested { return tk_readfunc_abort }
        let remaining = body.length - bodyCursor
        guard remaining > 0 else { return 0 }
        let count = Int(min(Int64(capacity), remaining))
        switch body {
        case .none:
            return 0
        case .memory(let data):
            let start = data.startIndex + Int(bodyCursor)
            data.copyBytes(to: UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                           from: start..<(start + count))
        case .file(let descriptor, let offset, _, let name):
            var filled = 0
            while filled < count {
                let got = pread(descriptor, buffer + filled, count - filled, off_t(offset + bodyCursor) + off_t(filled))
                if got < 0 {
                    if errno == EINTR { continue }
                    bodyFailure = "reading \(name) failed: \(String(cString: strerror(errno)))"
                    return tk_readfunc_abort
                }
                if got == 0 {
                    bodyFailure = "\(name) became shorter while it was being sent"
                    return tk_readfunc_abort
                }
                filled += got
            }
        }
        bodyCursor += Int64(count)
        return count
    }

    fileprivate func seekBody(to offset: Int64, origin: Int32) -> Int32 {
        guard origin == SEEK_SET, offset >= 0, offset <= body.length else { return Int32(tk_seekfunc_fail) }
        bodyCursor = offset
        return Int32(tk_seekfunc_ok)
    }

    fileprivate func receiveBody(_ bytes: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        guard responseBody.count + count <= configuration.maxResponseBodySize else {
            responseTooLarge = true
            return 0
        }
        responseBody.append(UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt8.self), count: count)
        return count
    }

    fileprivate func receiveHeaderLine(_ bytes: UnsafeMutablePointer<CChar>, count: Int) -> Int {
        let line = String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new status line: an interim response (100 Continue) precedes the final one.
            responseHeaders = TikTokHTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            if !name.isEmpty { responseHeaders.add(name: name, value: value) }
        }
        return count
    }

    /// Calls the request's progress handler. It runs on the agent thread, which serves every
    /// transfer of the transport, so handlers must return quickly.
    fileprivate func reportProgress(uploaded: Int64) -> Int32 {
        if isCancelRequested { return 1 }
        if let progress = request.uploadProgress, uploaded != lastReportedProgress, uploaded > 0 {
            lastReportedProgress = uploaded
            progress(uploaded)
        }
        return 0
    }
}

private func transfer(_ userdata: UnsafeMutableRawPointer?) -> CurlTransfer? {
    userdata.map { Unmanaged<CurlTransfer>.fromOpaque($0).takeUnretainedValue() }
}

private let curlReadCallback: tk_data_callback = { buffer, size, count, userdata in
    guard let transfer = transfer(userdata) else { return tk_readfunc_abort }
    return transfer.fillUploadBuffer(buffer, capacity: size * count)
}

private let curlWriteCallback: tk_data_callback = { buffer, size, count, userdata in
    guard let transfer = transfer(userdata) else { return 0 }
    return transfer.receiveBody(buffer, count: size * count)
}

private let curlHeaderCallback: tk_data_callback = { buffer, size, count, userdata in
    guard let transfer = transfer(userdata) else { return 0 }
    return transfer.receiveHeaderLine(buffer, count: size * count)
}

private let curlSeekCallback: tk_seek_callback = { userdata, offset, origin in
    guard let transfer = transfer(userdata) else { return Int32(tk_seekfunc_fail) }
    return transfer.seekBody(to: Int64(offset), origin: origin)
}

private let curlProgressCallback: tk_xferinfo_callback = { userdata, _, _, _, uploaded in
    guard let transfer = transfer(userdata) else { return 1 }
    return transfer.reportProgress(uploaded: Int64(uploaded))
}
#endif
