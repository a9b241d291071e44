/// Why ``MediaProbe`` refused a file before anything was sent: the file is not a video TikTok
/// takes (MP4, QuickTime or WebM with a video track), or it is broken.
///
/// The error's ``TikTokError/code`` is the raw value; its message names the file and what was
/// found in it, its ``TikTokError/advice`` what to do.
///
/// ```swift
/// do {
///     _ = try MediaProbe(file: url)
/// } catch let error as TikTokError where error.kind == .media(.noVideoTrack) {
///     print(error.message)   // "song.m4a has no video track (only soun) …"
/// }
/// ```
public struct MediaRefusal: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The file has no bytes.
    public static let emptyFile = MediaRefusal(rawValue: "empty_file")
    /// The bytes are not a video container at all: an image, an audio file, text, or unknown.
    public static let notAVideo = MediaRefusal(rawValue: "not_a_video")
    /// A video container TikTok does not take: Matroska that is not WebM, AVI, FLV, MPEG-TS,
    /// MPEG-PS, ASF, or a raw H.264/H.265 stream.
    public static let unsupportedContainer = MediaRefusal(rawValue: "unsupported_container")
    /// An MP4, QuickTime or WebM file without a video track: audio only (M4A), or a HEIF/HEIC or
    /// AVIF still image.
    public static let noVideoTrack = MediaRefusal(rawValue: "no_video_track")
    /// ISO media data without its `moov` box: a recording that crashed or was stopped before
    /// the recorder wrote its index, or fragments without their header.
    public static let missingMovieHeader = MediaRefusal(rawValue: "missing_movie_header")
    /// The file ends before a box or element it declares does: an interrupted copy or download.
    public static let truncatedFile = MediaRefusal(rawValue: "truncated_file")
}

extension ErrorAdvice {
    static func media(_ refusal: MediaRefusal) -> Advice {
        let suggestion: String
        switch refusal {
        case .emptyFile:
            suggestion = "The file is empty: choose the finished video file (it may still be being written or copied)."
        case .notAVideo:
            suggestion = "TikTok takes videos in MP4, QuickTime (MOV) or WebM. Photos go through the photo post API (JPEG or WebP, by URL); audio needs a video track."
        case .unsupportedContainer:
            suggestion = "Convert the video to MP4 first, e.g. `ffmpeg -i input -c:v libx264 -c:a aac output.mp4` (or `-c copy` when it already holds H.264/H.265), then upload the MP4."
        case .noVideoTrack:
            suggestion = "TikTok needs a video track. Add a picture to the audio (e.g. `ffmpeg -loop 1 -i cover.jpg -i audio.m4a -shortest -c:v libx264 -c:a copy out.mp4`); photos go through the photo post API."
        case .missingMovieHeader:
            suggestion = "The recording was not finished (the app or camera stopped before writing the moov index). Record or export it again; a repair tool such as untrunc can sometimes rebuild it from a good file of the same camera."
        case .truncatedFile:
            suggestion = "The file is incomplete (an interrupted copy, download or export). Copy or export it again and check its size."
        default:
            suggestion = "The file cannot be uploaded as it is (\(refusal.rawValue)); convert it to MP4 (H.264)."
        }
        return Advice(classification: .userMustAct, suggestion: suggestion + " Nothing was sent to TikTok.")
    }
}
