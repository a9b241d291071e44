import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("FakeTransport routing")
struct RoutingTests {
    @Test func routeRepliesAreServedInOrder() async throws {
        let fake = FakeTransport()
        fake.enqueue(.put, "/upload/", .status(206), .status(206), .status(201))

        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(try await fake.send(makeRequest(.put, "https://upload.example/upload/")).status)
        }

        #expect(statuses == [206, 206, 201])
        await #expect(throws: FakeTransport.UnexpectedRequest.self) {
            try await fake.send(makeRequest(.put, "https://upload.example/upload/"))
        }
    }

    @Test func laterEnqueueForTheSameRouteAppendsToItsQueue() async throws {
        let fake = FakeTransport()
        fake.enqueue(.get, "/a/", .status(1))
        fake.enqueue(.get, "/a/", .status(2), .status(3))

        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(try await fake.send(makeRequest(.get, "https://api.example/a/")).status)
        }
        #expect(statuses == [1, 2, 3])
    }

    @Test func routesAreKeptApartByMethodAndPath() async throws {
        let fake = FakeTransport()
        fake.enqueue(.get, "/thing/", .status(200))
        fake.enqueue(.post, "/thing/", .status(201))
        fake.enqueue(.get, "/other/", .status(202))

        #expect(try await fake.send(makeRequest(.get, "https://api.example/other/")).status == 202)
        #expect(try await fake.send(makeRequest(.post, "https://api.example/thing/")).status == 201)
        #expect(try await fake.send(makeRequest(.get, "https://api.example/thing/")).status == 200)
    }

    @Test func pathMatchingIgnoresQueryStringAndHost() async throws {
        let fake = FakeTransport()
        fake.enqueue(.put, "/video/", .status(201))
        fake.enqueue(.put, "https://elsewhere.example/video/?upload_token=ignored", .status(202))

        let first = try await fake.send(makeRequest(.put, "https://open-upload.example/video/?upload_id=1&upload_token=t"))
        let second = try await fake.send(makeRequest(.put, "https://open-upload.example/video/"))

        let statuses: [Int] = [first.status, second.status]
        #expect(statuses == [201, 202])
    }

    @Test func trailingSlashIsPartOfThePath() async throws {
        let fake = FakeTransport()
        fake.enqueue(.get, "/v2/user/info/", .status(200))

        await #expect(throws: FakeTransport.UnexpectedRequest.self) {
            try await fake.send(makeRequest(.get, "https://api.example/v2/user/info"))
        }
    }

    @Test func lastReplyRepeatsWhenAsked() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/status/", .status(202), .status(200), repeatingLast: true)

        var statuses: [Int] = []
        for _ in 0..<5 {
            statuses.append(try await fake.send(makeRequest(.post, "https://api.example/status/")).status)
        }
        #expect(statuses == [202, 200, 200, 200, 200])
    }

    @Test func repeatingReplyGivesWayToRepliesQueuedLater() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/status/", .status(202), repeatingLast: true)
        #expect(try await fake.send(makeRequest(.post, "https://api.example/status/")).status == 202)
        #expect(try await fake.send(makeRequest(.post, "https://api.example/status/")).status == 202)

        fake.enqueue(.post, "/status/", .status(200))

        #expect(try await fake.send(makeRequest(.post, "https://api.example/status/")).status == 202)
        #expect(try await fake.send(makeRequest(.post, "https://api.example/status/")).status == 200)
        await #expect(throws: FakeTransport.UnexpectedRequest.self) {
            try await fake.send(makeRequest(.post, "https://api.example/status/"))
        }
    }

    @Test func globalQueueAnswersAnyRouteInOrder() async throws {
        let fake = FakeTransport()
        fake.enqueue(.status(200), .status(201), .status(202))

        let a = try await fake.send(makeRequest(.get, "https://api.example/a/"))
        let b = try await fake.send(makeRequest(.post, "https://api.example/b/"))
        let c = try await fake.send(makeRequest(.delete, "https://api.example/a/"))

        let statuses: [Int] = [a.status, b.status, c.status]
        #expect(statuses == [200, 201, 202])
    }

    @Test func precedenceIsRouteQueueRouteClosureGlobalQueueFallbackThenError() async throws {
        let fake = FakeTransport()
        fake.onUnmatched { _ in TikTokHTTPResponse(status: 204) }
        fake.enqueue(.status(203), .status(205))
        fake.on(.get, "/route/") { _ in TikTokHTTPResponse(status: 202) }
        fake.enqueue(.get, "/route/", .status(201))

        func status(_ url: String) async throws -> Int {
            try await fake.send(makeRequest(.get, url)).status
        }
        // The route queue first, then the route's closure, which keeps answering while the
        // global queue still holds replies.
        #expect(try await status("https://api.example/route/") == 201)
        #expect(try await status("https://api.example/route/") == 202)
        #expect(try await status("https://api.example/route/") == 202)
        // Another route: the global queue, then the fallback.
        #expect(try await status("https://api.example/other/") == 203)
        #expect(try await status("https://api.example/other/") == 205)
        #expect(try await status("https://api.example/other/") == 204)
        #expect(try await status("https://api.example/other/") == 204)

        fake.reset()
        await #expect(throws: FakeTransport.UnexpectedRequest.self) {
            try await fake.send(makeRequest(.get, "https://api.example/route/"))
        }
    }

    @Test func laterRouteClosureReplacesEarlierOne() async throws {
        let fake = FakeTransport()
        fake.on(.get, "/a/") { _ in TikTokHTTPResponse(status: 500) }
        fake.on(.get, "/a/") { _ in TikTokHTTPResponse(status: 200) }

        #expect(try await fake.send(makeRequest(.get, "https://api.example/a/")).status == 200)
    }

    @Test func closureReceivesTheRecordedRequest() async throws {
        let fake = FakeTransport()
        fake.on(.post, "/echo/") { request in
            var headers: TikTokHTTPHeaders = [:]
            headers["X-Method"] = request.method.rawValue
            headers["X-Path"] = request.path
            headers["X-Auth"] = request.headers["authorization"]
            return TikTokHTTPResponse(status: 200, headers: headers, body: request.body)
        }

        let response = try await fake.send(makeRequest(
            .post, "https://api.example/echo/?q=1", headers: ["Authorization": "Bearer t"],
            body: .bytes(Data("hello".utf8))))

        #expect(response.headers["X-Method"] == "POST")
        #expect(response.headers["X-Path"] == "/echo/")
        #expect(response.headers["X-Auth"] == "Bearer t")
        #expect(response.body == Data("hello".utf8))
    }

    @Test func closureMayReadTheRecordWithoutDeadlocking() async throws {
        let fake = FakeTransport()
        fake.onUnmatched { [fake] _ in TikTokHTTPResponse(status: 200 + fake.requests.count) }

        #expect(try await fake.send(makeRequest(.get, "https://api.example/")).status == 201)
        #expect(try await fake.send(makeRequest(.get, "https://api.example/")).status == 202)
    }

    @Test func closureErrorIsThrownFromSend() async throws {
        let fake = FakeTransport()
        fake.on(.get, "/fails/") { _ in throw TransportError(.timedOut, "slow") }

        await #expect(throws: TransportError(.timedOut, "slow")) {
            try await fake.send(makeRequest(.get, "https://api.example/fails/"))
        }
    }
}
