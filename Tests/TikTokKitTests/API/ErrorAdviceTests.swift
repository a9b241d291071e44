import Foundation
import Testing
import TikTokKit

@Suite("TikTokError advice")
struct ErrorAdviceTests {
    @Test(arguments: APIErrorCode.documented)
    func everyDocumentedAPICodeHasSpecificAdvice(code: APIErrorCode) {
        let error = TikTokError(.api(code), message: "")
        #expect(!error.advice.contains("does not know"), "\(code) has only generic advice")
        #expect(error.recoverySuggestion == error.advice)
    }

    @Test(arguments: FailReason.documented)
    func everyDocumentedFailReasonHasSpecificAdvice(reason: FailReason) {
        let error = TikTokError(.publishFailed(reason), message: "")
        #expect(!error.advice.contains("does not know"), "\(reason) has only generic advice")
    }

    @Test(arguments: OAuthErrorCode.documented)
    func everyDocumentedOAuthErrorHasSpecificAdvice(code: OAuthErrorCode) {
        #expect(!TikTokError(.oauth(code), message: "").advice.contains("report it"))
    }

    @Test func keyErrorsSayExactlyWhatToDo() {
        let unverified = TikTokError(.api(.urlOwnershipUnverified), message: "")
        #expect(unverified.advice.contains("verify the domain"))
        #expect(unverified.advice.contains("FILE_UPLOAD"))
        #expect(unverified.classification == .userMustAct)

        let invalidID = TikTokError(.api(.invalidPublishID), message: "")
        #expect(invalidID.advice.contains("Start a new upload"))
        #expect(invalidID.classification == .permanent)

        let unaudited = TikTokError(.api(.unauditedClientCanOnlyPostToPrivateAccounts), message: "")
        #expect(unaudited.advice.contains("SELF_ONLY"))
        #expect(unaudited.advice.contains("Private"))
        #expect(unaudited.advice.contains("audit"))

        #expect(TikTokError(.api(.accessTokenInvalid), message: "").classification == .refreshToken)
        #expect(TikTokError(.api(.rateLimitExceeded), message: "").classification == .retryLater)
        #expect(TikTokError(.api(.scopeNotAuthorized), message: "").advice.contains("scope"))
        #expect(TikTokError(.api(.privacyLevelOptionMismatch), message: "").advice.contains("privacy_level_options"))
        #expect(TikTokError(.api(.spamRiskTooManyPendingShare), message: "").advice.contains("5 drafts"))
        #expect(TikTokError(.api(.reachedActiveUserCap), message: "").advice.contains("quota"))
        #expect(TikTokError(.publishFailed(.internal), message: "").classification == .retryLater)
        #expect(TikTokError(.publishFailed(.spamRiskText), message: "").classification == .permanent)
    }

    @Test func unknownCodesPassThroughWithTheirText() {
        let error = TikTokError(.api(APIErrorCode(rawValue: "new_code_2027")), message: "something new", logID: "L1", httpStatus: 400)
        #expect(error.code == "new_code_2027")
        #expect(error.description == "new_code_2027: something new [HTTP 400, log_id L1]")
        #expect(error.classification == .permanent)
        let serverSide = TikTokError(.api(APIErrorCode(rawValue: "new_code_2027")), message: "", httpStatus: 503)
        #expect(serverSide.classification == .retryLater)
    }

    @Test func validationErrorsNameTheField() {
        let error = TikTokError.validation("photoCoverIndex", "out of range")
        #expect(error.kind == .validation(field: "photoCoverIndex"))
        #expect(error.code == "invalid_photoCoverIndex")
        #expect(error.advice.contains("photoCoverIndex"))
    }
}

@Suite("Documentation/Errors.md")
struct ErrorsDocumentationTests {
    @Test func listsEveryDocumentedCodeAndFailReason() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Documentation/Errors.md"), encoding: .utf8)
        let codes = APIErrorCode.documented.map(\.rawValue) + FailReason.documented.map(\.rawValue)
            + OAuthErrorCode.documented.map(\.rawValue)
            + [MediaRefusal.emptyFile, .notAVideo, .unsupportedContainer, .noVideoTrack, .missingMovieHeader, .truncatedFile].map(\.rawValue)
        for code in codes {
            #expect(text.contains("| `\(code)` |"), "\(code) is missing from Documentation/Errors.md")
        }
    }
}
