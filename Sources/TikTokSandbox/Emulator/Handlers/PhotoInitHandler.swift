import Foundation
import TikTokKit

/// `POST /v2/post/publish/content/init/`: photo posts, direct or to the inbox, checked as
/// TikTok's photo reference says: `media_type` `PHOTO`, `post_mode` `DIRECT_POST` or
/// `MEDIA_UPLOAD`, 1 to 35 verified https images pulled from their URLs, a required
/// `photo_cover_index` among them, a title of at most 90 and a description of at most 4000
/// UTF-16 units, and no duet or stitch settings (photos have neither).
extension TikTokEmulator {
    func initPhoto(_ body: [String: Any], caller: Caller) -> HTTPServerResponse {
        let post = body["post_info"] as? [String: Any] ?? [:]
        guard body["media_type"] as? String == "PHOTO" else {
            return Self.invalidParams("The media_type must be PHOTO.")
        }
        let mode = (body["post_mode"] as? String).map(PostMode.init)
        guard let mode, mode == .directPost || mode == .mediaUpload else {
            return Self.invalidParams("The post_mode must be DIRECT_POST or MEDIA_UPLOAD.")
        }
        guard let source = body["source_info"] as? [String: Any], source["source"] as? String == MediaSource.pullFromURL.rawValue,
              let images = source["photo_images"] as? [String], (1...35).contains(images.count) else {
            return Self.invalidParams("The request source info is empty or incorrect: photos are 1 to 35 PULL_FROM_URL photo_images.")
        }
        guard let coverNumber = source["photo_cover_index"] as? NSNumber,
              Double(coverNumber.intValue) == coverNumber.doubleValue, images.indices.contains(coverNumber.intValue) else {
            return Self.invalidParams("The photo_cover_index is missing or not the index of one of the photo_images.")
        }
        let title = post["title"] as? String, description = post["description"] as? String
        if let title, title.utf16.count > 90 { return Self.invalidParams("The title is too long.") }
        if let description, description.utf16.count > 4000 { return Self.invalidParams("The description is too long.") }
        guard post["disable_duet"] == nil, post["disable_stitch"] == nil else {
            return Self.invalidParams("The request post info is empty or incorrect: photo posts have no duet or stitch settings.")
        }
        let direct = mode == .directPost
        let privacy = (post["privacy_level"] as? String).map(PrivacyLevel.init)
        if direct, let refusal = checkDirectPost(privacy: privacy, brandContent: post["brand_content_toggle"] as? Bool ?? false,
                                                 caller: caller) {
            return refusal
        }
        if !direct, let refusal = checkInboxShare(caller: caller) { return refusal }
        guard images.allSatisfy(isVerified) else { return Self.urlOwnershipUnverified() }
        let recorded = newPublish(Publish(id: "", creator: caller.grant.user, direct: direct, source: .pullFromURL, mediaType: .photo,
                                    title: title, privacy: privacy, createdAt: now, expiresAt: now + configuration.uploadURLLifetime, hasher: nil),
                            prefix: direct ? "p_pub_url~v2." : "p_inbox_url~v2.")
        let id: String
        switch recorded {
        case .recorded(let recordedID): id = recordedID
        case .refused(let refusal): return refusal
        }
        download(images, for: id)
        return Self.ok(["publish_id": id])
    }
}
