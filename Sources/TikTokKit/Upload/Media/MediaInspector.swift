/// What a probe learned from a file's bytes.
package struct MediaFacts: Sendable, Hashable {
    /// The container.
    package var container: MediaProbe.Container
    /// The duration in seconds; nil when the file does not carry one.
    package var durationSeconds: Double?

    package init(container: MediaProbe.Container, durationSeconds: Double?) {
        self.container = container
        self.durationSeconds = durationSeconds
    }
}

/// Recognises a file from its bytes and hands it to the reader for its container; anything
/// that is not an MP4, QuickTime or WebM video with a video track is refused with a
/// ``MediaRefusal`` that names what the file is.
package enum MediaInspector {
    /// Examines `source`, calling it `name` in refusals.
    /// - Throws: ``TikTokError`` of kind ``TikTokError/Kind/media(_:)``, or a read failure.
    package static func inspect(_ source: some MediaBytes, name: String) throws -> MediaFacts {
        guard source.size > 0 else { throw refusal(.emptyFile, name, "is empty (0 bytes); choose the finished video file") }
        let bytes = BudgetedBytes(source)
        let head = try bytes.read(at: 0, count: 512)
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) {
            return MediaFacts(container: .webM, durationSeconds: try EBMLReader(bytes: bytes, name: name).inspect())
        }
        if looksLikeISOMedia(head) {
            let (container, duration) = try ISOMovieReader(bytes: bytes, name: name).inspect()
            return MediaFacts(container: container, durationSeconds: duration)
        }
        let (reason, what) = identify(head, size: source.size)
        throw refusal(reason, name, "is \(what), not an MP4, QuickTime (MOV) or WebM video; \(reason == .unsupportedContainer ? "convert it to MP4 first" : "TikTok takes only videos")")
    }

    /// Box types an ISO base media file starts with (QuickTime files may have no `ftyp`).
    static let leadingBoxes: Set<FourCC> = ["ftyp", "moov", "mdat", "wide", "free", "skip", "pnot", "moof", "styp", "sidx", "junk"]

    /// Whether `head` starts like an ISO base media file (a plausible first box).
    package static func looksLikeISOMedia(_ head: [UInt8]) -> Bool {
        guard let size = head.uint32(at: 0), let type = head.fourCC(at: 4), leadingBoxes.contains(type) else { return false }
        return size == 0 || size == 1 || size >= 8
    }

    /// What a file that is not ISO media or EBML is, from its signature.
    static func identify(_ head: [UInt8], size: Int64) -> (MediaRefusal, String) {
        func at(_ offset: Int, _ text: String) -> Bool {
            let needle = Array(text.utf8)
            return head.count >= offset + needle.count && Array(head[offset..<(offset + needle.count)]) == needle
        }
        func starts(_ prefix: [UInt8]) -> Bool { head.starts(with: prefix) }
        if at(0, "RIFF") {
            if at(8, "AVI ") { return (.unsupportedContainer, "an AVI file") }
            if at(8, "WAVE") { return (.notAVideo, "a WAV audio file") }
            if at(8, "WEBP") { return (.notAVideo, "a WebP image") }
            return (.unsupportedContainer, "a RIFF file")
        }
        if at(0, "FLV") { return (.unsupportedContainer, "an FLV (Flash) video") }
        if head.count > 188, head[0] == 0x47, head[188] == 0x47 { return (.unsupportedContainer, "an MPEG transport stream (.ts)") }
        if head.count > 196, head[4] == 0x47, head[196] == 0x47 { return (.unsupportedContainer, "an MPEG-2 transport stream (.m2ts)") }
        if starts([0, 0, 1, 0xBA]) { return (.unsupportedContainer, "an MPEG program stream (.mpg)") }
        if starts([0, 0, 1, 0xB3]) { return (.unsupportedContainer, "a raw MPEG video stream") }
        if starts([0, 0, 0, 1]) || starts([0, 0, 1]) { return (.unsupportedContainer, "a raw H.264/H.265 stream (no container)") }
        if starts([0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) { return (.unsupportedContainer, "an ASF/WMV file") }
        if at(0, "OggS") { return (.unsupportedContainer, "an Ogg file") }
        if starts([0xFF, 0xD8, 0xFF]) { return (.notAVideo, "a JPEG image") }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return (.notAVideo, "a PNG image") }
        if at(0, "GIF87a") || at(0, "GIF89a") { return (.notAVideo, "a GIF image") }
        if at(0, "II*\u{0}") || at(0, "MM\u{0}*") { return (.notAVideo, "a TIFF image") }
        if at(0, "%PDF") { return (.notAVideo, "a PDF document") }
        if at(0, "fLaC") { return (.notAVideo, "a FLAC audio file") }
        if at(0, "ID3") || (head.count >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) { return (.notAVideo, "an MP3 audio file") }
        if isText(head) { return (.notAVideo, "text") }
        return (.notAVideo, "not a format TikTokKit recognises")
    }

    /// Printable ASCII or UTF-8 with ordinary whitespace only.
    static func isText(_ head: [UInt8]) -> Bool {
        guard !head.isEmpty else { return false }
        let control = head.contains { $0 < 0x20 && ![0x09, 0x0A, 0x0D].contains($0) || $0 == 0x7F }
        // A multi-byte character may be cut at the end of the head: judge all but its last bytes.
        let judged = head.count > 4 ? head.dropLast(3) : head[...]
        return !control && !String(decoding: judged, as: UTF8.self).contains("\u{FFFD}")
    }

    static func refusal(_ reason: MediaRefusal, _ name: String, _ text: String) -> TikTokError {
        TikTokError(.media(reason), message: "\(name) \(text)")
    }
}
