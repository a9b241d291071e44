import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the accept thread, the connection threads and `shutdown()` share: counters, the open
/// connection sockets, and whether the server is stopping.
///
/// Connection sockets are closed only here, under the lock, so `shutdown()` never shuts down a
/// descriptor number that has meanwhile been reused for some other file.
final class ServerState: @unchecked Sendable {
    private let lock = NSCondition()
    private var accepted = 0
    private var handled = 0
    private var open: Set<Int32> = []
    private var stopping = false
    private var acceptLoopRunning = true

    var acceptedCount: Int { lock.withLock { accepted } }
    var handledCount: Int { lock.withLock { handled } }
    var openCount: Int { lock.withLock { open.count } }
    var isStopping: Bool { lock.withLock { stopping } }

    /// Records an accepted socket and returns its 1-based connection ID, or nil (having closed
    /// it) when the server is stopping.
    func register(_ fd: Int32) -> Int? {
        lock.withLock {
            guard !stopping else {
                close(fd)
                return nil
            }
            accepted += 1
            open.insert(fd)
            return accepted
        }
    }

    func requestHandled() {
        lock.withLock { handled += 1 }
    }

    /// Forgets and closes a connection socket.
    func closeConnection(_ fd: Int32) {
        lock.withLock {
            open.remove(fd)
            close(fd)
        }
    }

    /// Marks the server as stopping and shuts down the listener and every open connection, which
    /// wakes threads blocked in `accept` and `recv`. Returns false if it had already begun.
    func beginStopping(listener: Int32) -> Bool {
        lock.withLock {
            guard !stopping else { return false }
            stopping = true
            Socket.shutdown(listener, reading: true, writing: true)
            for fd in open { Socket.shutdown(fd, reading: true, writing: true) }
            return true
        }
    }

    func acceptLoopFinished() {
        lock.withLock {
            acceptLoopRunning = false
            lock.broadcast()
        }
    }

    func waitForAcceptLoop() {
        lock.withLock {
            while acceptLoopRunning { lock.wait() }   // blocking-ok: a moment; the listener is already shut down
        }
    }
}
