import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// The emulator checks the whole received video as TikTok does: format and duration wherever the
/// moov, the fragments or the WebM Info sit, with or without a store directory.
@Suite("TikTokEmulator media checks")
final class EmulatorMediaTests: Sendable {
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory("emulator-media") }
    deinit { scratch.remove() }

    /// The committed ffmpeg corpus of the SDK's tests.
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TikTokKitTests/Upload/Corpus")

    /// A video as a client sends it, whatever it holds.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let contentType: String
        let make: @Sendable (URL) throws -> URL
        /// The final status and fail reason TikTok would give (creator maximum 600 s).
        let status: PublishStatus
        let failReason: FailReason?
        /// Sent under another container's Content-Type.
        var mismatched = false
        var testDescription: String { name }

        static func corpus(_ file: String, as type: String, _ status: PublishStatus, _ reason: FailReason? = nil,
                           mismatched: Bool = false) -> Case {
            Case(name: "\(file) as \(type)", contentType: type, make: { _ in EmulatorMediaTests.corpus.appendingPathComponent(file) },
                 status: status, failReason: reason, mismatched: mismatched)
        }

        static func sample(_ kind: SampleVideo.Kind, _ seconds: Double, as type: String, _ status: PublishStatus,
                           _ reason: FailReason? = nil) -> Case {
            Case(name: "3 MB \(kind) of \(seconds) s as \(type)", contentType: type, make: { folder in
                try SampleVideo.write(to: folder.appendingPathComponent("\(UUID().uuidString)"), size: 3_000_000,
                                      durationSeconds: seconds, kind: kind)
            }, status: status, failReason: reason)
        }
    }

    static let cases: [Case] = [
        .corpus("mp4-moov-at-end.mp4", as: "video/mp4", .sendToUserInbox),
        .corpus("long-11min.mp4", as: "video/mp4", .failed, .durationCheckFailed),
        .corpus("long-11min-frag-to-pipe.mp4", as: "video/mp4", .failed, .durationCheckFailed),
        .corpus("long-11min.webm", as: "video/webm", .failed, .durationCheckFailed),
        .corpus("mov-no-ftyp.mov", as: "video/quicktime", .sendToUserInbox),
        .corpus("webm-live.webm", as: "video/webm", .sendToUserInbox),
        .corpus("audio-only.m4a", as: "video/mp4", .failed, .fileFormatCheckFailed),
        .corpus("still.heic", as: "video/mp4", .failed, .fileFormatCheckFailed),
        .corpus("broken-no-moov.mp4", as: "video/mp4", .failed, .fileFormatCheckFailed),
        .corpus("matroska.mkv", as: "video/webm", .failed, .fileFormatCheckFailed),
        .corpus("text.mp4", as: "video/mp4", .failed, .fileFormatCheckFailed),
        .corpus("mp4-faststart.mp4", as: "video/webm", .failed, .fileFormatCheckFailed, mismatched: true),
        .corpus("webm-vp9.webm", as: "video/mp4", .failed, .fileFormatCheckFailed, mismatched: true),
        .corpus("mov-h264.mov", as: "video/mp4", .failed, .fileFormatCheckFailed, mismatched: true),
        // The last fragment and the moov far past the first megabyte.
        .sample(.fragmentedMP4, 660, as: "video/mp4", .failed, .durationCheckFailed),
        .sample(.fragmentedMP4, 30, as: "video/mp4", .sendToUserInbox),
        .sample(.webM, 601, as: "video/webm", .failed, .durationCheckFailed),
        .sample(.quickTime, 599, as: "video/quicktime", .sendToUserInbox),
    ]

    @Test(arguments: cases, [false, true])
    func aReceivedVideoIsCheckedWhole(_ video: Case, stored: Bool) async throws {
        let store = stored ? scratch.path("store-\(UUID().uuidString)") : nil
        if let store { try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true) }
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", storeDirectory: store, hashUploads: false))
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
        let file = try await onOwnThread("sample") { try video.make(self.scratch.url) }
        let size = Int64(try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber).int64Value)
        let start = try await client.initInboxVideo(.fileUpload(videoSize: size, chunkSize: size, totalChunkCount: 1))
        var put = TikTokHTTPRequest(method: .put, url: try #require(start.uploadURL.flatMap(URL.init(string:))),
                              body: .file(try TikTokFileRegion(file: file, offset: 0, length: size)))
        put.headers["Content-Type"] = video.contentType
        put.headers["Content-Range"] = "bytes 0-\(size - 1)/\(size)"
        #expect(try await httpClientTransport().send(put).status == 201)
        let report = try await client.publishStatus(publishID: start.publishID)
        #expect(report.status == video.status)
        #expect(report.failReason == video.failReason)
        let record = try #require(emulator.allUploads.first)
        #expect(record.violations.contains { $0.contains("does not match") || $0.contains("but the file is") } == video.mismatched,
                "\(record.violations)")
    }

    @Test func aDraftOfAnElevenMinuteFragmentedRecordingFailsAtTikTok() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
        let file = try await SampleVideo.write(to: scratch.path("rec.mp4"), size: 8_000_000, durationSeconds: 660, kind: .fragmentedMP4)
        #expect(try MediaProbe(file: file).durationSeconds == 660)
        let options = UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(20), maxInterval: .milliseconds(50)))
        await #expect {
            _ = try await client.publishDraft(file: file, options: options)
        } throws: { ($0 as? TikTokError)?.kind == .publishFailed(.durationCheckFailed) }
    }
}
