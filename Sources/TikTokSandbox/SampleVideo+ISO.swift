import Foundation

/// The H.264 track every ISO sample shares: 720×1280, 30 fps at most, timescale 90,000.
enum SampleTrack {
    static let width = 720
    static let height = 1280
    static let framesPerSecond = 30.0
    static let timescale: Int64 = 90_000
    /// The smallest frame: a 4-byte length and a filler NAL unit header.
    static let minimumFrame: Int64 = 5

    /// An `avcC` with the SPS and PPS x264 writes for 720×1280 baseline.
    static let avcC: [UInt8] = {
        let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x02, 0xD0, 0x28, 0x6C, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40,
                            0x00, 0x00, 0x0F, 0x03, 0xC6, 0x0C, 0xA8]
        let pps: [UInt8] = [0x68, 0xCE, 0x0F, 0xC8]
        return SampleBytes.box("avcC", [0x01, 0x42, 0xC0, 0x1F, 0xFF, 0xE1] + SampleBytes.be16(sps.count) + sps
                               + [0x01] + SampleBytes.be16(pps.count) + pps)
    }()

    static func wantedFrames(_ seconds: Double) -> Int64 { max(1, Int64((seconds * framesPerSecond).rounded())) }

    static func sampleDelta(_ seconds: Double, frames: Int64) -> Int64 {
        max(1, Int64((seconds * Double(timescale) / Double(frames)).rounded()))
    }

    /// `trak` for one video track; empty sample tables when `samples` is nil (fragmented).
    static func trak(quickTime: Bool, mediaDuration: Int64, movieDuration: Int64,
                     samples: (count: Int64, size: Int64, delta: Int64, offset: Int64)?) -> [UInt8] {
        typealias B = SampleBytes
        let tkhd = B.fullBox("tkhd", flags: 3, B.be32(UInt32(0)) + B.be32(UInt32(0)) + B.be32(UInt32(1)) + B.be32(UInt32(0))
                             + B.be32(movieDuration) + [UInt8](repeating: 0, count: 16) + B.identityMatrix
                             + B.be32(UInt32(width << 16)) + B.be32(UInt32(height << 16)))
        let mdhd = B.fullBox("mdhd", B.be32(UInt32(0)) + B.be32(UInt32(0)) + B.be32(timescale) + B.be32(mediaDuration) + [0x55, 0xC4, 0, 0])
        let handlerName: [UInt8] = quickTime ? [12] + B.ascii("VideoHandler") : B.ascii("VideoHandler") + [0]
        let hdlr = B.fullBox("hdlr", (quickTime ? B.ascii("mhlr") : [0, 0, 0, 0]) + B.ascii("vide") + [UInt8](repeating: 0, count: 12) + handlerName)
        let vmhd = B.fullBox("vmhd", flags: 1, [UInt8](repeating: 0, count: 8))
        let dinf = B.box("dinf", B.fullBox("dref", B.be32(UInt32(1)) + B.fullBox("url ", flags: 1, [])))
        let entry = B.box("avc1", [UInt8](repeating: 0, count: 6) + B.be16(1) + [UInt8](repeating: 0, count: 16)
                          + B.be16(width) + B.be16(height) + B.be32(UInt32(0x0048_0000)) + B.be32(UInt32(0x0048_0000))
                          + B.be32(UInt32(0)) + B.be16(1) + [UInt8](repeating: 0, count: 32) + B.be16(0x18) + [0xFF, 0xFF] + avcC)
        let stsd = B.fullBox("stsd", B.be32(UInt32(1)) + entry)
        let tables: [UInt8]
        if let samples {
            tables = B.fullBox("stts", B.be32(UInt32(1)) + B.be32(samples.count) + B.be32(samples.delta))
                + B.fullBox("stsc", B.be32(UInt32(1)) + B.be32(UInt32(1)) + B.be32(samples.count) + B.be32(UInt32(1)))
                + B.fullBox("stsz", B.be32(samples.size) + B.be32(samples.count))
                + B.fullBox("stco", B.be32(UInt32(1)) + B.be32(samples.offset))
        } else {
            tables = B.fullBox("stts", B.be32(UInt32(0))) + B.fullBox("stsc", B.be32(UInt32(0)))
                + B.fullBox("stsz", B.be32(UInt32(0)) + B.be32(UInt32(0))) + B.fullBox("stco", B.be32(UInt32(0)))
        }
        let minf = B.box("minf", vmhd + dinf + B.box("stbl", stsd + tables))
        return B.box("trak", tkhd + B.box("mdia", mdhd + hdlr + minf))
    }

    static func mvhd(movieDuration: Int64) -> [UInt8] {
        typealias B = SampleBytes
        return B.fullBox("mvhd", B.be32(UInt32(0)) + B.be32(UInt32(0)) + B.be32(UInt32(1000)) + B.be32(movieDuration)
                         + B.be32(UInt32(0x0001_0000)) + [0x01, 0x00] + [UInt8](repeating: 0, count: 10) + B.identityMatrix
                         + [UInt8](repeating: 0, count: 24) + B.be32(UInt32(2)))
    }

    /// `count` frames of `size` bytes: each a length-prefixed filler NAL unit (type 12) of
    /// pseudo-random bytes, which decoders skip.
    static func writeFrames(_ count: Int64, size: Int64, to output: inout SampleOutput) throws {
        for _ in 0..<count {
            try output.append(SampleBytes.be32(size - 4) + [0x0C])
            try output.appendRandom(size - minimumFrame)
        }
    }
}

/// MP4 or QuickTime with the `moov` first, then one `mdat` holding every frame.
struct ISOSampleLayout: SampleLayout {
    enum Brand { case mp4, quickTime }

    let brand: Brand
    let size: Int64
    let seconds: Double
    private(set) var frames: Int64 = 1
    private(set) var frameSize: Int64 = SampleTrack.minimumFrame
    private(set) var header: [UInt8] = []
    private(set) var fits = false
    private(set) var minimumSize: Int64 = 0

    init(brand: Brand, size: Int64, seconds: Double) {
        self.brand = brand
        self.size = size
        self.seconds = seconds
        let headerLength = Int64(makeHeader(frames: 1, frameSize: 5, delta: 1, payload: max(0, size)).count)
        minimumSize = headerLength + SampleTrack.minimumFrame
        let payload = size - headerLength
        guard payload >= SampleTrack.minimumFrame else { return }
        frames = min(SampleTrack.wantedFrames(seconds), payload / SampleTrack.minimumFrame)
        frames = max(frames, (payload + Int64(UInt32.max) - 1) / Int64(UInt32.max))   // stsz holds 32-bit sizes
        frameSize = payload / frames
        header = makeHeader(frames: frames, frameSize: frameSize, delta: SampleTrack.sampleDelta(seconds, frames: frames), payload: payload)
        fits = Int64(header.count) == headerLength
    }

    private func makeHeader(frames: Int64, frameSize: Int64, delta: Int64, payload: Int64) -> [UInt8] {
        typealias B = SampleBytes
        let quickTime = brand == .quickTime
        let ftyp = quickTime ? B.box("ftyp", B.ascii("qt  ") + B.be32(UInt32(0x200)) + B.ascii("qt  "))
            : B.box("ftyp", B.ascii("isom") + B.be32(UInt32(0x200)) + B.ascii("isomiso2avc1mp41"))
        let mediaDuration = frames * delta
        let movieDuration = mediaDuration * 1000 / SampleTrack.timescale
        let large = payload + 8 > Int64(UInt32.max)
        let mdatHeader = large ? B.be32(UInt32(1)) + B.ascii("mdat") + B.be64(payload + 16) : B.be32(payload + 8) + B.ascii("mdat")
        func build(offset: Int64) -> [UInt8] {
            let trak = SampleTrack.trak(quickTime: quickTime, mediaDuration: mediaDuration, movieDuration: movieDuration,
                                        samples: (frames, frameSize, delta, offset))
            return ftyp + B.box("moov", SampleTrack.mvhd(movieDuration: movieDuration) + trak) + mdatHeader
        }
        return build(offset: Int64(build(offset: 0).count))   // the chunk offset is the header's length
    }

    func write(to output: inout SampleOutput) throws {
        try output.append(header)
        try SampleTrack.writeFrames(frames, size: frameSize, to: &output)
        try output.appendRandom(size - Int64(header.count) - frames * frameSize)   // unreferenced padding in mdat
    }
}

/// Fragmented MP4: an empty `moov` with `mvex/trex`, then a `moof` (`mfhd`, `traf` with
/// `tfhd`, `tfdt`, `trun`) and an `mdat` per two seconds of frames.
struct FragmentedSampleLayout: SampleLayout {
    static let framesPerFragment: Int64 = 60
    /// `moof` (96 bytes) and a 64-bit `mdat` header (16).
    static let fragmentOverhead: Int64 = 112

    let size: Int64
    let seconds: Double
    private(set) var frames: Int64 = 1
    private(set) var frameSize: Int64 = SampleTrack.minimumFrame
    private(set) var delta: Int64 = 1
    private(set) var header: [UInt8] = []
    private(set) var fits = false
    private(set) var minimumSize: Int64 = 0

    init(size: Int64, seconds: Double) {
        self.size = size
        self.seconds = seconds
        header = Self.makeHeader()
        minimumSize = Int64(header.count) + Self.fragmentOverhead + SampleTrack.minimumFrame
        let available = size - Int64(header.count)
        var count = SampleTrack.wantedFrames(seconds)
        while count >= 1 {
            let payload = available - Self.fragments(count) * Self.fragmentOverhead
            if payload >= count * SampleTrack.minimumFrame, payload / count <= Int64(UInt32.max) {
                frames = count
                frameSize = payload / count
                delta = SampleTrack.sampleDelta(seconds, frames: count)
                fits = true
                return
            }
            count = payload < count * SampleTrack.minimumFrame ? count / 2 : count * 2
            if count > available { return }
        }
    }

    static func fragments(_ frames: Int64) -> Int64 { (frames + framesPerFragment - 1) / framesPerFragment }

    static func makeHeader() -> [UInt8] {
        typealias B = SampleBytes
        let ftyp = B.box("ftyp", B.ascii("iso5") + B.be32(UInt32(0x200)) + B.ascii("iso5iso6mp41"))
        let trak = SampleTrack.trak(quickTime: false, mediaDuration: 0, movieDuration: 0, samples: nil)
        let trex = B.fullBox("trex", B.be32(UInt32(1)) + B.be32(UInt32(1)) + B.be32(UInt32(0)) + B.be32(UInt32(0)) + B.be32(UInt32(0)))
        return ftyp + B.box("moov", SampleTrack.mvhd(movieDuration: 0) + trak + B.box("mvex", trex))
    }

    func write(to output: inout SampleOutput) throws {
        typealias B = SampleBytes
        try output.append(header)
        let count = Self.fragments(frames)
        let padding = size - Int64(header.count) - count * Self.fragmentOverhead - frames * frameSize
        for index in 0..<count {
            let first = index * Self.framesPerFragment
            let inFragment = min(Self.framesPerFragment, frames - first)
            let tfhd = B.fullBox("tfhd", flags: 0x02_0018, B.be32(UInt32(1)) + B.be32(delta) + B.be32(frameSize))
            let tfdt = B.fullBox("tfdt", version: 1, B.be64(first * delta))
            let trun = B.fullBox("trun", flags: 0x01, B.be32(inFragment) + B.be32(Self.fragmentOverhead))
            let moof = B.box("moof", B.fullBox("mfhd", B.be32(index + 1)) + B.box("traf", tfhd + tfdt + trun))
            let extra = index == count - 1 ? padding : 0
            try output.append(moof + B.be32(UInt32(1)) + B.ascii("mdat") + B.be64(16 + inFragment * frameSize + extra))
            try SampleTrack.writeFrames(inFragment, size: frameSize, to: &output)
            try output.appendRandom(extra)
        }
    }
}
