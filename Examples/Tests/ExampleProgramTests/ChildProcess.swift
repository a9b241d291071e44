// The same as the root package's Tests/TikTokSandboxTests/Support/ChildProcess.swift: two packages
// cannot share test code, and a shared helper target would enter every app's dependency graph.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program run by a test: its output is collected by threads of its own, and its exit is
/// awaited through `terminationHandler`, so no thread of Swift's cooperative pool waits on it.
///
/// (`Process.waitUntilExit()` and `FileHandle.readDataToEndOfFile()` block the calling thread;
/// from a test function that thread belongs to the cooperative pool, which has as many threads as
/// cores and does not grow, so two such tests on a 2-core machine stop every other test.)
final class ChildProcess: Sendable {
    /// How a finished program ended and what it printed.
    struct Outcome: Sendable {
        var status: Int32
        var killedBySignal: Bool
        var output: String
        var errors: String
        var all: String { output + errors }
    }

    private struct State {
        var output = Data()
        var errors = Data()
        var openStreams = 2
        var exit: (status: Int32, bySignal: Bool)?
        var waiters: [CheckedContinuation<Void, Never>] = []
        var finished: Bool { openStreams == 0 && exit != nil }
    }

    private let process: Process
    private let state = Shared(State())

    /// Starts `executable`. Standard input is empty; standard output and error are collected.
    init(_ executable: URL, arguments: [String], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let state = self.state
        process.terminationHandler = { finished in
            let exit = (finished.terminationStatus, finished.terminationReason == .uncaughtSignal)
            Self.update(state) { $0.exit = exit }
        }
        self.process = process
        try process.run()
        // (`Process.run()` closes the parent's copies of the write ends itself.)
        Self.collect(output.fileHandleForReading, isStandardError: false, state: state, name: "child.stdout")
        Self.collect(errors.fileHandleForReading, isStandardError: true, state: state, name: "child.stderr")
    }

    var processIdentifier: Int32 { process.processIdentifier }

    /// What the program has printed to standard output so far.
    var outputSoFar: String { String(decoding: state.value.output, as: UTF8.self) }

    /// Sends `signal` to the program (nothing if it has already exited).
    func kill(_ signal: Int32 = SIGKILL) {
        guard state.value.exit == nil else { return }
        _ = Foundation.kill(process.processIdentifier, signal)
    }

    /// Waits until standard output satisfies `predicate` or the program ends; returns whether it did.
    func waitForOutput(timeout: Duration = .seconds(60), _ predicate: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if predicate(outputSoFar) { return true }
            if state.value.finished { return predicate(outputSoFar) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Waits for the program to exit and its output to end. A program still running after
    /// `timeout` is killed, so a hung child fails its test instead of hanging the suite.
    func outcome(timeout: Duration = .seconds(300)) async -> Outcome {
        let watchdog = Task { [self] in
            try await Task.sleep(for: timeout)
            kill(SIGKILL)
        }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        watchdog.cancel()
        let final = state.value
        return Outcome(status: final.exit?.status ?? -1, killedBySignal: final.exit?.bySignal ?? false,
                       output: String(decoding: final.output, as: UTF8.self),
                       errors: String(decoding: final.errors, as: UTF8.self))
    }

    /// Runs `executable` to the end.
    static func run(_ executable: URL, arguments: [String], environment: [String: String],
                    timeout: Duration = .seconds(300)) async throws -> Outcome {
        try await ChildProcess(executable, arguments: arguments, environment: environment).outcome(timeout: timeout)
    }

    private static func collect(_ handle: FileHandle, isStandardError: Bool,
                                state: Shared<State>, name: String) {
        let thread = Thread {
            // `availableData` returns what one read(2) gives (`read(upToCount:)` would wait for the
            // full count); empty at the end of the stream.
            while case let data = handle.availableData, !data.isEmpty {   // blocking-ok: this thread exists to wait on the pipe
                update(state) { if isStandardError { $0.errors.append(data) } else { $0.output.append(data) } }
            }
            try? handle.close()
            update(state) { $0.openStreams -= 1 }
        }
        thread.name = name
        thread.start()
    }

    /// Changes the state and resumes the waiters once the program has both exited and closed
    /// its output.
    private static func update(_ state: Shared<State>, _ change: (inout State) -> Void) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            change(&state)
            guard state.finished else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in ready { waiter.resume() }
    }
}
