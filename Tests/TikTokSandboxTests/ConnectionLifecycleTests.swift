import Foundation
import Testing
import TikTokKit
import TikTokSandbox
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ConnectionLifecycleTests {
    @Test func twoRequestsShareOneConnection() async throws {
        let ids = Shared<[Int]>([])
        let server = try HTTPServer { request in
            ids.mutate { $0.append(request.connectionID) }
            return HTTPServerResponse(status: 200, body: Data(request.path.utf8))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET /one HTTP/1.1\r\n\r\n")
        let first = try await client.receiveResponse()
        try await client.send("GET /two HTTP/1.1\r\n\r\n")
        let second = try await client.receiveResponse()

        #expect(first.body == Data("/one".utf8))
        #expect(second.body == Data("/two".utf8))
        #expect(server.acceptedConnectionCount == 1)
        #expect(server.handledRequestCount == 2)
        #expect(ids.value == [1, 1])
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try HTTPServer { request in
            HTTPServerResponse(status: 200, body: try request.readAll() + Data(request.path.utf8))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().body == Data("xyz/a".utf8))
        #expect(try await client.receiveResponse().body == Data("/b".utf8))
        #expect(try await client.receiveResponse().body == Data("/c".utf8))
    }

    @Test func separateConnectionsGetSeparateIDs() async throws {
        let ids = Shared<[Int]>([])
        let server = try HTTPServer { request in
            ids.mutate { $0.append(request.connectionID) }
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        for _ in 0..<3 {
            let client = try RawClient(port: server.port)
            try await client.send("GET / HTTP/1.1\r\n\r\n")
            _ = try await client.receiveResponse()
        }
        #expect(ids.value == [1, 2, 3])
        #expect(server.acceptedConnectionCount == 3)
    }

    @Test func connectionCloseRequestClosesAfterResponse() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200, body: Data("bye".utf8)) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        let response = try await client.receiveResponse()
        #expect(response.body == Data("bye".utf8))
        #expect(response.headers["Connection"] == "close")
        #expect(try await client.isClosedByServer())
    }

    @Test func http10ClosesUnlessKeepAlive() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let plain = try RawClient(port: server.port)
        try await plain.send("GET / HTTP/1.0\r\n\r\n")
        #expect(try await plain.receiveResponse().headers["Connection"] == "close")
        #expect(try await plain.isClosedByServer())

        let keepAlive = try RawClient(port: server.port)
        try await keepAlive.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try await keepAlive.receiveResponse().headers["Connection"] == nil)
        try await keepAlive.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try await keepAlive.receiveResponse().status == 200)
    }

    @Test func handlerConnectionCloseHeaderClosesConnection() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 503, headers: ["Connection": "close"]) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        let response = try await client.receiveResponse()
        #expect(response.headers.values(for: "Connection") == ["close"])
        #expect(try await client.isClosedByServer())
    }

    @Test func rawResponseIsSentVerbatimThenClosed() async throws {
        let bytes = Data("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".utf8)
        let server = try HTTPServer { _ in .raw(bytes) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET /raw HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveUntilClosed() == bytes)
    }

    @Test func resetResponseAbortsConnection() async throws {
        let server = try HTTPServer { _ in .reset() }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET /reset HTTP/1.1\r\n\r\n")
        await #expect {
            _ = try await client.receiveSome()
        } throws: { error in
            (error as? ClientSocketError)?.code == ECONNRESET
        }
    }

    @Test func shutdownReturnsPromptlyWhileHandlerSleeps() async throws {
        let started = Signal()
        // The handler is held until the test is done: had it slept a fixed time instead, a test
        // descheduled for that long would reach `shutdown()` after the response was already sent
        // and read it back (seen on a loaded 2-core machine).
        let release = Gate()
        defer { release.open() }
        let server = try HTTPServer { _ in
            started.fire()
            release.wait(atMost: .seconds(120))
            return HTTPServerResponse(status: 200)
        }
        let client = try RawClient(port: server.port)
        try await client.send("GET /sleep HTTP/1.1\r\n\r\n")
        #expect(await started.wait())

        let clock = ContinuousClock()
        let elapsed = clock.measure { server.shutdown() }
        #expect(elapsed < .seconds(1))
        let rest = try await client.receiveSome()
        #expect(rest == nil, "read after shutdown: \(String(decoding: (rest ?? Data()).prefix(200), as: UTF8.self))")
        server.shutdown()   // Idempotent.
        #expect(throws: ClientSocketError.self) { try RawClient(port: server.port) }
    }

    @Test func idleKeepAliveConnectionsCloseOnShutdown() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        let client = try RawClient(port: server.port)
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        _ = try await client.receiveResponse()
        #expect(server.openConnectionCount == 1)
        server.shutdown()
        #expect(try await client.isClosedByServer())
    }

    @Test func releasingServerStopsListening() async throws {
        var server: HTTPServer? = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        let port = try #require(server?.port)
        let client = try RawClient(port: port)
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().status == 200)
        server = nil   // deinit shuts down; the accept thread must not keep the server alive.
        #expect(server == nil)
        #expect(try await client.isClosedByServer())
        #expect(throws: ClientSocketError.self) { try RawClient(port: port) }
    }

    @Test func bindingAnInvalidHostThrows() {
        #expect(throws: HTTPServerError.self) {
            try HTTPServer(host: "not an address") { _ in HTTPServerResponse(status: 200) }
        }
    }

    @Test func listensOnIPv6Loopback() async throws {
        let server: HTTPServer
        do {
            server = try HTTPServer(host: "::1") { _ in HTTPServerResponse(status: 200) }
        } catch {
            return   // No IPv6 in this environment.
        }
        defer { server.shutdown() }
        #expect(server.baseURL.absoluteString == "http://[::1]:\(server.port)")
    }
}
