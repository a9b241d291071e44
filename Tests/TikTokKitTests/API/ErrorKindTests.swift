import Foundation
import Testing
import TikTokKit

/// `TikTokError.Kind` is a struct with static members, so kinds can be added without breaking
/// callers' `switch`; it still compares, matches by value and gives back what it carries.
@Suite("TikTokError.Kind")
struct ErrorKindTests {
    @Test func kindsCompareMatchAndCarryTheirValues() {
        let limited = TikTokError(.api(.rateLimitExceeded), message: "")
        #expect(limited.kind == .api(.rateLimitExceeded) && limited.kind != .api(.internalError))
        #expect(limited.kind.apiErrorCode == .rateLimitExceeded && limited.kind.uploadFailure == nil)

        func handled(_ kind: TikTokError.Kind) -> String {
            switch kind {
            case .api(.rateLimitExceeded): "wait"
            case .upload(.uploadURLExpired): "restart"
            case .undecodableResponse: "report"
            default: "other"   // required: new kinds may come
            }
        }
        #expect(handled(.api(.rateLimitExceeded)) == "wait")
        #expect(handled(.upload(.uploadURLExpired)) == "restart")
        #expect(handled(.undecodableResponse) == "report")
        #expect(handled(.http(status: 502)) == "other")

        #expect(TikTokError.Kind.oauth(.invalidGrant).oauthErrorCode == .invalidGrant)
        #expect(TikTokError.Kind.publishFailed(.spamRisk).failReason == .spamRisk)
        #expect(TikTokError.Kind.http(status: 502).httpErrorStatus == 502)
        #expect(TikTokError.Kind.transport(.timedOut).transportErrorKind == .timedOut)
        #expect(TikTokError.Kind.validation(field: "title").validationField == "title")
        #expect(TikTokError.Kind.media(.notAVideo).mediaRefusal == .notAVideo)
        #expect(TikTokError.Kind.api(.rateLimitExceeded).description == "api(rate_limit_exceeded)")
        #expect(TikTokError.Kind.http(status: 502).description == "http(status: 502)")
    }

    @Test func codesAndAdviceAreUnchanged() {
        #expect(TikTokError(.validation(field: "title"), message: "").code == "invalid_title")
        #expect(TikTokError(.transport(.timedOut), message: "").code == "transport_timedOut")
        #expect(TikTokError(.api(.accessTokenInvalid), message: "").classification == .refreshToken)
        #expect(TikTokError(.upload(.uploadURLExpired), message: "").classification != .refreshToken)
    }
}
