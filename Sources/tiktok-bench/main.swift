// tiktok-bench: measures what an upload costs — wall time, throughput and peak memory growth —
// for each transport, against TikTokSandbox's HTTP server on 127.0.0.1 discarding the bytes.
//
//     swift run -c release tiktok-bench [--size MB]... [--transport curl|urlsession]... [--quick]
//
// Each run sends the whole file as one PUT of a file range (the shape of a TikTok chunk upload),
// one transport at a time, and reports the peak resident memory reached during the upload minus
// the resident memory before it (Linux: VmHWM, reset through /proc/self/clear_refs).
import Foundation
import TikTokKit
import TikTokSandbox

struct Options {
    var sizesInMB: [Int] = []
    var transports: [String] = []
    var quick = false
}

func parse() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--size":
            guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else { usage(exitCode: 2) }
            options.sizesInMB.append(value)
        case "--transport":
            guard let value = arguments.popFirst(), ["curl", "urlsession", "uploader"].contains(value) else { usage(exitCode: 2) }
            options.transports.append(value)
        case "--quick":
            options.quick = true
        case "--help", "-h":
            usage(exitCode: 0)
        default:
            usage(exitCode: 2)
        }
    }
    if options.sizesInMB.isEmpty { options.sizesInMB = options.quick ? [8] : [64, 512] }
    if options.transports.isEmpty { options.transports = ["curl", "urlsession", "uploader"] }
    return options
}

func usage(exitCode: Int32) -> Never {
    print("""
    usage: tiktok-bench [--size MB]... [--transport curl|urlsession|uploader]... [--quick]

    For each size, uploads a generated video to a local server and prints wall time, throughput
    and peak memory growth:
      curl, urlsession  one file-range PUT of the whole file through that transport;
      uploader          TikTokClient.publishDraft (probe, plan, init, chunked PUTs through
                        CurlTransport, status) against TikTokEmulator.
    Defaults: 64 and 512 MB, all three; --quick uses 8 MB.
    """)
    exit(exitCode)
}

/// Resident memory figures of this process, in bytes.
enum Memory {
    /// Resets the peak (VmHWM) to the current resident size, where the kernel allows it.
    static func resetPeak() {
        #if os(Linux)
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        #endif
    }

    static func current() -> Int64 { field("VmRSS") ?? 0 }

    static func peak() -> Int64 {
        if let value = field("VmHWM") { return value }
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if canImport(Darwin)
        return Int64(usage.ru_maxrss)
        #else
        return Int64(usage.ru_maxrss) * 1024
        #endif
    }

    private static func field(_ name: String) -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int64($0) }
            return digits.map { $0 * 1024 }
        }
        return nil
    }
}

func makeFile(megabytes: Int) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiktok-bench-\(megabytes)MB.mp4")
    let size = megabytes * 1_000_000
    if let existing = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int, existing == size {
        return url
    }
    return try SampleVideo.write(to: url, size: Int64(size), durationSeconds: 60)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func report(megabytes: Int, name: String, elapsed: Double, bytes: Int64, growth: Int64) {
    let label = name.padding(toLength: 11, withPad: " ", startingAt: 0)
    print(String(format: "%4d MB  ", megabytes) + label
          + String(format: " %7.2f %7.0f   %6.1f MB", elapsed, Double(bytes) / 1e6 / max(elapsed, 1e-9), Double(growth) / 1e6))
}

let options = parse()
let server = try HTTPServer { request in
    _ = try request.discardBody()
    return HTTPServerResponse(status: 201)
}
defer { server.shutdown() }
let url = URL(string: server.baseURL.absoluteString + "/upload/?upload_id=bench&upload_token=bench")!

print("tiktok-bench: file-range PUTs to \(server.baseURL.absoluteString) (server discards the bytes)")
print("size     transport    wall s    MB/s   peak memory growth")
var failures = 0
for megabytes in options.sizesInMB {
    let file = try makeFile(megabytes: megabytes)
    let region = try FileRegion.wholeFile(file)
    for name in options.transports {
        if name == "uploader" {
            let emulator = try TikTokEmulator(accessToken: "bench-token")
            let client = TikTokClient(accessToken: "bench-token", configuration: .init(baseURL: emulator.baseURL))
            let options = UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(10)))
            Memory.resetPeak()
            let before = Memory.current()
            let clock = ContinuousClock()
            let start = clock.now
            let result = try await client.publishDraft(file: file, options: options)
            let elapsed = seconds(clock.now - start)
            let growth = max(0, Memory.peak() - before)
            if result.status != .sendToUserInbox || emulator.allUploads.first?.receivedBytes != region.length { failures += 1 }
            report(megabytes: megabytes, name: name, elapsed: elapsed, bytes: region.length, growth: growth)
            emulator.shutdown()
            continue
        }
        let transport: any Transport
        switch name {
        case "curl":
            #if os(Linux) || os(macOS)
            transport = CurlTransport()
            #else
            continue
            #endif
        default:
            transport = URLSessionTransport()
        }
        // Warm up the connection so the measurement is the transfer alone.
        _ = try await transport.send(HTTPRequest(method: .put, url: url, body: .bytes(Data([1]))))
        Memory.resetPeak()
        let before = Memory.current()
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await transport.send(HTTPRequest(
            method: .put, url: url, headers: ["Content-Type": "video/mp4"], body: .file(region)))
        let elapsed = seconds(clock.now - start)
        let growth = max(0, Memory.peak() - before)
        if response.status != 201 { failures += 1 }
        report(megabytes: megabytes, name: name, elapsed: elapsed, bytes: region.length, growth: growth)
    }
}
exit(failures == 0 ? 0 : 1)
