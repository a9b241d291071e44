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
}
