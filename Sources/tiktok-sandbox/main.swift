// tiktok-sandbox: runs TikTokEmulator — an offline TikTok Content Posting API — on 127.0.0.1.
// The first line printed is the base URL; point TIKTOK_API_BASE_URL (or a TikTokClient) at it.
import Foundation
import TikTokSandbox
import TikTokKit

let usage = """
usage: tiktok-sandbox [--port N] [--token T]... [--unaudited] [--account-privacy public|private]
                      [--account T=SETTINGS]... [--daily-post-limit N] [--pending-share-limit N]
                      [--active-user-cap N] [--cap-window S] [--access-token-ttl S] [--code-ttl S]
                      [--decline-scope S]... [--pkce-base64url] [--require-pkce] [--webhook-url URL]
                      [--webhook-retry-base S] [--webhook-resign] [--verified-prefix URL]... [--verified-domain D]...
                      [--processing-delay S] [--upload-url-ttl S] [--fault-rate P] [--seed N]
                      [--endpoint-fault PATH=P]... [--inject PATH=CODE[:COUNT|@P]]...
                      [--store DIR] [--max-duration S] [--serve NAME=FILE]...
                      [--rate-limit-window S] [--expiry-rate P] [--no-rate-limits] [--no-posting-caps] [--no-hash]
                      [--max-connections N] [--idle-timeout S] [--read-timeout S]

Serves TikTok's Content Posting API, OAuth and the chunk upload host on 127.0.0.1 until stopped
(Ctrl-C). The first line of output is the base URL.

  --port N              port to listen on (default: any free port)
  --token T             an access token to accept, with every scope (default: sandbox-token)
  --unaudited           behave like an unaudited app: a direct post is refused with
                        unaudited_client_can_only_post_to_private_accounts unless the account is
                        private and the post SELF_ONLY; at most 5 users may post in 24 h
  --account-privacy P   every creator's account is public (default) or private; creator_info
                        offers PUBLIC_TO_EVERYONE only on a public one
  --account T=SETTINGS  the account of token T (also accepted as a token): a comma-separated list
                        of public, private, banned, comments-off, duets-off, stitches-off,
                        max-duration=S, e.g. --account alice=private,comments-off (repeatable)
  --daily-post-limit N  direct posts per creator in the cap window before spam_risk_too_many_posts
                        (default 15, TikTok's "around 15 per day")
  --pending-share-limit N  inbox shares pending per user before spam_risk_too_many_pending_share
                        (default 5)
  --active-user-cap N   users who may direct-post in the cap window before reached_active_user_cap
                        (default 5 with --unaudited, else none)
  --cap-window S        the window those caps count in, in seconds (default 86400)
  --access-token-ttl S  seconds an access token issued through OAuth works (default 7200); later
                        calls get 401 access_token_invalid until the app refreshes
  --code-ttl S          seconds an authorization code may wait to be exchanged (default 300); every
                        code works once, with the redirect_uri and PKCE verifier it was issued for
  --decline-scope S     the sandbox user leaves scope S unticked at consent (repeatable): the token
                        lacks it and endpoints needing it answer scope_not_authorized
  --pkce-base64url      also accept an RFC 7636 base64url PKCE challenge (TikTok's desktop flow
                        accepts only lowercase hex; web is undocumented)
  --require-pkce        refuse an authorize request without a code_challenge (as for desktop apps)
  --webhook-url URL     deliver TikTok's webhook events (post.publish.inbox_delivered, .complete,
                        .failed, .publicly_available, authorization.removed) to URL, signed with
                        the client secret in TikTok-Signature, retried with exponential backoff
                        for 72 h until the receiver answers 200
  --webhook-retry-base S  the first retry's wait, doubling each time (default 1)
  --webhook-resign      sign each retry anew (default: a retry carries its first signature, as
                        TikTok's undocumented behaviour may)
  --verified-prefix URL an https URL prefix verified for PULL_FROM_URL and photos (repeatable)
  --verified-domain D   a domain verified for them, with its subdomains (repeatable)
  --processing-delay S  seconds of "processing" after the last byte (default 0)
  --upload-url-ttl S    seconds an upload URL stays valid (default 3600)
  --fault-rate P        probability (0-1) that a chunk PUT meets a fault: reset, 503, 429, stall,
                        or its answer dropped after the chunk was stored
  --endpoint-fault PATH=P  probability that a request to an API path meets a fault, e.g.
                        /v2/post/publish/status/fetch/=0.2 (repeatable)
  --inject PATH=CODE[:COUNT|@P]  answer the next COUNT (default 1) requests to PATH with TikTok's
                        error CODE and the HTTP status TikTok uses for it, e.g.
                        /v2/post/publish/video/init/=spam_risk_too_many_posts:2, or each request
                        with probability P (seeded), e.g. ...=rate_limit_exceeded@0.3; CODE failed:REASON
                        makes status/fetch report FAILED with fail_reason REASON; CODE drop-answer
                        handles the request, then closes without answering (repeatable)
  --expiry-rate P       probability (0-1) that a chunk PUT finds its upload URL expired (403)
  --seed N              seed for the faults (default 1)
  --store DIR           keep received videos in DIR (default: hash and discard)
  --max-duration S      the creator's longest allowed video, in seconds (default 600); every received
                        video is probed whole: longer ones end FAILED duration_check_failed, non-videos
                        and mismatched Content-Types file_format_check_failed
  --no-hash             do not compute SHA-256 of uploads (for benchmarks)
  --no-rate-limits      do not enforce TikTok's per-token rate limits (for benchmarks)
  --no-posting-caps     do not enforce the daily post, pending share and active user caps (for
                        load tests that post many times with one token)
  --rate-limit-window S the window TikTok's per-token limits count in (default 60); a short one
                        lets a load test of many uploads run quickly (give the client the same)
  --max-connections N   the most connections served at once (default 512): past it the connection
                        idle longest is closed to make room, or a newcomer gets 503 if none is idle
  --idle-timeout S      seconds a connection with no request in progress stays open (default 60)
  --read-timeout S      seconds the server waits for a client without progress, and for a whole
                        request head (default 30); a stalled request gets 408
  --exit-with-parent    exit when the process that started it ends
  --serve NAME=FILE     serve FILE at <base URL>/files/NAME, for PULL_FROM_URL and photos (repeatable)

OAuth: client key sandbox-client-key, client secret sandbox-client-secret.
Inspect: GET <base URL>/__sandbox/uploads and /__sandbox/webhooks. Move the clock on (tokens, codes, upload URLs, caps):
POST <base URL>/__sandbox/advance-clock?seconds=S
"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tiktok-sandbox: \(message)\n\(usage)\n".utf8))
    exit(2)
}

var port: UInt16 = 0
var tokens: [String] = []
var served: [(String, URL)] = []
var injections: [(String, [TikTokEmulator.Fault])] = []
var chances: [(String, TikTokEmulator.Fault, Double)] = []
var exitWithParent = false
var configuration = TikTokEmulator.Configuration(accessToken: "sandbox-token")
var arguments = CommandLine.arguments.dropFirst()
@MainActor func value(_ flag: String) -> String {
    guard let next = arguments.popFirst() else { fail("\(flag) needs a value") }
    return next
}
@MainActor func seconds(_ flag: String) -> Duration {
    guard let number = Double(value(flag)), number >= 0, number <= 31_536_000 else {
        fail("\(flag) needs a number of seconds (0 to 31536000)")
    }
    return .milliseconds(Int64(number * 1000))
}
@MainActor func count(_ flag: String) -> Int {
    guard let number = Int(value(flag)), number >= 0 else { fail("\(flag) needs a whole number") }
    return number
}
@MainActor func positiveSeconds(_ flag: String) -> Duration {
    let duration = seconds(flag)
    guard duration > .zero else { fail("\(flag) needs a positive number of seconds") }
    return duration
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--help", "-h": print(usage); exit(0)
    case "--port": port = UInt16(value(argument)) ?? { fail("--port needs a port number") }()
    case "--token": tokens.append(value(argument))
    case "--unaudited": configuration.unaudited = true
    case "--account-privacy":
        guard let privacy = TikTokEmulator.Account.Privacy(rawValue: value(argument)) else {
            fail("--account-privacy needs public or private")
        }
        configuration.accountPrivacy = privacy
    case "--account":
        let parts = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { fail("--account needs TOKEN=SETTINGS") }
        var account = TikTokEmulator.Account()
        for setting in parts[1].split(separator: ",") {
            switch setting {
            case "public": account.privacy = .public
            case "private": account.privacy = .private
            case "banned": account.bannedFromPosting = true
            case "comments-off": account.commentDisabled = true
            case "duets-off": account.duetDisabled = true
            case "stitches-off": account.stitchDisabled = true
            case let other where other.hasPrefix("max-duration="):
                guard let seconds = Int(other.dropFirst("max-duration=".count)), seconds > 0 else {
                    fail("--account max-duration needs whole seconds")
                }
                account.maxVideoPostDurationSeconds = seconds
            default: fail("--account does not know the setting \(setting)")
            }
        }
        tokens.append(parts[0])
        configuration.accounts[parts[0]] = account
    case "--access-token-ttl": configuration.accessTokenLifetime = seconds(argument)
    case "--code-ttl": configuration.authorizationCodeLifetime = seconds(argument)
    case "--decline-scope": configuration.declinedScopes.insert(value(argument))
    case "--pkce-base64url": configuration.acceptedPKCEEncodings.insert(.base64URL)
    case "--require-pkce": configuration.requirePKCE = true
    case "--webhook-url":
        guard let url = URL(string: value(argument)), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            fail("--webhook-url needs an http or https URL")
        }
        configuration.webhookURL = url
    case "--webhook-retry-base": configuration.webhookRetryBaseDelay = positiveSeconds(argument)
    case "--webhook-resign": configuration.webhookResignsRetries = true
    case "--daily-post-limit": configuration.dailyPostLimit = count(argument)
    case "--pending-share-limit": configuration.pendingShareLimit = count(argument)
    case "--active-user-cap": configuration.activeUserCap = count(argument)
    case "--cap-window": configuration.capWindow = positiveSeconds(argument)
    case "--verified-prefix": configuration.verifiedURLPrefixes.append(value(argument))
    case "--verified-domain": configuration.verifiedDomains.append(value(argument).lowercased())
    case "--processing-delay": configuration.processingDelay = seconds(argument)
    case "--upload-url-ttl": configuration.uploadURLLifetime = seconds(argument)
    case "--fault-rate":
        guard let rate = Double(value(argument)), (0...1).contains(rate) else { fail("--fault-rate needs a number from 0 to 1") }
        configuration.chunkFaultRate = rate
    case "--expiry-rate":
        guard let rate = Double(value(argument)), (0...1).contains(rate) else { fail("--expiry-rate needs a number from 0 to 1") }
        configuration.expiryRate = rate
    case "--endpoint-fault":
        let parts = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let rate = Double(parts[1]), (0...1).contains(rate) else { fail("--endpoint-fault needs PATH=P") }
        configuration.endpointFaultRates[parts[0]] = rate
    case "--inject":
        let parts = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].hasPrefix("/"), !parts[1].isEmpty else { fail("--inject needs PATH=CODE[:COUNT|@P]") }
        var what = parts[1]
        var probability: Double?
        if let at = what.lastIndex(of: "@") {
            guard let rate = Double(what[what.index(after: at)...]), (0...1).contains(rate) else {
                fail("--inject needs a probability from 0 to 1 after @")
            }
            probability = rate
            what = String(what[..<at])
        }
        var pieces = what.split(separator: ":").map(String.init)
        var count = 1
        if probability == nil, pieces.count > 1, let number = Int(pieces[pieces.count - 1]) {
            guard number > 0 else { fail("--inject needs a COUNT of at least 1") }
            count = number
            pieces.removeLast()
        }
        let fault: TikTokEmulator.Fault
        if pieces == ["drop-answer"] {
            fault = .dropAnswer
        } else if pieces.first == "failed" {
            guard pieces.count == 2, !pieces[1].isEmpty else { fail("--inject needs PATH=failed:REASON[:COUNT]") }
            fault = .failReason(pieces[1])
        } else {
            guard pieces.count == 1, pieces[0].allSatisfy({ $0.isLowercase || $0 == "_" }) else {
                fail("--inject needs a TikTok error code such as spam_risk_too_many_posts")
            }
            fault = .apiError(code: pieces[0])
        }
        if let probability {
            chances.append((parts[0], fault, probability))
        } else {
            injections.append((parts[0], Array(repeating: fault, count: count)))
        }
    case "--serve":
        let parts = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { fail("--serve needs NAME=FILE") }
        served.append((parts[0], URL(fileURLWithPath: parts[1])))
    case "--exit-with-parent": exitWithParent = true
    case "--no-hash": configuration.hashUploads = false
    case "--no-rate-limits": configuration.enforceRateLimits = false
    case "--no-posting-caps": configuration.enforcePostingCaps = false
    case "--rate-limit-window": configuration.rateLimitWindow = positiveSeconds(argument)
    case "--idle-timeout": configuration.serverLimits.idleTimeout = positiveSeconds(argument)
    case "--read-timeout": configuration.serverLimits.readTimeout = positiveSeconds(argument)
    case "--max-connections":
        guard let count = Int(value(argument)), count >= 1 else { fail("--max-connections needs a whole number of at least 1") }
        configuration.serverLimits.maxConnections = count
    case "--seed": configuration.seed = UInt64(value(argument)) ?? { fail("--seed needs a whole number") }()
    case "--store":
        let directory = URL(fileURLWithPath: value(argument))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        configuration.storeDirectory = directory
    case "--max-duration": configuration.maxVideoPostDurationSeconds = Int(value(argument)) ?? { fail("--max-duration needs seconds") }()
    default: fail("unknown option \(argument)")
    }
}
if !tokens.isEmpty {
    configuration.accessTokens = Dictionary(tokens.map { ($0, TikTokEmulator.Configuration.allScopes) }, uniquingKeysWith: { first, _ in first })
}

let emulator: TikTokEmulator
do {
    emulator = try TikTokEmulator(configuration: configuration, port: port)
} catch {
    fail("cannot start: \(error)")
}
for (path, faults) in injections { emulator.inject(faults, onPath: path) }
for (path, fault, probability) in chances { emulator.inject(fault, onPath: path, probability: probability) }
print(emulator.baseURL.absoluteString)
for (name, file) in served {
    print("serving \(file.path) at \(emulator.serve(file, as: name).absoluteString)")
}
print("tokens: \(configuration.accessTokens.keys.sorted().joined(separator: ", "))"
      + (configuration.unaudited ? "; unaudited app (SELF_ONLY to private accounts only)" : "")
      + (configuration.accountPrivacy == .private ? "; private accounts" : "")
      + (configuration.chunkFaultRate > 0 ? "; chunk fault rate \(configuration.chunkFaultRate), seed \(configuration.seed)" : ""))
fflush(nil)
if exitWithParent {
    let parent = getppid()
    Thread {
        while getppid() == parent { Thread.sleep(forTimeInterval: 0.2) }   // blocking-ok: a thread of its own
        exit(0)
    }.start()
}
while true {
    try await Task.sleep(for: .seconds(3600))
}
