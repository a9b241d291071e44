import TikTokKit

/// Everything a `FakeTransport` has been told to answer, and everything it was asked.
struct Script: Sendable {
    /// A scripted reply in a route's queue.
    struct Queued: Sendable {
        let reply: FakeTransport.Reply
        /// Whether this reply keeps answering while it is the last one in its queue.
        let repeats: Bool
    }

    /// Who answers a request, chosen in the order ``FakeTransport`` documents.
    enum Answer: Sendable {
        case reply(FakeTransport.Reply)
        case handler(FakeTransport.Handler)
        case nobody
    }

    var recorded: [FakeTransport.RecordedRequest] = []
    var routeQueues: [Route: [Queued]] = [:]
    var routeHandlers: [Route: FakeTransport.Handler] = [:]
    var globalQueue: [FakeTransport.Reply] = []
    var fallback: FakeTransport.Handler?

    /// Picks the answer for a request on `route`, consuming a queued reply if one is used.
    mutating func answer(for route: Route) -> Answer {
        if let queue = routeQueues[route], let first = queue.first {
            if queue.count == 1 && first.repeats {
                return .reply(first.reply)
            }
            routeQueues[route] = Array(queue.dropFirst())
            return .reply(first.reply)
        }
        if let handler = routeHandlers[route] {
            return .handler(handler)
        }
        if !globalQueue.isEmpty {
            return .reply(globalQueue.removeFirst())
        }
        if let fallback {
            return .handler(fallback)
        }
        return .nobody
    }
}
