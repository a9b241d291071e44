public import Foundation

/// Every failure TikTokKit reports: what happened, what TikTok said, and what to do next.
///
/// One type covers all of TikTok's error shapes and everything around them:
/// - ``Kind/api(_:)``: a Content Posting / v2 API `error.code` other than `ok`, whatever the HTTP
///   status (creator info reports spam-risk errors with HTTP 200);
/// - ``Kind/oauth(_:)``: an OAuth `error` from the token or revoke endpoints;
/// - ``Kind/publishFailed(_:)``: a publish that ended `FAILED`, with its `fail_reason`;
/// - ``Kind/http(status:)``: an HTTP error with no TikTok body (a proxy's 502, say);
/// - ``Kind/transport(_:)``: no response at all (see ``transportError``);
/// - ``Kind/undecodableResponse``: a body that was not the JSON TikTok documents (a short,
///   secret-free ``responseExcerpt`` is kept);
/// - ``Kind/validation(field:)``: input rejected before any request was sent;
/// - ``Kind/media(_:)``: a file that is not a video TikTok takes, or a broken one, refused
///   before any request was sent.
///
/// Each error has a ``classification`` and ``advice`` (also its `recoverySuggestion`) in plain words, and carries
/// TikTok's ``logID`` and the ``httpStatus`` when known. Nothing in it — message, description,
/// excerpt — ever contains an access token, refresh token, client secret or upload URL query.
///
/// ```swift
/// do {
///     let result = try await client.publishDraft(file: video)
/// } catch let error as TikTokError {
///     print(error.description)          // code, message, log ID
///     print(error.advice)               // what to do about it
///     if error.classification == .retryLater { /* schedule a retry */ }
/// }
/// ```
public struct TikTokError: Error, Sendable, Hashable {
    /// What failed, with what it carries.
    ///
    /// A struct, not an enum, so a new kind can come in a minor release without breaking anyone's
    /// `switch`. Compare with `==` (`error.kind == .api(.rateLimitExceeded)`), match values in a
    /// `switch` with a `default` (`case .upload(.uploadURLExpired):`), or read what a kind
    /// carries through its accessors (`error.kind.apiErrorCode`, `error.kind.failReason`, …).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The kinds there are today; only TikTokKit switches over them exhaustively.
        enum Storage: Sendable, Hashable {
            case api(APIErrorCode)
            case oauth(OAuthErrorCode)
            case publishFailed(FailReason)
            case http(status: Int)
            case transport(TransportError.Kind)
            case undecodableResponse
            case validation(field: String)
            case upload(UploadFailure)
            case media(MediaRefusal)
        }

        let storage: Storage

        /// TikTok answered with this `error.code`.
        public static func api(_ code: APIErrorCode) -> Kind { Kind(storage: .api(code)) }
        /// TikTok's OAuth endpoint answered with this `error`.
        public static func oauth(_ code: OAuthErrorCode) -> Kind { Kind(storage: .oauth(code)) }
        /// The publish ended `FAILED` for this reason.
        public static func publishFailed(_ reason: FailReason) -> Kind { Kind(storage: .publishFailed(reason)) }
        /// An HTTP error status without a TikTok error body.
        public static func http(status: Int) -> Kind { Kind(storage: .http(status: status)) }
        /// No response arrived.
        public static func transport(_ kind: TransportError.Kind) -> Kind { Kind(storage: .transport(kind)) }
        /// The response body was not what TikTok documents.
        public static let undecodableResponse = Kind(storage: .undecodableResponse)
        /// The named input was rejected before anything was sent.
        public static func validation(field: String) -> Kind { Kind(storage: .validation(field: field)) }
        /// A FILE_UPLOAD or status wait failed in a way TikTok has no code for.
        public static func upload(_ failure: UploadFailure) -> Kind { Kind(storage: .upload(failure)) }
        /// The file is not a video TikTok takes, or it is broken; nothing was sent.
        public static func media(_ refusal: MediaRefusal) -> Kind { Kind(storage: .media(refusal)) }

        /// TikTok's `error.code`, for an ``api(_:)`` kind.
        public var apiErrorCode: APIErrorCode? { if case .api(let code) = storage { code } else { nil } }
        /// The OAuth `error`, for an ``oauth(_:)`` kind.
        public var oauthErrorCode: OAuthErrorCode? { if case .oauth(let code) = storage { code } else { nil } }
        /// The fail reason, for a ``publishFailed(_:)`` kind.
        public var failReason: FailReason? { if case .publishFailed(let reason) = storage { reason } else { nil } }
        /// The HTTP status, for an ``http(status:)`` kind.
        public var httpErrorStatus: Int? { if case .http(let status) = storage { status } else { nil } }
        /// What went wrong on the way, for a ``transport(_:)`` kind.
        public var transportErrorKind: TransportError.Kind? { if case .transport(let kind) = storage { kind } else { nil } }
        /// The input refused, for a ``validation(field:)`` kind.
        public var validationField: String? { if case .validation(let field) = storage { field } else { nil } }
        /// The upload failure, for an ``upload(_:)`` kind.
        public var uploadFailure: UploadFailure? { if case .upload(let failure) = storage { failure } else { nil } }
        /// Why the file was refused, for a ``media(_:)`` kind.
        public var mediaRefusal: MediaRefusal? { if case .media(let refusal) = storage { refusal } else { nil } }

        /// The kind as Swift code would name it, such as `api(rate_limit_exceeded)`.
        public var description: String {
            switch storage {
            case .api(let code): "api(\(code))"
            case .oauth(let code): "oauth(\(code))"
            case .publishFailed(let reason): "publishFailed(\(reason))"
            case .http(let status): "http(status: \(status))"
            case .transport(let kind): "transport(\(kind))"
            case .undecodableResponse: "undecodableResponse"
            case .validation(let field): "validation(field: \(field))"
            case .upload(let failure): "upload(\(failure))"
            case .media(let refusal): "media(\(refusal))"
            }
        }
    }

    /// What the caller should do, broadly.
    public enum Classification: String, Sendable, Hashable, CustomStringConvertible {
        /// A temporary condition: the same request may succeed later (after backoff).
        case retryLater
        /// The access token is expired or invalid: refresh it, then retry once.
        case refreshToken
        /// A person must act first: the creator, the app's developer, or whoever fixes the input.
        case userMustAct
        /// Retrying will not help.
        case permanent

        public var description: String { rawValue }
    }

    /// What failed.
    public var kind: Kind
    /// TikTok's message, or TikTokKit's own account of the failure. Secret-free.
    public var message: String
    /// TikTok's request ID (`log_id`, or the `x-tt-logid` header), for support requests.
    public var logID: String?
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// The endpoint path, such as `/v2/post/publish/video/init/`, when the error came from a call.
    public var endpoint: String?
    /// For ``Kind/undecodableResponse``: the first bytes of the body, with anything that looks
    /// like a token removed.
    public var responseExcerpt: String?
    /// For ``Kind/transport(_:)``: the underlying error.
    public var transportError: TransportError?
    /// The publish this error concerns, when one exists: keep it to resume, poll or cancel.
    public var publishID: String?

    /// Creates an error.
    public init(_ kind: Kind, message: String, logID: String? = nil, httpStatus: Int? = nil,
                endpoint: String? = nil, responseExcerpt: String? = nil, transportError: TransportError? = nil) {
        self.kind = kind
        self.message = message
        self.logID = logID.map(Secrets.printable)   // server text: no terminal control characters
        self.httpStatus = httpStatus
        self.endpoint = endpoint
        self.responseExcerpt = responseExcerpt
        self.transportError = transportError
    }

    /// A validation error naming the offending input.
    public static func validation(_ field: String, _ message: String) -> TikTokError {
        TikTokError(.validation(field: field), message: message)
    }

    /// Whether this is TikTok's `error.code` `code`.
    public func isAPIError(_ code: APIErrorCode) -> Bool { kind == .api(code) }

    /// What the caller should do, broadly.
    public var classification: Classification { ErrorAdvice.advice(for: self).classification }

    /// What to do about it, in plain words. Also ``recoverySuggestion`` (`LocalizedError`).
    public var advice: String { ErrorAdvice.advice(for: self).suggestion }

    /// TikTok's code (with `invalid_params` normalised to `invalid_param`), or a short name for
    /// errors TikTok did not send.
    public var code: String {
        switch kind.storage {
        case .api(let code): Secrets.printable(code.rawValue)
        case .oauth(let code): Secrets.printable(code.rawValue)
        case .publishFailed(let reason): Secrets.printable(reason.rawValue)
        case .http(let status): "http_\(status)"
        case .transport(let kind): "transport_\(kind.rawValue)"
        case .undecodableResponse: "undecodable_response"
        case .validation(let field): "invalid_\(field)"
        case .upload(let failure): failure.rawValue
        case .media(let refusal): refusal.rawValue
        }
    }
}

extension TikTokError: CustomStringConvertible, CustomDebugStringConvertible, LocalizedError {
    /// `code: message [HTTP status, log_id …, endpoint]`.
    public var description: String {
        var text = code
        if !message.isEmpty { text += ": \(message)" }
        var context: [String] = []
        if let httpStatus { context.append("HTTP \(httpStatus)") }
        if let logID { context.append("log_id \(logID)") }
        if let publishID { context.append("publish_id \(publishID)") }
        if let endpoint { context.append(endpoint) }
        if !context.isEmpty { text += " [\(context.joined(separator: ", "))]" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let responseExcerpt { text += " body: \(responseExcerpt)" }
        return text
    }

    public var errorDescription: String? { description }

    public var failureReason: String? { message.isEmpty ? nil : message }

    /// The same as ``advice``; never nil.
    public var recoverySuggestion: String? { advice }
}

extension TikTokError {
    /// Keeps at most 200 characters of a response body, with token-like values removed.
    static func excerpt(of body: Data) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        return String(Secrets.scrub(text).prefix(200))
    }
}

/// Removes values that look like TikTok credentials from free text.
enum Secrets {
    /// Replaces `act.…`, `rft.…`, `clt.…` tokens, `upload_token=…`, `Bearer …`, values of JSON
    /// keys naming tokens or secrets, and each of `exact` (the credentials a call used, whatever
    /// their shape) with `<redacted>`.
    static func scrub(_ text: String, removing exact: [String] = []) -> String {
        var result = text
        for secret in exact where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        let patterns = [
            #"(?i)\b(act|rft|clt)\.[A-Za-z0-9._~\-!*]+"#,
            #"(?i)(upload_token=)[^&\s"']+"#,
            #"(?i)(bearer\s+)[A-Za-z0-9._~+/=\-!*]+"#,
            #"(?i)("(?:access_token|refresh_token|client_secret|code_verifier|token)"\s*:\s*")[^"]*"#,
            #"(?i)((?:access_token|refresh_token|client_secret|code_verifier|token)=)[^&\s"']+"#,
        ]
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(result.startIndex..., in: result)
            let template = regex.numberOfCaptureGroups > 0 && !pattern.contains("(act|rft|clt)") ? "$1<redacted>" : "<redacted>"
            result = regex.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return printable(result)
    }

    /// `text` with control characters (C0, DEL, C1: escape sequences that would drive a terminal)
    /// and bidirectional overrides shown as `\u{…}` escapes, so server text printed by an app
    /// cannot rewrite the screen or hide what it says.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let control = value < 0x20 || (0x7F...0x9F).contains(value)
            let bidi = (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            if control || bidi {
                result += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

// MARK: Which publish an error is about

extension TikTokError {
    /// This error, naming `publishID` unless it names a publish already (a restart's fresh
    /// publish, say). The one way the upload path puts a publish ID on an error: through
    /// ``attributing(to:isolation:_:)`` around a step that runs once a publish exists, or in the
    /// uploader's `run`, whose publish can change under it.
    func attributed(to publishID: String) -> TikTokError {
        var error = self
        if error.publishID == nil { error.publishID = publishID }
        return error
    }
}

/// Runs `body`, a step that runs once publish `publishID` exists; a ``TikTokError`` it throws
/// comes out naming that publish (``TikTokError/attributed(to:)``), so the caller can follow or
/// clean it up. Runs on the caller's actor.
func attributing<Result>(to publishID: String, isolation: isolated (any Actor)? = #isolation,
                         _ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let error as TikTokError {
        throw error.attributed(to: publishID)
    }
}
