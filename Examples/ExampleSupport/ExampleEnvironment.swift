// Shared plumbing for the example programs: where the token and API come from, a progress bar,
// and how failures are printed. The examples themselves stay short.
public import Foundation
public import TikTokKit
public import TikTokSandbox

/// The API an example talks to: TikTok (with a token from the environment or the token file), a
/// base URL from `TIKTOK_API_BASE_URL`, or — with neither — an embedded `TikTokEmulator`.
public struct ExampleEnvironment: Sendable {
    /// The client to use.
    public let client: TikTokClient
    /// Keeps the embedded emulator running while the example runs.
    public let emulator: TikTokEmulator?

    /// Reads `TIKTOK_ACCESS_TOKEN` (or `~/.tiktokkit/token`) and `TIKTOK_API_BASE_URL`;
    /// `TIKTOK_SANDBOX=1` forces the embedded sandbox whatever else is set.
    public static func fromProcess(program: String) throws -> ExampleEnvironment {
        let environment = ProcessInfo.processInfo.environment
        let forceSandbox: Bool
        switch environment["TIKTOK_SANDBOX"] ?? "" {
        case "1": forceSandbox = true
        case "", "0": forceSandbox = false
        default: throw ExampleFailure("TIKTOK_SANDBOX must be 1 (use the embedded sandbox) or 0; nothing was sent")
        }
        let token = forceSandbox ? nil : try environment["TIKTOK_ACCESS_TOKEN"].flatMap {
            $0.isEmpty ? nil : try checkedToken($0, from: "TIKTOK_ACCESS_TOKEN")
        } ?? (try storedToken())
        let base = forceSandbox ? nil : try environment["TIKTOK_API_BASE_URL"].flatMap { $0.isEmpty ? nil : try baseURL(parsing: $0) }
        if token == nil && base == nil {
            let emulator = try TikTokEmulator(accessToken: "sandbox-token")
            embeddedEmulators.keep(emulator)
            let reason = forceSandbox ? "TIKTOK_SANDBOX=1" : "no TIKTOK_ACCESS_TOKEN or TIKTOK_API_BASE_URL"
            printNow("\(program): \(reason); using the embedded TikTok sandbox at \(emulator.baseURL.absoluteString)")
            return ExampleEnvironment(client: TikTokClient(accessToken: "sandbox-token", configuration: .init(baseURL: emulator.baseURL)),
                                      emulator: emulator)
        }
        guard let token else {
            throw ExampleFailure("set TIKTOK_ACCESS_TOKEN (or run tiktok-login) to call \(base?.absoluteString ?? "TikTok")")
        }
        let configuration = TikTokClient.Configuration(baseURL: base ?? TikTokClient.Configuration.productionBaseURL)
        return ExampleEnvironment(client: TikTokClient(accessToken: token, configuration: configuration), emulator: nil)
    }

    /// An access token as given, or a refusal naming where it came from: a token with spaces, line
    /// breaks or control characters (a pasted `echo`, a file with two lines) would be refused by
    /// TikTok — or be a header injection — so it is refused before any request. Never echoed.
    static func checkedToken(_ token: String, from source: String) throws -> String {
        guard isPrintableCredential(token) else {
            throw ExampleFailure("\(source) holds spaces, line breaks or other characters no TikTok token has; nothing was sent")
        }
        return token
    }

    /// Whether `value` is a plausible token, key or secret: non-empty printable ASCII, no spaces.
    public static func isPrintableCredential(_ value: String) -> Bool {
        !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }

    /// Parses `TIKTOK_API_BASE_URL` strictly: a malformed value (a stray space, no scheme, no host,
    /// credentials, a query) is refused by name, never silently replaced by TikTok's production API.
    public static func baseURL(parsing text: String, named name: String = "TIKTOK_API_BASE_URL") throws -> URL {
        let problem: String?
        if text != text.trimmingCharacters(in: .whitespacesAndNewlines) {
            problem = "has spaces around it"
        } else if let url = URL(string: text), let scheme = url.scheme?.lowercased() {
            if scheme != "http" && scheme != "https" {
                problem = "must start with https:// (or http:// for a local sandbox)"
            } else if url.host?.isEmpty ?? true {
                problem = "has no host"
            } else if url.user != nil || url.password != nil {
                problem = "must not carry credentials"
            } else if url.query != nil || url.fragment != nil {
                problem = "must not have a query or fragment"
            } else {
                return url
            }
        } else {
            problem = "is not a URL with a scheme, such as https://open.tiktokapis.com"
        }
        throw ExampleFailure("\(name) \(problem ?? "is not usable"); nothing was sent")
    }

    /// The upload journal to use: `directory` (default `~/.tiktokkit/uploads`) — except with the
    /// embedded sandbox, which lives only as long as this process, so its uploads cannot be resumed
    /// by a later run: those get a journal of their own in a temporary directory, removed when the
    /// program exits.
    public func journal(directory: URL?) throws -> FileUploadJournal {
        if emulator != nil {
            atexit { try? FileManager.default.removeItem(at: ExampleEnvironment.sandboxJournalDirectory) }
            return try FileUploadJournal(directory: Self.sandboxJournalDirectory)
        }
        return try FileUploadJournal(directory: directory ?? FileUploadJournal.defaultDirectory)
    }

    /// Where the embedded sandbox's uploads are journaled (this process only).
    static let sandboxJournalDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("tiktokkit-sandbox-journal-\(ProcessInfo.processInfo.processIdentifier)")

    /// The token file `tiktok-login` writes: `TIKTOK_TOKEN_FILE` when set (tests use it, as
    /// Foundation on Linux ignores `HOME`), else `~/.tiktokkit/token`.
    public static var tokenFile: URL {
        if let path = ProcessInfo.processInfo.environment["TIKTOK_TOKEN_FILE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".tiktokkit/token")
    }

    /// Embedded emulators live until the process exits: a client often outlives the environment
    /// it came from (`let client = try ExampleEnvironment.fromProcess(program: p).client`), and
    /// dropping the emulator would stop its server under that client.
    private static let embeddedEmulators = KeptAlive()

    private final class KeptAlive: @unchecked Sendable {
        private let lock = NSLock()
        private var emulators: [TikTokEmulator] = []
        func keep(_ emulator: TikTokEmulator) { lock.withLock { emulators.append(emulator) } }
    }

    private static func storedToken() throws -> String? {
        guard let text = try? String(contentsOf: tokenFile, encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : try checkedToken(token, from: tokenFile.path)
    }
}

/// A usage problem, printed as is.
public struct ExampleFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The help lines of the journal options `publish-draft` and `direct-post` share.
public let journalOptionsHelp = """
  --journal DIR       where interrupted uploads are remembered (default ~/.tiktokkit/uploads,
                      or $XDG_STATE_HOME/tiktokkit/uploads)
  --retry-unconfirmed-init
                      start a new upload although an earlier run stopped after sending its
                      init without learning the answer (check the creator's inbox or profile
                      first: TikTok may already hold that upload)

An interrupted upload resumes on the next run; one whose upload URL expired (after an hour)
is restarted with one fresh init.
"""

/// Draws upload progress: a bar on a terminal, plain lines otherwise.
public final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var announcedPublishID = false
    private var lastLine = ""

    public init() {}

    public func show(_ step: UploadProgress) {
        lock.lock()
        defer { lock.unlock() }
        if let publishID = step.publishID, !announcedPublishID {
            announcedPublishID = true
            endBar()
            if let offset = step.resumedFrom {
                printNow("resuming upload \(publishID) from byte \(offset) of \(step.totalBytes) (no new init)")
            }
            printNow("publish ID: \(publishID)")
        }
        let percent = Int(step.fractionCompleted * 100)
        if isTerminal {
            let width = 30
            let filled = Int(step.fractionCompleted * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let status = step.status.map { " \($0)" } ?? ""
            print("\r\(step.phase.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(bar) \(percent)%\(status)   ",
                  terminator: "")
            fflush(nil)   // flushes every output stream, stdout included
            lastLine = "bar"
        } else {
            // Plain lines: one per phase or status change, and one per 10 % while uploading.
            let line = "\(step.phase.rawValue) \(percent / 10 * 10)%" + (step.status.map { " \($0)" } ?? "")
            if line != lastLine {
                printNow(line + (step.chunkCount > 0 && step.phase == .uploading ? " (chunk \(step.chunkIndex + 1)/\(step.chunkCount))" : ""))
                lastLine = line
            }
        }
    }

    /// Ends the bar line before other output.
    public func endBar() {
        if isTerminal && lastLine == "bar" { print(""); lastLine = "" }
    }
}

/// Prints a failure the way every example does, and returns the exit code.
public func report(_ error: any Error, program: String) -> Int32 {
    if let error = error as? TikTokError {
        var lines = ["\(program): failed: \(error.code)" + (error.message.isEmpty ? "" : " — \(error.message)")]
        if let logID = error.logID { lines.append("  log_id: \(logID)") }
        if let publishID = error.publishID { lines.append("  publish_id: \(publishID)") }
        lines.append("  what to do: \(error.advice)")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    } else {
        FileHandle.standardError.write(Data("\(program): \(error)\n".utf8))
    }
    return 1
}

