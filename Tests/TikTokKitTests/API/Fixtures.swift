import Foundation
import TikTokKit
import TikTokKitTesting

/// Response bodies from TikTok's documentation, and helpers to build clients around a fake.
enum Fixture {
    static let accessToken = "act.TEST-ACCESS-TOKEN-a1b2c3d4e5"
    static let refreshedToken = "act.TEST-REFRESHED-TOKEN-f6g7h8"
    static let refreshToken = "rft.TEST-REFRESH-TOKEN-z9y8x7"
    static let clientSecret = "TEST-CLIENT-SECRET-q1w2e3"
    static let uploadToken = "TEST-UPLOAD-TOKEN-Xza123"
    static let logID = "202210112248442CB9319E1FB30C1073F3"

    static let creatorInfo = """
    {"data":{"creator_avatar_url":"https://lf16-tt4d.tiktokcdn.com/obj/tiktok-open-platform/8d5740ac3844be417beeacd0df75aef1",
     "creator_username":"tiktok","creator_nickname":"TikTok Official",
     "privacy_level_options":["PUBLIC_TO_EVERYONE","MUTUAL_FOLLOW_FRIENDS","SELF_ONLY"],
     "comment_disabled":false,"duet_disabled":false,"stitch_disabled":true,"max_video_post_duration_sec":300},
     "error":{"code":"ok","message":"","log_id":"\(logID)"}}
    """

    static let fileUploadInit = """
    {"data":{"publish_id":"v_pub_file~v2-1.123456789",
     "upload_url":"https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=\(uploadToken)"},
     "error":{"code":"ok","message":"","log_id":"\(logID)"}}
    """

    static let inboxInit = """
    {"data":{"publish_id":"v_inbox_file~v2.123456789",
     "upload_url":"https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=\(uploadToken)"},
     "error":{"code":"ok","message":"","log_id":"\(logID)"}}
    """

    static let photoInit = #"{"data":{"publish_id":"p_pub_url~v2.123456789"},"error":{"code":"ok","message":"","log_id":"x"}}"#

    static let statusComplete = """
    {"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[7663542984343883021],"uploaded_bytes":50000123},
     "error":{"code":"ok","message":"","log_id":"\(logID)"}}
    """

    static let cancelOK = #"{"error":{"code":"ok","message":"","log_id":"\#(logID)"}}"#

    static func error(_ code: String, _ message: String = "") -> String {
        #"{"error":{"code":"\#(code)","message":"\#(message)","log_id":"\#(logID)"}}"#
    }

    /// The fixture user's `open_id`, which upload journals key entries by.
    static let openID = "fixture-open-id"

    static func client(_ fake: FakeTransport, logger: (@Sendable (String) -> Void)? = nil,
                       policy: RateLimiter.Policy = .disabled, openID: String? = Fixture.openID) -> TikTokClient {
        TikTokClient(accessToken: accessToken, openID: openID, transport: fake,
                     configuration: .init(baseURL: URL(string: "https://open.tiktokapis.com")!,
                                          rateLimitPolicy: policy, logger: logger))
    }

    static func jsonBody(_ request: FakeTransport.RecordedRequest) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: request.body) as? [String: Any]) ?? [:]
    }
}
