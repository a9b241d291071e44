import Foundation
import TikTokKit

/// `POST /v2/post/publish/creator_info/query/`.
extension TikTokEmulator {
    func creatorInfo(for caller: Caller) -> HTTPServerResponse {
        Self.ok([
            "creator_avatar_url": "https://sandbox.invalid/avatar.jpg", "creator_username": "sandbox",
            "creator_nickname": "Sandbox Creator", "privacy_level_options": configuration.privacyLevelOptions.map { "\($0)" },
            "comment_disabled": false, "duet_disabled": false, "stitch_disabled": false,
            "max_video_post_duration_sec": configuration.maxVideoPostDurationSeconds,
        ])
    }
}
