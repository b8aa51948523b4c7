#!/usr/bin/env python3
"""Fits the music-vs-speech network (one small hidden layer) on features computed by `callqa dump-features` and
prints it as Swift (MusicModel+Trained.swift) and JSON (for Models/detectors.json).

Training: SampleAudio's speech and hold-music frames, real Mandarin speech from speaker S0150, two
real telephone/conversation recordings, three real music pieces, and the `train/` half of the corpus
written by scripts/make_training_audio.py. Held out for validation: speaker S0252 and the other
speech files, English speech, the other telephone recordings, the other music pieces (including
both qMOH music-on-hold loops), and the corpus's `heldout/` voices and music styles.

    python3 scripts/make_training_audio.py
    python3 scripts/train_music_model.py > Sources/CallAnalysis/MusicModel+Trained.swift
    swift build -c release && .build/release/callqa defaults > Models/detectors.json
"""
import argparse, glob, io, json, os, subprocess, sys
import numpy as np

REAL = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "realaudio")
NAMES = ["persistence", "lowEnergyRatio", "levelSpreadDB", "fluxDB", "tonality", "flatnessSpread", "syllabicModulation", "steadyPitch"]


def dump(callqa, path):
    out = subprocess.run([callqa, "dump-features", path], capture_output=True, text=True, check=True).stdout
    return np.genfromtxt(io.StringIO(out), delimiter=",", names=True)


def active(a):
    return (a["divergenceDB"] >= 5) & (a["bandDB"] >= -62)


def matrix(a, mask):
    return np.stack([a["m_" + n][mask] for n in NAMES], axis=1)


def truth_mask(a, path, want):
    stem = os.path.splitext(os.path.basename(path))[0]
    t = json.load(open(os.path.join(os.path.dirname(path), "truth", stem + ".json")))
    m = np.zeros(len(a), bool)
    for s in t["segments"]:
        if want == "speech" and s["kind"] == "speech":
            ch = 0 if t["layout"] == "mono" or s["party"] == "agent" else 1
        elif want == "music" and s["kind"] == "hold" and s["holdKind"] == "music":
            ch = 0
        elif want == "music" and s["kind"] == "ringback" and t["answer"]["tonePlan"] == "CRBT":
            ch = 0
        else:
            continue
        # stay 0.5 s inside each segment: the windows at the edges straddle two classes
        m |= (a["seconds"] >= s["startSeconds"] + 0.5) & (a["seconds"] < s["endSeconds"] - 0.5) & (a["channel"] == ch)
    return m & active(a)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callqa", default=".build/release/callqa")
    ap.add_argument("--hidden", type=int, default=8, help="hidden units")
    ap.add_argument("--corpus", default=".build-train", help="output of scripts/make_training_audio.py")
    args = ap.parse_args()
    train_x, train_y, val = [], [], {}

    def add(x, y, split, name):
        if split == "train":
            train_x.append(x); train_y.append(np.full(len(x), y))
        else:
            val.setdefault(name, []).append((x, y))

    for f in sorted(glob.glob("SampleAudio/*.wav") + glob.glob("SampleAudio/*.flac")):
        a = dump(args.callqa, f)
        add(matrix(a, truth_mask(a, f, "speech")), 0, "train", "")
        add(matrix(a, truth_mask(a, f, "music")), 1, "train", "")
    zh = sorted(glob.glob(os.path.join(REAL, "zh_speech", "*", "*.wav")) + glob.glob(os.path.join(REAL, "zh_speech", "*.wav")))
    for f in zh:
        a = dump(args.callqa, f)
        split = "train" if "S0150" in f else "val"
        add(matrix(a, active(a)), 0, split, "real zh speech (held out)")
    for f in glob.glob(os.path.join(REAL, "en_speech", "*")):
        a = dump(args.callqa, f)
        add(matrix(a, active(a)), 0, "val", "real en speech (held out)")
    for f in sorted(glob.glob(os.path.join(REAL, "telephone", "*.wav")) + glob.glob(os.path.join(REAL, "conversation", "*.wav"))):
        a = dump(args.callqa, f)
        split = "train" if ("dev00" in f or "OSR" in f) else "val"
        add(matrix(a, active(a)), 0, split, "real telephone/conversation speech (held out)")
    train_music = ("Hungarian", "Karissa", "Sugar_Plum")
    for f in glob.glob(os.path.join(REAL, "music", "*_8k.wav")) + glob.glob(os.path.join(REAL, "music", "*.flac")):
        a = dump(args.callqa, f)
        split = "train" if any(k in f for k in train_music) else "val"
        add(matrix(a, active(a)), 1, split, "real music (held out)")

    for split in ("train", "heldout"):
        for f in sorted(glob.glob(os.path.join(args.corpus, split, "*.wav"))):
            a = dump(args.callqa, f)
            y = 1 if os.path.basename(f).startswith("music") else 0
            kind = "synthetic " + ("music" if y else "speech")
            add(matrix(a, active(a)), y, "train" if split == "train" else "val",
                kind + (" (held-out styles)" if y else " (held-out voices)"))

    X = np.concatenate(train_x); y = np.concatenate(train_y).astype(float)
    mean = X.mean(0); scale = X.std(0) + 1e-6
    Z = (X - mean) / scale
    W1, b1, W2, b2 = fit(Z, y, hidden=args.hidden)
    prob = lambda Zs: 1 / (1 + np.exp(-(np.tanh(Zs @ W1.T + b1) @ W2 + b2)))
    print(f"train: {len(y)} frames, accuracy {np.mean((prob(Z) >= 0.5) == y):.3f}", file=sys.stderr)
    for name, parts in sorted(val.items()):
        x = np.concatenate([q[0] for q in parts]); yy = parts[0][1]
        pv = prob((x - mean) / scale)
        print(f"{name}: {len(x)} frames, accuracy {np.mean((pv >= 0.5) == yy):.3f}", file=sys.stderr)
    fmt = lambda v: "[" + ", ".join(f"{float(x):.5g}" for x in np.ravel(v)) + "]"
    print(f"""// Generated by scripts/train_music_model.py: do not edit by hand.
extension MusicModel {{
    public static let trained = MusicModel(
        featureNames: {json.dumps(NAMES)},
        means: {fmt(mean)},
        scales: {fmt(scale)},
        hiddenWeights: {fmt(W1)},
        hiddenBiases: {fmt(b1)},
        outputWeights: {fmt(W2)},
        outputBias: {b2:.5g})
}}""")


def fit(Z, y, hidden, steps=3000, lr=0.01, l2=1e-4):
    """One tanh hidden layer, logistic output, class-balanced cross-entropy, Adam; deterministic."""
    rng = np.random.RandomState(0)
    params = [rng.randn(hidden, Z.shape[1]) * 0.5, np.zeros(hidden), rng.randn(hidden) * 0.5, np.zeros(1)]
    m = [np.zeros_like(p) for p in params]; v = [np.zeros_like(p) for p in params]
    cw = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean())) / len(y)
    for t in range(1, steps + 1):
        W1, b1, W2, b2 = params
        h = np.tanh(Z @ W1.T + b1)
        p = 1 / (1 + np.exp(-(h @ W2 + b2[0])))
        g = (p - y) * cw
        gh = np.outer(g, W2) * (1 - h * h)
        grads = [gh.T @ Z + l2 * W1, gh.sum(0), h.T @ g + l2 * W2, np.array([g.sum()])]
        for i, gr in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * gr; v[i] = 0.999 * v[i] + 0.001 * gr * gr
            params[i] = params[i] - lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
    W1, b1, W2, b2 = params
    return W1, b1, W2, float(b2[0])


if __name__ == "__main__":
    main()
