import Foundation

/// A one-shot signal from a handler's thread to the test, awaited without blocking.
final class Signal: Sendable {
    private let fired = Shared(false)

    func fire() { fired.value = true }

    /// Whether the signal fired within `seconds`; polls, so the waiting task holds no thread.
    func wait(seconds: Double = 10) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !fired.value {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }
}
