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
        guard configuration.enforcePostingCaps else { return nil }
        let window = configuration.capWindow, limit = configuration.dailyPostLimit, cap = activeUserCap
        let now = self.now
        return locked { state -> APIErrorCode? in
            let recent = state.publishes.values.filter { $0.direct && $0.createdAt + window > now }
            if recent.count(where: { $0.creator == user }) >= limit { return .spamRiskTooManyPosts }
            let active = Set(recent.map(\.creator))
            if let cap, !active.contains(user), active.count >= cap { return .reachedActiveUserCap }
            return nil
        }
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
        switch cannotPost(caller.grant.user) {
        case .spamRiskUserBannedFromPosting?:
            return Self.error(403, .spamRiskUserBannedFromPosting, "The user is banned from making new posts.")
        case .spamRiskTooManyPosts?:
            return Self.error(403, .spamRiskTooManyPosts, "The daily post cap from the current user has been reached.")
        case .reachedActiveUserCap?:
            return Self.error(403, .reachedActiveUserCap, "The daily quota for active publishing users from your client has been reached.")
        default:
            return nil
        }
    }

    /// The check on an inbox share (a video or photo draft): at most
    /// ``Configuration/pendingShareLimit`` pending in the window.
    func checkInboxShare(caller: Caller) -> HTTPServerResponse? {
        let user = caller.grant.user, window = configuration.capWindow, limit = configuration.pendingShareLimit
        if account(of: user).bannedFromPosting {
            return Self.error(403, .spamRiskUserBannedFromPosting, "The user is banned from making new posts.")
        }
        guard configuration.enforcePostingCaps else { return nil }
        let now = self.now
        let pending = locked { state in
            return state.publishes.values.count {
                !$0.direct && $0.creator == user && !$0.inboxFinished && $0.failReason == nil && $0.createdAt + window > now
            }
        }
        guard pending < limit else {
            return Self.error(403, .spamRiskTooManyPendingShare, "There may be at most \(limit) pending shares within any 24-hour period.")
        }
        return nil
    }
}
