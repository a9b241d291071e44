import Foundation

/// Decodes one request body, delimited by `Content-Length` or chunked, from the connection's
/// receive buffer, and answers `Expect: 100-continue` on the first read.
final class BodyReader {
    private let input: ReceiveBuffer
    private let isChunked: Bool
    /// Bytes left in the whole body (length framing) or in the current chunk (chunked).
    private var remaining: Int64
    /// Whether the client is still waiting for `100 Continue` before it sends the body.
    private(set) var awaitingContinue: Bool
    /// Whether the current chunk's data has been read but not the CRLF after it.
    private var chunkDataEnded = false
    /// Whether every byte of the body, and its chunked trailer, has been consumed.
    private(set) var isFinished: Bool

    init(framing: RequestHead.Framing, expectsContinue: Bool, input: ReceiveBuffer) {
        self.input = input
        switch framing {
        case .length(let length):
            isChunked = false
            remaining = length
            isFinished = length == 0
        case .chunked:
            isChunked = true
            remaining = 0
            isFinished = false
        }
        awaitingContinue = expectsContinue && !isFinished
    }

    /// Whether the handler refused the body by its declared length, before reading it.
    private var isRefused = false

    /// The most bytes of a refused body the server reads to keep the connection: a client may
    /// have sent a small one already, but a large one is not worth waiting for.
    static let refusedDrainLimit: Int64 = 64 * 1024

    /// The connection's socket.
    var fd: Int32 { input.fd }

    /// Records that the handler refused the body unread because its declared length is over the
    /// handler's limit.
    func refuse() { isRefused = true }

    /// Whether the server should close the connection rather than read the rest of the body.
    var closesInsteadOfDraining: Bool { isRefused && !isChunked && remaining > Self.refusedDrainLimit }

    /// Makes the first read not answer `Expect: 100-continue`, as a peer that ignores it would.
    func withholdContinue() { awaitingContinue = false }

    /// Passes the next at most `maxCount` body bytes to `sink`; returns their count, 0 at the end.
    func read(upTo maxCount: Int, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard let wanted = try prepareToRead(upTo: maxCount) else { return 0 }
        let bytes = try input.take(upTo: wanted)
        didRead(bytes.count)
        try sink(bytes)
        return bytes.count
    }

    /// Reads and drops the rest of the body without copying it; returns how many bytes that was.
    func discardRest() throws -> Int64 {
        var total: Int64 = 0
        while let wanted = try prepareToRead(upTo: Int.max) {
            let count = try input.discard(upTo: wanted)
            didRead(count)
            total += Int64(count)
        }
        return total
    }

    /// Sends `100 Continue` and crosses chunk boundaries as needed; returns how many bytes may be
    /// read next (at least 1), or nil at the end of the body.
    private func prepareToRead(upTo maxCount: Int) throws -> Int? {
        guard !isFinished, maxCount > 0 else { return nil }
        if awaitingContinue {
            awaitingContinue = false
            guard Socket.sendAll(input.fd, Self.continueLine) else { throw HTTPServerError.disconnected }
        }
        if isChunked, remaining == 0 {
            if chunkDataEnded {
                chunkDataEnded = false
                guard try input.readLine(limit: 2).isEmpty else {
                    throw HTTPServerError(.malformedBody, "chunk data not followed by CRLF")
                }
            }
            try startChunk()
            if isFinished { return nil }
        }
        return Int(clamping: min(Int64(maxCount), remaining))
    }

    private func didRead(_ count: Int) {
        remaining -= Int64(count)
        if remaining == 0 {
            // The CRLF after chunk data is read on the next call: reading it now could refill the
            // buffer under bytes not yet handed out, or block when the client has not sent it yet.
            if isChunked { chunkDataEnded = true } else { isFinished = true }
        }
    }

    /// Reads a chunk-size line (RFC 9112 §7.1); for the last chunk, also the trailer section.
    private func startChunk() throws(HTTPServerError) {
        let line = try input.readLine(limit: 4096)
        let sizeText = line.prefix { $0 != ";" }.trimmingSpaces()
        guard !sizeText.isEmpty, sizeText.utf8.count <= 15, let size = Int64(sizeText, radix: 16), size >= 0,
              sizeText.allSatisfy(\.isHexDigit)
        else { throw HTTPServerError(.malformedBody, "invalid chunk size line") }
        if size == 0 {
            while try !input.readLine(limit: 8192).isEmpty {}
            isFinished = true
        }
        remaining = size
    }

    private static let continueLine = Data("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
