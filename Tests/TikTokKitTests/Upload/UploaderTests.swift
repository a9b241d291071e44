import Foundation
import Testing
@_spi(Testing) import TikTokKit
import TikTokKitTesting

@Suite("Uploader", .serialized)
struct UploaderTests {
    @Test func draftUploadSendsEveryChunkExactlyAndFinishesAtTheInbox() async throws {
        let file = try await SampleFile(size: 70_000_123)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("PROCESSING_UPLOAD", "SEND_TO_USER_INBOX")
        let steps = LockedLines()
        let result = try await host.client().publishDraft(file: file.url, options: host.options()) { step in
            steps.append("\(step.phase.rawValue) \(step.publishID ?? "-")")
        }
        #expect(result == PublishResult(publishID: "v_inbox_file~v2.1", status: .sendToUserInbox))

        let initBody = try Fixture.jsonBody(try #require(host.inits.first))
        #expect(initBody["source_info"] as? NSDictionary == ["source": "FILE_UPLOAD", "video_size": 70_000_123,
                                                             "chunk_size": 16_000_000, "total_chunk_count": 4])
        let puts = host.puts
        #expect(puts.count == 4)
        let ranges = ["bytes 0-15999999/70000123", "bytes 16000000-31999999/70000123",
                      "bytes 32000000-47999999/70000123", "bytes 48000000-70000122/70000123"]
        let original = file.data
        for (index, put) in puts.enumerated() {
            #expect(put.url.absoluteString == FakeUploadHost.uploadURL, "the exact upload URL, query kept")
            #expect(put.headers["Authorization"] == nil, "no credentials to the upload host")
            #expect(put.headers["Content-Type"] == "video/mp4")
            #expect(put.headers["Content-Range"] == ranges[index])
            let offset = index * 16_000_000
            #expect(put.body == original[offset..<(offset + put.body.count)])
            #expect(put.bodyKind != .bytes, "chunks stream from the file")
        }
        #expect(host.bytes == original)
        // Newest-wins progress may skip steps, but every step after init carries the publish ID.
        #expect(steps.all.contains { $0.hasPrefix("uploading v_inbox_file~v2.1") })
        #expect(!steps.all.contains { $0.hasPrefix("uploading -") })
        #expect(steps.all.last == "finished v_inbox_file~v2.1")
    }

    @Test func transportErrors5xxAnd429AreRetriedWithBackoffAndRetryAfter() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        host.script(.failure(TransportError(.connectionReset, "reset mid-body")), .status(503), .status(429, ["Retry-After": "7"]))
        _ = try await host.client().publishDraft(file: file.url, options: host.options())
        #expect(host.puts.count == 4)
        #expect(host.bytes == file.data)
        let sleeps = host.sleeps
        #expect(sleeps.count >= 3)
        #expect(sleeps[2] == .seconds(7), "Retry-After honoured")
        #expect(sleeps[0] <= .milliseconds(500) && sleeps[1] <= .seconds(1), "full jitter under the exponential ceiling")
    }

    /// The logger sees every chunk PUT, each retry with its reason, and a re-sync — and never
    /// the upload token or the access token.
    @Test func chunkPutsRetriesAndResyncsReachTheLogger() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        host.script(.failure(TransportError(.connectionReset, "reset mid-body", method: .put, url: URL(string: FakeUploadHost.uploadURL))),
                    .status(503), .status(416, ["Content-Range": "bytes */1000000"]))
        let lines = LockedBox<[String]>([])
        _ = try await host.client(logger: { line in lines.mutate { $0.append(line) } }).publishDraft(file: file.url, options: host.options())
        let log = lines.value
        #expect(log.contains { $0.contains("chunk 1/1") && $0.contains("connectionReset") && $0.contains("retry 1 of 5") }, "\(log)")
        #expect(log.contains { $0.contains("chunk 1/1") && $0.contains("503") && $0.contains("retry 2 of 5") })
        #expect(log.contains { $0.contains("HTTP 416") && $0.contains("continuing from there") })
        #expect(log.filter { $0.hasPrefix("PUT upload chunk 1/1 bytes 0-999999/1000000: HTTP") }.count == 2, "416, then 201")
        #expect(!log.joined().contains(Fixture.uploadToken) && !log.joined().contains(Fixture.accessToken))
    }

    @Test func exhaustedRetriesFailWithThePublishID() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.script(.status(500), .status(502), .status(503))
        do {
            _ = try await host.client().publishDraft(file: file.url, options: host.options(attempts: 3))
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.retriesExhausted))
            #expect(error.publishID == "v_inbox_file~v2.1")
            #expect(error.classification == .retryLater)
        }
        #expect(host.puts.count == 3)
        #expect(host.inits.count == 1)
    }

    @Test func aTimeoutBeforeTheServerStoredAnythingIsRetriedFromTheSameByte() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        host.script(.failure(TransportError(.timedOut, "no response")), nil)
        _ = try await host.client().publishDraft(file: file.url, options: host.options())
        #expect(host.bytes == file.data)
        #expect(host.puts.map { $0.headers["Content-Range"] ?? "" }.first == "bytes 0-15999999/70000000")
    }

    @Test func a416MidUploadContinuesFromTheConfirmedByte() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        // After chunk 1, answer 416 saying only 10,000,000 bytes are there; then play along.
        host.script(nil, .status(416, ["Content-Range": "bytes 0-9999999/70000000"]))
        _ = try await host.client().publishDraft(file: file.url, options: host.options())
        let ranges = host.puts.map { $0.headers["Content-Range"] ?? "" }
        // The server claimed 10,000,000 bytes: the uploader continues from there (the rest of chunk 1),
        // and when the server then corrects itself to 16,000,000, from there.
        #expect(ranges.prefix(4) == ["bytes 0-15999999/70000000", "bytes 16000000-31999999/70000000",
                                     "bytes 10000000-15999999/70000000", "bytes 16000000-31999999/70000000"])
        #expect(host.bytes == file.data)
    }

    @Test func a416WithoutContentRangeAsksTheStatusEndpoint() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                          .json(#"{"data":{"status":"PROCESSING_UPLOAD","uploaded_bytes":16000000},"error":{"code":"ok","message":"","log_id":"S"}}"#))
        host.statuses("SEND_TO_USER_INBOX")
        host.script(nil, .status(416))
        _ = try await host.client().publishDraft(file: file.url, options: host.options())
        #expect(host.bytes == file.data)
    }

    @Test(arguments: ["bytes 0-99999999999/70000000", "bytes 0-15999999/70000000"])
    func aWrongServerOffsetFailsInsteadOfLooping(range: String) async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.script(nil, .status(416, ["Content-Range": range]), .status(416, ["Content-Range": range]),
                    .status(416, ["Content-Range": range]), .status(416, ["Content-Range": range]))
        await #expect {
            _ = try await host.client().publishDraft(file: file.url, options: host.options())
        } throws: { ($0 as? TikTokError)?.kind == .upload(.outOfSync) }
        #expect(host.puts.count <= 5)
    }

    @Test func offsetsThatKeepMovingBackAreBoundedToo() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(Fixture.inboxInit))
        // Accepts everything except the chunk at 16,000,000, which it answers by claiming to have
        // only 10,000,000 bytes: a server that never lets the upload pass.
        fake.on(.put, "/video/") { request in
            if request.headers["Content-Range"]?.hasPrefix("bytes 16000000-") == true {
                return TikTokHTTPResponse(status: 416, headers: ["Content-Range": "bytes 0-9999999/70000000"])
            }
            return TikTokHTTPResponse(status: 206)
        }
        await #expect {
            _ = try await Fixture.client(fake).publishDraft(file: file.url, options: UploadOptions().sleeping { _ in })
        } throws: { ($0 as? TikTokError)?.kind == .upload(.outOfSync) }
        let puts = fake.requests(method: .put, path: "/video/").count
        let bound = 2 * (2 * 4 + 3) + 4   // each bounded re-sync costs at most two PUTs
        #expect(puts <= bound, "bounded, not endless")
    }

    @Test func a206CountingBytesInsteadOfNamingTheLastOneSkipsNothing() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        // "bytes 0-16000000" read as a count: 16,000,000 bytes; read as an index: 16,000,001.
        host.script(.status(206, ["Content-Range": "bytes 0-16000000/70000000"]))
        _ = try await host.client().publishDraft(file: file.url, options: host.options())
        let ranges = host.puts.map { $0.headers["Content-Range"] ?? "" }
        #expect(ranges[1] == "bytes 16000000-31999999/70000000", "continues at the chunk boundary, skipping no byte")
    }

    @Test func a201BeforeTheLastChunkIsNotBelieved() async throws {
        // TikTok answers 201 once it has the whole file; after chunk 2 of 4 it cannot have it, and
        // reporting the upload finished would be reporting success falsely.
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        host.script(nil, .status(201))
        await #expect {
            _ = try await host.client().publishDraft(file: file.url, options: host.options())
        } throws: { error in
            let error = error as? TikTokError
            return error?.kind == .upload(.outOfSync) && error?.publishID != nil && error?.httpStatus == 201
        }
        #expect(host.puts.count == 2, "stops at the impossible answer")
        #expect(host.fake.requests.filter { $0.url.path.hasSuffix("/status/fetch/") }.isEmpty,
                "and does not go on to poll as if the upload were done")
    }

    /// Inits always succeed, each chunk PUT takes 500 ms (so a second upload meets the first
    /// mid-way), and the status is the inbox at once.
    private static func slowDraftHost() -> FakeTransport {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(Fixture.inboxInit), repeatingLast: true)
        fake.enqueue(.put, "/video/", .delayed(by: .milliseconds(500), .status(201)), repeatingLast: true)
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(#"{"data":{"status":"SEND_TO_USER_INBOX"},"error":{"code":"ok","message":"","log_id":"x"}}"#), repeatingLast: true)
        return fake
    }

    @Test func twoUploadsOfOneFileWithOneJournalNeverBothInit() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let fake = Self.slowDraftHost()
        let client = Fixture.client(fake)
        let first = Task { try await client.publishDraft(file: file.url, options: UploadOptions(journal: journal)) }
        while fake.requests(method: .put, path: "/video/").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await #expect {
            _ = try await client.publishDraft(file: file.url, options: UploadOptions(journal: journal))
        } throws: { ($0 as? TikTokError)?.kind == .upload(.uploadInProgress) }
        _ = try await first.value
        #expect(fake.requests(method: .post, path: "/v2/post/publish/inbox/video/init/").count == 1)
    }

    @Test func theSameFileThroughASymlinkIsTheSameUpload() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let link = file.directory.appendingPathComponent("link.mp4")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file.url)
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let fake = Self.slowDraftHost()
        let client = Fixture.client(fake)
        let first = Task { try await client.publishDraft(file: file.url, options: UploadOptions(journal: journal)) }
        while fake.requests(method: .put, path: "/video/").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await #expect {
            _ = try await client.publishDraft(file: link, options: UploadOptions(journal: journal))
        } throws: { ($0 as? TikTokError)?.kind == .upload(.uploadInProgress) }
        _ = try await first.value
        #expect(fake.requests(method: .post, path: "/v2/post/publish/inbox/video/init/").count == 1, "one file, one init")
        #expect(FileIdentity(try MediaProbe(file: link)).path == FileIdentity(try MediaProbe(file: file.url)).path)
        // On its own, an upload through the link works like one of the file.
        _ = try await client.publishDraft(file: link, options: UploadOptions(journal: journal))
        #expect(fake.requests(method: .post, path: "/v2/post/publish/inbox/video/init/").count == 2)
    }

    @Test(arguments: [403, 404])
    func anExpiredUploadURLIsTypedAndNotRestartedUnlessAllowed(status: Int) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.script(.status(status))
        do {
            _ = try await host.client().publishDraft(file: file.url, options: host.options())
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.uploadURLExpired))
            #expect(error.publishID == "v_inbox_file~v2.1")
            #expect(error.advice.contains("one hour"))
        }
        #expect(host.inits.count == 1)
    }

    @Test func anExpiredUploadURLIsReplacedOnceWhenAllowed() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        host.script(.status(403))
        _ = try await host.client().publishDraft(file: file.url, options: host.options(restart: true))
        #expect(host.inits.count == 2)
        #expect(host.bytes == file.data)
    }

    @Test func aRestartWhoseFreshInitIsRefusedDoesNotNameTheExpiredPublish() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost(initPath: "/unused/")
        host.fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json("""
            {"data":{"publish_id":"v_inbox_file~v2.expired","upload_url":"\(FakeUploadHost.uploadURL)"},"error":{"code":"ok","message":"","log_id":"L"}}
            """), .json(status: 403, Fixture.error("spam_risk_too_many_pending_share")))
        host.script(.status(403))
        await #expect {
            _ = try await host.client().publishDraft(file: file.url, options: host.options(restart: true))
        } throws: {
            let error = $0 as? TikTokError
            return error?.kind == .api(.spamRiskTooManyPendingShare) && error?.publishID == nil
        }
        #expect(host.fake.requests.filter { $0.path.hasSuffix("/init/") }.count == 2)
    }

    @Test func otherClientErrorsAreTyped() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.script(.status(400))
        await #expect {
            _ = try await host.client().publishDraft(file: file.url, options: host.options())
        } throws: { ($0 as? TikTokError)?.kind == .upload(.chunkRejected) }
    }

    @Test(arguments: [TransportError.Kind.timedOut, .connectionReset])
    func anInitWithUnknownOutcomeIsNeverRetried(kind: TransportError.Kind) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .error(TransportError(kind, "lost")), repeatingLast: true)
        do {
            _ = try await Fixture.client(fake).publishDraft(file: file.url)
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.initOutcomeUnknown))
            #expect(error.classification == .userMustAct)
            #expect(error.advice.contains("post twice"))
        }
        #expect(fake.requests.count == 1)
    }

    @Test func directPostIsCheckedAgainstCreatorInfoBeforeInit() async throws {
        let file = try await SampleFile(size: 1_000_000, durationSeconds: 301)
        defer { file.remove() }
        let host = FakeUploadHost(publishID: "v_pub_file~v2-1.9", initPath: "/v2/post/publish/video/init/")
        host.fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo), repeatingLast: true)
        await #expect {
            _ = try await host.client().publishVideo(file: file.url, post: VideoPostInfo(privacyLevel: .followerOfCreator, disableStitch: true))
        } throws: { ($0 as? TikTokError)?.kind == .validation(field: "privacyLevel") }
        await #expect {
            _ = try await host.client().publishVideo(file: file.url, post: VideoPostInfo(privacyLevel: .selfOnly))
        } throws: { ($0 as? TikTokError)?.kind == .validation(field: "disableStitch") }
        await #expect {
            _ = try await host.client().publishVideo(file: file.url, post: VideoPostInfo(privacyLevel: .selfOnly, disableStitch: true))
        } throws: { error in
            (error as? TikTokError)?.kind == .validation(field: "file") && (error as? TikTokError)?.message.contains("300") == true
        }
        #expect(host.inits.isEmpty)
        #expect(host.puts.isEmpty)
    }

    @Test func directPostFinishesAtPublishCompleteWithPostIDs() async throws {
        let file = try await SampleFile(size: 1_000_000, durationSeconds: 60)
        defer { file.remove() }
        let host = FakeUploadHost(publishID: "v_pub_file~v2-1.9", initPath: "/v2/post/publish/video/init/")
        host.fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo))
        host.fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                          .json(#"{"data":{"status":"PROCESSING_UPLOAD"},"error":{"code":"ok","message":"","log_id":"S"}}"#),
                          .json(Fixture.statusComplete))
        let result = try await host.client().publishVideo(file: file.url, post: VideoPostInfo(title: "hi", privacyLevel: .selfOnly, disableStitch: true),
                                                          options: host.options())
        #expect(result.status == .publishComplete)
        #expect(result.publiclyAvailablePostIDs == ["7663542984343883021"])
        let post = try Fixture.jsonBody(try #require(host.inits.first))["post_info"] as? [String: Any]
        #expect(post?["privacy_level"] as? String == "SELF_ONLY")
    }

    @Test func failedStatusBecomesATypedErrorWithItsReason() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                          .json(#"{"data":{"status":"FAILED","fail_reason":"frame_rate_check_failed"},"error":{"code":"ok","message":"","log_id":"S"}}"#))
        do {
            _ = try await host.client().publishDraft(file: file.url, options: host.options())
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .publishFailed(.frameRateCheckFailed))
            #expect(error.publishID == "v_inbox_file~v2.1")
            #expect(error.advice.contains("23–60 fps"))
        }
    }

    @Test func pollingBacksOffAndStopsAtTheDeadline() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("PROCESSING_UPLOAD")
        let clock = VirtualClock()
        var options = host.options(polling: StatusPolling(initialInterval: .seconds(2), maxInterval: .seconds(10), deadline: .seconds(120)))
        options = options.onVirtualClock(clock)
        do {
            _ = try await host.client().publishDraft(file: file.url, options: options)
            Issue.record("expected the deadline")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.statusDeadlineExceeded))
            #expect(error.publishID == "v_inbox_file~v2.1")
        }
        let waits = clock.waits
        #expect(waits.prefix(4) == [.seconds(2), .seconds(3), .seconds(4.5), .seconds(6.75)])
        #expect(waits.allSatisfy { $0 <= .seconds(10) })
        let polls = host.fake.requests(method: .post, path: "/v2/post/publish/status/fetch/").count
        #expect(polls <= 30, "within TikTok's 30 per minute even over two minutes")
        // The whole deadline is waited for, to the sub-second, before giving up.
        #expect(waits.reduce(.zero, +) >= .seconds(120) && waits.reduce(.zero, +) < .seconds(120.01), "waited \(waits.reduce(.zero, +))")
    }

    @Test func aSubSecondDeadlineIsHonoured() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        host.statuses("PROCESSING_UPLOAD")
        let clock = VirtualClock()
        var options = host.options(polling: StatusPolling(initialInterval: .milliseconds(200), maxInterval: .seconds(1),
                                                          deadline: .milliseconds(1500)))
        options = options.onVirtualClock(clock)
        await #expect { _ = try await host.client().publishDraft(file: file.url, options: options) } throws: {
            ($0 as? TikTokError)?.kind == .upload(.statusDeadlineExceeded)
        }
        let waited = clock.waits.reduce(.zero, +)
        #expect(waited >= .milliseconds(1500) && waited < .milliseconds(1510), "waited \(waited) of 1.5 s")
    }

    @Test func badInputFailsBeforeAnyRequest() async throws {
        let file = try await SampleFile(size: 1_000)
        defer { file.remove() }
        let text = file.directory.appendingPathComponent("notes.mp4")
        try Data("not a video".utf8).write(to: text)
        let fake = FakeTransport()
        let cases: [(URL, TikTokError.Kind)] = [(text, .media(.notAVideo)), (file.directory, .validation(field: "file")),
                                                (file.directory.appendingPathComponent("missing.mp4"), .validation(field: "file"))]
        for (url, kind) in cases {
            await #expect {
                _ = try await Fixture.client(fake).publishDraft(file: url)
            } throws: { ($0 as? TikTokError)?.kind == kind }
        }
        #expect(fake.requests.isEmpty)
    }

    @Test func cancellingStopsTheUploadWithin250Milliseconds() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        // The chunk PUT would take 30 s. The latency is the best of up to three tries, so a moment
        // when other tests fill the cooperative pool does not fail it; ignoring the cancel fails all.
        var best = Duration.seconds(60)
        for _ in 0..<3 where best >= .milliseconds(250) {
            let fake = FakeTransport()
            fake.enqueue(.post, "/v2/post/publish/inbox/video/init/", .json(Fixture.inboxInit))
            fake.enqueue(.put, "/video/", .delayed(by: .seconds(30), .status(201)))
            let task = Task { try await Fixture.client(fake).publishDraft(file: file.url) }
            while fake.requests(method: .put, path: "/video/").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            let start = ContinuousClock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            best = min(best, ContinuousClock.now - start)
        }
        #expect(best < .milliseconds(250), "cancellation took \(best)")
    }
}

@Suite("One-call publishing without FILE_UPLOAD")
struct PullPublishingTests {
    private func options() -> UploadOptions {
        UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(1))).sleeping { _ in try Task.checkCancellation() }
    }

    @Test func publishVideoFromURLChecksCreatorInfoAndWaitsForPublishComplete() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo))
        fake.enqueue(.post, "/v2/post/publish/video/init/",
                     .json(#"{"data":{"publish_id":"v_pub_url~v2.7"},"error":{"code":"ok","message":"","log_id":"x"}}"#))
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(#"{"data":{"status":"PROCESSING_DOWNLOAD","downloaded_bytes":10},"error":{"code":"ok","message":"","log_id":"x"}}"#),
                     .json(#"{"data":{"status":"SEND_TO_USER_INBOX"},"error":{"code":"ok","message":"","log_id":"x"}}"#),
                     .json(Fixture.statusComplete))
        let result = try await Fixture.client(fake).publishVideo(pullingFrom: try MediaURL(string: "https://media.example.com/v.mp4"),
                                                                 post: VideoPostInfo(privacyLevel: .selfOnly, disableStitch: true),
                                                                 options: options())
        #expect(result.publishID == "v_pub_url~v2.7")
        #expect(result.status == .publishComplete, "a direct post is not done at SEND_TO_USER_INBOX")
        #expect(fake.requests(method: .post, path: "/v2/post/publish/status/fetch/").count == 3)
        let source = try Fixture.jsonBody(try #require(fake.requests(method: .post, path: "/v2/post/publish/video/init/").first))["source_info"]
        #expect((source as? [String: Any])?["video_url"] as? String == "https://media.example.com/v.mp4")
    }

    @Test func publishPhotosToTheInboxFinishesAtSendToUserInbox() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/content/init/", .json(Fixture.photoInit))
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(#"{"data":{"status":"SEND_TO_USER_INBOX"},"error":{"code":"ok","message":"","log_id":"x"}}"#))
        let result = try await Fixture.client(fake).publishPhotos(
            urls: [URL(string: "https://img.example.com/1.jpg")!, URL(string: "https://img.example.com/2.jpg")!],
            post: PhotoPostInfo(title: "two"), mode: .mediaUpload, options: options())
        #expect(result.status == .sendToUserInbox)
        #expect(fake.requests(method: .post, path: "/v2/post/publish/creator_info/query/").isEmpty, "inbox photos need no creator info")
    }

    @Test func publishPhotosWithHTTPURLsFailsBeforeInit() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo))
        await #expect {
            _ = try await Fixture.client(fake).publishPhotos(urls: [URL(string: "http://img.example.com/1.jpg")!],
                                                             post: PhotoPostInfo(privacyLevel: .selfOnly))
        } throws: { ($0 as? TikTokError)?.kind == .validation(field: "photoImages[0]") }
        #expect(fake.requests(method: .post, path: "/v2/post/publish/content/init/").isEmpty)
    }

    @Test func waitForPublishFollowsAnEarlierPublishAndReportsFailure() async throws {
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/status/fetch/",
                     .json(status: 500, Fixture.error("internal_error")),
                     .json(#"{"data":{"status":"FAILED","fail_reason":"video_pull_failed"},"error":{"code":"ok","message":"","log_id":"x"}}"#))
        do {
            _ = try await Fixture.client(fake).waitForPublish(publishID: "v_pub_url~v2.9", options: options())
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .publishFailed(.videoPullFailed))
            #expect(error.publishID == "v_pub_url~v2.9")
        }
        #expect(fake.requests.count == 2, "a 5xx while polling does not end the wait")
    }
}

@Suite("Transport security of URLs")
struct URLSecurityTests {
    @Test func plainHTTPBaseURLsAreRefusedExceptOnLoopback() async throws {
        let fake = FakeTransport()
        let remote = TikTokClient(accessToken: "t", transport: fake, configuration: .init(baseURL: URL(string: "http://api.example.com")!))
        await #expect { _ = try await remote.creatorInfo() } throws: { ($0 as? TikTokError)?.kind == .validation(field: "baseURL") }
        #expect(fake.requests.isEmpty)
        fake.enqueue(.post, "/v2/post/publish/creator_info/query/", .json(Fixture.creatorInfo))
        let local = TikTokClient(accessToken: "t", transport: fake, configuration: .init(baseURL: URL(string: "http://127.0.0.1:9")!))
        _ = try await local.creatorInfo()
    }

    @Test(arguments: ["http://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=x",
                      "https://evil.example.com/video/?upload_id=1&upload_token=x",
                      "https://tiktokapis.com.evil.example/video/?upload_id=1"])
    func uploadURLsOffTikToksHostsOrInClearAreRefused(uploadURL: String) async throws {
        try await expectRefusal(of: uploadURL, saying: "upload URLs must be https")
    }

    @Test(arguments: ["https://user:pass@open-upload.tiktokapis.com/video/?upload_id=1&upload_token=x",
                      "https://user@open-upload.tiktokapis.com/video/?upload_id=1&upload_token=x",
                      "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=x#part"])
    func uploadURLsWithCredentialsOrAFragmentAreRefused(uploadURL: String) async throws {
        try await expectRefusal(of: uploadURL, saying: "must not carry credentials")
    }

    private func expectRefusal(of uploadURL: String, saying reason: String) async throws {
        let file = try await SampleFile(size: 1_000)
        defer { file.remove() }
        let fake = FakeTransport()
        fake.enqueue(.post, "/v2/post/publish/inbox/video/init/",
                     .json(#"{"data":{"publish_id":"v_inbox_file~v2.1","upload_url":"\#(uploadURL)"},"error":{"code":"ok","message":"","log_id":"L"}}"#))
        let client = TikTokClient(accessToken: "t", transport: fake)   // the production base URL
        await #expect {
            _ = try await client.publishDraft(file: file.url)
        } throws: { error in
            guard let error = error as? TikTokError else { return false }
            return error.message.contains(reason) && !error.message.contains("pass") && error.publishID == "v_inbox_file~v2.1"
        }
        #expect(fake.requests(method: .put, path: "/video/").isEmpty, "not a byte sent")
    }
}
