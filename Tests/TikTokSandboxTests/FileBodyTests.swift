import Foundation
import Testing
import TikTokKit
import TikTokSandbox

/// Responses streamed from a file (`HTTPServerResponse.file`), and the emulator's `/files/NAME`.
@Suite struct FileBodyTests {
    /// A sparse file of `size` zero bytes: instant to make, whatever its size.
    static func sparseFile(_ url: URL, size: UInt64) throws {
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.truncate(atOffset: size)
    }

    static func write(_ bytes: Data, into url: URL, at offset: UInt64) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: bytes)
    }

    @Test func fileBodyArrivesExactlyInManyPiecesAndHEADGetsOnlyItsLength() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path("pattern.bin")
        let payload = patternBytes(3 * HTTPServerResponse.filePieceSize + 12_345)
        try payload.write(to: file)
        let server = try HTTPServer { _ in try .file(file, headers: ["Content-Type": "application/octet-stream"]) }
        defer { server.shutdown() }

        let client = try RawClient(port: server.port)
        try await client.send("HEAD /f HTTP/1.1\r\n\r\nGET /f HTTP/1.1\r\n\r\nGET /f HTTP/1.1\r\n\r\n")
        let head = try await client.receiveResponse(forHEAD: true)
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == "\(payload.count)")
        #expect(head.body.isEmpty)
        // Two GETs right behind it prove no body followed the HEAD, and each body was whole.
        for _ in 0..<2 {
            let get = try await client.receiveResponse()
            #expect(get.headers["Content-Type"] == "application/octet-stream")
            #expect(get.body == payload)
        }
        #expect(server.acceptedConnectionCount == 1)
    }

    @Test func aFileThatCannotBeReadIsTheHandlersToAnswer() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        for url in [scratch.path("missing"), scratch.url] {
            #expect {
                _ = try HTTPServerResponse.file(url)
            } throws: { error in
                (error as? HTTPServerError)?.code == .fileUnreadable
            }
        }
    }

    /// The emulator's `/files/NAME` reads the file as it sends it: bytes written to the end of the
    /// file after the request was answered (while the client has read only the head) arrive.
    /// A copy taken in memory when the request arrived would hold zeros there.
    @Test func emulatorStreamsServedFilesFromDisk() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path("big.bin")
        let size = 64 << 20
        try Self.sparseFile(file, size: UInt64(size))
        let emulator = try TikTokEmulator(accessToken: "t")
        defer { emulator.shutdown() }
        emulator.serve(file, as: "big.bin")

        let client = try RawClient(port: UInt16(emulator.baseURL.port ?? 0), receiveBuffer: 64 * 1024)
        try await client.send("HEAD /files/big.bin HTTP/1.1\r\n\r\n")
        let onlyHead = try await client.receiveResponse(forHEAD: true)
        #expect(onlyHead.status == 200)
        #expect(onlyHead.headers["Content-Length"] == "\(size)")
        try await client.send("GET /files/big.bin HTTP/1.1\r\n\r\n")
        let head = try await client.receiveResponse(forHEAD: true)
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == "\(size)")
        let marker = Data("written after the answer began".utf8)
        try Self.write(marker, into: file, at: UInt64(size - marker.count))

        let rest = try await client.receive(count: size, keepingLast: marker.count)
        #expect(rest.count == size)
        #expect(rest.tail == marker)
    }

    @Test func aFileThatShrinksWhileSentEndsTheConnectionShort() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let file = scratch.path("shrinking.bin")
        let size = 64 << 20
        try Self.sparseFile(file, size: UInt64(size))
        let server = try HTTPServer { _ in try .file(file) }
        defer { server.shutdown() }

        let client = try RawClient(port: server.port, receiveBuffer: 64 * 1024)
        try await client.send("GET /f HTTP/1.1\r\n\r\n")
        #expect(try await client.receiveResponse(forHEAD: true).headers["Content-Length"] == "\(size)")
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 1 << 20)
        try handle.close()

        let rest = try await client.receive(count: size, keepingLast: 0)
        #expect(rest.count < size)
        #expect(try await client.isClosedByServer())
    }
}
