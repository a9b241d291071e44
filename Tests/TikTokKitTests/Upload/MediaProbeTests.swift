import Foundation
import Testing
@testable import TikTokKit
import TikTokSandbox

/// ISO base media boxes, for files built by hand.
enum Boxes {
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] { be32(8 + payload.count) + Array(type.utf8) + payload }
    static func be32(_ value: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    static func be64(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) } }
    static let ftyp = box("ftyp", Array("isom".utf8) + [0, 0, 2, 0] + Array("isommp41".utf8))
    /// A `trak` whose `hdlr` says `handler`, with an `mdhd` of `timescale`.
    static func trak(_ handler: String = "vide", id: Int = 1, timescale: Int = 1000) -> [UInt8] {
        let tkhd = box("tkhd", [0, 0, 0, 3] + [UInt8](repeating: 0, count: 8) + be32(id) + [UInt8](repeating: 0, count: 68))
        let mdhd = box("mdhd", [UInt8](repeating: 0, count: 12) + be32(timescale) + be32(0) + [0x55, 0xC4, 0, 0])
        let hdlr = box("hdlr", [UInt8](repeating: 0, count: 8) + Array(handler.utf8) + [UInt8](repeating: 0, count: 13))
        return box("trak", tkhd + box("mdia", mdhd + hdlr))
    }
    /// `mvhd` version 0 with `duration` in `timescale` units.
    static func mvhd(timescale: Int = 1000, duration: Int) -> [UInt8] {
        var payload = [UInt8](repeating: 0, count: 100)
        payload.replaceSubrange(12..<16, with: be32(timescale))
        payload.replaceSubrange(16..<20, with: be32(duration))
        return box("mvhd", payload)
    }
}

/// Counts what a probe reads.
final class CountingBytes: MediaBytes, @unchecked Sendable {
    let inner: MemoryBytes
    var bytesRead = 0
    var reads = 0
    var size: Int64 { inner.size }
    init(_ bytes: [UInt8]) { inner = MemoryBytes(bytes) }
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        let bytes = try inner.read(at: offset, count: count)
        bytesRead += bytes.count
        reads += 1
        return bytes
    }
}

@Suite("Media probe")
struct MediaProbeTests {
    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func expectRefused(_ url: URL, as kind: TikTokError.Kind, mentioning text: String) {
        #expect {
            try MediaProbe(file: url)
        } throws: { error in
            guard let error = error as? TikTokError, error.kind == kind else { return false }
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

    @Test(arguments: [(SampleVideo.Kind.mp4, MediaProbe.Container.mp4), (.quickTime, .quickTime), (.webM, .webM), (.fragmentedMP4, .mp4)])
    func everySampleVideoKindHasItsContainerAndDuration(_ kind: SampleVideo.Kind, _ container: MediaProbe.Container) throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (size, seconds) in [(Int64(1_000), 10.0), (5_000, 3), (200_000, 61), (3_000_000, 660.5)] {
            let url = try SampleVideo.write(to: folder.appendingPathComponent("v-\(size)"), size: size, durationSeconds: seconds, kind: kind)
            let probe = try MediaProbe(file: url)
            #expect(probe.size == size)
            #expect(probe.container == container)
            let duration = try #require(probe.durationSeconds)
            #expect(abs(duration - seconds) < 0.01, "\(kind) \(size) bytes: \(duration) s, asked \(seconds) s")
        }
    }

    @Test func sampleVideoRefusesSizesTooSmallForItsHeadersOrAbsurdlyLarge() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        for size in [Int64(200), -1, .max, SampleVideo.maxSize + 1] {
            #expect(throws: (any Error).self) { try SampleVideo.write(to: folder.appendingPathComponent("bad.mp4"), size: size) }
        }
    }

    @Test func aCompressedQuickTimeMoovIsAcceptedWithoutADuration() throws {
        // Old QuickTime files may zlib-compress their moov (`cmov`): its tracks cannot be seen.
        let file = Boxes.box("moov", Boxes.box("cmov", Boxes.box("dcom", Array("zlib".utf8)) + Boxes.box("cmvd", [0, 0, 1, 0, 0x78, 0x9C])))
            + Boxes.box("mdat", [1, 2, 3])
        let facts = try MediaInspector.inspect(MemoryBytes(file), name: "old.mov")
        #expect(facts.container == .quickTime)
        #expect(facts.durationSeconds == nil)
    }

    @Test func findsMoovAfterALargeMdatWithoutReadingIt() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // ftyp, then a 64-bit-sized mdat, then moov at the end (a "non-fast-start" file).
        var bytes = Data(Boxes.ftyp)
        let payload = 3_000_000
        bytes += Data([0, 0, 0, 1] + Array("mdat".utf8) + Boxes.be64(UInt64(16 + payload)))
        bytes += Data(count: payload)
        var mvhd = [UInt8](repeating: 0, count: 112)
        mvhd[0] = 1   // version 1: 64-bit times
        mvhd.replaceSubrange(20..<24, with: [0, 0, 0x02, 0x58])            // timescale 600
        mvhd.replaceSubrange(24..<32, with: [0, 0, 0, 0, 0, 0, 0xAF, 0xC8]) // 45000 → 75 s
        bytes += Data(Boxes.box("moov", Boxes.box("mvhd", mvhd) + Boxes.trak()))
        let url = folder.appendingPathComponent("late-moov.mp4")
        try bytes.write(to: url)
        #expect(try MediaProbe(file: url).durationSeconds == 75)
        let counting = CountingBytes([UInt8](bytes))
        _ = try MediaInspector.inspect(counting, name: "late-moov.mp4")
        #expect(counting.bytesRead < 2_000, "read \(counting.bytesRead) bytes of a 3 MB file")
    }

    @Test func aFragmentedFileWithMehdTakesItsDurationFromIt() throws {
        // Movie timescale 1000, mehd 754,321 → 754.321 s; the one fragment says much less.
        let mehd = Boxes.box("mehd", [0, 0, 0, 0] + Boxes.be32(754_321))
        let trex = Boxes.box("trex", [0, 0, 0, 0] + Boxes.be32(1) + Boxes.be32(1) + Boxes.be32(512) + Boxes.be32(0) + Boxes.be32(0))
        let moov = Boxes.box("moov", Boxes.mvhd(duration: 0) + Boxes.trak(timescale: 15360) + Boxes.box("mvex", mehd + trex))
        let traf = Boxes.box("traf", Boxes.box("tfhd", [0, 2, 0, 0] + Boxes.be32(1))
                             + Boxes.box("tfdt", [1, 0, 0, 0] + Boxes.be64(0)) + Boxes.box("trun", [0, 0, 0, 0] + Boxes.be32(30)))
        let file = Boxes.ftyp + moov + Boxes.box("moof", Boxes.box("mfhd", [0, 0, 0, 0] + Boxes.be32(1)) + traf) + Boxes.box("mdat", [1, 2, 3])
        #expect(try MediaInspector.inspect(MemoryBytes(file), name: "f.mp4").durationSeconds == 754.321)
        // Without mehd: tfdt 0 + 30 samples × trex's 512 ticks at 15360 per second = 1 s.
        let plain = Boxes.ftyp + Boxes.box("moov", Boxes.mvhd(duration: 0) + Boxes.trak(timescale: 15360) + Boxes.box("mvex", trex))
            + Boxes.box("moof", Boxes.box("mfhd", [0, 0, 0, 0] + Boxes.be32(1)) + traf) + Boxes.box("mdat", [1, 2, 3])
        #expect(try MediaInspector.inspect(MemoryBytes(plain), name: "f.mp4").durationSeconds == 1)
    }

    @Test func missingDirectoryEmptyAndNonVideoFilesAreRefused() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        expectRefused(folder.appendingPathComponent("nope.mp4"), as: .validation(field: "file"), mentioning: "does not exist")
        expectRefused(folder, as: .validation(field: "file"), mentioning: "not a regular file")
        let empty = folder.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        expectRefused(empty, as: .media(.emptyFile), mentioning: "empty")
        let text = folder.appendingPathComponent("notes.mp4")
        try Data("this is a text file, not a video at all".utf8).write(to: text)
        expectRefused(text, as: .media(.notAVideo), mentioning: "is text, not an MP4")
        let matroska = folder.appendingPathComponent("video.mkv")
        try Data([0x1A, 0x45, 0xDF, 0xA3, 0x8B, 0x42, 0x82, 0x88] + Array("matroska".utf8)).write(to: matroska)
        expectRefused(matroska, as: .media(.unsupportedContainer), mentioning: "Matroska (MKV) file, not WebM")
    }

    @Test func aTruncatedMP4IsRefusedAsIncomplete() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try SampleVideo.write(to: folder.appendingPathComponent("t.mp4"), size: 10_000, durationSeconds: 9)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 200)   // cuts the moov box
        try handle.close()
        expectRefused(url, as: .media(.truncatedFile), mentioning: "ends inside its moov box")
    }

    @Test func refusalsSayWhatToDoAndAdviseTheUser() {
        for refusal in [MediaRefusal.emptyFile, .notAVideo, .unsupportedContainer, .noVideoTrack, .missingMovieHeader, .truncatedFile] {
            let error = TikTokError(.media(refusal), message: "x")
            #expect(error.code == refusal.rawValue)
            #expect(error.classification == .userMustAct)
            #expect(error.advice.contains("Nothing was sent to TikTok"))
            #expect(error.advice.count > 60)
        }
    }

    // MARK: Hostile files

    /// A file built to make a reader loop, trap or read without end.
    struct HostileFile: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    static let hostileFiles: [HostileFile] = {
        let webmHead: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x87, 0x42, 0x82, 0x84] + Array("webm".utf8)
        let freeBox = Boxes.box("free", [])
        var files: [(String, [UInt8])] = []
        files.append(("300,000 8-byte boxes before the moov", Boxes.ftyp + Array([[UInt8]](repeating: freeBox, count: 300_000).joined())))
        files.append(("a moov of 300,000 empty children", Boxes.ftyp + Boxes.box("moov", Array([[UInt8]](repeating: freeBox, count: 300_000).joined()))))
        files.append(("a box whose 64-bit size is Int64.max", Boxes.ftyp + [0, 0, 0, 1] + Array("moov".utf8) + Boxes.be64(UInt64(Int64.max))))
        files.append(("a box whose 64-bit size is UInt64.max", Boxes.ftyp + [0, 0, 0, 1] + Array("moov".utf8) + Boxes.be64(.max)))
        files.append(("a box of size 0 inside the moov", Boxes.ftyp + Boxes.box("moov", [0, 0, 0, 0] + Array("trak".utf8) + Boxes.trak())))
        files.append(("a box of size 3 (pointing backwards)", Boxes.ftyp + [0, 0, 0, 3] + Array("moov".utf8) + [UInt8](repeating: 0, count: 64)))
        let tfhd = Boxes.box("tfhd", [0, 0, 0, 8] + Boxes.be32(1) + Boxes.be32(Int(UInt32.max)))
        let tfdt = Boxes.box("tfdt", [1, 0, 0, 0] + Boxes.be64(.max))
        let trun = Boxes.box("trun", [0, 0, 1, 0] + Boxes.be32(Int(UInt32.max)))
        let moov = Boxes.box("moov", Boxes.mvhd(duration: 0) + Boxes.trak() + Boxes.box("mvex", []))
        files.append(("a trun claiming 4 billion samples", Boxes.ftyp + moov + Boxes.box("moof", Boxes.box("traf", tfhd + tfdt + trun))))
        let unknownSegment: [UInt8] = [0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        files.append(("EBML elements of unknown size all the way down", webmHead + Array([[UInt8]](repeating: unknownSegment, count: 100_000).joined())))
        files.append(("an EBML size larger than Int64", webmHead + [0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]))
        return files.map { HostileFile(name: $0.0, bytes: $0.1) }
    }()

    /// Every hostile input is answered within the read budget, without trapping or looping.
    @Test(arguments: MediaProbeTests.hostileFiles)
    func hostileFilesAreAnsweredWithinTheBudget(_ file: HostileFile) {
        let name = file.name
        let counting = CountingBytes(file.bytes)
        _ = try? MediaInspector.inspect(counting, name: "hostile.mp4")
        #expect(counting.bytesRead <= 4 << 20, "\(name): \(counting.bytesRead) bytes")
        #expect(counting.reads <= 300_001, "\(name): \(counting.reads) reads")
    }
}
