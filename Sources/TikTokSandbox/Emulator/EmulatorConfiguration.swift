public import Foundation
public import TikTokKit

extension TikTokEmulator {
    /// How the emulator behaves: accounts, app status, timings and faults.
    public struct Configuration: Sendable {
        /// Access tokens accepted from the start, with the scopes each carries.
        public var accessTokens: [String: Set<String>]
        /// The app's client key, for the OAuth endpoints.
        public var clientKey: String
        /// The app's client secret: the OAuth endpoints check it, and webhooks are signed with it.
        public var clientSecret: String
        /// How long an access token issued through OAuth works (`expires_in`; TikTok's is 2
        /// hours as of November 2026). After it, API calls get 401 `access_token_invalid` until
        /// the app refreshes. Configured tokens never expire.
        public var accessTokenLifetime: Duration = .seconds(7200)
        /// How long a refresh token works (`refresh_expires_in`; TikTok's is 180 days).
        public var refreshTokenLifetime: Duration = .seconds(15_552_000)
        /// How long an authorization code may wait to be exchanged. TikTok does not document it
        /// ("seconds or minutes"); the emulator takes 5 minutes.
        public var authorizationCodeLifetime: Duration = .seconds(300)
        /// Scopes the sandbox user leaves unticked on the consent page: the callback's `scopes`
        /// and the token's `scope` omit them, and endpoints that need them answer 401
        /// `scope_not_authorized`.
        public var declinedScopes: Set<String> = []
        /// The PKCE challenge encodings the token endpoint accepts. TikTok's desktop (and mobile)
        /// flow documents lowercase hex SHA-256 and refuses base64url ("Code verifier or code
        /// challenge is invalid."); whether web apps may use RFC 7636 base64url is undocumented,
        /// so it is accepted only when this includes it.
        public var acceptedPKCEEncodings: Set<PKCE.Encoding> = [.hex]
        /// Require a PKCE challenge at authorize (TikTok: required for desktop and mobile apps;
        /// reported required for web). Off by default, so a web client without PKCE works; a
        /// challenge that was sent is always checked.
        public var requirePKCE = false
        /// An unaudited app, as TikTok treats one before its audit: a direct post (video or photo)
        /// is refused with 403 `unaudited_client_can_only_post_to_private_accounts` unless the
        /// creator's account is private and the post `SELF_ONLY`, and at most
        /// ``activeUserCap`` (5 unless set) users may post in ``capWindow``.
        public var unaudited: Bool
        /// URL prefixes verified for PULL_FROM_URL and photos (`https://host/path/`); other URLs get
        /// 403 `url_ownership_unverified`. The emulator's own `/files/` URLs are always allowed.
        public var verifiedURLPrefixes: [String]
        /// Domains verified for PULL_FROM_URL and photos (`static.example.com`): as in TikTok's
        /// portal, one covers every https URL on it and on its subdomains
        /// (`video.static.example.com`), not its parent (`example.com`).
        public var verifiedDomains: [String] = []
        /// How long "processing" takes after the last byte arrives.
        public var processingDelay: Duration
        /// How long an upload URL stays valid (TikTok: one hour); later PUTs get 403.
        public var uploadURLLifetime: Duration
        /// The privacy options of every account that sets none of its own; nil (the default)
        /// lets each account's privacy decide (``Account/privacyLevelOptions``).
        public var privacyLevelOptions: [String]?
        /// Whether the creators' accounts are public or private, unless ``accounts`` says
        /// otherwise for a token (`--account-privacy`). Default public, as on TikTok.
        public var accountPrivacy: Account.Privacy = .public
        /// Per access token, the creator's account (tokens not listed get an account with
        /// ``accountPrivacy``; so do users signed in through OAuth). Change one while the
        /// emulator runs with ``TikTokEmulator/updateAccount(forToken:_:)``.
        public var accounts: [String: Account] = [:]
        /// Direct posts one creator may make in ``capWindow`` before TikTok answers 403
        /// `spam_risk_too_many_posts` (and `creator_info` answers it with 200): TikTok says
        /// "typically around 15 posts per day".
        public var dailyPostLimit: Int = 15
        /// Inbox shares (drafts) a user may have pending in ``capWindow`` before TikTok answers 403
        /// `spam_risk_too_many_pending_share`: TikTok says at most 5. A share stops being pending
        /// when the creator finishes it (``TikTokEmulator/finishInboxPost(publishID:)``).
        public var pendingShareLimit: Int = 5
        /// Distinct users who may direct-post through the app in ``capWindow`` before TikTok
        /// answers `reached_active_user_cap` (403 on init, 200 on `creator_info`). nil means 5
        /// for an unaudited app and no cap for an audited one (whose cap depends on its audit).
        public var activeUserCap: Int?
        /// Where TikTok delivers webhook events (`--webhook-url`): the app's callback URL. nil
        /// (the default) sends none.
        public var webhookURL: URL?
        /// The first wait before a delivery that did not get 200 is retried; each retry waits
        /// twice as long as the one before (TikTok: "exponential backoff").
        public var webhookRetryBaseDelay: Duration = .seconds(1)
        /// How long retries go on (TikTok: up to 72 hours).
        public var webhookRetryWindow: Duration = .seconds(72 * 3600)
        /// Whether each retry is signed anew (a fresh `t` and `s`). TikTok does not document it;
        /// by default a retry carries its first signature, the harder case for a receiver whose
        /// timestamp tolerance is shorter than the retry schedule.
        public var webhookResignsRetries = false
        /// Enforce the posting caps (``dailyPostLimit``, ``pendingShareLimit``,
        /// ``activeUserCap``). Off for load tests and benchmarks that post hundreds of times with
        /// one token (`--no-posting-caps`); the account and audit rules still hold.
        public var enforcePostingCaps = true
        /// The window the posting caps count in: TikTok's 24 hours by default.
        public var capWindow: Duration = .seconds(86_400)
        /// The creator's longest allowed video; longer uploads end FAILED `duration_check_failed`.
        public var maxVideoPostDurationSeconds: Int
        /// Enforce TikTok's per-token limits (init 6/min, status 30/min, creator info 20/min) with 429.
        public var enforceRateLimits: Bool
        /// The window those limits count in: TikTok's minute by default. A shorter one (with the
        /// client's ``RateLimiter`` given the same `limits`) lets a test of many uploads run in
        /// seconds while every limit still binds.
        public var rateLimitWindow: Duration = .seconds(60)
        /// The probability that a chunk PUT meets a random fault (reset mid-body, 5xx, 429, stall,
        /// an answer dropped after the chunk was stored).
        public var chunkFaultRate: Double
        /// The probability that a chunk PUT finds its upload URL expired (``Fault/expireUploadURL``),
        /// drawn apart from ``chunkFaultRate`` since only a client that restarts expired uploads
        /// gets past it. Default 0.
        public var expiryRate: Double = 0
        /// Per API path (such as `/v2/post/publish/status/fetch/`), the probability that a request
        /// meets a random fault (reset, 5xx, 429 with `Retry-After`, stall).
        public var endpointFaultRates: [String: Double]
        /// Seeds the fault generator, so a run can be repeated.
        public var seed: UInt64
        /// Where received videos are written (`<publish id>.bin`); nil discards them after hashing.
        public var storeDirectory: URL?
        /// Compute the SHA-256 of every upload (costs CPU on multi-GB uploads in debug builds).
        public var hashUploads: Bool
        /// The HTTP server's idle and read timeouts and connection cap (``HTTPServer/Limits``):
        /// what keeps one leaky or stalled client of a shared emulator from locking out the others.
        public var serverLimits = HTTPServer.Limits()

        /// Every scope the Content Posting API uses.
        public static let allScopes: Set<String> = ["user.info.basic", "user.info.profile", "user.info.stats", "video.upload", "video.publish"]

        /// Creates a configuration; every parameter but the token has a default.
        public init(accessToken: String, scopes: Set<String> = Configuration.allScopes,
                    clientKey: String = "sandbox-client-key", clientSecret: String = "sandbox-client-secret",
                    unaudited: Bool = false, verifiedURLPrefixes: [String] = [], processingDelay: Duration = .zero,
                    uploadURLLifetime: Duration = .seconds(3600),
                    privacyLevelOptions: [String]? = nil,
                    maxVideoPostDurationSeconds: Int = 600, enforceRateLimits: Bool = true, chunkFaultRate: Double = 0,
                    endpointFaultRates: [String: Double] = [:], seed: UInt64 = 1, storeDirectory: URL? = nil, hashUploads: Bool = true) {
            self.accessTokens = [accessToken: scopes]
            self.clientKey = clientKey
            self.clientSecret = clientSecret
            self.unaudited = unaudited
            self.verifiedURLPrefixes = verifiedURLPrefixes
            self.processingDelay = processingDelay
            self.uploadURLLifetime = uploadURLLifetime
            self.privacyLevelOptions = privacyLevelOptions
            self.maxVideoPostDurationSeconds = maxVideoPostDurationSeconds
            self.enforceRateLimits = enforceRateLimits
            self.chunkFaultRate = chunkFaultRate
            self.endpointFaultRates = endpointFaultRates
            self.seed = seed
            self.storeDirectory = storeDirectory
            self.hashUploads = hashUploads
        }
    }
}
