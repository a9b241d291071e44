import Foundation

/// Helpers that keep credentials out of anything printed.
enum Redaction {
    /// A URL string without its query or fragment: `https://host/path?<redacted>`.
    static func url(_ text: String) -> String {
        guard let url = URL(string: text) else { return "<unparseable URL>" }
        let bare = url.redactedDescription
        return url.query == nil ? bare : bare + "?<redacted>"
    }

    /// A secret shown only by its length, for descriptions.
    static func secret(_ value: String) -> String {
        "<redacted \(value.count) chars>"
    }
}
