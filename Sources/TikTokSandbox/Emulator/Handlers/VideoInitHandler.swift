import Foundation
import TikTokKit

/// `POST /v2/post/publish/video/init/` (direct) and `/v2/post/publish/inbox/video/init/` (inbox).
extension TikTokEmulator {
    func initVideo(_ body: [String: Any], caller: Caller, direct: Bool) -> HTTPServerResponse {
        guard let source = body["source_info"] as? [String: Any], let kind = (source["source"] as? String).map(MediaSource.init) else {
            return Self.invalidParams("The request source info is empty or incorrect.")
        }
        var title: String?
        var privacy: PrivacyLevel?
        if direct {
            // TikTok's direct post needs post_info (privacy_level at least); the inbox ignores it.
            guard let post = body["post_info"] as? [String: Any] else {
                return Self.invalidParams("The request post info is empty or incorrect.")
            }
            title = post["title"] as? String
            if let title, title.utf16.count > 2200 {
                return Self.invalidParams("The title is too long.")
            }
            privacy = (post["privacy_level"] as? String).map(PrivacyLevel.init)
            if let refusal = checkDirectPost(privacy: privacy, brandContent: post["brand_content_toggle"] as? Bool ?? false,
                                             caller: caller) {
                return refusal
            }
        } else if let refusal = checkInboxShare(caller: caller) {
            return refusal
        }
        switch kind {
        case .fileUpload:
            guard let size = (source["video_size"] as? NSNumber)?.int64Value,
                  let chunkSize = (source["chunk_size"] as? NSNumber)?.int64Value,
                  let count = (source["total_chunk_count"] as? NSNumber)?.intValue else {
                return Self.invalidParams("The request source info is empty or incorrect.")
            }
            guard Self.chunkPlanIsValid(size: size, chunkSize: chunkSize, count: count) else {
                return Self.invalidParams("The chunk size is invalid")
            }
            let recorded = newPublish(Publish(id: "", creator: caller.grant.user, direct: direct, source: kind, mediaType: .video,
                                        videoSize: size, chunkSize: chunkSize, chunkCount: count, title: title, privacy: privacy,
                                        createdAt: now, expiresAt: now + configuration.uploadURLLifetime,
                                        hasher: configuration.hashUploads ? SHA256() : nil),
                                prefix: direct ? "v_pub_file~v2-1." : "v_inbox_file~v2.")
            let id: String
            switch recorded {
            case .recorded(let recordedID): id = recordedID
            case .refused(let refusal): return refusal
            }
            if let url = storedFile(for: id), !FileManager.default.createFile(atPath: url.path, contents: nil) {
                return Self.error(500, .internalError, "The sandbox cannot store the upload.")
            }
            if configuration.storeDirectory == nil { media.begin(id, size: size) }
            let token = "sandbox-\(UUID().uuidString)"
            locked { $0.publishes[id]?.uploadToken = token }
            let uploadURL = "\(baseURL.absoluteString)/upload/?upload_id=\(id)&upload_token=\(token)"
            return Self.ok(["publish_id": id, "upload_url": uploadURL])
        case .pullFromURL:
            guard let url = source["video_url"] as? String else {
                return Self.invalidParams("The request source info is empty or incorrect.")
            }
            guard isVerified(url) else { return Self.urlOwnershipUnverified() }
            let recorded = newPublish(Publish(id: "", creator: caller.grant.user, direct: direct, source: kind, mediaType: .video,
                                        title: title, privacy: privacy, createdAt: now, expiresAt: now + configuration.uploadURLLifetime, hasher: nil),
                                prefix: direct ? "v_pub_url~v2." : "v_inbox_url~v2.")
            let id: String
            switch recorded {
            case .recorded(let recordedID): id = recordedID
            case .refused(let refusal): return refusal
            }
            download([url], for: id)
            return Self.ok(["publish_id": id])
        default:
            return Self.invalidParams("Unknown source \(kind.rawValue).")
        }
    }

    /// TikTok's rules (media transfer guide), read strictly where "MB" is ambiguous: chunks of
    /// 5,242,880 to 64,000,000 bytes, count = size / chunk rounded down, a final chunk of at most
    /// 128,000,000 bytes, at most 1000 chunks; a video under 5,242,880 bytes, or sent as one chunk,
    /// must be whole and at most 64,000,000 bytes. (So TikTok's own example, 50,000,123 bytes in
    /// five 10,000,000-byte chunks, is valid.)
    static func chunkPlanIsValid(size: Int64, chunkSize: Int64, count: Int) -> Bool {
        guard size > 0, size <= UploadPlan.maxVideoSize, chunkSize > 0, count >= 1, count <= 1000 else { return false }
        if count == 1 {
            return chunkSize == size && size <= UploadPlan.singleChunkLimit
        }
        let last = size - Int64(count - 1) * chunkSize
        return (UploadPlan.minChunkSize...UploadPlan.maxChunkSize).contains(chunkSize) && Int64(count) == size / chunkSize
            && last <= UploadPlan.maxFinalChunkSize
    }

    /// Whether TikTok would pull from `url`: the emulator's own files, or an https URL under a
    /// verified prefix.
    func isVerified(_ url: String) -> Bool {
        if url.hasPrefix(baseURL.absoluteString + "/files/") { return true }
        // Dot segments resolved first: `…/videos/../private/a.mp4` is not under `…/videos/`.
        // `%2e` is a dot too (RFC 3986), which `standardized` does not resolve: such a path is refused.
        guard url.hasPrefix("https://"), let parsed = URL(string: url), let host = parsed.host?.lowercased(),
              !url.lowercased().contains("%2e") else { return false }
        let resolved = parsed.standardized.absoluteString
        if configuration.verifiedDomains.contains(where: { host == $0.lowercased() || host.hasSuffix("." + $0.lowercased()) }) {
            return true
        }
        return configuration.verifiedURLPrefixes.contains { resolved.hasPrefix($0) }
    }

    /// What ``newPublish(_:prefix:)`` did: recorded the publish under an ID, or refused it.
    enum Admission {
        case recorded(String)
        case refused(HTTPServerResponse)
    }

    /// Records a new publish under a fresh ID made of `prefix` and a 19-digit number, unless a
    /// 24-hour cap refuses it (checked in the same lock, so concurrent inits cannot both pass).
    func newPublish(_ publish: Publish, prefix: String) -> Admission {
        let now = self.now, shares = configuration.pendingShareLimit
        return locked { state in
            if let code = capReached(user: publish.creator, direct: publish.direct, in: state, now: now) {
                return .refused(Self.capRefusal(code, pendingShareLimit: shares))
            }
            state.publishCounter += 1
            let id = prefix + String(7_600_000_000_000_000_000 + state.publishCounter)
            var publish = publish
            publish.id = id
            publish.maxDurationSeconds = state.accounts[publish.creator]?.maxVideoPostDurationSeconds
                ?? configuration.maxVideoPostDurationSeconds
            state.publishes[id] = publish
            state.order.append(id)
            return .recorded(id)
        }
    }
}
