import Foundation
import Testing
import TikTokKit
import TikTokSandbox
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Idle and read timeouts and the connection cap (`HTTPServer.Limits`), with small values.
@Suite struct ServerLimitsTests {
    /// Polls `condition` until it holds or `seconds` pass; returns whether it held.
    static func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    @Test func idleConnectionsCloseAfterTheIdleTimeout() async throws {
        let server = try HTTPServer(limits: .init(idleTimeout: .milliseconds(300))) { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        // One that never sends a request, and one idle after its first: both are closed, with no
        // answer (RawClient's 5 s receive timeout would fail the test if they stayed open).
        let silent = try RawClient(port: server.port)
        let served = try RawClient(port: server.port)
        try await served.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await served.receiveResponse().status == 200)
        #expect(try await silent.isClosedByServer())
        #expect(try await served.isClosedByServer())
        #expect(server.timedOutConnectionCount == 2)
        #expect(await Self.eventually { server.openConnectionCount == 0 })
    }

    @Test func aHeaderSectionThatStopsGets408() async throws {
        let server = try HTTPServer(limits: .init(readTimeout: .milliseconds(300))) { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET / HTTP/1.1\r\nHost: exam")
        #expect(try await client.receiveLastResponse().status == 408)
        #expect(server.handledRequestCount == 0)
    }

    /// A byte every 20 ms makes progress, but the whole header section must arrive within the
    /// read timeout of its first byte: the trickle would take 8 s and then be answered 200.
    @Test func aTrickledHeaderSectionGets408() async throws {
        let server = try HTTPServer(limits: .init(readTimeout: .milliseconds(500))) { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        // The first bytes are sent before the answer is awaited: from then on the server answers
        // within about a second, however late the trickling task gets a thread on a busy pool.
        try await client.send("GET / HTTP/1.1\r\n")
        let rest = "X-Slow: " + String(repeating: "a", count: 400) + "\r\n\r\n"
        let trickle = Task {
            for byte in rest.utf8 {
                guard (try? await client.send(Data([byte]))) != nil, !Task.isCancelled else { return }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { trickle.cancel() }
        let response = try await client.receiveResponse()
        #expect(response.status == 408)
        #expect(server.handledRequestCount == 0)
    }

    @Test func aBodyThatStopsGets408AndTheHandlerSeesTheTimeout() async throws {
        let failure = Shared<HTTPServerError.Code?>(nil)
        let server = try HTTPServer(limits: .init(readTimeout: .milliseconds(300))) { request in
            do {
                return HTTPServerResponse(status: 200, body: try request.readAll())
            } catch let error as HTTPServerError {
                failure.value = error.code
                throw error
            }
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT / HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly ten b")
        #expect(try await client.receiveLastResponse().status == 408)
        #expect(failure.value == .timedOut)
    }

    /// A client that asks for a large file and never reads it holds its connection only until the
    /// read timeout: the server stops waiting to send and closes.
    @Test func aClientThatStopsReadingIsClosedAfterTheReadTimeout() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path("big.bin")
        try FileBodyTests.sparseFile(file, size: 64 << 20)
        let server = try HTTPServer(limits: .init(readTimeout: .milliseconds(300))) { _ in try .file(file) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port, receiveBuffer: 64 * 1024)
        try await client.send("GET /big HTTP/1.1\r\n\r\n")
        #expect(await Self.eventually { server.handledRequestCount == 1 })
        #expect(await Self.eventually { server.openConnectionCount == 0 })
        let rest = try await client.receive(count: 64 << 20, keepingLast: 0)
        #expect(rest.count < 64 << 20)
    }

    @Test func pastTheCapTheLongestIdleConnectionMakesRoom() async throws {
        let server = try HTTPServer(limits: .init(maxConnections: 2)) { request in
            HTTPServerResponse(status: 200, body: Data(request.path.utf8))
        }
        defer { server.shutdown() }
        let oldest = try RawClient(port: server.port)
        #expect(await Self.eventually { server.acceptedConnectionCount == 1 })
        let older = try RawClient(port: server.port)
        #expect(await Self.eventually { server.acceptedConnectionCount == 2 })
        let newcomer = try RawClient(port: server.port)

        try await newcomer.send("GET /newcomer HTTP/1.1\r\n\r\n")
        #expect(try await newcomer.receiveResponse().body == Data("/newcomer".utf8))
        #expect(try await oldest.isClosedByServer())
        try await older.send("GET /older HTTP/1.1\r\n\r\n")
        #expect(try await older.receiveResponse().body == Data("/older".utf8))
        #expect(server.evictedConnectionCount == 1)
        #expect(server.refusedConnectionCount == 0)
    }

    @Test func pastTheCapWithNoIdleConnectionANewcomerGets503() async throws {
        let started = Signal()
        let release = Gate()
        defer { release.open() }
        let server = try HTTPServer(limits: .init(maxConnections: 1)) { request in
            if request.path == "/busy" {
                started.fire()
                release.wait(atMost: .seconds(60))
            }
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        let busy = try RawClient(port: server.port)
        try await busy.send("GET /busy HTTP/1.1\r\n\r\n")
        #expect(await started.wait())

        let refused = try RawClient(port: server.port)
        try await refused.send("GET / HTTP/1.1\r\n\r\n")
        let answer = try await refused.receiveLastResponse()
        #expect(answer.status == 503)
        #expect(answer.headers["Retry-After"] == "1")
        #expect(server.refusedConnectionCount == 1)

        // The busy client was served all along; once it is idle, it makes room for the next.
        release.open()
        #expect(try await busy.receiveResponse().status == 200)
        #expect(await Self.eventually { server.idleConnectionCount == 1 })
        let next = try RawClient(port: server.port)
        try await next.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await next.receiveResponse().status == 200)
        #expect(try await busy.isClosedByServer())
    }

    /// The CI failure this prevents, in small: clients that open connections and leave them idle
    /// (1,100 under a 1,024-descriptor limit there; 24 under a cap of 8 here) must not lock out a
    /// client that has work to do.
    @Test func idleConnectionsBeyondTheCapCannotLockOutAnActiveClient() async throws {
        let server = try HTTPServer(limits: .init(maxConnections: 8)) { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        var idle: [RawClient] = []
        for _ in 0..<24 { idle.append(try RawClient(port: server.port)) }
        #expect(await Self.eventually { server.acceptedConnectionCount == 24 })

        let active = try RawClient(port: server.port)
        for _ in 0..<3 {
            try await active.send("GET / HTTP/1.1\r\n\r\n")
            #expect(try await active.receiveResponse().status == 200)
        }
        #expect(server.evictedConnectionCount == 17)
        #expect(server.refusedConnectionCount == 0)
        #expect(await Self.eventually { server.openConnectionCount == 8 })
        withExtendedLifetime(idle) {}
    }

    /// Under a descriptor limit below the cap, `accept` fails with EMFILE: the server closes the
    /// longest-idle connection and tries again, so the active client still gets in. (The tool
    /// runs in a process of its own, so the small limit touches nothing else in the suite.)
    @Test func runningOutOfDescriptorsClosesIdleConnectionsInsteadOfStopping() async throws {
        let executable = try #require(SandboxToolTests.executable)
        let limit = 40
        let sandbox = try ChildProcess(URL(fileURLWithPath: "/bin/sh"),
                                       arguments: ["-c", "ulimit -n \(limit) && exec \"$0\" --exit-with-parent", executable.path],
                                       environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("\n") })
        let first = sandbox.outputSoFar.split(separator: "\n").first.map(String.init) ?? ""
        let port = try #require(URL(string: first)?.port.flatMap { UInt16(exactly: $0) }, "first line: \(first)")

        var idle: [RawClient] = []
        for _ in 0..<(limit + 20) { idle.append(try RawClient(port: port)) }
        let active = try RawClient(port: port)
        try await active.send("GET /__sandbox/uploads HTTP/1.1\r\n\r\n")
        #expect(try await active.receiveResponse().status == 200)
        #expect(try await idle[0].isClosedByServer())
        withExtendedLifetime(idle) {}
        sandbox.kill(SIGTERM)
        _ = await sandbox.outcome()
    }
}
