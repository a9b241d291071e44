import Foundation
import TikTokKit

/// Webhooks: with ``Configuration/webhookURL`` set, the emulator POSTs TikTok's events there as
/// TikTok does: the envelope `client_key`, `event`, `create_time`, `user_openid` and `content`
/// (a JSON object serialised into a string), signed in `TikTok-Signature: t=…,s=…` with
/// HMAC-SHA256 of `"<t>.<body>"` under the client secret, and retried with exponential backoff
/// until the receiver answers 200 (TikTok: for up to 72 hours).
extension TikTokEmulator {
    /// The events the emulator sends, by TikTok's names.
    enum WebhookEventName: String {
        case inboxDelivered = "post.publish.inbox_delivered"
        case complete = "post.publish.complete"
        case failed = "post.publish.failed"
        case publiclyAvailable = "post.publish.publicly_available"
        case authorizationRemoved = "authorization.removed"
    }

    /// After a publish's bytes are all in (or its download ended), waits out the processing
    /// delay and sends what the publish became: inbox delivered, complete (then publicly
    /// available for a public post), or failed.
    func announceOutcome(of id: String) {
        guard configuration.webhookURL != nil else { return }
        let delay = configuration.processingDelay
        Task { [weak self] in
            if delay > .zero { try? await Task.sleep(for: delay) }
            self?.announceStatus(of: id)
        }
    }

    /// Sends the event for a publish's status now, if it has one to report.
    func announceStatus(of id: String) {
        guard configuration.webhookURL != nil else { return }
        let now = self.now, delay = configuration.processingDelay
        guard let publish = locked({ $0.publishes[id] }) else { return }
        let (status, reason) = publish.status(processingDelay: delay, now: now)
        let type = publish.direct ? "DIRECT_PUBLISH" : "INBOX_SHARE"
        switch status {
        case .sendToUserInbox:
            sendWebhook(.inboxDelivered, user: publish.creator, content: ["publish_id": id, "publish_type": type])
        case .publishComplete:
            sendWebhook(.complete, user: publish.creator, content: ["publish_id": id, "publish_type": type])
            if let postID = publish.postID {
                // Observed on the wire: post_id as a string.
                sendWebhook(.publiclyAvailable, user: publish.creator,
                            content: ["publish_id": id, "publish_type": type, "post_id": String(postID)])
            }
        case .failed:
            sendWebhook(.failed, user: publish.creator,
                        content: ["publish_id": id, "publish_type": type, "reason": reason?.rawValue ?? FailReason.internal.rawValue])
        default:
            break
        }
    }

    /// Signs and delivers one event, retrying on anything but a 200.
    func sendWebhook(_ event: WebhookEventName, user: String, content: [String: Any]) {
        guard let url = configuration.webhookURL else { return }
        let contentText = String(decoding: (try? JSONSerialization.data(withJSONObject: content, options: [.sortedKeys])) ?? Data("{}".utf8),
                                 as: UTF8.self)
        let envelope: [String: Any] = ["client_key": configuration.clientKey, "event": event.rawValue,
                                       "create_time": Int(Date().timeIntervalSince1970), "user_openid": user, "content": contentText]
        let body = (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])) ?? Data()
        let index = locked { state in
            state.webhooks.append(WebhookRecord(event: event.rawValue, userOpenID: user, content: contentText))
            return state.webhooks.count - 1
        }
        let secret = Array(configuration.clientSecret.utf8), resign = configuration.webhookResignsRetries
        let base = configuration.webhookRetryBaseDelay, window = configuration.webhookRetryWindow
        func signature() -> String {
            let t = Int(Date().timeIntervalSince1970)
            return "t=\(t),s=" + HMACSHA256.authenticationCode(for: Array("\(t).".utf8) + Array(body), key: secret).hexString
        }
        let first = signature()
        let transport = downloader
        Task { [weak self] in
            var waited = Duration.zero
            var attempt = 0
            while true {
                var request = TikTokHTTPRequest(method: .post, url: url, body: .bytes(body))
                request.headers["Content-Type"] = "application/json"
                request.headers["TikTok-Signature"] = attempt == 0 || !resign ? first : signature()
                let status = (try? await transport.send(request))?.status ?? 0
                // The emulator is held only for this update, never across the backoff's sleep, and
                // a deliverer whose emulator is gone stops.
                let recorded: Void? = self?.locked { state in
                    state.webhooks[index].attempts.append(status)
                    if status == 200 { state.webhooks[index].delivered = true }
                }
                if recorded == nil || status == 200 { return }
                let delay = base * (1 << min(attempt, 30))
                attempt += 1
                waited += delay
                guard waited <= window else { return }
                try? await Task.sleep(for: delay)
            }
        }
    }
}
