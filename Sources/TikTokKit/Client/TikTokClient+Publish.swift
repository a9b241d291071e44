public import Foundation

extension TikTokClient {
    /// Uploads a video to the creator's TikTok inbox as a draft, by FILE_UPLOAD, and waits until
    /// TikTok has delivered it (``PublishStatus/sendToUserInbox``).
    ///
    /// ```swift
    /// let result = try await client.publishDraft(file: URL(fileURLWithPath: "clip.mp4"))
    /// print(result.publishID, result.status)
    /// ```
    ///
    /// - Parameters:
    ///   - file: An MP4, QuickTime or WebM video of at most 4 GiB, streamed from disk in chunks.
    ///   - options: Chunk size, retries, journal for resuming, polling.
    ///   - progress: Called with each progress step (the publish ID appears as soon as init returns).
    /// - Throws: ``TikTokError``; after init it carries ``TikTokError/publishID``.
    @discardableResult
    public func publishDraft(file: URL, options: UploadOptions = UploadOptions(),
                             progress: (@Sendable (UploadProgress) -> Void)? = nil) async throws -> PublishResult {
        try await upload(file: file, to: .inbox, options: options, progress: progress)
    }

    /// Posts a video straight to the creator's profile by FILE_UPLOAD, after checking it against
    /// the creator's info (privacy options, disabled interactions, maximum duration), and waits
    /// until TikTok reports ``PublishStatus/publishComplete``.
    @discardableResult
    public func publishVideo(file: URL, post: VideoPostInfo, options: UploadOptions = UploadOptions(),
                             progress: (@Sendable (UploadProgress) -> Void)? = nil) async throws -> PublishResult {
        try await upload(file: file, to: .direct(post), options: options, progress: progress)
    }

    /// Posts a video that TikTok downloads from `source` (PULL_FROM_URL), and waits for the outcome.
    ///
    /// Prefer ``publishVideo(file:post:options:progress:)``: PULL_FROM_URL works only for https
    /// URLs on a domain or URL prefix the app verified in the developer portal (otherwise
    /// `url_ownership_unverified`), must not redirect, must stay reachable for TikTok's download
    /// (which times out after an hour), and fails late and quietly when it cannot be fetched.
    /// FILE_UPLOAD needs none of that.
    ///
    /// `progress` receives the publish ID as soon as init returns (phase `initializing`), then
    /// each status while TikTok downloads and processes (phase `processing`).
    ///
    /// A ``MediaURL`` is https (a file URL cannot be one), so a local file fails when the
    /// `MediaURL` is made, before any call; use ``publishVideo(file:post:options:progress:)`` for it.
    @discardableResult
    public func publishVideo(pullingFrom source: MediaURL, post: VideoPostInfo, options: UploadOptions = UploadOptions(),
                             progress: (@Sendable (UploadProgress) -> Void)? = nil) async throws -> PublishResult {
        progress?(UploadProgress(phase: .validating))
        let request = DirectVideoInitRequest(postInfo: post, sourceInfo: .pullFromURL(source.url.absoluteString))
        try Validation.check(request, creatorInfo: nil)   // what can be checked before the creator-info call
        let info = try await creatorInfo()
        progress?(UploadProgress(phase: .initializing))
        let start = try await initDirectVideo(request, creatorInfo: info)
        return try await wait(for: start.publishID, goal: .published, options: options, progress: progress)
    }

    /// Posts a video that TikTok downloads from `url`; checks `url` as a ``MediaURL`` first, so a
    /// file URL fails before any call.
    @available(*, deprecated, renamed: "publishVideo(pullingFrom:post:options:progress:)",
               message: "Pass a MediaURL, which a file URL cannot be: try MediaURL(url)")
    @discardableResult
    public func publishVideo(url: URL, post: VideoPostInfo, options: UploadOptions = UploadOptions(),
                             progress: (@Sendable (UploadProgress) -> Void)? = nil) async throws -> PublishResult {
        try await publishVideo(pullingFrom: try MediaURL(url), post: post, options: options, progress: progress)
    }

    /// Posts photos (pulled from verified https URLs): ``PostMode/directPost`` to the profile, or
    /// ``PostMode/mediaUpload`` to the inbox. Waits for the outcome.
    ///
    /// `progress` receives the publish ID as soon as init returns, then each status.
    @discardableResult
    public func publishPhotos(urls: [URL], post: PhotoPostInfo, mode: PostMode = .directPost, coverIndex: Int = 0,
                              options: UploadOptions = UploadOptions(),
                              progress: (@Sendable (UploadProgress) -> Void)? = nil) async throws -> PublishResult {
        progress?(UploadProgress(phase: .validating))
        let info: CreatorInfo? = mode == .directPost ? try await creatorInfo() : nil
        let request = PhotoInitRequest(postInfo: post, sourceInfo: PhotoSource(photoImages: urls.map(\.absoluteString),
                                                                             photoCoverIndex: coverIndex), postMode: mode)
        progress?(UploadProgress(phase: .initializing))
        let start = try await initPhotoPost(request, creatorInfo: info)
        return try await wait(for: start.publishID, goal: mode == .directPost ? .published : .inbox, options: options, progress: progress)
    }

    /// Waits until a publish reaches a final state: posted, delivered to the inbox, or failed.
    /// Use it to follow a publish started earlier (its ID survives restarts).
    @discardableResult
    public func waitForPublish(publishID: String, options: UploadOptions = UploadOptions()) async throws -> PublishResult {
        try await wait(for: publishID, goal: .inbox, options: options)
    }

    private func wait(for publishID: String, goal: StatusPoller.Goal, options: UploadOptions,
                      progress: (@Sendable (UploadProgress) -> Void)? = nil) async throws -> PublishResult {
        progress?(UploadProgress(phase: .initializing, publishID: publishID))
        let result = try await attributing(to: publishID) {
            try await StatusPoller(service: uploadService, options: options).wait(for: publishID, goal: goal) { status in
                progress?(UploadProgress(phase: .processing, publishID: publishID, status: status))
            }
        }
        progress?(UploadProgress(phase: .finished, publishID: publishID, status: result.status))
        return result
    }

    /// The calls an upload makes, and nothing else of the client: ``Uploader`` and the status
    /// poller never see the client itself. The inits are sent as they are (the uploader validated
    /// them once, against the creator's info for a direct post); chunk PUTs go straight to the
    /// transport, without the token or the rate limiter.
    var uploadService: UploadService {
        UploadService(
            creatorInfo: { try await self.creatorInfo() },
            initInboxVideo: { try await self.call(.inboxVideoInit, body: $0, expecting: PublishInit.self) },
            initDirectVideo: { try await self.call(.directVideoInit, body: $0, expecting: PublishInit.self) },
            publishStatus: { try await self.publishStatus(publishID: $0, deadline: $1) },
            journalAccount: { try await self.journalAccount(explicit: $0) },
            sendChunk: { [transport] in try await transport.send($0) },
            record: { self.record($0) },
            trustsAnyUploadHost: configuration.baseURL.host != Configuration.productionBaseURL.host)
    }

    private func upload(file: URL, to destination: UploadDestination, options: UploadOptions,
                        progress: (@Sendable (UploadProgress) -> Void)?) async throws -> PublishResult {
        let uploader = Uploader(client: self, options: options)
        let watcher = progress.map { report in
            Task { for await step in uploader.progress { report(step) } }
        }
        defer { watcher?.cancel() }
        let result = try await uploader.upload(file: file, to: destination)
        await watcher?.value
        return result
    }
}

extension Uploader {
    /// Creates an uploader that sends through `client`.
    public init(client: TikTokClient, options: UploadOptions = UploadOptions()) {
        self.init(service: client.uploadService, options: options)
    }
}
