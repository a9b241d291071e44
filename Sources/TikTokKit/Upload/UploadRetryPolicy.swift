import Foundation

/// How failed chunk uploads are retried: exponential backoff with full jitter, honouring
/// `Retry-After`.
///
/// Attempt *n* (from 1) waits a random duration in `0...min(maxDelay, baseDelay × 2^(n-1))`;
/// when the server sent `Retry-After`, that wait is used instead (capped at ``maxRetryAfter``).
public struct UploadRetryPolicy: Sendable, Hashable {
    /// Tries per chunk, the first included. 1 means no retries.
    public var maxAttempts: Int
    /// The backoff's first ceiling.
    public var baseDelay: Duration
    /// The largest backoff ceiling.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured.
    public var maxRetryAfter: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                maxRetryAfter: Duration = .seconds(120)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Six tries, 0.5 s doubling up to 30 s.
    public static let `default` = UploadRetryPolicy()
    /// No retries.
    public static let none = UploadRetryPolicy(maxAttempts: 1)

    /// The wait before retry number `attempt` (1 for the first retry).
    public func delay(beforeRetry attempt: Int, retryAfter: Duration?,
                      using generator: inout some RandomNumberGenerator) -> Duration {
        if let retryAfter { return min(retryAfter, maxRetryAfter) }
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return .nanoseconds(Int64.random(in: 0...max(0, ceiling.inNanoseconds), using: &generator))
    }
}
