#!/usr/bin/env python3
"""Fits the speech-pace line of the speech rate (speaking.paceRateInterceptPerSecond and
paceRateSlope in Models/detectors.json): syllables per second of speaking = intercept + slope ×
the vowel-band envelope's modulation centroid (2-10 Hz), the estimate CallQA uses where syllable
nuclei merge (fast, spontaneous, reverberant speech). Prints the fit and the syllable-count error
per collection and split with the guards CallQA applies (pace ≥ 4 syllables/s, ≥ 3.84 s spoken).

Trained on: the tuning split of the real recordings (TUNE in scripts/evaluate_real.py: read Mandarin
speaker S0150 and four spontaneous clips), and espeak Mandarin clips (the training voices of
scripts/make_training_audio.py at 135-330 words/min), weighted 0.3 against the real speech. Held
out: every other real Mandarin recording and clips of the held-out espeak voices. Needs the real
collection (skips without it), espeak-ng and sox.

    python3 scripts/fit_pace.py [--callqa .build/release/callqa]
"""
import argparse, io, json, os, re, subprocess, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "SampleAudio"))
from evaluate_real import DEFAULT_REAL, EXTRA_SYLLABLES, collections, split_of  # noqa: E402
from make_training_audio import HELD_OUT_VOICES, TRAIN_VOICES  # noqa: E402

OUT = os.path.join(HERE, "..", ".build-train", "pace")
WINDOW, HOP, MINIMUM_FRAMES, MINIMUM_PER_SECOND, ESPEAK_WEIGHT = 256, 64, 384, 4.0, 0.3


def espeak_clips():
    import generate
    lines = generate.AGENT_LINES + generate.CUSTOMER_LINES
    rng = np.random.RandomState(3)
    os.makedirs(OUT, exist_ok=True)
    clips = []
    for split, voices in (("tune", TRAIN_VOICES), ("held-out", HELD_OUT_VOICES)):
        for i, voice in enumerate(voices):
            for speed in (150, 230, 300):
                text = "".join(lines[j] for j in rng.choice(len(lines), 4, replace=False))
                chars = len(re.findall(r"[\u4e00-\u9fff]", text))
                wpm = int(speed * rng.uniform(0.9, 1.1))
                path = os.path.join(OUT, f"{split}-{i}-{wpm}.wav")
                if not os.path.exists(path):
                    raw = os.path.join(OUT, "raw.wav")
                    subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin" + voice, "-s", str(wpm), "-p",
                                    str(int(rng.uniform(30, 70))), "-w", raw, text], check=True)
                    subprocess.run(["sox", "-D", "-V1", raw, "-r", "8000", path, "gain", "-n", "-3"], check=True)
                else:
                    rng.uniform(30, 70)
                clips.append(("espeak", split, path, chars))
    return clips


def measure(callqa, path, off):
    """Nuclei (pace off), seconds spoken and the modulation centroid, as SyllabicPace computes it."""
    report = json.loads(subprocess.run([callqa, "analyze", "--json", "--detectors", off, path],
                                       capture_output=True, text=True).stdout.splitlines()[0])
    out = subprocess.run([callqa, "dump-features", path], capture_output=True, text=True).stdout
    a = np.genfromtxt(io.StringIO(out), delimiter=",", names=True)
    a = a[a["channel"] == 0]
    speech = a["label"] == 1
    if speech.sum() < MINIMUM_FRAMES:
        return None
    level = a["vowelDB"][speech].astype(float)
    level = np.maximum(level, level.max() - 40)
    level -= level.mean()
    power = np.zeros(WINDOW // 2 + 1)
    for s in range(0, max(1, len(level) - WINDOW + 1), HOP):
        chunk = level[s:s + WINDOW]
        chunk = np.pad(chunk, (0, WINDOW - len(chunk)))
        power += np.abs(np.fft.rfft(chunk * np.hanning(WINDOW))) ** 2
    hz = np.fft.rfftfreq(WINDOW, 0.01)
    band = (hz >= 2) & (hz <= 10)
    mixed = report["mixed"] or report["parties"]["agent"]
    return mixed["syllables"], speech.sum() / 100, float((power[band] * hz[band]).sum() / power[band].sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callqa", default=".build/release/callqa")
    args = ap.parse_args()
    real = os.path.abspath(os.environ.get("CALLQA_REALAUDIO", DEFAULT_REAL))
    if not os.path.isdir(real):
        print(f"skipped: no real-audio collection at {real}")
        return
    transcripts = json.load(open(os.path.join(real, "transcripts.json")))
    items = [(title.split()[0], split_of(k), os.path.join(real, k), transcripts[k]["cjk_char_count"] + EXTRA_SYLLABLES.get(k, 0))
             for title in ("read Mandarin", "spontaneous Mandarin") for k in collections(real)[title]]
    items += espeak_clips()
    off = os.path.join(OUT, "pace-off.json")
    os.makedirs(OUT, exist_ok=True)
    json.dump({"speaking": {"paceRateSlope": 0}}, open(off, "w"))
    rows = []
    for kind, split, path, chars in items:
        m = measure(args.callqa, path, off)
        if m:
            rows.append(dict(kind=kind, split=split, chars=chars, nuclei=m[0], seconds=m[1], hz=m[2]))
    train = [r for r in rows if r["split"] == "tune"]
    # Weighted least squares: rows scaled by the square root of their weight.
    w = np.sqrt(np.array([ESPEAK_WEIGHT if r["kind"] == "espeak" else 1.0 for r in train]))
    X = np.array([[1, r["hz"]] for r in train]); y = np.array([r["chars"] / r["seconds"] for r in train])
    intercept, slope = np.linalg.lstsq(X * w[:, None], y * w, rcond=None)[0]
    print(f"syllables per second spoken = {intercept:.3f} + {slope:.3f} × centroid Hz")
    for kind in ("read", "spontaneous", "espeak"):
        for split in ("tune", "held-out"):
            errors = []
            for r in (r for r in rows if r["kind"] == kind and r["split"] == split):
                pace = intercept + slope * r["hz"]
                count = max(r["nuclei"], round(pace * r["seconds"])) if pace >= MINIMUM_PER_SECOND else r["nuclei"]
                errors.append(abs(count - r["chars"]) / r["chars"])
            if errors:
                print(f"{kind:12} {split:8} {len(errors):3} clips: mean abs. error {np.mean(errors):.1%}")


if __name__ == "__main__":
    main()
