import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// The transports under test, each built with a short stall timeout so timeout tests are quick.
enum TransportKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case curl
    case urlSession

    static var available: [TransportKind] {
        #if canImport(CTikTokKitCurl)
        allCases
        #else
        [.urlSession]
        #endif
    }

    /// The transport a client gets by default: curl where it is built in.
    static var preferred: TransportKind { available[0] }

    func make(stallTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(1800)) -> any Transport {
        switch self {
        case .curl:
            #if canImport(CTikTokKitCurl)
            CurlTransport(configuration: .init(connectTimeout: .seconds(5), stallTimeout: stallTimeout,
                                               requestTimeout: requestTimeout))
            #else
            fatalError("this build has no libcurl")
            #endif
        case .urlSession:
            URLSessionTransport(configuration: .init(stallTimeout: stallTimeout, requestTimeout: requestTimeout))
        }
    }

    var testDescription: String { rawValue }
}

/// One suite, run against every transport: what any `Transport` must do.
@Suite("Transport conformance")
struct TransportConformanceTests {
    @Test(arguments: TransportKind.available)
    func sendsMethodHeadersAndBodyAndReturnsTheResponse(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        for method in [TikTokHTTPMethod.post, .put, .patch, .delete] {
            let body = Data("hello \(method)".utf8)
            let request = TikTokHTTPRequest(method: method, url: server.url("/echo?upload_id=1&upload_token=abc"),
                                      headers: ["X-Custom": "value 1", "Content-Type": "text/plain"],
                                      body: .bytes(body))
            let response = try await transport.send(request)
            #expect(response.status == 200)
            #expect(response.body == body)
            #expect(response.headers["x-received-length"] == "\(body.count)")
            #expect(response.headers["CONTENT-TYPE"] == "application/octet-stream")

            let seen = try #require(server.received.last)
            #expect(seen.method == method.rawValue)
            #expect(seen.target == "/echo?upload_id=1&upload_token=abc")
            #expect(seen.headers["x-custom"] == "value 1")
            #expect(seen.headers["Content-Length"] == "\(body.count)")
            #expect(!seen.headers.contains("Transfer-Encoding"))
            #expect(seen.body == body)
        }
    }

    @Test(arguments: TransportKind.available)
    func getSendsNoBodyAndEmptyPostSendsZeroContentLength(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo")))
        _ = try await transport.send(TikTokHTTPRequest(method: .post, url: server.url("/echo")))
        let received = server.received
        #expect(received.count == 2)
        #expect(received[0].method == "GET")
        #expect(received[0].body.isEmpty)
        #expect(received[1].method == "POST")
        #expect(received[1].headers["Content-Length"] == "0")
    }

    @Test(arguments: TransportKind.available)
    func fileRangesArriveByteExact(kind: TransportKind) async throws {
        let file = try await TemporaryFile(size: 3_000_001)
        defer { file.remove() }
        let server = try TestServer()
        let transport = kind.make()
        let ranges: [(offset: Int, length: Int)] = [
            (0, 1_000_000),              // first
            (1_000_000, 1_000_000),      // middle
            (2_000_000, 1_000_001),      // last, up to the final byte
            (1_234_567, 1),              // a single byte
            (0, 3_000_001),              // the whole file
        ]
        for range in ranges {
            let region = try TikTokFileRegion(file: file.url, offset: Int64(range.offset), length: Int64(range.length))
            let response = try await transport.send(
                TikTokHTTPRequest(method: .put, url: server.url("/echo"), body: .file(region)))
            #expect(response.status == 200)
            let seen = try #require(server.received.last)
            #expect(seen.headers["Content-Length"] == "\(range.length)")
            #expect(!seen.headers.contains("Transfer-Encoding"))
            #expect(seen.body == file.bytes[range.offset..<(range.offset + range.length)])
        }
    }

    /// A range larger than one read of the body stream, not page-aligned, with bytes of the file on
    /// both sides of it: what a middle chunk of an upload is.
    private static let middleRange = (offset: 1_234_567, length: 3_500_001, fileSize: 6_000_000)

    private func expectMiddleRange(_ seen: ReceivedRequest, of file: TemporaryFile,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let (offset, length, _) = Self.middleRange
        #expect(seen.headers["Content-Length"] == "\(length)", sourceLocation: sourceLocation)
        #expect(!seen.headers.contains("Transfer-Encoding"), sourceLocation: sourceLocation)
        #expect(SHA256.hash(seen.body).hexString == SHA256.hash(file.bytes[offset..<(offset + length)]).hexString,
                "\(seen.body.count) bytes arrived", sourceLocation: sourceLocation)
    }

    /// The request to a `/read-and-close-once` target with `marker` arrived twice (the copy the
    /// server dropped, and the one it answered), each time with the whole range.
    private func expectTwoCopies(_ server: TestServer, marker: String, of file: TemporaryFile,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let copies = server.received.filter { $0.target.contains(marker) }
        #expect(copies.count == 2, "the request reached the server \(copies.count) times", sourceLocation: sourceLocation)
        for copy in copies { expectMiddleRange(copy, of: file, sourceLocation: sourceLocation) }
    }

    private func middleRangePut(_ file: TemporaryFile, _ url: URL) throws -> TikTokHTTPRequest {
        let (offset, length, size) = Self.middleRange
        return TikTokHTTPRequest(method: .put, url: url, headers: ["Content-Range": "bytes \(offset)-\(offset + length - 1)/\(size)"],
                           body: .file(try TikTokFileRegion(file: file.url, offset: Int64(offset), length: Int64(length))))
    }

    @Test(arguments: TransportKind.available)
    func aRangeFromTheMiddleOfAFileArrivesWithItsSHA256AndExactLength(kind: TransportKind) async throws {
        let file = try await TemporaryFile(size: Self.middleRange.fileSize)
        defer { file.remove() }
        let server = try TestServer()
        let response = try await kind.make().send(try middleRangePut(file, server.url("/echo")))
        #expect(response.status == 200)
        expectMiddleRange(try #require(server.received.last), of: file)
    }

    @Test(arguments: TransportKind.available)
    func aFileRangeResentByTheClientOnAFreshConnectionCarriesTheSameBytes(kind: TransportKind) async throws {
        // A replayable request whose kept-alive connection dies unanswered is sent again by the
        // HTTP client itself (libcurl, under both transports on Linux): a body read from disk as
        // it goes must start over from the range's first byte.
        let file = try await TemporaryFile(size: Self.middleRange.fileSize)
        defer { file.remove() }
        let server = try TestServer()
        let transport = kind.make()
        _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo?warm")))
        var request = try middleRangePut(file, server.url("/read-and-close-once?replay"))
        request.isReplayable = true
        let response = try await transport.send(request)
        #expect(response.status == 200)
        expectTwoCopies(server, marker: "replay", of: file)
    }

    @Test(arguments: TransportKind.available)
    func aFileRangeSentAgainAfterAFailedAttemptCarriesTheSameBytes(kind: TransportKind) async throws {
        // What the SDK's UploadRetryPolicy does after an attempt with no answer: the same request again.
        let file = try await TemporaryFile(size: Self.middleRange.fileSize)
        defer { file.remove() }
        let server = try TestServer()
        let transport = kind.make()
        let request = try middleRangePut(file, server.url("/read-and-close-once?retry"))
        await #expect(throws: TransportError.self) { _ = try await transport.send(request) }
        let response = try await transport.send(request)
        #expect(response.status == 200)
        expectTwoCopies(server, marker: "retry", of: file)
    }

    @Test(arguments: TransportKind.available)
    func aFileCutShortWhileItIsSentFailsAsUnreadable(kind: TransportKind) async throws {
        // The request declared the whole file as its Content-Length: sending less would leave the
        // server waiting for the rest, so the transfer must fail, and say why.
        let file = try await TemporaryFile(size: 32 << 20)
        defer { file.remove() }
        let server = try TestServer()
        let transport = kind.make()
        server.drainSlowReads = false
        let request = TikTokHTTPRequest(method: .put, url: server.url("/slow-read?cut-short"), body: .file(try .wholeFile(file.url)))
        let task = Task { try await transport.send(request) }
        #expect(await server.waitForArrivals(1), "the request never reached the server")
        // The server holds the body back, so the client has read at most its buffers' worth
        // (a few MB over loopback) of the 32 MB when the file loses all but its first MiB.
        let handle = try FileHandle(forWritingTo: file.url)
        try handle.truncate(atOffset: 1 << 20)
        try handle.close()
        server.drainSlowReads = true
        await #expect {
            _ = try await task.value
        } throws: { error in
            (error as? TransportError)?.kind == .fileUnreadable
        }
    }

    @Test(arguments: TransportKind.available)
    func consecutiveRequestsReuseOneConnection(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        for index in 0..<6 {
            // GETs, and PUTs marked replayable, share the kept-alive connection.
            var request = TikTokHTTPRequest(method: .put, url: server.url("/echo"), body: .bytes(Data(repeating: 7, count: index * 1000)))
            request.isReplayable = true
            if index % 2 == 1 { request = TikTokHTTPRequest(method: .get, url: server.url("/echo")) }
            let response = try await transport.send(request)
            #expect(response.status == 200)
        }
        #expect(server.acceptedConnections == 1)
        #expect(Set(server.received.map(\.connectionID)).count == 1)
        // Requests that must not be replayed each go out on a fresh connection.
        for _ in 0..<3 {
            _ = try await transport.send(TikTokHTTPRequest(method: .post, url: server.url("/echo"), body: .bytes(Data("x".utf8))))
        }
        #expect(server.acceptedConnections == 4)
    }

    @Test(arguments: TransportKind.available)
    func aRequestThatMustNotBeReplayedIsSentOnceEvenOnAWarmConnectionThatDies(kind: TransportKind) async throws {
        // libcurl re-sends a request by itself when a reused connection dies before any answer
        // ("Connection died, retrying a fresh connect"). For an init, that is a second post.
        let server = try TestServer()
        let transport = kind.make(stallTimeout: .seconds(5))
        _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo?warm")))   // warms a keep-alive connection
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .post, url: server.url("/read-and-close?init"),
                                                     headers: ["Content-Type": "application/json"],
                                                     body: .bytes(Data(#"{"source_info":{}}"#.utf8))))
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return [.connectionReset, .invalidResponse].contains(error.kind)
        }
        #expect(clock.now - start < .seconds(4), "the outcome is known to be unknown within seconds, not after a stall")
        #expect(server.received.filter { $0.target.contains("init") }.count == 1, "the POST reached the server twice")
        // The same holds for a chunk PUT: only the SDK's retry policy may send it again.
        _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo?warm-again")))
        _ = try? await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/read-and-close?chunk"),
                                                  body: .bytes(Data(repeating: 1, count: 100_000))))
        #expect(server.received.filter { $0.target.contains("chunk") }.count == 1, "the PUT reached the server twice")
    }

    @Test(arguments: TransportKind.available)
    func errorStatusesAndRedirectsComeBackAsResponses(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        for code in [302, 400, 403, 404, 416, 429, 500, 503] {
            let response = try await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/status/\(code)"),
                                                                body: .bytes(Data("x".utf8))))
            #expect(response.status == code)
            // FoundationNetworking drops the body of a redirect it was told not to follow.
            if !(kind == .urlSession && code == 302) {
                #expect(response.body == Data("status \(code)".utf8))
            }
            if code == 302 { #expect(response.headers["location"] == "/echo") }
            if code == 416 { #expect(response.headers["content-range"] == "bytes 0-99/1000") }
        }
        // The redirect was not followed: the server saw exactly the eight requests above.
        #expect(server.received.count == 8)
    }

    @Test(arguments: TransportKind.available)
    func reportsUploadProgressUpToTheBodySize(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        let file = try await TemporaryFile(size: 4 << 20)
        defer { file.remove() }
        let reports = LockedBox<[Int64]>([])
        var request = TikTokHTTPRequest(method: .put, url: server.url("/echo"), body: .file(try .wholeFile(file.url)))
        request.uploadProgress = { sent in reports.mutate { $0.append(sent) } }
        _ = try await transport.send(request)
        let values = reports.value
        #expect(!values.isEmpty)
        #expect(values.last == Int64(4 << 20))
        #expect(values == values.sorted())
    }

    @Test(arguments: TransportKind.available)
    func manyConcurrentRequestsAllSucceed(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                group.addTask {
                    let body = Data("request \(index)".utf8)
                    let response = try await transport.send(
                        TikTokHTTPRequest(method: .post, url: server.url("/echo"), body: .bytes(body)))
                    #expect(response.body == body)
                }
            }
            try await group.waitForAll()
        }
        #expect(server.received.count == 24)
    }

    @Test(arguments: TransportKind.available)
    func stallTimesOutWithATypedError(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make(stallTimeout: .seconds(1))
        let clock = ContinuousClock()
        let started = clock.now
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/sleep/30000?stall")))
        } throws: { error in
            (error as? TransportError)?.kind == .timedOut
        }
        // Not at once: a timer cannot fire before its second is up (measured from before the
        // send; the server's arrival time comes later by however long a loaded machine takes to
        // connect). And not only when the server finally answers: the server, which holds the
        // request for 30 s, saw the client close well before that.
        #expect(clock.now - started >= .milliseconds(950), "gave up after \(clock.now - started)")
        let seen = try #require(await server.record(containing: "stall"))
        let heldFor = try #require(seen.clientClosedAt, "the client never closed the stalled connection") - seen.arrivedAt
        #expect(heldFor < .seconds(10), "gave up after \(heldFor)")
    }

    /// Starts a request to `path`, cancels its task once the server holds the request, and checks
    /// that the task ends in `CancellationError` and that the server sees the connection closed
    /// within 250 ms of the cancel. The server notes that instant on its own thread, so a
    /// cooperative pool busy with other tests does not skew it; the best of up to three tries
    /// counts, so a descheduled moment does not fail it. A transport that needs a second to
    /// notice (libcurl's progress callback during a stall) fails all three.
    private func expectPromptCancellation(_ transport: any Transport, _ server: TestServer, path: String,
                                          body: TikTokHTTPBody = .empty) async throws {
        var best = Duration.seconds(60)
        for attempt in 0..<3 where best >= .milliseconds(250) {
            let marker = "try-\(attempt)"
            let request = TikTokHTTPRequest(method: body == .empty ? .get : .put, url: server.url("\(path)?\(marker)"), body: body)
            let before = server.arrivedCount
            server.drainSlowReads = false
            let task = Task { try await transport.send(request) }
            let arrived = await server.waitForArrivals(before + 1)
            try await Task.sleep(for: .milliseconds(50))   // into the body (or the wait for the answer)
            let cancelledAt = ContinuousClock.now
            task.cancel()
            server.drainSlowReads = true
            #expect(arrived, "the request never reached the server")
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            // The server's connection thread records the close when it reads EOF, which under
            // load may be a moment after the task finished: wait for it (a generous deadline).
            var seen = try #require(await server.record(containing: marker))
            let deadline = ContinuousClock.now + .seconds(10)
            while seen.clientClosedAt == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
                seen = try #require(await server.record(containing: marker))
            }
            let closedAt = try #require(seen.clientClosedAt, "the server never saw the connection close")
            best = min(best, closedAt - cancelledAt)
        }
        #expect(best < .milliseconds(250), "the connection closed \(best) after the cancel")
    }

    @Test(arguments: TransportKind.available)
    func cancellingMidUploadAbortsWithin250Milliseconds(kind: TransportKind) async throws {
        let server = try TestServer()
        // Larger than the loopback socket buffers on both sides together (tcp_wmem and tcp_rmem
        // top out at 4 and 32 MiB on Debian's defaults): with 8 MiB, a client descheduled long
        // enough handed the whole body to the kernel before the cancel, and the server then read
        // it all and saw no close (seen under stress-ng).
        let file = try await TemporaryFile(size: 64 << 20)
        defer { file.remove() }
        try await expectPromptCancellation(kind.make(), server, path: "/slow-read", body: .file(try .wholeFile(file.url)))
    }

    @Test(arguments: TransportKind.available)
    func cancellingDuringAStalledResponseAbortsWithin250Milliseconds(kind: TransportKind) async throws {
        let server = try TestServer()
        try await expectPromptCancellation(kind.make(), server, path: "/sleep/30000")
    }

    @Test(arguments: TransportKind.available)
    func cancelledBeforeStartSendsNothing(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(TikTokHTTPRequest(method: .post, url: server.url("/echo"), body: .bytes(Data("x".utf8))))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.received.isEmpty)
    }

    @Test(arguments: TransportKind.available)
    func connectionResetMidBodyIsATypedError(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        let file = try await TemporaryFile(size: 16 << 20)
        defer { file.remove() }
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/reset-mid-body"),
                                                     body: .file(try .wholeFile(file.url))))
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return [.connectionReset, .invalidResponse].contains(error.kind)
        }
        // The transport still works afterwards.
        let response = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo")))
        #expect(response.status == 200)
    }

    @Test(arguments: TransportKind.available, Array(TestServer.malformedReplies.keys).sorted())
    func malformedResponsesAreTypedErrors(kind: TransportKind, reply: String) async throws {
        let server = try TestServer()
        let transport = kind.make()
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/raw/\(reply)")))
        } throws: { error in
            guard let error = error as? TransportError else { return false }
            return [.invalidResponse, .connectionReset].contains(error.kind)
        }
    }

    @Test(arguments: TransportKind.available)
    func refusedConnectionIsTypedAndKeepsTheQueryStringSecret(kind: TransportKind) async throws {
        let port = try unusedPort()
        let transport = kind.make()
        let url = URL(string: "http://127.0.0.1:\(port)/upload/?upload_id=1&upload_token=SECRET-TOKEN-123")!
        var request = TikTokHTTPRequest(method: .put, url: url, body: .bytes(Data("x".utf8)))
        request.headers["Authorization"] = "Bearer SECRET-BEARER-456"
        do {
            _ = try await transport.send(request)
            Issue.record("expected an error")
        } catch let error as TransportError {
            #expect(error.kind == .connectionRefused)
            for text in [error.description, error.message, error.localizedDescription, String(reflecting: error)] {
                #expect(!text.contains("SECRET"), "leaked: \(text)")
            }
            #expect(error.endpoint == "http://127.0.0.1:\(port)/upload/")
        }
    }

    @Test(arguments: TransportKind.available)
    func unreadableFileFailsBeforeAnyNetworkCall(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).mp4")
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/echo"),
                                                     body: .file(try TikTokFileRegion(file: missing, offset: 0, length: 10))))
        } throws: { ($0 as? TransportError)?.kind == .fileUnreadable }

        let file = try await TemporaryFile(size: 100)
        defer { file.remove() }
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/echo"),
                                                     body: .file(try TikTokFileRegion(file: file.url, offset: 50, length: 51))))
        } throws: { ($0 as? TransportError)?.kind == .fileUnreadable }
        #expect(server.received.isEmpty)
    }

    @Test(arguments: TransportKind.available)
    func tlsHandshakeFailureIsTyped(kind: TransportKind) async throws {
        // An https request to a peer that answers in plain HTTP: the TLS handshake fails.
        let peer = try PlainTextPeer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        let url = URL(string: "https://127.0.0.1:\(peer.port)/echo")!
        await #expect {
            _ = try await kind.make(stallTimeout: .seconds(5)).send(TikTokHTTPRequest(method: .get, url: url))
        } throws: { ($0 as? TransportError)?.kind == .tls }
    }

    @Test(arguments: TransportKind.available)
    func nonHTTPURLsAreRefused(kind: TransportKind) async throws {
        let transport = kind.make()
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .get, url: URL(string: "ftp://127.0.0.1/file")!))
        } throws: { ($0 as? TransportError)?.kind == .invalidRequest }
    }

    @Test(arguments: TransportKind.available)
    func largeBodiesAreSentWithoutExpectContinueAndWithoutDelay(kind: TransportKind) async throws {
        // The peer never answers `Expect: 100-continue`, as TikTok's upload host may not: a
        // client that sent it would hold each body back for its 1 s timeout.
        let server = try TestServer()
        let transport = kind.make()
        let body = Data(repeating: 0xAB, count: 3 << 20)
        for _ in 0..<3 {
            _ = try await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/echo-silent"), body: .bytes(body)))
        }
        let received = server.received
        #expect(received.count == 3)
        for seen in received {
            #expect(!seen.headers.contains("Expect"))
            #expect(seen.body.count == body.count)
        }
        // Measured by the server: from the request head to the first body byte, best of three.
        let gaps = received.compactMap { seen in seen.bodyStartedAt.map { $0 - seen.arrivedAt } }
        #expect(try #require(gaps.min()) < .milliseconds(500), "body held back after the head: \(gaps)")
    }
}

/// The SDK on top of the transports: an init whose connection dies after the request was sent.
@Suite("Init on a dying warm connection")
struct InitOnADyingConnectionTests {
    @Test(arguments: TransportKind.available)
    func reportsOutcomeUnknownWithinSecondsAndSendsOneInit(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make(stallTimeout: .seconds(10))
        _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo?warm")))   // as creator_info would
        // Every API call under this base URL is read in full, then the server closes the connection.
        let client = TikTokClient(accessToken: "t", transport: transport,
                                  configuration: .init(baseURL: server.url("/read-and-close"), rateLimitPolicy: .disabled))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await client.initInboxVideo(.fileUpload(videoSize: 10_000_000, chunkSize: 10_000_000, totalChunkCount: 1))
            Issue.record("expected init_outcome_unknown")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.initOutcomeUnknown), "\(error)")
        }
        #expect(clock.now - start < .seconds(5), "known to be unknown within seconds")
        #expect(server.received.filter { $0.method == "POST" }.count == 1, "the init reached the server twice")
    }
}

/// A loopback port that nothing listens on (bound, then released).
func unusedPort() throws -> Int {
    let probe = try TestServer()
    let port = probe.server.port
    probe.server.shutdown()
    return Int(port)
}

@Suite("Request validation")
struct RequestValidationTests {
    @Test(arguments: TransportKind.available)
    func methodsAndHeaderNamesCannotSmuggleRequests(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make()
        let smuggling = TikTokHTTPMethod(rawValue: "POST /smuggled HTTP/1.1\r\nX-Injected: yes\r\n\r\nPOST")
        let badRequests = [
            TikTokHTTPRequest(method: smuggling, url: server.url("/echo")),
            TikTokHTTPRequest(method: .get, url: server.url("/echo"), headers: ["X-A\r\nInjected": "v"]),
            TikTokHTTPRequest(method: .get, url: server.url("/echo"), headers: ["X-A": "v\r\nInjected: yes"]),
            TikTokHTTPRequest(method: .get, url: server.url("/echo"), headers: ["": "v"]),
        ]
        for request in badRequests {
            await #expect {
                _ = try await transport.send(request)
            } throws: { ($0 as? TransportError)?.kind == .invalidRequest }
        }
        #expect(server.received.isEmpty)
    }

    @Test func printingARequestNeverShowsItsQueryOrCredentials() {
        var request = TikTokHTTPRequest(method: .put, url: URL(string: "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=SECRET-UPLOAD")!)
        request.headers["Authorization"] = "Bearer SECRET-BEARER"
        var dumped = ""
        dump(request, to: &dumped)
        for text in [request.description, String(reflecting: request), "\(request)", dumped] {
            #expect(!text.contains("SECRET"), "leaked: \(text)")
        }
        #expect(request.description == "PUT https://open-upload.tiktokapis.com/video/")
    }
}

/// Proves directly that a transport never parks Swift's cooperative threads for a transfer:
/// more stalled transfers than the pool has threads are held by the server at once, and another
/// task still runs while every one of them is held.
@Suite("Cooperative pool")
struct CooperativePoolTests {
    @Test(arguments: TransportKind.available)
    func stalledTransfersDoNotBlockOtherTasks(kind: TransportKind) async throws {
        let server = try TestServer()
        let transport = kind.make(stallTimeout: .seconds(60))
        let stalled = ProcessInfo.processInfo.activeProcessorCount + 2
        let finished = LockedBox(0)
        let ranWhileAllHeld = LockedBox<Bool?>(nil)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<stalled {
                group.addTask {
                    _ = try? await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/sleep/30000")))
                    finished.mutate { $0 += 1 }
                }
            }
            group.addTask {
                // If the transfers parked the pool's threads, this could not run until one ended.
                let allArrived = await server.waitForArrivals(stalled)
                ranWhileAllHeld.mutate { $0 = allArrived && finished.value == 0 }
                server.server.shutdown()   // releases the held transfers
            }
        }
        #expect(ranWhileAllHeld.value == true, "another task ran only after a transfer ended")
    }
}
