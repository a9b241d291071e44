/// HTTP header fields: ordered, repeatable, and looked up without regard to case.
///
/// ```swift
/// var headers: TikTokHTTPHeaders = ["Content-Type": "video/mp4"]
/// headers["content-range"] = "bytes 0-99/100"
/// headers["CONTENT-TYPE"]  // "video/mp4"
/// ```
public struct TikTokHTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible,
    CustomReflectable {
    /// One header field.
    public struct Field: Sendable, Hashable {
        /// The name as given; comparisons ignore its case.
        public var name: String
        /// The value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    /// Creates an empty set of fields.
    public init() { fields = [] }

    /// Creates fields from name-value pairs, in order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value for `name`, ignoring case. Setting replaces every field of that name;
    /// setting `nil` removes them.
    public subscript(name: String) -> String? {
        get { fields.first { Self.same($0.name, name) }?.value }
        set {
            if let index = fields.firstIndex(where: { Self.same($0.name, name) }), let newValue {
                fields[index].value = newValue
                let tail = fields[(index + 1)...].filter { !Self.same($0.name, name) }
                fields = Array(fields[...index]) + tail
            } else {
                fields.removeAll { Self.same($0.name, name) }
                if let newValue { fields.append(Field(name: name, value: newValue)) }
            }
        }
    }

    /// Every value for `name`, in order, ignoring case.
    public func values(for name: String) -> [String] {
        fields.filter { Self.same($0.name, name) }.map(\.value)
    }

    /// Whether any field is named `name`, ignoring case.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.same($0.name, name) }
    }

    /// Adds a field, keeping any existing ones of the same name.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Removes every field named `name`, ignoring case.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.same($0.name, name) }
    }

    /// The number of fields.
    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// Field names with values; `Authorization` and `Cookie` values are replaced by `<redacted>`.
    public var description: String {
        let shown = fields.map { field in
            "\(field.name): \(Self.isSensitive(field.name) ? "<redacted>" : field.value)"
        }
        return "[" + shown.joined(separator: ", ") + "]"
    }

    /// What `dump`, a debugger and a failing test expectation show: each field as in
    /// ``description``, credentials redacted (so a response's `Set-Cookie` stays hidden too).
    public var customMirror: Mirror {
        Mirror(self, children: fields.map { field in
            (label: field.name, value: Self.isSensitive(field.name) ? "<redacted>" : field.value) as Mirror.Child
        }, displayStyle: .dictionary)
    }

    /// Whether a header's value is a credential that must never be printed.
    public static func isSensitive(_ name: String) -> Bool {
        ["authorization", "proxy-authorization", "cookie", "set-cookie"].contains(name.lowercased())
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.lowercased() == b.lowercased()
    }
}
