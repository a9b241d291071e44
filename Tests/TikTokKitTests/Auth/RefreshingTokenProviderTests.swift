import Foundation
import Testing
@_spi(Testing) import TikTokKit

@Suite("RefreshingTokenProvider")
struct RefreshingTokenProviderTests {
    final class MemoryStore: TokenStore, @unchecked Sendable {
        private let lock = NSLock()
        private var saved: [StoredTokens] = []
        func save(_ tokens: StoredTokens) async throws { lock.withLock { saved.append(tokens) } }
        var history: [StoredTokens] { lock.withLock { saved } }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
        var count: Int { lock.withLock { value } }
    }

    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func tokens(expiresIn seconds: TimeInterval) -> StoredTokens {
        StoredTokens(accessToken: "act.OLD", accessTokenExpiresAt: start.addingTimeInterval(seconds), refreshToken: "rft.OLD")
    }

    @Test func freshTokenIsReturnedWithoutRefreshing() async throws {
        let calls = Counter()
        let provider = RefreshingTokenProvider(tokens: tokens(expiresIn: 3600), now: { [start] in start }) { _ in
            _ = calls.next()
            return TokenResponse(accessToken: "act.NEW", expiresIn: 7200, refreshToken: "rft.NEW")
        }
        #expect(try await provider.accessToken() == "act.OLD")
        #expect(calls.count == 0)
    }

    @Test func refreshesAheadOfExpiryAndPersistsTheRotatedToken() async throws {
        let store = MemoryStore()
        let provider = RefreshingTokenProvider(tokens: tokens(expiresIn: 120), store: store, refreshAhead: .seconds(300),
                                               now: { [start] in start }) { refreshToken in
            #expect(refreshToken == "rft.OLD")
            return TokenResponse(accessToken: "act.NEW", expiresIn: 7200, refreshToken: "rft.NEW", refreshExpiresIn: 15_552_000)
        }
        #expect(try await provider.accessToken() == "act.NEW")
        let saved = try #require(store.history.last)
        #expect(saved.refreshToken == "rft.NEW")
        #expect(saved.accessTokenExpiresAt == start.addingTimeInterval(7200))
        #expect(saved.refreshTokenExpiresAt == start.addingTimeInterval(15_552_000))
        #expect(await provider.current.refreshToken == "rft.NEW")
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let calls = Counter()
        let provider = RefreshingTokenProvider(tokens: tokens(expiresIn: 0), now: { [start] in start }) { _ in
            let number = calls.next()
            try await Task.sleep(for: .milliseconds(100))
            return TokenResponse(accessToken: "act.NEW-\(number)", expiresIn: 7200, refreshToken: "rft.NEW")
        }
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await provider.accessToken() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(calls.count == 1)
        #expect(Set(results) == ["act.NEW-1"])
    }

    @Test func rejectionOfAStaleTokenReturnsTheNewerOneWithoutRefreshing() async throws {
        let calls = Counter()
        let provider = RefreshingTokenProvider(tokens: tokens(expiresIn: 3600), now: { [start] in start }) { _ in
            TokenResponse(accessToken: "act.NEW-\(calls.next())", expiresIn: 7200, refreshToken: "rft.NEW")
        }
        #expect(try await provider.refreshAfterRejection(of: "act.OLD") == "act.NEW-1")
        #expect(try await provider.refreshAfterRejection(of: "act.OLD") == "act.NEW-1")
        #expect(calls.count == 1)
    }

    @Test func keepsTheOldRefreshTokenWhenNoneComesBack() async throws {
        let provider = RefreshingTokenProvider(tokens: tokens(expiresIn: 0), now: { [start] in start }) { _ in
            TokenResponse(accessToken: "act.NEW", expiresIn: 7200)
        }
        _ = try await provider.accessToken()
        #expect(await provider.current.refreshToken == "rft.OLD")
    }

    @Test func failedRefreshIsThrownAndRetriedNextTime() async throws {
        let calls = Counter()
        let provider = RefreshingTokenProvider(tokens: tokens(expiresIn: 0), now: { [start] in start }) { _ in
            if calls.next() == 1 { throw TikTokError(.oauth(.serverError), message: "down") }
            return TokenResponse(accessToken: "act.NEW", expiresIn: 7200, refreshToken: "rft.NEW")
        }
        await #expect(throws: TikTokError.self) { _ = try await provider.accessToken() }
        #expect(try await provider.accessToken() == "act.NEW")
    }

    @Test func storedTokensNeverPrintTokens() {
        let stored = tokens(expiresIn: 10)
        var dumped = ""
        dump(stored, to: &dumped)
        for text in [stored.description, String(reflecting: stored), dumped] {
            #expect(!text.contains("act.OLD"))
            #expect(!text.contains("rft.OLD"))
        }
    }
}

@Suite("RefreshingTokenProvider failures")
struct RefreshingTokenProviderFailureTests {
    struct BrokenStore: TokenStore {
        func save(_ tokens: StoredTokens) async throws { throw CocoaError(.fileWriteNoPermission) }
    }

    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aFailedSaveStillKeepsTheRotatedRefreshToken() async throws {
        let provider = RefreshingTokenProvider(
            tokens: StoredTokens(accessToken: "act.OLD", accessTokenExpiresAt: start, refreshToken: "rft.OLD"),
            store: BrokenStore(), now: { [start] in start }) { _ in
            TokenResponse(accessToken: "act.NEW", expiresIn: 7200, refreshToken: "rft.NEW")
        }
        await #expect(throws: CocoaError.self) { _ = try await provider.accessToken() }
        #expect(await provider.current.refreshToken == "rft.NEW", "the old refresh token is already invalid at TikTok")
        #expect(try await provider.accessToken() == "act.NEW")
    }

    @Test func aFailedEarlyRefreshFallsBackToTheStillValidToken() async throws {
        let provider = RefreshingTokenProvider(
            tokens: StoredTokens(accessToken: "act.OLD", accessTokenExpiresAt: start.addingTimeInterval(120), refreshToken: "rft.OLD"),
            refreshAhead: .seconds(300), now: { [start] in start }) { _ in
            throw TikTokError(.oauth(.temporarilyUnavailable), message: "busy")
        }
        #expect(try await provider.accessToken() == "act.OLD")
    }
}
