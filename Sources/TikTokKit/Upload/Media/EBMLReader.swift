/// Reads what TikTokKit needs from an EBML file (WebM, Matroska): that its DocType is `webm`,
/// that it has a video track, and its duration, `Segment/Info/Duration × TimecodeScale`.
///
/// Only element headers, the EBML header, `SeekHead`, `Info` and the `TrackType` of each
/// `TrackEntry` are read; clusters (the media) are never read. A file without `Info/Duration`
/// (a live recording) has no duration.
struct EBMLReader {
    let bytes: BudgetedBytes
    let name: String

    enum ID {
        static let ebml: UInt32 = 0x1A45_DFA3
        static let docType: UInt32 = 0x4282
        static let segment: UInt32 = 0x1853_8067
        static let seekHead: UInt32 = 0x114D_9B74
        static let seek: UInt32 = 0x4DBB
        static let seekID: UInt32 = 0x53AB
        static let seekPosition: UInt32 = 0x53AC
        static let info: UInt32 = 0x1549_A966
        static let timecodeScale: UInt32 = 0x2A_D7B1
        static let duration: UInt32 = 0x4489
        static let tracks: UInt32 = 0x1654_AE6B
        static let trackEntry: UInt32 = 0xAE
        static let trackType: UInt32 = 0x83
        static let cluster: UInt32 = 0x1F43_B675
    }

    /// One element: its ID, where its data starts, and its declared end (nil: unknown size).
    struct Element {
        let id: UInt32
        let start: Int64
        let dataStart: Int64
        let end: Int64?
    }

    /// Elements visited at most in one level.
    static let maxElements = 4096

    /// The duration in seconds (nil when the file carries none), or a refusal.
    func inspect() throws -> Double? {
        guard let header = try element(at: 0), header.id == ID.ebml, let headerEnd = header.end else {
            throw refusal(.truncatedFile, "ends inside its EBML header: the file is incomplete. Copy or export it again")
        }
        let docType = try readHeader(header)
        guard docType == "webm" else {
            let what = docType == "matroska" ? "a Matroska (MKV) file, not WebM" : "an EBML file of type \"\(Secrets.printable(docType ?? "none"))\", not WebM"
            throw refusal(.unsupportedContainer, "is \(what); TikTok takes MP4, QuickTime (MOV) or WebM. Convert it to MP4 first")
        }
        var offset = headerEnd
        var segment: Element?
        for _ in 0..<Self.maxElements {
            guard let next = try element(at: offset) else { break }
            if next.id == ID.segment { segment = next; break }
            guard let end = next.end, end > offset else { break }
            offset = end
        }
        guard let segment else {
            throw refusal(.truncatedFile, "has no Segment after its EBML header: the file is incomplete. Copy or export it again")
        }
        if let end = segment.end, end > bytes.size {
            throw refusal(.truncatedFile, "ends \(end - bytes.size) bytes before its Segment does: the file is incomplete. Copy or export it again")
        }
        return try readSegment(segment)
    }

    // MARK: Levels

    private func readHeader(_ header: Element) throws -> String? {
        var docType: String?
        try walk(from: header.dataStart, to: header.end ?? header.dataStart) { child in
            if child.id == ID.docType { docType = String(decoding: try data(of: child, maxCount: 64), as: UTF8.self) }
            return docType == nil
        }
        return docType.map { String($0.prefix { $0 != "\0" }) }
    }

    private func readSegment(_ segment: Element) throws -> Double? {
        let end = segment.end ?? bytes.size
        var info: Element?
        var tracks: Element?
        var seekPositions: [UInt32: Int64] = [:]
        var reachedEnd = false
        try walk(from: segment.dataStart, to: end, reachedEnd: &reachedEnd) { child in
            switch child.id {
            case ID.info: info = info ?? child
            case ID.tracks: tracks = tracks ?? child
            case ID.seekHead: seekPositions.merge(try readSeekHead(child, segmentData: segment.dataStart)) { first, _ in first }
            case ID.cluster: return false   // media from here on; what is missing may be indexed
            default: break
            }
            return info == nil || tracks == nil
        }
        // Info or Tracks after the clusters: the SeekHead says where.
        if info == nil, let position = seekPositions[ID.info], let found = try element(at: position), found.id == ID.info { info = found }
        if tracks == nil, let position = seekPositions[ID.tracks], let found = try element(at: position), found.id == ID.tracks { tracks = found }
        if let tracks {
            let types = try trackTypes(tracks)
            guard types.contains(1) else {
                let names = types.map { [1: "video", 2: "audio", 17: "subtitle"][$0] ?? "type \($0)" }
                throw refusal(.noVideoTrack, "has no video track (its tracks: \(names.isEmpty ? "none" : Set(names).sorted().joined(separator: ", "))); TikTok needs a video. Add a picture track, e.g. with ffmpeg -loop 1")
            }
        } else if reachedEnd {
            throw refusal(.truncatedFile, "ends before its track list: the file is incomplete. Copy or export it again")
        }
        return try info.flatMap(readDuration)
    }

    private func readSeekHead(_ seekHead: Element, segmentData: Int64) throws -> [UInt32: Int64] {
        var positions: [UInt32: Int64] = [:]
        try walk(from: seekHead.dataStart, to: seekHead.end ?? seekHead.dataStart) { seek in
            guard seek.id == ID.seek else { return true }
            var id: UInt32?
            var position: UInt64?
            try walk(from: seek.dataStart, to: seek.end ?? seek.dataStart) { field in
                if field.id == ID.seekID { id = try data(of: field, maxCount: 4).bigEndian(at: 0, count: min(4, Int(field.length))).map { UInt32(truncatingIfNeeded: $0) } }
                if field.id == ID.seekPosition { position = try unsigned(field) }
                return true
            }
            if let id, let position, position <= UInt64(Int64.max), let absolute = segmentData.adding(Int64(position)) {
                positions[id] = absolute
            }
            return positions.count < 64
        }
        return positions
    }

    private func trackTypes(_ tracks: Element) throws -> [UInt64] {
        var types: [UInt64] = []
        try walk(from: tracks.dataStart, to: tracks.end ?? tracks.dataStart) { entry in
            guard entry.id == ID.trackEntry else { return true }
            try walk(from: entry.dataStart, to: entry.end ?? entry.dataStart) { field in
                if field.id == ID.trackType, let type = try unsigned(field) { types.append(type); return false }
                return true
            }
            return types.count < 256
        }
        return types
    }

    private func readDuration(_ info: Element) throws -> Double? {
        var scale: UInt64 = 1_000_000   // the default: milliseconds
        var duration: Double?
        try walk(from: info.dataStart, to: info.end ?? info.dataStart) { field in
            if field.id == ID.timecodeScale, let value = try unsigned(field), value > 0 { scale = value }
            if field.id == ID.duration {
                let raw = try data(of: field, maxCount: 8)
                if raw.count == 4, let bits = raw.uint32(at: 0) { duration = Double(Float(bitPattern: bits)) }
                if raw.count == 8, let bits = raw.uint64(at: 0) { duration = Double(bitPattern: bits) }
            }
            return true
        }
        guard let duration, duration.isFinite, duration >= 0 else { return nil }
        let seconds = duration * Double(scale) / 1e9
        return seconds.isFinite ? seconds : nil
    }

    // MARK: Elements

    /// Calls `visit` with each child between `start` and `end`; stops at an unknown-size or
    /// unreadable element, at `end`, or when `visit` returns false.
    private func walk(from start: Int64, to end: Int64, _ visit: (Element) throws -> Bool) throws {
        var ignored = false
        try walk(from: start, to: end, reachedEnd: &ignored, visit)
    }

    private func walk(from start: Int64, to end: Int64, reachedEnd: inout Bool, _ visit: (Element) throws -> Bool) throws {
        var offset = start
        for _ in 0..<Self.maxElements {
            guard offset < min(end, bytes.size) else { reachedEnd = true; return }
            guard let child = try element(at: offset), try visit(child) else { return }
            guard let childEnd = child.end, childEnd > offset else { return }
            offset = childEnd
        }
    }

    /// The element header at `offset`: an ID (1–4 bytes, marker kept) and a size (1–8 bytes,
    /// all ones meaning unknown).
    func element(at offset: Int64) throws -> Element? {
        let head = try bytes.read(at: offset, count: 12)
        guard let first = head.first, let idLength = Self.vintLength(first), idLength <= 4,
              let id = head.bigEndian(at: 0, count: idLength), idLength < head.count,
              let sizeLength = Self.vintLength(head[idLength]), let raw = head.bigEndian(at: idLength, count: sizeLength) else {
            return nil
        }
        let marker = UInt64(1) << UInt64(7 * sizeLength)
        let value = raw & (marker - 1)
        guard let dataStart = offset.adding(Int64(idLength + sizeLength)) else { return nil }
        if value == marker - 1 { return Element(id: UInt32(id), start: offset, dataStart: dataStart, end: nil) }
        guard value <= UInt64(Int64.max), let end = dataStart.adding(Int64(value)) else { return nil }
        return Element(id: UInt32(id), start: offset, dataStart: dataStart, end: end)
    }

    /// The length of a variable-size integer from its first byte (the position of its first 1 bit).
    static func vintLength(_ first: UInt8) -> Int? {
        first == 0 ? nil : first.leadingZeroBitCount + 1
    }

    private func data(of element: Element, maxCount: Int) throws -> [UInt8] {
        try bytes.read(at: element.dataStart, count: Int(min(Int64(maxCount), element.length)))
    }

    private func unsigned(_ element: Element) throws -> UInt64? {
        guard element.length >= 1, element.length <= 8 else { return nil }
        let raw = try data(of: element, maxCount: 8)
        return raw.bigEndian(at: 0, count: raw.count)
    }

    private func refusal(_ reason: MediaRefusal, _ text: String) -> TikTokError {
        TikTokError(.media(reason), message: "\(name) \(text)")
    }
}

extension EBMLReader.Element {
    /// The data length (0 for an unknown size).
    var length: Int64 { end.map { $0 - dataStart } ?? 0 }
}
