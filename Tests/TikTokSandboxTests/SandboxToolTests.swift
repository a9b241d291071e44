import Foundation
import Testing

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
        for option in ["--port", "--token", "--unaudited", "--verified-prefix", "--processing-delay", "--upload-url-ttl",
                       "--fault-rate", "--endpoint-fault", "--seed", "--store", "--max-duration", "--serve", "--exit-with-parent"] {
            #expect(run.output.contains("  \(option)"), "\(option) is not documented")
        }
    }

    @Test func firstLineIsTheBaseURLAndAnUnknownOptionIsRefused() async throws {
        let executable = try #require(Self.executable)
        let bad = try await ChildProcess.run(executable, arguments: ["--no-such-option"], environment: ProcessInfo.processInfo.environment)
        #expect(bad.status == 2)
        #expect(bad.errors.contains("--no-such-option"))

        let sandbox = try ChildProcess(executable, arguments: ["--token", "tool-test"], environment: ProcessInfo.processInfo.environment)
        defer { sandbox.kill() }
        #expect(await sandbox.waitForOutput(timeout: .seconds(30)) { $0.contains("\n") })
        let first = sandbox.outputSoFar.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("http://127.0.0.1:"), "first line: \(first)")
        sandbox.kill(SIGTERM)
        _ = await sandbox.outcome()
    }
}
