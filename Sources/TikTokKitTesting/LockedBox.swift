import Foundation

/// A value guarded by a lock, so one `FakeTransport` can be used from many tasks at once.
///
/// TikTokKit's own `Locked` is internal to that module, and `Synchronization.Mutex` needs
/// macOS 15 / iOS 18; this works everywhere the package builds.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value. `body` must not call back into the
    /// owner of this box: the lock is not recursive.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
