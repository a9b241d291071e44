public import TikTokKit

extension TikTokEmulator {
    /// A creator's TikTok account as the emulator models it: public or private, what it lets
    /// others do, and whether it may post now.
    ///
    /// `creator_info` answers from it: a public account offers `PUBLIC_TO_EVERYONE`,
    /// `MUTUAL_FOLLOW_FRIENDS` and `SELF_ONLY`; a private one `FOLLOWER_OF_CREATOR`,
    /// `MUTUAL_FOLLOW_FRIENDS` and `SELF_ONLY`, with duets and stitches disabled (as TikTok's
    /// creator_info reference says). An unaudited app may only post `SELF_ONLY` to a private one.
    public struct Account: Sendable, Hashable {
        /// Whether the account is public or private.
        public enum Privacy: String, Sendable, Hashable, CaseIterable {
            /// `public`: anyone sees the account's posts, and `creator_info` offers `PUBLIC_TO_EVERYONE`.
            /// `private`: only approved followers do; the only kind an unaudited app may post to.
            case `public`, `private`
        }

        /// Public or private (TikTok's default for a new account is public).
        public var privacy: Privacy
        /// Overrides the options the privacy gives (``privacyLevelOptions``), e.g. to model an
        /// account with unusual settings.
        public var customPrivacyLevelOptions: [PrivacyLevel]?
        /// The creator turned comments off.
        public var commentDisabled: Bool
        /// The creator turned duets off ("No one"); always true for a private account.
        public var duetDisabled: Bool
        /// The creator turned stitches off ("No one"); always true for a private account.
        public var stitchDisabled: Bool
        /// The creator's longest allowed video, in seconds; nil means the configuration's
        /// ``Configuration/maxVideoPostDurationSeconds``.
        public var maxVideoPostDurationSeconds: Int?
        /// TikTok has banned the creator from posting: `creator_info` answers HTTP 200 with
        /// `spam_risk_user_banned_from_posting`, and direct posts get it with 403.
        public var bannedFromPosting: Bool

        /// An account; every setting but the privacy is off by default.
        public init(privacy: Privacy = .public, customPrivacyLevelOptions: [PrivacyLevel]? = nil, commentDisabled: Bool = false,
                    duetDisabled: Bool = false, stitchDisabled: Bool = false, maxVideoPostDurationSeconds: Int? = nil,
                    bannedFromPosting: Bool = false) {
            self.privacy = privacy
            self.customPrivacyLevelOptions = customPrivacyLevelOptions
            self.commentDisabled = commentDisabled
            self.duetDisabled = duetDisabled
            self.stitchDisabled = stitchDisabled
            self.maxVideoPostDurationSeconds = maxVideoPostDurationSeconds
            self.bannedFromPosting = bannedFromPosting
        }

        /// The privacy levels `creator_info` offers for this account.
        public var privacyLevelOptions: [PrivacyLevel] {
            customPrivacyLevelOptions ?? (privacy == .public
                ? [.publicToEveryone, .mutualFollowFriends, .selfOnly]
                : [.followerOfCreator, .mutualFollowFriends, .selfOnly])
        }
    }
}
