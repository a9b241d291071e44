// The examples' command lines, taken apart the simple way: each option is removed as it is read,
// and what is left are the positional arguments.

/// The command-line arguments of an example.
///
/// ```swift
/// var arguments = Arguments()
/// let title = try arguments.option("--title")        // "--title VALUE", or nil
/// let draft = arguments.flag("--draft")              // "--draft" present?
/// let files = try arguments.positionals()            // the rest; an unknown --option throws
/// ```
public struct Arguments {
    private var remaining: [String]

    /// Reads the process's arguments (without the program name) unless given others.
    public init(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        remaining = arguments
    }

    /// Whether there are no arguments at all.
    public var isEmpty: Bool { remaining.isEmpty }

    /// Whether `--help` or `-h` was given.
    public var wantsHelp: Bool { remaining.contains("--help") || remaining.contains("-h") }

    /// Removes `name VALUE` and returns the value; nil when the option is absent.
    /// - Throws: ``ExampleFailure`` when the option has no value after it.
    public mutating func option(_ name: String) throws -> String? {
        guard let index = remaining.firstIndex(of: name) else { return nil }
        guard index + 1 < remaining.count else { throw ExampleFailure("\(name) needs a value; see --help") }
        defer { remaining.removeSubrange(index...(index + 1)) }
        return remaining[index + 1]
    }

    /// Removes `name NUMBER` and returns the number; nil when the option is absent.
    /// - Throws: ``ExampleFailure`` when the value is missing, not a whole number, or below `minimum`.
    public mutating func integer(_ name: String, minimum: Int64 = 1) throws -> Int64? {
        guard let text = try option(name) else { return nil }
        guard let value = Int64(String(text.filter { $0 != "_" })), value >= minimum else {
            throw ExampleFailure("\(name) needs a whole number of at least \(minimum), not \"\(text)\"; see --help")
        }
        return value
    }

    /// Removes `name NUMBER` and returns the number; nil when the option is absent.
    /// - Throws: ``ExampleFailure`` when the value is missing, not a finite number, or outside `range`.
    public mutating func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = try option(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw ExampleFailure("\(name) needs a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"; see --help")
        }
        return value
    }

    /// Removes the flag `name` and returns whether it was there.
    public mutating func flag(_ name: String) -> Bool {
        guard let index = remaining.firstIndex(of: name) else { return false }
        remaining.remove(at: index)
        return true
    }

    /// What is left once the options were read.
    /// - Throws: ``ExampleFailure`` on an option nobody read — most likely a typo.
    public func positionals() throws -> [String] {
        if let unknown = remaining.first(where: { $0.hasPrefix("--") }) {
            throw ExampleFailure("unknown option \(unknown); see --help")
        }
        return remaining
    }
}
