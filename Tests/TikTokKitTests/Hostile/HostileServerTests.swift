import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

/// A loopback "TikTok" that answers like TikTok unless a test overrides a path: creator info,
/// inits whose upload URL points back at it, chunk PUTs (206 until the last byte, then 201) and
/// a status of `SEND_TO_USER_INBOX`.
private func tiktok(_ override: @escaping @Sendable (HostileServer.Request) -> [HostileServer.Step]? = { _ in nil })
    -> HostileServer.Script {
    { request in
        if let steps = override(request) { return steps }
        let host = request.headers["host"] ?? "127.0.0.1"
        let ok = #""error":{"code":"ok","message":"","log_id":"hostile"}"#
        switch request.path {
        case let path where path.hasSuffix("/creator_info/query/"):
            return HostileServer.json(#"{"data":{"creator_username":"u","creator_nickname":"n","privacy_level_options":["SELF_ONLY"],"comment_disabled":false,"duet_disabled":false,"stitch_disabled":false,"max_video_post_duration_sec":600},\#(ok)}"#)
        case let path where path.hasSuffix("/init/"):
            return HostileServer.json(#"{"data":{"publish_id":"v_inbox_file~v2.1","upload_url":"http://\#(host)/upload/?upload_id=1&upload_token=T"},\#(ok)}"#)
        case "/upload/":
            let range = request.headers["content-range"].flatMap(ContentRangeText.init)
            guard let range, range.last + 1 < range.total else {
                return [.send(HostileServer.response(status: 201))]
            }
            return [.send(HostileServer.response(status: 206, headers: [("Content-Range", "bytes 0-\(range.last)/\(range.total)")]))]
        case let path where path.hasSuffix("/status/fetch/"):
            return HostileServer.json(#"{"data":{"status":"SEND_TO_USER_INBOX"},\#(ok)}"#)
        default:
            return [.send(HostileServer.response(status: 404))]
        }
    }
}

/// `bytes FIRST-LAST/TOTAL` as the chunk PUT sends it.
private struct ContentRangeText {
    var first: Int64, last: Int64, total: Int64
    init?(_ text: String) {
        let parts = text.dropFirst("bytes ".count).split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int64($0) }
        guard parts.count == 3 else { return nil }
        (first, last, total) = (parts[0], parts[1], parts[2])
    }
}

private let okEnvelope = #""error":{"code":"ok","message":"","log_id":"hostile"}"#

private func client(_ server: HostileServer, _ kind: TransportKind = .preferred, requestTimeout: Duration = .seconds(20),
                    policy: RateLimiter.Policy = .disabled) -> TikTokClient {
    TikTokClient(accessToken: "act.HOSTILE-TOKEN-1", openID: "hostile-user", transport: kind.make(),
                 configuration: .init(baseURL: server.baseURL, rateLimitPolicy: policy, requestTimeout: requestTimeout))
}

/// Fast polling, no journal, and sleeps recorded (and skipped) unless `realSleep`.
private final class Sleeps: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []
    var all: [Duration] { lock.withLock { recorded } }

    func options(deadline: Duration = .seconds(5), attempts: Int = 6, realSleep: Bool = false,
                 chunkSize: Int64 = UploadPlan.defaultChunkSize) -> UploadOptions {
        UploadOptions(chunkSize: chunkSize, retryPolicy: UploadRetryPolicy(maxAttempts: attempts),
                      statusPolling: StatusPolling(initialInterval: .milliseconds(20), maxInterval: .milliseconds(50),
                                                   deadline: deadline)).sleeping { [self] duration in
                          try Task.checkCancellation()
                          lock.withLock { recorded.append(duration) }
                          if realSleep { try await Task.sleep(for: duration) }
                      }
    }
}

private func expectTikTokError(_ body: () async throws -> Void, _ check: (TikTokError) -> Bool,
                               sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        try await body()
        Issue.record("expected an error, got success", sourceLocation: sourceLocation)
    } catch let error as TikTokError {
        #expect(check(error), "got \(error.code): \(error.message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a TikTokError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// A server that misbehaves never makes the SDK hang, grow without bound, crash, follow a
/// redirect, leak a secret or report success falsely. Each case is a row of
/// `Documentation/BadInput.md` ("A hostile or broken server").
@Suite("Hostile server")
struct HostileServerTests {
    // MARK: Bodies and heads

    /// A declared length of 4 GB, and a chunked body that never ends.
    static let endlessBodies: [String] = ["declared 4 GB", "endless chunked"]
    /// Where the server gives up on its "endless" body: 8 times the client's limit, so the client
    /// must have cut it off, yet a FoundationNetworking that reads on does not spend the suite's
    /// two cores on gigabytes.
    static let endlessLimit = 128 << 20

    @Test(arguments: TransportKind.available, endlessBodies)
    func aBodyOfGigabytesIsCutOffAtTheLimit(kind: TransportKind, body: String) async throws {
        let steps: [HostileServer.Step] = body == "declared 4 GB"
            ? [.send(Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000000000\r\n\r\n".utf8)),
               .repeatForever(Data(repeating: 0x20, count: 64 * 1024), limit: Self.endlessLimit)]
            : [.send(Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)),
               .repeatForever(Data("10000\r\n".utf8) + Data(repeating: 0x20, count: 0x10000) + Data("\r\n".utf8),
                             limit: Self.endlessLimit)]
        let server = try HostileServer(script: tiktok { _ in steps })
        await expectTikTokError({ _ = try await client(server, kind).creatorInfo() }) {
            $0.kind == .transport(.responseTooLarge)
        }
        // libcurl stops reading at the limit (and refuses a declared length over it before the
        // body). FoundationNetworking has no back-pressure: it may read on, gigabytes were seen,
        // until its cancel lands, so for URLSessionTransport only the typed error is promised.
        if kind == .curl {
            let sent = await waitForFinishedConnection(server)
            #expect(sent < 64 << 20, "the client kept reading: \(sent) bytes")
        }
    }

    @Test(arguments: TransportKind.available)
    func aMegabyteHeaderLineIsATypedError(kind: TransportKind) async throws {
        let server = try HostileServer(script: tiktok { _ in
            [.send(Data("HTTP/1.1 200 OK\r\nX-Padding: \(String(repeating: "a", count: 1 << 20))\r\nContent-Length: 2\r\n\r\n{}".utf8))]
        })
        await expectTikTokError({ _ = try await client(server, kind).creatorInfo() }) { error in
            guard error.kind.transportErrorKind != nil else { return false }
            return true
        }
    }

    @Test(arguments: TransportKind.available)
    func aPeerTricklingBytesForeverMeetsTheRequestDeadline(kind: TransportKind) async throws {
        // Two bytes a second keeps any stall timer happy; only an overall deadline ends it.
        let server = try HostileServer(script: tiktok { _ in
            [.send(Data("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n".utf8)),
             .trickle(Data(repeating: 0x20, count: 100_000), every: .milliseconds(500))]
        })
        let clock = ContinuousClock()
        let start = clock.now
        await expectTikTokError({ _ = try await client(server, kind, requestTimeout: .seconds(2)).creatorInfo() }) {
            $0.kind == .transport(.timedOut)
        }
        #expect(clock.now - start >= .milliseconds(1950))
        // The trickle would last 14 hours; the bound only has to tell the deadline from that.
        #expect(clock.now - start < .seconds(120), "the deadline did not hold")
    }

    @Test(arguments: TransportKind.available)
    func aStatusLineTrickledForeverMeetsTheRequestDeadline(kind: TransportKind) async throws {
        let server = try HostileServer(script: tiktok { _ in
            [.trickle(Data(("HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 10_000)).utf8), every: .milliseconds(500))]
        })
        await expectTikTokError({ _ = try await client(server, kind, requestTimeout: .seconds(2)).creatorInfo() }) {
            $0.kind == .transport(.timedOut)
        }
    }

    @Test(arguments: TransportKind.available)
    func aConnectionClosedBeforeTheHeadersIsTypedAndAnInitIsUnknown(kind: TransportKind) async throws {
        let server = try HostileServer(script: tiktok { _ in [] })   // reads the request, closes
        await expectTikTokError({ _ = try await client(server, kind).creatorInfo() }) { error in
            guard error.kind.transportErrorKind != nil else { return false }
            return true
        }
        await expectTikTokError({
            _ = try await client(server, kind).initInboxVideo(.fileUpload(videoSize: 1_000_000, chunkSize: 1_000_000,
                                                                           totalChunkCount: 1))
        }) { $0.kind == .upload(.initOutcomeUnknown) }
        #expect(server.requests.filter { $0.path.hasSuffix("/init/") }.count == 1, "sent once, never replayed")
    }

    // MARK: JSON

    @Test(arguments: [
        "{not json",
        "",
        String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        #"{"data":"#  + String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_001) + "}",
        #"{"data":{"creator_username":5,"privacy_level_options":"SELF_ONLY"},\#(okEnvelope)}"#,
        #"{"data":null,\#(okEnvelope)}"#,
        #"{"data":{},"error":null}"#,
        #"{"data":{},"error":{"code":null}}"#,
        #"{"data":{},"error":{"code":17}}"#,
    ])
    func malformedOrHostileJSONIsUndecodable(body: String) async throws {
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/creator_info/query/") ? HostileServer.json(body) : nil
        })
        await expectTikTokError({ _ = try await client(server).creatorInfo() }) {
            $0.kind == .undecodableResponse && $0.classification == .retryLater
        }
    }

    @Test func aPostIDOf25DigitsIsKeptExactly() async throws {
        let id = "1234567890123456789012345"
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/status/fetch/")
                ? HostileServer.json(#"{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[\#(id)]},\#(okEnvelope)}"#)
                : nil
        })
        let result = try await client(server).waitForPublish(publishID: "v_inbox_file~v2.1", options: Sleeps().options())
        #expect(result.publiclyAvailablePostIDs.map(\.rawValue) == [id])
    }

    @Test(arguments: ["7.663542984343883e18", "7663542984343883.5", "-7663542984343883021", #""12ab""#,
                      "123456789012345678901234567890123456789012345"])
    func aPostIDThatIsNotAWholeNumberEndsTheWaitAsUndecodable(id: String) async throws {
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/status/fetch/")
                ? HostileServer.json(#"{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[\#(id)]},\#(okEnvelope)}"#)
                : nil
        })
        await expectTikTokError({
            _ = try await client(server).waitForPublish(publishID: "v_inbox_file~v2.1", options: Sleeps().options(deadline: .seconds(600)))
        }) { $0.kind == .undecodableResponse && $0.publishID == "v_inbox_file~v2.1" }
        #expect(server.requests.count == 3, "three undecodable answers end the wait, not the 600 s deadline")
    }

    // MARK: Upload URLs and redirects

    @Test(arguments: ["http://example.com/upload/?upload_token=T", "file:///etc/passwd", "ftp://127.0.0.1/upload/",
                      "http://user:pass@127.0.0.1:1/upload/", "http://127.0.0.1:1/upload/#fragment", "/upload/", "not a url"])
    func anUntrustworthyUploadURLIsRefusedBeforeAnyPUT(uploadURL: String) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/init/")
                ? HostileServer.json(#"{"data":{"publish_id":"v_inbox_file~v2.1","upload_url":"\#(uploadURL)"},\#(okEnvelope)}"#)
                : nil
        })
        await expectTikTokError({ _ = try await client(server).publishDraft(file: file.url, options: Sleeps().options()) }) { error in
            error.kind == .undecodableResponse && !error.message.contains("pass") && !error.description.contains("pass@")
        }
        #expect(!server.requests.contains { $0.method == "PUT" })
    }

    @Test func aRedirectOnInitIsNotFollowed() async throws {
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/init/")
                ? [.send(HostileServer.response(status: 302, headers: [("Location", "/elsewhere/")]))] : nil
        })
        await expectTikTokError({
            _ = try await client(server).initInboxVideo(.fileUpload(videoSize: 1_000_000, chunkSize: 1_000_000, totalChunkCount: 1))
        }) { $0.kind == .http(status: 302) }
        #expect(server.requests.map(\.path) == ["/v2/post/publish/inbox/video/init/"], "followed the redirect")
    }

    @Test(arguments: TransportKind.available)
    func aRedirectOnAChunkPUTIsNotFollowed(kind: TransportKind) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let server = try HostileServer(script: tiktok { request in
            request.method == "PUT"
                ? [.send(HostileServer.response(status: 307, headers: [("Location", "http://127.0.0.1:1/stolen/")]))] : nil
        })
        await expectTikTokError({ _ = try await client(server, kind).publishDraft(file: file.url, options: Sleeps().options()) }) {
            $0.kind == .upload(.chunkRejected) && $0.httpStatus == 307 && $0.publishID != nil
        }
        #expect(server.requests.filter { $0.method == "PUT" }.count == 1)
    }

    // MARK: Retry-After

    @Test(arguments: ["1000000000", "-5", "NaN", "inf", "1e9", "Wed, 21 Oct 2099 07:28:00 GMT", "🙂"])
    func anyRetryAfterOnAChunkIsCapped(value: String) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let puts = Counter()
        let server = try HostileServer(script: tiktok { request in
            guard request.method == "PUT", puts.next() <= 2 else { return nil }
            return [.send(HostileServer.response(status: 503, headers: [("Retry-After", value)]))]
        })
        let sleeps = Sleeps()
        let result = try await client(server).publishDraft(file: file.url, options: sleeps.options())
        #expect(result.status == .sendToUserInbox)
        let waits = sleeps.all.filter { $0 > .milliseconds(50) }   // the chunk retries, not the status polls
        #expect(waits.count <= 2)
        #expect(waits.allSatisfy { $0 <= UploadRetryPolicy.default.maxRetryAfter }, "waited \(waits)")
    }

    @Test func aStatus429WithARetryAfterOfADayDoesNotHoldTheWaitPastItsDeadline() async throws {
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/status/fetch/")
                ? HostileServer.json(#"{"error":{"code":"rate_limit_exceeded","message":"slow down","log_id":"x"}}"#,
                                     status: 429, headers: [("Retry-After", "86000")])
                : nil
        })
        let clock = ContinuousClock()
        let start = clock.now
        await expectTikTokError({
            _ = try await client(server, policy: .wait)
                .waitForPublish(publishID: "v_inbox_file~v2.1", options: Sleeps().options(deadline: .seconds(2), realSleep: true))
        }) { $0.kind == .upload(.statusDeadlineExceeded) }
        // Without the deadline, the limiter would hold the next poll for its 60 s window.
        #expect(clock.now - start < .seconds(45), "a status wait of 2 s took \(clock.now - start)")
    }

    // MARK: Chunk answers

    @Test(arguments: ["bytes 0-69999999/70000000", "bytes 0-99/70000000", "garbage"])
    func a206ContentRangeAheadBackwardsOrGarbageNeverSkipsOrRepeatsForever(range: String) async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let bytes = Counter()
        let server = try HostileServer(script: tiktok { request in
            guard request.method == "PUT" else { return nil }
            _ = bytes.add(request.bodyCount)
            guard request.headers["content-range"]?.hasSuffix("-69999999/70000000") == false else { return nil }
            return [.send(HostileServer.response(status: 206, headers: [("Content-Range", range)]))]
        })
        let result = try await client(server).publishDraft(file: file.url, options: Sleeps().options(chunkSize: 32_000_000))
        #expect(result.status == .sendToUserInbox)
        let received = bytes.value
        #expect(received >= 70_000_000, "bytes were skipped")
        #expect(received <= 140_000_000, "sent \(received) bytes for a 70 MB file")
    }

    @Test func a206ThatCreepsForwardAByteAtATimeIsBounded() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let server = try HostileServer(script: tiktok { request in
            guard request.method == "PUT", let range = request.headers["content-range"].flatMap(ContentRangeText.init) else { return nil }
            return [.send(HostileServer.response(status: 206, headers: [("Content-Range", "bytes 0-\(range.first)/\(range.total)")]))]
        })
        await expectTikTokError({
            _ = try await client(server).publishDraft(file: file.url, options: Sleeps().options(chunkSize: 32_000_000))
        }) { $0.kind == .upload(.outOfSync) && $0.publishID != nil }
        #expect(server.requests.filter { $0.method == "PUT" }.count <= 2 * 2 + 3 + 1)
    }

    @Test func a416LoopIsBounded() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let server = try HostileServer(script: tiktok { request in
            request.method == "PUT"
                ? [.send(HostileServer.response(status: 416, headers: [("Content-Range", "bytes 0-31999999/70000000")]))] : nil
        })
        await expectTikTokError({
            _ = try await client(server).publishDraft(file: file.url, options: Sleeps().options(chunkSize: 32_000_000))
        }) { $0.kind == .upload(.outOfSync) && $0.publishID != nil }
        #expect(server.requests.filter { $0.method == "PUT" }.count < 20)
    }

    @Test func a201OnTheFirstOfSeveralChunksIsNotSuccess() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let server = try HostileServer(script: tiktok { request in
            request.method == "PUT" ? [.send(HostileServer.response(status: 201))] : nil
        })
        await expectTikTokError({
            _ = try await client(server).publishDraft(file: file.url, options: Sleeps().options(chunkSize: 32_000_000))
        }) { $0.kind == .upload(.outOfSync) && $0.httpStatus == 201 }
        #expect(!server.requests.contains { $0.path.hasSuffix("/status/fetch/") }, "went on as if uploaded")
    }

    // MARK: Status

    @Test func aStatusThatNeverEndsMeetsTheDeadline() async throws {
        let server = try HostileServer(script: tiktok { request in
            request.path.hasSuffix("/status/fetch/")
                ? HostileServer.json(#"{"data":{"status":"PROCESSING_UPLOAD"},\#(okEnvelope)}"#) : nil
        })
        let clock = ContinuousClock()
        let start = clock.now
        await expectTikTokError({
            _ = try await client(server).waitForPublish(publishID: "v_inbox_file~v2.1",
                                                       options: Sleeps().options(deadline: .seconds(1), realSleep: true))
        }) { $0.kind == .upload(.statusDeadlineExceeded) && $0.publishID == "v_inbox_file~v2.1" }
        #expect(clock.now - start >= .milliseconds(990))
        #expect(clock.now - start < .seconds(60), "a wait of 1 s took \(clock.now - start)")
    }

    @Test func aStatusThatGoesBackFromPublishCompleteIsNotPolledAgain() async throws {
        let polls = Counter()
        let server = try HostileServer(script: tiktok { request in
            guard request.path.hasSuffix("/status/fetch/") else { return nil }
            let status = polls.next() == 2 ? "PUBLISH_COMPLETE" : "PROCESSING_UPLOAD"
            return HostileServer.json(#"{"data":{"status":"\#(status)"},\#(okEnvelope)}"#)
        })
        let result = try await client(server).waitForPublish(publishID: "v_inbox_file~v2.1",
                                                             options: Sleeps().options(deadline: .seconds(120)))
        #expect(result.status == .publishComplete)
        #expect(polls.value == 2, "the first final status is the answer")
    }

    // MARK: Secrets

    @Test func nothingTheServerSaysOrDoesPutsTheTokenInAnError() async throws {
        let server = try HostileServer(script: tiktok { request in
            // Echoes the Authorization header back in the message, as a hostile proxy might.
            let echoed = request.headers["authorization"] ?? ""
            return HostileServer.json(#"{"error":{"code":"internal_error","message":"you sent \#(echoed)","log_id":"\#(echoed)"}}"#, status: 500)
        })
        do {
            _ = try await client(server).creatorInfo()
            Issue.record("expected an error")
        } catch let error as TikTokError {
            for text in [error.description, error.message, error.advice, String(reflecting: error)] {
                #expect(!text.contains("HOSTILE-TOKEN"), "leaked: \(text)")
            }
        }
    }
}

/// Waits (without blocking) until the server has finished a connection; returns its byte count.
private func waitForFinishedConnection(_ server: HostileServer) async -> Int {
    let deadline = ContinuousClock.now + .seconds(30)
    while server.bytesSentPerConnection.isEmpty, ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
    }
    return server.bytesSentPerConnection.max() ?? -1
}

/// A thread-safe counter for scripts.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    /// Adds one and returns the new count.
    func next() -> Int { add(1) }
    func add(_ amount: Int) -> Int { lock.withLock { count += amount; return count } }
    var value: Int { lock.withLock { count } }
}
