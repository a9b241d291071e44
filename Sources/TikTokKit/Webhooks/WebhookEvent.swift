public import Foundation

/// A webhook delivery from TikTok, with its `content` decoded.
///
/// TikTok sends `content` as a JSON object serialised into a string; ``kind`` decodes it a
/// second time. Unknown events are kept raw in ``Kind/other(name:content:)``.
public struct WebhookEvent: Sendable, Hashable {
    /// The app's client key.
    public var clientKey: String
    /// The event name, such as `post.publish.complete`.
    public var name: String
    /// When TikTok created the event.
    public var createTime: Date
    /// The user's open ID.
    public var userOpenID: String
    /// The undecoded `content` string.
    public var rawContent: String
    /// The event, decoded.
    public var kind: Kind

    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// `post.publish.complete`: posted (inbox flow: the user posted, maybe several times).
        case publishComplete(PublishEventContent)
        /// `post.publish.failed`, with the fail reason in ``PublishEventContent/reason``.
        case publishFailed(PublishEventContent)
        /// `post.publish.inbox_delivered`: the draft reached the user's inbox.
        case inboxDelivered(PublishEventContent)
        /// `post.publish.publicly_available`: the post is public, with ``PublishEventContent/postID``.
        case publiclyAvailable(PublishEventContent)
        /// `post.publish.no_longer_publicaly_available` (or the `publicly` spelling).
        case noLongerPubliclyAvailable(PublishEventContent)
        /// `authorization.removed`: the user's token is already revoked.
        case authorizationRemoved(reason: AuthorizationRemovedReason)
        /// Any other event, kept raw.
        case other(name: String, content: String)
    }

    /// The `content` of `post.publish.*` events.
    public struct PublishEventContent: Codable, Sendable, Hashable {
        /// The publish this event is about.
        public var publishID: String
        /// `INBOX_SHARE` for the inbox flow; TikTok does not document the direct-post value.
        public var publishType: String?
        /// The public post's ID (publicly-available events).
        public var postID: PostID?
        /// Why it failed (`post.publish.failed`).
        public var reason: FailReason?

        enum CodingKeys: String, CodingKey {
            case publishID = "publish_id"
            case publishType = "publish_type"
            case postID = "post_id"
            case reason
        }
    }

    /// Why an authorization was removed.
    public enum AuthorizationRemovedReason: Int, Sendable, Hashable {
        /// TikTok gave no reason (0).
        case unknown = 0
        /// The user disconnected the app in TikTok (1).
        case userDisconnected = 1
        /// The user's account was deleted (2).
        case accountDeleted = 2
        /// The user's age changed (3).
        case ageChanged = 3
        /// The user's account was banned (4).
        case accountBanned = 4
        /// The developer revoked the authorization, as ``OAuthClient/revoke(accessToken:)`` does (5).
        case developerRevoked = 5
    }

    private struct Envelope: Decodable {
        var clientKey: String
        var event: String
        var createTime: Int64
        var userOpenID: String
        var content: String

        enum CodingKeys: String, CodingKey {
            case clientKey = "client_key"
            case event
            case createTime = "create_time"
            case userOpenID = "user_openid"
            case content
        }
    }

    /// Decodes a delivery's raw body. Verify its signature first (``WebhookVerifier``).
    /// - Throws: ``TikTokError`` (undecodable response) when the body or a known event's
    ///   content is not the documented JSON.
    public init(json body: Data) throws {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: body)
        } catch {
            throw TikTokError(.undecodableResponse, message: "the webhook body is not TikTok's event JSON",
                              responseExcerpt: TikTokError.excerpt(of: body))
        }
        clientKey = envelope.clientKey
        name = envelope.event
        createTime = Date(timeIntervalSince1970: TimeInterval(envelope.createTime))
        userOpenID = envelope.userOpenID
        rawContent = envelope.content
        kind = try Self.decodeKind(name: envelope.event, content: envelope.content)
    }

    private static func decodeKind(name: String, content: String) throws -> Kind {
        func publish() throws -> PublishEventContent {
            do {
                return try JSONDecoder().decode(PublishEventContent.self, from: Data(content.utf8))
            } catch {
                throw TikTokError(.undecodableResponse, message: "the content of \(name) is not the documented JSON",
                                  responseExcerpt: String(Secrets.scrub(content).prefix(200)))
            }
        }
        switch name {
        case "post.publish.complete": return .publishComplete(try publish())
        case "post.publish.failed": return .publishFailed(try publish())
        case "post.publish.inbox_delivered": return .inboxDelivered(try publish())
        case "post.publish.publicly_available": return .publiclyAvailable(try publish())
        case "post.publish.no_longer_publicaly_available", "post.publish.no_longer_publicly_available":
            return .noLongerPubliclyAvailable(try publish())
        case "authorization.removed":
            struct Removed: Decodable { var reason: Int? }
            let removed = try? JSONDecoder().decode(Removed.self, from: Data(content.utf8))
            return .authorizationRemoved(reason: AuthorizationRemovedReason(rawValue: removed?.reason ?? 0) ?? .unknown)
        default:
            return .other(name: name, content: content)
        }
    }
}
