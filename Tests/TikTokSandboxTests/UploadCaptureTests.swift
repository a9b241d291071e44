import Foundation
import Testing
@testable import TikTokSandbox
import TikTokKit

/// Without a store directory the emulator keeps only what the probe reads of an upload; probing
/// that sparse copy must give what probing the whole file gives, however the bytes arrive.
@Suite("Upload capture")
struct UploadCaptureTests {
    static let files = ["mp4-moov-at-end.mp4", "mp4-faststart.mp4", "long-11min-frag-to-pipe.mp4", "frag-ismv.ismv",
                        "frag-dash-global-sidx.mp4", "mov-no-ftyp.mov", "long-11min.webm", "webm-live.webm", "audio-only.m4a",
                        "broken-no-moov.mp4", "broken-truncated-moov.mp4", "still.heic", "text.mp4", "matroska.mkv"]

    static func outcome(_ body: () throws -> MediaFacts) -> String {
        do {
            let facts = try body()
            return "\(facts.container) \(facts.durationSeconds.map { String($0) } ?? "-")"
        } catch let error as TikTokError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: files, [1, 7, 4096, 1 << 20])
    func aSparseCopyProbesLikeTheFile(_ name: String, pieceSize: Int) throws {
        let bytes = [UInt8](try Data(contentsOf: EmulatorMediaTests.corpus.appendingPathComponent(name)))
        var capture = UploadCapture(size: Int64(bytes.count))
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieceSize)
            bytes[offset..<end].withUnsafeBytes { capture.append($0, at: Int64(offset)) }
            // A PUT that failed halfway is sent again from its start: the repeat changes nothing.
            if offset > 0 { bytes[(offset / 2)..<end].withUnsafeBytes { capture.append($0, at: Int64(offset / 2)) } }
            offset = end
        }
        let whole = Self.outcome { try MediaInspector.inspect(MemoryBytes(bytes), name: "the upload") }
        #expect(Self.outcome { try MediaInspector.inspect(capture, name: "the upload") } == whole)
    }

    @Test func mediaDataIsNotKept() throws {
        let size: Int64 = 50_000_000
        var capture = UploadCapture(size: size)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        try SampleVideo.write(to: url, size: size, durationSeconds: 42, kind: .fragmentedMP4)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var offset: Int64 = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            piece.withUnsafeBytes { capture.append($0, at: offset) }
            offset += Int64(piece.count)
        }
        #expect(try MediaInspector.inspect(capture, name: "x").durationSeconds == 42)
        #expect(capture.keptBytes < 100_000, "kept \(capture.keptBytes) of \(size) bytes")
    }
}
