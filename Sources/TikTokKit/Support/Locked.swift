import Foundation

/// A value guarded by a lock, for state shared between threads (the C boundary, test doubles).
///
/// `Synchronization.Mutex` would do, but needs macOS 15 / iOS 18; this works everywhere the
/// package builds. Visible to the package's other targets, not to users.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value. The lock is not recursive: `body` must
    /// not call back into the owner.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
