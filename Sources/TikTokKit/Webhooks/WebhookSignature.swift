public import Foundation

/// The parsed `TikTok-Signature` header: `t=<unix seconds>,s=<hex HMAC-SHA256>`.
public struct WebhookSignature: Sendable, Hashable {
    /// The timestamp TikTok signed, in seconds since 1970.
    public let timestamp: Int64
    /// The signatures (`s=`) in the header; normally one.
    public let signatures: [String]

    /// Parses a header value.
    /// - Throws: ``TikTokError`` (validation of `TikTok-Signature`) when the header is not
    ///   `t=…,s=…` with an integer timestamp and 64-hex-digit signatures.
    public init(header: String) throws {
        var timestamp: Int64?
        var signatures: [String] = []
        guard header.utf8.count <= 1024 else { throw Self.malformed("the header is too long") }
        for part in header.split(separator: ",", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2 else { throw Self.malformed("\"\(part.prefix(20))\" is not key=value") }
            switch pieces[0] {
            case "t":
                guard timestamp == nil, let value = Int64(pieces[1]), value > 0 else {
                    throw Self.malformed("the timestamp must appear once, as positive whole seconds")
                }
                timestamp = value
            case "s":
                let hex = pieces[1].lowercased()
                guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else {
                    throw Self.malformed("a signature must be 64 hex digits")
                }
                signatures.append(hex)
            default:
                continue   // Unknown keys are ignored, for forward compatibility.
            }
        }
        guard let timestamp else { throw Self.malformed("no t= timestamp") }
        guard !signatures.isEmpty else { throw Self.malformed("no s= signature") }
        self.timestamp = timestamp
        self.signatures = signatures
    }

    private static func malformed(_ reason: String) -> TikTokError {
        TikTokError.validation("TikTok-Signature", "malformed signature header: \(reason)")
    }
}

/// Checks that a webhook delivery really comes from TikTok and is fresh.
///
/// TikTok signs `"<t>.<raw body>"` with HMAC-SHA256 keyed by the app's client secret. Verify the
/// **raw** body bytes as received — never a re-serialised copy — then decode the event:
///
/// ```swift
/// let verifier = WebhookVerifier(clientSecret: secret)
/// let event = try verifier.verifiedEvent(signatureHeader: request.headers["TikTok-Signature"], body: rawBody)
/// switch event.kind {
/// case .publishFailed(let content): …
/// default: break
/// }
/// // Answer 200 at once; TikTok retries for 72 hours otherwise, and may deliver twice.
/// ```
public struct WebhookVerifier: Sendable, CustomStringConvertible, CustomReflectable {
    private let key: [UInt8]
    /// How far the signed timestamp may be from now, either way. Default 5 minutes.
    public let tolerance: Duration
    private let now: @Sendable () -> Date
    private let replayCache: WebhookReplayCache?

    /// Creates a verifier.
    /// - Parameters:
    ///   - clientSecret: The app's client secret (the HMAC key).
    ///   - tolerance: The largest accepted age (and clock skew) of a signature.
    ///   - replayCache: Remembers accepted signatures so a captured delivery cannot be replayed
    ///     within the tolerance window. Default: a new in-memory cache; pass `nil` to disable.
    public init(clientSecret: String, tolerance: Duration = .seconds(300),
                replayCache: WebhookReplayCache? = WebhookReplayCache()) {
        self.init(clientSecret: clientSecret, tolerance: tolerance, replayCache: replayCache, now: { Date() })
    }

    /// Creates a verifier that reads the time from `now` (a test's fixed clock).
    @_spi(Testing)
    public init(clientSecret: String, tolerance: Duration = .seconds(300),
                replayCache: WebhookReplayCache? = WebhookReplayCache(),
                now: @escaping @Sendable () -> Date) {
        self.key = Array(clientSecret.utf8)
        self.tolerance = tolerance
        self.replayCache = replayCache
        self.now = now
    }

    /// Verifies a delivery.
    /// - Parameters:
    ///   - signatureHeader: The `TikTok-Signature` header value (header names are case-insensitive).
    ///   - body: The raw request body.
    /// - Returns: The parsed header.
    /// - Throws: ``TikTokError`` (validation of `TikTok-Signature`) when the header is missing or
    ///   malformed, the signature does not match, the timestamp is outside the tolerance, or the
    ///   delivery was already accepted.
    @discardableResult
    public func verify(signatureHeader: String?, body: Data) throws -> WebhookSignature {
        let (signature, isNew) = try check(signatureHeader: signatureHeader, body: body)
        guard isNew else { throw TikTokError.validation("TikTok-Signature", "this delivery was already accepted (a replay)") }
        return signature
    }

    /// Verifies a delivery and tells a new event from one already accepted: the call a webhook
    /// endpoint makes.
    ///
    /// Answer **200** to both ``WebhookDelivery/new(_:)`` and ``WebhookDelivery/duplicate(_:)``,
    /// and process only the new one: a duplicate is TikTok retrying a delivery whose 200 it did
    /// not see (or a captured request replayed), and any other answer makes TikTok retry it for
    /// up to 72 hours. Answer 400 when this throws.
    /// - Throws: ``TikTokError`` (validation of `TikTok-Signature`) when the header is missing or
    ///   malformed, the signature does not match, or the timestamp is outside the tolerance;
    ///   or a decoding error when the body is not an event.
    public func receive(signatureHeader: String?, body: Data) throws -> WebhookDelivery {
        let (_, isNew) = try check(signatureHeader: signatureHeader, body: body)
        let event = try WebhookEvent(json: body)
        return isNew ? .new(event) : .duplicate(event)
    }

    /// Checks the signature and the timestamp, then records the delivery in the replay cache;
    /// `isNew` is false when the cache had it already.
    private func check(signatureHeader: String?, body: Data) throws -> (WebhookSignature, isNew: Bool) {
        guard let signatureHeader else {
            throw TikTokError.validation("TikTok-Signature", "the request has no TikTok-Signature header")
        }
        let signature = try WebhookSignature(header: signatureHeader)
        let signed = Array("\(signature.timestamp).".utf8) + Array(body)
        let expected = HMACSHA256.authenticationCode(for: signed, key: key).hexString
        guard signature.signatures.contains(where: { HMACSHA256.constantTimeEquals(Array($0.utf8), Array(expected.utf8)) }) else {
            throw TikTokError.validation("TikTok-Signature", "the signature does not match the body and client secret")
        }
        let age = now().timeIntervalSince1970 - Double(signature.timestamp)
        let limit = tolerance.inSeconds
        guard abs(age) <= limit else {
            throw TikTokError.validation("TikTok-Signature",
                                         "the signature is \(Int(age)) s old; more than \(limit) s apart from now (a replay or a wrong clock)")
        }
        let isNew = replayCache?.accept(signature: expected, timestamp: signature.timestamp, tolerance: limit) ?? true
        return (signature, isNew)
    }

    /// How long TikTok retries a delivery that did not get 200: 72 hours. TikTok does not
    /// document whether a retry is signed anew; if it is not, a retry carries its first
    /// timestamp, and a receiver whose ``tolerance`` is shorter rejects it as stale. Pass this
    /// as the tolerance (with ``receive(signatureHeader:body:)`` answering duplicates 200) to
    /// accept every retry.
    public static let tikTokRetryWindow: Duration = .seconds(72 * 3600)

    /// Verifies a delivery and decodes its event.
    public func verifiedEvent(signatureHeader: String?, body: Data) throws -> WebhookEvent {
        try verify(signatureHeader: signatureHeader, body: body)
        return try WebhookEvent(json: body)
    }

    /// Never shows the client secret.
    public var description: String { "WebhookVerifier(tolerance: \(tolerance))" }

    /// What `dump`, a debugger and a failing test expectation show: never the key (the client
    /// secret's bytes).
    public var customMirror: Mirror {
        Mirror(self, children: ["key": "<redacted>", "tolerance": tolerance, "replayCache": replayCache as Any])
    }
}

/// A verified webhook delivery: a new event, or one already accepted.
public enum WebhookDelivery: Sendable, Hashable {
    /// An event not seen before: process it, then answer 200.
    case new(WebhookEvent)
    /// A delivery already accepted (TikTok retrying, or a replay): answer 200 and do not
    /// process it again.
    case duplicate(WebhookEvent)

    /// The event, new or not.
    public var event: WebhookEvent {
        switch self {
        case .new(let event), .duplicate(let event): event
        }
    }

    /// Whether the delivery was already accepted.
    public var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}

/// Remembers recently accepted webhook signatures, so the same delivery is accepted only once.
///
/// TikTok itself delivers at least once, so a legitimate retry of an event arrives with a new
/// timestamp and signature; make event handling idempotent on `publish_id` as well.
public final class WebhookReplayCache: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: Int64] = [:]

    /// Creates an empty cache.
    public init() {}

    /// Records a signature; false when it was already recorded. Forgets entries older than
    /// twice the tolerance.
    func accept(signature: String, timestamp: Int64, tolerance: Double) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let horizon = timestamp - Int64((2 * tolerance).rounded(.up))
        seen = seen.filter { $0.value >= horizon }
        guard seen[signature] == nil else { return false }
        seen[signature] = timestamp
        return true
    }
}
