import Foundation
import Testing
import TikTokKit
import TikTokSandbox

@Suite("SampleVideo.sha256")
struct SampleDigestTests {
    /// FIPS 180-2's examples, and an empty file.
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownDigests(_ text: String, digest: String) async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try Data(text.utf8).write(to: scratch.path("f"))
        #expect(try await SampleVideo.sha256(of: scratch.path("f")) == digest)
    }

    /// The digest the emulator reports for an upload that arrived whole is the file's, read in
    /// several 1 MiB pieces (the last one short).
    @Test func matchesWhatTheEmulatorReceived() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let video = try await SampleVideo.write(to: scratch.path("clip.mp4"), size: 3_000_017, durationSeconds: 5)
        let emulator = try TikTokEmulator(accessToken: "t")
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL))

        _ = try await client.publishDraft(file: video)

        let received = try #require(emulator.allUploads.first?.sha256)
        #expect(received == (try await SampleVideo.sha256(of: video)))
    }

    @Test func aMissingFileThrows() async throws {
        await #expect(throws: (any Error).self) {
            try await SampleVideo.sha256(of: URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString)"))
        }
    }
}
