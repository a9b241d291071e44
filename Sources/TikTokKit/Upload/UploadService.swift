import Foundation

/// What an upload needs from the API layer, and nothing more: the calls it makes, the transport
/// its chunk PUTs go through, and where it reports events.
///
/// ``TikTokClient`` builds one (`uploadService`); ``Uploader`` and the status poller see only
/// this, never the client, so the dependency runs one way: client → uploader → service. Tests
/// can drive an uploader with a service of their own, without a transport.
struct UploadService: Sendable {
    /// The creator's info, for a direct post's checks (one rate-limited call).
    var creatorInfo: @Sendable () async throws -> CreatorInfo
    /// Sends an inbox (draft) video init. The uploader has validated it.
    var initInboxVideo: @Sendable (InboxVideoInitRequest) async throws -> PublishInit
    /// Sends a direct video init. The uploader has validated it against the creator's info.
    var initDirectVideo: @Sendable (DirectVideoInitRequest) async throws -> PublishInit
    /// The status of a publish; no call (its rate-limit wait included) runs past `deadline`.
    var publishStatus: @Sendable (_ publishID: String, _ deadline: ContinuousClock.Instant?) async throws -> PublishStatusReport
    /// The account an upload journal keys the upload by: `explicit` when given, else the token's.
    var journalAccount: @Sendable (_ explicit: String?) async throws -> String
    /// Sends one chunk PUT to the upload host, as it is (no `Authorization`, no rate limit).
    var sendChunk: @Sendable (TikTokHTTPRequest) async throws -> TikTokHTTPResponse
    /// Reports an event to the client's observer and logger.
    var record: @Sendable (TikTokEvent) -> Void
    /// Whether an upload URL may be on any host: the client talks to a custom base URL (a
    /// sandbox, a proxy), whose upload host is its own. Otherwise only tiktokapis.com hosts.
    var trustsAnyUploadHost: Bool
}
