public import Foundation
import TikTokKit

/// An offline TikTok: the Content Posting API, OAuth and the chunk upload host on 127.0.0.1,
/// as strict as TikTok.
///
/// - Envelopes with `log_id`; bearer tokens (401 `access_token_invalid`) and scopes (401
///   `scope_not_authorized`); per-token rate limits (429 `rate_limit_exceeded`).
/// - Creator info with configurable privacy options; privacy checks (403
///   `privacy_level_option_mismatch`); an unaudited mode that only accepts `SELF_ONLY`.
/// - Video init (inbox and direct, FILE_UPLOAD and PULL_FROM_URL) checking every chunk-plan rule;
///   photo init; PULL_FROM_URL and photo URLs must match a verified prefix (403
///   `url_ownership_unverified`) and are really downloaded — the emulator can serve files for that.
/// - The upload URL checks `Content-Range` on every PUT (416 with the progress header on a
///   mismatch; 206 and 201), expires after a configurable time (403), and records violations.
/// - A status lifecycle with a processing delay; the whole received video is probed as TikTok
///   checks it (``MediaInspection``): a file that is not an MP4, QuickTime or WebM video, or sent
///   under another container's `Content-Type`, ends `FAILED` with `file_format_check_failed`, one
///   longer than the creator's maximum with `duration_check_failed`; cancel for downloads in progress.
/// - Faults: injected on chosen requests, or at random (seeded) on chunk PUTs.
/// - Inspection: ``allUploads`` in process, `GET /__sandbox/uploads` over HTTP; `PUT
///   /__sandbox/discard` receives and drops a body, to measure the server alone.
///
/// ```swift
/// let emulator = try TikTokEmulator(accessToken: "test-token")
/// let client = TikTokClient(accessToken: "test-token", configuration: .init(baseURL: emulator.baseURL))
/// let result = try await client.publishDraft(file: video)
/// emulator.allUploads.first?.sha256   // what arrived
/// ```
public final class TikTokEmulator: @unchecked Sendable {
    /// The settings in force.
    public let configuration: Configuration
    private let lock = NSLock()
    private var server: HTTPServer?
    private var tokens: [String: Set<String>]
    private var refreshTokens: [String: Set<String>] = [:]
    /// Who each access token belongs to: tokens issued through OAuth (and their refreshed
    /// successors) belong to the sandbox user `sandbox-open-id`; a configured token is a user of
    /// its own. A publish belongs to the user whose token created it.
    private var tokenOwners: [String: String] = [:]
    private var rateLimitedCalls = 0
    private var publishes: [String: Publish] = [:]
    private var order: [String] = []
    private var windows: [String: [ContinuousClock.Instant]] = [:]
    private var chunkFaults: [Int: Fault] = [:]
    private var pathFaults: [String: [Fault]] = [:]
    private var pathFaultChances: [String: [(fault: Fault, probability: Double)]] = [:]
    private var servedFiles: [String: URL] = [:]
    private var chunkRequests = 0
    private var faultCounts: [String: Int] = [:]
    private var requests = 0
    private var publishCounter: UInt64 = 0
    private var random: UInt64
    private let media = MediaInspection()
    private let downloader = URLSessionTransport(configuration: .init(stallTimeout: .seconds(30), maxResponseBodySize: 1 << 30))

    /// Starts an emulator that accepts one access token with every scope.
    public convenience init(accessToken: String, port: UInt16 = 0, storeDirectory: URL? = nil) throws {
        try self.init(configuration: Configuration(accessToken: accessToken, storeDirectory: storeDirectory), port: port)
    }

    /// Starts an emulator.
    /// - Parameters:
    ///   - configuration: Accounts, app status, timings, faults.
    ///   - port: 0 for an ephemeral port.
    public init(configuration: Configuration, port: UInt16 = 0) throws {
        self.configuration = configuration
        self.tokens = configuration.accessTokens
        self.random = configuration.seed | 1
        server = try HTTPServer(port: port) { [weak self] request in
            guard let self else { return HTTPServerResponse(status: 503) }
            return try self.handle(request)
        }
    }

    deinit { server?.shutdown() }

    /// Stops serving.
    public func shutdown() { server?.shutdown() }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { server?.baseURL ?? URL(fileURLWithPath: "/") }

    /// Every publish, in init order.
    public var allUploads: [Upload] { lock.withLock { order.compactMap { publishes[$0].map(record) } } }

    /// How many init requests were accepted.
    public var initRequestCount: Int { lock.withLock { publishes.count } }

    /// API calls answered 429 `rate_limit_exceeded` because a per-token limit was reached.
    public var rateLimitedCallCount: Int { lock.withLock { rateLimitedCalls } }

    /// How many chunk PUTs arrived.
    public var chunkRequestCount: Int { lock.withLock { chunkRequests } }

    /// How many faults were injected, by kind (`resetMidBody`, `serverError`, `tooManyRequests`,
    /// `stall`) or, for ``Fault/apiError(code:)`` and ``Fault/failReason(_:)``, by code or reason.
    public var injectedFaults: [String: Int] { lock.withLock { faultCounts } }

    /// How many requests arrived in all.
    public var requestCount: Int { lock.withLock { requests } }

    /// The file holding an upload's received bytes, when a store directory is configured.
    public func storedFile(for publishID: String) -> URL? {
        configuration.storeDirectory?.appendingPathComponent(Self.fileName(publishID))
    }

    /// Injects `fault` on the `number`-th chunk PUT the emulator receives (1-based).
    public func inject(_ fault: Fault, onChunkRequest number: Int) {
        lock.withLock { chunkFaults[number] = fault }
    }

    /// Injects `faults`, one per request, on the next requests to an API path such as
    /// `/v2/post/publish/status/fetch/`.
    public func inject(_ faults: [Fault], onPath path: String) {
        lock.withLock { pathFaults[path, default: []] += faults }
    }

    /// Answers each request to an API path with `fault` with probability `probability` (0–1),
    /// drawn from the seeded generator, so a run is repeatable with the same
    /// ``Configuration/seed``. Faults queued with ``inject(_:onPath:)`` come first.
    public func inject(_ fault: Fault, onPath path: String, probability: Double) {
        let probability = min(max(probability, 0), 1)
        lock.withLock { pathFaultChances[path, default: []].append((fault, probability)) }
    }

    /// Serves `file` at `<baseURL>/files/<name>`, a URL PULL_FROM_URL and photo posts may use.
    @discardableResult
    public func serve(_ file: URL, as name: String) -> URL {
        lock.withLock { servedFiles[name] = file }
        return baseURL.appendingPathComponent("files").appendingPathComponent(name)
    }

    // MARK: Routing

    private func handle(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        lock.withLock { requests += 1 }
        switch (request.method, request.path) {
        case ("PUT", let path) where path.hasPrefix("/upload"):
            // The upload is identified by its upload_id, whatever the path (TikTok's vary, and the
            // curl command line appends the file name to a path ending in "/").
            return try receiveChunk(request)
        case ("GET", let path) where path.hasPrefix("/files/"):
            return serveFile(String(path.dropFirst("/files/".count)))
        case ("PUT", "/__sandbox/discard"), ("POST", "/__sandbox/discard"):
            // Measures the server alone: receive and drop a body, nothing else.
            let count = try request.discardBody()
            return HTTPServerResponse(status: 200, body: Data("\(count)".utf8))
        case ("GET", "/__sandbox/uploads"):
            let inspection = lock.withLock { Inspection(requestCount: requests, uploads: order.compactMap { publishes[$0].map(record) }) }
            return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"],
                                      body: (try? JSONEncoder().encode(inspection)) ?? Data())
        case ("GET", "/v2/auth/authorize/"):
            return authorize(request)
        case ("POST", "/v2/oauth/token/"):
            return try oauthToken(request)
        case ("POST", "/v2/oauth/revoke/"):
            return try oauthRevoke(request)
        default:
            break
        }
        if let fault = lock.withLock({ () -> Fault? in
            guard var queue = pathFaults[request.path], !queue.isEmpty else {
                for (fault, probability) in pathFaultChances[request.path] ?? [] where chance(probability) {
                    return fault
                }
                return randomFault(rate: configuration.endpointFaultRates[request.path] ?? 0)
            }
            let first = queue.removeFirst()
            pathFaults[request.path] = queue
            return first
        }) {
            if fault == .dropAnswer {
                lock.withLock { faultCounts["dropAnswer", default: 0] += 1 }
                _ = try handleAPI(request)
                return .reset()   // acted on, but the client never hears so
            }
            return try apply(fault, to: request) ?? handleAPI(request)
        }
        return try handleAPI(request)
    }

    private func handleAPI(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let token = request.headers["Authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token, let scopes = lock.withLock({ tokens[token] }) else {
            _ = try request.discardBody()
            return Self.error(401, "access_token_invalid", "The access token is invalid or not found in the request.")
        }
        func need(_ anyOf: Set<String>) -> HTTPServerResponse? {
            scopes.isDisjoint(with: anyOf) ? Self.error(401, "scope_not_authorized", "The user did not authorize the scope required for this request.") : nil
        }
        func limited(_ bucket: String, _ count: Int) -> HTTPServerResponse? {
            guard configuration.enforceRateLimits, !allow(token: token, bucket: bucket, limit: count) else { return nil }
            lock.withLock { rateLimitedCalls += 1 }
            let retryAfter = max(1, Int(configuration.rateLimitWindow.inSeconds.rounded(.up)))
            return Self.error(429, "rate_limit_exceeded", "The API rate limit was exceeded.", headers: ["Retry-After": "\(retryAfter)"])
        }
        switch (request.method, request.path) {
        case ("POST", "/v2/post/publish/creator_info/query/"):
            _ = try request.discardBody()
            if let refusal = need(["video.publish"]) ?? limited("creator_info", 20) { return refusal }
            return Self.ok([
                "creator_avatar_url": "https://sandbox.invalid/avatar.jpg", "creator_username": "sandbox",
                "creator_nickname": "Sandbox Creator", "privacy_level_options": configuration.privacyLevelOptions.map { "\($0)" },
                "comment_disabled": false, "duet_disabled": false, "stitch_disabled": false,
                "max_video_post_duration_sec": configuration.maxVideoPostDurationSeconds,
            ])
        case ("POST", "/v2/post/publish/inbox/video/init/"):
            let body = try Self.json(request)
            if let refusal = need(["video.upload"]) ?? limited("inbox_init", 6) { return refusal }
            return initVideo(body, token: token, direct: false)
        case ("POST", "/v2/post/publish/video/init/"):
            let body = try Self.json(request)
            if let refusal = need(["video.publish"]) ?? limited("video_init", 6) { return refusal }
            return initVideo(body, token: token, direct: true)
        case ("POST", "/v2/post/publish/content/init/"):
            let body = try Self.json(request)
            let direct = body["post_mode"] as? String == "DIRECT_POST"
            if let refusal = need([direct ? "video.publish" : "video.upload"]) ?? limited("content_init", 6) { return refusal }
            return initPhoto(body, token: token, direct: direct)
        case ("POST", "/v2/post/publish/status/fetch/"):
            let body = try Self.json(request)
            if let refusal = need(["video.upload", "video.publish"]) ?? limited("status", 30) { return refusal }
            return status(body["publish_id"] as? String ?? "", token: token)
        case ("POST", "/v2/post/publish/cancel/"):
            let body = try Self.json(request)
            if let refusal = need(["video.upload", "video.publish"]) { return refusal }
            return cancel(body["publish_id"] as? String ?? "", token: token)
        case ("GET", "/v2/user/info/"):
            if let refusal = need(["user.info.basic"]) ?? limited("user_info", 600) { return refusal }
            let openID = lock.withLock { () -> String in self.openID(of: token) }
            return userInfo(fields: (request.queryItems["fields"] ?? "").split(separator: ",").map(String.init), scopes: scopes,
                            openID: openID)
        default:
            _ = try request.discardBody()
            return Self.error(404, "invalid_param", "Unknown endpoint \(request.method) \(request.path).")
        }
    }

    // MARK: Init

    private func initVideo(_ body: [String: Any], token: String, direct: Bool) -> HTTPServerResponse {
        guard let source = body["source_info"] as? [String: Any], let kind = source["source"] as? String else {
            return Self.error(400, "invalid_params", "The request source info is empty or incorrect.")
        }
        var title: String?
        var privacy: String?
        if direct {
            let post = body["post_info"] as? [String: Any] ?? [:]
            title = post["title"] as? String
            privacy = post["privacy_level"] as? String
            if let refusal = checkPrivacy(privacy, brandContent: post["brand_content_toggle"] as? Bool ?? false) { return refusal }
            if let title, title.utf16.count > 2200 {
                return Self.error(400, "invalid_params", "The title is too long.")
            }
        }
        switch kind {
        case "FILE_UPLOAD":
            guard let size = (source["video_size"] as? NSNumber)?.int64Value,
                  let chunkSize = (source["chunk_size"] as? NSNumber)?.int64Value,
                  let count = (source["total_chunk_count"] as? NSNumber)?.intValue else {
                return Self.error(400, "invalid_params", "The request source info is empty or incorrect.")
            }
            guard Self.chunkPlanIsValid(size: size, chunkSize: chunkSize, count: count) else {
                return Self.error(400, "invalid_params", "The chunk size is invalid")
            }
            let id = newPublish(prefix: direct ? "v_pub_file~v2-1." : "v_inbox_file~v2.", token: token, direct: direct,
                                source: kind, mediaType: "video", size: size, chunkSize: chunkSize, count: count,
                                title: title, privacy: privacy)
            if let url = storedFile(for: id), !FileManager.default.createFile(atPath: url.path, contents: nil) {
                return Self.error(500, "internal_error", "The sandbox cannot store the upload.")
            }
            if configuration.storeDirectory == nil { media.begin(id, size: size) }
            let uploadURL = "\(baseURL.absoluteString)/upload/?upload_id=\(id)&upload_token=sandbox-\(UUID().uuidString)"
            return Self.ok(["publish_id": id, "upload_url": uploadURL])
        case "PULL_FROM_URL":
            guard let url = source["video_url"] as? String else {
                return Self.error(400, "invalid_params", "The request source info is empty or incorrect.")
            }
            guard isVerified(url) else { return Self.urlOwnershipUnverified() }
            let id = newPublish(prefix: direct ? "v_pub_url~v2." : "v_inbox_url~v2.", token: token, direct: direct,
                                source: kind, mediaType: "video", size: 0, chunkSize: 0, count: 0, title: title, privacy: privacy)
            download([url], for: id)
            return Self.ok(["publish_id": id])
        default:
            return Self.error(400, "invalid_params", "Unknown source \(kind).")
        }
    }

    private func initPhoto(_ body: [String: Any], token: String, direct: Bool) -> HTTPServerResponse {
        let post = body["post_info"] as? [String: Any] ?? [:]
        guard body["media_type"] as? String == "PHOTO", let source = body["source_info"] as? [String: Any],
              source["source"] as? String == "PULL_FROM_URL", let images = source["photo_images"] as? [String],
              (1...35).contains(images.count) else {
            return Self.error(400, "invalid_params", "The request post info is empty or incorrect")
        }
        let cover = (source["photo_cover_index"] as? NSNumber)?.intValue ?? 0
        guard images.indices.contains(cover), post["disable_duet"] == nil, post["disable_stitch"] == nil else {
            return Self.error(400, "invalid_params", "The request post info is empty or incorrect")
        }
        if direct, let refusal = checkPrivacy(post["privacy_level"] as? String, brandContent: post["brand_content_toggle"] as? Bool ?? false) {
            return refusal
        }
        guard images.allSatisfy(isVerified) else { return Self.urlOwnershipUnverified() }
        let id = newPublish(prefix: direct ? "p_pub_url~v2." : "p_inbox_url~v2.", token: token, direct: direct,
                            source: "PULL_FROM_URL", mediaType: "photo", size: 0, chunkSize: 0, count: 0,
                            title: post["title"] as? String, privacy: post["privacy_level"] as? String)
        download(images, for: id)
        return Self.ok(["publish_id": id])
    }

    private func checkPrivacy(_ privacy: String?, brandContent: Bool) -> HTTPServerResponse? {
        guard let privacy, configuration.privacyLevelOptions.contains(privacy) else {
            return Self.error(403, "privacy_level_option_mismatch", "The privacy level is not among the creator's options.")
        }
        if configuration.unaudited && privacy != "SELF_ONLY" {
            return Self.error(403, "unaudited_client_can_only_post_to_private_accounts",
                              "Unaudited clients can only post to a private account.")
        }
        if brandContent && privacy == "SELF_ONLY" {
            return Self.error(400, "invalid_params", "Branded content visibility cannot be set to private.")
        }
        return nil
    }

    /// TikTok's rules (media transfer guide), read strictly where "MB" is ambiguous: chunks of
    /// 5,242,880 to 64,000,000 bytes, count = size / chunk rounded down, a final chunk of at most
    /// 128,000,000 bytes, at most 1000 chunks; a video under 5,242,880 bytes, or sent as one chunk,
    /// must be whole and at most 64,000,000 bytes. (So TikTok's own example, 50,000,123 bytes in
    /// five 10,000,000-byte chunks, is valid.)
    private static func chunkPlanIsValid(size: Int64, chunkSize: Int64, count: Int) -> Bool {
        guard size > 0, size <= UploadPlan.maxVideoSize, chunkSize > 0, count >= 1, count <= 1000 else { return false }
        if count == 1 {
            return chunkSize == size && size <= UploadPlan.singleChunkLimit
        }
        let last = size - Int64(count - 1) * chunkSize
        return (UploadPlan.minChunkSize...UploadPlan.maxChunkSize).contains(chunkSize) && Int64(count) == size / chunkSize
            && last <= UploadPlan.maxFinalChunkSize
    }

    private func isVerified(_ url: String) -> Bool {
        if url.hasPrefix(baseURL.absoluteString + "/files/") { return true }
        guard url.hasPrefix("https://") else { return false }
        return configuration.verifiedURLPrefixes.contains { url.hasPrefix($0) }
    }

    private func newPublish(prefix: String, token: String, direct: Bool, source: String, mediaType: String, size: Int64,
                            chunkSize: Int64, count: Int, title: String?, privacy: String?) -> String {
        lock.withLock {
            publishCounter += 1
            let id = prefix + String(7_600_000_000_000_000_000 + publishCounter)
            publishes[id] = Publish(id: id, token: token, direct: direct, source: source, mediaType: mediaType, videoSize: size,
                                    chunkSize: chunkSize, chunkCount: count, title: title, privacy: privacy,
                                    expiresAt: .now + configuration.uploadURLLifetime,
                                    hasher: configuration.hashUploads ? SHA256() : nil)
            order.append(id)
            return id
        }
    }

    // MARK: Upload host

    private func receiveChunk(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let id = request.queryItems["upload_id"] ?? ""
        var chunk = ChunkRecord(contentRange: request.headers["Content-Range"], contentType: request.headers["Content-Type"],
                                contentLength: request.contentLength, status: 0)
        let (number, fault, known) = lock.withLock { () -> (Int, Fault?, Publish?) in
            chunkRequests += 1
            let expiry: Fault? = configuration.expiryRate > 0 && chance(configuration.expiryRate) ? .expireUploadURL : nil
            return (chunkRequests, chunkFaults[chunkRequests] ?? expiry ?? randomFault(rate: configuration.chunkFaultRate), publishes[id])
        }
        _ = number
        func finish(_ response: HTTPServerResponse, violation: String? = nil) -> HTTPServerResponse {
            chunk.status = response.status
            lock.withLock {
                publishes[id]?.chunks.append(chunk)
                if let violation { publishes[id]?.violations.append(violation) }
            }
            return response
        }
        guard let publish = known, publish.source == "FILE_UPLOAD" else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 404)
        }
        if request.headers.contains("Authorization") {
            lock.withLock { publishes[id]?.violations.append("an Authorization header was sent to the upload host") }
        }
        if request.isChunked {
            lock.withLock { publishes[id]?.violations.append("a chunk was sent with Transfer-Encoding: chunked, not Content-Length") }
        }
        guard ContinuousClock.now < publish.expiresAt else {
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 403))
        }
        let total = publish.videoSize
        let have = publish.received
        let progress: HTTPHeaders = ["Content-Range": have == 0 ? "bytes */\(total)" : "bytes 0-\(have - 1)/\(total)"]
        guard let range = request.headers["Content-Range"].flatMap(ContentRange.init),
              let first = range.first, let last = range.last, range.total == total, last < total,
              request.contentLength == last - first + 1 else {
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 416, headers: progress),
                          violation: "Content-Range \(request.headers["Content-Range"] ?? "(missing)") does not describe the body")
        }
        guard ["video/mp4", "video/quicktime", "video/webm"].contains(request.headers["Content-Type"] ?? "") else {
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 400), violation: "Content-Type \(request.headers["Content-Type"] ?? "(missing)") is not a video type")
        }
        if fault == .expireUploadURL {
            lock.withLock {
                faultCounts["expireUploadURL", default: 0] += 1
                publishes[id]?.expiresAt = .now
            }
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 403))
        }
        if let fault, fault != .dropAnswer, let response = try apply(fault, to: request, readBody: false) {
            return finish(response)
        }
        // Reserve the range: a PUT that overlaps one still being received is refused.
        let reserved = lock.withLock { () -> Bool in
            guard publishes[id]?.receiving == false, publishes[id]?.received == first else { return false }
            publishes[id]?.receiving = true
            return true
        }
        guard reserved else {
            _ = try request.discardBody()
            let concurrent = lock.withLock { publishes[id]?.receiving == true }
            return finish(HTTPServerResponse(status: 416, headers: progress),
                          violation: concurrent ? "a chunk PUT overlapped another one still in progress (chunks must be sequential)" : nil)
        }
        let count: Int64
        do {
            count = try store(request, for: id, at: first)
        } catch {
            lock.withLock { publishes[id]?.receiving = false }
            throw error
        }
        let (now, contentTypes) = lock.withLock { () -> (Int64, [String?]) in
            publishes[id]?.receiving = false
            publishes[id]?.received += count
            return (publishes[id]?.received ?? 0, publishes[id]?.chunks.filter { (200..<300).contains($0.status) }.map(\.contentType) ?? [])
        }
        if now == total {
            // Probed before completedAt is set, so no status shows the upload finished unchecked.
            let verdict = media.inspectUpload(id, storedFile: storedFile(for: id), contentTypes: contentTypes + [chunk.contentType])
            lock.withLock { publishes[id]?.complete(with: verdict) }
        }
        let response = finish(HTTPServerResponse(status: now == total ? 201 : 206, headers: ["Content-Range": "bytes 0-\(now - 1)/\(total)"]))
        if fault == .dropAnswer {
            lock.withLock { faultCounts["dropAnswer", default: 0] += 1 }
            return .reset()   // stored, but the client never hears so
        }
        return response
    }

    /// Writes (or discards) a chunk's body, hashing it; without a store, what the media checks
    /// need of it is kept.
    private func store(_ request: HTTPServerRequest, for id: String, at offset: Int64) throws -> Int64 {
        let handle = try storedFile(for: id).map { try FileHandle(forWritingTo: $0) }
        defer { try? handle?.close() }
        try handle?.seek(toOffset: UInt64(offset))
        var count: Int64 = 0
        var hasher = lock.withLock { publishes[id]?.hasher }
        while true {
            let read = try request.read(upTo: 1 << 20) { bytes in
                hasher?.update(bytes)
                if let handle { try? handle.write(contentsOf: Data(bytes)) } else { media.received(bytes, at: offset + count, for: id) }
            }
            if read == 0 { break }
            count += Int64(read)
        }
        lock.withLock { publishes[id]?.hasher = hasher }
        return count
    }

    /// A fault with probability `rate`, from the seeded generator (call with the lock held).
    private func randomFault(rate: Double) -> Fault? {
        guard rate > 0, chance(rate) else { return nil }
        switch random % 5 {
        case 0: return .resetMidBody
        case 1: return .serverError
        case 2: return .tooManyRequests(retryAfterSeconds: 1)
        case 3: return .dropAnswer
        default: return .stall(seconds: 1)
        }
    }

    /// True with probability `rate`, from the seeded generator (call with the lock held).
    private func chance(_ rate: Double) -> Bool {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Double(random % 1_000_000) / 1_000_000 < rate
    }

    /// Applies a fault; nil when the request should then be handled normally (a stall).
    private func apply(_ fault: Fault, to request: HTTPServerRequest, readBody: Bool = true) throws -> HTTPServerResponse? {
        let name = switch fault {
        case .resetMidBody: "resetMidBody"
        case .serverError: "serverError"
        case .tooManyRequests: "tooManyRequests"
        case .stall: "stall"
        case .apiError(let code): code
        case .failReason(let reason): reason
        case .dropAnswer: "dropAnswer"
        case .expireUploadURL: "expireUploadURL"
        }
        lock.withLock { faultCounts[name, default: 0] += 1 }
        switch fault {
        case .resetMidBody:
            _ = try request.read(upTo: 64 * 1024)
            return .reset()
        case .serverError:
            _ = try request.discardBody()
            return HTTPServerResponse(status: 503, body: Data("<html>503 Service Unavailable</html>".utf8))
        case .tooManyRequests(let seconds):
            _ = try request.discardBody()
            return Self.error(429, "rate_limit_exceeded", "The API rate limit was exceeded.", headers: ["Retry-After": "\(seconds)"])
        case .stall(let seconds):
            // A stalled TikTok: nothing for `seconds`, or until the client gives up.
            if request.waitForClientToClose(timeout: .seconds(seconds)) { return .reset() }
            return nil
        case .apiError(let code):
            _ = try request.discardBody()
            return Self.error(Fault.apiErrorStatus(for: code, on: request.path), code, "Injected by the sandbox: \(code).")
        case .failReason(let reason):
            _ = try request.discardBody()
            return Self.ok(["status": "FAILED", "fail_reason": reason, "publicaly_available_post_id": [UInt64](), "uploaded_bytes": 0])
        case .dropAnswer, .expireUploadURL:
            return nil   // handled where the request is (see receiveChunk and handle)
        }
    }

    // MARK: Downloads (PULL_FROM_URL)

    private func download(_ urls: [String], for id: String) {
        let downloader = self.downloader
        Task { [weak self] in
            var total: Int64 = 0
            var last = Data()
            for text in urls {
                guard let url = URL(string: text),
                      let response = try? await downloader.send(HTTPRequest(method: .get, url: url)),
                      response.status == 200, !response.body.isEmpty else {
                    self?.fail(id, reason: urls.count > 1 || self?.isPhoto(id) == true ? "photo_pull_failed" : "video_pull_failed")
                    return
                }
                total += Int64(response.body.count)
                last = response.body
                self?.noteDownload(id, bytes: total)
            }
            self?.finishDownload(id, body: last)
        }
    }

    private func isPhoto(_ id: String) -> Bool { lock.withLock { publishes[id]?.mediaType == "photo" } }

    private func noteDownload(_ id: String, bytes: Int64) {
        lock.withLock { publishes[id]?.received = bytes }
    }

    private func finishDownload(_ id: String, body: Data) {
        let verdict = isPhoto(id) ? MediaInspection.Verdict() : media.inspectDownload(body)
        lock.withLock {
            guard var publish = publishes[id], publish.failReason == nil else { return }
            publish.videoSize = publish.received
            publish.complete(with: verdict)
            publishes[id] = publish
        }
    }

    private func fail(_ id: String, reason: String) {
        lock.withLock { publishes[id]?.failReason = reason }
    }

    // MARK: Status and cancel

    private static let notYours = error(400, "token_not_authorized_for_specified_publish_id",
                                        "The access token is not authorized for the specified publish_id.")

    private func status(_ id: String, token: String) -> HTTPServerResponse {
        guard let (publish, mine) = lock.withLock({ publishes[id].map { ($0, owner(of: $0.token) == owner(of: token)) } }) else {
            return Self.error(400, "invalid_publish_id", "The publish_id does not exist.")
        }
        guard mine else { return Self.notYours }
        let report = lock.withLock { record(publish) }   // the record names its creator: lock-held state
        var data: [String: Any] = ["status": report.status, "publicaly_available_post_id": [UInt64]()]
        if report.status == "PUBLISH_COMPLETE" && publish.privacy == "PUBLIC_TO_EVERYONE" {
            data["publicaly_available_post_id"] = [7_663_542_984_343_883_000 + (UInt64(publish.id.suffix(3)) ?? 0)]
        }
        if let reason = report.failReason { data["fail_reason"] = reason }
        data[publish.source == "FILE_UPLOAD" ? "uploaded_bytes" : "downloaded_bytes"] = publish.received
        return Self.ok(data)
    }

    private func cancel(_ id: String, token: String) -> HTTPServerResponse {
        let outcome = lock.withLock { () -> Int in
            guard let publish = publishes[id] else { return 0 }
            guard owner(of: publish.token) == owner(of: token) else { return 3 }
            guard publish.source == "PULL_FROM_URL", publish.completedAt == nil, publish.failReason == nil else { return 1 }
            publishes[id]?.failReason = "publish_cancelled"
            return 2
        }
        switch outcome {
        case 0: return Self.error(400, "invalid_publish_id", "The publish_id does not exist.")
        case 1: return Self.error(400, "publish_not_cancellable", "The publish is not cancellable.")
        case 3: return Self.notYours
        default: return Self.encoded(["error": Self.okError()])
        }
    }

    /// The inspection view of a publish, with its status computed now.
    /// What inspection shows of a publish (call with the lock held).
    private func record(_ publish: Publish) -> Upload {
        var status: String
        var reason = publish.failReason
        if reason != nil {
            status = "FAILED"
        } else if let completed = publish.completedAt, ContinuousClock.now >= completed + configuration.processingDelay {
            if publish.mediaType == "video", publish.formatProblem != nil {
                status = "FAILED"
                reason = "file_format_check_failed"
            } else if publish.mediaType == "video", let duration = publish.duration,
               duration > Double(configuration.maxVideoPostDurationSeconds) {
                status = "FAILED"
                reason = "duration_check_failed"
            } else {
                status = publish.direct ? "PUBLISH_COMPLETE" : "SEND_TO_USER_INBOX"
            }
        } else {
            status = publish.source == "FILE_UPLOAD" ? "PROCESSING_UPLOAD" : "PROCESSING_DOWNLOAD"
        }
        var sha: String?
        if publish.completedAt != nil, var hasher = publish.hasher { sha = hasher.finalize().hexString }
        return Upload(publishID: publish.id, source: publish.source, mediaType: publish.mediaType, isDirectPost: publish.direct,
                      status: status, failReason: reason, videoSize: publish.videoSize, chunkSize: publish.chunkSize,
                      chunkCount: publish.chunkCount, receivedBytes: publish.received, sha256: sha, chunks: publish.chunks,
                      violations: publish.violations, title: publish.title, privacyLevel: publish.privacy,
                      creator: openID(of: publish.token), isReceiving: publish.receiving)
    }

    // MARK: OAuth and user info

    private func authorize(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let items = request.queryItems
        guard items["client_key"] == configuration.clientKey, let redirect = items["redirect_uri"], var components = URLComponents(string: redirect) else {
            return HTTPServerResponse(status: 400, body: Data("unknown client_key or bad redirect_uri".utf8))
        }
        let code = "sandbox-code-" + UUID().uuidString
        components.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "scopes", value: items["scope"] ?? ""),
                                 URLQueryItem(name: "state", value: items["state"] ?? "")]
        return HTTPServerResponse(status: 302, headers: ["Location": components.string ?? redirect])
    }

    private func oauthToken(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let form = Dictionary(FormEncoding.decode(String(decoding: try request.readAll(limit: 1 << 16), as: UTF8.self)),
                              uniquingKeysWith: { first, _ in first })
        guard form["client_key"] == configuration.clientKey, form["client_secret"] == configuration.clientSecret else {
            return Self.oauthError("invalid_client", "Client key or secret is invalid.")
        }
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"], code.hasPrefix("sandbox-code-"), form["redirect_uri"] != nil else {
                return Self.oauthError("invalid_grant", "Authorization code is expired.")
            }
            return issueTokens(scopes: Configuration.allScopes)
        case "refresh_token":
            guard let old = form["refresh_token"], let scopes = lock.withLock({ refreshTokens.removeValue(forKey: old) }) else {
                return Self.oauthError("invalid_grant", "Refresh token is invalid or expired.")
            }
            return issueTokens(scopes: scopes)
        case "client_credentials":
            let token = "clt.sandbox-" + UUID().uuidString
            lock.withLock { tokens[token] = [] }
            return Self.encoded(["access_token": token, "expires_in": 7200, "token_type": "Bearer"])
        default:
            return Self.oauthError("unsupported_grant_type", "The grant type is not supported.")
        }
    }

    private static let oauthUser = "sandbox-open-id"

    /// The user a token belongs to (call with the lock held).
    private func owner(of token: String) -> String { tokenOwners[token] ?? "configured:" + token }

    /// The `open_id` of a token's user (call with the lock held): `sandbox-open-id` for OAuth
    /// tokens, a stable `sandbox-user-…` derived from the token for each configured one.
    private func openID(of token: String) -> String {
        if let owner = tokenOwners[token] { return owner }
        return "sandbox-user-" + SHA256.hash(Array(token.utf8)).hexString.prefix(12)
    }

    private func issueTokens(scopes: Set<String>) -> HTTPServerResponse {
        let access = "act.sandbox-" + UUID().uuidString
        let refresh = "rft.sandbox-" + UUID().uuidString
        lock.withLock {
            tokens[access] = scopes
            refreshTokens[refresh] = scopes
            tokenOwners[access] = Self.oauthUser
        }
        return Self.encoded(["access_token": access, "expires_in": 7200, "open_id": "sandbox-open-id",
                             "refresh_expires_in": 15_552_000, "refresh_token": refresh,
                             "scope": scopes.sorted().joined(separator: ","), "token_type": "Bearer"])
    }

    private func oauthRevoke(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let form = Dictionary(FormEncoding.decode(String(decoding: try request.readAll(limit: 1 << 16), as: UTF8.self)),
                              uniquingKeysWith: { first, _ in first })
        guard form["client_key"] == configuration.clientKey, form["client_secret"] == configuration.clientSecret else {
            return Self.oauthError("invalid_client", "Client key or secret is invalid.")
        }
        _ = lock.withLock { tokens.removeValue(forKey: form["token"] ?? "") }
        return .json("{}")
    }

    private func userInfo(fields: [String], scopes: Set<String>, openID: String) -> HTTPServerResponse {
        let values: [String: (String, any Sendable)] = [
            "open_id": ("user.info.basic", openID), "union_id": ("user.info.basic", "sandbox-union-id"),
            "avatar_url": ("user.info.basic", "https://sandbox.invalid/avatar.jpg"),
            "display_name": ("user.info.basic", "Sandbox Creator"), "username": ("user.info.profile", "sandbox"),
            "is_verified": ("user.info.profile", false), "follower_count": ("user.info.stats", 12_345_678_901),
            "video_count": ("user.info.stats", 42),
        ]
        var user: [String: Any] = [:]
        for field in fields {
            guard let (scope, value) = values[field] else { continue }
            guard scopes.contains(scope) else {
                return Self.error(401, "scope_not_authorized", "The field \(field) needs the scope \(scope).")
            }
            user[field] = value
        }
        return Self.ok(["user": user])
    }

    // MARK: Helpers

    private func allow(token: String, bucket: String, limit: Int) -> Bool {
        lock.withLock {
            let key = token + "|" + bucket
            let now = ContinuousClock.now
            var calls = windows[key, default: []].filter { $0 + configuration.rateLimitWindow > now }
            guard calls.count < limit else { windows[key] = calls; return false }
            calls.append(now)
            windows[key] = calls
            return true
        }
    }

    /// Streams the file from disk: many clients downloading a large one at once (or never
    /// reading it) cost a bounded buffer each, not a copy of the file each.
    private func serveFile(_ name: String) -> HTTPServerResponse {
        guard let url = lock.withLock({ servedFiles[name] }),
              let response = try? HTTPServerResponse.file(url, headers: ["Content-Type": "application/octet-stream"])
        else { return HTTPServerResponse(status: 404) }
        return response
    }

    private static func json(_ request: HTTPServerRequest) throws -> [String: Any] {
        let data = try request.readAll(limit: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Every JSON answer is written by `JSONSerialization`, never by interpolating text: a request
    /// whose values hold quotes or backslashes (a title, a code injected from the command line)
    /// still gets valid JSON back.
    static func encoded(_ object: [String: Any], status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPServerResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"error":{"code":"internal_error","message":"the sandbox could not encode its answer"}}"#.utf8)
        var headers = headers
        headers["Content-Type"] = "application/json; charset=UTF-8"
        return HTTPServerResponse(status: status, headers: headers, body: body)
    }

    static func okError() -> [String: Any] { ["code": "ok", "message": "", "log_id": logID()] }

    static func ok(_ data: [String: Any]) -> HTTPServerResponse {
        encoded(["data": data, "error": okError()])
    }

    static func error(_ status: Int, _ code: String, _ message: String, headers: HTTPHeaders = [:]) -> HTTPServerResponse {
        encoded(["error": ["code": code, "message": message, "log_id": logID()]], status: status, headers: headers)
    }

    private static func urlOwnershipUnverified() -> HTTPServerResponse {
        error(403, "url_ownership_unverified",
              "Please review our URL ownership verification rules at https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide/#pull_from_url")
    }

    private static func oauthError(_ code: String, _ description: String) -> HTTPServerResponse {
        encoded(["error": code, "error_description": description, "log_id": logID()])
    }

    private static func logID() -> String { "SANDBOX" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20) }

    static func fileName(_ publishID: String) -> String {
        publishID.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + ".bin"
    }
}

/// One publish's server-side state.
struct Publish {
    let id: String
    let token: String
    let direct: Bool
    let source: String
    let mediaType: String
    var videoSize: Int64
    let chunkSize: Int64
    let chunkCount: Int
    let title: String?
    let privacy: String?
    var expiresAt: ContinuousClock.Instant
    var hasher: SHA256?
    var received: Int64 = 0
    var receiving = false
    var chunks: [TikTokEmulator.ChunkRecord] = []
    var violations: [String] = []
    var completedAt: ContinuousClock.Instant?
    var duration: Double?
    /// Why the received video fails TikTok's format check (``MediaInspection``).
    var formatProblem: String?
    var failReason: String?

    init(id: String, token: String, direct: Bool, source: String, mediaType: String, videoSize: Int64, chunkSize: Int64,
         chunkCount: Int, title: String?, privacy: String?, expiresAt: ContinuousClock.Instant, hasher: SHA256?) {
        self.id = id
        self.token = token
        self.direct = direct
        self.source = source
        self.mediaType = mediaType
        self.videoSize = videoSize
        self.chunkSize = chunkSize
        self.chunkCount = chunkCount
        self.title = title
        self.privacy = privacy
        self.expiresAt = expiresAt
        self.hasher = hasher
    }
}

extension Publish {
    /// Marks the upload or download complete with the media checks' verdict.
    mutating func complete(with verdict: MediaInspection.Verdict) {
        completedAt = .now
        duration = verdict.durationSeconds
        formatProblem = verdict.formatProblem
        if let violation = verdict.contentTypeViolation { violations.append(violation) }
    }
}
