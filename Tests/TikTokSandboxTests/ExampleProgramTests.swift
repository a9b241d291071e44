import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// Runs the example programs (built next to the test bundle) against the emulator, as a user
/// would, and checks what they print and how they exit.
@Suite("Example programs", .serialized)
struct ExampleProgramTests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
        var all: String { output + errors }
    }

    /// The directory holding the built executables: the test bundle's own build directory.
    static var binaries: URL {
        var url = Bundle.main.bundleURL
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("publish-draft").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    private func run(_ program: String, _ arguments: [String], environment extra: [String: String]) throws -> Run {
        let executable = Self.binaries.appendingPathComponent(program)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            Issue.record("\(program) is not built; run `swift build` before `swift test` (make test does)")
            return Run(status: -1, output: "", errors: "")
        }
        let process = Process()
        process.executableURL = executable
        // Journals go to a private directory, never the user's ~/.tiktokkit.
        let journals = ["publish-draft", "direct-post"].contains(program) && !arguments.contains("--help") && !arguments.contains("--journal")
        process.arguments = arguments + (journals ? ["--journal", FileManager.default.temporaryDirectory
            .appendingPathComponent("journal-\(UUID().uuidString)").path] : [])
        var environment = ProcessInfo.processInfo.environment
        for key in ["TIKTOK_ACCESS_TOKEN", "TIKTOK_API_BASE_URL", "TIKTOK_SANDBOX"] { environment[key] = nil }
        environment["TIKTOK_TOKEN_FILE"] = FileManager.default.temporaryDirectory.appendingPathComponent("no-token-\(UUID().uuidString)").path
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    private func sample(_ size: Int64 = 2_000_000) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SampleVideo.write(to: directory.appendingPathComponent("clip.mp4"), size: size, durationSeconds: 20)
    }

    @Test func everyExampleHasHelp() throws {
        for program in ["publish-draft", "direct-post", "pull-from-url", "photo-post", "post-status", "tiktok-login", "tiktok-sandbox"] {
            let run = try run(program, ["--help"], environment: [:])
            #expect(run.status == 0, "\(program) --help")
            #expect(run.output.contains("usage:"), "\(program) --help")
        }
    }

    @Test func publishDraftUsesTheEmbeddedSandboxWithoutAToken() throws {
        let run = try run("publish-draft", [try sample().path], environment: [:])
        #expect(run.status == 0, "\(run.all)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("using the embedded TikTok sandbox") == true)
        #expect(lines.contains { $0.hasPrefix("publish ID: v_inbox_file~") })
        #expect(lines.contains("status: SEND_TO_USER_INBOX"))
        #expect(!run.all.contains("upload_token"), "upload URLs (and their tokens) are never printed")
    }

    @Test func directPostAgainstAnUnauditedAppPrintsCodeLogIDAndAdvice() throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "example-token-7f3a", unaudited: true))
        let run = try run("direct-post", [try sample().path, "--title", "hi", "--privacy", "PUBLIC_TO_EVERYONE"],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "example-token-7f3a"])
        #expect(run.status != 0)
        #expect(run.errors.contains("unaudited_client_can_only_post_to_private_accounts"))
        #expect(run.errors.contains("log_id: SANDBOX"))
        #expect(run.errors.contains("SELF_ONLY"))
        #expect(!run.all.contains("example-token-7f3a"), "the token is never printed")
    }

    @Test func wrongTokenFailsWithAccessTokenInvalid() throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "right"))
        let run = try run("publish-draft", [try sample().path],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "wrong-secret-token"])
        #expect(run.status != 0)
        #expect(run.errors.contains("access_token_invalid"))
        #expect(run.errors.contains("refresh"))
        #expect(!run.all.contains("wrong-secret-token"))
    }

    @Test func pullFromAnUnverifiedURLExplainsVerification() throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let run = try run("pull-from-url", ["https://cdn.example.net/video.mp4"],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])
        #expect(run.status != 0)
        #expect(run.errors.contains("url_ownership_unverified"))
        #expect(run.errors.contains("FILE_UPLOAD"))
    }

    @Test func rateLimitedInitFailsWithAdvice() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL))
        for _ in 0..<6 { _ = try await client.initInboxVideo(.fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1)) }
        let run = try run("publish-draft", [try sample().path],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])
        #expect(run.status != 0)
        #expect(run.errors.contains("rate_limit_exceeded"))
    }

    @Test func postStatusReportsAPublish() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL))
        let result = try await client.publishDraft(file: try sample(), options: UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(10))))
        let run = try run("post-status", [result.publishID],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.output.contains("SEND_TO_USER_INBOX"))
    }

    @Test func pullFromURLAndPhotoPostSucceedWithServedMedia() throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let video = emulator.serve(try sample(500_000), as: "clip.mp4")
        let photo = emulator.serve(try sample(20_000), as: "photo.jpg")
        let environment = ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"]
        let pull = try run("pull-from-url", [video.absoluteString], environment: environment)
        #expect(pull.status == 0, "\(pull.all)")
        #expect(pull.output.contains("SEND_TO_USER_INBOX"))
        let photos = try run("photo-post", [photo.absoluteString, photo.absoluteString, "--draft"], environment: environment)
        #expect(photos.status == 0, "\(photos.all)")
        #expect(photos.output.contains("SEND_TO_USER_INBOX"))
        #expect(emulator.allUploads.map(\.mediaType) == ["video", "photo"])
    }

    @Test func tiktokLoginCompletesPKCEAndStoresAPrivateTokenFile() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("login-\(UUID().uuidString)/token")
        let process = Process()
        process.executableURL = Self.binaries.appendingPathComponent("tiktok-login")
        process.arguments = ["--client-key", "sandbox-client-key", "--port", "0",
                             "--authorize-url", emulator.baseURL.appendingPathComponent("v2/auth/authorize/").absoluteString]
        var environment = ProcessInfo.processInfo.environment
        environment["TIKTOK_CLIENT_SECRET"] = "sandbox-client-secret"
        environment["TIKTOK_API_BASE_URL"] = emulator.baseURL.absoluteString
        environment["TIKTOK_TOKEN_FILE"] = tokenFile.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Read until the consent URL appears, then play the browser: follow the redirect.
        var printed = ""
        var consent: URL?
        let deadline = ContinuousClock.now + .seconds(20)
        while consent == nil, ContinuousClock.now < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            printed += String(decoding: data, as: UTF8.self)
            consent = printed.split(separator: "\n").first { $0.hasPrefix("http") && $0.contains("/v2/auth/authorize/") }
                .flatMap { URL(string: String($0)) }
        }
        let url = try #require(consent, "no consent URL in: \(printed)")
        #expect(url.query?.contains("code_challenge_method=S256") == true)
        let transport = CurlTransport()
        let redirect = try await transport.send(HTTPRequest(method: .get, url: url))
        #expect(redirect.status == 302)
        let callback = try #require(redirect.headers["Location"].flatMap(URL.init(string:)))
        let landing = try await transport.send(HTTPRequest(method: .get, url: callback))
        #expect(landing.status == 200)
        printed += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(printed)")

        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("act.sandbox-"))
        let permissions = try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(!printed.contains(token), "the token is never printed")
        #expect(!printed.contains("sandbox-client-secret"))
        // The stored token works with the other examples.
        let status = try run("post-status", ["v_inbox_file~v2.none"],
                             environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_TOKEN_FILE": tokenFile.path])
        #expect(status.errors.contains("invalid_publish_id"), "authenticated, but no such publish: \(status.all)")
    }

    @Test func publishDraftKilledMidUploadResumesWithoutASecondInit() async throws {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", storeDirectory: store, hashUploads: false))
        emulator.inject(.stall(seconds: 30), onChunkRequest: 3)   // the third chunk hangs: kill the program there
        let video = try sample(80_000_000)
        let journal = store.appendingPathComponent("journal").path
        let environment = ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"]

        let first = Process()
        first.executableURL = Self.binaries.appendingPathComponent("publish-draft")
        first.arguments = [video.path, "--journal", journal]
        first.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while emulator.chunkRequestCount < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        #expect(emulator.allUploads.first?.receivedBytes == 32_000_000, "two chunks arrived before the kill")

        let second = try run("publish-draft", [video.path, "--journal", journal], environment: environment)
        #expect(second.status == 0, "\(second.all)")
        #expect(second.output.contains("resuming upload v_inbox_file~"), "the rerun says it resumes")
        #expect(second.output.contains("from byte 32000000"))
        #expect(emulator.initRequestCount == 1, "resumed: no second init, so no second post")
        let upload = try #require(emulator.allUploads.first)
        #expect(upload.status == "SEND_TO_USER_INBOX")
        let stored = try #require(emulator.storedFile(for: upload.publishID))
        #expect(FileManager.default.contentsEqual(atPath: video.path, andPath: stored.path))
    }

    @Test func theBenchmarkRunsInItsReducedMode() throws {
        // A debug build proves nothing about speed; this keeps the benchmark from rotting.
        let bench = try run("tiktok-bench", ["--quick"], environment: [:])
        #expect(bench.status == 0, "\(bench.all)")
        for row in ["70 MB     curl", "70 MB     sdk-curl", "70 MB     sdk-urlsess", "5×2 MB    sdk-curl", "server alone", "status polling"] {
            #expect(bench.output.contains(row), "missing \(row) in:\n\(bench.output)")
        }
    }

    @Test func theSoakRunsInItsShortVersion() throws {
        // The full soak (200 uploads, 20 % faults) runs on demand: swift run -c release tiktok-soak
        let soak = try run("tiktok-soak", ["--quick", "--count", "12"], environment: [:])
        #expect(soak.status == 0, "\(soak.all)")
        #expect(soak.output.contains("all 12 uploads complete, byte for byte, in order, one init each"))
        #expect(soak.output.contains("faults met:"))
    }
}
