import Foundation
import Testing
import TikTokKit
import TikTokKitTesting

@Suite("FakeTransport cancellation")
struct CancellationTests {
    @Test func alreadyCancelledTaskThrowsCancellationErrorAndRecordsNothing() async throws {
        let fake = FakeTransport()
        fake.enqueue(.status(200))
        let request = try makeRequest(.get, "https://api.example/")

        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await fake.send(request)
        }

        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(fake.requests.isEmpty)
        // The scripted reply is still there for the next request.
        #expect(try await fake.send(request).status == 200)
    }

    /// The reply waits an hour: the task ends only because the cancel cut the wait short (a
    /// broken cancel fails the time limit instead of reading the clock).
    @Test(.timeLimit(.minutes(1)))
    func cancellingDuringADelayedReplyThrowsCancellationErrorPromptly() async throws {
        let fake = FakeTransport()
        fake.enqueue(.put, "/upload/", .delayed(by: .seconds(3600), .status(201)))
        let request = try makeRequest(.put, "https://upload.example/upload/", body: .bytes(Data(count: 10)))
        let task = Task { try await fake.send(request) }
        while fake.requests.isEmpty {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()

        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
