import Foundation
public import TikTokKit

extension FakeTransport {
    /// What the fake answers one request with: a response, or an error thrown from `send`,
    /// optionally after a delay.
    ///
    /// ```swift
    /// fake.enqueue(.get, "/v2/user/info/", .json(status: 200, #"{"data":{},"error":{"code":"ok"}}"#))
    /// fake.enqueue(.put, "/video/", .status(206, headers: ["Range": "bytes=0-4999999"]))
    /// fake.enqueue(.put, "/video/", .error(TransportError(.connectionReset, "reset")))
    /// fake.enqueue(.put, "/video/", .delayed(by: .seconds(30), .status(201)))
    /// ```
    public struct Reply: Sendable {
        enum Outcome: Sendable {
            case response(TikTokHTTPResponse)
            case failure(any Error)
        }

        /// How long `send` sleeps before answering.
        let delay: Duration
        /// What `send` answers with once the delay has passed.
        let outcome: Outcome

        /// Answers with `response` as given.
        public static func response(_ response: TikTokHTTPResponse) -> Reply {
            Reply(delay: .zero, outcome: .response(response))
        }

        /// Answers with a JSON body.
        ///
        /// - Parameters:
        ///   - status: The status code; 200 by default.
        ///   - headers: Extra header fields. `Content-Type: application/json` is added unless
        ///     `headers` already has a `Content-Type`.
        ///   - json: The body, sent as UTF-8. It is not checked: malformed JSON is a fine way
        ///     to test a decoder's error path.
        public static func json(status: Int = 200, headers: TikTokHTTPHeaders = [:], _ json: String) -> Reply {
            var headers = headers
            if !headers.contains("Content-Type") {
                headers["Content-Type"] = "application/json"
            }
            return .response(TikTokHTTPResponse(status: status, headers: headers, body: Data(json.utf8)))
        }

        /// Answers with a status code, the given headers and an empty body.
        ///
        /// - Parameters:
        ///   - code: The status code, such as 201 or 206.
        ///   - headers: The response's header fields; none by default.
        public static func status(_ code: Int, headers: TikTokHTTPHeaders = [:]) -> Reply {
            .response(TikTokHTTPResponse(status: code, headers: headers))
        }

        /// Makes `send` throw `error` instead of returning a response, as a real transport does
        /// when no response arrives. Use a ``TransportError`` to act like one:
        /// `.error(TransportError(.timedOut, "timed out"))`.
        public static func error(_ error: any Error) -> Reply {
            Reply(delay: .zero, outcome: .failure(error))
        }

        /// Answers with `reply` after sleeping for `delay`, for testing timeouts and cancellation.
        ///
        /// The sleep honours task cancellation: cancelling the calling task while it waits makes
        /// `send` throw `CancellationError` at once. Upload progress is reported before the sleep,
        /// as if the body had gone out and the server were slow to answer.
        ///
        /// - Parameters:
        ///   - delay: How long to wait; added to any delay `reply` already has.
        ///   - reply: The reply to give once the delay has passed.
        public static func delayed(by delay: Duration, _ reply: Reply) -> Reply {
            Reply(delay: reply.delay + delay, outcome: reply.outcome)
        }

        /// Sleeps for the delay, then returns the response or throws the error.
        func resolve() async throws -> TikTokHTTPResponse {
            if delay > .zero {
                try await Task.sleep(for: delay)
            }
            switch outcome {
            case .response(let response): return response
            case .failure(let error): throw error
            }
        }
    }
}
