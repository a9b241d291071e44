import Foundation

extension Duration {
    /// The duration in seconds, exact to the attosecond a `Double` can hold: 0.5 s is 0.5, not
    /// 0 (taking only `components.seconds` truncates, which made sub-second settings vanish).
    /// The package's one conversion; visible to its targets, not to users.
    package var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded up (a positive wait never becomes 0), clamped
    /// to `Int64`.
    package var inMillisecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let fraction = attoseconds / 1_000_000_000_000_000 + (attoseconds % 1_000_000_000_000_000 > 0 ? 1 : 0)
        let (total, overflowed) = whole.addingReportingOverflow(fraction)
        return overflowed ? .max : total
    }
}
