#if canImport(CTikTokKitCurl)   // a build without libcurl (TIKTOKKIT_NO_CURL=1, iOS) has no CurlTransport
import Foundation
import Testing
import TikTokKit

/// Behaviour specific to `CurlTransport`, beyond the shared conformance suite.
@Suite("CurlTransport")
struct CurlTransportTests {
    @Test func expectContinueWhenEnabledIsAnsweredAndDoesNotDelay() async throws {
        let server = try TestServer()
        let transport = CurlTransport(configuration: .init(expectContinue: true))
        let body = Data(repeating: 0x42, count: 2 << 20)
        for _ in 0..<3 {
            let response = try await transport.send(TikTokHTTPRequest(method: .put, url: server.url("/echo"), body: .bytes(body)))
            #expect(response.status == 200)
            #expect(response.body.count == body.count)
        }
        let received = server.received
        for seen in received {
            #expect(seen.headers["Expect"]?.lowercased() == "100-continue")
        }
        // Measured by the server: from the request head (answered with 100 Continue at once) to the
        // first body byte, best of three. Ignoring the interim answer would take curl's 1 s timeout.
        let gaps = received.compactMap { seen in seen.bodyStartedAt.map { $0 - seen.arrivedAt } }
        #expect(try #require(gaps.min()) < .milliseconds(500), "body held back after 100 Continue: \(gaps)")
    }

    @Test func concurrentRequestsShareConnectionsInsteadOfOpeningOnePerRequest() async throws {
        let server = try TestServer()
        let transport = CurlTransport()
        for _ in 0..<3 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/sleep/50")))
                    }
                }
                try await group.waitForAll()
            }
        }
        // Twelve requests, at most four at a time: the later rounds reuse the first round's connections.
        #expect(server.received.count == 12)
        #expect(server.acceptedConnections <= 4)
    }

    @Test func responsesLargerThanTheLimitAreRefused() async throws {
        let server = try TestServer()
        let transport = CurlTransport(configuration: .init(maxResponseBodySize: 1000))
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .post, url: server.url("/echo"),
                                                     body: .bytes(Data(repeating: 1, count: 5000))))
        } throws: { ($0 as? TransportError)?.kind == .responseTooLarge }
    }

    @Test func headerValuesWithLineBreaksAreRefused() async throws {
        let server = try TestServer()
        let transport = CurlTransport()
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo"),
                                                     headers: ["X-Evil": "a\r\nInjected: yes"]))
        } throws: { ($0 as? TransportError)?.kind == .invalidRequest }
        #expect(server.received.isEmpty)
    }

    @Test func unresolvableHostIsTyped() async throws {
        let transport = CurlTransport(configuration: .init(connectTimeout: .seconds(5)))
        await #expect {
            _ = try await transport.send(TikTokHTTPRequest(method: .get, url: URL(string: "http://no-such-host.invalid/")!))
        } throws: { error in
            // A resolver that cannot be reached times out instead of answering "no such host".
            let kind = (error as? TransportError)?.kind
            return kind == .cannotResolveHost || kind == .timedOut
        }
    }

    @Test func releasedTransportStopsItsThreadAndLaterOnesStillWork() async throws {
        let server = try TestServer()
        for _ in 0..<20 {
            let transport = CurlTransport()
            let response = try await transport.send(TikTokHTTPRequest(method: .get, url: server.url("/echo")))
            #expect(response.status == 200)
        }
    }
}
#endif
