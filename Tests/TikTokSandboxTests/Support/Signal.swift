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

/// Holds threads (a server handler's, never a task's) until it is opened.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func open() {
        condition.withLock {
            isOpen = true
            condition.broadcast()
        }
    }

    /// Blocks the calling thread until `open()` or `atMost` has passed; call it only on a thread
    /// of its own, such as an `HTTPServer` handler's.
    func wait(atMost limit: Duration) {
        let deadline = Date().addingTimeInterval(Double(limit.components.seconds))
        condition.withLock {
            while !isOpen, condition.wait(until: deadline) {}   // blocking-ok: a handler's own thread
        }
    }
}
