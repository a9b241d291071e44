import Foundation
import TikTokKit

/// `POST /v2/post/publish/status/fetch/` and `/v2/post/publish/cancel/`: only the user who made
/// a publish may see or cancel it.
extension TikTokEmulator {
    // Made per answer: each carries a log_id of its own, as TikTok's do.
    private static var notYours: HTTPServerResponse {
        error(400, .tokenNotAuthorizedForSpecifiedPublishID, "The access token is not authorized for the specified publish_id.")
    }
    private static var unknownPublish: HTTPServerResponse { error(400, .invalidPublishID, "The publish_id does not exist.") }

    func status(_ id: String, caller: Caller) -> HTTPServerResponse {
        guard let (publish, report) = locked({ state in state.publishes[id].map { ($0, record($0)) } }) else {
            return Self.unknownPublish
        }
        guard publish.creator == caller.grant.user else { return Self.notYours }
        var data: [String: Any] = ["status": report.status, "publicaly_available_post_id": [UInt64]()]
        if report.status == PublishStatus.publishComplete.rawValue, let postID = publish.postID {
            data["publicaly_available_post_id"] = [postID]
        }
        if let reason = report.failReason { data["fail_reason"] = reason }
        data[publish.source == .fileUpload ? "uploaded_bytes" : "downloaded_bytes"] = publish.received
        return Self.ok(data)
    }

    func cancel(_ id: String, caller: Caller) -> HTTPServerResponse {
        enum Outcome { case unknown, notCancellable, cancelled, notYours }
        let outcome = locked { state -> Outcome in
            guard let publish = state.publishes[id] else { return .unknown }
            guard publish.creator == caller.grant.user else { return .notYours }
            guard publish.source == .pullFromURL, publish.completedAt == nil, publish.failReason == nil else { return .notCancellable }
            state.publishes[id]?.failReason = .publishCancelled
            return .cancelled
        }
        switch outcome {
        case .unknown: return Self.unknownPublish
        case .notCancellable: return Self.error(400, .publishNotCancellable, "The publish is not cancellable.")
        case .notYours: return Self.notYours
        case .cancelled:
            announceStatus(of: id)
            return Self.encoded(["error": Self.okError()])
        }
    }

    /// What inspection shows of a publish, with its status computed now.
    func record(_ publish: Publish) -> Upload {
        let (status, reason) = publish.status(processingDelay: configuration.processingDelay, now: now)
        var sha: String?
        if publish.completedAt != nil, var hasher = publish.hasher { sha = hasher.finalize().hexString }
        return Upload(publishID: publish.id, source: publish.source.rawValue, mediaType: publish.mediaType.rawValue,
                      isDirectPost: publish.direct, status: status.rawValue, failReason: reason?.rawValue,
                      videoSize: publish.videoSize, chunkSize: publish.chunkSize, chunkCount: publish.chunkCount,
                      receivedBytes: publish.received, sha256: sha, chunks: publish.chunks, violations: publish.violations,
                      title: publish.title, privacyLevel: publish.privacy?.rawValue, creator: publish.creator,
                      isReceiving: publish.receiving)
    }
}
