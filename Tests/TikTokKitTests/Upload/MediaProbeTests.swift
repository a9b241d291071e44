import Foundation
import Testing
import TikTokKit
import TikTokSandbox

@Suite("Media probe")
struct MediaProbeTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func expectRefused(_ url: URL, mentioning text: String) {
        #expect {
            try MediaProbe(file: url)
        } throws: { error in
            guard let error = error as? TikTokError, error.kind == .validation(field: "file") else { return false }
            return error.message.contains(text)
        }
    }

    @Test func recognisesMP4AndReadsItsDuration() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Named .mov on purpose: the bytes decide, not the name.
        let url = try SampleVideo.write(to: folder.appendingPathComponent("clip.mov"), size: 100_000, durationSeconds: 42.5)
        let probe = try MediaProbe(file: url)
        #expect(probe.container == .mp4)
        #expect(probe.container.mimeType == "video/mp4")
        #expect(probe.size == 100_000)
        #expect(probe.durationSeconds == 42.5)
    }

    @Test func recognisesQuickTimeAndWebM() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mov = try SampleVideo.write(to: folder.appendingPathComponent("a.mp4"), size: 5000, durationSeconds: 3, kind: .quickTime)
        #expect(try MediaProbe(file: mov).container == .quickTime)
        #expect(try MediaProbe(file: mov).durationSeconds == 3)
        let webm = try SampleVideo.write(to: folder.appendingPathComponent("b.mp4"), size: 5000, kind: .webM)
        let probe = try MediaProbe(file: webm)
        #expect(probe.container == .webM)
        #expect(probe.container.mimeType == "video/webm")
        #expect(probe.durationSeconds == nil)
    }

    @Test func findsMoovAfterALargeMdatWithoutReadingIt() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // ftyp, then a 64-bit-sized mdat, then moov at the end (a "non-fast-start" file).
        var bytes = Data([0, 0, 0, 16] + Array("ftypisom".utf8) + [0, 0, 2, 0])
        let payload = 3_000_000
        bytes += Data([0, 0, 0, 1] + Array("mdat".utf8))
        let mdatSize = UInt64(16 + payload)
        bytes += Data((0..<8).reversed().map { UInt8(truncatingIfNeeded: mdatSize >> (UInt64($0) * 8)) })
        bytes += Data(count: payload)
        var mvhd = [UInt8](repeating: 0, count: 100)
        mvhd[0] = 1   // version 1: 64-bit times
        mvhd.replaceSubrange(20..<24, with: [0, 0, 0x02, 0x58])            // timescale 600
        mvhd.replaceSubrange(24..<32, with: [0, 0, 0, 0, 0, 0, 0xAF, 0xC8]) // 45000 → 75 s
        bytes += Data([0, 0, 0, UInt8(8 + 8 + 100)] + Array("moov".utf8) + [0, 0, 0, 108] + Array("mvhd".utf8) + mvhd)
        let url = folder.appendingPathComponent("late-moov.mp4")
        try bytes.write(to: url)
        #expect(try MediaProbe(file: url).durationSeconds == 75)
    }

    @Test func missingDirectoryEmptyAndNonVideoFilesAreRefused() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        expectRefused(folder.appendingPathComponent("nope.mp4"), mentioning: "does not exist")
        expectRefused(folder, mentioning: "not a regular file")
        let empty = folder.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        expectRefused(empty, mentioning: "empty")
        let text = folder.appendingPathComponent("notes.mp4")
        try Data("this is a text file, not a video at all".utf8).write(to: text)
        expectRefused(text, mentioning: "not an MP4")
        let matroska = folder.appendingPathComponent("video.mkv")
        try Data([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88] + Array("matroska".utf8)).write(to: matroska)
        expectRefused(matroska, mentioning: "not an MP4")
    }

    @Test func truncatedMP4HasUnknownDurationButIsStillMP4() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try SampleVideo.write(to: folder.appendingPathComponent("t.mp4"), size: 10_000, durationSeconds: 9)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 40)   // cuts the moov box in half
        try handle.close()
        let probe = try MediaProbe(file: url)
        #expect(probe.container == .mp4)
        #expect(probe.durationSeconds == nil)
    }
}
