/// A TikTok post ID: a 19-digit number that must never pass through `Double`.
///
/// TikTok sends `publicaly_available_post_id` entries as JSON numbers such as
/// `7663542984343883021`; a decoder that goes through `Double` turns that into
/// `7663542984343883000`. `PostID` decodes integers exactly (up to `UInt64.max`) and also
/// accepts strings, and keeps the decimal text.
public struct PostID: Codable, Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The ID's decimal digits.
    public let rawValue: String

    /// Creates an ID from its decimal text.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.init(value) }

    /// The ID as a 64-bit integer, when it fits.
    public var int64Value: Int64? { Int64(rawValue) }

    /// The post's public web address, when the creator's username is known.
    public func webURL(username: String) -> String {
        "https://www.tiktok.com/@\(username)/video/\(rawValue)"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            rawValue = String(value)
        } else if let value = try? container.decode(UInt64.self) {
            rawValue = String(value)
        } else if let value = try? container.decode(String.self) {
            rawValue = value
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a post ID must be an integer or a string")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = UInt64(rawValue) {
            try container.encode(value)
        } else {
            try container.encode(rawValue)
        }
    }

    public var description: String { rawValue }
}
