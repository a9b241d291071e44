import Foundation
import Testing
import TikTokKit

/// A TLS peer with a self-signed certificate for 127.0.0.1: the handshake itself works, and the
/// transports must still refuse it (no `insecure` switch exists).
@Suite("Self-signed TLS")
struct SelfSignedTLSTests {
    @Test(arguments: TransportKind.available)
    func aSelfSignedCertificateIsRefusedAsTLS(kind: TransportKind) async throws {
        let peer = try await SelfSignedPeer.start()
        defer { peer.stop() }
        let client = TikTokClient(accessToken: "act.TLS-TOKEN-1", openID: "tls-user", transport: kind.make(stallTimeout: .seconds(5)),
                                  configuration: .init(baseURL: URL(string: "https://127.0.0.1:\(peer.port)")!,
                                                       rateLimitPolicy: .disabled, requestTimeout: .seconds(10)))
        // `s_server` may take a moment to listen: a refused connection is retried, nothing else.
        var outcome: TikTokError?
        for _ in 0..<100 {
            do {
                _ = try await client.creatorInfo()
                Issue.record("a self-signed certificate was accepted")
                return
            } catch let error as TikTokError where error.kind == .transport(.connectionRefused) {
                try await Task.sleep(for: .milliseconds(50))
            } catch let error as TikTokError {
                outcome = error
                break
            }
        }
        #expect(outcome?.kind == .transport(.tls), "got \(String(describing: outcome))")
        #expect(outcome.map { !$0.description.contains("TLS-TOKEN") } ?? true)
    }
}

/// `openssl s_server` with a throwaway self-signed certificate, in a temporary directory.
private final class SelfSignedPeer: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let directory: URL

    private init(port: Int, process: Process, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    static func start() async throws -> SelfSignedPeer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        let made = try await run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                  "-days", "1", "-subj", "/CN=127.0.0.1"])
        guard made == 0 else {
            try? FileManager.default.removeItem(at: directory)
            throw POSIXError(.ENOENT)
        }
        let port = try unusedPort()
        let server = try process(["s_server", "-quiet", "-www", "-accept", "\(port)", "-cert", certificate, "-key", key])
        try server.run()
        return SelfSignedPeer(port: port, process: server, directory: directory)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func process(_ arguments: [String]) throws -> Process {
        let process = Process()
        guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
            .first(where: FileManager.default.isExecutableFile(atPath:)) else {
            Issue.record("the openssl command line is needed (make deps installs it)")
            throw POSIXError(.ENOENT)
        }
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
    }

    /// Runs openssl to the end, awaited through its termination handler (no thread is blocked).
    private static func run(_ arguments: [String]) async throws -> Int32 {
        let process = try process(arguments)
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
    }
}
