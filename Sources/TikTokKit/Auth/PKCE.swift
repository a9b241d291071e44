/// A PKCE pair (RFC 7636) in the form TikTok wants: a random verifier and its S256 challenge.
///
/// TikTok's desktop Login Kit needs the challenge as the **lowercase hex** SHA-256 of the
/// verifier — not RFC 7636's base64url — and TikTok's own iOS and Android SDKs do the same.
/// ``Encoding/base64URL`` is available for flows that follow the RFC.
///
/// ```swift
/// let pkce = PKCE()                       // new verifier for every authorization request
/// let url = AuthorizationRequest(clientKey: key, scopes: ["video.upload"],
///                                    redirectURI: redirect, pkce: pkce).url
/// // … later, exchange the code with pkce.verifier
/// ```
public struct PKCE: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// How the challenge is encoded.
    public enum Encoding: String, Sendable, Hashable {
        /// 64 lowercase hex characters: what TikTok documents and its SDKs send. The default.
        case hex
        /// RFC 7636 base64url without padding, 43 characters.
        case base64URL
    }

    /// The characters RFC 7636 allows in a verifier.
    package static let verifierAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The secret sent at token exchange. Never log it.
    public let verifier: String
    /// How ``challenge`` is encoded.
    public let encoding: Encoding

    /// Creates a pair with a fresh verifier from the system's CSPRNG.
    /// - Parameters:
    ///   - length: 43 to 128 characters (clamped); default 64.
    ///   - encoding: The challenge encoding; default ``Encoding/hex``.
    public init(length: Int = 64, encoding: Encoding = .hex) {
        var generator = SystemRandomNumberGenerator()
        let count = min(max(length, 43), 128)
        verifier = String((0..<count).map { _ in
            Self.verifierAlphabet[Int(generator.next(upperBound: UInt(Self.verifierAlphabet.count)))]
        })
        self.encoding = encoding
    }

    /// Wraps an existing verifier.
    /// - Throws: ``TikTokError`` (validation) unless it has 43–128 characters of the RFC 7636 alphabet.
    public init(verifier: String, encoding: Encoding = .hex) throws {
        guard (43...128).contains(verifier.count), verifier.allSatisfy({ Self.verifierAlphabet.contains($0) }) else {
            throw TikTokError.validation("codeVerifier", "a PKCE verifier has 43 to 128 characters of A-Z a-z 0-9 - . _ ~")
        }
        self.verifier = verifier
        self.encoding = encoding
    }

    /// The `code_challenge` for the authorization URL.
    public var challenge: String {
        let digest = SHA256.hash(Array(verifier.utf8))
        switch encoding {
        case .hex: return digest.hexString
        case .base64URL: return Base64URL.encode(digest.bytes)
        }
    }

    /// Always `S256`.
    public var method: String { "S256" }

    /// Shows the challenge, never the verifier.
    public var description: String { "PKCE(challenge: \(challenge), encoding: \(encoding.rawValue))" }

    /// What `dump`, a debugger and a failing test expectation show: the challenge, never the
    /// verifier (whoever has it can redeem an intercepted authorization code).
    public var customMirror: Mirror {
        Mirror(self, children: ["verifier": "<redacted>", "challenge": challenge, "encoding": encoding])
    }
}

enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var output: [Character] = []
        var index = 0
        while index + 2 < bytes.count {
            let value = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
            output += [alphabet[value >> 18 & 63], alphabet[value >> 12 & 63], alphabet[value >> 6 & 63], alphabet[value & 63]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = Int(bytes[index]) << 16
            output += [alphabet[value >> 18 & 63], alphabet[value >> 12 & 63]]
        } else if rest == 2 {
            let value = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8
            output += [alphabet[value >> 18 & 63], alphabet[value >> 12 & 63], alphabet[value >> 6 & 63]]
        }
        return String(output)
    }
}
