import Foundation
import TikTokKit

/// Everything the emulator remembers, as one value guarded by ``TikTokEmulator``'s lock: the
/// grants behind each token, the publishes, the rate-limit windows, the queued faults and the
/// counters inspection reports. The handlers read and change it only through
/// ``TikTokEmulator/locked(_:)``, and never do I/O while holding it.
struct EmulatorState {
    /// What an access or refresh token stands for: a user and the scopes they granted.
    struct Grant: Hashable {
        /// The user's `open_id`.
        var user: String
        var scopes: Set<String>
        /// When the token stops working; nil for configured tokens, which never expire.
        var expiresAt: ContinuousClock.Instant?
        /// The consent it came from: revoking one token ends every token of the same consent.
        var authorization: UUID?
    }

    /// An authorization code the authorize page issued, waiting to be exchanged once.
    struct PendingCode {
        var redirectURI: String
        var scopes: Set<String>
        /// The PKCE `code_challenge` sent to authorize, if any.
        var challenge: String?
        var expiresAt: ContinuousClock.Instant
    }

    /// Access tokens in force.
    var grants: [String: Grant] = [:]
    /// Refresh tokens in force (each works once: refreshing rotates it).
    var refreshGrants: [String: Grant] = [:]
    /// Authorization codes not yet exchanged (each works once).
    var codes: [String: PendingCode] = [:]
    var publishes: [String: Publish] = [:]
    /// Publish IDs in init order.
    var order: [String] = []
    /// Per token and bucket, the calls inside the current rate-limit window.
    var windows: [String: [ContinuousClock.Instant]] = [:]
    var chunkFaults: [Int: TikTokEmulator.Fault] = [:]
    var pathFaults: [String: [TikTokEmulator.Fault]] = [:]
    var pathFaultChances: [String: [(fault: TikTokEmulator.Fault, probability: Double)]] = [:]
    var servedFiles: [String: URL] = [:]
    /// Per user (`open_id`), the creator's account; users not listed have the default one.
    var accounts: [String: TikTokEmulator.Account] = [:]
    /// Every webhook event sent, in order.
    var webhooks: [TikTokEmulator.WebhookRecord] = []
    var rateLimitedCalls = 0
    var chunkRequests = 0
    var faultCounts: [String: Int] = [:]
    var requests = 0
    var publishCounter: UInt64 = 0
    /// The fault generator's state (xorshift64, never 0).
    var random: UInt64

    /// The `open_id` of a user OAuth signs in (every code the authorize page issues is theirs).
    static let oauthUser = "sandbox-open-id"

    init(configuration: TikTokEmulator.Configuration) {
        random = configuration.seed | 1
        for (token, scopes) in configuration.accessTokens {
            grants[token] = Grant(user: Self.configuredUser(token), scopes: scopes)
        }
        for (token, account) in configuration.accounts {
            accounts[Self.configuredUser(token)] = account
        }
    }

    /// The `open_id` of a configured token's user: stable, derived from the token, never the token.
    static func configuredUser(_ token: String) -> String {
        "sandbox-user-" + SHA256.hash(Array(token.utf8)).hexString.prefix(12)
    }

    /// Counts a call against `limit` per `window` for `key`; false when the limit is reached.
    mutating func allow(_ key: String, limit: Int, window: Duration, now: ContinuousClock.Instant) -> Bool {
        var calls = windows[key, default: []].filter { $0 + window > now }
        defer { windows[key] = calls }
        guard calls.count < limit else { return false }
        calls.append(now)
        return true
    }

    /// True with probability `rate`, from the seeded generator.
    mutating func chance(_ rate: Double) -> Bool {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return Double(random % 1_000_000) / 1_000_000 < rate
    }

    /// A fault with probability `rate`, from the seeded generator.
    mutating func randomFault(rate: Double) -> TikTokEmulator.Fault? {
        guard rate > 0, chance(rate) else { return nil }
        switch random % 5 {
        case 0: return .resetMidBody
        case 1: return .serverError
        case 2: return .tooManyRequests(retryAfterSeconds: 1)
        case 3: return .dropAnswer
        default: return .stall(seconds: 1)
        }
    }

    /// The fault, if any, that the next request to `path` meets: a queued one first, then each
    /// probability, then the path's random fault rate.
    mutating func nextFault(onPath path: String, randomRate: Double) -> TikTokEmulator.Fault? {
        if var queue = pathFaults[path], !queue.isEmpty {
            let first = queue.removeFirst()
            pathFaults[path] = queue
            return first
        }
        for (fault, probability) in pathFaultChances[path] ?? [] where chance(probability) {
            return fault
        }
        return randomFault(rate: randomRate)
    }
}

/// One publish's server-side state.
struct Publish {
    /// Set when the publish is recorded (``TikTokEmulator/newPublish(_:prefix:)``).
    var id: String
    /// The `open_id` of the user whose token made it.
    let creator: String
    let direct: Bool
    let source: MediaSource
    let mediaType: MediaType
    var videoSize: Int64
    let chunkSize: Int64
    let chunkCount: Int
    let title: String?
    let privacy: PrivacyLevel?
    var expiresAt: ContinuousClock.Instant
    let createdAt: ContinuousClock.Instant
    /// An inbox share the creator finished in TikTok (``TikTokEmulator/finishInboxPost(publishID:)``).
    var inboxFinished = false
    /// The creator's longest allowed video when the publish was made.
    var maxDurationSeconds = 600
    var hasher: SHA256?
    /// The `upload_token` of the upload URL the init returned (FILE_UPLOAD): a chunk PUT must
    /// carry it, since the URL is the credential.
    var uploadToken: String?
    var received: Int64 = 0
    var receiving = false
    var chunks: [TikTokEmulator.ChunkRecord] = []
    /// The `Content-Type` of every chunk PUT that was accepted, in order.
    var acceptedContentTypes: [String?] = []
    var violations: [String] = []
    var completedAt: ContinuousClock.Instant?
    var duration: Double?
    /// Why the received video fails TikTok's format check (``MediaInspection``).
    var formatProblem: String?
    var failReason: FailReason?

    /// What a publish carries: a video or a photo post.
    enum MediaType: String {
        case video, photo
    }

    init(id: String, creator: String, direct: Bool, source: MediaSource, mediaType: MediaType, videoSize: Int64 = 0,
         chunkSize: Int64 = 0, chunkCount: Int = 0, title: String?, privacy: PrivacyLevel?, createdAt: ContinuousClock.Instant,
         expiresAt: ContinuousClock.Instant, hasher: SHA256?) {
        self.createdAt = createdAt
        self.id = id
        self.creator = creator
        self.direct = direct
        self.source = source
        self.mediaType = mediaType
        self.videoSize = videoSize
        self.chunkSize = chunkSize
        self.chunkCount = chunkCount
        self.title = title
        self.privacy = privacy
        self.expiresAt = expiresAt
        self.hasher = hasher
    }

    /// The public post's ID, once posted: only a `PUBLIC_TO_EVERYONE` post has one.
    var postID: UInt64? {
        privacy == .publicToEveryone ? 7_663_542_984_343_883_000 + (UInt64(id.suffix(3)) ?? 0) : nil
    }

    /// Marks the upload or download complete with the media checks' verdict.
    mutating func complete(with verdict: MediaInspection.Verdict, at now: ContinuousClock.Instant) {
        completedAt = now
        duration = verdict.durationSeconds
        formatProblem = verdict.formatProblem
        if let violation = verdict.contentTypeViolation { violations.append(violation) }
    }

    /// The status a status fetch reports now, and the fail reason with it.
    func status(processingDelay: Duration, now: ContinuousClock.Instant) -> (PublishStatus, FailReason?) {
        if let failReason { return (.failed, failReason) }
        guard let completedAt, now >= completedAt + processingDelay else {
            return (source == .fileUpload ? .processingUpload : .processingDownload, nil)
        }
        if mediaType == .video, formatProblem != nil { return (.failed, .fileFormatCheckFailed) }
        if mediaType == .video, let duration, duration > Double(maxDurationSeconds) { return (.failed, .durationCheckFailed) }
        return (direct || inboxFinished ? .publishComplete : .sendToUserInbox, nil)
    }
}
