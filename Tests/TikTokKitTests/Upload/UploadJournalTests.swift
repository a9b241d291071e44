import Foundation
import Testing
import TikTokSandbox
import TikTokKit
import TikTokKitTesting

@Suite("Upload journal and resume", .serialized)
struct UploadJournalTests {
    @Test func fileJournalRoundTripsPrivatelyAndAtomically() async throws {
        let file = try await SampleFile(size: 1_000)
        defer { file.remove() }
        let journal = try FileUploadJournal(directory: file.directory.appendingPathComponent("journal"))
        let identity = FileIdentity(try MediaProbe(file: file.url))
        let state = UploadState(publishID: "v_inbox_file~v2.1", uploadURL: FakeUploadHost.uploadURL,
                                uploadURLIssuedAt: Date(timeIntervalSince1970: 1_800_000_000.123),
                                plan: try UploadPlan(videoSize: 1_000), confirmedOffset: 0, file: identity,
                                container: .mp4, destination: .direct(VideoPostInfo(title: "t", privacyLevel: .selfOnly)))
        try await journal.save(state)
        let loaded = try #require(try await journal.state(for: identity))
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
        #expect(try await journal.state(for: other) == nil)
        try await journal.remove(for: identity)
        #expect(try await journal.state(for: identity) == nil)
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
        let saved = try #require(try await journal.state(for: FileIdentity(try MediaProbe(file: file.url))))
        #expect(saved.confirmedOffset == 32_000_000)
        #expect(saved.publishID == "v_inbox_file~v2.1")

        // A new client and uploader (as after a restart) find the journal and continue.
        let result = try await host.client().publishDraft(file: file.url, options: host.options(journal: journal))
        #expect(result.publishID == "v_inbox_file~v2.1")
        #expect(host.inits.count == 1, "no second init: no duplicate post")
        #expect(host.puts.dropFirst(3).first?.headers["Content-Range"] == "bytes 32000000-47999999/70000000")
        #expect(host.bytes == file.data)
        #expect(try await journal.state(for: saved.file) == nil, "finished uploads leave the journal")
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
        let saved = try #require(try await journal.state(for: FileIdentity(try MediaProbe(file: file.url))))

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
        try await journal.save(UploadState(publishID: "v_inbox_file~v2.OLD", uploadURL: FakeUploadHost.uploadURL,
                                           uploadURLIssuedAt: Date().addingTimeInterval(-4000),
                                           plan: try UploadPlan(videoSize: probe.size), confirmedOffset: 0,
                                           file: FileIdentity(probe), container: .mp4, destination: .inbox))
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
}
