internal import TikTokKit

/// A parsed request line and header section (RFC 9112 §3, §5, §6).
struct RequestHead {
    /// Why a header section was rejected, as the status to answer with.
    struct Rejection: Error {
        let status: Int
        let reason: String
    }

    /// How the body is delimited.
    enum Framing {
        case length(Int64)
        case chunked
    }

    let method: String
    let target: String
    let version: String
    let headers: TikTokHTTPHeaders
    let framing: Framing
    let keepAlive: Bool
    let expectsContinue: Bool

    init(parsing text: String) throws(Rejection) {
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)[...]
        guard let requestLine = lines.popFirst() else { throw Rejection(status: 400, reason: "empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, Self.isToken(parts[0]), !parts[1].isEmpty,
              !parts[1].contains(where: { $0.isWhitespace || $0.asciiValue == nil })
        else { throw Rejection(status: 400, reason: "malformed request line") }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            throw parts[2].hasPrefix("HTTP/")
                ? Rejection(status: 505, reason: "unsupported version \(parts[2])")
                : Rejection(status: 400, reason: "malformed request line")
        }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])

        var headers = TikTokHTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), Self.isToken(line[..<colon]) else {
                throw Rejection(status: 400, reason: "malformed header line")
            }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.add(name: String(line[..<colon]), value: value)
        }
        self.headers = headers

        let transferCodings = Self.tokens(headers.values(for: "Transfer-Encoding"))
        let lengths = Set(headers.values(for: "Content-Length").flatMap { $0.split(separator: ",").map { $0.trimmingSpaces() } })
        if !transferCodings.isEmpty {
            // Both headers at once is how requests get smuggled past proxies; refuse it.
            guard lengths.isEmpty else { throw Rejection(status: 400, reason: "both Transfer-Encoding and Content-Length") }
            // Only chunked is decoded; another coding (gzip, say) is one this server does not
            // implement (RFC 9112 §6.1), and chunked twice is no valid framing.
            if let unknown = transferCodings.first(where: { $0 != "chunked" }) {
                throw Rejection(status: 501, reason: "unsupported Transfer-Encoding \(unknown)")
            }
            guard transferCodings.count == 1 else { throw Rejection(status: 400, reason: "chunked applied more than once") }
            framing = .chunked
        } else if let length = lengths.first {
            guard lengths.count == 1, !length.isEmpty, length.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let value = Int64(length)
            else { throw Rejection(status: 400, reason: "invalid Content-Length") }
            framing = .length(value)
        } else {
            framing = .length(0)
        }

        let connection = Self.tokens(headers.values(for: "Connection"))
        keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
        expectsContinue = version == "HTTP/1.1" && headers["Expect"]?.lowercased() == "100-continue"
    }

    /// Lowercased, comma-separated list elements across every value.
    private static func tokens(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
    }

    /// Whether `text` is a non-empty RFC 9110 token (method or field name).
    private static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
            case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
                 UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
            default: false
            }
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
