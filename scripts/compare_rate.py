#!/usr/bin/env python3
"""Speech rate (Mandarin characters per minute) against truth, CallQA beside de Jong & Wempe's
syllable-nuclei method (praat-parselmouth) counted inside Silero VAD's and webrtcvad's segments.

Synthetic calls (truth from SampleAudio/generate.py): mean absolute percentage error of each party's
rate (characters / talk seconds). Real Mandarin recordings (../shared/realaudio/zh_speech, with
transcripts): syllables implied by the output against the transcript's character count.

    python3 scripts/compare_rate.py [--callqa .build/release/callqa] [--telephone] [FOLDER ...]

--telephone also measures telephone-band copies of the real recordings (8 kHz μ-law, 300–3400 Hz,
made with sox in a temporary folder), as a recorder on a phone line would hear them.
"""
import argparse, glob, json, os, subprocess, sys, tempfile
import numpy as np
import parselmouth
import soundfile as sf

sys.path.insert(0, os.path.dirname(__file__))
from compare_vads import Silero, webrtc_frames  # noqa: E402

HOP = 0.01
REAL = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "realaudio")


def dejong_nuclei(x, sr, segments):
    """de Jong & Wempe (2009) as their Praat script does it: intensity peaks above a threshold
    (0.99 quantile − 25 dB, not under the median), a dip of ≥ 2 dB before each next peak, voiced
    at the peak; counted inside the given (start, end) segments."""
    snd = parselmouth.Sound(x.astype(np.float64), sampling_frequency=sr)
    intensity = snd.to_intensity(minimum_pitch=50, time_step=0.01)
    values = intensity.values[0]
    times = intensity.xs()
    threshold = max(np.quantile(values, 0.99) - 25, np.median(values))
    pitch = snd.to_pitch_ac(time_step=0.01, pitch_floor=50, pitch_ceiling=500)
    count = 0
    for a, b in segments:
        m = (times >= a) & (times < b)
        v, t = values[m], times[m]
        peaks = [i for i in range(1, len(v) - 1) if v[i] > v[i - 1] and v[i] >= v[i + 1] and v[i] > threshold]
        kept = []
        for i in peaks:
            if kept and min(v[kept[-1]:i + 1]) > v[i] - 2:
                continue
            if pitch.get_value_at_time(t[i]) != pitch.get_value_at_time(t[i]):  # NaN: unvoiced
                continue
            kept.append(i)
        count += len(kept)
    return count


def runs(mask):
    out, start = [], None
    for i, v in enumerate(list(mask) + [False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start * HOP, i * HOP)); start = None
    return out


def bridged(segs, gap=0.45):
    out = []
    for s in segs:
        if out and s[0] - out[-1][1] <= gap:
            out[-1] = (out[-1][0], s[1])
        else:
            out.append(s)
    return out


def peer_rates(x, sr, silero):
    n = int(len(x) / sr / HOP) + 1
    result = {}
    for name in ("silero", "webrtcvad"):
        mask = silero.frames(x, sr, n) if name == "silero" else webrtc_frames(x, sr, n)
        segs = bridged(runs(mask))
        talk = sum(b - a for a, b in segs)
        result[name] = (dejong_nuclei(x, sr, segs), talk)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callqa", default=".build/release/callqa")
    ap.add_argument("--telephone", action="store_true")
    ap.add_argument("folders", nargs="*", default=["SampleAudio"])
    args = ap.parse_args()
    silero = Silero()
    for folder in args.folders:
        files = sorted(f for f in glob.glob(os.path.join(folder, "*")) if f.endswith((".wav", ".flac")))
        out = subprocess.run([args.callqa, "analyze", "--json"] + files, capture_output=True, text=True).stdout
        reports = {os.path.basename(json.loads(l)["file"]): json.loads(l) for l in out.splitlines()}
        errors = {"callqa": [], "silero": [], "webrtcvad": []}
        for f in files:
            t = json.load(open(os.path.join(folder, "truth", os.path.splitext(os.path.basename(f))[0] + ".json")))
            r = reports[os.path.basename(f)]
            x, sr = sf.read(f, dtype="float32", always_2d=True)
            if sr not in (8000, 16000):
                continue  # the peers take 8 or 16 kHz only
            if t["layout"] == "stereo":
                cases = [(p, x[:, i], t["parties"][p]["speechRateCharsPerMinute"], r["parties"][p]) for i, p in enumerate(("agent", "customer"))]
            else:
                chars = t["parties"]["agent"]["characterCount"] + t["parties"]["customer"]["characterCount"]
                talk = t["parties"]["agent"]["talkSeconds"] + t["parties"]["customer"]["talkSeconds"]
                cases = [("mixed", x[:, 0], chars / talk * 60, r["mixed"])]
            for _, signal, want, mine in cases:
                errors["callqa"].append(abs(mine["speechRateCharsPerMinute"] - want) / want)
                for name, (count, talk) in peer_rates(signal, sr, silero).items():
                    errors[name].append(abs(count / talk * 60 - want) / want)
        print(f"{folder}: speech-rate MAPE " + ", ".join(f"{k} {np.mean(v):.1%}" for k, v in errors.items()))

    transcripts = json.load(open(os.path.join(REAL, "transcripts.json")))
    keys = [k for k in transcripts if k.startswith("zh_speech/")]  # the 43 read clips; evaluate_real.py has the rest
    real_errors(args.callqa, silero, transcripts, keys, {k: os.path.join(REAL, k) for k in keys}, "real zh_speech")
    if args.telephone:
        with tempfile.TemporaryDirectory() as tmp:
            paths = {k: os.path.join(tmp, k.replace("/", "_")) for k in keys}
            for k, path in paths.items():
                subprocess.run(["sox", os.path.join(REAL, k), "-r", "8000", "-e", "u-law", path,
                                "highpass", "300", "lowpass", "3400"], check=True)
            real_errors(args.callqa, silero, transcripts, keys, paths, "telephone-band copies")


def real_errors(callqa, silero, transcripts, keys, paths, title):
    out = subprocess.run([callqa, "analyze", "--json"] + [paths[k] for k in keys], capture_output=True, text=True).stdout
    reports = [json.loads(l) for l in out.splitlines()]
    errors = {"callqa": [], "silero": [], "webrtcvad": []}
    for k, r in zip(keys, reports):
        want = transcripts[k]["cjk_char_count"]
        m = r["mixed"] if r["mixed"] else r["parties"]["agent"]
        errors["callqa"].append((m["speechRateCharsPerMinute"] * m["talkSeconds"] / 60 - want) / want)
        x, sr = sf.read(paths[k], dtype="float32", always_2d=True)
        for name, (count, _) in peer_rates(x[:, 0], sr, silero).items():
            errors[name].append((count - want) / want)
    print(f"{title} ({len(keys)} files): " + ", ".join(
        f"{k} mean |error| {np.mean(np.abs(v)):.1%} (overall {np.mean(v):+.1%})" for k, v in errors.items()))

if __name__ == "__main__":
    main()
