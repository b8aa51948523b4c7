#!/usr/bin/env python3
"""Writes lossy-codec copies of a folder of calls with truth (SampleAudio, or the unseen set in
.build-eval), so scripts/evaluate.py can score CallQA on what a recorder that saves MP3, Ogg Vorbis
or Opus leaves of a call. Each copy is encoded at libsndfile's default (low) bitrate for its rate,
one folder per codec, with the truth files copied beside it.

    python3 scripts/make_codec_copies.py SampleAudio .build-codec/sample
    python3 scripts/evaluate.py --callqa .build/release/callqa .build-codec/sample/mp3

Needs python-soundfile with libsndfile >= 1.1 (MP3, Opus). Developer tool, not shipped.
"""
import glob, os, shutil, sys

import soundfile as sf

CODECS = {"mp3": ("MP3", "MPEG_LAYER_III", ".mp3"), "vorbis": ("OGG", "VORBIS", ".ogg"), "opus": ("OGG", "OPUS", ".opus")}


def main():
    source, out = sys.argv[1], sys.argv[2]
    files = sorted(f for f in glob.glob(os.path.join(source, "*")) if f.endswith((".wav", ".flac")))
    for codec, (fmt, subtype, extension) in CODECS.items():
        folder = os.path.join(out, codec)
        if os.path.exists(os.path.join(folder, ".done")):
            continue
        os.makedirs(os.path.join(folder, "truth"), exist_ok=True)
        for f in files:
            stem = os.path.splitext(os.path.basename(f))[0]
            x, rate = sf.read(f, dtype="float32")
            sf.write(os.path.join(folder, stem + extension), x, rate, format=fmt, subtype=subtype)
            shutil.copy(os.path.join(source, "truth", stem + ".json"), os.path.join(folder, "truth"))
        open(os.path.join(folder, ".done"), "w").close()
        print(f"{codec}: {len(files)} calls in {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
