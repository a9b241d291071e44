import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("FakeTransport replies")
struct ReplyTests {
    @Test func jsonReplySetsContentTypeAndBody() async throws {
        let fake = FakeTransport()
        let json = #"{"data":{},"error":{"code":"ok","message":"","log_id":"x"}}"#
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(status: 200, json))

        let response = try await fake.send(makeRequest(.post, "https://api.example/v2/post/publish/inbox/video/init/"))

        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body == Data(json.utf8))
    }

    @Test func jsonReplyKeepsAGivenContentType() async throws {
        let fake = FakeTransport()
        fake.enqueue(.json(status: 400, headers: ["Content-Type": "application/json; charset=UTF-8"], "{}"))

        let response = try await fake.send(makeRequest(.get, "https://api.example/"))

        #expect(response.status == 400)
        #expect(response.headers.values(for: "Content-Type") == ["application/json; charset=UTF-8"])
    }

    @Test func statusReplyHasHeadersAndEmptyBody() async throws {
        let fake = FakeTransport()
        fake.enqueue(.status(206, headers: ["Range": "bytes=0-99"]))

        let response = try await fake.send(makeRequest(.put, "https://upload.example/video/"))

        #expect(response == TikTokHTTPResponse(status: 206, headers: ["Range": "bytes=0-99"]))
    }

    @Test func responseReplyIsReturnedAsGiven() async throws {
        let fake = FakeTransport()
        let scripted = TikTokHTTPResponse(status: 429, headers: ["Retry-After": "3"], body: Data("slow down".utf8))
        fake.enqueue(.response(scripted))

        #expect(try await fake.send(makeRequest(.get, "https://api.example/")) == scripted)
    }

    @Test func errorReplyIsThrownInsteadOfAResponse() async throws {
        let fake = FakeTransport()
        fake.enqueue(.put, "/upload/", .error(TransportError(.connectionReset, "reset")), .status(201))

        await #expect(throws: TransportError(.connectionReset, "reset")) {
            try await fake.send(makeRequest(.put, "https://upload.example/upload/"))
        }
        #expect(try await fake.send(makeRequest(.put, "https://upload.example/upload/")).status == 201)
        #expect(fake.requests.count == 2)
    }

    @Test func anyErrorCanBeScripted() async throws {
        let fake = FakeTransport()
        fake.enqueue(.error(URLError(.notConnectedToInternet)))

        let error = await #expect(throws: URLError.self) {
            try await fake.send(makeRequest(.get, "https://api.example/"))
        }
        #expect(error?.code == .notConnectedToInternet)
    }

    @Test func delayedReplyAnswersAfterTheDelay() async throws {
        let fake = FakeTransport()
        fake.enqueue(.delayed(by: .milliseconds(50), .status(200)))
        let clock = ContinuousClock()

        let start = clock.now
        let response = try await fake.send(makeRequest(.get, "https://api.example/"))

        #expect(response.status == 200)
        #expect(clock.now - start >= .milliseconds(50))
    }

    @Test func delayedErrorIsThrownAfterTheDelay() async throws {
        let fake = FakeTransport()
        fake.enqueue(.delayed(by: .milliseconds(20), .error(TransportError(.timedOut, "no answer"))))

        await #expect(throws: TransportError(.timedOut, "no answer")) {
            try await fake.send(makeRequest(.get, "https://api.example/"))
        }
    }

    @Test func unexpectedRequestNamesMethodAndPathButNotTheQuery() async throws {
        let fake = FakeTransport()
        let request = try makeRequest(
            .put, "https://open-upload.tiktokapis.com/video/?upload_id=67890&upload_token=SECRET-TOKEN")

        let error = await #expect(throws: FakeTransport.UnexpectedRequest.self) {
            try await fake.send(request)
        }

        let unexpected = try #require(error)
        #expect(unexpected.method == .put)
        #expect(unexpected.path == "/video/")
        #expect(unexpected.endpoint == "https://open-upload.tiktokapis.com/video/")
        for text in [unexpected.description, unexpected.localizedDescription, String(describing: unexpected)] {
            #expect(text.contains("PUT"))
            #expect(text.contains("https://open-upload.tiktokapis.com/video/"))
            #expect(!text.contains("SECRET-TOKEN"))
            #expect(!text.contains("upload_token"))
        }
    }

    @Test func unexpectedRequestIsStillRecorded() async throws {
        let fake = FakeTransport()
        _ = try? await fake.send(makeRequest(.get, "https://api.example/nobody/"))

        #expect(fake.requests.map(\.path) == ["/nobody/"])
    }
}
