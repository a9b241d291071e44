import Foundation
import TikTokKit

/// Routing: the sandbox's own paths, OAuth and the upload host first, then (after any fault
/// injected on the path) the bearer-token API with its scopes and per-token rate limits.
extension TikTokEmulator {
    /// An authenticated API call: who makes it and what they may do.
    struct Caller {
        let token: String
        let grant: EmulatorState.Grant
    }

    func route(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        locked { $0.requests += 1 }
        switch (request.method, request.path) {
        case ("PUT", let path) where path.hasPrefix("/upload"):
            // The upload is identified by its upload_id, whatever the path (TikTok's vary, and the
            // curl command line appends the file name to a path ending in "/").
            return try receiveChunk(request)
        case ("GET", let path) where path.hasPrefix("/files/"), ("HEAD", let path) where path.hasPrefix("/files/"):
            return serveFile(String(path.dropFirst("/files/".count)))
        case ("PUT", "/__sandbox/discard"), ("POST", "/__sandbox/discard"):
            // Measures the server alone: receive and drop a body, nothing else.
            let count = try request.discardBody()
            return HTTPServerResponse(status: 200, body: Data("\(count)".utf8))
        case ("GET", "/__sandbox/uploads"):
            return inspection()
        case ("GET", "/__sandbox/webhooks"):
            return HTTPServerResponse(status: 200, headers: ["Content-Type": "application/json"],
                                      body: (try? JSONEncoder().encode(webhookDeliveries)) ?? Data())
        case ("POST", "/__sandbox/advance-clock"):
            _ = try request.discardBody()
            guard let seconds = request.queryItems["seconds"].flatMap(Double.init), seconds > 0, seconds <= 31_536_000 else {
                return HTTPServerResponse(status: 400, body: Data("advance-clock needs ?seconds= from 0 to 31536000".utf8))
            }
            advanceClock(by: .milliseconds(Int64(seconds * 1000)))
            return HTTPServerResponse(status: 204)
        case ("GET", "/v2/auth/authorize/"):
            return authorize(request)
        case ("POST", "/v2/oauth/token/"):
            return try oauthToken(request)
        case ("POST", "/v2/oauth/revoke/"):
            return try oauthRevoke(request)
        default:
            break
        }
        let rate = configuration.endpointFaultRates[request.path] ?? 0
        if let fault = locked({ $0.nextFault(onPath: request.path, randomRate: rate) }) {
            if fault == .dropAnswer {
                locked { $0.faultCounts["dropAnswer", default: 0] += 1 }
                _ = try handleAPI(request)
                return .reset()   // acted on, but the client never hears so
            }
            return try apply(fault, to: request) ?? handleAPI(request)
        }
        return try handleAPI(request)
    }

    private func handleAPI(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let token = request.headers["Authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token, let grant = locked({ $0.grants[token] }), grant.expiresAt.map({ now < $0 }) ?? true else {
            _ = try request.discardBody()
            return Self.error(401, .accessTokenInvalid, "The access token is invalid or not found in the request.")
        }
        let caller = Caller(token: token, grant: grant)
        func need(_ anyOf: Set<String>) -> HTTPServerResponse? {
            grant.scopes.isDisjoint(with: anyOf)
                ? Self.error(401, .scopeNotAuthorized, "The user did not authorize the scope required for this request.") : nil
        }
        func limited(_ bucket: String, _ count: Int) -> HTTPServerResponse? {
            guard configuration.enforceRateLimits else { return nil }
            let window = configuration.rateLimitWindow, now = self.now
            guard !locked({ $0.allow(token + "|" + bucket, limit: count, window: window, now: now) }) else { return nil }
            locked { $0.rateLimitedCalls += 1 }
            let retryAfter = max(1, Int(window.inSeconds.rounded(.up)))
            return Self.error(429, .rateLimitExceeded, "The API rate limit was exceeded.", headers: ["Retry-After": "\(retryAfter)"])
        }
        switch (request.method, request.path) {
        case ("POST", "/v2/post/publish/creator_info/query/"):
            _ = try request.discardBody()
            return need(["video.publish"]) ?? limited("creator_info", 20) ?? creatorInfo(for: caller)
        case ("POST", "/v2/post/publish/inbox/video/init/"):
            let body = try Self.json(request)
            return need(["video.upload"]) ?? limited("inbox_init", 6) ?? body.map { initVideo($0, caller: caller, direct: false) } ?? Self.notJSON
        case ("POST", "/v2/post/publish/video/init/"):
            let body = try Self.json(request)
            return need(["video.publish"]) ?? limited("video_init", 6) ?? body.map { initVideo($0, caller: caller, direct: true) } ?? Self.notJSON
        case ("POST", "/v2/post/publish/content/init/"):
            let body = try Self.json(request)
            let direct = body?["post_mode"] as? String == PostMode.directPost.rawValue
            return need([direct ? "video.publish" : "video.upload"]) ?? limited("content_init", 6)
                ?? body.map { initPhoto($0, caller: caller) } ?? Self.notJSON
        case ("POST", "/v2/post/publish/status/fetch/"):
            let body = try Self.json(request)
            return need(["video.upload", "video.publish"]) ?? limited("status", 30)
                ?? body.map { status($0["publish_id"] as? String ?? "", caller: caller) } ?? Self.notJSON
        case ("POST", "/v2/post/publish/cancel/"):
            let body = try Self.json(request)
            return need(["video.upload", "video.publish"]) ?? body.map { cancel($0["publish_id"] as? String ?? "", caller: caller) } ?? Self.notJSON
        case ("GET", "/v2/user/info/"):
            return need(["user.info.basic"]) ?? limited("user_info", 600)
                ?? userInfo(fields: (request.queryItems["fields"] ?? "").split(separator: ",").map(String.init), caller: caller)
        default:
            _ = try request.discardBody()
            return Self.error(404, "invalid_param", "Unknown endpoint \(request.method) \(request.path).")
        }
    }

    /// A request body as a JSON object: empty for an empty body, nil for one that is not a JSON
    /// object (answered with ``notJSON`` after the scope and rate-limit checks, as any other
    /// refusal, not with a complaint about a field it may well hold).
    static func json(_ request: HTTPServerRequest) throws -> [String: Any]? {
        let data = try request.readAll(limit: 1 << 20)
        guard !data.isEmpty else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The answer to a body that is not a JSON object.
    static var notJSON: HTTPServerResponse {
        invalidParams("The request body is not a valid JSON object.")
    }
}
