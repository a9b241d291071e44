import Foundation
import TikTokKit

/// A method and a URL path: the key replies and closures are scripted under.
struct Route: Hashable, Sendable {
    let method: TikTokHTTPMethod
    let path: String

    /// The route of a request.
    init(method: TikTokHTTPMethod, url: URL) {
        self.method = method
        self.path = Self.path(of: url)
    }

    /// A route as a test writes it: `"/v2/user/info/"`, or a whole URL. A query string or
    /// fragment, and a scheme and host, are ignored; a missing leading `/` is supplied.
    init(method: TikTokHTTPMethod, path: String) {
        self.method = method
        self.path = Self.normalize(path)
    }

    /// The path of `url`, without query or fragment; `/` when it has none.
    static func path(of url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.path ?? url.path
        return path.isEmpty ? "/" : path
    }

    private static func normalize(_ text: String) -> String {
        if text.contains("://"), let url = URL(string: text) {
            return path(of: url)
        }
        let bare = String(text.prefix { $0 != "?" && $0 != "#" })
        return bare.hasPrefix("/") ? bare : "/" + bare
    }
}
