#!/usr/bin/env python3
"""Writes a varied, deterministic corpus of 8 kHz speech and music clips for training and checking
the music-vs-speech model (scripts/train_music_model.py). Not shipped: it is regenerated on demand.

Speech: espeak-ng Mandarin (`-v cmn-latn-pinyin`) through many voice variants, speeds and pitches,
utterances with pauses between them, line noise from clean to 5 dB SNR, some clips μ-law coded.
Music: several synthesised styles (chord progressions with a beat, plucked melodies, sustained pads,
square-wave arpeggios, sparse piano-like notes), some with reverb, noise and μ-law.
Clips whose voice variant or music style is in HELD_OUT are written to `heldout/`, the rest to
`train/`, so the model is checked on voices and styles it never saw.

    python3 scripts/make_training_audio.py [OUT]      # default OUT: .build-train
"""
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SampleAudio"))
import generate  # noqa: E402  (reuses its espeak, music and noise helpers)

SR = 8000
CLIP_SECONDS = 20.0
TRAIN_VOICES = ["", "+f1", "+f3", "+f5", "+m1", "+m3", "+m5", "+m7", "+klatt", "+klatt4", "+Andy", "+belinda"]
HELD_OUT_VOICES = ["+f2", "+f4", "+m2", "+m6", "+klatt2", "+Annie", "+john"]
TRAIN_STYLES = ["chords", "pluck", "pad", "arpeggio"]
HELD_OUT_STYLES = ["sparse", "chords-reverb"]
LINES = generate.AGENT_LINES + generate.CUSTOMER_LINES


def speech_clip(voice, rng, tmp):
    x = np.zeros(int(CLIP_SECONDS * SR))
    t = rng.uniform(0.2, 1.0)
    speed = int(rng.uniform(80, 260))
    pitch = int(rng.uniform(25, 75))
    while True:
        line = LINES[rng.randint(len(LINES))]
        wav = os.path.join(tmp, "u.wav"); raw = os.path.join(tmp, "u.f32")
        generate.run(["espeak-ng", "-v", "cmn-latn-pinyin" + voice, "-s", str(speed), "-p", str(pitch), "-w", wav, line])
        generate.run(["sox", "-D", wav, "-r", str(SR), "-e", "floating-point", "-b", "32", "-t", "raw", raw])
        u = generate.read_raw_float(raw)
        start = int(t * SR)
        if start + len(u) > len(x):
            break
        x[start:start + len(u)] += u / (np.max(np.abs(u)) + 1e-9)
        t += len(u) / SR + rng.uniform(0.3, 1.5)
    return x


def envelope(n, attack, decay_seconds):
    tt = np.arange(n) / SR
    a = np.minimum(1.0, tt / max(attack, 1e-3))
    return a * np.exp(-tt / decay_seconds)


def note(freq, seconds, rng, timbre, decay):
    n = int(seconds * SR)
    tt = np.arange(n) / SR
    vib = 1 + (0.004 * np.sin(2 * np.pi * 5.5 * tt) if rng.rand() < 0.3 else 0)
    phase = 2 * np.pi * freq * np.cumsum(vib) / SR
    y = np.zeros(n)
    for h in range(1, 12):
        if freq * h > 3800:
            break
        if timbre == "square" and h % 2 == 0:
            continue
        amp = {"sine": 0.5 ** (h - 1) if h < 3 else 0, "square": 1.0 / h, "saw": 1.0 / h, "soft": 0.6 ** h}[timbre]
        y += amp * np.sin(h * phase)
    return y * envelope(n, 0.01 if decay < 1 else 0.3, decay)


def music_clip(style, rng):
    n = int(CLIP_SECONDS * SR)
    if style.startswith("chords"):
        x = generate.music(CLIP_SECONDS, SR, -20.0, int(rng.randint(1000)))
        if style.endswith("reverb"):
            tail = rng.randn(int(0.6 * SR)) * np.exp(-np.arange(int(0.6 * SR)) / (0.15 * SR))
            x = np.convolve(x, tail)[:n] * 0.1 + x
        return x
    x = np.zeros(n + SR * 4)
    base = rng.uniform(150, 400)
    scale = [0, 2, 4, 5, 7, 9, 11, 12]
    t = 0.0
    timbre = ["sine", "square", "saw", "soft"][rng.randint(4)]
    while t < CLIP_SECONDS:
        if style == "pluck":
            dur = rng.choice([0.15, 0.25, 0.3, 0.5])
            f = base * 2 ** (scale[rng.randint(8)] / 12)
            y = note(f, dur * 2, rng, timbre, 0.25)
        elif style == "pad":
            dur = rng.uniform(1.5, 4.0)
            root = scale[rng.randint(8)]
            y = sum(note(base * 2 ** ((root + i) / 12), dur, rng, "soft", 8.0) for i in (0, 4, 7))
        elif style == "arpeggio":
            dur = rng.choice([0.1, 0.125, 0.2])
            root = scale[rng.randint(8)]
            y = note(base * 2 ** ((root + [0, 4, 7, 12][int(t / dur) % 4]) / 12), dur, rng, "square", 0.5)
        else:  # sparse: isolated piano-like notes with silences between
            dur = rng.uniform(0.4, 1.2)
            f = base * 2 ** (scale[rng.randint(8)] / 12)
            y = note(f, dur, rng, "soft", 0.3) * (rng.rand() < 0.8)
        s = int(t * SR)
        x[s:s + len(y)] += y
        t += dur
    x = x[:n]
    if rng.rand() < 0.4:  # a beat under it
        beat = 60 / rng.uniform(70, 130)
        for k in np.arange(0, CLIP_SECONDS, beat):
            s = int(k * SR); m = int(0.15 * SR)
            tt = np.arange(m) / SR
            kick = np.sin(2 * np.pi * (60 + 80 * np.exp(-tt / 0.03)) * tt) * np.exp(-tt / 0.05)
            x[s:s + m] += kick[: len(x[s:s + m])] * np.max(np.abs(x)) * 0.8
    return x


def speech_bed_clip(voice, style, rng, tmp):
    """Speech with music 8-20 dB under it, as a broadcast read or a recorded announcement."""
    speech = speech_clip(voice, rng, tmp)
    bed = music_clip(style, rng)
    level = lambda v: np.sqrt(np.mean(v[np.abs(v) > 1e-4] ** 2)) + 1e-12
    under_db = rng.uniform(8, 20)
    return speech + bed / level(bed) * level(speech) * 10 ** (-under_db / 20)


def finish(x, rng, level_dbov):
    x = x / (np.sqrt(np.mean(x[np.abs(x) > 0] ** 2)) + 1e-12) * 10 ** (level_dbov / 20)
    snr = [None, 30, 20, 15, 10, 5][rng.randint(6)]
    if snr is not None:
        active_power = np.mean(x[np.abs(x) > 1e-4] ** 2)
        w = generate.noise(len(x), SR, ["white", "pink"][rng.randint(2)], rng)
        x = x + w / np.sqrt(np.mean(w ** 2)) * np.sqrt(active_power / 10 ** (snr / 10))
    return np.clip(x, -1, 1)


def write(x, path, ulaw, tmp):
    raw = os.path.join(tmp, "o.f32")
    x.astype("<f4").tofile(raw)
    enc = ["-e", "u-law", "-b", "8"] if ulaw else ["-e", "signed-integer", "-b", "16"]
    subprocess.run(["sox", "-D", "-t", "raw", "-r", str(SR), "-e", "floating-point", "-b", "32", "-c", "1", raw] + enc + [path], check=True)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else ".build-train"
    for split in ("train", "heldout"):
        os.makedirs(os.path.join(out, split), exist_ok=True)
    rng = np.random.RandomState(7)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [("speech", v, "train") for v in TRAIN_VOICES for _ in range(3)]
        jobs += [("speech", v, "heldout") for v in HELD_OUT_VOICES for _ in range(2)]
        jobs += [("music", s, "train") for s in TRAIN_STYLES for _ in range(5)]
        jobs += [("music", s, "heldout") for s in HELD_OUT_STYLES for _ in range(5)]
        # Speech read over a music bed (a broadcast or an announcement with music under it) is speech.
        # Two per training voice: a bed's notes sit on a semitone grid (the note-grid input), and
        # the model must learn that a voice over them is still speech.
        jobs += [("bed", v, "train") for v in TRAIN_VOICES for _ in range(2)]
        jobs += [("bed", v, "heldout") for v in HELD_OUT_VOICES[:4] for _ in range(2)]
        for i, (kind, variant, split) in enumerate(jobs):
            if kind == "bed":
                styles = TRAIN_STYLES if split == "train" else HELD_OUT_STYLES
                x = speech_bed_clip(variant, styles[rng.randint(len(styles))], rng, tmp)
            else:
                x = speech_clip(variant, rng, tmp) if kind == "speech" else music_clip(variant, rng)
            x = finish(x, rng, rng.uniform(-32, -16))
            name = f"{kind}-{variant.strip('+') or 'default'}-{i:03d}.wav"
            write(x, os.path.join(out, split, name), rng.rand() < 0.5, tmp)
            print(split, name, file=sys.stderr)


if __name__ == "__main__":
    main()
