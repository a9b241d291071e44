import Foundation

/// Polls the status endpoint until a publish reaches a final state: a small state machine over
/// PROCESSING_UPLOAD / PROCESSING_DOWNLOAD (keep waiting), SEND_TO_USER_INBOX (final for drafts),
/// PUBLISH_COMPLETE (final) and FAILED (an error carrying the fail reason). Its errors name no
/// publish: the caller runs it inside its own attribution (the uploader's `run`, the client's wait).
struct StatusPoller {
    let service: UploadService
    let options: UploadOptions

    /// Which statuses end the wait.
    enum Goal {
        /// Drafts: the inbox notification was sent (or the user already posted).
        case inbox
        /// Direct posts: posted.
        case published
    }

    func wait(for publishID: String, goal: Goal, report: @Sendable (PublishStatus) async -> Void) async throws -> PublishResult {
        let policy = options.statusPolling
        let start = options.now()
        let deadline = policy.deadline.inSeconds
        var interval = policy.initialInterval
        var undecodable = 0
        while true {
            try Task.checkCancellation()
            do {
                // No status call (its rate-limit wait included) runs past the wait's own deadline.
                let left = deadline - options.now().timeIntervalSince(start)
                let statusReport = try await service.publishStatus(publishID, .now + .milliseconds(Int64(max(left, 0) * 1000)))
                undecodable = 0
                service.record(TikTokEvent(.statusPoll, message: "status of \(publishID): \(statusReport.status)", publishID: publishID,
                                          reason: statusReport.failReason?.rawValue, publishStatus: statusReport.status))
                await report(statusReport.status)
                switch statusReport.status {
                case .failed:
                    let reason = statusReport.failReason ?? FailReason(rawValue: "unknown")
                    throw TikTokError(.publishFailed(reason), message: "TikTok reported FAILED: \(Secrets.printable(reason.rawValue))")
                case .publishComplete:
                    return PublishResult(publishID: publishID, status: .publishComplete,
                                         publiclyAvailablePostIDs: statusReport.publiclyAvailablePostIDs)
                case .sendToUserInbox where goal == .inbox:
                    return PublishResult(publishID: publishID, status: .sendToUserInbox,
                                         publiclyAvailablePostIDs: statusReport.publiclyAvailablePostIDs)
                default:
                    break   // Still processing (or an unknown, non-final status): keep waiting.
                }
            } catch let error as TikTokError where error.kind == .undecodableResponse {
                // A gateway's page now and then is weather; a status answer that never parses
                // (wrong types, an impossible post ID) will not parse on the next poll either.
                undecodable += 1
                if undecodable >= 3 { throw error }
            } catch let error as TikTokError where error.classification == .retryLater && !Self.isFinal(error) {
                // Rate limits, 5xx and network trouble do not end the wait; the deadline does.
            }
            // The wait runs to the deadline, not to the last poll that fits before it: when the next
            // interval would cross it, sleep what is left and poll once more at the deadline.
            let remaining = deadline - options.now().timeIntervalSince(start)
            guard remaining >= 0.001 else {
                throw TikTokError(.upload(.statusDeadlineExceeded), message: "no final status after \(policy.deadline.inSeconds) s")
            }
            try await options.sleep(min(interval, .milliseconds(Int64((remaining * 1000).rounded(.up)))))
            interval = min(policy.maxInterval, interval * policy.backoff)
        }
    }

    private static func isFinal(_ error: TikTokError) -> Bool {
        error.kind.failReason != nil
    }
}
