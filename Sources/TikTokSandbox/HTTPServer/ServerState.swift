import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the accept thread, the connection threads and `shutdown()` share: counters, the open
/// connection sockets and which of them are idle, and whether the server is stopping.
///
/// Connection sockets are closed only here, under the lock, so `shutdown()` and the connection cap
/// never shut down a descriptor number that has meanwhile been reused for some other file.
final class ServerState: @unchecked Sendable {
    /// What the server knows about one open connection.
    private struct Slot {
        /// When it last began waiting for a request (uptime nanoseconds); nil while one is in progress.
        var idleSince: UInt64?
        /// Whether it was shut down to make room, or is only being refused: either way it no
        /// longer counts against the cap.
        var isLeaving: Bool
    }

    private let lock = NSCondition()
    private let cap: Int
    private var accepted = 0
    private var handled = 0
    private var evicted = 0
    private var refused = 0
    private var timedOut = 0
    private var open: [Int32: Slot] = [:]
    private var stopping = false
    private var acceptLoopRunning = true

    init(maxConnections: Int) {
        cap = maxConnections
    }

    var acceptedCount: Int { lock.withLock { accepted } }
    var handledCount: Int { lock.withLock { handled } }
    var openCount: Int { lock.withLock { open.count } }
    var evictedCount: Int { lock.withLock { evicted } }
    var refusedCount: Int { lock.withLock { refused } }
    var timedOutCount: Int { lock.withLock { timedOut } }
    var idleCount: Int { lock.withLock { open.values.count { !$0.isLeaving && $0.idleSince != nil } } }
    var isStopping: Bool { lock.withLock { stopping } }

    /// Records an accepted socket, making room under the cap by shutting down the connection idle
    /// longest if need be. Returns its 1-based connection ID and whether to refuse it (answer
    /// 503 and close: the cap is reached and no connection is idle), or nil (having closed it)
    /// when the server is stopping.
    func admit(_ fd: Int32) -> (id: Int, refused: Bool)? {
        lock.withLock {
            guard !stopping else {
                close(fd)
                return nil
            }
            accepted += 1
            let served = open.values.count { !$0.isLeaving }
            if served >= cap, !evictOldestIdleLocked() {
                refused += 1
                open[fd] = Slot(idleSince: nil, isLeaving: true)
                return (accepted, true)
            }
            open[fd] = Slot(idleSince: Self.now(), isLeaving: false)
            return (accepted, false)
        }
    }

    /// Shuts down the connection idle longest, if any, so its thread closes it; returns whether
    /// there was one. The accept thread calls it when the process is out of descriptors.
    @discardableResult
    func evictOldestIdle() -> Bool {
        lock.withLock { evictOldestIdleLocked() }
    }

    private func evictOldestIdleLocked() -> Bool {
        let idle = open.filter { !$0.value.isLeaving && $0.value.idleSince != nil }
        guard let oldest = idle.min(by: { ($0.value.idleSince ?? 0) < ($1.value.idleSince ?? 0) })?.key else { return false }
        open[oldest]?.isLeaving = true
        evicted += 1
        Socket.shutdown(oldest, reading: true, writing: true)
        return true
    }

    /// Marks a connection as waiting for its next request, which makes it a candidate to close
    /// when the cap is reached. A connection admitted a moment ago keeps its admission time.
    func becameIdle(_ fd: Int32) {
        lock.withLock {
            if open[fd]?.idleSince == nil { open[fd]?.idleSince = Self.now() }
        }
    }

    /// Marks a connection as having a request in progress; false when it was shut down to make
    /// room (or the server is stopping) and must close.
    func becameBusy(_ fd: Int32) -> Bool {
        lock.withLock {
            guard !stopping, let slot = open[fd], !slot.isLeaving else { return false }
            open[fd]?.idleSince = nil
            return true
        }
    }

    func requestHandled() {
        lock.withLock { handled += 1 }
    }

    func connectionTimedOut() {
        lock.withLock { timedOut += 1 }
    }

    /// Forgets and closes a connection socket.
    func closeConnection(_ fd: Int32) {
        lock.withLock {
            open[fd] = nil
            close(fd)
        }
    }

    /// Marks the server as stopping and shuts down the listener and every open connection, which
    /// wakes threads blocked in `accept`, `poll` and `recv`. Returns false if it had already begun.
    func beginStopping(listener: Int32) -> Bool {
        lock.withLock {
            guard !stopping else { return false }
            stopping = true
            Socket.shutdown(listener, reading: true, writing: true)
            for fd in open.keys { Socket.shutdown(fd, reading: true, writing: true) }
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

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
