import Testing
import TikTokKit

/// The package's one `Duration` conversion, exact below a second.
@Suite("Duration in seconds")
struct DurationSecondsTests {
    @Test func subSecondDurationsKeepTheirFraction() {
        #expect(Duration.milliseconds(500).inSeconds == 0.5)
        #expect(Duration.seconds(2.25).inSeconds == 2.25)
        #expect(Duration.zero.inSeconds == 0)
        #expect(Duration.microseconds(1).inSeconds == 0.000_001)
    }

    @Test func millisecondsRoundUpAndClamp() {
        #expect(Duration.milliseconds(500).inMillisecondsRoundedUp == 500)
        #expect(Duration.microseconds(1).inMillisecondsRoundedUp == 1)
        #expect(Duration.microseconds(1_001).inMillisecondsRoundedUp == 2)
        #expect(Duration.zero.inMillisecondsRoundedUp == 0)
        #expect(Duration.seconds(Int64.max).inMillisecondsRoundedUp == .max)
    }

    @Test func nanosecondsKeepSubSecondsAndClamp() {
        #expect(Duration.milliseconds(500).inNanoseconds == 500_000_000)
        #expect(Duration.seconds(30).inNanoseconds == 30_000_000_000)
        #expect(Duration.nanoseconds(7).inNanoseconds == 7)
        #expect(Duration.seconds(Int64.max).inNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).inNanoseconds == .min)
    }

    /// A `Retry-After` is whole or fractional seconds; anything else, or a day or more, is ignored.
    @Test func retryAfterHeaders() {
        #expect(Duration(retryAfter: "2") == .seconds(2))
        #expect(Duration(retryAfter: " 0.5 ") == .milliseconds(500))
        #expect(Duration(retryAfter: "0") == .zero)
        #expect(Duration(retryAfter: nil) == nil)
        #expect(Duration(retryAfter: "-1") == nil)
        #expect(Duration(retryAfter: "86400") == nil)
        #expect(Duration(retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT") == nil)
    }

    /// Log lines show waits as people read them.
    @Test func briefDescriptions() {
        #expect(Duration.nanoseconds(187_699_511).brief == "188 ms")
        #expect(Duration.zero.brief == "0 ms")
        #expect(Duration.milliseconds(999).brief == "999 ms")
        #expect(Duration.seconds(1).brief == "1 s")
        #expect(Duration.milliseconds(2_500).brief == "2.5 s")
        #expect(Duration.milliseconds(61_200).brief == "61.2 s")
        #expect(Duration.milliseconds(59_960).brief == "60 s")
        #expect(Duration.seconds(Int64.max).brief.hasSuffix(" s"))   // clamped, no overflow trap
    }
}
