import Foundation
import TikTokKit

/// Applying an injected or random fault to a request.
extension TikTokEmulator {
    /// Applies a fault; nil when the request should then be handled normally (a stall).
    func apply(_ fault: Fault, to request: HTTPServerRequest, readBody: Bool = true) throws -> HTTPServerResponse? {
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
        locked { $0.faultCounts[name, default: 0] += 1 }
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
}
