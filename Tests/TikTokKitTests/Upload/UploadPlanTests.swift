import Foundation
import Testing
import TikTokKit

@Suite("Upload plan")
struct UploadPlanTests {
    /// Checks every rule of the plan, for any size.
    private func expectValid(_ plan: UploadPlan, size: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(plan.videoSize == size, sourceLocation: sourceLocation)
        #expect(plan.chunkCount >= 1 && plan.chunkCount <= 1000, sourceLocation: sourceLocation)
        if size <= 64_000_000 {
            #expect(plan.chunkCount == 1 && plan.chunkSize == size, sourceLocation: sourceLocation)
        } else {
            #expect((5_242_880...64_000_000).contains(plan.chunkSize), sourceLocation: sourceLocation)
            #expect(Int64(plan.chunkCount) == size / plan.chunkSize, "count is floor(size / chunk)", sourceLocation: sourceLocation)
            #expect(plan.chunkCount >= 2, "over 64,000,000 bytes needs several chunks", sourceLocation: sourceLocation)
        }
        #expect(plan.lastChunkLength <= 128_000_000, sourceLocation: sourceLocation)
        #expect(plan.lastChunkLength >= plan.chunkSize, sourceLocation: sourceLocation)
        let chunks = plan.chunks
        var next: Int64 = 0
        for (index, chunk) in chunks.enumerated() {
            #expect(chunk.index == index && chunk.offset == next && chunk.length > 0, sourceLocation: sourceLocation)
            if index < chunks.count - 1 { #expect(chunk.length == plan.chunkSize, sourceLocation: sourceLocation) }
            next += chunk.length
        }
        #expect(next == size, "chunks cover the file exactly", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        Int64(1), 5_242_879, 5_242_880, 63_999_999, 64_000_000, 64_000_001, 67_108_864, 128_000_000,
        4 << 30, 50_000_123, 66_259_900, 77_360_899, 158_008_374,
    ])
    func boundaryAndReportedSizesFollowEveryRule(size: Int64) throws {
        expectValid(try UploadPlan(videoSize: size), size: size)
        expectValid(try UploadPlan(videoSize: size, chunkSize: 5_242_880), size: size)
        expectValid(try UploadPlan(videoSize: size, chunkSize: 64_000_000), size: size)
    }

    @Test func singleChunkUpTo64MillionBytes() throws {
        let plan = try UploadPlan(videoSize: 64_000_000)
        #expect(plan.chunkCount == 1)
        #expect(plan.chunks == [UploadPlan.Chunk(index: 0, offset: 0, length: 64_000_000, total: 64_000_000)])
        #expect(plan.chunks[0].contentRange == "bytes 0-63999999/64000000")
        let tiny = try UploadPlan(videoSize: 4_194_304)
        #expect(tiny.source == .fileUpload(videoSize: 4_194_304, chunkSize: 4_194_304, totalChunkCount: 1))
    }

    @Test func oneByteOver64MillionIsTwoChunks() throws {
        let plan = try UploadPlan(videoSize: 64_000_001)
        #expect(plan.chunkSize == UploadPlan.defaultChunkSize)
        #expect(plan.chunkCount == 4)
        #expect(plan.lastChunkLength == 16_000_001)
    }

    @Test func documentedExampleOf50000123BytesIn10MillionByteChunks() throws {
        // The media transfer guide's worked example (also reachable by configuration).
        let plan = try UploadPlan(videoSize: 50_000_123, chunkSize: 10_000_000)
        // At most 64,000,000 bytes is one chunk in the safe plan, whatever the chunk size.
        #expect(plan.chunkCount == 1)
        let large = try UploadPlan(videoSize: 150_000_123, chunkSize: 10_000_000)
        #expect(large.chunkCount == 15)
        #expect(large.chunks.last?.contentRange == "bytes 140000000-150000122/150000123")
        #expect(large.chunks.last?.length == 10_000_123)
        #expect(large.chunks[1].contentRange == "bytes 10000000-19999999/150000123")
    }

    @Test func reportedFailingSizesGetFloorCountsAndABigLastChunk() throws {
        let plan = try UploadPlan(videoSize: 158_008_374, chunkSize: 10_000_000)
        #expect(plan.chunkCount == 15)      // not ceil = 16
        #expect(plan.lastChunkLength == 18_008_374)
        // With 64,000,000-byte chunks, floor(77,360,899 / 64,000,000) would be one 77 MB chunk,
        // which TikTok rejects; the planner halves the chunk size instead.
        let capped = try UploadPlan(videoSize: 77_360_899, chunkSize: 64_000_000)
        #expect(capped.chunkCount == 2)
        #expect(capped.chunkSize == 38_680_449)
        #expect(capped.lastChunkLength == 38_680_450)
    }

    @Test func emptyAndOversizedFilesAreRefused() {
        #expect { try UploadPlan(videoSize: 0) } throws: { ($0 as? TikTokError)?.kind == .validation(field: "file") }
        #expect { try UploadPlan(videoSize: (4 << 30) + 1) } throws: { ($0 as? TikTokError)?.kind == .validation(field: "file") }
        #expect { try UploadPlan(videoSize: -5) } throws: { ($0 as? TikTokError)?.kind == .validation(field: "file") }
    }

    @Test(arguments: [Int64(5_242_879), 64_000_001, 0, -1])
    func chunkSizesOutsideTheSafeRangeAreRefused(chunkSize: Int64) {
        #expect { try UploadPlan(videoSize: 100_000_000, chunkSize: chunkSize) } throws: {
            ($0 as? TikTokError)?.kind == .validation(field: "chunkSize")
        }
    }

    @Test func chunkContainingAnOffset() throws {
        let plan = try UploadPlan(videoSize: 100_000_000, chunkSize: 30_000_000)
        #expect(plan.chunkCount == 3)
        #expect(plan.chunk(containing: 0)?.index == 0)
        #expect(plan.chunk(containing: 59_999_999)?.index == 1)
        #expect(plan.chunk(containing: 60_000_000)?.index == 2)
        #expect(plan.chunk(containing: 99_999_999)?.index == 2)   // inside the enlarged last chunk
        #expect(plan.chunk(containing: 100_000_000) == nil)
    }

    @Test func propertyHoldsForRandomSizesAndChunkSizes() throws {
        // Seeded, and the seed is part of every failure message, so a failure can be replayed.
        let seed = UInt64(Date().timeIntervalSince1970 * 1000)
        var generator = SplitMix64(seed: seed)
        for _ in 0..<5_000 {
            let size = Int64.random(in: 1...(4 << 30), using: &generator)
            let chunkSize = Int64.random(in: 5_242_880...64_000_000, using: &generator)
            let plan = try UploadPlan(videoSize: size, chunkSize: chunkSize)
            if plan.chunkCount > 1000 || plan.lastChunkLength > 128_000_000 { Issue.record("seed \(seed): \(size)/\(chunkSize)") }
            expectValid(plan, size: size)
        }
        for _ in 0..<2_000 {
            let size = Int64.random(in: 1...200_000_000, using: &generator)
            expectValid(try UploadPlan(videoSize: size), size: size)
        }
    }
}
