import Foundation

/// WebM: EBML header (DocType `webm`), a Segment with `Info` (TimecodeScale 1 ms, `Duration`)
/// and `Tracks` (one VP9 720×1280 track), then Clusters of SimpleBlocks, one per frame.
struct WebMSampleLayout: SampleLayout {
    /// A Cluster's ID, 8-byte size and 32-bit Timecode element.
    static let clusterOverhead: Int64 = 18
    /// A SimpleBlock's ID, 8-byte size, track number, relative timecode and flags.
    static let blockOverhead: Int64 = 13

    let size: Int64
    let seconds: Double
    private(set) var header: [UInt8] = []
    private(set) var frames: Int64 = 1
    private(set) var framesPerCluster: Int64 = 1
    private(set) var payload: Int64 = 0
    private(set) var fits = false
    private(set) var minimumSize: Int64 = 0

    init(size: Int64, seconds: Double) {
        self.size = size
        self.seconds = seconds
        header = Self.makeHeader(size: size, seconds: seconds)
        minimumSize = Int64(header.count) + Self.clusterOverhead + Self.blockOverhead + 1
        let available = size - Int64(header.count)
        var count = SampleTrack.wantedFrames(seconds)
        while count >= 1 {
            let perCluster = Self.framesPerCluster(count, seconds: seconds)
            let clusters = (count + perCluster - 1) / perCluster
            let left = available - clusters * Self.clusterOverhead - count * Self.blockOverhead
            if left >= count {
                frames = count
                framesPerCluster = perCluster
                payload = left
                fits = true
                return
            }
            count /= 2
        }
    }

    /// As many frames as keep every block within 30 s of its cluster (relative timecodes are
    /// 16-bit milliseconds), at most 900.
    static func framesPerCluster(_ frames: Int64, seconds: Double) -> Int64 {
        let spacing = seconds * 1000 / Double(frames)
        return spacing <= 0 ? 900 : max(1, min(900, Int64(30_000 / spacing)))
    }

    static func element(_ id: [UInt8], _ data: [UInt8]) -> [UInt8] { id + sizeVint(Int64(data.count)) + data }

    /// An 8-byte EBML size, so element headers have a fixed length.
    static func sizeVint(_ value: Int64) -> [UInt8] { [0x01] + SampleBytes.be64(value).suffix(7) }

    static func makeHeader(size: Int64, seconds: Double) -> [UInt8] {
        let ebml = element([0x1A, 0x45, 0xDF, 0xA3], [0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04,
                                                      0x42, 0xF3, 0x81, 0x08, 0x42, 0x82, 0x84] + SampleBytes.ascii("webm")
                                                      + [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02])
        let durationBits = (seconds * 1000).bitPattern
        let info = element([0x15, 0x49, 0xA9, 0x66], [0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40]
                           + element([0x4D, 0x80], SampleBytes.ascii("TikTokKit"))
                           + element([0x57, 0x41], SampleBytes.ascii("TikTokKit SampleVideo"))
                           + [0x44, 0x89, 0x88] + SampleBytes.be64(Int64(bitPattern: durationBits)))
        let video = element([0xE0], [0xB0, 0x82] + SampleBytes.be16(SampleTrack.width) + [0xBA, 0x82] + SampleBytes.be16(SampleTrack.height))
        let entry = element([0xAE], [0xD7, 0x81, 0x01, 0x73, 0xC5, 0x81, 0x01, 0x83, 0x81, 0x01]
                            + element([0x86], SampleBytes.ascii("V_VP9")) + video)
        let tracks = element([0x16, 0x54, 0xAE, 0x6B], entry)
        let segmentStart = Int64(ebml.count) + 12
        return ebml + [0x18, 0x53, 0x80, 0x67] + sizeVint(max(0, size - segmentStart)) + info + tracks
    }

    func write(to output: inout SampleOutput) throws {
        try output.append(header)
        let base = payload / frames
        let extra = payload % frames   // the first `extra` frames carry one byte more
        func frameSize(_ index: Int64) -> Int64 { base + (index < extra ? 1 : 0) }
        func time(_ index: Int64) -> Int64 { Int64((Double(index) * seconds * 1000 / Double(frames)).rounded(.down)) }
        var first: Int64 = 0
        while first < frames {
            let last = min(frames, first + framesPerCluster)
            var clusterSize: Int64 = 6
            for index in first..<last { clusterSize += Self.blockOverhead + frameSize(index) }
            let start = time(first)
            try output.append([0x1F, 0x43, 0xB6, 0x75] + Self.sizeVint(clusterSize) + [0xE7, 0x84] + SampleBytes.be32(start))
            for index in first..<last {
                let relative = time(index) - start
                try output.append([0xA3] + Self.sizeVint(4 + frameSize(index)) + [0x81] + SampleBytes.be16(Int(relative)) + [0x80])
                try output.appendRandom(frameSize(index))
            }
            first = last
        }
    }
}
