// direct-post: posts a video straight to the creator's TikTok profile.
//
//     direct-post <file> --title T --privacy LEVEL [--journal DIR] [--allow-comments] ...
//
// It behaves like the posting screen TikTok's audit asks for: it fetches the creator's info
// first, shows whose account this is and which privacy levels they may choose, refuses any other
// level (there is no default), and leaves comments, duets and stitches off unless asked. Like
// publish-draft, the upload is journaled and resumes after an interruption.
import ExampleSupport
import Foundation
import TikTokKit

let program = "direct-post"
var arguments = Arguments()
if arguments.isEmpty || arguments.wantsHelp {
    print("""
    usage: direct-post <file> --title T --privacy LEVEL [--journal DIR]
                       [--allow-comments] [--allow-duet] [--allow-stitch]
                       [--brand-organic] [--brand-content]

    Posts <file> (MP4, MOV or WebM, up to 4 GiB) to the creator's TikTok profile, by FILE_UPLOAD,
    and waits until TikTok has published it.

      --title T           the caption; #hashtags and @mentions work (up to 2200 characters)
      --privacy LEVEL     who can see it: one of the levels the creator's info offers, printed
                          first (PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR,
                          SELF_ONLY); an unaudited app may only use SELF_ONLY
      --allow-comments    let viewers comment (off unless given, as TikTok requires)
      --allow-duet        let viewers duet
      --allow-stitch      let viewers stitch
      --brand-organic     disclose that it promotes your own business
      --brand-content     disclose a paid partnership (not allowed with SELF_ONLY)
    \(journalOptionsHelp)

    Environment: TIKTOK_ACCESS_TOKEN (or ~/.tiktokkit/token, see tiktok-login), TIKTOK_API_BASE_URL.
    With neither, an embedded TikTok sandbox is used.
    """)
    exit(arguments.isEmpty ? 2 : 0)
}

do {
    guard let title = try arguments.option("--title") else { throw ExampleFailure("missing --title; see --help") }
    let privacyChoice = try arguments.option("--privacy")
    let journalDirectory = try arguments.option("--journal").map { URL(fileURLWithPath: $0) }
    let allowComments = arguments.flag("--allow-comments")
    let allowDuet = arguments.flag("--allow-duet")
    let allowStitch = arguments.flag("--allow-stitch")
    let brandOrganic = arguments.flag("--brand-organic")
    let brandContent = arguments.flag("--brand-content")
    let retryUnconfirmedInit = arguments.flag("--retry-unconfirmed-init")
    guard let path = try arguments.positionals().first else { throw ExampleFailure("missing <file>; see --help") }

    let environment = try ExampleEnvironment.fromProcess(program: program)
    let client = environment.client

    // What TikTok's audit requires before every post: whose account, and what they may choose now.
    let creator = try await client.creatorInfo()
    let offered = creator.privacyLevelOptions.map(\.rawValue).joined(separator: ", ")
    print("posting as: \(creator.creatorNickname ?? creator.creatorUsername ?? "(no nickname)")")
    print("privacy levels offered: \(offered)")
    if let seconds = creator.maxVideoPostDurationSeconds { print("longest video allowed: \(seconds) s") }

    guard let privacyChoice else { throw ExampleFailure("choose --privacy from: \(offered) (TikTok allows no default)") }
    let privacy = PrivacyLevel(rawValue: privacyChoice.uppercased())
    guard creator.privacyLevelOptions.contains(privacy) else {
        throw ExampleFailure("\(privacy) is not offered to this creator; choose one of: \(offered)")
    }
    // A switch the creator turned off in TikTok must stay off.
    for (flag, asked, turnedOff) in [("--allow-comments", allowComments, creator.commentDisabled),
                                     ("--allow-duet", allowDuet, creator.duetDisabled),
                                     ("--allow-stitch", allowStitch, creator.stitchDisabled)] where asked && turnedOff {
        throw ExampleFailure("the creator has turned this off in TikTok; leave out \(flag)")
    }

    let post = VideoPostInfo(title: title, privacyLevel: privacy,
                             disableDuet: !allowDuet, disableStitch: !allowStitch, disableComment: !allowComments,
                             brandContentToggle: brandContent, brandOrganicToggle: brandOrganic)
    print("By posting, you agree to TikTok's Music Usage Confirmation.")
    let journal = try environment.journal(directory: journalDirectory)
    // An unfinished upload whose URL expired cannot have produced a post: start it over, once.
    let options = UploadOptions(restartExpiredUploads: true, journal: journal, retryUnconfirmedInit: retryUnconfirmedInit)
    let printer = ProgressPrinter()
    let result = try await client.publishVideo(file: URL(fileURLWithPath: path), post: post, options: options) { step in
        printer.show(step)
    }
    printer.endBar()
    print("status: \(result.status)")
    if result.publiclyAvailablePostIDs.isEmpty {
        print("no public post ID yet: private posts, and posts still in moderation, have none")
    }
    for postID in result.publiclyAvailablePostIDs {
        print("public post: \(creator.creatorUsername.map(postID.webURL(username:)) ?? postID.rawValue)")
    }
} catch {
    exit(report(error, program: program))
}
