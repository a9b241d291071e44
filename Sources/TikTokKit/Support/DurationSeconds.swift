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
    package var inMillisecondsRoundedUp: Int64 { whole(unitsPerSecond: 1000, roundingUp: true) }

    /// The duration in whole nanoseconds (truncated below a nanosecond), clamped to `Int64`.
    package var inNanoseconds: Int64 { whole(unitsPerSecond: 1_000_000_000, roundingUp: false) }

    /// The duration counted in units of which a second has `unitsPerSecond` (a power of ten up to
    /// 10^18), the fraction of a unit dropped or rounded up, clamped to `Int64` on overflow.
    private func whole(unitsPerSecond: Int64, roundingUp: Bool) -> Int64 {
        let (seconds, attoseconds) = components
        let attosecondsPerUnit = 1_000_000_000_000_000_000 / unitsPerSecond
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unitsPerSecond)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let fraction = attoseconds / attosecondsPerUnit + (roundingUp && attoseconds % attosecondsPerUnit > 0 ? 1 : 0)
        let (total, overflowed) = scaled.addingReportingOverflow(fraction)
        return overflowed ? (seconds < 0 ? .min : .max) : total
    }

    /// The duration for a log line: whole milliseconds below a second (`188 ms`), else seconds
    /// to a tenth (`2.5 s`, `61.2 s`), instead of `Duration`'s nine-decimal `0.187699511 seconds`.
    package var brief: String {
        let milliseconds = inMillisecondsRoundedUp
        guard milliseconds >= 1000 else { return "\(milliseconds) ms" }
        let tenths = milliseconds / 100 + (milliseconds % 100 >= 50 ? 1 : 0)   // no overflow at Int64.max
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }

    /// A `Retry-After` header in seconds (TikTok sends no HTTP dates); nil when absent, not a
    /// number, negative, or a day or more (a broken proxy's, not TikTok's).
    package init?(retryAfter header: String?) {
        guard let header, let seconds = Double(header.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds < 86_400 else {
            return nil
        }
        self = .milliseconds(Int64(seconds * 1000))
    }
}
