import Foundation
import Testing
import TikTokKit

/// The `tiktok-sandbox` command-line tool, run as a user would (built next to the test bundle).
@Suite("tiktok-sandbox")
struct SandboxToolTests {
    static var executable: URL? {
        var url = Bundle.main.bundleURL
        while url.pathComponents.count > 1 {
            let candidate = url.appendingPathComponent("tiktok-sandbox")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return nil
    }

    @Test func helpListsEveryOption() async throws {
        let executable = try #require(Self.executable, "tiktok-sandbox is not built; run `swift build` first (make test does)")
        let run = try await ChildProcess.run(executable, arguments: ["--help"], environment: ProcessInfo.processInfo.environment)
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("usage: tiktok-sandbox"))
        // Every option the program parses (each is a `case "--name"` in its main.swift) is in --help.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/tiktok-sandbox/main.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        let parsed = text.components(separatedBy: "case \"--").dropFirst().compactMap { $0.split(separator: "\"").first.map { "--" + $0 } }
        #expect(parsed.count >= 15, "found the option parser: \(parsed)")
        for option in parsed where option != "--help" {
            #expect(run.output.contains("  \(option)"), "\(option) is not documented in --help")
        }
    }

    @Test func firstLineIsTheBaseURLAndAnUnknownOptionIsRefused() async throws {
        let executable = try #require(Self.executable)
        let bad = try await ChildProcess.run(executable, arguments: ["--no-such-option"], environment: ProcessInfo.processInfo.environment)
        #expect(bad.status == 2)
        #expect(bad.errors.contains("--no-such-option"))
        for malformed in ["nopath=code", "/v2/post/publish/status/fetch/=", "/x=Bad Code", "/x=internal_error:0",
                          "/x=internal_error@2", "/x=internal_error@abc", "/x=@0.5"] {
            let refused = try await ChildProcess.run(executable, arguments: ["--inject", malformed], environment: ProcessInfo.processInfo.environment)
            #expect(refused.status == 2, "--inject \(malformed)")
            #expect(refused.errors.contains("--inject"))
        }

        let sandbox = try ChildProcess(executable, arguments: ["--token", "tool-test"], environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("\n") })
        let first = sandbox.outputSoFar.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("http://127.0.0.1:"), "first line: \(first)")
        sandbox.kill(SIGTERM)
        _ = await sandbox.outcome()
    }

    @Test func injectScriptsATikTokErrorOverHTTP() async throws {
        let executable = try #require(Self.executable)
        let sandbox = try ChildProcess(executable, arguments: ["--token", "t", "--inject",
                                                               "/v2/post/publish/creator_info/query/=spam_risk_user_banned_from_posting:2"],
                                       environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("\n") })
        let base = try #require(sandbox.outputSoFar.split(separator: "\n").first.flatMap { URL(string: String($0)) })
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: base))
        for _ in 0..<2 {
            await #expect { _ = try await client.creatorInfo() } throws: {
                ($0 as? TikTokError)?.kind == .api(.spamRiskUserBannedFromPosting)
            }
        }
        _ = try await client.creatorInfo()   // twice, then normal again
    }

    @Test func serverLimitsAreOptions() async throws {
        let executable = try #require(Self.executable)
        for bad in [["--max-connections", "0"], ["--idle-timeout", "0"], ["--read-timeout", "x"]] {
            let refused = try await ChildProcess.run(executable, arguments: bad, environment: ProcessInfo.processInfo.environment)
            #expect(refused.status == 2, "\(bad)")
            #expect(refused.errors.contains(bad[0]))
        }
        let sandbox = try ChildProcess(executable, arguments: ["--idle-timeout", "0.3", "--max-connections", "2"],
                                       environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("\n") })
        let base = try #require(sandbox.outputSoFar.split(separator: "\n").first.flatMap { URL(string: String($0)) })
        let port = try #require(base.port.flatMap { UInt16(exactly: $0) })
        let oldest = try RawClient(port: port)
        let idle = try RawClient(port: port)
        let active = try RawClient(port: port)
        try await active.send("GET /__sandbox/uploads HTTP/1.1\r\n\r\n")
        #expect(try await active.receiveResponse().status == 200)   // Served past the cap of 2.
        // Closed by the server, to make room or once idle for 0.3 s (RawClient's 5 s receive
        // timeout fails the test if not).
        for client in [oldest, idle, active] { #expect(try await client.isClosedByServer()) }
    }

    @Test func injectWithAProbabilityOfOneAnswersEveryRequest() async throws {
        let executable = try #require(Self.executable)
        let sandbox = try ChildProcess(executable, arguments: ["--token", "t", "--no-rate-limits", "--inject",
                                                               "/v2/post/publish/creator_info/query/=internal_error@1"],
                                       environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("\n") })
        let base = try #require(sandbox.outputSoFar.split(separator: "\n").first.flatMap { URL(string: String($0)) })
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: base, rateLimitPolicy: .disabled))
        for _ in 0..<5 {
            await #expect { _ = try await client.creatorInfo() } throws: { ($0 as? TikTokError)?.kind == .api(.internalError) }
        }
    }

    @Test func accountOptionsSetEachCreatorsAccount() async throws {
        let executable = try #require(Self.executable)
        for bad in [["--account-privacy", "secret"], ["--account", "alice=privte"], ["--account", "=private"],
                    ["--daily-post-limit", "-1"], ["--cap-window", "0"]] {
            let refused = try await ChildProcess.run(executable, arguments: bad, environment: ProcessInfo.processInfo.environment)
            #expect(refused.status == 2, "\(bad)")
        }
        let sandbox = try ChildProcess(executable, arguments: ["--token", "t", "--account-privacy", "private", "--unaudited",
                                                               "--account", "bob=public,banned", "--daily-post-limit", "1"],
                                       environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("tokens:") })
        let base = try #require(sandbox.outputSoFar.split(separator: "\n").first.flatMap { URL(string: String($0)) })
        let client = TikTokClient(accessToken: "t", configuration: .init(baseURL: base, rateLimitPolicy: .disabled))
        let info = try await client.creatorInfo()
        #expect(info.privacyLevelOptions == [.followerOfCreator, .mutualFollowFriends, .selfOnly])
        let request = DirectVideoInitRequest(postInfo: VideoPostInfo(privacyLevel: .selfOnly, disableDuet: true, disableStitch: true),
                                             sourceInfo: .fileUpload(videoSize: 1000, chunkSize: 1000, totalChunkCount: 1))
        _ = try await client.initDirectVideo(request)
        await #expect { _ = try await client.initDirectVideo(request) } throws: { ($0 as? TikTokError)?.kind == .api(.spamRiskTooManyPosts) }
        let bob = TikTokClient(accessToken: "bob", configuration: .init(baseURL: base, rateLimitPolicy: .disabled))
        await #expect { _ = try await bob.creatorInfo() } throws: {
            ($0 as? TikTokError)?.kind == .api(.spamRiskUserBannedFromPosting) && ($0 as? TikTokError)?.httpStatus == 200
        }
    }
}
