import Foundation
import TikTokKit

/// TikTok's rules on who may post what, checked on every init: the creator's account (public or
/// private, banned), the app's audit status, and the 24-hour caps (posts per creator, pending
/// inbox shares per user, active users per app).
extension TikTokEmulator {
    /// The account of the caller's user.
    func account(of user: String) -> Account {
        let fallback = Account(privacy: configuration.accountPrivacy)
        return locked { $0.accounts[user] } ?? fallback
    }

    /// The privacy levels `creator_info` offers the user (and init accepts).
    func privacyLevelOptions(of account: Account) -> [PrivacyLevel] {
        if account.customPrivacyLevelOptions == nil, let options = configuration.privacyLevelOptions {
            return options.map(PrivacyLevel.init)
        }
        return account.privacyLevelOptions
    }

    /// The most users who may direct-post in a window: the configured cap, else 5 for an
    /// unaudited app.
    private var activeUserCap: Int? { configuration.activeUserCap ?? (configuration.unaudited ? 5 : nil) }

    /// Why the user cannot post now, as `creator_info` reports it with HTTP 200 (and a direct
    /// init with 403): banned, too many posts today, or the app's active-user cap reached.
    func cannotPost(_ user: String) -> APIErrorCode? {
        if account(of: user).bannedFromPosting { return .spamRiskUserBannedFromPosting }
        let now = self.now
        return locked { capReached(user: user, direct: true, in: $0, now: now) }
    }

    /// The 24-hour cap a new publish by `user` would break (call with the state locked): for a
    /// direct post the posts per creator and the app's active users, for an inbox share the
    /// pending shares (drafts neither finished nor failed). ``newPublish(_:prefix:)`` checks it
    /// again in the lock that records the publish, so concurrent inits cannot pass it together.
    func capReached(user: String, direct: Bool, in state: EmulatorState, now: ContinuousClock.Instant) -> APIErrorCode? {
        guard configuration.enforcePostingCaps else { return nil }
        let window = configuration.capWindow, delay = configuration.processingDelay
        let recent = state.publishes.values.filter { $0.direct == direct && $0.createdAt + window > now }
        guard direct else {
            let pending = recent.count {
                $0.creator == user && !$0.inboxFinished && $0.status(processingDelay: delay, now: now).0 != .failed
            }
            return pending >= configuration.pendingShareLimit ? .spamRiskTooManyPendingShare : nil
        }
        if recent.count(where: { $0.creator == user }) >= configuration.dailyPostLimit { return .spamRiskTooManyPosts }
        let active = Set(recent.map(\.creator))
        if let cap = activeUserCap, !active.contains(user), active.count >= cap { return .reachedActiveUserCap }
        return nil
    }

    /// TikTok's words for a creator who may not post (`code`), on init and in `creator_info`.
    static func capMessage(_ code: APIErrorCode, pendingShareLimit: Int) -> String {
        switch code {
        case .spamRiskTooManyPendingShare: "There may be at most \(pendingShareLimit) pending shares within any 24-hour period."
        case .spamRiskTooManyPosts: "The daily post cap from the current user has been reached."
        case .spamRiskUserBannedFromPosting: "The user is banned from making new posts."
        default: "The daily quota for active publishing users from your client has been reached."
        }
    }

    /// TikTok's answer to an init that would break `code`'s cap (or by a banned creator).
    static func capRefusal(_ code: APIErrorCode, pendingShareLimit: Int) -> HTTPServerResponse {
        error(403, code, capMessage(code, pendingShareLimit: pendingShareLimit))
    }

    /// The checks on a direct post (video or photo), in the order TikTok's answers suggest: the
    /// privacy level is given; an unaudited app posts `SELF_ONLY` to a private account; the
    /// level is one the account offers; branded content is not private; the creator may post.
    func checkDirectPost(privacy: PrivacyLevel?, brandContent: Bool, caller: Caller) -> HTTPServerResponse? {
        let account = account(of: caller.grant.user)
        guard let privacy else {
            return Self.error(403, .privacyLevelOptionMismatch, "The privacy level is missing from post_info.")
        }
        if configuration.unaudited && (account.privacy == .public || privacy != .selfOnly) {
            return Self.error(403, .unauditedClientCanOnlyPostToPrivateAccounts,
                              "Unaudited clients can only post to a private account. The publish attempt will be blocked when calling /publish/video/init/.")
        }
        guard privacyLevelOptions(of: account).contains(privacy) else {
            return Self.error(403, .privacyLevelOptionMismatch, "The privacy level is not among the creator's options.")
        }
        if brandContent && privacy == .selfOnly {
            return Self.invalidParams("Branded content visibility cannot be set to private.")
        }
        return cannotPost(caller.grant.user).map { Self.capRefusal($0, pendingShareLimit: configuration.pendingShareLimit) }
    }

    /// The check on an inbox share (a video or photo draft): at most
    /// ``Configuration/pendingShareLimit`` pending in the window.
    func checkInboxShare(caller: Caller) -> HTTPServerResponse? {
        let user = caller.grant.user, limit = configuration.pendingShareLimit
        if account(of: user).bannedFromPosting {
            return Self.capRefusal(.spamRiskUserBannedFromPosting, pendingShareLimit: limit)
        }
        let now = self.now
        return locked { capReached(user: user, direct: false, in: $0, now: now) }.map { Self.capRefusal($0, pendingShareLimit: limit) }
    }
}
