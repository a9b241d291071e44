import Foundation

/// A parsed `Content-Range: bytes first-last/total` header (`bytes */total` has no range).
public struct ContentRange: Sendable, Hashable, CustomStringConvertible {
    /// The first byte, inclusive.
    public let first: Int64?
    /// The last byte, inclusive.
    public let last: Int64?
    /// The total size, if given.
    public let total: Int64?

    /// Parses a header value; nil when it is not a byte range.
    public init?(_ header: String) {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes"), text.count <= 100 else { return nil }
        let spec = text.dropFirst(5).trimmingCharacters(in: CharacterSet(charactersIn: " ="))
        let halves = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        if halves[1] == "*" {
            total = nil
        } else {
            guard let value = Int64(halves[1]), value >= 0 else { return nil }
            total = value
        }
        if halves[0] == "*" {
            first = nil
            last = nil
        } else {
            let bounds = halves[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard bounds.count == 2, let low = Int64(bounds[0]), let high = Int64(bounds[1]), low >= 0, high >= low else {
                return nil
            }
            first = low
            last = high
        }
        if first == nil && total == nil { return nil }
    }

    public var description: String {
        "bytes \(first.map { "\($0)-\(last ?? $0)" } ?? "*")/\(total.map(String.init) ?? "*")"
    }
}
