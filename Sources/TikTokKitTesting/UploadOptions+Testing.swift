public import Foundation
@_spi(Testing) public import TikTokKit

extension UploadOptions {
    /// These options with `sleep` in place of every real wait of the upload (retry backoff,
    /// status polling), so a test that scripts a 503 or a slow status runs at once and can record
    /// the waits it was asked for.
    ///
    /// ```swift
    /// let options = UploadOptions().sleeping { _ in try Task.checkCancellation() }
    /// ```
    ///
    /// `sleep` must throw `CancellationError` when its task is cancelled, as `Task.sleep` does.
    public func sleeping(_ sleep: @escaping @Sendable (Duration) async throws -> Void) -> UploadOptions {
        var options = self
        options.sleep = sleep
        return options
    }

    /// These options reading the wall clock from `now`: the upload URL's one-hour lifetime and the
    /// status polling deadline are measured on it, so a test can move an upload past its hour.
    public func clock(_ now: @escaping @Sendable () -> Date) -> UploadOptions {
        var options = self
        options.now = now
        return options
    }
}
