import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("FakeTransport recording")
struct RecordingTests {
    @Test(arguments: [
        (offset: Int64(0), length: Int64(100)),     // first
        (offset: Int64(400), length: Int64(300)),   // middle
        (offset: Int64(900), length: Int64(100)),   // last
        (offset: Int64(517), length: Int64(1)),     // one byte
        (offset: Int64(999), length: Int64(1)),     // the final byte
        (offset: Int64(0), length: Int64(1000)),    // whole file
        (offset: Int64(1000), length: Int64(0)),    // empty range at the end
    ])
    func fileRegionBodyIsRecordedWithExactBytes(offset: Int64, length: Int64) async throws {
        let file = try TemporaryFile(count: 1000)
        let region = try TikTokFileRegion(file: file.url, offset: offset, length: length)
        let fake = FakeTransport()
        fake.enqueue(.put, "/upload/", .status(206))

        _ = try await fake.send(makeRequest(.put, "https://upload.example/upload/", body: .file(region)))

        let recorded = try #require(fake.requests.first)
        let expected = file.contents.subdata(in: Int(offset)..<Int(offset + length))
        #expect(recorded.body == expected)
        #expect(recorded.body.count == Int(length))
        #expect(recorded.bodyKind == .file(region))
    }

    @Test func fileRegionIsReadAtSendTime() async throws {
        let file = try TemporaryFile(count: 10)
        let region = try TikTokFileRegion(file: file.url, offset: 2, length: 3)
        try Data([9, 9, 9, 9, 9, 9, 9, 9, 9, 9]).write(to: file.url)
        let fake = FakeTransport()
        fake.enqueue(.status(200))

        _ = try await fake.send(makeRequest(.put, "https://upload.example/upload/", body: .file(region)))

        #expect(fake.requests.first?.body == Data([9, 9, 9]))
    }

    @Test func missingFileThrowsFileUnreadableAndRecordsNothing() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString).mp4")
        let region = try TikTokFileRegion(file: missing, offset: 0, length: 10)
        let fake = FakeTransport()
        fake.enqueue(.status(201))

        let error = await #expect(throws: TransportError.self) {
            try await fake.send(makeRequest(.put, "https://upload.example/video/?upload_token=SECRET", body: .file(region)))
        }

        #expect(error?.kind == .fileUnreadable)
        #expect(error?.method == .put)
        #expect(error?.endpoint == "https://upload.example/video/")
        #expect(error.map { !$0.description.contains("SECRET") } == true)
        #expect(fake.requests.isEmpty)
        // The reply was not used up.
        #expect(try await fake.send(makeRequest(.get, "https://api.example/")).status == 201)
    }

    @Test func rangePastTheEndOfTheFileThrowsFileUnreadable() async throws {
        let file = try TemporaryFile(count: 100)
        let region = try TikTokFileRegion(file: file.url, offset: 50, length: 51)
        let fake = FakeTransport()
        fake.enqueue(.status(201))

        let error = await #expect(throws: TransportError.self) {
            try await fake.send(makeRequest(.put, "https://upload.example/video/", body: .file(region)))
        }

        #expect(error?.kind == .fileUnreadable)
        #expect(fake.requests.isEmpty)
    }

    @Test func directoryAsFileBodyThrowsFileUnreadable() async throws {
        let region = try TikTokFileRegion(file: FileManager.default.temporaryDirectory, offset: 0, length: 0)
        let fake = FakeTransport()
        fake.enqueue(.status(201))

        let error = await #expect(throws: TransportError.self) {
            try await fake.send(makeRequest(.put, "https://upload.example/video/", body: .file(region)))
        }

        #expect(error?.kind == .fileUnreadable)
    }

    @Test func everyRequestIsRecordedInOrderWithMethodURLHeadersAndBody() async throws {
        let fake = FakeTransport()
        fake.onUnmatched { _ in TikTokHTTPResponse(status: 200) }
        let json = Data(#"{"publish_id":"p"}"#.utf8)

        _ = try await fake.send(makeRequest(.get, "https://api.example/v2/user/info/?fields=open_id",
                                            headers: ["Authorization": "Bearer test-token"]))
        _ = try await fake.send(makeRequest(.post, "https://api.example/v2/post/publish/status/fetch/",
                                            headers: ["Content-Type": "application/json", "X-Twice": "1"],
                                            body: .bytes(json)))

        let requests = fake.requests
        #expect(requests.count == 2)
        #expect(requests[0].method == .get)
        #expect(requests[0].url.absoluteString == "https://api.example/v2/user/info/?fields=open_id")
        #expect(requests[0].path == "/v2/user/info/")
        #expect(requests[0].headers == ["Authorization": "Bearer test-token"])
        #expect(requests[0].body.isEmpty)
        #expect(requests[0].bodyKind == .empty)
        #expect(requests[1].method == .post)
        #expect(requests[1].headers == ["Content-Type": "application/json", "X-Twice": "1"])
        #expect(requests[1].body == json)
        #expect(requests[1].bodyKind == .bytes)
    }

    @Test func requestsCanBeFilteredByMethodAndPath() async throws {
        let fake = FakeTransport()
        fake.onUnmatched { _ in TikTokHTTPResponse(status: 200) }

        _ = try await fake.send(makeRequest(.put, "https://upload.example/video/?part=1"))
        _ = try await fake.send(makeRequest(.post, "https://api.example/video/"))
        _ = try await fake.send(makeRequest(.put, "https://upload.example/video/?part=2"))
        _ = try await fake.send(makeRequest(.put, "https://upload.example/other/"))

        let puts = fake.requests(method: .put, path: "/video/")
        #expect(puts.map(\.url.query) == ["part=1", "part=2"])
        #expect(fake.requests(method: .post, path: "/video/").count == 1)
        #expect(fake.requests(method: .get, path: "/video/").isEmpty)
    }

    @Test func resetForgetsRequestsAndScript() async throws {
        let fake = FakeTransport()
        fake.enqueue(.get, "/a/", .status(200), .status(200))
        fake.enqueue(.status(200))
        fake.on(.get, "/b/") { _ in TikTokHTTPResponse(status: 200) }
        fake.onUnmatched { _ in TikTokHTTPResponse(status: 200) }
        _ = try await fake.send(makeRequest(.get, "https://api.example/a/"))

        fake.reset()

        #expect(fake.requests.isEmpty)
        for path in ["/a/", "/b/", "/c/"] {
            await #expect(throws: FakeTransport.UnexpectedRequest.self) {
                try await fake.send(makeRequest(.get, "https://api.example" + path))
            }
        }
    }

    @Test func uploadProgressReportsTheFullBodyCount() async throws {
        let file = try TemporaryFile(count: 4096)
        let fake = FakeTransport()
        fake.onUnmatched { _ in TikTokHTTPResponse(status: 200) }
        let bytesProgress = Collected<Int64>()
        let fileProgress = Collected<Int64>()

        _ = try await fake.send(makeRequest(.post, "https://api.example/", body: .bytes(Data(count: 1234)),
                                            uploadProgress: { bytesProgress.append($0) }))
        _ = try await fake.send(makeRequest(.put, "https://upload.example/",
                                            body: .file(TikTokFileRegion(file: file.url, offset: 96, length: 4000)),
                                            uploadProgress: { fileProgress.append($0) }))

        #expect(bytesProgress.all.last == 1234)
        #expect(fileProgress.all.last == 4000)
    }

    @Test func uploadProgressGrowsThroughIntermediateValuesToTheFullCount() async throws {
        let fake = FakeTransport()
        fake.enqueue(.status(200), .status(200))
        let large = Collected<Int64>()
        let tiny = Collected<Int64>()

        _ = try await fake.send(makeRequest(.put, "https://upload.example/", body: .bytes(Data(count: 1000)),
                                            uploadProgress: { large.append($0) }))
        _ = try await fake.send(makeRequest(.put, "https://upload.example/", body: .bytes(Data(count: 1)),
                                            uploadProgress: { tiny.append($0) }))

        #expect(large.all == [250, 500, 750, 1000])
        #expect(tiny.all == [1])
    }

    @Test func uploadProgressIsReportedBeforeAScriptedError() async throws {
        let fake = FakeTransport()
        fake.enqueue(.error(TransportError(.connectionReset, "reset")))
        let progress = Collected<Int64>()

        _ = try? await fake.send(makeRequest(.put, "https://upload.example/", body: .bytes(Data(count: 8)),
                                             uploadProgress: { progress.append($0) }))

        #expect(progress.all.last == 8)
    }

    @Test func emptyBodyReportsNoProgress() async throws {
        let fake = FakeTransport()
        fake.onUnmatched { _ in TikTokHTTPResponse(status: 200) }
        let progress = Collected<Int64>()

        _ = try await fake.send(makeRequest(.get, "https://api.example/", uploadProgress: { progress.append($0) }))

        #expect(progress.all.isEmpty)
    }

    @Test func fiftyConcurrentSendsAreAllRecordedAndAnswered() async throws {
        let fake = FakeTransport()
        fake.onUnmatched { request in TikTokHTTPResponse(status: 200, body: Data(request.path.utf8)) }

        let answers = try await withThrowingTaskGroup(of: (String, Data).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let path = "/item/\(index)/"
                    let response = try await fake.send(makeRequest(
                        .post, "https://api.example\(path)", body: .bytes(Data("\(index)".utf8))))
                    return (path, response.body)
                }
            }
            var answers: [(String, Data)] = []
            for try await answer in group { answers.append(answer) }
            return answers
        }

        #expect(answers.count == 50)
        #expect(answers.allSatisfy { Data($0.0.utf8) == $0.1 })
        let recorded = fake.requests
        #expect(recorded.count == 50)
        #expect(Set(recorded.map(\.path)) == Set((0..<50).map { "/item/\($0)/" }))
        #expect(recorded.allSatisfy { $0.path == "/item/\(String(decoding: $0.body, as: UTF8.self))/" })
    }

    @Test func concurrentSendsShareTheGlobalQueueWithoutLosingOrDuplicatingReplies() async throws {
        let fake = FakeTransport()
        fake.enqueue((0..<50).map { .status(200 + $0) })

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { try await fake.send(makeRequest(.get, "https://api.example/")).status }
            }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }

        #expect(statuses.sorted() == Array(200..<250))
    }
}
