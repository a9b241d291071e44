import Foundation
import TikTokKit

/// `POST /v2/post/publish/content/init/`: photo posts, direct or to the inbox.
extension TikTokEmulator {
    func initPhoto(_ body: [String: Any], caller: Caller, direct: Bool) -> HTTPServerResponse {
        let post = body["post_info"] as? [String: Any] ?? [:]
        guard body["media_type"] as? String == "PHOTO", let source = body["source_info"] as? [String: Any],
              source["source"] as? String == MediaSource.pullFromURL.rawValue, let images = source["photo_images"] as? [String],
              (1...35).contains(images.count) else {
            return Self.invalidParams("The request post info is empty or incorrect")
        }
        let cover = (source["photo_cover_index"] as? NSNumber)?.intValue ?? 0
        guard images.indices.contains(cover), post["disable_duet"] == nil, post["disable_stitch"] == nil else {
            return Self.invalidParams("The request post info is empty or incorrect")
        }
        let privacy = (post["privacy_level"] as? String).map(PrivacyLevel.init)
        if direct, let refusal = checkPrivacy(privacy, brandContent: post["brand_content_toggle"] as? Bool ?? false) {
            return refusal
        }
        guard images.allSatisfy(isVerified) else { return Self.urlOwnershipUnverified() }
        let id = newPublish(Publish(id: "", creator: caller.grant.user, direct: direct, source: .pullFromURL, mediaType: .photo,
                                    title: post["title"] as? String, privacy: privacy,
                                    expiresAt: .now + configuration.uploadURLLifetime, hasher: nil),
                            prefix: direct ? "p_pub_url~v2." : "p_inbox_url~v2.")
        download(images, for: id)
        return Self.ok(["publish_id": id])
    }
}
