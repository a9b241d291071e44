import Foundation
import Testing
@_spi(Testing) import TikTokKit

@Suite("Webhooks")
struct WebhookTests {
    private let secret = "secret"
    private let signedAt: Int64 = 1_633_174_587

    private func verifier(now: Int64? = nil, cache: WebhookReplayCache? = nil) -> WebhookVerifier {
        let instant = Date(timeIntervalSince1970: TimeInterval(now ?? signedAt))
        return WebhookVerifier(clientSecret: secret, replayCache: cache, now: { instant })
    }

    @Test func aSubSecondToleranceIsHonouredNotTruncatedToZero() throws {
        let header = sign(#"{"a":1}"#, at: signedAt)
        func verify(after seconds: Double) throws {
            let verifier = WebhookVerifier(clientSecret: secret, tolerance: .milliseconds(500), replayCache: nil,
                                           now: { Date(timeIntervalSince1970: TimeInterval(self.signedAt) + seconds) })
            _ = try verifier.verify(signatureHeader: header, body: Data(#"{"a":1}"#.utf8))
        }
        try verify(after: 0.4)   // inside 0.5 s (a truncating conversion made the tolerance 0 s)
        #expect(throws: TikTokError.self) { try verify(after: 0.6) }
    }

    private func sign(_ body: String, at timestamp: Int64) -> String {
        let mac = HMACSHA256.authenticationCode(for: Array("\(timestamp).\(body)".utf8), key: Array(secret.utf8))
        return "t=\(timestamp),s=\(mac.hexString)"
    }

    @Test func acceptsTikToksDocumentedExample() throws {
        let header = "t=1633174587,s=7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820"
        let signature = try verifier().verify(signatureHeader: header, body: Data(#"{"a":1}"#.utf8))
        #expect(signature.timestamp == 1_633_174_587)
    }

    @Test func rejectsATamperedBody() {
        let header = "t=1633174587,s=7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820"
        #expect(throws: TikTokError.self) { try verifier().verify(signatureHeader: header, body: Data(#"{"a":2}"#.utf8)) }
        #expect(throws: TikTokError.self) { try verifier().verify(signatureHeader: header, body: Data(#"{"a": 1}"#.utf8)) }
    }

    @Test func rejectsAWrongSecret() {
        let header = sign("{}", at: signedAt)
        let other = WebhookVerifier(clientSecret: "other", replayCache: nil, now: { Date(timeIntervalSince1970: 1_633_174_587) })
        #expect(throws: TikTokError.self) { try other.verify(signatureHeader: header, body: Data("{}".utf8)) }
    }

    @Test func rejectsOldAndFutureTimestampsOutsideTheTolerance() throws {
        let header = sign("{}", at: signedAt)
        try verifier(now: signedAt + 300).verify(signatureHeader: header, body: Data("{}".utf8))
        #expect(throws: TikTokError.self) { try verifier(now: signedAt + 301).verify(signatureHeader: header, body: Data("{}".utf8)) }
        #expect(throws: TikTokError.self) { try verifier(now: signedAt - 301).verify(signatureHeader: header, body: Data("{}".utf8)) }
    }

    @Test func rejectsAReplayOfAnAcceptedDelivery() throws {
        let cache = WebhookReplayCache()
        let header = sign(#"{"x":1}"#, at: signedAt)
        try verifier(cache: cache).verify(signatureHeader: header, body: Data(#"{"x":1}"#.utf8))
        #expect(throws: TikTokError.self) {
            try verifier(now: signedAt + 10, cache: cache).verify(signatureHeader: header, body: Data(#"{"x":1}"#.utf8))
        }
    }

    @Test func receiveTellsANewEventFromADuplicateSoBothCanBeAnswered200() throws {
        let cache = WebhookReplayCache()
        let body = #"{"client_key":"k","event":"post.publish.complete","create_time":1633174587,"user_openid":"u","content":"{\"publish_id\":\"v_pub_file~v2-1.1\",\"publish_type\":\"DIRECT_PUBLISH\"}"}"#
        let header = sign(body, at: signedAt)
        let first = try verifier(cache: cache).receive(signatureHeader: header, body: Data(body.utf8))
        #expect(!first.isDuplicate)
        guard case .publishComplete(let content) = first.event.kind else { Issue.record("\(first)"); return }
        #expect(content.publishID == "v_pub_file~v2-1.1")
        #expect(content.publishType == "DIRECT_PUBLISH")
        // TikTok retrying the same delivery (its first signature, an hour later): still verified,
        // reported as a duplicate, so the endpoint answers 200 and TikTok stops.
        let retried = WebhookVerifier(clientSecret: secret, tolerance: WebhookVerifier.tikTokRetryWindow, replayCache: cache,
                                      now: { Date(timeIntervalSince1970: TimeInterval(self.signedAt + 3600)) })
        let again = try retried.receive(signatureHeader: header, body: Data(body.utf8))
        #expect(again.isDuplicate)
        #expect(again.event == first.event)
        // verify(…) keeps refusing replays; a bad signature or a stale one still throws from receive.
        #expect(throws: TikTokError.self) { try verifier(cache: cache).verify(signatureHeader: header, body: Data(body.utf8)) }
        #expect(throws: TikTokError.self) { try verifier(cache: cache).receive(signatureHeader: header, body: Data((body + " ").utf8)) }
        #expect(throws: TikTokError.self) {
            try verifier(now: signedAt + 3600, cache: WebhookReplayCache()).receive(signatureHeader: header, body: Data(body.utf8))
        }
        #expect(WebhookVerifier.tikTokRetryWindow == .seconds(259_200))
    }

    @Test(arguments: [
        "", "t=1633174587", "s=7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820",
        "t=abc,s=7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820",
        "t=1633174587,s=zz51550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820",
        "t=1633174587,s=7151", "garbage", "t=1,t=2,s=7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820",
        "t=-5,s=7151550f9bebe052d14d518d957d02727224ec1912baffb80d34739a3b149820",
    ])
    func rejectsMalformedHeaders(header: String) {
        #expect {
            try verifier().verify(signatureHeader: header, body: Data("{}".utf8))
        } throws: { ($0 as? TikTokError)?.kind == .validation(field: "TikTok-Signature") }
    }

    @Test func rejectsAMissingHeader() {
        #expect(throws: TikTokError.self) { try verifier().verify(signatureHeader: nil, body: Data()) }
    }

    private func event(_ name: String, _ content: String) throws -> WebhookEvent {
        let escaped = content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let body = #"{"client_key":"bwo2m45353a6k85","event":"\#(name)","create_time":1615338610,"user_openid":"act.example","content":"\#(escaped)"}"#
        return try WebhookEvent(json: Data(body.utf8))
    }

    @Test func decodesPublishEvents() throws {
        let complete = try event("post.publish.complete", #"{"publish_id":"v_inbox_file~v2.1","publish_type":"INBOX_SHARE"}"#)
        #expect(complete.clientKey == "bwo2m45353a6k85")
        #expect(complete.createTime == Date(timeIntervalSince1970: 1_615_338_610))
        guard case .publishComplete(let content) = complete.kind else { Issue.record("\(complete.kind)"); return }
        #expect(content.publishID == "v_inbox_file~v2.1")
        #expect(content.publishType == "INBOX_SHARE")

        let failed = try event("post.publish.failed", #"{"publish_id":"p","reason":"duration_check_failed","publish_type":"DIRECT_PUBLISH"}"#)
        guard case .publishFailed(let failure) = failed.kind else { Issue.record("\(failed.kind)"); return }
        #expect(failure.reason == .durationCheckFailed)

        let delivered = try event("post.publish.inbox_delivered", #"{"publish_id":"p","publish_type":"INBOX_SHARE"}"#)
        guard case .inboxDelivered = delivered.kind else { Issue.record("\(delivered.kind)"); return }
    }

    @Test(arguments: ["post.publish.no_longer_publicaly_available", "post.publish.no_longer_publicly_available"])
    func decodesBothSpellingsOfNoLongerPublic(name: String) throws {
        let gone = try event(name, #"{"publish_id":"p","post_id":"7663542984343883021","publish_type":"X"}"#)
        guard case .noLongerPubliclyAvailable(let content) = gone.kind else { Issue.record("\(gone.kind)"); return }
        #expect(content.postID == "7663542984343883021")
    }

    @Test func publiclyAvailablePostIDIsExactAsANumber() throws {
        let available = try event("post.publish.publicly_available", #"{"publish_id":"p","post_id":7663542984343883021}"#)
        guard case .publiclyAvailable(let content) = available.kind else { Issue.record("\(available.kind)"); return }
        #expect(content.postID?.rawValue == "7663542984343883021")
    }

    @Test func decodesAuthorizationRemoved() throws {
        let removed = try event("authorization.removed", #"{"reason": 1 }"#)
        #expect(removed.kind == .authorizationRemoved(reason: .userDisconnected))
    }

    @Test func keepsUnknownEventsRaw() throws {
        let unknown = try event("video.upload.failed", #"{"share_id":"s1"}"#)
        #expect(unknown.kind == .other(name: "video.upload.failed", content: #"{"share_id":"s1"}"#))
    }

    @Test func rejectsBodiesThatAreNotEvents() {
        #expect(throws: TikTokError.self) { try WebhookEvent(json: Data("[]".utf8)) }
        #expect(throws: TikTokError.self) { try event("post.publish.complete", "not json") }
    }

    @Test func verifiedEventChecksTheSignatureFirst() throws {
        let body = #"{"client_key":"k","event":"authorization.removed","create_time":1,"user_openid":"u","content":"{\"reason\":5}"}"#
        let event = try verifier().verifiedEvent(signatureHeader: sign(body, at: signedAt), body: Data(body.utf8))
        #expect(event.kind == .authorizationRemoved(reason: .developerRevoked))
        #expect(throws: TikTokError.self) {
            try verifier().verifiedEvent(signatureHeader: sign(body + " ", at: signedAt), body: Data(body.utf8))
        }
    }
}
