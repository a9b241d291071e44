import Foundation
internal import TikTokKit

/// One accepted TCP connection: reads requests, runs the handler, writes responses, until either
/// side closes it. Confined to its own thread.
final class Connection {
    /// The longest header section accepted (request line and fields).
    static let maxHeadBytes = 64 * 1024
    /// How long a closing connection keeps reading what the client still sends, so that the
    /// kernel does not answer unread data with a reset that destroys the final response.
    static let lingerMilliseconds: Int32 = 1000

    private let fd: Int32
    private let id: Int
    private let handler: HTTPServer.Handler
    private let state: ServerState
    private let limits: HTTPServer.Limits
    private let input: ReceiveBuffer

    init(fd: Int32, id: Int, handler: @escaping HTTPServer.Handler, state: ServerState, limits: HTTPServer.Limits) {
        self.fd = fd
        self.id = id
        self.handler = handler
        self.state = state
        self.limits = limits
        input = ReceiveBuffer(fd: fd)
        Socket.setTimeouts(fd, milliseconds: limits.readMilliseconds)
    }

    /// How the connection ends.
    private enum Ending {
        /// Close normally, after letting the client see everything sent.
        case close
        /// Close at once: nothing was sent that the client still has to read.
        case closeQuietly
        /// Send a TCP reset.
        case reset
    }

    /// Serves requests until the connection ends, then closes the socket.
    func run() {
        finish(serveRequests())
    }

    /// Answers `503` (the server is at its connection cap and no connection is idle), then closes.
    func refuse() {
        sendError(status: 503, reason: "the server is serving its maximum of \(limits.connectionCap) connections; try again",
                  extraHeaders: "Retry-After: 1\r\n")
        finish(.close)
    }

    private func finish(_ ending: Ending) {
        switch ending {
        case .reset:
            Socket.setAbortOnClose(fd)
        case .close:
            if !input.reachedEnd { lingerBeforeClose() }
        case .closeQuietly:
            break
        }
        state.closeConnection(fd)
    }

    private func serveRequests() -> Ending {
        while true {
            if input.buffered == 0, let ending = awaitNextRequest() { return ending }
            let head: RequestHead
            do {
                let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(limits.readMilliseconds) * 1_000_000
                switch try input.readHead(limit: Self.maxHeadBytes, deadline: deadline) {
                case .closed:
                    return .close
                case .tooLarge:
                    sendError(status: 431, reason: "header section larger than \(Self.maxHeadBytes) bytes")
                    return .close
                case .text(let text):
                    head = try RequestHead(parsing: text)
                }
            } catch let rejection as RequestHead.Rejection {
                sendError(status: rejection.status, reason: rejection.reason)
                return .close
            } catch let failure as HTTPServerError where failure.code == .timedOut {
                state.connectionTimedOut()
                guard input.buffered > 0 else { return .closeQuietly }
                sendError(status: 408, reason: "the header section did not arrive within \(limits.readTimeout)")
                return .close
            } catch {
                return .close   // The client went away mid-header.
            }
            if let ending = serve(head) { return ending }
        }
    }

    /// Waits, as an idle connection the cap may close, for the next request to begin; returns
    /// nil once it has, or how the connection ends (idle timeout, closed to make room, stopping).
    private func awaitNextRequest() -> Ending? {
        state.becameIdle(fd)
        let arrived = Socket.waitReadable(fd, milliseconds: limits.idleMilliseconds)
        guard state.becameBusy(fd) else { return .closeQuietly }
        guard arrived else {
            state.connectionTimedOut()
            return .closeQuietly
        }
        return nil
    }

    /// Runs one request; returns how the connection ends, or nil to read the next request.
    private func serve(_ head: RequestHead) -> Ending? {
        let body = BodyReader(framing: head.framing, expectsContinue: head.expectsContinue, input: input)
        let request = HTTPServerRequest(head: head, connectionID: id, body: body)
        let outcome = Result { try handler(request) }
        request.finish()
        state.requestHandled()

        let response: HTTPServerResponse
        switch outcome {
        case .success(let answer):
            response = answer
        case .failure(let failure as HTTPServerError) where failure.status != nil:
            // The body is refused, broken or stalled: answer at once, read no more of it.
            if failure.code == .timedOut { state.connectionTimedOut() }
            sendError(status: failure.status ?? 500, reason: failure.message)
            return .close
        case .failure(let error):
            response = HTTPServerResponse(status: 500, headers: ["Content-Type": "text/plain; charset=UTF-8"],
                                          body: Data("handler error: \(error)\n".utf8))
        }

        switch response.kind {
        case .reset:
            return .reset
        case .raw(let bytes):
            _ = Socket.sendAll(fd, bytes)
            return .close
        case .normal, .file:
            var keepAlive = head.keepAlive && !state.isStopping
                && !Self.tokens(response.headers.values(for: "Connection")).contains("close")
            if !body.isFinished {
                if body.awaitingContinue || body.closesInsteadOfDraining {
                    keepAlive = false   // The client will not send the body now, or it was refused unread.
                } else if (try? body.discardRest()) == nil {
                    keepAlive = false
                }
            }
            // A response the client did not take leaves nothing worth lingering for.
            guard send(response, to: head, keepAlive: keepAlive) else { return .closeQuietly }
            return keepAlive ? nil : .close
        }
    }

    /// A header value as it may go on the wire: control characters, which a handler may have
    /// copied from a request (a bare LF would split the header for a lenient reader), become
    /// spaces. Every response header passes here, whichever handler made it.
    static func fieldValue(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return value }
        return String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }

    private func send(_ response: HTTPServerResponse, to head: RequestHead, keepAlive: Bool) -> Bool {
        var text = "HTTP/1.1 \(response.status) \(HTTPServerResponse.reason(for: response.status))\r\n"
        for field in response.headers {
            switch field.name.lowercased() {
            case "content-length", "transfer-encoding", "connection": continue
            default: text += "\(field.name): \(Self.fieldValue(field.value))\r\n"
            }
        }
        let hasBody = head.method != "HEAD" && !(100..<200).contains(response.status)
            && response.status != 204 && response.status != 304
        var file: OpenFile?
        if case .file(let opened) = response.kind { file = opened }
        text += "Content-Length: \(file?.length ?? Int64(response.body.count))\r\n"
        text += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        var bytes = Data(text.utf8)
        if let file {
            return Socket.sendAll(fd, bytes) && (!hasBody || file.send(to: fd, pieceSize: HTTPServerResponse.filePieceSize))
        }
        guard hasBody, !response.body.isEmpty else { return Socket.sendAll(fd, bytes) }
        if response.body.count <= 64 * 1024 {
            bytes.append(response.body)
            return Socket.sendAll(fd, bytes)
        }
        return Socket.sendAll(fd, bytes) && Socket.sendAll(fd, response.body)
    }

    private func sendError(status: Int, reason: String, extraHeaders: String = "") {
        let body = "\(reason)\n"
        let text = "HTTP/1.1 \(status) \(HTTPServerResponse.reason(for: status))\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "\(extraHeaders)Connection: close\r\n\r\n\(body)"
        _ = Socket.sendAll(fd, Data(text.utf8))
    }

    /// Sends FIN, then reads and drops whatever the client still sends until it closes too (or
    /// a deadline passes). Closing with unread data would make the kernel send a reset, and the
    /// client could lose the response it has not read yet.
    private func lingerBeforeClose() {
        Socket.shutdown(fd, reading: false, writing: true)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.lingerMilliseconds) * 1_000_000
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline, Socket.waitReadable(fd, milliseconds: Int32(clamping: (deadline - now) / 1_000_000 + 1)) else { return }
            guard let bytes = try? input.take(upTo: Int.max), bytes.count > 0 else { return }
        }
    }

    private static func tokens(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces().lowercased() }
    }
}
