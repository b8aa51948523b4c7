#!/usr/bin/env python3
"""The study behind CallQA's note grid (`NoteGrid`, the music model's ninth input): positive evidence
of music from pitch quantisation. The built-in measure steps every 80 ms at the channel's own rate,
on active frames; this prototype, as studied, every 40 ms at 4 kHz on every frame.

Tonal music plays notes of one tuning (12-tone equal temperament): the steady spectral peaks of
the last few seconds sit on one semitone grid, whatever the reference pitch. A voice's harmonics
glide and its F0 is not quantised, so its peaks land anywhere between grid lines. The measure:

1. Resample to 8 kHz, then decimate by 2 (4 kHz). Every 40 ms, a 512-point Hann FFT of the last
   512 samples (128 ms, 7.8 Hz bins).
2. Peaks between 100 and 2000 Hz within 25 dB of the frame's strongest, refined by a parabola
   through the log powers; each peak's pitch in semitones, s = 12·log2(f / 440).
3. Peaks are joined into tracks (nearest peak within 0.12 semitone of the track's last pitch);
   a track of at least 3 steps (120 ms) is a note: its median pitch, duration and energy.
4. Every 0.5 s, over the notes that started in the last 3 s (causal durations, at least 3 notes):
   v = Σ d·exp(2πi·s); gridZ = |v|² / Σ d² (how coherent the notes' semitone fractions are), and
   gridS = the notes' energy within 0.2 semitone of the common grid over the band's energy in
   those 3 s. NOTE_GRID = min(gridZ / 15, gridS / 0.2); above 1 is music evidence.

Reads the real recordings (a developer resource outside the repository; skipped when absent) and
their 8 kHz μ-law telephone copies with the written split of scripts/evaluate_real.py, and prints
the largest value on any speech window (windows where 30% of the last second is within 30 dB of
the file's loud level) and, per music piece, the share of windows above 1.

    python3 scripts/study_note_grid.py [--real DIR]
"""
import argparse, os, subprocess, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate_real import CACHE, DEFAULT_REAL, collections, split_of, telephone_copy  # noqa: E402

SR, DECIMATE, N, STEP_HOPS, MIN_NOTE_STEPS = 8000, 2, 512, 4, 3
WINDOW_HOPS = 300  # 3 s of 10 ms hops


def load_8k(real, key):
    import soundfile as sf
    out = os.path.join(CACHE, "grid8k", key.replace("/", "__").rsplit(".", 1)[0] + ".wav")
    if not os.path.exists(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["sox", os.path.join(real, key), "-r", str(SR), "-c", "1", "-b", "16", out], check=True)
    x, sr = sf.read(out, dtype="float64", always_2d=True)
    return x.mean(1)


def notes_of(x):
    from scipy.signal import resample_poly
    y = resample_poly(x, 1, DECIMATE)
    sr, hop = SR // DECIMATE, 80 // DECIMATE
    y = np.concatenate([np.zeros(N - 128), y])
    count = 1 + (len(y) - N) // (hop * STEP_HOPS)
    idx = np.arange(N)[None, :] + hop * STEP_HOPS * np.arange(max(count, 0))[:, None]
    power = np.abs(np.fft.rfft(y[idx] * np.hanning(N))) ** 2
    k0, k1 = int(100 * N / sr), min(N // 2 - 1, int(2000 * N / sr) + 1)
    level = 10 * np.log10(power + 1e-10)
    band_energy = power[:, k0:k1].sum(1)
    active, notes = [], []
    for f in range(len(level)):
        row, c = level[f], level[f, k0:k1]
        j = np.where((c[1:-1] > c[:-2]) & (c[1:-1] >= c[2:]) & (c[1:-1] > c.max() - 25))[0] + 1 + k0
        a, b, g = row[j - 1], row[j], row[j + 1]
        s = 12 * np.log2((j + 0.5 * (a - g) / (a - 2 * b + g + 1e-12)) * sr / N / 440.0)
        pw = 10 ** (b / 10)
        kept, used = [], set()
        for t in active:
            if len(s):
                q = int(np.argmin(np.abs(s - t[2][-1])))
                if abs(s[q] - t[2][-1]) < 0.12 and q not in used:
                    t[2].append(s[q]); t[3] += pw[q]; t[1] = f; used.add(q); kept.append(t); continue
            if t[1] - t[0] + 1 >= MIN_NOTE_STEPS: notes.append(t)
        kept += [[f, f, [s[q]], pw[q]] for q in range(len(s)) if q not in used]
        active = kept
    notes += [t for t in active if t[1] - t[0] + 1 >= MIN_NOTE_STEPS]
    table = np.array([(t[0] * STEP_HOPS, (t[1] + 1) * STEP_HOPS, np.median(t[2]), t[3]) for t in notes]).reshape(-1, 4)
    return table, band_energy


def note_grid(x):
    """NOTE_GRID every 0.5 s (window ends at hops 100, 150, ...) and the share of each window's last second that is loud."""
    table, band = notes_of(x)
    start, end, pitch, energy = table.T
    hop_db = 10 * np.log10(np.array([np.mean(x[i:i + 80] ** 2) for i in range(0, len(x) - 79, 80)]) + 1e-12)
    loud = (hop_db > np.percentile(hop_db, 99) - 30) & (hop_db > -60)
    ends = np.arange(100, len(hop_db) + 1, 50)
    out, share = np.zeros(len(ends)), np.array([loud[t - 100:t].mean() for t in ends])
    for i, t in enumerate(ends):
        dur = np.minimum(end, t) - start
        m = (start >= t - WINDOW_HOPS) & (start < t) & (dur >= MIN_NOTE_STEPS * STEP_HOPS)
        if m.sum() < 3: continue
        e = energy * dur / np.maximum(end - start, 1)
        phase = np.exp(2j * np.pi * pitch[m]); v = (dur[m] * phase).sum()
        z = abs(v) ** 2 / (dur[m] ** 2).sum()
        off = np.mod(pitch[m] - np.angle(v) / (2 * np.pi) + 0.5, 1) - 0.5
        s = e[m][np.abs(off) < 0.2].sum() / (band[max(0, (t - WINDOW_HOPS) // STEP_HOPS):t // STEP_HOPS].sum() + 1e-12)
        out[i] = min(z / 15, s / 0.2)
    return out, share


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", default=DEFAULT_REAL)
    args = ap.parse_args()
    if not os.path.isdir(args.real):
        print(f"skipped: no real recordings at {args.real}"); return
    import soundfile as sf
    for title, keys in collections(args.real).items():
        for variant in ("", ", telephone copies"):
            for split in ("tune", "held-out"):
                chosen = [k for k in keys if split_of(k) == split]
                if not chosen: continue
                worst, above, windows, pieces = (0.0, ""), 0, 0, []
                for k in chosen:
                    x = load_8k(args.real, k) if not variant else sf.read(telephone_copy(args.real, k), dtype="float64", always_2d=True)[0].mean(1)
                    grid, share = note_grid(x)
                    m = share >= 0.3
                    if m.any():
                        worst = max(worst, (float(grid[m].max()), os.path.basename(k)))
                        above += int((grid[m] > 1).sum()); windows += int(m.sum())
                        pieces.append(f"{os.path.basename(k)[:28]} {(grid[m] > 1).mean():.2f}")
                if title == "music":
                    print(f"{title + variant:36} {split:8} windows above 1: {above / max(windows, 1):5.1%}  " + "; ".join(pieces))
                else:
                    print(f"{title + variant:36} {split:8} largest {worst[0]:.2f} ({worst[1]}), windows above 1: {above}/{windows}")


if __name__ == "__main__":
    main()
