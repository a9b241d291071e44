import Foundation
import TikTokKit

/// `POST /v2/post/publish/creator_info/query/`: the creator's account as the posting page must
/// show it. When the creator cannot post now (banned, the daily post cap, the app's active-user
/// cap), TikTok answers HTTP 200 with that error code (its "intentional" 200s), so a client that
/// looks only at the HTTP status misses it.
extension TikTokEmulator {
    func creatorInfo(for caller: Caller) -> HTTPServerResponse {
        let account = account(of: caller.grant.user)
        let data: [String: Any] = [
            "creator_avatar_url": "https://sandbox.invalid/avatar.jpg", "creator_username": "sandbox",
            "creator_nickname": "Sandbox Creator", "privacy_level_options": privacyLevelOptions(of: account).map(\.rawValue),
            "comment_disabled": account.commentDisabled,
            "duet_disabled": account.duetDisabled || account.privacy == .private,
            "stitch_disabled": account.stitchDisabled || account.privacy == .private,
            "max_video_post_duration_sec": account.maxVideoPostDurationSeconds ?? configuration.maxVideoPostDurationSeconds,
        ]
        guard let code = cannotPost(caller.grant.user) else { return Self.ok(data) }
        let message = Self.capMessage(code, pendingShareLimit: configuration.pendingShareLimit)
        return Self.encoded(["data": data, "error": ["code": code.rawValue, "message": message, "log_id": Self.logID()]])
    }
}
