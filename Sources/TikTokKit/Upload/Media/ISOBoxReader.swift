/// One ISO base media (MP4, QuickTime) box: where it starts, its type, and where its payload is.
struct ISOBox: Sendable, Hashable {
    let type: FourCC
    let start: Int64
    let headerLength: Int64
    /// Where the box says it ends; past the end of its container when it is truncated.
    let end: Int64

    var payload: Range<Int64> { (start + headerLength)..<max(start + headerLength, end) }
    var size: Int64 { end - start }
}

/// Walks the boxes of one level of an ISO base media file by their headers: each step is one
/// 16-byte read and a seek, whatever the box holds.
struct ISOBoxReader {
    /// How a walk ended.
    enum Stop: Sendable, Hashable {
        /// It reached the end of the range exactly.
        case end
        /// A box declares more bytes than the range (the file) has.
        case truncated(ISOBox)
        /// What follows is not a box (zero padding, garbage after a crashed recording).
        case notABox(at: Int64)
        /// The box limit was reached or the read budget ran out.
        case limit
    }

    let bytes: BudgetedBytes

    /// The box header at `offset` within `range`; nil with the reason the walk must stop.
    func box(at offset: Int64, in range: Range<Int64>) throws -> (ISOBox?, Stop) {
        guard let remaining = range.upperBound.adding(-offset), remaining >= 8 else {
            return (nil, offset == range.upperBound ? .end : .notABox(at: offset))
        }
        let header = try bytes.read(at: offset, count: 16)
        guard let size32 = header.uint32(at: 0), let type = header.fourCC(at: 4) else {
            return (nil, bytes.exhausted ? .limit : .notABox(at: offset))
        }
        guard type.isPlausible else { return (nil, .notABox(at: offset)) }
        var size = Int64(size32)
        var headerLength: Int64 = 8
        switch size32 {
        case 0:
            size = remaining   // extends to the end of its container
        case 1:
            guard let large = header.uint64(at: 8) else {
                return (nil, bytes.exhausted ? .limit : .notABox(at: offset))
            }
            guard large <= UInt64(Int64.max) else { return (nil, .notABox(at: offset)) }
            size = Int64(large)
            headerLength = 16
        default:
            break
        }
        guard size >= headerLength, let end = offset.adding(size) else { return (nil, .notABox(at: offset)) }
        let box = ISOBox(type: type, start: offset, headerLength: headerLength, end: end)
        return end > range.upperBound ? (box, .truncated(box)) : (box, .end)
    }

    /// Calls `visit` with each box in `range` in order, at most `limit` of them; returns why the
    /// walk stopped. A truncated box is visited, then the walk stops. `visit` returns false to
    /// stop early (reported as `.end`).
    @discardableResult
    func walk(_ range: Range<Int64>, limit: Int, _ visit: (ISOBox) throws -> Bool) throws -> Stop {
        var offset = range.lowerBound
        var count = 0
        while offset < range.upperBound {
            guard count < limit else { return .limit }
            count += 1
            let (found, stop) = try box(at: offset, in: range)
            guard let box = found else { return stop }
            guard try visit(box) else { return .end }
            if case .truncated = stop { return stop }
            offset = box.end   // always forward: size ≥ header length ≥ 8
        }
        return .end
    }

    /// The boxes directly inside `range`.
    func children(of range: Range<Int64>, limit: Int = 1024) throws -> [ISOBox] {
        var boxes: [ISOBox] = []
        _ = try walk(range, limit: limit) { (box: ISOBox) -> Bool in
            boxes.append(box)
            return true
        }
        return boxes
    }

    /// The first child of `type` in `range`.
    func first(_ type: FourCC, in range: Range<Int64>, limit: Int = 1024) throws -> ISOBox? {
        var found: ISOBox?
        _ = try walk(range, limit: limit) { (box: ISOBox) -> Bool in
            if box.type == type { found = box; return false }
            return true
        }
        return found
    }

    /// Up to `maxCount` bytes of a box's payload.
    func payload(of box: ISOBox, maxCount: Int) throws -> [UInt8] {
        let count = Int(min(Int64(maxCount), box.payload.upperBound - box.payload.lowerBound))
        return try bytes.read(at: box.payload.lowerBound, count: count)
    }
}
