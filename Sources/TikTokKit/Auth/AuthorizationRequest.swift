public import Foundation

/// The URL that sends a user to TikTok's consent page, and the parsing of where TikTok sends
/// them back.
///
/// ```swift
/// let pkce = PKCE()
/// let request = AuthorizationRequest(clientKey: "aw123", scopes: ["user.info.basic", "video.upload"],
///                                    redirectURI: "http://127.0.0.1:8123/callback/", pkce: pkce)
/// open(request.url)                         // in a browser
/// let callback = try request.callback(from: callbackURL)   // checks `state`
/// let tokens = try await oauth.exchange(code: callback.code, redirectURI: request.redirectURI,
///                                       codeVerifier: pkce.verifier)
/// ```
public struct AuthorizationRequest: Sendable, Hashable {
    /// TikTok's authorization page.
    public static let authorizeURL = URL(string: "https://www.tiktok.com/v2/auth/authorize/")!

    /// The app's client key.
    public var clientKey: String
    /// The scopes to ask for; sent comma-separated.
    public var scopes: [String]
    /// Must exactly match a redirect URI registered for the app.
    public var redirectURI: String
    /// A random CSRF token echoed back in the callback; generated if not given.
    public var state: String
    /// The PKCE pair; required for desktop and mobile apps.
    public var pkce: PKCE?
    /// The authorization page; default ``authorizeURL``.
    public var authorizeURL: URL

    /// Creates an authorization request.
    public init(clientKey: String, scopes: [String], redirectURI: String, state: String? = nil,
                pkce: PKCE? = nil, authorizeURL: URL = AuthorizationRequest.authorizeURL) {
        self.clientKey = clientKey
        self.scopes = scopes
        self.redirectURI = redirectURI
        self.state = state ?? PKCE(length: 43).verifier
        self.pkce = pkce
        self.authorizeURL = authorizeURL
    }

    /// The URL to open in a browser.
    public var url: URL {
        var components = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        var items = [
            URLQueryItem(name: "client_key", value: clientKey),
            URLQueryItem(name: "scope", value: scopes.joined(separator: ",")),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "response_type", value: "code"),
        ]
        if let pkce {
            items.append(URLQueryItem(name: "code_challenge", value: pkce.challenge))
            items.append(URLQueryItem(name: "code_challenge_method", value: pkce.method))
        }
        components.percentEncodedQuery = FormEncoding.encode(items.map { ($0.name, $0.value ?? "") })
        return components.url ?? authorizeURL
    }

    /// What TikTok's redirect carried.
    public struct Callback: Sendable, Hashable {
        /// The single-use authorization code.
        public var code: String
        /// The scopes the user granted (TikTok's `scopes`, plural); may be fewer than asked.
        public var grantedScopes: [String]
    }

    /// Reads the redirect TikTok sent the browser to.
    /// - Throws: ``TikTokError``: ``TikTokError/Kind/oauth(_:)`` when TikTok reported `error`
    ///   (the user declined, say), or a validation error when `state` does not match (a possible
    ///   CSRF attempt) or no code is present.
    public func callback(from url: URL) throws -> Callback {
        // Form encoding: `+` is a space (URLComponents leaves it as is).
        let items = FormEncoding.decode(URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery ?? "")
        func value(_ name: String) -> String? { items.first { $0.0 == name }?.1 }
        if let error = value("error"), !error.isEmpty {
            throw TikTokError(.oauth(OAuthErrorCode(rawValue: error)), message: value("error_description") ?? "")
        }
        guard value("state") == state else {
            throw TikTokError.validation("state", "the callback's state does not match the request's: ignore this callback (it may be forged) and start the login again")
        }
        guard let code = value("code"), !code.isEmpty else {
            throw TikTokError.validation("code", "the callback carries no authorization code")
        }
        let scopes = (value("scopes") ?? "").split(separator: ",").map(String.init)
        return Callback(code: code, grantedScopes: scopes)
    }
}

/// `application/x-www-form-urlencoded`, with everything but RFC 3986 unreserved characters
/// percent-encoded. Shared with the sandbox's OAuth endpoints.
package enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    package static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { name, value in
            "\(escape(name))=\(escape(value))"
        }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    package static func decode(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            func unescape(_ text: String) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
            }
            return (unescape(parts.first ?? ""), unescape(parts.count > 1 ? parts[1] : ""))
        }
    }
}
