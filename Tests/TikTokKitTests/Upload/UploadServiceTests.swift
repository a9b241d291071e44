import Foundation
import Testing
@testable import TikTokKit
import TikTokKitTesting

/// The uploader driven through an `UploadService` of the test's own: no client, no transport.
/// What the uploader asks of the API layer, in which order, is all there is to see.
@Suite("Uploader through its service")
struct UploadServiceTests {
    /// A service that answers like TikTok and writes down every call the uploader makes.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var log: [String] = []
        private var received: Int64 = 0
        var creator = CreatorInfo(privacyLevelOptions: [.selfOnly], maxVideoPostDurationSeconds: 600)
        var uploadURL: String? = "https://open-upload.tiktokapis.com/video/?upload_id=1&upload_token=secret"
        /// The status every poll answers; nil: what the destination waits for.
        var status: PublishStatusReport?
        var trustsAnyUploadHost = false
        /// The first chunk PUT answers 403, as an expired upload URL does.
        var expireFirstPut = false
        /// The second init is refused with this error.
        var secondInitError: TikTokError?
        private var inits = 0
        private var puts = 0

        var calls: [String] { lock.withLock { log } }
        private func note(_ call: String) { lock.withLock { log.append(call) } }

        var service: UploadService {
            UploadService(
                creatorInfo: { self.note("creatorInfo"); return self.creator },
                initInboxVideo: { request in
                    guard case .fileUpload(let size, _, _) = request.sourceInfo else { throw CancellationError() }
                    self.note("initInbox \(size)")
                    let count = self.lock.withLock { self.inits += 1; return self.inits }
                    if count == 2, let error = self.secondInitError { throw error }
                    return PublishInit(publishID: count == 1 ? "p-inbox" : "p-inbox-\(count)", uploadURL: self.uploadURL)
                },
                initDirectVideo: { request in
                    self.note("initDirect \(request.postInfo.privacyLevel)")
                    return PublishInit(publishID: "p-direct", uploadURL: self.uploadURL)
                },
                publishStatus: { publishID, _ in
                    self.note("status \(publishID)")
                    return self.status ?? PublishStatusReport(status: publishID == "p-direct" ? .publishComplete : .sendToUserInbox)
                },
                journalAccount: { explicit in self.note("account"); return explicit ?? "creator" },
                sendChunk: { request in
                    let range = request.headers["Content-Range"] ?? ""
                    self.note("PUT \(range) auth=\(request.headers["Authorization"] != nil)")
                    let total = ContentRange(range)?.total ?? 0
                    let first = self.lock.withLock { self.puts += 1; return self.puts == 1 }
                    if first && self.expireFirstPut { return TikTokHTTPResponse(status: 403) }
                    let sent = self.lock.withLock {
                        self.received = (ContentRange(range)?.last ?? -1) + 1
                        return self.received
                    }
                    return TikTokHTTPResponse(status: sent == total ? 201 : 206)
                },
                record: { _ in },
                trustsAnyUploadHost: trustsAnyUploadHost)
        }
    }

    private func uploader(_ recorder: Recorder, options: UploadOptions = UploadOptions(chunkSize: 10_000_000)) -> Uploader {
        Uploader(service: recorder.service, options: options.sleeping { _ in try Task.checkCancellation() })
    }

    @Test func aDraftIsOneInitThenEveryChunkInOrderThenTheStatus() async throws {
        let file = try await SampleFile(size: 75_000_000)
        defer { file.remove() }
        let recorder = Recorder()

        let result = try await uploader(recorder).upload(file: file.url, to: .inbox)

        #expect(result.publishID == "p-inbox")
        #expect(recorder.calls == [
            "initInbox 75000000",
            "PUT bytes 0-9999999/75000000 auth=false",
            "PUT bytes 10000000-19999999/75000000 auth=false",
            "PUT bytes 20000000-29999999/75000000 auth=false",
            "PUT bytes 30000000-39999999/75000000 auth=false",
            "PUT bytes 40000000-49999999/75000000 auth=false",
            "PUT bytes 50000000-59999999/75000000 auth=false",
            "PUT bytes 60000000-74999999/75000000 auth=false",   // floor(75 / 10) chunks: the last takes the rest
            "status p-inbox",
        ])
    }

    /// Validation runs once, before the init: a privacy level the creator does not offer stops the
    /// upload after the creator-info call, with nothing sent.
    @Test func aDirectPostTheCreatorCannotMakeSendsNoInit() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let recorder = Recorder()

        await #expect {
            _ = try await uploader(recorder).upload(file: file.url, to: .direct(VideoPostInfo(privacyLevel: .publicToEveryone)))
        } throws: { ($0 as? TikTokError)?.kind == .validation(field: "privacyLevel") }
        #expect(recorder.calls == ["creatorInfo"])
    }

    @Test func aDirectPostAsksTheCreatorOnceThenInits() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let recorder = Recorder()

        _ = try await uploader(recorder).upload(file: file.url, to: .direct(VideoPostInfo(privacyLevel: .selfOnly)))

        #expect(recorder.calls.prefix(3) == ["creatorInfo", "initDirect SELF_ONLY", "PUT bytes 0-999999/1000000 auth=false"])
        #expect(recorder.calls.filter { $0 == "creatorInfo" }.count == 1)
    }

    /// The trust in the upload host comes from the service, not from a client's base URL: without
    /// it, an upload URL off tiktokapis.com gets no byte of the video, and the error names the
    /// publish that the init created.
    @Test(arguments: [false, true])
    func anUploadURLOffTikTokIsUsedOnlyWhenTheServiceTrustsAnyHost(trusted: Bool) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let recorder = Recorder()
        recorder.uploadURL = "https://uploads.example.net/video/?upload_token=secret"
        recorder.trustsAnyUploadHost = trusted

        if trusted {
            _ = try await uploader(recorder).upload(file: file.url, to: .inbox)
            #expect(recorder.calls.contains("PUT bytes 0-999999/1000000 auth=false"))
        } else {
            await #expect {
                _ = try await uploader(recorder).upload(file: file.url, to: .inbox)
            } throws: { error in
                guard let error = error as? TikTokError else { return false }
                return error.kind == .undecodableResponse && error.publishID == "p-inbox"
                    && !error.description.contains("secret")
            }
            #expect(recorder.calls == ["initInbox 1000000"])
        }
    }

    /// Once the init answered, every error names its publish, whichever step failed, so the
    /// caller can follow it (`waitForPublish`) or tell the creator; the status poller and the
    /// init's bookkeeping attach nothing themselves.
    @Test(arguments: ["no upload_url", "FAILED", "deadline", "file changed before a resume"])
    func everyErrorAfterTheInitNamesThePublish(step: String) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let recorder = Recorder()
        var options = UploadOptions(chunkSize: 10_000_000).sleeping { _ in try Task.checkCancellation() }
        switch step {
        case "no upload_url": recorder.uploadURL = nil
        case "FAILED": recorder.status = PublishStatusReport(status: .failed, failReason: FailReason(rawValue: "file_format_check_failed"))
        case "deadline":
            recorder.status = PublishStatusReport(status: .processingUpload)
            options.statusPolling = StatusPolling(initialInterval: .seconds(1), deadline: .seconds(3))
            options = options.onVirtualClock(VirtualClock())   // the deadline arrives in no real time
        default: break
        }

        let error: TikTokError
        if step == "file changed before a resume" {
            let state = UploadState(key: .file(FileIdentity(try MediaProbe(file: file.url)), account: "creator"),
                                    publishID: "p-saved", uploadURL: recorder.uploadURL ?? "", uploadURLIssuedAt: Date(),
                                    plan: try UploadPlan(videoSize: 1_000_000), file: FileIdentity(path: file.url.path, size: 1_000_000,
                                                                                               modificationDate: Date(timeIntervalSince1970: 0)),
                                    container: .mp4, destination: .inbox)
            error = try await #require(throws: TikTokError.self) {
                try await Uploader(service: recorder.service, options: options).resume(state)
            }
            #expect(error.kind == .upload(.fileChanged))
            #expect(error.publishID == "p-saved")
            #expect(recorder.calls.isEmpty)
            return
        }
        let uploader = Uploader(service: recorder.service, options: options)
        error = try await #require(throws: TikTokError.self) { try await uploader.upload(file: file.url, to: .inbox) }
        #expect(error.publishID == "p-inbox", "\(step): \(error)")
        switch step {
        case "no upload_url": #expect(error.kind == .undecodableResponse)
        case "FAILED": #expect(error.kind == .publishFailed(FailReason(rawValue: "file_format_check_failed")))
        default: #expect(error.kind == .upload(.statusDeadlineExceeded))
        }
    }

    /// An upload URL that expires mid-upload: with restarts allowed, one fresh init and the result
    /// names the new publish; a refused fresh init is TikTok's error without the expired publish's
    /// ID; without restarts, the expiry names the publish it ended.
    @Test(arguments: ["restarted", "fresh init refused", "no restarts"])
    func anExpiredUploadURL(_ outcome: String) async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let recorder = Recorder()
        recorder.expireFirstPut = true
        if outcome == "fresh init refused" {
            recorder.secondInitError = TikTokError(.api(.spamRiskTooManyPendingShare), message: "too many pending shares")
        }
        let options = UploadOptions(restartExpiredUploads: outcome != "no restarts").sleeping { _ in try Task.checkCancellation() }
        let uploader = Uploader(service: recorder.service, options: options)

        switch outcome {
        case "restarted":
            let result = try await uploader.upload(file: file.url, to: .inbox)
            #expect(result.publishID == "p-inbox-2")
            #expect(recorder.calls == ["initInbox 1000000", "PUT bytes 0-999999/1000000 auth=false",
                                       "initInbox 1000000", "PUT bytes 0-999999/1000000 auth=false", "status p-inbox-2"])
        case "fresh init refused":
            let error = try await #require(throws: TikTokError.self) { try await uploader.upload(file: file.url, to: .inbox) }
            #expect(error.kind == .api(.spamRiskTooManyPendingShare))
            #expect(error.publishID == nil, "the expired publish is not the one this error is about")
        default:
            let error = try await #require(throws: TikTokError.self) { try await uploader.upload(file: file.url, to: .inbox) }
            #expect(error.kind == .upload(.uploadURLExpired))
            #expect(error.publishID == "p-inbox")
            #expect(recorder.calls == ["initInbox 1000000", "PUT bytes 0-999999/1000000 auth=false"])
        }
    }
}
