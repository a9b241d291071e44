import Foundation
import TikTokKit

/// The chunk upload host: `PUT <upload_url>` with `Content-Range`, answered 206, 201, 416, 403
/// or 404 as TikTok's media transfer guide says.
extension TikTokEmulator {
    /// What a chunk PUT needs to know of its publish: copied out under the lock, so the publish's
    /// growing chunk list is never copied (each PUT costs the same, however many came before).
    private struct Target {
        var isFileUpload: Bool
        var uploadToken: String?
        var total: Int64
        var received: Int64
        var expiresAt: ContinuousClock.Instant
    }

    func receiveChunk(_ request: HTTPServerRequest) throws -> HTTPServerResponse {
        let id = request.queryItems["upload_id"] ?? ""
        var chunk = ChunkRecord(contentRange: request.headers["Content-Range"], contentType: request.headers["Content-Type"],
                                contentLength: request.contentLength, status: 0)
        let expiryRate = configuration.expiryRate, faultRate = configuration.chunkFaultRate
        let (fault, known) = locked { state -> (Fault?, Target?) in
            state.chunkRequests += 1
            let expiry: Fault? = expiryRate > 0 && state.chance(expiryRate) ? .expireUploadURL : nil
            let fault = state.chunkFaults[state.chunkRequests] ?? expiry ?? state.randomFault(rate: faultRate)
            return (fault, state.publishes[id].map {
                Target(isFileUpload: $0.source == .fileUpload, uploadToken: $0.uploadToken, total: $0.videoSize,
                       received: $0.received, expiresAt: $0.expiresAt)
            })
        }
        func finish(_ response: HTTPServerResponse, violation: String? = nil) -> HTTPServerResponse {
            chunk.status = response.status
            locked { state in
                state.publishes[id]?.chunks.append(chunk)
                if let violation { state.publishes[id]?.violations.append(violation) }
            }
            return response
        }
        func violation(_ text: String) { locked { $0.publishes[id]?.violations.append(text) } }
        guard let publish = known, publish.isFileUpload else {
            _ = try request.discardBody()
            return HTTPServerResponse(status: 404)
        }
        if request.headers.contains("Authorization") { violation("an Authorization header was sent to the upload host") }
        // The upload URL is the credential: a PUT to it without its token (a client that rebuilt
        // or truncated the URL) is refused, as the token is all TikTok's host checks.
        guard let token = request.queryItems["upload_token"], token == publish.uploadToken else {
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 403, headers: Self.reason("the upload_token is missing or not the one the init returned: PUT to the exact upload_url")),
                          violation: "a chunk PUT without the upload URL's upload_token (or with another one)")
        }
        // A chunked body is accepted (its length is known once it is read), and recorded: TikTok's
        // guide sends every chunk with Content-Length.
        if request.isChunked { violation("a chunk was sent with Transfer-Encoding: chunked, not Content-Length") }
        guard self.now < publish.expiresAt else {
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 403))
        }
        let total = publish.total
        let have = publish.received
        let progress: TikTokHTTPHeaders = ["Content-Range": have == 0 ? "bytes */\(total)" : "bytes 0-\(have - 1)/\(total)"]
        guard let (first, last) = Self.strictRange(request.headers["Content-Range"], total: total),
              request.isChunked || request.contentLength == last - first + 1 else {
            _ = try request.discardBody()
            let why = "Content-Range \(request.headers["Content-Range"] ?? "(missing)") does not describe the body: send `bytes FIRST-LAST/\(total)` with Content-Length LAST-FIRST+1"
            return finish(HTTPServerResponse(status: 416, headers: Self.reason(why, adding: progress)), violation: why)
        }
        guard ["video/mp4", "video/quicktime", "video/webm"].contains(request.headers["Content-Type"] ?? "") else {
            _ = try request.discardBody()
            let why = "Content-Type \(request.headers["Content-Type"] ?? "(missing)") is not a video type (video/mp4, video/quicktime or video/webm)"
            return finish(HTTPServerResponse(status: 400, headers: Self.reason(why)), violation: why)
        }
        if fault == .expireUploadURL {
            let now = self.now
            locked { state in
                state.faultCounts["expireUploadURL", default: 0] += 1
                state.publishes[id]?.expiresAt = now
            }
            _ = try request.discardBody()
            return finish(HTTPServerResponse(status: 403))
        }
        if let fault, fault != .dropAnswer, let response = try apply(fault, to: request, readBody: false) {
            return finish(response)
        }
        // Reserve the range: a PUT that overlaps one still being received is refused.
        let reserved = locked { state -> Bool in
            guard state.publishes[id]?.receiving == false, state.publishes[id]?.received == first else { return false }
            state.publishes[id]?.receiving = true
            return true
        }
        guard reserved else {
            _ = try request.discardBody()
            let concurrent = locked { $0.publishes[id]?.receiving == true }
            return finish(HTTPServerResponse(status: 416, headers: progress),
                          violation: concurrent ? "a chunk PUT overlapped another one still in progress (chunks must be sequential)" : nil)
        }
        let count: Int64
        // Only a chunked body can turn out longer or shorter than its range once read.
        let kept = request.isChunked ? media.capture(of: id) : nil
        do {
            count = try store(request, for: id, at: first, limit: last - first + 1)
        } catch {
            locked { $0.publishes[id]?.receiving = false }
            throw error
        }
        guard count == last - first + 1 else {
            // A chunked body shorter or longer than its Content-Range: nothing of it counts (the
            // hasher was left as it was; the kept bytes are put back; a stored file is overwritten
            // by the retry).
            if let kept { media.restore(kept, for: id) }
            locked { $0.publishes[id]?.receiving = false }
            let why = "the body had \(count) bytes, its Content-Range \(last - first + 1)"
            return finish(HTTPServerResponse(status: 416, headers: Self.reason(why, adding: progress)), violation: why)
        }
        let (stored, contentTypes) = locked { state -> (Int64, [String?]) in
            state.publishes[id]?.receiving = false
            state.publishes[id]?.received += count
            state.publishes[id]?.acceptedContentTypes.append(chunk.contentType)
            return (state.publishes[id]?.received ?? 0, state.publishes[id]?.acceptedContentTypes ?? [])
        }
        if stored == total {
            // Probed before completedAt is set, so no status shows the upload finished unchecked.
            let verdict = media.inspectUpload(id, storedFile: storedFile(for: id), contentTypes: contentTypes)
            let now = self.now
            locked { $0.publishes[id]?.complete(with: verdict, at: now) }
            announceOutcome(of: id)
        }
        let response = finish(HTTPServerResponse(status: stored == total ? 201 : 206, headers: ["Content-Range": "bytes 0-\(stored - 1)/\(total)"]))
        if fault == .dropAnswer {
            locked { $0.faultCounts["dropAnswer", default: 0] += 1 }
            return .reset()   // stored, but the client never hears so
        }
        return response
    }

    /// Writes (or discards) a chunk's body, hashing it; without a store, what the media checks
    /// need of it is kept.
    private func store(_ request: HTTPServerRequest, for id: String, at offset: Int64, limit: Int64) throws -> Int64 {
        let handle = try storedFile(for: id).map { try FileHandle(forWritingTo: $0) }
        defer { try? handle?.close() }
        try handle?.seek(toOffset: UInt64(offset))
        var count: Int64 = 0
        var hasher = locked { $0.publishes[id]?.hasher }
        while true {
            let read = try request.read(upTo: 1 << 20) { bytes in
                // Only the range's bytes are kept (a chunked body may run past it; it is refused).
                let keep = UnsafeRawBufferPointer(rebasing: bytes.prefix(Int(max(0, min(Int64(bytes.count), limit - count)))))
                guard !keep.isEmpty else { return }
                hasher?.update(keep)
                if let handle { try? handle.write(contentsOf: Data(keep)) } else { media.received(keep, at: offset + count, for: id) }
            }
            if read == 0 { break }
            count += Int64(read)
        }
        if count == limit { locked { $0.publishes[id]?.hasher = hasher } }
        return count
    }

    /// `Content-Range: bytes FIRST-LAST/TOTAL` exactly as TikTok's guide writes it (lowercase
    /// `bytes`, one space, decimal numbers, the init's total), for a range inside the file; nil
    /// for anything else. Stricter than the response parser the SDK uses, on purpose: a client
    /// that sends `bytes=0-9/10` would pass a lenient check and fail at TikTok.
    static func strictRange(_ header: String?, total: Int64) -> (first: Int64, last: Int64)? {
        guard let header, header.hasPrefix("bytes "), !header.contains("  ") else { return nil }
        let spec = header.dropFirst("bytes ".count)
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "\(total)" else { return nil }
        let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let first = Int64(bounds[0]), let last = Int64(bounds[1]), first <= last, last < total else { return nil }
        return (first, last)
    }

    /// Headers that say, in plain words, why the sandbox refused a chunk: TikTok's upload host
    /// answers with an empty body, and so does the sandbox, but a developer reading the exchange
    /// (curl -i, a proxy) sees `X-Sandbox-Reason`. TikTok sends no such header. (The text quotes
    /// what the client sent; the server's response writer keeps control characters out of it.)
    static func reason(_ text: String, adding headers: TikTokHTTPHeaders = [:]) -> TikTokHTTPHeaders {
        var headers = headers
        headers.add(name: "X-Sandbox-Reason", value: text)
        return headers
    }
}
