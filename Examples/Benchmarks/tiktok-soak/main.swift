// tiktok-soak: many uploads by several users sharing one journal, through CurlTransport to the
// emulator, with faults on chunk PUTs and status calls, connections that die after the request,
// upload URLs that expire mid-upload and uploads interrupted and resumed. It checks that every
// upload completes, arrives byte for byte, in order, to the right user, with one init each (one
// more for each expired URL, never for a resume).
//
//     swift run --package-path Examples -c release tiktok-soak [--count 200] [--concurrency 4] [--fault-rate 0.2]
//         [--expiry-rate 0.01] [--interrupt-rate 0.05] [--users 2] [--seed N] [--quick]
import ExampleSupport
import Foundation
import TikTokKit
import TikTokSandbox

var arguments = Arguments()
if arguments.wantsHelp {
    print("""
    usage: tiktok-soak [--count N] [--concurrency C] [--fault-rate P] [--expiry-rate P]
                       [--interrupt-rate P] [--users U] [--seed S] [--quick]

    Uploads N videos (default 200; sizes from 1 MB to 130 MB, a third of them multi-chunk) by U
    users (default 2) sharing one upload journal, C at a time (default 4), through CurlTransport
    to an in-process TikTokEmulator. Faults:
      --fault-rate P      chunk PUTs and status calls meeting a fault (default 0.2): resets
                          mid-body, 503s, 429s with Retry-After, stalls, and answers dropped after
                          the server acted (the connection dies after the request)
      --expiry-rate P     chunk PUTs finding their upload URL expired (default 0.01); the upload
                          restarts with one fresh init
      --interrupt-rate P  uploads cancelled after their first chunk and run again, as after a
                          crash (default 0.05); the rerun must resume without an init
    Checks that every upload completes, that the bytes received equal the file, that chunks
    arrive in order, that each publish belongs to the user who made it, and that there is one
    init per upload plus one per expired URL; prints the faults met and retries made.
      --seed S            seed for the faults (default 2026)
      --quick             small videos only (the test suite runs it)
    """)
    exit(0)
}

let count: Int
let concurrency: Int
let users: Int
let faultRate: Double
let expiryRate: Double
let interruptRate: Double
let seed: UInt64
let quick: Bool
do {
    count = Int(try arguments.integer("--count") ?? 200)
    concurrency = Int(try arguments.integer("--concurrency") ?? 4)
    users = Int(try arguments.integer("--users") ?? 2)
    faultRate = try arguments.number("--fault-rate", in: 0...1) ?? 0.2
    expiryRate = try arguments.number("--expiry-rate", in: 0...1) ?? 0.01
    interruptRate = try arguments.number("--interrupt-rate", in: 0...1) ?? 0.05
    seed = UInt64(try arguments.integer("--seed", minimum: 0) ?? 2026)
    quick = arguments.flag("--quick")
    guard try arguments.positionals().isEmpty else { throw ExampleFailure("unexpected arguments; see --help") }
} catch {
    FileHandle.standardError.write(Data("tiktok-soak: \(error)\n".utf8))
    exit(2)
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("tiktok-soak-\(ProcessInfo.processInfo.processIdentifier)")
let store = work.appendingPathComponent("received")
try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

// A pool of videos of varied sizes, reused: each upload is still its own publish, and every
// user uploads every file of the pool, through the one journal.
let sizes: [Int64] = quick ? [1_000_000, 2_500_017, 66_000_001, 700_001]
                           : [1_000_000, 7_340_033, 33_554_432, 64_000_000, 64_000_001, 77_360_899, 100_000_000, 130_000_123]
let pool = try sizes.enumerated().map { index, size in
    try SampleVideo.write(to: work.appendingPathComponent("pool-\(index).mp4"), size: size, durationSeconds: 30, seed: UInt64(index + 1))
}

let tokens = (1...users).map { "soak-user-\($0)" }
var configuration = TikTokEmulator.Configuration(accessToken: tokens[0], enforceRateLimits: false, chunkFaultRate: faultRate,
                                                 endpointFaultRates: ["/v2/post/publish/status/fetch/": faultRate / 2],
                                                 seed: seed, storeDirectory: store, hashUploads: false)
configuration.expiryRate = expiryRate
configuration.enforcePostingCaps = false   // hundreds of posts per user
for token in tokens.dropFirst() { configuration.accessTokens[token] = TikTokEmulator.Configuration.allScopes }
let emulator = try TikTokEmulator(configuration: configuration)
let transport = CurlTransport(configuration: .init(stallTimeout: .seconds(10)))
let clients = tokens.map {
    TikTokClient(accessToken: $0, transport: transport, configuration: .init(baseURL: emulator.baseURL, rateLimitPolicy: .disabled))
}
var openIDs: [String] = []
for client in clients { openIDs.append(try await client.userInfo(fields: [.openID]).openID ?? "?") }
let journal = try FileUploadJournal(directory: work.appendingPathComponent("journal"))

/// One upload of the soak and how it went.
struct Outcome: Sendable {
    var index: Int
    var publishID: String?
    var problem: String?
    var interrupted = false
    var userRetries = 0
    /// The interruption landed while an init was in flight: the rerun said init_outcome_unknown,
    /// and the "user" (this soak) retried with retryUnconfirmedInit.
    var unconfirmedInit = false
}

/// Runs upload `index`: user `index % users`, file `(index / users) % pool`, so the users upload
/// the same paths at the same time through the one journal. Interrupted uploads (keyed by a job
/// ID, so the rerun finds them whatever else the user uploads) are cancelled after their first
/// chunk and run again; a URL that expires twice, or a file the same user is still uploading, is
/// retried as a user would.
@Sendable func soak(_ index: Int, interrupt: Bool) async -> Outcome {
    let user = index % users
    let file = pool[(index / users) % pool.count]
    var options = UploadOptions(chunkSize: 8_000_000,
                                retryPolicy: UploadRetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200),
                                                         maxRetryAfter: .seconds(1)),
                                restartExpiredUploads: true, journal: journal,
                                statusPolling: StatusPolling(initialInterval: .milliseconds(5), maxInterval: .milliseconds(50)))
    var outcome = Outcome(index: index)
    if interrupt {
        options.jobID = "soak-\(index)"
        let seen = Seen()
        let jobOptions = options
        let first = Task {
            try await clients[user].publishDraft(file: file, options: jobOptions) { step in
                if let id = step.publishID { seen.publishID = id }
                if step.phase == .uploading, step.bytesSent > 0 { seen.uploading() }
            }
        }
        await seen.waitForUpload(orEndOf: first)
        first.cancel()
        if case .success(let result) = await first.result {
            outcome.publishID = result.publishID   // it finished before the cancel landed
        } else {
            outcome.interrupted = true
            // A crashed process's connections are closed before any rerun; in process, wait
            // until the emulator has seen the cancelled PUT end.
            while let id = seen.publishID, emulator.allUploads.contains(where: { $0.publishID == id && $0.isReceiving }) {
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
    }
    while outcome.userRetries < 10 {
        do {
            let result = try await clients[user].publishDraft(file: file, options: options)
            outcome.publishID = result.publishID
            guard let stored = emulator.storedFile(for: result.publishID) else {
                outcome.problem = "no stored file"
                return outcome
            }
            defer { try? FileManager.default.removeItem(at: stored) }
            if !FileManager.default.contentsEqual(atPath: file.path, andPath: stored.path) { outcome.problem = "bytes differ" }
            return outcome
        } catch let error as TikTokError where error.kind == .upload(.uploadURLExpired) {
            outcome.userRetries += 1   // expired again after its one restart: the user runs it again
        } catch let error as TikTokError where error.kind == .upload(.initOutcomeUnknown) && outcome.interrupted && !outcome.unconfirmedInit {
            // Cancelled while an init (a restart's, after an expired URL) was in flight: TikTok
            // may hold that publish. A user would check the inbox; the soak counts it and opts in.
            outcome.unconfirmedInit = true
            options.retryUnconfirmedInit = true
        } catch let error as TikTokError where error.kind == .upload(.uploadInProgress) {
            try? await Task.sleep(for: .milliseconds(20))   // this user's earlier upload of the file still runs: wait for it
        } catch {
            outcome.problem = "\(error)"
            return outcome
        }
    }
    outcome.problem = "upload URL kept expiring"
    return outcome
}

/// What an interrupted upload's progress showed, across threads.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var id: String?
    private var sending = false
    private var done = false
    var publishID: String? {
        get { lock.withLock { id } }
        set { lock.withLock { if id == nil { id = newValue } } }
    }
    func uploading() { lock.withLock { sending = true } }

    /// Returns once chunks are being sent, or once `task` ended without sending any.
    func waitForUpload<T>(orEndOf task: Task<T, any Error>) async {
        let watcher = Task {
            _ = await task.result
            lock.withLock { done = true }
        }
        while !lock.withLock({ sending || done }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        watcher.cancel()
    }
}

var random = SplitMix(seed: seed)
let interrupts = (0..<count).map { _ in random.unit() < interruptRate }
let started = ContinuousClock.now
var problems: [String] = []
var outcomes: [Outcome] = []
await withTaskGroup(of: Outcome.self) { group in
    var next = 0
    func launch() {
        let index = next
        next += 1
        let interrupt = interrupts[index]
        group.addTask { await soak(index, interrupt: interrupt) }
    }
    for _ in 0..<min(concurrency, count) { launch() }
    while let outcome = await group.next() {
        outcomes.append(outcome)
        if let problem = outcome.problem { problems.append("upload \(outcome.index): \(problem)") }
        if next < count { launch() }
    }
}

let uploads = emulator.allUploads
let finished = Set(outcomes.compactMap(\.publishID))
let expiries = emulator.injectedFaults["expireUploadURL"] ?? 0
for upload in uploads {
    let starts = upload.chunks.compactMap { $0.contentRange.flatMap(ContentRange.init)?.first }
    if starts != starts.sorted() { problems.append("\(upload.publishID): chunks out of order") }
    if !upload.violations.isEmpty { problems.append("\(upload.publishID): \(upload.violations.joined(separator: "; "))") }
    if finished.contains(upload.publishID) && upload.status != "SEND_TO_USER_INBOX" {
        problems.append("\(upload.publishID): ended \(upload.status)")
    }
}
for outcome in outcomes {
    guard let id = outcome.publishID, let upload = uploads.first(where: { $0.publishID == id }) else { continue }
    if upload.creator != openIDs[outcome.index % users] { problems.append("upload \(outcome.index): landed with \(upload.creator ?? "nobody")") }
}
// Each expired URL costs exactly one more init (the abandoned publish stays unfinished); a
// resumed upload costs none. An init cancelled in flight may or may not have reached TikTok.
let abandoned = uploads.filter { !finished.contains($0.publishID) }.count
let unconfirmed = outcomes.filter(\.unconfirmedInit).count
if !(count + expiries...count + expiries + unconfirmed).contains(emulator.initRequestCount) {
    problems.append("\(emulator.initRequestCount) inits for \(count) uploads, \(expiries) expired URLs and \(unconfirmed) unconfirmed inits")
}
if abandoned != emulator.initRequestCount - count {
    problems.append("\(abandoned) unfinished publishes for \(emulator.initRequestCount - count) extra inits")
}
let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: journal.directory.path).filter { $0.hasSuffix(".json") }) ?? []
if !leftovers.isEmpty { problems.append("\(leftovers.count) journal entries left behind") }

let multiChunk = uploads.filter { $0.chunkCount > 1 && finished.contains($0.publishID) }.count
let chunksNeeded = uploads.filter { finished.contains($0.publishID) }.reduce(0) { $0 + $1.chunkCount }
let elapsed = ContinuousClock.now - started
let interrupted = outcomes.filter(\.interrupted).count
print("tiktok-soak: \(count) uploads (\(multiChunk) multi-chunk) by \(users) users sharing one journal in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")
print("faults met: " + emulator.injectedFaults.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
print("interrupted and resumed: \(interrupted) (\(unconfirmed) while an init was in flight); expired upload URLs restarted: \(expiries)")
print("chunk PUTs: \(emulator.chunkRequestCount) for the \(chunksNeeded) chunks of the finished uploads (the rest: retries, re-syncs, PUTs to URLs that expired)")
if problems.isEmpty {
    print("all \(count) uploads complete, byte for byte, in order, to the right user, one init each")
} else {
    print("problems:")
    problems.prefix(20).forEach { print("  - \($0)") }
    exit(1)
}

/// A small seeded generator, so a run can be repeated.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
