// tiktok-soak: many uploads through CurlTransport to the emulator with faults injected on chunk
// PUTs, checking that every upload completes, arrives byte for byte, in order, with one init.
//
//     swift run --package-path Examples -c release tiktok-soak [--count 200] [--concurrency 4] [--fault-rate 0.2] [--seed N] [--quick]
import Foundation
import TikTokKit
import TikTokSandbox

var count = 200
var concurrency = 4
var faultRate = 0.2
var seed: UInt64 = 2026
var quick = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--count": count = arguments.popFirst().flatMap(Int.init) ?? count
    case "--concurrency": concurrency = max(1, arguments.popFirst().flatMap(Int.init) ?? concurrency)
    case "--fault-rate": faultRate = arguments.popFirst().flatMap(Double.init) ?? faultRate
    case "--seed": seed = arguments.popFirst().flatMap(UInt64.init) ?? seed
    case "--quick": quick = true
    case "--help", "-h":
        print("""
        usage: tiktok-soak [--count N] [--concurrency C] [--fault-rate P] [--seed S] [--quick]

        Uploads N videos (default 200; sizes from 1 MB to 130 MB, a third of them multi-chunk)
        through CurlTransport to an in-process TikTokEmulator that injects faults on a fraction P
        (default 0.2) of chunk PUTs: resets mid-body, 503s, 429s with Retry-After, stalls. Checks
        that every upload completes, that the bytes received equal the file, that chunks arrive in
        order, and that no upload is initialised twice; prints the faults met and retries made.
        --quick: small videos only (the test suite runs it).
        """)
        exit(0)
    default:
        print("tiktok-soak: unknown option \(argument)")
        exit(2)
    }
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("tiktok-soak-\(ProcessInfo.processInfo.processIdentifier)")
let store = work.appendingPathComponent("received")
try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

// A pool of videos of varied sizes, reused: each upload is still its own publish.
let sizes: [Int64] = quick ? [1_000_000, 2_500_017, 66_000_001, 700_001]
                           : [1_000_000, 7_340_033, 33_554_432, 64_000_000, 64_000_001, 77_360_899, 100_000_000, 130_000_123]
let pool = try sizes.enumerated().map { index, size in
    try SampleVideo.write(to: work.appendingPathComponent("pool-\(index).mp4"), size: size, durationSeconds: 30, seed: UInt64(index + 1))
}

let emulator = try TikTokEmulator(configuration: .init(accessToken: "soak", enforceRateLimits: false,
                                                       chunkFaultRate: faultRate, seed: seed, storeDirectory: store,
                                                       hashUploads: false))
let client = TikTokClient(accessToken: "soak", transport: CurlTransport(configuration: .init(stallTimeout: .seconds(10))),
                          configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
let options = UploadOptions(chunkSize: 8_000_000,
                            retryPolicy: RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200),
                                                     maxRetryAfter: .seconds(1)),
                            statusPolling: StatusPolling(initialInterval: .milliseconds(5), maxInterval: .milliseconds(50)))

let started = ContinuousClock.now
var problems: [String] = []
var completed = 0
try await withThrowingTaskGroup(of: (Int, String?).self) { group in
    var next = 0
    func launch() {
        let index = next
        next += 1
        let file = pool[index % pool.count]
        group.addTask {
            do {
                let result = try await client.publishDraft(file: file, options: options)
                guard let stored = emulator.storedFile(for: result.publishID) else { return (index, "no stored file") }
                defer { try? FileManager.default.removeItem(at: stored) }
                return (index, FileManager.default.contentsEqual(atPath: file.path, andPath: stored.path) ? nil : "bytes differ")
            } catch {
                return (index, "\(error)")
            }
        }
    }
    for _ in 0..<min(concurrency, count) { launch() }
    while let (index, problem) = try await group.next() {
        completed += 1
        if let problem { problems.append("upload \(index): \(problem)") }
        if next < count { launch() }
    }
}

let uploads = emulator.allUploads
for upload in uploads {
    let starts = upload.chunks.compactMap { $0.contentRange.flatMap(ContentRange.init)?.first }
    if starts != starts.sorted() { problems.append("\(upload.publishID): chunks out of order") }
    if !upload.violations.isEmpty { problems.append("\(upload.publishID): \(upload.violations.joined(separator: "; "))") }
    if upload.status != "SEND_TO_USER_INBOX" { problems.append("\(upload.publishID): ended \(upload.status)") }
}
if emulator.initRequestCount != count { problems.append("\(emulator.initRequestCount) inits for \(count) uploads") }
let multiChunk = uploads.filter { $0.chunkCount > 1 }.count
let chunksNeeded = uploads.reduce(0) { $0 + $1.chunkCount }
let elapsed = ContinuousClock.now - started
print("tiktok-soak: \(count) uploads (\(multiChunk) multi-chunk) in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")
print("faults met: " + emulator.injectedFaults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
print("chunk PUTs: \(emulator.chunkRequestCount) for \(chunksNeeded) chunks (\(emulator.chunkRequestCount - chunksNeeded) retries)")
if problems.isEmpty {
    print("all \(count) uploads complete, byte for byte, in order, one init each")
} else {
    print("problems:")
    problems.prefix(20).forEach { print("  - \($0)") }
    exit(1)
}
