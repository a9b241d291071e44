import Foundation

/// Runs blocking work (file generation, a socket read, a child's pipe) on a thread of its own and
/// suspends the calling task until it is done.
///
/// Swift's cooperative pool has as many threads as the machine has cores and does not replace a
/// blocked one: work that blocks a pool thread for long slows every task beside it (on a 2-core
/// machine, two such calls stop them all). The package's own targets and tests call this instead;
/// `BlockingCallLintTests` enforces it. Visible to the package's targets, not to users.
package func onOwnThread<T: Sendable>(_ name: String = "TikTokKit.blocking",
                                      _ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = name
        thread.start()
    }
}
