import Foundation
import TikTokKit

/// TikTok's answers: the API envelope (`data` plus `error` with `code`, `message`, `log_id`) and
/// the flat OAuth error.
extension TikTokEmulator {
    /// Every JSON answer is written by `JSONSerialization`, never by interpolating text: a request
    /// whose values hold quotes or backslashes (a title, a code injected from the command line)
    /// still gets valid JSON back.
    static func encoded(_ object: [String: Any], status: Int = 200, headers: TikTokHTTPHeaders = [:]) -> HTTPServerResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"error":{"code":"internal_error","message":"the sandbox could not encode its answer"}}"#.utf8)
        var headers = headers
        headers["Content-Type"] = "application/json; charset=UTF-8"
        return HTTPServerResponse(status: status, headers: headers, body: body)
    }

    static func okError() -> [String: Any] { ["code": APIErrorCode.ok.rawValue, "message": "", "log_id": logID()] }

    static func ok(_ data: [String: Any]) -> HTTPServerResponse {
        encoded(["data": data, "error": okError()])
    }

    /// TikTok's error envelope. `invalid_param` goes on the wire as `invalid_params`, the
    /// spelling TikTok sends.
    static func error(_ status: Int, _ code: APIErrorCode, _ message: String, headers: TikTokHTTPHeaders = [:]) -> HTTPServerResponse {
        error(status, code == .invalidParam ? "invalid_params" : code.rawValue, message, headers: headers)
    }

    /// The envelope with a code given as text (an injected code may be any string).
    static func error(_ status: Int, _ code: String, _ message: String, headers: TikTokHTTPHeaders = [:]) -> HTTPServerResponse {
        encoded(["error": ["code": code, "message": message, "log_id": logID()]], status: status, headers: headers)
    }

    static func invalidParams(_ message: String) -> HTTPServerResponse { error(400, .invalidParam, message) }

    static func urlOwnershipUnverified() -> HTTPServerResponse {
        error(403, .urlOwnershipUnverified,
              "Please review our URL ownership verification rules at https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide/#pull_from_url")
    }

    static func oauthError(_ code: OAuthErrorCode, _ description: String) -> HTTPServerResponse {
        encoded(["error": code.rawValue, "error_description": description, "log_id": logID()])
    }

    static func logID() -> String { "SANDBOX" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20) }
}
