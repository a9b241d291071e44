import Foundation

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

    /// Decodes a JSON integer of any length exactly (a 25-digit one too; `Decimal` keeps up to 38
    /// digits) or a string of digits. Fractions, negatives, other strings and numbers of more than
    /// 32 digits are refused: none of them is a TikTok post ID. (A JSON float such as
    /// `7.663542984343883e18` already lost digits before it arrived; the status call refuses
    /// it from the response text.)
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(UInt64.self) {
            rawValue = String(value)
        } else if let value = try? container.decode(String.self) {
            guard Self.isDigits(value) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a post ID is decimal digits")
            }
            rawValue = value
        } else if let value = try? container.decode(Decimal.self) {
            let text = value.description
            guard Self.isDigits(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "a post ID is a whole, non-negative number")
            }
            rawValue = text
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a post ID must be an integer or a string")
        }
    }

    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Whether a status response's post-ID list holds a number written with a fraction or an
    /// exponent. Decoding cannot tell `7.663542984343883e18` from `7663542984343883000`, and the
    /// former is an ID that lost its last digits on the way: it must not be reported as real.
    static func containsNonIntegerID(in body: Data) -> Bool {
        let separators: Set<UInt8> = [0x20, 0x3A, 0x0A, 0x0D, 0x09]   // space, colon, newlines, tab
        for key in ["\"publicaly_available_post_id\"", "\"publicly_available_post_id\"", "\"publically_available_post_id\""] {
            var searchFrom = body.startIndex
            while let found = body.range(of: Data(key.utf8), in: searchFrom..<body.endIndex) {
                searchFrom = found.upperBound
                guard let open = body[found.upperBound...].firstIndex(where: { !separators.contains($0) }),
                      body[open] == UInt8(ascii: "[") else { continue }
                var inString = false
                var escaped = false
                for byte in body[(open + 1)...] {
                    if inString {
                        if escaped {
                            escaped = false
                        } else if byte == UInt8(ascii: "\\") {
                            escaped = true
                        } else if byte == UInt8(ascii: "\"") {
                            inString = false
                        }
                        continue
                    }
                    if byte == UInt8(ascii: "]") { break }
                    if byte == UInt8(ascii: "\"") { inString = true }
                    if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return true }
                }
            }
        }
        return false
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
