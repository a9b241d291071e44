// pull-from-url: has TikTok download a video from a URL (PULL_FROM_URL), to the creator's inbox
// as a draft or, with --direct, straight to their profile.
//
//     pull-from-url <url> [--direct --privacy LEVEL --title T]
//
// Prefer FILE_UPLOAD (publish-draft, direct-post) when you can: see --help for why.
import ExampleSupport
import Foundation
import TikTokKit

let program = "pull-from-url"
var arguments = Arguments()
if arguments.isEmpty || arguments.wantsHelp {
    print("""
    usage: pull-from-url <url>
           pull-from-url <url> --direct --privacy LEVEL [--title T]

    Asks TikTok to download the video at <url> itself (PULL_FROM_URL) and waits for the outcome:
    by default it lands in the creator's TikTok inbox as a draft; with --direct it is posted to
    their profile.

      --direct          post to the profile instead of the inbox (needs scope video.publish)
      --privacy LEVEL   with --direct: one of the creator's privacy options (TikTok allows no
                        default; the SDK checks it against the creator's info)
      --title T         with --direct: the caption

    Why FILE_UPLOAD (publish-draft, direct-post) is usually the better choice: TikTok pulls
    only https URLs on a domain or URL prefix the app verified in the developer portal —
    anything else fails at once with url_ownership_unverified — and it refuses redirects and
    often presigned or CDN URLs. The URL must stay reachable until TikTok has fetched it, and a
    download that fails is reported only later, as FAILED with video_pull_failed. FILE_UPLOAD
    needs no verification, reports problems while you can still act, and can be resumed.
    Use PULL_FROM_URL when the video already sits on a domain you verified.

    Environment: TIKTOK_ACCESS_TOKEN (or ~/.tiktokkit/token, see tiktok-login), TIKTOK_API_BASE_URL.
    With neither, an embedded TikTok sandbox is used.
    """)
    exit(arguments.isEmpty ? 2 : 0)
}

do {
    let direct = arguments.flag("--direct")
    let privacy = try arguments.option("--privacy").map { PrivacyLevel(rawValue: $0.uppercased()) }
    let title = try arguments.option("--title")
    guard let text = try arguments.positionals().first, let url = URL(string: text) else {
        throw ExampleFailure("missing <url>; see --help")
    }
    if direct && privacy == nil { throw ExampleFailure("--direct needs --privacy LEVEL (TikTok allows no default)") }
    if !direct && (privacy != nil || title != nil) { throw ExampleFailure("--privacy and --title only apply with --direct") }

    let client = try ExampleEnvironment.fromProcess(program: program).client
    let result: PublishResult
    if direct, let privacy {
        // One call: checks the creator's info, starts the post, and waits for PUBLISH_COMPLETE.
        result = try await client.publishVideo(pullingFrom: try MediaURL(url), post: VideoPostInfo(title: title, privacyLevel: privacy)) { step in
            if step.phase == .initializing, let publishID = step.publishID {
                printNow("publish ID: \(publishID)")
                printNow("TikTok is downloading the video to post it; waiting for the outcome…")
            }
        }
    } else {
        let start = try await client.initInboxVideo(.pullFromURL(url.absoluteString))
        printNow("publish ID: \(start.publishID)")
        print("TikTok is downloading the video; waiting for it to reach the inbox…")
        result = try await client.waitForPublish(publishID: start.publishID)
    }
    print("status: \(result.status)")
    if !result.publiclyAvailablePostIDs.isEmpty {
        print("public post IDs: \(result.publiclyAvailablePostIDs.map(\.rawValue).joined(separator: ", "))")
    }
    if result.status == .sendToUserInbox {
        print("The draft is in the creator's TikTok inbox; they finish the post in the app.")
    }
} catch {
    exit(report(error, program: program))
}
