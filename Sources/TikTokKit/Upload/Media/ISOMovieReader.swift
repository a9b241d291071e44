/// Reads what TikTokKit needs from an ISO base media file (MP4, QuickTime, 3GP, fragmented MP4):
/// whether it is QuickTime or MP4, that it has a video track, and its duration.
///
/// Only box headers and a few small boxes are read: `ftyp`; in `moov`, `mvhd`, each `trak`'s
/// `tkhd`, `mdhd` and `hdlr`, and `mvex` (`mehd`, `trex`); for fragmented files the last `moof`
/// (or, when its `traf`s carry no `tfdt`, every `moof`) and a top-level `sidx`. Media data and
/// sample tables are skipped by seeking.
struct ISOMovieReader {
    let bytes: BudgetedBytes
    let name: String
    private var boxes: ISOBoxReader { ISOBoxReader(bytes: bytes) }

    /// Top-level boxes visited at most: a fragmented file has two per fragment.
    static let maxTopLevelBoxes = 250_000
    /// The largest `moof` read whole (a fragment's sample list).
    static let maxFragmentHeader = 1 << 20

    /// Brands of still-image files built on ISO base media (HEIF, HEIC, AVIF).
    static let imageBrands: Set<FourCC> = ["mif1", "mif2", "msf1", "heic", "heix", "heim", "heis", "hevc", "hevx",
                                           "hevm", "hevs", "avif", "avis", "avio", "jpgs", "jpeg"]

    struct Track {
        var id: UInt32 = 0
        var handler: FourCC?
        var timescale: UInt64 = 0
        var duration: UInt64 = 0
    }

    struct Movie {
        var timescale: UInt64 = 0
        var duration: UInt64?
        var tracks: [Track] = []
        var isFragmented = false
        var isCompressed = false
        var fragmentDuration: UInt64?
        var defaultSampleDurations: [UInt32: UInt64] = [:]
    }

    struct TopLevel {
        var brands: [FourCC] = []
        var hasFileType = false
        var moov: ISOBox?
        var sawMediaData = false
        var sawImageMetadata = false
        var fragments: [ISOBox] = []
        var sidx: ISOBox?
        var truncated: ISOBox?
        var complete = true
    }

    /// The container and duration (nil when the file does not say), or a refusal.
    func inspect() throws -> (MediaProbe.Container, Double?) {
        let top = try scanTopLevel()
        let container: MediaProbe.Container = top.brands.first == "qt  " || !top.hasFileType ? .quickTime : .mp4
        let isImage = top.brands.contains { Self.imageBrands.contains($0) }
        guard let moovBox = top.moov else {
            if isImage || top.sawImageMetadata {
                throw refusal(.noVideoTrack, "is a still image (HEIF/HEIC or AVIF, brand \(top.brands.first?.description ?? "meta")), not a video; post photos through the photo API instead")
            }
            // A declared size past the end means the file was finished, then cut (a recorder
            // that crashed leaves its mdat at size 0, "to the end of the file").
            if let cut = top.truncated, cut.type != "moof" { throw truncation(cut) }
            if top.sawMediaData || !top.fragments.isEmpty {
                throw refusal(.missingMovieHeader, "has media data but no moov box, the index a recorder writes when it stops: the recording did not finish. Record or export it again")
            }
            throw refusal(.missingMovieHeader, "has no moov box (the movie header): it is not a complete MP4 or QuickTime video. Export it again as MP4")
        }
        if moovBox.end > bytes.size { throw truncation(moovBox) }
        let movie = try readMovie(moovBox)
        // A compressed moov (old QuickTime `cmov`) hides its tracks: nothing more can be said.
        if movie.isCompressed { return (container, nil) }
        let handlers = movie.tracks.compactMap(\.handler)
        guard handlers.contains("vide") else {
            if isImage {
                throw refusal(.noVideoTrack, "is an image sequence or still (brand \(top.brands.first?.description ?? "?")), not a video; post photos through the photo API instead")
            }
            let kinds = handlers.isEmpty ? "none" : Set(handlers.map(\.description)).sorted().joined(separator: ", ")
            throw refusal(.noVideoTrack, "has no video track (its tracks: \(kinds)); TikTok needs a video. Add a picture track, e.g. with ffmpeg -loop 1")
        }
        let fragmented = movie.isFragmented || !top.fragments.isEmpty
        if !fragmented, let cut = top.truncated { throw truncation(cut) }
        return (container, try duration(of: movie, top: top, fragmented: fragmented))
    }

    // MARK: Top level

    private func scanTopLevel() throws -> TopLevel {
        var top = TopLevel()
        let stop = try boxes.walk(0..<bytes.size, limit: Self.maxTopLevelBoxes) { box in
            switch box.type {
            case "ftyp" where !top.hasFileType:
                top.hasFileType = true
                let payload = try boxes.payload(of: box, maxCount: 64)
                top.brands = stride(from: 0, to: payload.count - 3, by: 4).filter { $0 != 4 }.compactMap { payload.fourCC(at: $0) }
            case "moov" where top.moov == nil:
                top.moov = box
            case "mdat":
                top.sawMediaData = true
            case "moof":
                if box.end <= bytes.size { top.fragments.append(box) }
            case "sidx" where top.sidx == nil:
                top.sidx = box
            case "meta", "iinf", "iloc":
                top.sawImageMetadata = true
            default:
                break
            }
            return true
        }
        switch stop {
        case .truncated(let box): top.truncated = box
        case .limit: top.complete = false
        case .end, .notABox: break
        }
        return top
    }

    // MARK: moov

    private func readMovie(_ moov: ISOBox) throws -> Movie {
        var movie = Movie()
        for box in try boxes.children(of: moov.payload) {
            switch box.type {
            case "mvhd":
                let payload = try boxes.payload(of: box, maxCount: 32)
                if let (timescale, duration) = Self.timescaleAndDuration(payload) {
                    movie.timescale = timescale
                    movie.duration = duration
                }
            case "trak":
                if movie.tracks.count < 256 { movie.tracks.append(try readTrack(box)) }
            case "cmov":
                movie.isCompressed = true
            case "mvex":
                movie.isFragmented = true
                for child in try boxes.children(of: box.payload) {
                    let payload = try boxes.payload(of: child, maxCount: 32)
                    if child.type == "mehd" {
                        movie.fragmentDuration = payload.first == 1 ? payload.uint64(at: 4) : payload.uint32(at: 4).map(UInt64.init)
                    } else if child.type == "trex", let id = payload.uint32(at: 4), let duration = payload.uint32(at: 12) {
                        movie.defaultSampleDurations[id] = UInt64(duration)
                    }
                }
            default:
                break
            }
        }
        return movie
    }

    private func readTrack(_ trak: ISOBox) throws -> Track {
        var track = Track()
        for box in try boxes.children(of: trak.payload) {
            if box.type == "tkhd" {
                let payload = try boxes.payload(of: box, maxCount: 24)
                track.id = (payload.first == 1 ? payload.uint32(at: 20) : payload.uint32(at: 12)) ?? 0
            } else if box.type == "mdia" {
                for child in try boxes.children(of: box.payload) {
                    if child.type == "mdhd" {
                        let payload = try boxes.payload(of: child, maxCount: 32)
                        if let (timescale, duration) = Self.timescaleAndDuration(payload) {
                            track.timescale = timescale
                            track.duration = duration ?? 0
                        }
                    } else if child.type == "hdlr", track.handler == nil {
                        track.handler = try boxes.payload(of: child, maxCount: 12).fourCC(at: 8)
                    }
                }
            }
        }
        return track
    }

    /// `mvhd` and `mdhd` share their layout: version 0 has 32-bit times, version 1 64-bit ones.
    /// A duration of all ones means "unknown" (nil).
    static func timescaleAndDuration(_ payload: [UInt8]) -> (UInt64, UInt64?)? {
        if payload.first == 1 {
            guard let timescale = payload.uint32(at: 20), let duration = payload.uint64(at: 24) else { return nil }
            return (UInt64(timescale), duration == .max ? nil : duration)
        }
        guard let timescale = payload.uint32(at: 12), let duration = payload.uint32(at: 16) else { return nil }
        return (UInt64(timescale), duration == .max ? nil : UInt64(duration))
    }

    // MARK: Duration

    private func duration(of movie: Movie, top: TopLevel, fragmented: Bool) throws -> Double? {
        var seconds: Double?
        if let duration = movie.duration, movie.timescale > 0, duration > 0 {
            seconds = Double(duration) / Double(movie.timescale)
        } else {
            seconds = movie.tracks.compactMap { $0.timescale > 0 && $0.duration > 0 ? Double($0.duration) / Double($0.timescale) : nil }.max()
        }
        guard fragmented else { return seconds }
        if let total = movie.fragmentDuration, total > 0, movie.timescale > 0 {
            return Double(total) / Double(movie.timescale)
        }
        let fromFragments = top.complete ? try fragmentsEnd(top.fragments, movie: movie) : nil
        let fromIndex = try top.sidx.flatMap(indexedDuration)
        guard let found = fromFragments ?? fromIndex else {
            // Fragments exist but could not be read: the moov's own figure would be a confident
            // wrong number (it covers the first fragment at most).
            return top.fragments.isEmpty ? seconds : nil
        }
        return max(found, seconds ?? 0)
    }

    /// One `traf`: its track, its `tfdt` start (when present) and the summed sample durations.
    struct FragmentRun {
        var trackID: UInt32
        var start: UInt64?
        var duration: UInt64
    }

    /// The end of the last fragment, per track, in seconds (the longest track): its `tfdt` plus
    /// its samples' durations. Without `tfdt`, the durations of every fragment are summed onto the
    /// samples in the moov. Nil when that cannot be done within the read budget.
    private func fragmentsEnd(_ fragments: [ISOBox], movie: Movie) throws -> Double? {
        guard let last = fragments.last else { return nil }
        let timescales = Dictionary(movie.tracks.map { ($0.id, $0.timescale) }, uniquingKeysWith: { first, _ in first })
        guard let runs = try readFragment(last, movie: movie) else { return nil }
        var ends: [UInt32: UInt64] = [:]
        if !runs.isEmpty, runs.allSatisfy({ $0.start != nil }) {
            for run in runs {
                guard let end = run.start?.adding(run.duration) else { return nil }
                ends[run.trackID] = max(ends[run.trackID] ?? 0, end)
            }
        } else {
            for track in movie.tracks { ends[track.id] = track.duration }
            for fragment in fragments {
                guard let runs = try readFragment(fragment, movie: movie) else { return nil }
                for run in runs {
                    guard let end = (ends[run.trackID] ?? 0).adding(run.duration) else { return nil }
                    ends[run.trackID] = end
                }
            }
        }
        return ends.compactMap { id, end in
            guard let scale = timescales[id], scale > 0 else { return nil }
            return Double(end) / Double(scale)
        }.max()
    }

    /// The runs of one `moof`, nil when it cannot be read (too big, or the budget ran out).
    private func readFragment(_ moof: ISOBox, movie: Movie) throws -> [FragmentRun]? {
        let length = moof.payload.upperBound - moof.payload.lowerBound
        guard length <= Self.maxFragmentHeader else { return nil }
        let payload = try bytes.read(at: moof.payload.lowerBound, count: Int(length))
        guard payload.count == Int(length) else { return nil }
        var runs: [FragmentRun] = []
        for traf in Self.memoryBoxes(payload, 0..<payload.count) where traf.type == "traf" {
            var run = FragmentRun(trackID: 0, start: nil, duration: 0)
            var defaultDuration: UInt64?
            for box in Self.memoryBoxes(payload, traf.payload) {
                let body = Array(payload[box.payload])
                switch box.type {
                case "tfhd":
                    guard let flags = body.uint32(at: 0), let id = body.uint32(at: 4) else { continue }
                    run.trackID = id
                    var offset = 8
                    if flags & 0x01 != 0 { offset += 8 }
                    if flags & 0x02 != 0 { offset += 4 }
                    if flags & 0x08 != 0 { defaultDuration = body.uint32(at: offset).map(UInt64.init) }
                case "tfdt":
                    run.start = body.first == 1 ? body.uint64(at: 4) : body.uint32(at: 4).map(UInt64.init)
                case "trun":
                    let fallback = defaultDuration ?? movie.defaultSampleDurations[run.trackID] ?? 0
                    guard let total = Self.runDuration(body, defaultDuration: fallback),
                          let sum = run.duration.adding(total) else { return nil }
                    run.duration = sum
                default:
                    break
                }
            }
            runs.append(run)
        }
        return runs
    }

    /// The summed sample durations of a `trun` payload.
    static func runDuration(_ body: [UInt8], defaultDuration: UInt64) -> UInt64? {
        guard let flags = body.uint32(at: 0), let count = body.uint32(at: 4) else { return nil }
        guard flags & 0x100 != 0 else { return UInt64(count).times(defaultDuration) }
        var offset = 8
        if flags & 0x01 != 0 { offset += 4 }
        if flags & 0x04 != 0 { offset += 4 }
        let stride = 4 * [0x100, 0x200, 0x400, 0x800].filter { flags & UInt32($0) != 0 }.count
        guard Int(count) <= (body.count - offset) / stride else { return nil }
        var total: UInt64 = 0
        for index in 0..<Int(count) {
            guard let duration = body.uint32(at: offset + index * stride), let sum = total.adding(UInt64(duration)) else { return nil }
            total = sum
        }
        return total
    }

    /// A `sidx`'s span: earliest presentation time plus every subsegment's duration.
    private func indexedDuration(_ sidx: ISOBox) throws -> Double? {
        let body = try boxes.payload(of: sidx, maxCount: 1 << 20)
        guard let timescale = body.uint32(at: 8), timescale > 0 else { return nil }
        let version = body.first ?? 0
        let earliest = version == 1 ? body.uint64(at: 12) : body.uint32(at: 12).map(UInt64.init)
        let countAt = version == 1 ? 30 : 22
        guard var total = earliest, let count = body.bigEndian(at: countAt, count: 2) else { return nil }
        for index in 0..<Int(count) {
            guard let duration = body.uint32(at: countAt + 2 + index * 12 + 4), let sum = total.adding(UInt64(duration)) else { return nil }
            total = sum
        }
        return Double(total) / Double(timescale)
    }

    /// The boxes in `range` of an in-memory buffer (a `moof`); stops at the first bad header.
    static func memoryBoxes(_ bytes: [UInt8], _ range: Range<Int>) -> [(type: FourCC, payload: Range<Int>)] {
        var result: [(type: FourCC, payload: Range<Int>)] = []
        var offset = range.lowerBound
        while offset <= range.upperBound - 8, result.count < 4096 {
            guard let size32 = bytes.uint32(at: offset), let type = bytes.fourCC(at: offset + 4) else { break }
            var size = Int(size32)
            var header = 8
            if size32 == 1 {
                guard let large = bytes.uint64(at: offset + 8), large <= UInt64(range.upperBound - offset) else { break }
                size = Int(large)
                header = 16
            } else if size32 == 0 {
                size = range.upperBound - offset
            }
            guard size >= header, size <= range.upperBound - offset else { break }
            result.append((type, (offset + header)..<(offset + size)))
            offset += size
        }
        return result
    }

    // MARK: Refusals

    private func refusal(_ reason: MediaRefusal, _ text: String) -> TikTokError {
        TikTokError(.media(reason), message: "\(name) \(text)")
    }

    private func truncation(_ box: ISOBox) -> TikTokError {
        let have = max(0, bytes.size - box.start)
        return refusal(.truncatedFile, "ends inside its \(box.type) box (the box declares \(box.size) bytes, the file holds \(have) of them): the file is incomplete. Copy or export it again")
    }
}
