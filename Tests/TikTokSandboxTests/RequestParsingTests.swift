import Foundation
import Testing
import TikTokKit
import TikTokSandbox

@Suite struct RequestParsingTests {
    @Test func getRequestHeadersRoundTrip() async throws {
        let seen = Shared<[String]>([])
        let server = try HTTPServer { request in
            seen.value = [request.method, request.target, request.path, request.query ?? "<nil>",
                          request.headers["x-custom"] ?? "<nil>", request.headers["HOST"] ?? "<nil>",
                          "\(request.contentLength.map(String.init) ?? "<nil>")", "\(request.isChunked)"]
            return HTTPServerResponse(status: 200, headers: ["X-Echo": request.headers["X-Custom"] ?? "", "Content-Type": "text/plain"],
                                      body: Data("hello".utf8))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET /video/?upload_id=1&upload_token=x HTTP/1.1\r\nHost: example\r\nX-Custom:  spaced value \r\n\r\n")
        let response = try await client.receiveResponse()

        #expect(response.status == 200)
        #expect(response.headers["x-echo"] == "spaced value")
        #expect(response.headers["Content-Type"] == "text/plain")
        #expect(response.headers["Content-Length"] == "5")
        #expect(response.headers["Connection"] == nil)
        #expect(response.body == Data("hello".utf8))
        #expect(seen.value == ["GET", "/video/?upload_id=1&upload_token=x", "/video/", "upload_id=1&upload_token=x",
                               "spaced value", "example", "<nil>", "false"])
        #expect(server.baseURL.absoluteString == "http://127.0.0.1:\(server.port)")
    }

    @Test func queryItemsArePercentDecoded() async throws {
        let items = Shared<[String: String]>([:])
        let server = try HTTPServer { request in
            items.value = request.queryItems
            return HTTPServerResponse(status: 204)
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET /q?a=1&name=caf%C3%A9&flag HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().status == 204)
        #expect(items.value == ["a": "1", "name": "café", "flag": ""])
    }

    @Test func headResponseHasLengthButNoBody() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200, body: Data("0123456789".utf8)) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("HEAD /x HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n\r\n")
        let head = try await client.receiveResponse(forHEAD: true)
        #expect(head.headers["Content-Length"] == "10")
        #expect(head.body.isEmpty)
        // The GET right behind it proves no body bytes followed the HEAD response.
        let get = try await client.receiveResponse()
        #expect(get.body == Data("0123456789".utf8))
    }

    @Test(arguments: [
        "GARBAGE\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET / FTP/1.0\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        "PUT / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        "PUT / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "PUT / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
    ])
    func malformedRequestGets400AndClose(_ request: String) async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send(request)
        let response = try await client.receiveResponse()
        #expect(response.status == 400)
        #expect(response.headers["Connection"] == "close")
        #expect(try await client.isClosedByServer())
        #expect(server.handledRequestCount == 0)
    }

    @Test(arguments: ["gzip", "gzip, chunked", "chunked, gzip", "identity"])
    func unsupportedTransferEncodingGets501(_ codings: String) async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("POST / HTTP/1.1\r\nTransfer-Encoding: \(codings)\r\n\r\nsome body")
        #expect(try await client.receiveLastResponse().status == 501)
        #expect(server.handledRequestCount == 0)
    }

    @Test func unsupportedVersionGets505() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET / HTTP/2.0\r\n\r\n")
        #expect(try await client.receiveResponse().status == 505)
    }

    @Test func oversizedHeaderSectionGets431() async throws {
        let server = try HTTPServer { _ in HTTPServerResponse(status: 200) }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        let filler = String(repeating: "a", count: 70 * 1024)
        try await client.send("GET / HTTP/1.1\r\nX-Big: \(filler)\r\n\r\n")
        let response = try await client.receiveResponse()
        #expect(response.status == 431)
        #expect(response.headers["Connection"] == "close")
    }

    @Test func throwingHandlerGets500AndConnectionStaysUsable() async throws {
        struct Boom: Error {}
        let server = try HTTPServer { request in
            if request.path == "/boom" { throw Boom() }
            return HTTPServerResponse(status: 200)
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET /boom HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().status == 500)
        try await client.send("GET /fine HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse().status == 200)
        #expect(server.acceptedConnectionCount == 1)
    }

    @Test func serverWritesItsOwnContentLength() async throws {
        let server = try HTTPServer { _ in
            HTTPServerResponse(status: 200, headers: ["Content-Length": "999", "Transfer-Encoding": "chunked"],
                               body: Data("abc".utf8))
        }
        defer { server.shutdown() }
        let client = try RawClient(port: server.port)
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        let response = try await client.receiveResponse()
        #expect(response.headers.values(for: "Content-Length") == ["3"])
        #expect(response.headers["Transfer-Encoding"] == nil)
        #expect(response.body == Data("abc".utf8))
    }
}
