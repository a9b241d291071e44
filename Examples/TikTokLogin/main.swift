// tiktok-login: signs a TikTok user in to your app from the terminal — desktop OAuth with PKCE —
// and stores their access token for the other examples.
//
//     tiktok-login --client-key K --client-secret S [--scopes a,b] [--port N]
//
// It listens once on http://127.0.0.1:PORT/callback/, prints TikTok's consent URL, waits for the
// browser to come back, checks `state`, exchanges the code with the PKCE verifier, and writes the
// access token to ~/.tiktokkit/token, readable only by you. Tokens and the secret are never printed.
import ExampleSupport
import Foundation
import TikTokKit
import TikTokSandbox

let program = "tiktok-login"
var arguments = Arguments()
if arguments.wantsHelp {
    print("""
    usage: tiktok-login --client-key K --client-secret S [--scopes a,b] [--port N] [--authorize-url URL]

    Signs you in with TikTok in a browser (OAuth with PKCE and a loopback redirect) and stores
    the access token in ~/.tiktokkit/token (mode 0600), where the other examples find it.

      --client-key K       your app's client key (or TIKTOK_CLIENT_KEY)
      --client-secret S    your app's client secret (or TIKTOK_CLIENT_SECRET, which keeps it out
                           of the process list); only ever sent to TikTok's token endpoint
      --scopes a,b         the scopes to ask for (default user.info.basic,video.upload,video.publish)
      --port N             the loopback port (default 8123; 0 picks a free one). Register
                           http://127.0.0.1:N/callback/ as a redirect URI of your app.
      --authorize-url URL  the consent page (default https://www.tiktok.com/v2/auth/authorize/),
                           for testing against a fake

    Environment: TIKTOK_API_BASE_URL for the token endpoint (default https://open.tiktokapis.com);
    TIKTOK_TOKEN_FILE to store the token elsewhere than ~/.tiktokkit/token.
    The access token expires (TikTok says after 24 hours); run tiktok-login again then.
    """)
    exit(0)
}

do {
    let environment = ProcessInfo.processInfo.environment
    guard let clientKey = try arguments.option("--client-key") ?? environment["TIKTOK_CLIENT_KEY"].flatMap({ $0.isEmpty ? nil : $0 }) else {
        throw ExampleFailure("missing --client-key (your app's, from TikTok's developer portal); see --help")
    }
    guard let clientSecret = try arguments.option("--client-secret") ?? environment["TIKTOK_CLIENT_SECRET"].flatMap({ $0.isEmpty ? nil : $0 }) else {
        throw ExampleFailure("missing --client-secret (or TIKTOK_CLIENT_SECRET); see --help")
    }
    for (name, value) in [("client key", clientKey), ("client secret", clientSecret)]
    where !ExampleEnvironment.isPrintableCredential(value) {
        throw ExampleFailure("the \(name) is empty or holds spaces or control characters; nothing was sent")
    }
    let scopeList = try arguments.option("--scopes") ?? "user.info.basic,video.upload,video.publish"
    let scopes = scopeList.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard scopes.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" } }) else {
        throw ExampleFailure("--scopes takes names such as user.info.basic,video.upload separated by commas, not \"\(scopeList)\"")
    }
    let port: UInt16 = try arguments.option("--port").map { text in
        guard let port = UInt16(text) else { throw ExampleFailure("--port takes a number from 0 to 65535") }
        return port
    } ?? 8123
    let authorizeURL = try arguments.option("--authorize-url").map {
        try ExampleEnvironment.baseURL(parsing: $0, named: "--authorize-url")
    } ?? AuthorizationRequest.authorizeURL
    let apiBaseURL = try environment["TIKTOK_API_BASE_URL"].flatMap { $0.isEmpty ? nil : try ExampleEnvironment.baseURL(parsing: $0) }
        ?? TikTokClient.Configuration.productionBaseURL
    guard try arguments.positionals().isEmpty else { throw ExampleFailure("unexpected arguments; see --help") }

    // 1. Listen first, so the redirect URI carries the real port. The browser's redirect to
    //    /callback/ is handed over to this program once; anything else (a favicon) gets 404.
    let (callbacks, delivery) = AsyncStream.makeStream(of: URL.self)
    let listener = try HTTPServer(port: port) { request in
        guard request.method == "GET", request.path == "/callback/",
              let url = URL(string: "http://127.0.0.1" + request.target) else { return HTTPServerResponse(status: 404) }
        delivery.yield(url)
        delivery.finish()
        return HTTPServerResponse(status: 200, headers: ["Content-Type": "text/html; charset=utf-8", "Connection": "close"],
                                  body: Data("<p>TikTok sent you back to tiktok-login. You can close this tab.</p>".utf8))
    }
    defer { listener.shutdown() }

    // 2. Send the user to TikTok's consent page, with a fresh PKCE pair and state.
    let pkce = PKCE()
    let request = AuthorizationRequest(clientKey: clientKey, scopes: scopes,
                                       redirectURI: "http://127.0.0.1:\(listener.port)/callback/",
                                       pkce: pkce, authorizeURL: authorizeURL)
    print("Open this URL in your browser and allow access:")
    printNow(request.url.absoluteString)

    // 3. Read the redirect: `callback(from:)` rejects a wrong state (a forged callback) and
    //    reports TikTok's error (the user declined, say).
    var redirect: URL?
    for await url in callbacks { redirect = url }
    guard let redirect else { throw ExampleFailure("the loopback listener stopped before TikTok called back") }
    let callback = try request.callback(from: redirect)

    // 4. Trade the code for tokens. Only TikTok's token endpoint sees the secret and the verifier.
    let oauth = OAuthClient(clientKey: clientKey, clientSecret: clientSecret, baseURL: apiBaseURL)
    let tokens = try await oauth.exchange(code: callback.code, redirectURI: request.redirectURI, codeVerifier: pkce.verifier)
    try ExampleEnvironment.storeToken(tokens.accessToken)

    print("signed in" + (tokens.openID.map { " (open_id \($0))" } ?? ""))
    print("granted scopes: \(tokens.scopes.sorted().joined(separator: ", "))")
    let refused = Set(scopes).subtracting(tokens.scopes)
    if !refused.isEmpty { print("not granted: \(refused.sorted().joined(separator: ", ")) — calls needing them will fail") }
    print("access token stored in \(ExampleEnvironment.tokenFile.path) (readable only by you); "
          + "it expires in \(tokens.expiresIn / 3600) h")
} catch {
    exit(report(error, program: program))
}
