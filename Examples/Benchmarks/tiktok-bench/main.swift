// tiktok-bench: how close TikTokKit's uploads get to the wire, and what they cost.
//
//     swift run --package-path Examples -c release tiktok-bench [--quick] [--size MB]... [--batch N] [--no-urlsession]
//
// A child process (this program again, as `tiktok-bench --sandbox-child`) plays TikTok on 127.0.0.1,
// discarding bytes without hashing them and without rate limits. For each generated video the
// same chunked upload is done three ways, one after the other:
//   curl         the `curl` command-line tool sending the same chunk PUTs (same Content-Ranges,
//                one process, keep-alive): the practical limit. Init runs first, untimed.
//   sdk-curl     TikTokClient.publishDraft through CurlTransport: probe, plan, init, chunk PUTs,
//                status polling.
//   sdk-urlsess  the same through URLSessionTransport.
// Then one chunk alone (64 MB by default, --chunk MB): a file range from the middle of a larger
// file PUT to the sandbox's discard endpoint through each transport, each in a fresh child
// process (this program again, as `tiktok-bench --chunk-child`), which reports how far its peak
// resident memory rose over the send.
// Large files are measured three times each way and the best run kept. It reports wall time, throughput, CPU seconds (user + system) per GB of this process or of the
// curl child, and peak resident memory growth; then a batch of small videos; then the server
// alone (curl into a discard endpoint); then how fast status polling notices a known delay.
import ExampleSupport
import Foundation
import TikTokKit
import TikTokSandbox

// The sandbox child: TikTokEmulator without hashing or rate limits, its base URL on the first
// line, until the benchmark (its parent) ends. A process of its own, so the benchmark's CPU and
// memory figures are the client's alone.
if CommandLine.arguments.dropFirst().first == "--sandbox-child" {
    var configuration = TikTokEmulator.Configuration(accessToken: "bench-token", enforceRateLimits: false, hashUploads: false)
    configuration.enforcePostingCaps = false   // every run posts many drafts with one token
    if let index = CommandLine.arguments.firstIndex(of: "--processing-delay"), index + 1 < CommandLine.arguments.count,
       let seconds = Double(CommandLine.arguments[index + 1]) {
        configuration.processingDelay = .milliseconds(Int64(seconds * 1000))
    }
    let emulator = try TikTokEmulator(configuration: configuration)
    print(emulator.baseURL.absoluteString)
    fflush(nil)
    let parent = getppid()
    while getppid() == parent { try await Task.sleep(for: .milliseconds(200)) }
    exit(0)
}

// The chunk child: sends one file range through one transport and prints its peak resident memory
// growth over the send (VmHWM after, less VmRSS before, with the peak reset first), in bytes.
// A fresh process per transport, so neither inherits the other's heap.
if CommandLine.arguments.dropFirst().first == "--chunk-child" {
    let arguments = Array(CommandLine.arguments.dropFirst(2))
    guard arguments.count == 5, let offset = Int64(arguments[2]), let length = Int64(arguments[3]),
          let url = URL(string: arguments[4]) else {
        FileHandle.standardError.write(Data("usage: tiktok-bench --chunk-child curl|urlsession FILE OFFSET LENGTH URL\n".utf8))
        exit(2)
    }
    let transport: any Transport = arguments[0] == "curl" ? CurlTransport() : URLSessionTransport()
    // One small request first, so that loading and initialising the HTTP stack is not counted.
    _ = try await transport.send(TikTokHTTPRequest(method: .put, url: url, body: .bytes(Data("warm-up".utf8))))
    let region = try TikTokFileRegion(file: URL(fileURLWithPath: arguments[1]), offset: offset, length: length)
    let growth = try await measureInProcess(arguments[0], bytes: length) {
        let response = try await transport.send(TikTokHTTPRequest(method: .put, url: url, body: .file(region)))
        guard response.status == 200, String(decoding: response.body, as: UTF8.self) == "\(length)" else {
            throw BenchFailure("the server received \(String(decoding: response.body, as: UTF8.self)) bytes, not \(length)")
        }
    }.memoryGrowth ?? -1
    print(growth)
    exit(0)
}

struct Options {
    var sizesInMB: [Int] = []
    var chunkMB = 64
    var batchCount = 50
    var batchSizeMB = 2
    var quick = false
    var urlSession = true
    var check = false
}

func parse() -> Options {
    var arguments = Arguments()
    if arguments.wantsHelp { usage(exitCode: 0) }
    var options = Options()
    var chunkGiven = false
    do {
        while let megabytes = try arguments.integer("--size") { options.sizesInMB.append(Int(megabytes)) }
        if let count = try arguments.integer("--batch", minimum: 0) { options.batchCount = Int(count) }
        if let megabytes = try arguments.integer("--chunk") { options.chunkMB = Int(megabytes); chunkGiven = true }
        options.quick = arguments.flag("--quick")
        options.urlSession = !arguments.flag("--no-urlsession")
        options.check = arguments.flag("--check")
        guard try arguments.positionals().isEmpty else { throw ExampleFailure("unexpected arguments; see --help") }
    } catch {
        FileHandle.standardError.write(Data("tiktok-bench: \(error)\n".utf8))
        exit(2)
    }
    if options.sizesInMB.isEmpty { options.sizesInMB = options.quick ? [70] : [64, 512, 2048] }
    if options.quick { options.batchCount = min(options.batchCount, 5) }
    if options.quick && !chunkGiven { options.chunkMB = 16 }
    return options
}

func usage(exitCode: Int32) -> Never {
    print("""
    usage: tiktok-bench [--quick] [--size MB]... [--batch N] [--chunk MB] [--no-urlsession] [--check]

    Uploads generated videos (default 64, 512 and 2048 MB, then a batch of 50 × 2 MB) to a local
    tiktok-sandbox three ways — the curl command-line tool, TikTokKit over CurlTransport, and
    TikTokKit over URLSessionTransport — and prints wall time, MB/s, CPU s/GB, peak memory growth
    and ratios to curl; then sends one chunk (default 64 MB) as a file range through each
    transport and prints its peak memory growth. --quick: one 70 MB video, 5 small ones and a
    16 MB chunk (the test suite runs this).
    Build with -c release for meaningful numbers. --check exits 1 when a target is missed.
    """)
    exit(exitCode)
}

// MARK: Measuring

struct Measurement {
    var name: String
    var bytes: Int64
    var wall: Double
    var cpu: Double
    var memoryGrowth: Int64?

    var throughput: Double { Double(bytes) / 1e6 / max(wall, 1e-9) }
    var cpuPerGB: Double { cpu / (Double(bytes) / 1e9) }
}

enum Resources {
    static func resetPeak() {
        #if os(Linux)
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        #endif
    }

    static func statusField(_ name: String) -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }.map { $0 * 1024 }
        }
        return nil
    }

    /// User + system CPU seconds of this process (`self`) or of its waited-for children.
    static func cpu(children: Bool) -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Runs `body` in this process and measures it.
func measureInProcess(_ name: String, bytes: Int64, _ body: () async throws -> Void) async rethrows -> Measurement {
    Resources.resetPeak()
    let rss = Resources.statusField("VmRSS") ?? 0
    let cpu = Resources.cpu(children: false)
    let start = ContinuousClock.now
    try await body()
    let wall = seconds(ContinuousClock.now - start)
    let growth = (Resources.statusField("VmHWM") ?? rss) - rss
    return Measurement(name: name, bytes: bytes, wall: wall, cpu: Resources.cpu(children: false) - cpu, memoryGrowth: max(0, growth))
}

/// Runs a command and measures it as a child process.
func measureChild(_ name: String, bytes: Int64, _ executable: String, _ arguments: [String]) async throws -> Measurement {
    let cpu = Resources.cpu(children: true)
    let start = ContinuousClock.now
    _ = try await runChild(executable, arguments)
    let wall = seconds(ContinuousClock.now - start)
    return Measurement(name: name, bytes: bytes, wall: wall, cpu: Resources.cpu(children: true) - cpu, memoryGrowth: nil)
}

/// Runs a command to its end and returns what it printed (a few lines at most: it is read once the
/// command has exited).
func runChild(_ executable: String, _ arguments: [String]) async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    // Awaited through the termination handler: `waitUntilExit()` would hold a pool thread.
    let exited = AsyncStream.makeStream(of: Void.self)
    process.terminationHandler = { _ in exited.continuation.finish() }
    try process.run()
    for await _ in exited.stream {}
    guard process.terminationStatus == 0 else { throw BenchFailure("\(executable) exited with \(process.terminationStatus)") }
    let data = try output.fileHandleForReading.readToEnd() ?? Data()   // blocking-ok: the command has exited
    return String(decoding: data, as: UTF8.self)
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func row(_ label: String, _ m: Measurement, baseline: Measurement?) {
    let memory = m.memoryGrowth.map { String(format: "%7.1f MB", Double($0) / 1e6) } ?? "        -"
    var text = label.padding(toLength: 10, withPad: " ", startingAt: 0) + m.name.padding(toLength: 12, withPad: " ", startingAt: 0)
    text += String(format: "%8.2f %8.0f %9.2f ", m.wall, m.throughput, m.cpuPerGB) + memory
    if let baseline, baseline.name != m.name {
        text += String(format: "   %5.2f× speed  %5.2f× CPU", m.throughput / baseline.throughput, m.cpuPerGB / max(baseline.cpuPerGB, 1e-9))
    }
    print(text)
}

// MARK: The sandbox

final class Sandbox {
    let process = Process()
    let baseURL: URL

    init(arguments: [String]) throws {
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--sandbox-child"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = output.fileHandleForReading.availableData   // blocking-ok: once at startup, before any measured work
            guard !data.isEmpty else { throw BenchFailure("the sandbox child did not start") }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let url = URL(string: String(text.prefix { $0 != "\n" })) else { throw BenchFailure("bad sandbox URL") }
        baseURL = url
    }

    deinit { process.terminate() }
}


func client(_ sandbox: Sandbox, transport: any Transport) -> TikTokClient {
    TikTokClient(accessToken: "bench-token", transport: transport,
                 configuration: .init(baseURL: sandbox.baseURL, rateLimitPolicy: .disabled))
}

let fastPolling = UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(2), maxInterval: .milliseconds(20)))

/// Writes each chunk of `file` to its own file, for the curl command line (which cannot send a
/// byte range of a file).
func splitChunks(_ file: URL, plan: UploadPlan, into directory: URL) throws -> [URL] {
    let input = try FileHandle(forReadingFrom: file)
    defer { try? input.close() }
    return try plan.chunks.map { chunk in
        let url = directory.appendingPathComponent("chunk-\(chunk.index)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw BenchFailure("cannot write \(url.path)") }
        let output = try FileHandle(forWritingTo: url)
        defer { try? output.close() }
        try input.seek(toOffset: UInt64(chunk.offset))
        var left = chunk.length
        while left > 0 {
            let piece = try input.read(upToCount: Int(min(left, 8 << 20))) ?? Data()
            guard !piece.isEmpty else { throw BenchFailure("short read") }
            try output.write(contentsOf: piece)
            left -= Int64(piece.count)
        }
        return url
    }
}

/// curl arguments that PUT `chunks` to their upload URLs in one process, one after another.
func curlPuts(_ uploads: [(url: String, chunks: [(file: URL, range: String)])]) -> [String] {
    var arguments: [String] = []
    for upload in uploads {
        for chunk in upload.chunks {
            if !arguments.isEmpty { arguments.append("--next") }
            arguments += ["-s", "-f", "-o", "/dev/null", "-T", chunk.file.path, "-H", "Content-Type: video/mp4",
                          "-H", "Content-Range: \(chunk.range)", "-H", "Expect:", upload.url]
        }
    }
    return arguments
}

// MARK: Main

let options = parse()
let work = FileManager.default.temporaryDirectory.appendingPathComponent("tiktok-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }
let sandbox = try Sandbox(arguments: [])
let curlTransport = CurlTransport()
let sessionTransport = URLSessionTransport()
let sdk = client(sandbox, transport: curlTransport)
let sdkSession = client(sandbox, transport: sessionTransport)
var failures: [String] = []

print("tiktok-bench on \(ProcessInfo.processInfo.activeProcessorCount) cores, sandbox \(sandbox.baseURL.absoluteString)")
print("size      way           wall s     MB/s  CPU s/GB   memory+   vs curl")
var curlRows: [Int: Measurement] = [:]
let repeats = options.quick ? 1 : 3
for megabytes in options.sizesInMB {
    let file = try SampleVideo.write(to: work.appendingPathComponent("video-\(megabytes).mp4"),
                                     size: Int64(megabytes) * 1_000_000, durationSeconds: 60)
    let plan = try UploadPlan(videoSize: Int64(megabytes) * 1_000_000)
    let label = "\(megabytes) MB"

    // curl: init untimed, then the chunk PUTs in one process.
    let chunkDirectory = work.appendingPathComponent("chunks-\(megabytes)")
    try FileManager.default.createDirectory(at: chunkDirectory, withIntermediateDirectories: true)
    let chunkFiles = try splitChunks(file, plan: plan, into: chunkDirectory)
    // Best of three for both sides: a run this short is at the mercy of the scheduler.
    var curl = Measurement(name: "curl", bytes: 0, wall: .infinity, cpu: 0, memoryGrowth: nil)
    for _ in 0..<repeats {
        let start = try await sdk.initInboxVideo(plan.source)
        let run = try await measureChild("curl", bytes: plan.videoSize, "/usr/bin/curl",
                                   curlPuts([(start.uploadURL ?? "", Array(zip(chunkFiles, plan.chunks.map(\.contentRange))).map { ($0.0, $0.1) })]))
        if run.wall < curl.wall { curl = run }
    }
    try? FileManager.default.removeItem(at: chunkDirectory)
    row(label, curl, baseline: nil)

    var viaCurl = Measurement(name: "sdk-curl", bytes: 0, wall: .infinity, cpu: 0, memoryGrowth: nil)
    for _ in 0..<repeats {
        let run = try await measureInProcess("sdk-curl", bytes: plan.videoSize) {
            _ = try await sdk.publishDraft(file: file, options: fastPolling)
        }
        if run.wall < viaCurl.wall { viaCurl = run }
    }
    row(label, viaCurl, baseline: curl)
    if megabytes >= 512 {
        if viaCurl.throughput < 0.95 * curl.throughput { failures.append("\(label): sdk-curl throughput under 0.95 of curl") }
        if viaCurl.cpuPerGB > 1.2 * curl.cpuPerGB { failures.append("\(label): sdk-curl CPU per GB over 1.2 of curl") }
    }
    if let growth = viaCurl.memoryGrowth, growth > 32_000_000 { failures.append("\(label): sdk-curl memory growth over 32 MB") }
    curlRows[megabytes] = curl
}

if options.batchCount > 0 {
    let size = Int64(options.batchSizeMB) * 1_000_000
    let files = try (0..<options.batchCount).map { index in
        try SampleVideo.write(to: work.appendingPathComponent("small-\(index).mp4"), size: size, durationSeconds: 10, seed: UInt64(index))
    }
    let label = "\(options.batchCount)×\(options.batchSizeMB) MB"
    var uploads: [(url: String, chunks: [(file: URL, range: String)])] = []
    for file in files {
        let plan = try UploadPlan(videoSize: size)
        let start = try await sdk.initInboxVideo(plan.source)
        uploads.append((start.uploadURL ?? "", [(file, plan.chunks[0].contentRange)]))
    }
    // The same requests the SDK makes per video — init, the PUT, one status fetch — in one curl
    // process. (curl cannot feed init's upload URL into the PUT, so each PUT goes to a URL from
    // an untimed init made beforehand; the timed init's publish is left unused.)
    let initBody = try JSONEncoder().encode(InboxVideoInitRequest(sourceInfo: try UploadPlan(videoSize: size).source))
    let initFile = work.appendingPathComponent("init.json")
    try initBody.write(to: initFile)
    var batchArguments: [String] = []
    for (upload, index) in zip(uploads, uploads.indices) {
        let statusFile = work.appendingPathComponent("status-\(index).json")
        let publishID = URLComponents(string: upload.url)?.queryItems?.first { $0.name == "upload_id" }?.value ?? ""
        try Data(#"{"publish_id":"\#(publishID)"}"#.utf8).write(to: statusFile)
        func post(_ path: String, _ body: URL) -> [String] {
            ["-s", "-f", "-o", "/dev/null", "-X", "POST", "-H", "Authorization: Bearer bench-token",
             "-H", "Content-Type: application/json; charset=UTF-8", "--data-binary", "@\(body.path)",
             sandbox.baseURL.absoluteString + path]
        }
        // In the SDK's order: init, the PUT, then the status fetch of a complete upload.
        if !batchArguments.isEmpty { batchArguments.append("--next") }
        batchArguments += post("/v2/post/publish/inbox/video/init/", initFile)
        batchArguments += ["--next"] + curlPuts([upload])
        batchArguments += ["--next"] + post("/v2/post/publish/status/fetch/", statusFile)
    }
    let curl = try await measureChild("curl", bytes: size * Int64(files.count), "/usr/bin/curl", batchArguments)
    row(label, curl, baseline: nil)
    let viaCurl = try await measureInProcess("sdk-curl", bytes: size * Int64(files.count)) {
        for file in files { _ = try await sdk.publishDraft(file: file, options: fastPolling) }
    }
    row(label, viaCurl, baseline: curl)
    if viaCurl.wall > 1.2 * curl.wall { failures.append("\(label): batch slower than 1.2 × curl") }
}

// URLSessionTransport last: the memory it buffers stays in this process's heap and would hide
// the curl transport's own growth if measured before it.
if options.urlSession {
    for megabytes in options.sizesInMB {
        let file = try SampleVideo.write(to: work.appendingPathComponent("video-\(megabytes).mp4"),
                                         size: Int64(megabytes) * 1_000_000, durationSeconds: 60)
        let viaSession = try await measureInProcess("sdk-urlsess", bytes: Int64(megabytes) * 1_000_000) {
            _ = try await sdkSession.publishDraft(file: file, options: fastPolling)
        }
        row("\(megabytes) MB", viaSession, baseline: curlRows[megabytes])
        try? FileManager.default.removeItem(at: file)
    }
}

// One chunk alone, as a file range from the middle of a larger file, each transport in a fresh
// child process: how far each one's peak resident memory rises while it sends the chunk.
let chunkLength = Int64(options.chunkMB) * 1_000_000
let chunkOffset: Int64 = 3_000_001   // not page-aligned, and bytes on both sides of the range
let chunkFile = try SampleVideo.write(to: work.appendingPathComponent("chunk-source.bin"), size: chunkOffset + chunkLength + 1_000_000)
let discard = sandbox.baseURL.appendingPathComponent("__sandbox/discard").absoluteString
let executable = Bundle.main.executableURL?.path ?? CommandLine.arguments[0]
for way in ["curl", "urlsession"] {
    let child = try await runChild(executable, ["--chunk-child", way, chunkFile.path, "\(chunkOffset)", "\(chunkLength)", discard])
    guard let growth = Int64(child.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw BenchFailure("the \(way) chunk child printed \(child)")
    }
    let name = way == "curl" ? "CurlTransport" : "URLSessionTransport"
    print("one \(options.chunkMB) MB chunk (file range) through \(name): peak memory +" + String(format: "%.1f MB", Double(growth) / 1e6))
    if growth > 32_000_000 { failures.append("\(options.chunkMB) MB chunk through \(way): memory growth over 32 MB") }
}
try? FileManager.default.removeItem(at: chunkFile)

// The server alone: curl into a discard endpoint.
let serverFile = try SampleVideo.write(to: work.appendingPathComponent("server.bin"), size: options.quick ? 70_000_000 : 1_000_000_000)
let serverBytes = Int64(options.quick ? 70_000_000 : 1_000_000_000)
let server = try await measureChild("server", bytes: serverBytes, "/usr/bin/curl",
                              ["-s", "-f", "-o", "/dev/null", "-T", serverFile.path, "-H", "Expect:",
                               sandbox.baseURL.appendingPathComponent("__sandbox/discard").absoluteString])
print(String(format: "server alone (curl → discard): %.0f MB/s", server.throughput))

// Status polling against a known processing delay.
let delay = options.quick ? 1.0 : 3.0
let slow = try Sandbox(arguments: ["--processing-delay", String(delay)])
let polled = client(slow, transport: curlTransport)
let pollFile = try SampleVideo.write(to: work.appendingPathComponent("poll.mp4"), size: 2_000_000)
let uploaded = Locked201()
let pollStart = ContinuousClock.now
_ = try await polled.publishDraft(file: pollFile) { step in
    if step.phase == .processing { uploaded.mark() }
}
let detected = ContinuousClock.now
let waited = uploaded.since(detected)
let total = seconds(detected - pollStart)
let inspection = try await curlTransport.send(TikTokHTTPRequest(method: .get, url: slow.baseURL.appendingPathComponent("__sandbox/uploads")))
let requests = (try? JSONSerialization.jsonObject(with: inspection.body) as? [String: Any])?["requestCount"] as? Int ?? 0
// Polls: every request but init, chunk PUT and this inspection.
let polls = max(0, requests - 3)
print(String(format: "status polling: processing delay %.1f s, detected %.2f s after the last chunk (default schedule 2 s, ×1.5, ≤ 10 s); %d polls in %.1f s (limit 30/min)",
             delay, waited, polls, total))
// The default schedule polls at 0, 2, 5, 9.5, … s: the end is seen at the first poll after the
// delay, at most one interval later.
var pollTime = 0.0
var interval = 2.0
while pollTime < delay { pollTime += interval; interval = min(10, interval * 1.5) }
let allowedLag = pollTime - delay + 0.5
if waited - delay > allowedLag { failures.append(String(format: "status polling saw the end %.2f s after the delay (allowed %.2f)", waited - delay, allowedLag)) }
if Double(polls) > 30 * max(total, 1) / 60 + 1 { failures.append("status polling over 30/min") }

if failures.isEmpty {
    print("all targets met")
} else {
    print("targets missed:")
    failures.forEach { print("  - \($0)") }
    if options.check { exit(1) }
}

/// Remembers when the last chunk was accepted (the first `processing` progress step).
final class Locked201: @unchecked Sendable {
    private let lock = NSLock()
    private var at: ContinuousClock.Instant?
    func mark() { lock.withLock { if at == nil { at = .now } } }
    func since(_ end: ContinuousClock.Instant) -> Double { lock.withLock { at.map { seconds(end - $0) } ?? .nan } }
}
