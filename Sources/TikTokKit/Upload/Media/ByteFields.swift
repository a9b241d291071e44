/// Big-endian fields of a byte array, read without trapping: nil when the bytes run out.
extension Array where Element == UInt8 {
    func bigEndian(at index: Int, count: Int) -> UInt64? {
        guard count <= 8, index >= 0, count >= 0, index <= self.count - count else { return nil }
        var value: UInt64 = 0
        for byte in self[index..<(index + count)] { value = value << 8 | UInt64(byte) }
        return value
    }

    func uint32(at index: Int) -> UInt32? { bigEndian(at: index, count: 4).map { UInt32(truncatingIfNeeded: $0) } }
    func uint64(at index: Int) -> UInt64? { bigEndian(at: index, count: 8) }

    /// Four bytes as a box type.
    func fourCC(at index: Int) -> FourCC? { uint32(at: index).map(FourCC.init(rawValue:)) }
}

/// An ISO base media box type (`moov`, `trak`, …) or a brand (`isom`, `qt  `).
struct FourCC: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    let rawValue: UInt32

    init(rawValue: UInt32) { self.rawValue = rawValue }

    init(stringLiteral text: String) {
        var value: UInt32 = 0
        for byte in text.utf8.prefix(4) { value = value << 8 | UInt32(byte) }
        rawValue = value
    }

    /// Printable types only: real box types are letters, digits, spaces and `©`; anything else
    /// means the walk has left the boxes (garbage after a crashed recording, zero padding).
    var isPlausible: Bool {
        (0..<4).allSatisfy { shift in
            let byte = UInt8(truncatingIfNeeded: rawValue >> (UInt32(shift) * 8))
            return byte >= 0x20 && byte != 0x7F
        }
    }

    var description: String {
        let bytes = (0..<4).reversed().map { UInt8(truncatingIfNeeded: rawValue >> (UInt32($0) * 8)) }
        return String(decoding: bytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}

/// Overflow-checked arithmetic for offsets and sizes read from files.
extension Int64 {
    func adding(_ other: Int64) -> Int64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }
}

extension UInt64 {
    func adding(_ other: UInt64) -> UInt64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }

    func times(_ other: UInt64) -> UInt64? {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? nil : product
    }
}
