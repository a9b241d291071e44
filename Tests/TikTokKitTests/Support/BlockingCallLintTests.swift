import Foundation
import Testing

/// Swift's cooperative pool has one thread per core (two on CI) and never replaces a blocked
/// one, so a call that waits (a child process, a pipe, a sleep, a semaphore, a socket) on a pool
/// thread slows every test and every task beside it. This check reads the package's own sources,
/// tests and examples and refuses such a call unless its line says why it is safe:
/// `// blocking-ok: <why>` (it runs on a thread of its own, or lasts a moment), or the file says
/// `blocking-ok-file: <why>` once. Async code hands blocking work to `onOwnThread`.
@Suite("Blocking calls")
struct BlockingCallLintTests {
    /// Calls that wait, with what to use instead.
    static let rules: [(pattern: String, instead: String)] = [
        (#"waitUntilExit\("#, "a terminationHandler that resumes a continuation"),
        (#"readDataToEndOfFile\(|readToEnd\(|\.availableData\b"#, "a reader on a thread of its own (onOwnThread)"),
        (#"Thread\.sleep\(|\busleep\(|(?<![\w.])sleep\(\d"#, "try await Task.sleep(for:)"),
        (#"DispatchSemaphore|DispatchGroup\(\)"#, "a continuation, or polling with Task.sleep"),
        (#"(?<!await )\b[\w.]+\.wait\((timeout:[^)]*)?\)"#, "an async wait"),
        (#"curl_easy_perform\(|curl_multi_poll\(|curl_multi_wait\("#, "the transport's agent thread"),
        (#"(?<![\w.])(recv|accept|poll|select|connect)\(\s*\w+\s*,"#, "a socket thread of its own"),
    ]

    static var packageRoot: URL {
        // Tests/TikTokKitTests/Support/BlockingCallLintTests.swift → the package root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every `.swift` file under `Sources`, `Tests`, `Examples` and the other packages' folders.
    static func swiftFiles() -> [URL] {
        let skip: Set<String> = [".build", ".git", "Package.swift"]
        var found: [URL] = []
        for folder in ["Sources", "Tests", "Examples", "Benchmarks", "Fuzz"] {
            let root = packageRoot.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker {
                if url.lastPathComponent.hasPrefix(".build") || skip.contains(url.lastPathComponent) {
                    walker.skipDescendants()
                    continue
                }
                if url.pathExtension == "swift", url.lastPathComponent != "BlockingCallLintTests.swift" { found.append(url) }
            }
        }
        return found
    }

    /// The blocking calls in `source` that carry no reason, as "line: text (use …)".
    static func violations(in source: String) throws -> [String] {
        if source.contains("blocking-ok-file:") { return [] }
        let rules = try Self.rules.map { (try NSRegularExpression(pattern: $0.pattern), $0.instead) }
        var found: [String] = []
        for (number, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.trimmingCharacters(in: .whitespaces)
            if code.hasPrefix("//") || line.contains("blocking-ok:") { continue }
            let text = String(line)
            for (regex, instead) in rules where regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                found.append("\(number + 1): \(code) (use \(instead), or say why with // blocking-ok:)")
            }
        }
        return found
    }

    @Test func noUnexplainedBlockingCallsInThePackage() throws {
        let files = Self.swiftFiles()
        #expect(files.count > 50, "the sources were not found under \(Self.packageRoot.path)")
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            for violation in try Self.violations(in: source) {
                Issue.record("\(file.path.replacingOccurrences(of: Self.packageRoot.path + "/", with: "")):\(violation)")
            }
        }
    }

    @Test func theCheckCatchesTheCallsThatStarvedTheSuite() throws {
        // The calls that made `make test` fail on a 2-core machine, and some relatives.
        let blocking = [
            "let out = output.fileHandleForReading.readDataToEndOfFile()",
            "process.waitUntilExit()",
            "Thread.sleep(forTimeInterval: 0.1)",
            "#expect(started.wait())",
            "let semaphore = DispatchSemaphore(value: 0)",
            "semaphore.wait(timeout: .now() + 5)",
            "let got = recv(fd, &buffer, buffer.count, 0)",
            "let data = handle.availableData",
        ]
        for line in blocking {
            #expect(try Self.violations(in: line).count == 1, "\(line)")
        }
        let fine = [
            "try await Task.sleep(for: .milliseconds(10))",
            "#expect(await started.wait())",
            "let result = try await poller.wait(for: id, goal: goal)",
            "Thread.sleep(forTimeInterval: 5)   // blocking-ok: a handler runs on its connection's thread",
            "/// `Process.waitUntilExit()` blocks the calling thread",
            "let bytes = try request.read(upTo: 1 << 20)",
        ]
        for line in fine {
            #expect(try Self.violations(in: line).isEmpty, "\(line)")
        }
    }
}
