import Foundation
public import TikTokKit

/// A ``Transport`` that answers from a script and records every request, for unit tests that
/// must not touch the network.
///
/// Hand one to the code under test, tell it what to answer, run the code, then look at what was
/// sent:
///
/// ```swift
/// import Foundation
/// import Testing
/// import TikTokKit
/// import TikTokKitTesting
///
/// @Test func uploadsTheVideoInOneChunk() async throws {
///     let fake = FakeTransport()
///     fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(status: 200, """
///         {"data":{"publish_id":"v_inbox_file~v2.123",
///                  "upload_url":"https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=abc"},
///          "error":{"code":"ok","message":"","log_id":"x"}}
///         """))
///     fake.enqueue(.put, "/video/", .status(201))
///     fake.on(.post, "/v2/post/publish/status/fetch/") { _ in
///         TikTokHTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data("""
///             {"data":{"status":"SEND_TO_USER_INBOX"},"error":{"code":"ok","message":"","log_id":"y"}}
///             """.utf8))
///     }
///
///     let client = TikTokClient(accessToken: "test-token", transport: fake)
///     _ = try await client.publishDraft(file: videoURL)
///
///     let chunk = try #require(fake.requests(method: .put, path: "/video/").first)
///     #expect(chunk.headers["Content-Range"] == "bytes 0-\(size - 1)/\(size)")
///     #expect(chunk.body == (try Data(contentsOf: videoURL)))
/// }
/// ```
///
/// ## Scripting replies
///
/// A ``Reply`` is a response or an error, optionally delayed: ``Reply/json(status:headers:_:)``,
/// ``Reply/status(_:headers:)``, ``Reply/response(_:)``, ``Reply/error(_:)`` and
/// ``Reply/delayed(by:_:)``. There are three ways to script them:
///
/// - **Per route, in order.** ``enqueue(_:_:_:repeatingLast:)`` queues replies for one method
///   and path; each request on that route takes the next one. Pass `repeatingLast: true` to keep
///   answering with the last reply once the others are used up (handy for status polling).
/// - **Globally, in order.** ``enqueue(_:)`` queues replies for whatever request comes next,
///   whatever its route.
/// - **By closure.** ``on(_:_:_:)`` computes the response for one route from the request;
///   ``onUnmatched(_:)`` does so for any request nothing else answers. A closure may throw to
///   make `send` throw.
///
/// Routes match on the method and the URL's path. The host, the query string (TikTok's upload
/// URLs carry an `upload_token` there) and the fragment are ignored; a route written as a whole
/// URL is reduced to its path.
///
/// For each request the fake asks, in this order, and the first that has an answer gives it:
///
/// 1. the route's queue,
/// 2. the route's closure,
/// 3. the global queue,
/// 4. the fallback closure.
///
/// If none does, `send` throws ``UnexpectedRequest``, naming the method and the URL without its
/// query string.
///
/// ```swift
/// fake.enqueue(.put, "/video/", .status(206), .status(206), .status(201))
/// fake.enqueue(.post, "/v2/post/publish/status/fetch/", .json(processing), .json(complete), repeatingLast: true)
/// fake.enqueue(.error(TransportError(.connectionReset, "reset")))   // the next request, whatever it is
/// fake.on(.get, "/v2/user/info/") { request in
///     #expect(request.headers["Authorization"] == "Bearer test-token")
///     return TikTokHTTPResponse(status: 200, body: Data(userInfoJSON.utf8))
/// }
/// fake.onUnmatched { request in TikTokHTTPResponse(status: 404) }
/// ```
///
/// ## Inspecting requests
///
/// Every request that reaches the script is recorded, in the order the fake received them, as a
/// ``RecordedRequest``: method, URL, headers, body bytes and ``BodyKind``. A
/// ``TikTokKit/TikTokHTTPBody/file(_:)`` body is read from disk when the request is sent, so ``RecordedRequest/body``
/// holds exactly the bytes of that file range; a file that is missing, unreadable or shorter
/// than the range makes `send` throw ``TransportError`` with kind
/// ``TransportError/Kind/fileUnreadable``, as a real transport does, and such a request is
/// neither recorded nor answered. Read the record with ``requests`` or
/// ``requests(method:path:)``; ``reset()`` clears the record and the script.
///
/// ## Behaving like a real transport
///
/// - A task that is already cancelled gets `CancellationError` and nothing is recorded.
/// - A request with a non-empty body has its ``TikTokKit/TikTokHTTPRequest/uploadProgress`` handler
///   called a few times with growing byte counts (a quarter, half and three quarters of the
///   body, where those are distinct and non-zero), the last call always with the body's full
///   byte count. This happens before any delay and before a scripted error is thrown, as if
///   the body had gone out and the reply had not. An empty body reports nothing.
/// - A delayed reply sleeps with `Task.sleep`, so cancelling the task ends the wait at once
///   with `CancellationError`.
/// - One instance may be shared by any number of tasks; its state sits behind a lock.
public final class FakeTransport: Transport, Sendable {
    /// Computes the response to a request; throwing makes `send` throw the same error.
    public typealias Handler = @Sendable (RecordedRequest) throws -> TikTokHTTPResponse

    private let script = Locked(Script())

    /// Creates a fake with no replies scripted and no requests recorded.
    public init() {}

    // MARK: Scripting

    /// Queues replies for requests with `method` to `path`, answered in order.
    ///
    /// Calling it again for the same route adds to the end of that route's queue. Replies
    /// queued for a route are used before the route's closure, if it has one.
    ///
    /// ```swift
    /// fake.enqueue(.put, "/video/", .status(206), .status(201))
    /// ```
    ///
    /// - Parameters:
    ///   - method: The request method to match.
    ///   - path: The URL path to match, such as `"/v2/user/info/"`. A query string is ignored,
    ///     and so are a scheme and host if you pass a whole URL.
    ///   - replies: The replies, in the order requests get them.
    ///   - repeatingLast: Whether the last of these replies keeps answering once it is the only
    ///     one left, instead of being used up. Replies queued for the route later still come
    ///     after it, and it is then used once. `false` by default.
    public func enqueue(_ method: TikTokHTTPMethod, _ path: String, _ replies: Reply..., repeatingLast: Bool = false) {
        enqueue(method, path, replies, repeatingLast: repeatingLast)
    }

    /// Queues an array of replies for requests with `method` to `path`, answered in order.
    ///
    /// The same as ``enqueue(_:_:_:repeatingLast:)``, for replies built in a loop.
    ///
    /// - Parameters:
    ///   - method: The request method to match.
    ///   - path: The URL path to match; a query string is ignored.
    ///   - replies: The replies, in the order requests get them.
    ///   - repeatingLast: Whether the last of these replies keeps answering once it is the only
    ///     one left. `false` by default.
    public func enqueue(_ method: TikTokHTTPMethod, _ path: String, _ replies: [Reply], repeatingLast: Bool = false) {
        let route = Route(method: method, path: path)
        let queued = replies.indices.map { index in
            Script.Queued(reply: replies[index], repeats: repeatingLast && index == replies.index(before: replies.endIndex))
        }
        script.withLock { $0.routeQueues[route, default: []].append(contentsOf: queued) }
    }

    /// Queues replies for the next requests, whatever their method and path.
    ///
    /// The global queue is used only when the request's route has neither queued replies nor
    /// a closure.
    ///
    /// ```swift
    /// fake.enqueue(.error(TransportError(.timedOut, "timed out")), .status(503))
    /// ```
    ///
    /// - Parameter replies: The replies, in the order requests get them.
    public func enqueue(_ replies: Reply...) {
        enqueue(replies)
    }

    /// Queues an array of replies for the next requests, whatever their method and path.
    ///
    /// The same as the variadic `enqueue(_:)`, for replies built in a loop:
    /// `fake.enqueue((0..<10).map { _ in .status(206) })`.
    ///
    /// - Parameter replies: The replies, in the order requests get them.
    public func enqueue(_ replies: [Reply]) {
        script.withLock { $0.globalQueue.append(contentsOf: replies) }
    }

    /// Answers every request with `method` to `path` by calling `handler`, once the route's
    /// queued replies are used up. Replaces an earlier closure for the same route.
    ///
    /// ```swift
    /// fake.on(.post, "/v2/post/publish/status/fetch/") { request in
    ///     TikTokHTTPResponse(status: 200, body: Data(statusJSON.utf8))
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - method: The request method to match.
    ///   - path: The URL path to match; a query string is ignored.
    ///   - handler: Returns the response for a request, or throws the error `send` should
    ///     throw. It is called without the fake's lock held, so it may read ``requests``.
    public func on(_ method: TikTokHTTPMethod, _ path: String, _ handler: @escaping Handler) {
        let route = Route(method: method, path: path)
        script.withLock { $0.routeHandlers[route] = handler }
    }

    /// Answers any request that no route and no globally queued reply answers by calling
    /// `handler`. Replaces an earlier fallback.
    ///
    /// ```swift
    /// fake.onUnmatched { _ in TikTokHTTPResponse(status: 404) }
    /// ```
    ///
    /// - Parameter handler: Returns the response for a request, or throws the error `send`
    ///   should throw.
    public func onUnmatched(_ handler: @escaping Handler) {
        script.withLock { $0.fallback = handler }
    }

    // MARK: Inspecting

    /// Every request received so far, oldest first.
    public var requests: [RecordedRequest] {
        script.withLock { $0.recorded }
    }

    /// The requests received so far with `method` to `path`, oldest first.
    ///
    /// - Parameters:
    ///   - method: The request method to match.
    ///   - path: The URL path to match, as for ``enqueue(_:_:_:repeatingLast:)``; a query string
    ///     is ignored.
    public func requests(method: TikTokHTTPMethod, path: String) -> [RecordedRequest] {
        let route = Route(method: method, path: path)
        return requests.filter { Route(method: $0.method, url: $0.url) == route }
    }

    /// Forgets every recorded request and the whole script: queued replies, route closures and
    /// the fallback.
    public func reset() {
        script.withLock { $0 = Script() }
    }

    // MARK: Transport

    /// Records `request` and answers it from the script.
    ///
    /// - Parameter request: The request; a file-range body is read from disk now.
    /// - Returns: The scripted response.
    /// - Throws: `CancellationError` when the calling task is cancelled before the call or
    ///   during a delayed reply; ``TransportError`` with kind
    ///   ``TransportError/Kind/fileUnreadable`` when a file-range body cannot be read;
    ///   ``TransportError/Kind/invalidRequest`` for a request no real transport would send
    ///   (see `TikTokHTTPRequest.validate()`); a
    ///   scripted error; or ``UnexpectedRequest`` when nothing answers.
    public func send(_ request: TikTokHTTPRequest) async throws -> TikTokHTTPResponse {
        try Task.checkCancellation()
        try request.validate()
        let recorded = try await record(request)
        try Task.checkCancellation()
        let answer = script.withLock { script in
            script.recorded.append(recorded)
            return script.answer(for: Route(method: request.method, url: request.url))
        }
        if let progress = request.uploadProgress {
            for sent in Self.progressSteps(for: request.body.count) {
                progress(sent)
            }
        }
        switch answer {
        case .reply(let reply):
            return try await reply.resolve()
        case .handler(let handler):
            return try handler(recorded)
        case .nobody:
            throw UnexpectedRequest(method: request.method, url: request.url)
        }
    }

    /// A quarter, half, three quarters and all of `count`, without repeats or zeros: a few
    /// intermediate values, as a real transport reports while the body goes out.
    static func progressSteps(for count: Int64) -> [Int64] {
        guard count > 0 else { return [] }
        var steps: [Int64] = []
        for quarter in 1...4 {
            let sent = quarter == 4 ? count : count / 4 * Int64(quarter)
            if sent > 0, sent != steps.last {
                steps.append(sent)
            }
        }
        return steps
    }

    private func record(_ request: TikTokHTTPRequest) async throws -> RecordedRequest {
        let body: Data
        let kind: BodyKind
        switch request.body {
        case .empty:
            (body, kind) = (Data(), .empty)
        case .bytes(let data):
            (body, kind) = (data, .bytes)
        case .file(let region):
            body = try await region.readBytes(method: request.method, url: request.url)
            kind = .file(region)
        }
        return RecordedRequest(method: request.method, url: request.url, headers: request.headers,
                               body: body, bodyKind: kind)
    }
}
