import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A digest that recognises the same video at another path: its size, then 64 KiB at the start
/// of every chunk of the plan and its last 64 KiB, hashed with SHA-256. It reads at most
/// 64 KiB × (chunks + 1) — 64 MiB for TikTok's 1,000-chunk maximum, 4 MiB for 4 GiB in the default
/// 64 MB chunks — and is computed only for uploads keyed by a job ID.
enum ContentSample {
    static let window = 64 << 10

    static func digest(of file: URL, plan: UploadPlan) throws -> String {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TikTokError.validation("file", "\(file.lastPathComponent) cannot be read")
        }
        defer { close(descriptor) }
        var hash = SHA256()
        hash.update(withUnsafeBytes(of: plan.videoSize.littleEndian) { Array($0) })
        var buffer = [UInt8](repeating: 0, count: window)
        var offsets = plan.chunks.map(\.offset)
        offsets.append(max(0, plan.videoSize - Int64(window)))
        for offset in offsets {
            let wanted = Int(min(Int64(window), plan.videoSize - offset))
            var filled = 0
            while filled < wanted {
                let count = buffer.withUnsafeMutableBytes {
                    pread(descriptor, $0.baseAddress! + filled, wanted - filled, off_t(offset) + off_t(filled))
                }
                guard count > 0 else {
                    throw TikTokError(.upload(.fileChanged), message: "\(file.lastPathComponent) is shorter than it was")
                }
                filled += count
            }
            hash.update(buffer[0..<wanted])
        }
        return hash.finalize().hexString
    }
}
