import Foundation
import Testing
import TikTokSandbox
import TikTokKit
import TikTokKitTesting

@Suite("Upload journal and resume", .serialized)
struct UploadJournalTests {
    /// The journaled state of the fixture user's upload of `file`.
    static func saved(in journal: any UploadJournal, file: SampleFile, account: String = Fixture.openID) async throws -> UploadState? {
        let key = UploadKey.file(FileIdentity(try MediaProbe(file: file.url)), account: account)
        guard case .uploading(let state)? = try await journal.entry(for: key) else { return nil }
        return state
    }

    @Test func fileJournalRoundTripsPrivatelyAndAtomically() async throws {
        let file = try await SampleFile(size: 1_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let identity = FileIdentity(try MediaProbe(file: file.url))
        let key = UploadKey.file(identity, account: Fixture.openID)
        let state = UploadState(key: key, publishID: "v_inbox_file~v2.1", uploadURL: FakeUploadHost.uploadURL,
                                uploadURLIssuedAt: Date(timeIntervalSince1970: 1_800_000_000.123),
                                plan: try UploadPlan(videoSize: 1_000), confirmedOffset: 0, file: identity,
                                container: .mp4, destination: .direct(VideoPostInfo(title: "t", privacyLevel: .selfOnly)))
        try await journal.save(.uploading(state))
        guard case .uploading(let loaded)? = try await journal.entry(for: key) else {
            Issue.record("the entry did not come back")
            return
        }
        // Dates survive to well under a millisecond (file times carry nanoseconds a Double cannot).
        #expect(loaded.file.matches(identity))
        #expect(abs(loaded.uploadURLIssuedAt.timeIntervalSince(state.uploadURLIssuedAt)) < 0.000_01)
        var normalized = loaded
        normalized.file = state.file
        normalized.uploadURLIssuedAt = state.uploadURLIssuedAt
        #expect(normalized == state)
        let entries = try FileManager.default.contentsOfDirectory(at: journal.directory, includingPropertiesForKeys: nil)
        #expect(entries.count == 1, "no temporary files left behind")
        let permissions = try FileManager.default.attributesOfItem(atPath: try #require(entries.first).path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let other = FileIdentity(path: "/elsewhere/clip.mp4", size: 1_000, modificationDate: identity.modificationDate)
        #expect(try await journal.entry(for: .file(other, account: Fixture.openID)) == nil)
        #expect(try await journal.entry(for: .file(identity, account: "someone-else")) == nil, "another account never sees it")
        try await journal.remove(for: key)
        #expect(try await journal.entry(for: key) == nil)
        #expect(!state.description.contains(Fixture.uploadToken))
    }

    @Test func anInterruptedUploadResumesWithoutANewInit() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        // The third chunk fails and there are no retries: the process "dies" there.
        host.script(nil, nil, .status(500))
        await #expect(throws: TikTokError.self) {
            _ = try await host.client().publishDraft(file: file.url, options: host.options(journal: journal, attempts: 1))
        }
        let saved = try #require(try await Self.saved(in: journal, file: file))
        #expect(saved.confirmedOffset == 32_000_000)
        #expect(saved.publishID == "v_inbox_file~v2.1")

        // A new client and uploader (as after a restart) find the journal and continue.
        let result = try await host.client().publishDraft(file: file.url, options: host.options(journal: journal))
        #expect(result.publishID == "v_inbox_file~v2.1")
        #expect(host.inits.count == 1, "no second init: no duplicate post")
        #expect(host.puts.dropFirst(3).first?.headers["Content-Range"] == "bytes 32000000-47999999/70000000")
        #expect(host.bytes == file.data)
        #expect(try await journal.entry(for: saved.key) == nil, "finished uploads leave the journal")
    }

    @Test func aChangedFileStartsAFreshUploadAndExplicitResumeRefusesIt() async throws {
        let file = try await SampleFile(size: 2_000_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let host = FakeUploadHost()
        host.script(.status(500))
        await #expect(throws: TikTokError.self) {
            _ = try await host.client().publishDraft(file: file.url, options: host.options(journal: journal, attempts: 1))
        }
        let saved = try #require(try await Self.saved(in: journal, file: file))

        // The file is rewritten with other content (new size and date).
        try await SampleVideo.write(to: file.url, size: 1_500_000, seed: 99)
        await #expect {
            _ = try await Uploader(client: host.client(), options: host.options(journal: journal)).resume(saved)
        } throws: { ($0 as? TikTokError)?.kind == .upload(.fileChanged) }
        #expect(host.inits.count == 1)
    }

    @Test func anExpiredJournaledUploadIsReportedNotRestarted() async throws {
        let file = try await SampleFile(size: 1_000_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let probe = try MediaProbe(file: file.url)
        try await journal.save(.uploading(UploadState(key: .file(FileIdentity(probe), account: Fixture.openID),
                                           publishID: "v_inbox_file~v2.OLD", uploadURL: FakeUploadHost.uploadURL,
                                           uploadURLIssuedAt: Date().addingTimeInterval(-4000),
                                           plan: try UploadPlan(videoSize: probe.size), confirmedOffset: 0,
                                           file: FileIdentity(probe), container: .mp4, destination: .inbox)))
        let host = FakeUploadHost()
        do {
            _ = try await host.client().publishDraft(file: file.url, options: host.options(journal: journal))
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.uploadURLExpired))
            #expect(error.publishID == "v_inbox_file~v2.OLD")
        }
        #expect(host.inits.isEmpty)
    }

    @Test func emptyJobIDsAndAccountsAreRefused() async throws {
        let file = try await SampleFile(size: 1_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let host = FakeUploadHost()
        var options = host.options(journal: journal)
        options.jobID = ""
        await #expect { _ = try await host.client().publishDraft(file: file.url, options: options) }
            throws: { ($0 as? TikTokError)?.kind == .validation(field: "jobID") }
        options.jobID = nil
        options.account = ""
        await #expect { _ = try await host.client().publishDraft(file: file.url, options: options) }
            throws: { ($0 as? TikTokError)?.kind == .validation(field: "account") }
        #expect(host.fake.requests.isEmpty, "refused before any request")
    }

    /// With no account given and a token provider that does not know it, the journal's account
    /// is the `open_id` from user info, asked once per client and token.
    @Test func withoutAnAccountTheOpenIDComesFromUserInfoOnce() async throws {
        let file = try await SampleFile(size: 1_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let host = FakeUploadHost()
        host.statuses("SEND_TO_USER_INBOX")
        host.fake.enqueue(.get, "/v2/user/info/", .json(#"{"data":{"user":{"open_id":"from-user-info"}},"error":{"code":"ok","message":"","log_id":"U"}}"#),
                          repeatingLast: true)
        let client = Fixture.client(host.fake, openID: nil)
        _ = try await client.publishDraft(file: file.url, options: host.options(journal: journal))
        _ = try await client.publishDraft(file: file.url, options: host.options(journal: journal))
        let asked = host.fake.requests.filter { $0.path == "/v2/user/info/" }
        #expect(asked.count == 1)
        #expect(asked.first?.url.query?.contains("fields=open_id") == true)

        // A failing user info call says how to give the account instead.
        let denied = FakeUploadHost()
        denied.fake.enqueue(.get, "/v2/user/info/", .json(status: 401, #"{"data":{},"error":{"code":"scope_not_authorized","message":"no","log_id":"U"}}"#))
        do {
            _ = try await Fixture.client(denied.fake, openID: nil).publishDraft(file: file.url, options: denied.options(journal: journal))
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.message.contains("UploadOptions(account:)"))
            #expect(denied.inits.isEmpty)
        }
    }
}
