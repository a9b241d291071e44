import Foundation
import Testing
import TikTokKit
import TikTokKitTesting
import TikTokSandbox

/// What a simulated process throws once it is dead.
struct SimulatedCrash: Error {}

/// Where a simulated process dies: at its `at`-th step, counting every journal write and every
/// request sent or answered (1-based). From then on nothing it does reaches the journal or the
/// server — as after a SIGKILL, but at an exact point, including ones a real kill can only hit by
/// luck (between init's answer and the journal write).
final class CrashPoint: @unchecked Sendable {
    private let lock = NSLock()
    private let at: Int?
    private var count = 0
    private var stepsDone: [String] = []
    private var deathStep: String?

    init(at: Int?) { self.at = at }

    /// The steps that completed before the crash (all of them when there was none).
    var steps: [String] { lock.withLock { stepsDone } }
    /// The step the process died at, if it did.
    var crashedAt: String? { lock.withLock { deathStep } }

    /// Counts a step; throws at the crash point and after it.
    func step(_ name: String) throws {
        try lock.withLock {
            guard deathStep == nil else { throw SimulatedCrash() }
            count += 1
            if count == at {
                deathStep = name
                throw SimulatedCrash()
            }
            stepsDone.append(name)
        }
    }

    /// Throws once dead.
    func check() throws {
        try lock.withLock { if deathStep != nil { throw SimulatedCrash() } }
    }
}

/// A journal that dies with its process: a write at or after the crash point never happens.
struct CrashingJournal: UploadJournal {
    let base: FileUploadJournal
    let crash: CrashPoint

    func entry(for key: UploadKey) async throws -> UploadJournalEntry? {
        try crash.check()
        return try await base.entry(for: key)
    }

    func save(_ entry: UploadJournalEntry) async throws {
        switch entry {
        case .initPending: try crash.step("save pending init")
        case .uploading(let state): try crash.step("save uploading \(state.confirmedOffset)")
        }
        try await base.save(entry)
    }

    func remove(for key: UploadKey) async throws {
        try crash.step("remove entry")
        try await base.remove(for: key)
    }

    func claim(_ key: UploadKey) async throws -> (any UploadClaim)? { try await base.claim(key) }
}

/// A transport that dies with its process: before a request leaves, or after the server acted on
/// it but before its answer is seen.
struct CrashingTransport: Transport {
    let base: any Transport
    let crash: CrashPoint

    func send(_ request: TikTokHTTPRequest) async throws -> TikTokHTTPResponse {
        let name = "\(request.method) \(request.url.path)"
        try crash.step("send " + name)
        let response = try await base.send(request)
        try crash.step("answer " + name)
        return response
    }
}

/// Crashes at every step of a journaled upload, then reruns it as a new process would.
@Suite("Crashes at every step of a journaled upload")
struct JournalCrashTests {
    /// Two chunks (videos up to 64 MB go whole): 32,000,000 bytes, then 33,000,000.
    static let size: Int64 = 65_000_000
    static let chunkSize: Int64 = 32_000_000
    /// The steps of an undisturbed run; the crash tests die at each of them.
    static let stepCount = 15

    static func emulator(_ file: SampleFile, tokens: [String] = ["crash-token"]) throws -> TikTokEmulator {
        var configuration = TikTokEmulator.Configuration(accessToken: tokens[0], storeDirectory: file.directory, hashUploads: false)
        for token in tokens.dropFirst() { configuration.accessTokens[token] = TikTokEmulator.Configuration.allScopes }
        return try TikTokEmulator(configuration: configuration)
    }

    static var transport: any Transport {
        #if canImport(CTikTokKitCurl)
        CurlTransport()
        #else
        URLSessionTransport()
        #endif
    }

    static func client(_ tiktok: TikTokEmulator, token: String = "crash-token", crash: CrashPoint? = nil) -> TikTokClient {
        let transport: any Transport = crash.map { CrashingTransport(base: Self.transport, crash: $0) } ?? Self.transport
        return TikTokClient(accessToken: token, transport: transport, configuration: .init(baseURL: tiktok.baseURL))
    }

    static func options(_ journal: any UploadJournal, retryUnconfirmedInit: Bool = false, restart: Bool = false,
                        jobID: String? = nil, now: @escaping @Sendable () -> Date = { Date() }) -> UploadOptions {
        UploadOptions(chunkSize: chunkSize, retryPolicy: .none, restartExpiredUploads: restart, journal: journal,
                      jobID: jobID, retryUnconfirmedInit: retryUnconfirmedInit,
                      statusPolling: StatusPolling(initialInterval: .milliseconds(10), deadline: .seconds(20))).clock(now)
    }

    /// Every step of an undisturbed run, in order.
    @Test func anUndisturbedRunHasTheStepsTheCrashesAreAimedAt() async throws {
        let file = try await SampleFile(size: Self.size)
        defer { file.remove() }
        let tiktok = try Self.emulator(file)
        defer { tiktok.shutdown() }
        let crash = CrashPoint(at: nil)
        let journal = CrashingJournal(base: try FileUploadJournal(directory: file.directory.appendingPathComponent("journal")), crash: crash)
        _ = try await Self.client(tiktok, crash: crash).publishDraft(file: file.url, options: Self.options(journal))
        let steps = crash.steps
        #expect(steps == [
            "send GET /v2/user/info", "answer GET /v2/user/info",
            "save pending init", "send POST /v2/post/publish/inbox/video/init", "answer POST /v2/post/publish/inbox/video/init",
            "save uploading 0", "send PUT /upload", "answer PUT /upload", "save uploading 32000000",
            "send PUT /upload", "answer PUT /upload", "save uploading 65000000",
            "send POST /v2/post/publish/status/fetch", "answer POST /v2/post/publish/status/fetch", "remove entry",
        ])
        #expect(steps.count == Self.stepCount, "the crash tests die at each of these")
    }

    /// Dies at step `step`, reruns, and checks the outcome: one init in all and every byte at
    /// TikTok, or — when the crash fell between the journaled intent and the journaled answer —
    /// `init_outcome_unknown` with no second init until the caller opts in.
    @Test(arguments: 1...JournalCrashTests.stepCount)
    func aCrashAtAnyStepNeverMakesASecondInitSilently(step: Int) async throws {
        let file = try await SampleFile(size: Self.size)
        defer { file.remove() }
        let tiktok = try Self.emulator(file)
        defer { tiktok.shutdown() }
        let base = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let crash = CrashPoint(at: step)
        let dying = Self.client(tiktok, crash: crash)
        do {
            _ = try await dying.publishDraft(file: file.url, options: Self.options(CrashingJournal(base: base, crash: crash)))
            Issue.record("the run should have died at step \(step)")
        } catch {
            #expect(crash.crashedAt != nil, "only the crash stops the first run: \(error)")
        }
        let crashedAt = crash.crashedAt ?? "nowhere"
        let initsBefore = tiktok.initRequestCount
        let intentJournaled = crash.steps.contains("save pending init")
        let answerJournaled = crash.steps.contains("save uploading 0")

        // The rerun: a new process with the same journal.
        do {
            let result = try await Self.client(tiktok).publishDraft(file: file.url, options: Self.options(base))
            #expect(!(intentJournaled && !answerJournaled), "crash at \(crashedAt): an unconfirmed init must not be retried silently")
            #expect(tiktok.initRequestCount == 1, "crash at \(crashedAt): one init in all")
            #expect(result.status == .sendToUserInbox)
            let stored = try #require(tiktok.storedFile(for: result.publishID))
            #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: file.url.path), "crash at \(crashedAt): every byte once")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.initOutcomeUnknown), "crash at \(crashedAt): \(error)")
            #expect(intentJournaled && !answerJournaled, "crash at \(crashedAt): only an unconfirmed init is reported unknown")
            #expect(error.message.contains("retryUnconfirmedInit"), "it says how to go on")
            #expect(tiktok.initRequestCount == initsBefore, "the rerun sent no init")

            // Someone checked the inbox and opts in: exactly one more init, and the upload completes.
            let result = try await Self.client(tiktok).publishDraft(file: file.url, options: Self.options(base, retryUnconfirmedInit: true))
            #expect(tiktok.initRequestCount == initsBefore + 1)
            #expect(result.status == .sendToUserInbox)
        }
        // Whatever happened, the journal is empty again: no dead end for the next upload.
        #expect(try await base.entry(for: .file(FileIdentity(try MediaProbe(file: file.url)),
                                                 account: try #require(tiktok.allUploads.last?.creator))) == nil)
    }

    /// Killed mid-upload, then rerun after the upload URL's hour: one fresh init, the entry
    /// replaced, the upload finished.
    @Test func anUploadWhoseURLExpiredAfterACrashIsRestartedWithOneFreshInit() async throws {
        let file = try await SampleFile(size: Self.size)
        defer { file.remove() }
        let tiktok = try Self.emulator(file)
        defer { tiktok.shutdown() }
        let base = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let crash = CrashPoint(at: 10)   // after the first chunk was journaled
        await #expect(throws: SimulatedCrash.self) {
            _ = try await Self.client(tiktok, crash: crash).publishDraft(file: file.url, options: Self.options(CrashingJournal(base: base, crash: crash)))
        }
        #expect(crash.steps.last == "save uploading 32000000")
        let later: @Sendable () -> Date = { Date().addingTimeInterval(3_700) }

        // Without the option: a typed error naming it, and the entry is still there to act on.
        await #expect {
            _ = try await Self.client(tiktok).publishDraft(file: file.url, options: Self.options(base, now: later))
        } throws: { ($0 as? TikTokError)?.kind == .upload(.uploadURLExpired) }
        #expect(tiktok.initRequestCount == 1)

        let result = try await Self.client(tiktok).publishDraft(file: file.url, options: Self.options(base, restart: true, now: later))
        #expect(tiktok.initRequestCount == 2, "exactly one fresh init")
        #expect(result.publishID == tiktok.allUploads.last?.publishID)
        let stored = try #require(tiktok.storedFile(for: result.publishID))
        #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: file.url.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.directory.path).filter { $0.hasSuffix(".json") }.isEmpty,
                "the replaced entry is gone once the upload finished")
    }

    /// User A's interrupted upload and user B's upload of the same path share one journal: B
    /// never continues A's upload, and A's stays resumable.
    @Test func twoUsersUploadingOnePathWithOneJournalEachGetTheirOwnPublish() async throws {
        let file = try await SampleFile(size: Self.size)
        defer { file.remove() }
        let tiktok = try Self.emulator(file, tokens: ["token-a", "token-b"])
        defer { tiktok.shutdown() }
        let base = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))

        // A dies after its first chunk.
        let crash = CrashPoint(at: 10)
        await #expect(throws: SimulatedCrash.self) {
            _ = try await Self.client(tiktok, token: "token-a", crash: crash)
                .publishDraft(file: file.url, options: Self.options(CrashingJournal(base: base, crash: crash)))
        }
        let aPublish = try #require(tiktok.allUploads.first)
        #expect(aPublish.receivedBytes == Self.chunkSize)

        // B uploads the same path with the same journal: its own init, its own bytes.
        let b = try await Self.client(tiktok, token: "token-b").publishDraft(file: file.url, options: Self.options(base))
        #expect(b.publishID != aPublish.publishID, "B's video never lands in A's upload")
        #expect(tiktok.initRequestCount == 2)
        let bRecord = try #require(tiktok.allUploads.first { $0.publishID == b.publishID })
        #expect(bRecord.creator != aPublish.creator)
        #expect(bRecord.receivedBytes == Self.size)
        #expect(tiktok.allUploads.first { $0.publishID == aPublish.publishID }?.receivedBytes == Self.chunkSize,
                "nothing of B's went to A's upload URL")

        // A reruns: it continues its own upload, without a new init.
        let a = try await Self.client(tiktok, token: "token-a").publishDraft(file: file.url, options: Self.options(base))
        #expect(a.publishID == aPublish.publishID)
        #expect(tiktok.initRequestCount == 2)
        let stored = try #require(tiktok.storedFile(for: a.publishID))
        #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: file.url.path))
    }

    /// A job that downloaded its video again to a new temporary path continues by its job ID;
    /// another video under the same job ID never continues it.
    @Test func aJobKeyedUploadResumesFromANewPathButNotWithAnotherVideo() async throws {
        let file = try await SampleFile(size: Self.size)
        defer { file.remove() }
        let tiktok = try Self.emulator(file)
        defer { tiktok.shutdown() }
        let base = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let crash = CrashPoint(at: 10)
        await #expect(throws: SimulatedCrash.self) {
            _ = try await Self.client(tiktok, crash: crash)
                .publishDraft(file: file.url, options: Self.options(CrashingJournal(base: base, crash: crash), jobID: "job-42"))
        }
        let first = try #require(tiktok.allUploads.first)

        // The retried job downloads the same video to a new path (new name, new modification date).
        let again = file.directory.appendingPathComponent("download-2.mp4")
        try FileManager.default.copyItem(at: file.url, to: again)
        let result = try await Self.client(tiktok).publishDraft(file: again, options: Self.options(base, jobID: "job-42"))
        #expect(result.publishID == first.publishID, "resumed by job ID")
        #expect(tiktok.initRequestCount == 1)
        let stored = try #require(tiktok.storedFile(for: result.publishID))
        #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: file.url.path))

        // Another job dies mid-way, then its ID comes back with a different video of the same
        // size: the old upload never completed, so a fresh init, and the new bytes are what TikTok gets.
        let crash2 = CrashPoint(at: 10)
        await #expect(throws: SimulatedCrash.self) {
            _ = try await Self.client(tiktok, crash: crash2)
                .publishDraft(file: file.url, options: Self.options(CrashingJournal(base: base, crash: crash2), jobID: "job-43"))
        }
        var other = try Data(contentsOf: file.url)
        other[other.count - 1] ^= 0xFF
        try other.write(to: again)
        let fresh = try await Self.client(tiktok).publishDraft(file: again, options: Self.options(base, jobID: "job-43"))
        #expect(tiktok.initRequestCount == 3)
        let freshStored = try #require(tiktok.storedFile(for: fresh.publishID))
        #expect(FileManager.default.contentsEqual(atPath: freshStored.path, andPath: again.path))
    }
}
