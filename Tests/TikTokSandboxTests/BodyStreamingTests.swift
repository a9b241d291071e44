import Foundation
import Testing
import TikTokKit
import TikTokSandbox

@Suite struct BodyStreamingTests {
    @Test func contentLengthBodyArrivesInPiecesWithExactBytes() async throws {
        let pieces = Shared<[Int]>([])
        let received = Shared(Data())
        let server = try HTTPServer { request in
            var body = Data()
            while let piece = try request.read(upTo: 1000) {
                pieces.mutate { $0.append(piece.count) }
                body.append(piece)
            }
            #expect(try request.read(upTo: 1000) == nil)
            received.value = body
            return HTTPServerResponse(status: 200, body: Data("\(body.count)".utf8))
        }
        defer { server.shutdown() }
        let payload = patternBytes(300_001)
        let client = try RawClient(port: server.port)
        try await client.send("PUT /upload HTTP/1.1\r\nContent-Length: \(payload.count)\r\n\r\n")
        for start in stride(from: 0, to: payload.count, by: 100_000) {
            try await client.send(payload[start..<min(start + 100_000, payload.count)])
            try await Task.sleep(for: .milliseconds(10))
        }
        let response = try await client.receiveResponse()

        #expect(response.body == Data("300001".utf8))
        #expect(received.value == payload)
        #expect(pieces.value.allSatisfy { $0 > 0 && $0 <= 1000 })
        #expect(pieces.value.count >= 301)
    }

    @Test func chunkedBodyIsDecoded() async throws {
        let seen = Shared<(Data, Bool, Int64?)>((Data(), false, nil))
        let server = try HTTPServer { request in
            let body = try request.readAll()
            if request.method == "POST" { seen.value = (body, request.isChunked, request.contentLength) }
            return HTTPServerResponse(status: 201)
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        try await client.send("5\r\nhello\r\n")
        try await client.send("7;ext=1\r\n, world\r\n1A\r\n")
        try await client.send(" and twenty-six more bytes\r\n0\r\nX-Trailer: yes\r\n\r\n")
        #expect(try await client.receiveResponse().status == 201)
        // The connection is still in step after the trailer.
        try await client.send("GET /next HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().status == 201)

        #expect(seen.value.0 == Data("hello, world and twenty-six more bytes".utf8))
        #expect(seen.value.1)
        #expect(seen.value.2 == nil)
        #expect(server.acceptedConnectionCount == 1)
    }

    @Test func chunkedBodyIsDecodedExactly() async throws {
        let body = Shared(Data())
        let server = try HTTPServer { request in
            #expect(request.isChunked)
            #expect(request.contentLength == nil)
            body.value = try request.readAll()
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        let payload = patternBytes(200_000)
        var wire = Data("POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for start in stride(from: 0, to: payload.count, by: 65_000) {
            let piece = payload[start..<min(start + 65_000, payload.count)]
            wire.append(Data("\(String(piece.count, radix: 16))\r\n".utf8))
            wire.append(piece)
            wire.append(Data("\r\n".utf8))
        }
        wire.append(Data("0\r\n\r\n".utf8))
        let client = try RawClient(port: server.port)
        try await client.send(wire)
        #expect(try await client.receiveResponse().status == 200)
        #expect(body.value == payload)
    }

    @Test func malformedChunkSizeMakesReadThrowAndGets400() async throws {
        let failure = Shared<HTTPServerError.Code?>(nil)
        let server = try HTTPServer { request in
            do {
                _ = try request.readAll()
            } catch let error as HTTPServerError {
                failure.value = error.code
                throw error
            }
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")
        #expect(try await client.receiveLastResponse().status == 400)
        #expect(failure.value == .malformedBody)
    }

    /// The body is never sent: a server that read (or drained) it before answering would wait
    /// until RawClient's receive timeout fails the test.
    @Test(arguments: [false, true])
    func aDeclaredBodyOverTheLimitGets413AtOnce(expectsContinue: Bool) async throws {
        let server = try HTTPServer { request in
            HTTPServerResponse(status: 200, body: try request.readAll(limit: 1000))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT / HTTP/1.1\r\nContent-Length: 10000000000\r\n"
                              + (expectsContinue ? "Expect: 100-continue\r\n" : "") + "\r\n")
        let response = try await client.receiveLastResponse()
        #expect(response.status == 413)   // Not 100 Continue first.
        #expect(String(decoding: response.body, as: UTF8.self).contains("1000-byte limit"))
    }

    @Test func aHandlerThatCatchesALargeRefusedBodyIsAnsweredWithoutDrainingIt() async throws {
        let server = try HTTPServer { request in
            guard (try? request.readAll(limit: 1000)) != nil else { return HTTPServerResponse(status: 413, body: Data("mine".utf8)) }
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT / HTTP/1.1\r\nContent-Length: 10000000000\r\n\r\n")
        #expect(try await client.receiveLastResponse().body == Data("mine".utf8))
    }

    @Test func aChunkedBodyOverTheLimitGets413() async throws {
        let server = try HTTPServer { request in
            HTTPServerResponse(status: 200, body: try request.readAll(limit: 10))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n")
        #expect(try await client.receiveLastResponse().status == 413)
    }

    @Test func readAllRefusesBodyOverLimit() async throws {
        let failure = Shared<HTTPServerError.Code?>(nil)
        let server = try HTTPServer { request in
            do {
                _ = try request.readAll(limit: 10)
            } catch let error as HTTPServerError {
                failure.value = error.code
            }
            return HTTPServerResponse(status: 413)
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT / HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world")
        #expect(try await client.receiveResponse().status == 413)
        #expect(failure.value == .bodyTooLarge)
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().status == 413)   // Same connection, still in step.
    }

    @Test func expectContinueIsAnsweredOnFirstRead() async throws {
        let received = Shared(Data())
        let server = try HTTPServer { request in
            received.value = try request.readAll()
            return HTTPServerResponse(status: 200, body: Data("done".utf8))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT /v HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try await client.receiveResponse()
        #expect(interim.status == 100)
        try await client.send("hello")
        let final = try await client.receiveResponse()

        #expect(final.status == 200)
        #expect(final.body == Data("done".utf8))
        #expect(final.headers["Connection"] == nil)
        #expect(received.value == Data("hello".utf8))
    }

    @Test func expectContinueUnreadClosesAfterFinalResponse() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 401, body: Data("no".utf8)) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("PUT /v HTTP/1.1\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
        let response = try await client.receiveResponse()
        #expect(response.status == 401)   // Not 100: the handler never asked for the body.
        #expect(response.headers["Connection"] == "close")
        #expect(try await client.isClosedByServer())
    }

    @Test func unreadBodyIsDrainedAndNextRequestWorks() async throws {
        let server = try HTTPServer { request in HTTPServerResponse(status: 200, body: Data(request.path.utf8)) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        let body = patternBytes(500_000)
        try await client.send("PUT /first HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n")
        try await client.send(body)
        let first = try await client.receiveResponse()
        try await client.send("GET /second HTTP/1.1\r\n\r\n")
        let second = try await client.receiveResponse()

        #expect(first.body == Data("/first".utf8))
        #expect(first.headers["Connection"] == nil)
        #expect(second.body == Data("/second".utf8))
        #expect(server.acceptedConnectionCount == 1)
    }

    @Test func clientDisconnectMidBodyMakesReadThrow() async throws {
        let failure = Shared<HTTPServerError.Code?>(nil)
        let handlerDone = Signal()
        let server = try HTTPServer { request in
            defer { if request.path == "/upload" { handlerDone.fire() } }
            do {
                _ = try request.discardBody()
            } catch let error as HTTPServerError {
                failure.value = error.code
                throw error
            }
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        do {
            let client = try RawClient(port: server.port)
            try await client.send("PUT /upload HTTP/1.1\r\nContent-Length: 100000\r\n\r\n")
            try await client.send(patternBytes(1000))
        }   // The client is closed here, 99,000 bytes short.
        #expect(await handlerDone.wait())
        #expect(failure.value == .disconnected)

        let next = try RawClient(port: server.port)
        try await next.send("GET /still-serving HTTP/1.1\r\n\r\n")
        #expect(try await next.receiveResponse().status == 200)
    }

    @Test func largeBodyIsDiscardedWithExactCount() async throws {
        let server = try HTTPServer { request in
            let count = try request.discardBody()
            return HTTPServerResponse(status: 200, body: Data("\(count)".utf8))
        }
        defer { server.shutdown() }
        let size = 64 << 20
        let block = patternBytes(1 << 20)
        let client = try RawClient(port: server.port)
        try await client.send("PUT /bulk HTTP/1.1\r\nContent-Length: \(size)\r\n\r\n")
        for _ in 0..<(size / block.count) { try await client.send(block) }
        let response = try await client.receiveResponse()
        #expect(response.body == Data("\(size)".utf8))
    }
}
