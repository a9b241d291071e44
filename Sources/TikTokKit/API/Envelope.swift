/// The `error` object every Content Posting response carries; `code == .ok` means success.
package struct APIErrorBody: Codable, Sendable, Hashable {
    /// The outcome; anything but ``APIErrorCode/ok`` is a failure.
    public var code: APIErrorCode
    /// TikTok's message, often empty on success.
    public var message: String
    /// TikTok's request identifier, for support requests.
    public var logID: String?

    /// Creates an error body.
    public init(code: APIErrorCode, message: String = "", logID: String? = nil) {
        self.code = code
        self.message = message
        self.logID = logID
    }

    enum CodingKeys: String, CodingKey {
        case code
        case message
        case logID = "log_id"
        // The doc tables spell it `logid`; responses use `log_id`. Both are read.
        case legacyLogID = "logid"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(APIErrorCode.self, forKey: .code)
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        logID = try container.decodeIfPresent(String.self, forKey: .logID)
            ?? container.decodeIfPresent(String.self, forKey: .legacyLogID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(logID, forKey: .logID)
    }
}

/// The `{"data": …, "error": …}` envelope of a Content Posting response. `data` is optional:
/// error responses omit it or send `{}`, and cancel sends none.
package struct APIEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    /// The payload, when the call succeeded and has one.
    public var data: Payload?
    /// The outcome.
    public var error: APIErrorBody

    /// Creates an envelope.
    public init(data: Payload?, error: APIErrorBody) {
        self.data = data
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case data
        case error
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        error = try container.decode(APIErrorBody.self, forKey: .error)
        // On failure TikTok may send `data: {}` or nothing; only a successful call must decode.
        if error.code == .ok {
            data = try container.decodeIfPresent(Payload.self, forKey: .data)
        } else {
            data = try? container.decodeIfPresent(Payload.self, forKey: .data)
        }
    }
}

/// A payload-less `data` object, for endpoints whose success carries nothing.
package struct EmptyPayload: Codable, Sendable, Hashable {
    /// Creates an empty payload.
    public init() {}
}
