#!/usr/bin/env python3
"""Hours of one kind of content each, for `make bench`'s content-independence lines: analysis
cost should follow duration, not what the hour holds. 8 kHz stereo μ-law like bench/hour-ulaw.wav
(the conversation hour); agent on the left. A minute is built with SampleAudio/generate.py's own
signal makers, then repeated to an hour by sox.

    python3 scripts/make_bench_hours.py OUTDIR

Writes OUTDIR/hour-{music-hold,beep-hold,ringing,silent}.wav (skips those already there):
  music-hold  the agent leg plays hold music at -20 dBov over its line noise, the customer listens
  beep-hold   the agent leg beeps (1 kHz, 0.3 s every 4 s) over its line noise
  ringing     ring-back (450 Hz, 1 s on, 4 s off) on the agent leg, the far leg digitally silent
  silent      both legs digitally silent (VoIP silence suppression through a long hold)
"""
import os, subprocess, sys, tempfile
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleAudio"))
import generate as g  # noqa: E402

SR, MINUTE = 8000, 60


def line(n, rng, dbov):
    return g.noise(n, SR, "pink", rng) * 10 ** (dbov / 20)


def minute(kind):
    rng = np.random.RandomState(7)
    n = SR * MINUTE
    if kind == "music-hold":
        return g.music(MINUTE, SR, -20, seed=3) + line(n, rng, -62), line(n, rng, -66)
    if kind == "beep-hold":
        return g.beeps(MINUTE, SR, -18) + line(n, rng, -62), line(n, rng, -66)
    if kind == "ringing":
        tone, _ = g.ringback("china", MINUTE // 5, SR, -16)
        return tone[:n], np.zeros(n)
    if kind == "silent":
        return np.zeros(n), np.zeros(n)
    raise ValueError(kind)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for kind in ["music-hold", "beep-hold", "ringing", "silent"]:
        path = os.path.join(out, f"hour-{kind}.wav")
        if os.path.exists(path):
            continue
        left, right = minute(kind)
        with tempfile.TemporaryDirectory() as tmp:
            raw = os.path.join(tmp, "minute.f32")
            np.stack([left, right], 1).astype("<f4").tofile(raw)
            subprocess.run(["sox", "-t", "raw", "-r", str(SR), "-c", "2", "-e", "floating-point", "-b", "32", raw,
                            "-e", "u-law", "-t", "wav", path + ".part", "repeat", str(3600 // MINUTE - 1)], check=True)
        os.replace(path + ".part", path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
