// photo-post: posts photos that TikTok downloads from URLs — to the creator's profile, or with
// --draft to their TikTok inbox.
//
//     photo-post <url>... [--draft] [--title T] [--privacy LEVEL] [--cover N]
//
// Photos can only be pulled from URLs (there is no upload), so the URLs must be https on a domain
// or URL prefix the app verified in TikTok's developer portal.
import ExampleSupport
import Foundation
import TikTokKit

let program = "photo-post"
var arguments = Arguments()
if arguments.isEmpty || arguments.wantsHelp {
    print("""
    usage: photo-post <url>... --privacy LEVEL [--title T] [--description D] [--cover N] [--allow-comments]
           photo-post <url>... --draft [--title T] [--description D] [--cover N]

    Posts 1 to 35 photos (JPEG or WebP) that TikTok downloads from the given https URLs, and
    waits for the outcome.

      --draft            send them to the creator's TikTok inbox (MEDIA_UPLOAD, scope
                         video.upload) instead of posting to the profile (DIRECT_POST,
                         scope video.publish)
      --privacy LEVEL    for a post: one of the creator's privacy options (no default;
                         the SDK checks it against the creator's info)
      --title T          up to 90 characters
      --description D    up to 4000 characters; #hashtags and @mentions work
      --cover N          which photo is the cover, counting from 0 (default 0)
      --allow-comments   for a post: let viewers comment (off unless given)

    The URLs must be on a domain or URL prefix verified in TikTok's developer portal, or TikTok
    answers url_ownership_unverified; a photo TikTok cannot fetch ends FAILED (photo_pull_failed).

    Environment: TIKTOK_ACCESS_TOKEN (or ~/.tiktokkit/token, see tiktok-login), TIKTOK_API_BASE_URL.
    With neither, an embedded TikTok sandbox is used.
    """)
    exit(arguments.isEmpty ? 2 : 0)
}

do {
    let draft = arguments.flag("--draft")
    let privacy = try arguments.option("--privacy").map { PrivacyLevel(rawValue: $0.uppercased()) }
    let title = try arguments.option("--title")
    let description = try arguments.option("--description")
    let allowComments = arguments.flag("--allow-comments")
    let cover = try arguments.option("--cover").map { text in
        guard let index = Int(text), index >= 0 else { throw ExampleFailure("--cover takes a photo index: 0, 1, 2…") }
        return index
    } ?? 0
    let urls = try arguments.positionals().map { text in
        guard let url = URL(string: text) else { throw ExampleFailure("not a URL: \(text)") }
        return url
    }
    guard !urls.isEmpty else { throw ExampleFailure("missing <url>; see --help") }
    if !draft && privacy == nil { throw ExampleFailure("a post needs --privacy LEVEL (TikTok allows no default), or use --draft") }
    if draft && (privacy != nil || allowComments) { throw ExampleFailure("--privacy and --allow-comments do not apply to --draft") }

    let client = try ExampleEnvironment.fromProcess(program: program).client
    // Drafts carry only a title and a description; the creator picks the rest in TikTok.
    let post = draft
        ? PhotoPostInfo(title: title, description: description)
        : PhotoPostInfo(title: title, description: description, privacyLevel: privacy, disableComment: !allowComments)
    let result = try await client.publishPhotos(urls: urls, post: post, mode: draft ? .mediaUpload : .directPost,
                                                coverIndex: cover) { step in
        // The publish ID arrives as soon as TikTok accepted the post; then TikTok downloads.
        if step.phase == .initializing, let publishID = step.publishID {
            printNow("publish ID: \(publishID)")
            printNow("TikTok is downloading \(urls.count) photo\(urls.count == 1 ? "" : "s"); waiting for the outcome…")
        }
    }
    print("status: \(result.status)")
    if !result.publiclyAvailablePostIDs.isEmpty {
        print("public post IDs: \(result.publiclyAvailablePostIDs.map(\.rawValue).joined(separator: ", "))")
    }
    if draft { print("The photos are in the creator's TikTok inbox; they finish the post in the app.") }
} catch {
    exit(report(error, program: program))
}
