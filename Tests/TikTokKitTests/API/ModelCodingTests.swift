import Foundation
import Testing
import TikTokKit

/// Decoding of TikTok's documented responses and encoding of its documented requests.
@Suite("Models")
struct ModelCodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    private func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ["7663542984343883021", "9223372036854775807", "18446744073709551615"])
    func postIDsDecodeExactlyFromNumbers(digits: String) throws {
        let report = try decode(PublishStatusReport.self,
                                #"{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[\#(digits)]}"#)
        #expect(report.publiclyAvailablePostIDs == [PostID(digits)])
        #expect(report.publiclyAvailablePostIDs.first?.rawValue == digits)
    }

    @Test func postIDsDecodeFromStringsAndMixedLists() throws {
        let report = try decode(PublishStatusReport.self,
                                #"{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":["7663542984343883021", 7678907398077074696]}"#)
        #expect(report.publiclyAvailablePostIDs.map(\.rawValue) == ["7663542984343883021", "7678907398077074696"])
        #expect(report.publiclyAvailablePostIDs.first?.int64Value == 7_663_542_984_343_883_021)
    }

    @Test func postIDsAreReadFromCorrectedSpellingsToo() throws {
        let report = try decode(PublishStatusReport.self, #"{"status":"PUBLISH_COMPLETE","publicly_available_post_id":[1]}"#)
        #expect(report.publiclyAvailablePostIDs == ["1"])
    }

    @Test func documentedStatusResponseDecodes() throws {
        let envelope = try decode(APIEnvelope<PublishStatusReport>.self, """
        {"data":{"status":"FAILED","fail_reason":"picture_size_check_failed","publicaly_available_post_id":[],"uploaded_bytes":10000},
         "error":{"code":"ok","message":"","log_id":"202210112248442CB9319E1FB30C1073F3"}}
        """)
        #expect(envelope.error.code == .ok)
        #expect(envelope.error.logID == "202210112248442CB9319E1FB30C1073F3")
        let report = try #require(envelope.data)
        #expect(report.status == .failed)
        #expect(report.failReason == .pictureSizeCheckFailed)
        #expect(report.publiclyAvailablePostIDs.isEmpty)
        #expect(report.uploadedBytes == 10000)
    }

    @Test func unknownEnumValuesDecodeAndKeepTheirText() throws {
        let report = try decode(PublishStatusReport.self, #"{"status":"SOMETHING_NEW","fail_reason":"brand_new_reason"}"#)
        #expect(report.status.rawValue == "SOMETHING_NEW")
        #expect(report.failReason?.rawValue == "brand_new_reason")
        let info = try decode(CreatorInfo.self, #"{"privacy_level_options":["PUBLIC_TO_EVERYONE","FRIENDS_OF_FRIENDS"]}"#)
        #expect(info.privacyLevelOptions == [.publicToEveryone, PrivacyLevel(rawValue: "FRIENDS_OF_FRIENDS")])
        let error = try decode(APIErrorBody.self, #"{"code":"a_code_from_2027","message":"m"}"#)
        #expect(error.code.rawValue == "a_code_from_2027")
        #expect(try decode(PostMode.self, #""SOMETHING""#).rawValue == "SOMETHING")
        #expect(try decode(MediaSource.self, #""NEW_SOURCE""#).rawValue == "NEW_SOURCE")
    }

    @Test func invalidParamAndInvalidParamsAreTheSameCode() throws {
        let plural = try decode(APIErrorBody.self, #"{"code":"invalid_params","message":"The chunk size is invalid"}"#)
        let singular = try decode(APIErrorBody.self, #"{"code":"invalid_param","message":""}"#)
        #expect(plural.code == .invalidParam)
        #expect(singular.code == .invalidParam)
    }

    @Test func logIDIsReadFromLogIDAndLogid() throws {
        #expect(try decode(APIErrorBody.self, #"{"code":"ok","log_id":"A"}"#).logID == "A")
        #expect(try decode(APIErrorBody.self, #"{"code":"ok","logid":"B"}"#).logID == "B")
        #expect(try decode(APIErrorBody.self, #"{"code":"ok"}"#).logID == nil)
    }

    @Test func errorEnvelopesWithEmptyOrMissingDataDecode() throws {
        let empty = try decode(APIEnvelope<PublishInit>.self,
                               #"{"data":{},"error":{"code":"access_token_invalid","message":"x","log_id":"L"}}"#)
        #expect(empty.data == nil)
        #expect(empty.error.code == .accessTokenInvalid)
        let missing = try decode(APIEnvelope<PublishInit>.self, #"{"error":{"code":"ok","message":"","log_id":"L"}}"#)
        #expect(missing.data == nil)
    }

    @Test func creatorInfoDecodesEveryDocumentedField() throws {
        let info = try decode(CreatorInfo.self, """
        {"creator_avatar_url":"https://lf16-tt4d.tiktokcdn.com/obj/a","creator_username":"tiktok",
         "creator_nickname":"TikTok Official","privacy_level_options":["PUBLIC_TO_EVERYONE","MUTUAL_FOLLOW_FRIENDS","SELF_ONLY"],
         "comment_disabled":false,"duet_disabled":false,"stitch_disabled":true,"max_video_post_duration_sec":300}
        """)
        #expect(info == CreatorInfo(creatorAvatarURL: "https://lf16-tt4d.tiktokcdn.com/obj/a", creatorUsername: "tiktok",
                                    creatorNickname: "TikTok Official",
                                    privacyLevelOptions: [.publicToEveryone, .mutualFollowFriends, .selfOnly],
                                    commentDisabled: false, duetDisabled: false, stitchDisabled: true,
                                    maxVideoPostDurationSeconds: 300))
    }

    @Test func directPostBodyUsesTikTokKeys() throws {
        let body = DirectVideoInitRequest(
            postInfo: VideoPostInfo(title: "this will be a funny #cat video", privacyLevel: .mutualFollowFriends,
                                    disableDuet: false, disableStitch: false, disableComment: true,
                                    videoCoverTimestampMs: 1000, isAIGC: true),
            sourceInfo: .fileUpload(videoSize: 50_000_123, chunkSize: 10_000_000, totalChunkCount: 5))
        let json = try object(body)
        let post = try #require(json["post_info"] as? [String: Any])
        #expect(post["title"] as? String == "this will be a funny #cat video")
        #expect(post["privacy_level"] as? String == "MUTUAL_FOLLOW_FRIENDS")
        #expect(post["disable_comment"] as? Bool == true)
        #expect(post["disable_duet"] as? Bool == false)
        #expect(post["disable_stitch"] as? Bool == false)
        #expect(post["video_cover_timestamp_ms"] as? Int == 1000)
        #expect(post["brand_content_toggle"] as? Bool == false)
        #expect(post["brand_organic_toggle"] as? Bool == false)
        #expect(post["is_aigc"] as? Bool == true)
        let source = try #require(json["source_info"] as? [String: Any])
        #expect(source["source"] as? String == "FILE_UPLOAD")
        #expect(source["video_size"] as? Int == 50_000_123)
        #expect(source["chunk_size"] as? Int == 10_000_000)
        #expect(source["total_chunk_count"] as? Int == 5)
        #expect(source["video_url"] == nil)
    }

    @Test func pullFromURLSourceSendsOnlyTheURL() throws {
        let json = try object(InboxVideoInitRequest(sourceInfo: .pullFromURL("https://example.verified.domain.com/v.mp4")))
        #expect(json.keys.sorted() == ["source_info"])
        let source = try #require(json["source_info"] as? [String: Any])
        #expect(source as NSDictionary == ["source": "PULL_FROM_URL", "video_url": "https://example.verified.domain.com/v.mp4"])
    }

    @Test func photoBodyHasNoDuetOrStitchAndTopLevelAIGC() throws {
        let body = PhotoInitRequest(
            postInfo: PhotoPostInfo(title: "funny cat", description: "a #funny photo", privacyLevel: .publicToEveryone,
                                    disableComment: true, autoAddMusic: true),
            sourceInfo: PhotoSource(photoImages: ["https://a.example/1.webp", "https://a.example/2.webp"], photoCoverIndex: 1),
            postMode: .directPost, isAIGC: false)
        let json = try object(body)
        #expect(json["post_mode"] as? String == "DIRECT_POST")
        #expect(json["media_type"] as? String == "PHOTO")
        #expect(json["is_aigc"] as? Bool == false)
        let post = try #require(json["post_info"] as? [String: Any])
        #expect(post["disable_duet"] == nil)
        #expect(post["disable_stitch"] == nil)
        #expect(post["auto_add_music"] as? Bool == true)
        #expect(post["description"] as? String == "a #funny photo")
        let source = try #require(json["source_info"] as? [String: Any])
        #expect(source["source"] as? String == "PULL_FROM_URL")
        #expect(source["photo_cover_index"] as? Int == 1)
        #expect((source["photo_images"] as? [String])?.count == 2)
    }

    @Test func tokenResponseDecodesAndNeverPrintsTokens() throws {
        let tokens = try decode(TokenResponse.self, """
        {"access_token":"act.example12345Example12345Example","expires_in":86400,"open_id":"afd97af1",
         "refresh_expires_in":31536000,"refresh_token":"rft.example12345Example12345Example",
         "scope":"user.info.basic,video.list","token_type":"Bearer"}
        """)
        #expect(tokens.accessToken == "act.example12345Example12345Example")
        #expect(tokens.refreshExpiresIn == 31_536_000)
        #expect(tokens.scopes == ["user.info.basic", "video.list"])
        var dumped = ""
        dump(tokens, to: &dumped)
        for text in [tokens.description, String(reflecting: tokens), "\(tokens)", dumped] {
            #expect(!text.contains("act.example"))
            #expect(!text.contains("rft.example"))
        }
    }

    @Test func publishInitNeverPrintsTheUploadToken() throws {
        let start = try decode(PublishInit.self,
                               #"{"publish_id":"v_pub_file~v2-1.123","upload_url":"https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=Xza123"}"#)
        #expect(start.uploadURL?.contains("upload_token=Xza123") == true)
        var dumped = ""
        dump(start, to: &dumped)
        for text in [start.description, String(reflecting: start), dumped] {
            #expect(!text.contains("Xza123"))
            #expect(text.contains("v_pub_file~v2-1.123"))
        }
    }

    @Test func userInfoDecodesFromDataUser() throws {
        let envelope = try decode(APIEnvelope<UserInfoPayload>.self, """
        {"data":{"user":{"open_id":"o","union_id":"u","avatar_url":"https://a","display_name":"Name",
         "is_verified":true,"follower_count":12345678901,"username":"name"}},"error":{"code":"ok","message":"","log_id":"x"}}
        """)
        let user = try #require(envelope.data?.user)
        #expect(user.openID == "o")
        #expect(user.displayName == "Name")
        #expect(user.isVerified == true)
        #expect(user.followerCount == 12_345_678_901)
        #expect(user.username == "name")
    }
}
