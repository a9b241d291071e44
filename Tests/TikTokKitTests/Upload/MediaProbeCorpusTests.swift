import Foundation
import Testing
import TikTokKit

/// One file of the committed corpus (`Upload/Corpus`, made by `make-corpus.sh` with ffmpeg) and
/// what `manifest.tsv` says it must give: a container and ffprobe's duration, or a refusal.
struct CorpusFile: CustomTestStringConvertible, Sendable {
    let name: String
    let expected: String
    let duration: Double?

    var url: URL { Self.folder.appendingPathComponent(name) }
    var testDescription: String { name }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static let all: [CorpusFile] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3 else { return nil }
            return CorpusFile(name: fields[0], expected: fields[1], duration: Double(fields[2]))
        }
    }()

    static let containers: [String: MediaProbe.Container] = ["mp4": .mp4, "quickTime": .quickTime, "webM": .webM]
}

@Suite("Media probe on real files")
struct MediaProbeCorpusTests {
    @Test func theCorpusIsThereAndSmall() throws {
        #expect(CorpusFile.all.count >= 50)
        let bytes = try CorpusFile.all.reduce(Int64(0)) { total, file in
            total + Int64(try #require(try FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? NSNumber).int64Value)
        }
        #expect(bytes < 400_000, "the corpus holds \(bytes) bytes")
        // Every kind of outcome is exercised.
        let outcomes = Set(CorpusFile.all.map(\.expected))
        #expect(outcomes.isSuperset(of: ["mp4", "quickTime", "webM", "no_video_track", "missing_movie_header", "truncated_file",
                                         "unsupported_container", "not_a_video", "empty_file"]))
    }

    @Test(arguments: CorpusFile.all)
    func givesWhatFFprobeSays(_ file: CorpusFile) throws {
        if let container = CorpusFile.containers[file.expected] {
            let probe = try MediaProbe(file: file.url)
            #expect(probe.container == container)
            if let expected = file.duration {
                let duration = try #require(probe.durationSeconds, "no duration; ffprobe says \(expected) s")
                #expect(abs(duration - expected) <= 0.1, "\(duration) s; ffprobe says \(expected) s")
            } else {
                #expect(probe.durationSeconds == nil)
            }
        } else {
            #expect {
                try MediaProbe(file: file.url)
            } throws: { error in
                guard let error = error as? TikTokError, error.kind == .media(MediaRefusal(rawValue: file.expected)) else { return false }
                // The message names the file and says what to do; the advice adds how.
                return error.message.hasPrefix(file.name) && error.code == file.expected && error.classification == .userMustAct
            }
        }
    }
}
