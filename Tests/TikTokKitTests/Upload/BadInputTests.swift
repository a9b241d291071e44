import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

/// The rows of Documentation/BadInput.md that no other suite covers.
@Suite("Bad input", .serialized)
struct BadInputTests {
    @Test func aSparseFileOver4GiBIsRefusedBeforeAnyRequest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sparse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("huge.mp4")
        // A real fast-start MP4, then zeros to 4 GiB + 1: the probe accepts it, the size does not.
        try FileManager.default.copyItem(at: CorpusFile.folder.appendingPathComponent("mp4-faststart.mp4"), to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: (4 << 30) + 1)   // sparse: no disk used
        try handle.close()
        let fake = FakeTransport()
        do {
            _ = try await Fixture.client(fake).publishDraft(file: url)
            Issue.record("expected a refusal")
        } catch let error as TikTokError {
            #expect(error.kind == .validation(field: "file"))
            #expect(error.message.contains("4 GiB"))
        }
        #expect(fake.requests.isEmpty)
    }

    @Test func aFileThatChangesDuringTheUploadStopsItWithATypedError() async throws {
        let file = try await SampleFile(size: 70_000_000)
        defer { file.remove() }
        let host = FakeUploadHost()
        // After the first chunk is accepted, the file is rewritten (same size, new content and date).
        host.fake.on(.put, "/video/") { request in
            if request.headers["Content-Range"]?.hasPrefix("bytes 0-") == true {
                try Data(count: 70_000_000).write(to: file.url)
                try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: file.url.path)
                return TikTokHTTPResponse(status: 206)
            }
            return TikTokHTTPResponse(status: 206)
        }
        do {
            _ = try await host.client().publishDraft(file: file.url, options: host.options())
            Issue.record("expected a failure")
        } catch let error as TikTokError {
            #expect(error.kind == .upload(.fileChanged))
            #expect(error.publishID != nil)
        }
        #expect(host.puts.count == 1, "nothing more is sent once the file changed")
    }
}
