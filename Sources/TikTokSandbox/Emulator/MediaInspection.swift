import Foundation
import TikTokKit

/// TikTok's checks on a received video, on the whole file: its container and duration, read by
/// the SDK's own ``MediaProbe`` wherever the `moov`, the fragments or the WebM `Info` sit, and
/// whether the `Content-Type` of its chunks matches that container.
///
/// A file TikTok would not take (not MP4, QuickTime or WebM, no video track, no or a cut `moov`)
/// ends `FAILED` with `file_format_check_failed`, as does one sent under another container's
/// `Content-Type` (TikTok documents one type per container, `video/mp4`, `video/quicktime`,
/// `video/webm`, and does not say more; the emulator takes a mismatch as a format failure and
/// records it as a violation). A duration over the creator's maximum ends `duration_check_failed`.
///
/// With a store directory the stored file is probed. Without one, ``UploadCapture`` keeps what
/// the probe reads as the bytes stream past: every top-level box but `mdat`'s payload (so `moov`,
/// `moof`, `sidx` wherever they are), or the first 8 MiB of a WebM file, in memory, at most
/// 64 MiB an upload.
final class MediaInspection: @unchecked Sendable {
    /// What the checks found.
    struct Verdict: Sendable, Hashable {
        /// The duration, when the file carries one.
        var durationSeconds: Double?
        /// Why the file fails TikTok's format check; nil when it passes.
        var formatProblem: String?
        /// A `Content-Type` that does not match the container, in plain words.
        var contentTypeViolation: String?
    }

    private let lock = NSLock()
    private var captures: [String: UploadCapture] = [:]

    /// Starts keeping the bytes of upload `id` of `size` bytes (needed only without a store).
    /// What is kept goes when the upload completes; an abandoned upload's stays with the emulator
    /// (a few KB for a real video, 64 MiB at most).
    func begin(_ id: String, size: Int64) {
        lock.withLock { captures[id] = UploadCapture(size: size) }
    }

    /// What is kept of upload `id` now, to put back with ``restore(_:for:)`` if the chunk about to
    /// arrive is refused after its bytes were read (a chunked body that ran past its range).
    func capture(of id: String) -> UploadCapture? {
        lock.withLock { captures[id] }
    }

    /// Puts back what ``capture(of:)`` returned: the refused chunk's bytes are forgotten, so its
    /// retry is read as new.
    func restore(_ capture: UploadCapture, for id: String) {
        lock.withLock { captures[id] = capture }
    }

    /// Bytes of upload `id` received at `offset` (uploads arrive in order).
    func received(_ bytes: UnsafeRawBufferPointer, at offset: Int64, for id: String) {
        lock.withLock { captures[id]?.append(bytes, at: offset) }
    }

    /// The checks on a complete FILE_UPLOAD, from `storedFile` when there is one, else from
    /// what was kept; the kept bytes are released.
    func inspectUpload(_ id: String, storedFile: URL?, contentTypes: [String?]) -> Verdict {
        let capture = lock.withLock { captures.removeValue(forKey: id) }
        let facts = Result<MediaFacts, any Error> {
            if let storedFile {
                let probe = try MediaProbe(file: storedFile)
                return MediaFacts(container: probe.container, durationSeconds: probe.durationSeconds)
            }
            return try MediaInspector.inspect(capture ?? UploadCapture(size: 0), name: "the upload")
        }
        return Self.verdict(facts, contentTypes: contentTypes)
    }

    /// The checks on a downloaded (PULL_FROM_URL) video.
    func inspectDownload(_ body: Data) -> Verdict {
        Self.verdict(Result { try MediaInspector.inspect(MemoryBytes([UInt8](body)), name: "the downloaded video") }, contentTypes: [])
    }

    static func verdict(_ facts: Result<MediaFacts, any Error>, contentTypes: [String?]) -> Verdict {
        switch facts {
        case .failure(let error):
            return Verdict(formatProblem: (error as? TikTokError)?.message ?? "the file cannot be read: \(error)")
        case .success(let facts):
            var verdict = Verdict(durationSeconds: facts.durationSeconds)
            let expected = facts.container.mimeType
            if let wrong = contentTypes.first(where: { $0 != expected }) {
                verdict.formatProblem = "Content-Type \(wrong ?? "(missing)") does not match the file's container"
                verdict.contentTypeViolation = "a chunk was sent as Content-Type \(wrong ?? "(missing)"), but the file is \(facts.container.rawValue) (\(expected))"
            }
            return verdict
        }
    }
}

/// What the probe needs of an upload that is not stored, kept as its bytes stream past: a
/// sparse copy whose holes (media data) read as zeros.
///
/// ISO media: each top-level box is kept whole, except the payload of `mdat` (and of any box
/// beyond the budget), so `moov`, `moof` and `sidx` are there wherever they sit. EBML (WebM): the
/// first 8 MiB, where `Info` and `Tracks` are. Anything else: the first 64 KiB, enough to name it.
struct UploadCapture: MediaBytes {
    static let budget = 64 << 20
    static let webMHead: Int64 = 8 << 20
    static let otherHead: Int64 = 64 << 10

    let size: Int64
    /// Kept ranges, in order, not overlapping.
    private var pieces: [(offset: Int64, bytes: [UInt8])] = []
    private var kept = 0
    /// How many bytes are kept.
    var keptBytes: Int { kept }
    private enum Layout { case unknown, iso, prefix(Int64) }
    private var layout = Layout.unknown
    /// ISO: the header bytes of the next top-level box, gathered until its size is known.
    private var header: [UInt8] = []
    private var headerStart: Int64 = 0
    /// ISO: the end of the current box, and whether its payload is kept.
    private var boxEnd: Int64 = 0
    private var keepingBox = false
    /// The walk met bytes that are not a box, or a gap; nothing more is kept.
    private var lost = false
    /// How far the upload's bytes have been seen.
    private var seen: Int64 = 0
    /// The first bytes, until there are enough to decide the layout.
    private var lead: [UInt8] = []

    init(size: Int64) { self.size = size }

    /// Bytes at `offset`. A chunk sent again after a failed PUT repeats bytes already seen;
    /// only the new ones count.
    mutating func append(_ all: UnsafeRawBufferPointer, at offset: Int64) {
        guard offset <= seen else { lost = true; return }   // a gap: nothing after it is trusted
        let skip = Int(min(Int64(all.count), seen - offset))
        guard skip < all.count else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: all[skip...])
        let position = offset + Int64(skip)
        seen = position + Int64(bytes.count)
        guard case .unknown = layout else { return consume(bytes, at: position) }
        // The layout is decided on the first 8 bytes, however the first pieces are cut.
        lead.append(contentsOf: bytes)
        guard lead.count >= 8 || seen == size else { return }
        layout = lead.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) ? .prefix(Self.webMHead)
            : MediaInspector.looksLikeISOMedia(Array(lead.prefix(8))) ? .iso : .prefix(Self.otherHead)
        let replay = lead
        lead = []
        replay.withUnsafeBytes { consume($0, at: 0) }
    }

    private mutating func consume(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        var position = offset
        var index = 0
        switch layout {
        case .unknown:
            return
        case .prefix(let limit):
            if position < limit, !lost { keep(bytes[0..<Int(min(Int64(bytes.count), limit - position))], at: position) }
        case .iso:
            while index < bytes.count, !lost {
                if position < boxEnd {
                    let take = Int(min(Int64(bytes.count - index), boxEnd - position))
                    if keepingBox { keep(bytes[index..<(index + take)], at: position) }
                    index += take
                    position += Int64(take)
                    continue
                }
                if header.isEmpty { headerStart = position }
                header.append(bytes[index])
                index += 1
                position += 1
                startBoxIfHeaderComplete()
            }
        }
    }

    /// Decides what to keep of the box whose header has been gathered, once it is complete.
    private mutating func startBoxIfHeaderComplete() {
        guard header.count >= 8, let size32 = header.uint32At(0) else { return }
        if size32 == 1 && header.count < 16 { return }
        let headerBytes = header
        header = []
        var length = Int64(size32)
        if size32 == 0 { length = size - headerStart }
        if size32 == 1, let large = headerBytes.uint64At(8) { length = large > UInt64(Int64.max) ? -1 : Int64(large) }
        guard length >= Int64(headerBytes.count), let end = headerStart.addingChecked(length) else {
            keep(headerBytes[...], at: headerStart)   // the probe sees the bad header and stops there
            lost = true
            return
        }
        keep(headerBytes[...], at: headerStart)
        boxEnd = end
        let isMediaData = headerBytes[4..<8].elementsEqual("mdat".utf8)
        keepingBox = !isMediaData && length <= Int64(Self.budget - kept)
    }

    private mutating func keep<C: Collection>(_ bytes: C, at offset: Int64) where C.Element == UInt8 {
        guard !bytes.isEmpty, kept + bytes.count <= Self.budget else { return }
        kept += bytes.count
        if let last = pieces.last, last.offset + Int64(last.bytes.count) == offset {
            pieces[pieces.count - 1].bytes.append(contentsOf: bytes)
        } else {
            pieces.append((offset, Array(bytes)))
        }
    }

    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset < size, count > 0 else { return [] }
        let end = min(size, offset + Int64(count))
        var result = [UInt8](repeating: 0, count: Int(end - offset))
        // The first piece that ends after `offset`, then every piece that starts before `end`.
        var low = 0
        var high = pieces.count
        while low < high {
            let middle = (low + high) / 2
            if pieces[middle].offset + Int64(pieces[middle].bytes.count) <= offset { low = middle + 1 } else { high = middle }
        }
        for piece in pieces[low...] {
            guard piece.offset < end else { break }
            let from = max(offset, piece.offset)
            let to = min(end, piece.offset + Int64(piece.bytes.count))
            guard from < to else { continue }
            result.replaceSubrange(Int(from - offset)..<Int(to - offset),
                                   with: piece.bytes[Int(from - piece.offset)..<Int(to - piece.offset)])
        }
        return result
    }
}

private extension Array where Element == UInt8 {
    func uint32At(_ index: Int) -> UInt32? {
        guard index >= 0, index + 4 <= count else { return nil }
        return self[index..<(index + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    func uint64At(_ index: Int) -> UInt64? {
        guard index >= 0, index + 8 <= count else { return nil }
        return self[index..<(index + 8)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}

private extension Int64 {
    func addingChecked(_ other: Int64) -> Int64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }
}
