#!/usr/bin/env bash
# Regenerates the media corpus MediaProbeCorpusTests reads: small real files written by ffmpeg the
# way phones, editors, recorders and pipelines write them, plus broken and non-video files, and
# manifest.tsv (file, expected outcome, ffprobe's duration).
#
# Needs ffmpeg and ffprobe (5.x or later, with libx264, libx265, libvpx, libaom, libopus).
# The suite itself never runs ffmpeg: the files and the manifest are committed.
#
#   Tests/TikTokKitTests/Upload/Corpus/make-corpus.sh
set -euo pipefail
cd "$(dirname "$0")"
find . -maxdepth 1 -type f ! -name make-corpus.sh ! -name README.md -delete

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
# A tiny, almost static picture compresses to a few bytes a frame: the files stay small.
video() { echo -f lavfi -i "color=c=0x3366aa:s=${2:-64x64}:r=${3:-10},drawbox=x=t*8:y=8:w=8:h=8:c=white:t=fill" -t "$1"; }
audio() { echo -f lavfi -i "sine=frequency=440:sample_rate=8000" -t "$1"; }
x264=(-c:v libx264 -preset ultrafast -crf 45 -pix_fmt yuv420p -g 10)
aac=(-c:a aac -b:a 8k -ac 1)

# MP4 layouts.
ff $(video 3) "${x264[@]}" mp4-moov-at-end.mp4
ff $(video 3) "${x264[@]}" -movflags +faststart mp4-faststart.mp4
ff $(video 2.5) $(audio 2.5) "${x264[@]}" "${aac[@]}" -shortest mp4-video-and-audio.mp4
ff $(video 3) "${x264[@]}" -bf 2 -x264-params b-adapt=0 mp4-bframes-edit-list.mp4
ff -itsoffset 0.5 $(video 2) $(audio 3) "${x264[@]}" "${aac[@]}" mp4-delayed-video-edit-list.mp4
ff $(video 3) -c:v libx265 -preset ultrafast -x265-params log-level=error:crf=45 -tag:v hvc1 mp4-hevc.mp4

# Fragmented MP4, every way ffmpeg writes it.
ff $(video 5) "${x264[@]}" -movflags frag_keyframe+empty_moov frag-empty-moov.mp4
ff $(video 5) "${x264[@]}" -movflags frag_keyframe+empty_moov+default_base_moof frag-default-base-moof.mp4
ff $(video 5) "${x264[@]}" -movflags frag_keyframe frag-first-fragment-in-moov.mp4
ff $(video 5) "${x264[@]}" -movflags cmaf frag-cmaf.mp4
ff $(video 5) "${x264[@]}" -movflags dash+global_sidx frag-dash-global-sidx.mp4
# The DASH muxer, one file per stream (segments as fragments, a sidx each).
dash=$(mktemp -d)
ff $(video 5) "${x264[@]}" -f dash -single_file 1 -seg_duration 1 "$dash/clip.mpd"
mv "$dash/clip-stream0.mp4" frag-dash-single-file.mp4
rm -r "$dash"
ff $(video 5) "${x264[@]}" -movflags frag_keyframe+empty_moov -f mp4 pipe:1 > frag-to-pipe.mp4
ff $(video 4) $(audio 4) "${x264[@]}" "${aac[@]}" -movflags frag_keyframe+empty_moov+default_base_moof -f mp4 pipe:1 > frag-video-and-audio-to-pipe.mp4
ff $(video 5) "${x264[@]}" -movflags frag_every_frame+empty_moov -f ismv frag-ismv.ismv
ff $(video 4) -c:v libx264 -preset medium -crf 45 -bf 2 -g 10 -movflags frag_keyframe+empty_moov -f mp4 pipe:1 > frag-bframes-edit-list-to-pipe.mp4
ff $(video 4) -c:v libx265 -preset ultrafast -x265-params log-level=error:crf=45 -tag:v hvc1 -movflags frag_keyframe+empty_moov -f mp4 pipe:1 > frag-hevc-to-pipe.mp4

# Long ones (11 minutes at 1 fps, tiny): a duration over TikTok's 10-minute maximum must be seen.
ff $(video 660 16x16 1) "${x264[@]}" -g 60 long-11min.mp4
ff $(video 660 16x16 1) "${x264[@]}" -g 60 -movflags frag_keyframe+empty_moov -f mp4 pipe:1 > long-11min-frag-to-pipe.mp4
ff $(video 660 16x16 1) "${x264[@]}" -g 60 -movflags frag_keyframe+empty_moov+default_base_moof long-11min-frag.mp4

# QuickTime.
ff $(video 3) "${x264[@]}" -f mov mov-h264.mov
ff $(video 2) -c:v prores -profile:v 0 mov-prores.mov
# An old-style QuickTime file without ftyp: the same bytes with the ftyp box turned into free
# (offsets stay valid).
cp mov-h264.mov mov-no-ftyp.mov
printf 'free' | dd of=mov-no-ftyp.mov bs=1 seek=4 conv=notrunc status=none

# 3GP is ISO base media like MP4: accepted and uploaded as video/mp4.
ff $(video 3 176x144) "${x264[@]}" -f 3gp 3gp-h264.3gp
ff $(video 3 176x144) -c:v h263 -q:v 31 -f 3gp 3gp-h263.3gp

# WebM.
ff $(video 3) -c:v libvpx-vp9 -b:v 20k -deadline realtime -cpu-used 8 webm-vp9.webm
ff $(video 2.5) $(audio 2.5) -c:v libvpx -b:v 20k -deadline realtime -c:a libopus -b:a 8k -shortest webm-vp8-opus.webm
ff $(video 3) -c:v libvpx-vp9 -b:v 20k -deadline realtime -cpu-used 8 -f webm pipe:1 > webm-to-pipe.webm
ff $(video 3) -c:v libvpx-vp9 -b:v 20k -deadline realtime -cpu-used 8 -cues_to_front 1 -reserve_index_space 200 webm-cues-to-front.webm
ff $(video 3) -c:v libvpx-vp9 -b:v 20k -deadline realtime -cpu-used 8 -live 1 -f webm pipe:1 > webm-live.webm
ff $(video 660 16x16 1) -c:v libvpx-vp9 -b:v 1k -deadline realtime -cpu-used 8 -g 60 long-11min.webm

# Refused: no video track.
ff $(audio 2) "${aac[@]}" audio-only.m4a
ff $(audio 2) "${aac[@]}" -f mp4 audio-only.mp4
ff $(audio 2) -c:a libopus -b:a 8k audio-only.webm
ff $(video 1) -frames:v 1 -c:v libaom-av1 -cpu-used 8 -still-picture 1 still.avif
# A HEIC still as an iPhone writes it: ftyp heic, then meta (a 'pict' handler) and the coded
# image in mdat. ffmpeg cannot write HEIF, so the boxes are written by hand.
heic() {
  printf '\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic'
  printf '\x00\x00\x00\x2ameta\x00\x00\x00\x00'
  printf '\x00\x00\x00\x22hdlr\x00\x00\x00\x00\x00\x00\x00\x00pict\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
  printf '\x00\x00\x00\x10mdat\x00\x00\x00\x01\x26\x01\xaf\x00'
}
heic > still.heic

# Refused: broken recordings.
# Cut inside its moov (an interrupted copy of a fast-start file).
head -c 600 mp4-faststart.mp4 > broken-truncated-moov.mp4
# A recording that crashed before writing its moov: ftyp and mdat, nothing after. ffmpeg leaves
# the mdat size at 0 ("to the end of the file") until it finishes.
moov_at=$(grep -obUaP 'moov' mp4-moov-at-end.mp4 | head -1 | cut -d: -f1)
head -c $((moov_at - 4)) mp4-moov-at-end.mp4 > broken-no-moov.mp4
mdat_at=$(grep -obUaP 'mdat' broken-no-moov.mp4 | head -1 | cut -d: -f1)
printf '\x00\x00\x00\x00' | dd of=broken-no-moov.mp4 bs=1 seek=$((mdat_at - 4)) conv=notrunc status=none
# The same recording cut in the middle of its mdat, with the real mdat size kept.
head -c $((moov_at - 4)) mp4-moov-at-end.mp4 | head -c $((moov_at / 2)) > broken-cut-in-mdat.mp4
# A fragmented recording that lost its moov (the file starts at a moof).
frag_moof=$(grep -obUaP 'moof' frag-to-pipe.mp4 | head -1 | cut -d: -f1)
tail -c +$((frag_moof - 3)) frag-to-pipe.mp4 > broken-fragments-without-moov.mp4

# Refused: other containers and raw streams.
ff $(video 2) -c:v libvpx-vp9 -b:v 20k -deadline realtime -cpu-used 8 -f matroska matroska.mkv
ff $(video 2) -c:v mpeg4 -q:v 31 avi.avi
ff $(video 2) -c:v flv -q:v 31 flv.flv
ff $(video 2) "${x264[@]}" -f mpegts mpegts.ts
ff $(video 2) -r 25 -c:v mpeg1video -q:v 31 -f mpeg mpeg-ps.mpg
ff $(video 2) "${x264[@]}" -f h264 raw.h264
ff $(video 2) -c:v libx265 -preset ultrafast -x265-params log-level=error:crf=45 -f hevc raw.hevc
ff $(audio 1) -c:a pcm_u8 audio.wav
ff $(audio 1) -c:a libopus -b:a 8k audio.ogg

# Refused: images, text, nothing.
ff $(video 1) -frames:v 1 image.png
ff $(video 1) -frames:v 1 -q:v 31 image.jpg
ff $(video 1) -frames:v 1 -c:v libwebp image.webp
ff $(video 1) -frames:v 1 image.gif
printf 'This is a text file with a video name.\n' > text.mp4
: > empty.mp4

# The manifest: what each file must give. Accepted files carry ffprobe's duration.
expect() {
  case "$1" in
    mov-*|*.mov) echo quickTime ;;
    *.webm) echo webM ;;
    *.mp4|*.ismv|*.3gp) echo mp4 ;;
  esac
}
refusal() {
  case "$1" in
    audio-only.*|still.*) echo no_video_track ;;
    broken-truncated-moov.mp4|broken-cut-in-mdat.mp4) echo truncated_file ;;
    broken-no-moov.mp4|broken-fragments-without-moov.mp4) echo missing_movie_header ;;
    matroska.mkv|avi.avi|flv.flv|mpegts.ts|mpeg-ps.mpg|raw.h264|raw.hevc|audio.ogg) echo unsupported_container ;;
    audio.wav|image.*|text.mp4) echo not_a_video ;;
    empty.mp4) echo empty_file ;;
  esac
}
{
  printf '# file\texpected (container, or the refusal code)\tffprobe duration in seconds (- when none)\n'
  for file in $(ls | grep -v -e make-corpus.sh -e README.md -e manifest.tsv | sort); do
    outcome=$(refusal "$file")
    if [ -n "$outcome" ]; then
      printf '%s\t%s\t-\n' "$file" "$outcome"
    else
      duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$file")
      [ "$duration" = "N/A" ] && duration=-
      printf '%s\t%s\t%s\n' "$file" "$(expect "$file")" "$duration"
    fi
  done
} > manifest.tsv
du -ch $(ls | grep -v make-corpus.sh) | tail -1
