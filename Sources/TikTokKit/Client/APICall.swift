import Foundation

extension TikTokClient {
    /// Sends one JSON call and decodes its envelope, deciding success from `error.code`.
    ///
    /// - Rate limit: waits for the endpoint's bucket first; a 429 blocks the bucket.
    /// - `access_token_invalid`: asks the token provider for a new token and retries once.
    /// - Deadline: each attempt gets ``Configuration/requestTimeout``, or what is left before
    ///   `deadline` when that is sooner, and a rate-limit wait that would pass `deadline` fails
    ///   at once instead of sleeping through it.
    func call<Body: Encodable & Sendable, Payload: Codable & Sendable>(
        _ endpoint: Endpoint,
        body: Body?,
        query: [URLQueryItem] = [],
        deadline: ContinuousClock.Instant? = nil,
        expecting: Payload.Type
    ) async throws -> Payload {
        let (payload, response) = try await callAllowingEmptyData(endpoint, body: body, query: query, deadline: deadline,
                                                                  expecting: Payload.self)
        guard let payload else {
            throw TikTokError(.undecodableResponse, message: "TikTok reported success without the expected data",
                              logID: response.headers["x-tt-logid"], httpStatus: response.status,
                              endpoint: endpoint.path, responseExcerpt: TikTokError.excerpt(of: response.body))
        }
        return payload
    }

    /// Like ``call(_:body:query:expecting:)``, for endpoints whose success may carry no `data`.
    func callAllowingEmptyData<Body: Encodable & Sendable, Payload: Codable & Sendable>(
        _ endpoint: Endpoint,
        body: Body?,
        query: [URLQueryItem] = [],
        deadline: ContinuousClock.Instant? = nil,
        expecting: Payload.Type
    ) async throws -> (Payload?, TikTokHTTPResponse) {
        var token = try await tokenProvider.accessToken()
        var refreshed = false
        var rateLimitRetries = 0
        while true {
            do {
                return try await attempt(endpoint, body: body, query: query, token: token, deadline: deadline,
                                         expecting: Payload.self)
            } catch let error as TikTokError where error.isAPIError(.rateLimitExceeded) && error.httpStatus == 429
                        && rateLimitRetries < 2 && rateLimiter.policy == .wait {
                // TikTok refused the call before acting on it (nothing was created, even for an
                // init): wait as the limiter now says (its Retry-After, at most one window), then
                // send it again.
                rateLimitRetries += 1
                record(TikTokEvent(.retry, message: "\(endpoint.path): HTTP 429 rate_limit_exceeded; retrying after the limiter's wait",
                                   method: endpoint.method.rawValue, endpoint: endpoint.path, status: 429, attempt: rateLimitRetries + 1,
                                   reason: APIErrorCode.rateLimitExceeded.rawValue, bucket: endpoint.bucket?.name, logID: error.logID))
            } catch let error as TikTokError where error.isAPIError(.accessTokenInvalid) && !refreshed {
                refreshed = true
                guard let fresh = try await tokenProvider.refreshAfterRejection(of: token) else { throw error }
                record(TikTokEvent(.retry, message: "\(endpoint.path): access token rejected; retrying once with a refreshed token",
                                   method: endpoint.method.rawValue, endpoint: endpoint.path, status: error.httpStatus, attempt: 2,
                                   reason: APIErrorCode.accessTokenInvalid.rawValue, logID: error.logID))
                token = fresh
            } catch let error as TikTokError where endpoint.createsPublish && Self.outcomeIsUnknown(error) {
                throw Self.scrubbed(Self.unknownInitOutcome(error), token: token)
            } catch let error as TikTokError {
                throw Self.scrubbed(error, token: token)
            }
        }
    }

    /// The error with the token, and anything token-shaped, removed from every text the server
    /// chose: a hostile proxy may echo the `Authorization` header into a message or a log ID.
    static func scrubbed(_ error: TikTokError, token: String) -> TikTokError {
        var error = error
        error.message = Secrets.scrub(error.message, removing: [token])
        error.logID = error.logID.map { Secrets.scrub($0, removing: [token]) }
        error.responseExcerpt = error.responseExcerpt.map { Secrets.scrub($0, removing: [token]) }
        return error
    }

    /// Whether a failed call may have reached TikTok: the connection broke after sending, or a
    /// gateway answered instead of TikTok.
    static func outcomeIsUnknown(_ error: TikTokError) -> Bool {
        switch error.kind.storage {
        case .transport(let kind):
            return ![.cannotResolveHost, .connectionRefused, .cannotConnect, .tls, .invalidRequest, .fileUnreadable,
                     .cancelled].contains(kind)
        case .http(let status):
            return status >= 500
        case .undecodableResponse:
            return true
        case .api(let code):
            // A 5xx (or internal_error) from TikTok itself: the publish may have been created.
            return (error.httpStatus ?? 0) >= 500 || code == .internalError
        default:
            return false
        }
    }

    /// An init that may have created a publish must not be retried blindly: say so.
    static func unknownInitOutcome(_ error: TikTokError) -> TikTokError {
        var unknown = TikTokError(.upload(.initOutcomeUnknown),
                                  message: "init failed after it was sent (\(error.code)); TikTok may have created the post",
                                  logID: error.logID, httpStatus: error.httpStatus, endpoint: error.endpoint,
                                  transportError: error.transportError)
        unknown.responseExcerpt = error.responseExcerpt
        return unknown
    }

    private func attempt<Body: Encodable & Sendable, Payload: Codable & Sendable>(
        _ endpoint: Endpoint, body: Body?, query: [URLQueryItem], token: String,
        deadline: ContinuousClock.Instant?, expecting: Payload.Type
    ) async throws -> (Payload?, TikTokHTTPResponse) {
        let tokenKey = Self.rateLimitKey(for: token)
        var ticket: RateLimiter.Ticket?
        if let bucket = endpoint.bucket {
            let asked = ContinuousClock.now
            ticket = try await rateLimiter.acquire(bucket, tokenKey: tokenKey, maxWait: deadline.map { max($0 - .now, .zero) })
            let waited = ContinuousClock.now - asked
            if waited >= .milliseconds(1) {
                record(TikTokEvent(.rateLimitWait, message: "\(endpoint.path): waited \(waited.brief) for the \(bucket.name) rate limit",
                                   method: endpoint.method.rawValue, endpoint: endpoint.path, delay: waited, bucket: bucket.name))
            }
        }
        var request = TikTokHTTPRequest(method: endpoint.method, url: try url(for: endpoint, query: query))
        request.timeout = configuration.requestTimeout
        if let deadline {
            // A call sent at its deadline (the status wait's last poll) still gets a second for
            // its answer.
            request.timeout = min(configuration.requestTimeout, max(deadline - .now, .seconds(1)))
        }
        request.headers["Authorization"] = "Bearer \(token)"
        if endpoint.method != .get {
            // TikTok documents this header for every JSON endpoint, body or not (creator info has none).
            request.headers["Content-Type"] = "application/json; charset=UTF-8"
        }
        if let body {
            request.body = .bytes(try JSONEncoder().encode(body))
        }
        let response: TikTokHTTPResponse
        let sent = ContinuousClock.now
        do {
            response = try await send(request, endpoint: endpoint)
        } catch {
            if let ticket { await rateLimiter.finished(ticket) }
            let reason = (error as? TikTokError).map { "\($0.kind)" } ?? "\(error)"
            record(TikTokEvent(.apiCall, message: "\(endpoint): failed (\(reason))", method: endpoint.method.rawValue, url: request.url.absoluteString,
                               endpoint: endpoint.path, duration: ContinuousClock.now - sent, reason: reason, bucket: endpoint.bucket?.name))
            throw error
        }
        // TikTok counted the call when it arrived, before now: hold its slot from now.
        if let ticket { await rateLimiter.finished(ticket) }
        let logIDHeader = response.headers["x-tt-logid"]
        record(TikTokEvent(.apiCall, message: "\(endpoint): HTTP \(response.status)\(logIDHeader.map { " log_id \($0)" } ?? "")",
                           method: endpoint.method.rawValue, url: request.url.absoluteString, endpoint: endpoint.path,
                           status: response.status, duration: ContinuousClock.now - sent, bytes: Int64(response.body.count),
                           bucket: endpoint.bucket?.name, logID: logIDHeader.map { Secrets.scrub($0, removing: [token]) }))

        if response.status == 429, let bucket = endpoint.bucket {
            await rateLimiter.didReceiveRateLimit(bucket, tokenKey: tokenKey,
                                                  retryAfter: Duration(retryAfter: response.headers["Retry-After"]))
        }
        let envelope: APIEnvelope<Payload>
        do {
            envelope = try JSONDecoder().decode(APIEnvelope<Payload>.self, from: response.body)
        } catch {
            throw Self.undecodable(response, endpoint: endpoint, logID: logIDHeader)
        }
        guard envelope.error.code == .ok else {
            throw TikTokError(.api(envelope.error.code), message: Secrets.scrub(envelope.error.message),
                              logID: envelope.error.logID ?? logIDHeader, httpStatus: response.status,
                              endpoint: endpoint.path)
        }
        return (envelope.data, response)
    }

    /// Sends through the transport, turning transport failures into ``TikTokError``.
    func send(_ request: TikTokHTTPRequest, endpoint: Endpoint) async throws -> TikTokHTTPResponse {
        do {
            return try await transport.send(request)
        } catch let error as TransportError {
            throw TikTokError(.transport(error.kind), message: error.message, endpoint: endpoint.path, transportError: error)
        }
    }

    func url(for endpoint: Endpoint, query: [URLQueryItem] = []) throws -> URL {
        guard var components = URLComponents(url: configuration.baseURL, resolvingAgainstBaseURL: false) else {
            throw TikTokError.validation("baseURL", "the base URL is not a valid URL")
        }
        // Tokens travel in headers: never over plain http, except to this machine (the sandbox).
        guard Validation.isSecure(scheme: components.scheme, host: components.host ?? "") else {
            throw TikTokError.validation("baseURL", "the base URL must use https (plain http is allowed only for 127.0.0.1 or localhost)")
        }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = basePath + endpoint.path
        components.queryItems = query.isEmpty ? nil : query
        guard let url = components.url else {
            throw TikTokError.validation("baseURL", "cannot build a URL for \(endpoint.path)")
        }
        return url
    }

    /// An error for a body that is not a TikTok envelope: an HTTP error if the status says so.
    static func undecodable(_ response: TikTokHTTPResponse, endpoint: Endpoint, logID: String?) -> TikTokError {
        let excerpt = TikTokError.excerpt(of: response.body)
        if !response.isSuccess {
            return TikTokError(.http(status: response.status), message: "HTTP \(response.status) without a TikTok error body",
                               logID: logID, httpStatus: response.status, endpoint: endpoint.path, responseExcerpt: excerpt)
        }
        return TikTokError(.undecodableResponse, message: "the response was not the JSON TikTok documents",
                           logID: logID, httpStatus: response.status, endpoint: endpoint.path, responseExcerpt: excerpt)
    }

    /// A stable key for a token that does not keep the token itself.
    static func rateLimitKey(for token: String) -> String {
        String(SHA256.hash(Array(token.utf8)).hexString.prefix(16))
    }

}

