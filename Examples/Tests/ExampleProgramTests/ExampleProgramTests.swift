import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// Runs the example programs (built next to the test bundle) against the emulator, as a user
/// would, and checks what they print and how they exit.
@Suite("Example programs", .serialized)
final class ExampleProgramTests: Sendable {
    typealias Run = ChildProcess.Outcome

    /// Every file a test makes (samples, journals, token files) goes here; removed after each test.
    let scratch: ScratchDirectory

    init() throws { scratch = try ScratchDirectory("examples") }
    deinit { scratch.remove() }

    /// The directory holding the built executables: the test bundle's own build directory.
    static var binaries: URL {
        var url = Bundle.main.bundleURL
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("publish-draft").path) {
            url.deleteLastPathComponent()
        }
        return url
    }

    /// The environment an example sees: no real token or base URL from the developer's shell,
    /// token file and temporary files inside the scratch directory, plus `extra`.
    private func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["TIKTOK_ACCESS_TOKEN", "TIKTOK_API_BASE_URL", "TIKTOK_SANDBOX"] { environment[key] = nil }
        environment["TIKTOK_TOKEN_FILE"] = scratch.path("no-token-\(UUID().uuidString)").path
        environment["TMPDIR"] = scratch.url.path
        environment.merge(extra) { _, new in new }
        return environment
    }

    private func executable(_ program: String) -> URL? {
        let executable = Self.binaries.appendingPathComponent(program)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            Issue.record("\(program) is not built; run `swift build` before `swift test` (make test does)")
            return nil
        }
        return executable
    }

    private func run(_ program: String, _ arguments: [String], environment extra: [String: String]) async throws -> Run {
        guard let executable = executable(program) else { return Run(status: -1, killedBySignal: false, output: "", errors: "") }
        // Journals go to the scratch directory, never the user's ~/.tiktokkit.
        let journals = ["publish-draft", "direct-post"].contains(program) && !arguments.contains("--help") && !arguments.contains("--journal")
        return try await ChildProcess.run(executable, arguments: arguments + (journals ? ["--journal", scratch.path("journal-\(UUID().uuidString)").path] : []),
                                          environment: environment(extra))
    }

    private func sample(_ size: Int64 = 2_000_000) async throws -> URL {
        try await SampleVideo.write(to: scratch.path("clip-\(UUID().uuidString).mp4"), size: size, durationSeconds: 20)
    }

    @Test func everyExampleHasHelp() async throws {
        for program in ["publish-draft", "direct-post", "pull-from-url", "photo-post", "post-status", "tiktok-login", "chunked-upload", "tiktok-bench", "tiktok-soak"] {
            let run = try await run(program, ["--help"], environment: [:])
            #expect(run.status == 0, "\(program) --help")
            #expect(run.output.contains("usage:"), "\(program) --help")
        }
    }

    @Test func publishDraftUsesTheEmbeddedSandboxWithoutAToken() async throws {
        let run = try await run("publish-draft", [try await sample().path], environment: [:])
        #expect(run.status == 0, "\(run.all)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("using the embedded TikTok sandbox") == true)
        #expect(lines.contains { $0.hasPrefix("publish ID: v_inbox_file~") })
        #expect(lines.contains("status: SEND_TO_USER_INBOX"))
        #expect(!run.all.contains("upload_token"), "upload URLs (and their tokens) are never printed")
    }

    @Test func directPostAgainstAnUnauditedAppPrintsCodeLogIDAndAdvice() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "example-token-7f3a", unaudited: true))
        let run = try await run("direct-post", [try await sample().path, "--title", "hi", "--privacy", "PUBLIC_TO_EVERYONE"],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "example-token-7f3a"])
        #expect(run.status != 0)
        #expect(run.errors.contains("unaudited_client_can_only_post_to_private_accounts"))
        #expect(run.errors.contains("log_id: SANDBOX"))
        #expect(run.errors.contains("SELF_ONLY"))
        #expect(!run.all.contains("example-token-7f3a"), "the token is never printed")
    }

    @Test func wrongTokenFailsWithAccessTokenInvalid() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "right"))
        let run = try await run("publish-draft", [try await sample().path],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "wrong-secret-token"])
        #expect(run.status != 0)
        #expect(run.errors.contains("access_token_invalid"))
        #expect(run.errors.contains("refresh"))
        #expect(!run.all.contains("wrong-secret-token"))
    }

    @Test(arguments: [" http://127.0.0.1:9", "127.0.0.1:8080", "open.tiktokapis.com", "ftp://127.0.0.1/",
                      "https://user:secret@127.0.0.1:9", "http://"])
    func aMalformedBaseURLIsRefusedByNameInsteadOfFallingBackToTikTok(base: String) async throws {
        for program in ["publish-draft", "direct-post", "post-status"] {
            let arguments = switch program {
            case "post-status": ["v_inbox_file~v2.1"]
            case "direct-post": [try await sample(2_000).path, "--title", "hi", "--privacy", "SELF_ONLY"]
            default: [try await sample(2_000).path]
            }
            let run = try await run(program, arguments, environment: ["TIKTOK_API_BASE_URL": base, "TIKTOK_ACCESS_TOKEN": "token-7f3a"])
            #expect(run.status != 0, "\(program) with \(base)")
            #expect(run.errors.contains("TIKTOK_API_BASE_URL"), "\(program): \(run.all)")
            #expect(!run.all.contains("token-7f3a") && !run.all.contains("secret"))
        }
    }

    @Test(arguments: [(["--chunk-size", "abc"], "--chunk-size"), (["--chunck-size", "10000000"], "unknown option --chunck-size"),
                      (["--sample", "-5"], "--sample"), (["--journal"], "--journal needs a value")])
    func publishDraftRefusesUnknownOptionsAndBadValuesBeforeAnyUpload(extra: [String], complaint: String) async throws {
        let run = try await run("publish-draft", [try await sample().path] + extra, environment: [:])
        #expect(run.status != 0)
        #expect(run.errors.contains(complaint), "\(run.all)")
        #expect(!run.output.contains("publish ID"), "nothing was uploaded")
    }

    /// Every environment variable an example reads is checked before any request: a bad value is
    /// refused by name, never ignored (TIKTOK_SANDBOX=yes must not quietly mean "talk to TikTok").
    @Test(arguments: [
        (["TIKTOK_SANDBOX": "yes"], "TIKTOK_SANDBOX"),
        (["TIKTOK_ACCESS_TOKEN": "act.token-7f3a trailing"], "TIKTOK_ACCESS_TOKEN"),
        (["TIKTOK_ACCESS_TOKEN": "act.token-7f3a\nX-Injected: 1"], "TIKTOK_ACCESS_TOKEN"),
    ])
    func badEnvironmentVariablesAreRefusedByNameBeforeAnyRequest(variables: [String: String], name: String) async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "act.token-7f3a"))
        defer { emulator.shutdown() }
        var environment = ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "act.token-7f3a"]
        environment.merge(variables) { _, new in new }
        for (program, arguments) in [("publish-draft", [try await sample(2_000).path]), ("post-status", ["v_inbox_file~v2.1"])] {
            let run = try await run(program, arguments, environment: environment)
            #expect(run.status != 0, "\(program) with \(variables)")
            #expect(run.errors.contains(name), "\(program): \(run.all)")
            #expect(!run.all.contains("token-7f3a"), "the token is never echoed")
        }
        #expect(emulator.requestCount == 0, "nothing was sent")
    }

    @Test func aTokenFileWithTwoLinesIsRefusedNotSent() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "act.token-7f3a"))
        defer { emulator.shutdown() }
        let tokenFile = scratch.path("token-\(UUID().uuidString)")
        try Data("act.token-7f3a\nact.other\n".utf8).write(to: tokenFile)
        let run = try await run("post-status", ["v_inbox_file~v2.1"],
                                environment: ["TIKTOK_TOKEN_FILE": tokenFile.path, "TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString])
        #expect(run.status != 0)
        #expect(run.errors.contains(tokenFile.path), "\(run.all)")
        #expect(emulator.requestCount == 0)
    }

    /// The other programs' options: a bad value or an unknown option is refused by name.
    @Test(arguments: [
        ("tiktok-soak", ["--count", "abc"], "--count"), ("tiktok-soak", ["--fault-rate", "2"], "--fault-rate"),
        ("tiktok-soak", ["--cuont", "3"], "unknown option --cuont"), ("tiktok-bench", ["--size", "0"], "--size"),
        ("tiktok-bench", ["--sizes", "3"], "unknown option --sizes"), ("chunked-upload", ["--chunck-size", "3"], "unknown option --chunck-size"),
        ("tiktok-login", ["--client-key", "k", "--client-secret", "s", "--scopes", "video.upload,,x"], "--scopes"),
        ("tiktok-login", ["--client-key", "k", "--client-secret", "s", "--authorize-url", "tiktok.com/auth"], "--authorize-url"),
        ("tiktok-login", ["--client-key", "", "--client-secret", "s"], "client key"),
    ])
    func everyProgramRefusesBadOptionsByName(program: String, arguments: [String], complaint: String) async throws {
        let run = try await run(program, arguments, environment: [:])
        #expect(run.status != 0, "\(program) \(arguments)")
        #expect(run.errors.contains(complaint), "\(program): \(run.all)")
    }

    @Test func tiktokLoginRefusesAMalformedBaseURLByName() async throws {
        let run = try await run("tiktok-login", ["--client-key", "k", "--client-secret", "s", "--port", "0"],
                                environment: ["TIKTOK_API_BASE_URL": " https://open.tiktokapis.com"])
        #expect(run.status != 0)
        #expect(run.errors.contains("TIKTOK_API_BASE_URL"), "\(run.all)")
        #expect(!run.output.contains("Open this URL"), "refused before the login began")
    }

    @Test func pullFromAnUnverifiedURLExplainsVerification() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let run = try await run("pull-from-url", ["https://cdn.example.net/video.mp4"],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])
        #expect(run.status != 0)
        #expect(run.errors.contains("url_ownership_unverified"))
        #expect(run.errors.contains("FILE_UPLOAD"))
    }

    @Test func aRateLimitedInitIsSentAgainAfterItsRetryAfterAndFinishes() async throws {
        // TikTok answers 429 before acting on a call, so even an init may be sent again.
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        emulator.inject([.tooManyRequests(retryAfterSeconds: 1)], onPath: "/v2/post/publish/inbox/video/init/")
        let run = try await run("publish-draft", [try await sample().path],
                                environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.output.contains("status: SEND_TO_USER_INBOX"))
        #expect(emulator.injectedFaults["tooManyRequests"] == 1)
        #expect(emulator.allUploads.count == 1, "one publish, not two")
    }

    @Test func postStatusReportsAPublish() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: emulator.baseURL))
        let result = try await client.publishDraft(file: try await sample(), options: UploadOptions(statusPolling: StatusPolling(initialInterval: .milliseconds(10))))
        let run = try await run("post-status", [result.publishID],
                          environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])
        #expect(run.status == 0, "\(run.all)")
        #expect(run.output.contains("SEND_TO_USER_INBOX"))
    }

    @Test func pullFromURLAndPhotoPostSucceedWithServedMedia() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let video = emulator.serve(try await sample(500_000), as: "clip.mp4")
        let photo = emulator.serve(try await sample(20_000), as: "photo.jpg")
        let environment = ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"]
        let pull = try await run("pull-from-url", [video.absoluteString], environment: environment)
        #expect(pull.status == 0, "\(pull.all)")
        #expect(pull.output.contains("SEND_TO_USER_INBOX"))
        let photos = try await run("photo-post", [photo.absoluteString, photo.absoluteString, "--draft"], environment: environment)
        #expect(photos.status == 0, "\(photos.all)")
        #expect(photos.output.contains("SEND_TO_USER_INBOX"))
        #expect(emulator.allUploads.map(\.mediaType) == ["video", "photo"])
    }

    @Test func tiktokLoginCompletesPKCEAndStoresAPrivateTokenFile() async throws {
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t"))
        let tokenFile = scratch.path("login/token")
        let login = try ChildProcess(
            try #require(executable("tiktok-login")),
            arguments: ["--client-key", "sandbox-client-key", "--port", "0",
                        "--authorize-url", emulator.baseURL.appendingPathComponent("v2/auth/authorize/").absoluteString],
            environment: environment(["TIKTOK_CLIENT_SECRET": "sandbox-client-secret", "TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString,
                                      "TIKTOK_TOKEN_FILE": tokenFile.path]))
        defer { login.kill() }

        // Wait for the consent URL, then play the browser: follow the redirect.
        func consentURL(_ printed: String) -> URL? {
            printed.split(separator: "\n").first { $0.hasPrefix("http") && $0.contains("/v2/auth/authorize/") }
                .flatMap { URL(string: String($0)) }
        }
        _ = await login.waitForOutput { consentURL($0) != nil }
        let consent = consentURL(login.outputSoFar)
        let url = try #require(consent, "no consent URL in: \(login.outputSoFar)")
        #expect(url.query?.contains("code_challenge_method=S256") == true)
        let transport = CurlTransport()
        let redirect = try await transport.send(TikTokHTTPRequest(method: .get, url: url))
        #expect(redirect.status == 302)
        let callback = try #require(redirect.headers["Location"].flatMap(URL.init(string:)))
        let landing = try await transport.send(TikTokHTTPRequest(method: .get, url: callback))
        #expect(landing.status == 200)
        let finished = await login.outcome()
        let printed = finished.all
        #expect(finished.status == 0, "\(printed)")

        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("act.sandbox-"))
        let permissions = try FileManager.default.attributesOfItem(atPath: tokenFile.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(!printed.contains(token), "the token is never printed")
        #expect(!printed.contains("sandbox-client-secret"))
        // The stored token works with the other examples.
        let status = try await run("post-status", ["v_inbox_file~v2.none"],
                             environment: ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_TOKEN_FILE": tokenFile.path])
        #expect(status.errors.contains("invalid_publish_id"), "authenticated, but no such publish: \(status.all)")
    }

    @Test func publishDraftKilledMidUploadResumesWithoutASecondInit() async throws {
        let store = scratch.path("store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", storeDirectory: store, hashUploads: false))
        emulator.inject(.stall(seconds: 30), onChunkRequest: 3)   // the third chunk hangs: kill the program there
        let video = try await sample(80_000_000)
        let journal = scratch.path("journal").path
        let environment = ["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"]

        let first = try ChildProcess(try #require(executable("publish-draft")), arguments: [video.path, "--journal", journal],
                                     environment: self.environment(environment))
        let deadline = ContinuousClock.now + .seconds(60)
        while emulator.chunkRequestCount < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        first.kill(SIGKILL)
        #expect(await first.outcome().killedBySignal)
        #expect(emulator.allUploads.first?.receivedBytes == 32_000_000, "two chunks arrived before the kill")

        let second = try await run("publish-draft", [video.path, "--journal", journal], environment: environment)
        #expect(second.status == 0, "\(second.all)")
        #expect(second.output.contains("resuming upload v_inbox_file~"), "the rerun says it resumes")
        #expect(second.output.contains("from byte 32000000"))
        #expect(emulator.initRequestCount == 1, "resumed: no second init, so no second post")
        let upload = try #require(emulator.allUploads.first)
        #expect(upload.status == "SEND_TO_USER_INBOX")
        let stored = try #require(emulator.storedFile(for: upload.publishID))
        #expect(FileManager.default.contentsEqual(atPath: video.path, andPath: stored.path))
    }

    @Test func aKilledUploadWhoseURLExpiredIsRestartedWithExactlyOneFreshInit() async throws {
        let store = scratch.path("store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
        // Upload URLs live 2 s here instead of TikTok's hour.
        let emulator = try TikTokEmulator(configuration: .init(accessToken: "t", uploadURLLifetime: .seconds(2),
                                                              storeDirectory: store, hashUploads: false))
        emulator.inject(.stall(seconds: 30), onChunkRequest: 3)
        let video = try await sample(80_000_000)
        let journal = scratch.path("journal").path
        let environment = self.environment(["TIKTOK_API_BASE_URL": emulator.baseURL.absoluteString, "TIKTOK_ACCESS_TOKEN": "t"])

        let first = try ChildProcess(try #require(executable("publish-draft")), arguments: [video.path, "--journal", journal],
                                     environment: environment)
        let deadline = ContinuousClock.now + .seconds(60)
        while emulator.chunkRequestCount < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        first.kill(SIGKILL)
        #expect(await first.outcome().killedBySignal)
        try await Task.sleep(for: .seconds(2.5))   // the first upload URL expires (the server's clock decides)

        let second = try await ChildProcess.run(try #require(executable("publish-draft")), arguments: [video.path, "--journal", journal],
                                                environment: environment)
        #expect(second.status == 0, "\(second.all)")
        #expect(emulator.initRequestCount == 2, "exactly one fresh init after the expiry")
        let finished = try #require(emulator.allUploads.last)
        #expect(finished.status == "SEND_TO_USER_INBOX")
        let stored = try #require(emulator.storedFile(for: finished.publishID))
        #expect(FileManager.default.contentsEqual(atPath: video.path, andPath: stored.path))

        // The journal holds nothing more for this file: a third run is a new, normal upload.
        let third = try await ChildProcess.run(try #require(executable("publish-draft")), arguments: [video.path, "--journal", journal],
                                               environment: environment)
        #expect(third.status == 0, "\(third.all)")
        #expect(!third.output.contains("resuming"), "no dead entry left behind")
    }

    @Test func theBenchmarkRunsInItsReducedMode() async throws {
        // A debug build proves nothing about speed; this keeps the benchmark from rotting.
        let bench = try await run("tiktok-bench", ["--quick"], environment: [:])
        #expect(bench.status == 0, "\(bench.all)")
        for row in ["70 MB     curl", "70 MB     sdk-curl", "70 MB     sdk-urlsess", "5×2 MB    sdk-curl",
                    "one 16 MB chunk (file range) through CurlTransport", "one 16 MB chunk (file range) through URLSessionTransport",
                    "server alone", "status polling"] {
            #expect(bench.output.contains(row), "missing \(row) in:\n\(bench.output)")
        }
    }

    @Test func theSoakRunsInItsShortVersion() async throws {
        // The full soak (200 uploads, 20 % faults) runs on demand: swift run -c release tiktok-soak
        let soak = try await run("tiktok-soak", ["--quick", "--count", "12"], environment: [:])
        #expect(soak.status == 0, "\(soak.all)")
        #expect(soak.output.contains("all 12 uploads complete, byte for byte, in order, to the right user, one init each"), "\(soak.all)")
        #expect(soak.output.contains("faults met:"))
    }
}
