#!/usr/bin/env python3
"""Who said it, on mono calls: how much of each party's speech `callqa analyze --json` gives to the
right party (agent or customer) when both share one channel, judged on REAL voices. Skips (exit 0)
when the developer collection (../shared/realaudio, or $CALLQA_REALAUDIO) is absent.

    python3 scripts/evaluate_mono.py [--callqa .build/release/callqa] [--out .build-mono]

Built calls (8 kHz mono, cached in OUT/calls with their truth in OUT/truth; rebuilt only if missing):
two real speakers per call, agent first, 6-14 alternating turns of 1.5-8 s cut from the speakers'
own recordings, gaps of 0.3-1.2 s, one or two overlaps (customer 0.2-0.4 s early), one or two
customer backchannels in an agent's pause, per-leg level (0-5 dB apart) and per-leg white or pink
line noise (leg SNR 20-40 dB); even-numbered calls 16-bit PCM, odd ones 8-bit mu-law. Sex is guessed
from the median F0 (< 165 Hz: M); the F0s are printed with each pair.

Split by speaker, the same as scripts/evaluate_real.py's TUNE list (what detectors were developed on):
  TUNE      S0150 (AISHELL read), soulx_male, moss_spk1, fr2_S1 (zh_speech_more spontaneous)
            t1 S0150/soulx_male, t2 the same swapped, t3 S0150/moss_spk1, t4 fr2_S1/soulx_male
  HELD-OUT  S0252 (AISHELL read), soulx_female, moss_spk2, spark, fr2_S2; no speaker shared with TUNE
            h1 moss_spk2/spark, h2 soulx_female/fr2_S2, h3 S0252/soulx_female, h4 the same swapped
            plus the real AMI meeting excerpts conversation/pyannote_{dev00,tst00} (two speakers with
            the most speech; frames where anyone else talks are ignored; agent = who speaks first).
Scoring on 10 ms frames: among the frames where exactly one party speaks and callqa found speech
for some party, the share given to the right party. Swapping the labels per call (max(a, 1-a))
tells a clustering error (stays low) from a role error (recovers).
"""
import argparse, glob, json, os, subprocess, sys
from math import gcd
import numpy as np, soundfile as sf
from scipy.signal import resample_poly

HERE = os.path.dirname(os.path.abspath(__file__))
SR, HOP = 8000, 0.01
AI, MORE = "zh_speech/aishell_asr0009_sample/BAC009", "zh_speech_more/"
SPEAKERS = {  # speaker -> glob of its recordings (AISHELL: the first 10 of 20 utterances is plenty)
    "S0150": AI + "S0150W0*.wav", "S0252": AI + "S0252W0*.wav", "spark": MORE + "sparktts_prompt_audio.wav",
    "soulx_male": MORE + "soulxpodcast_male_mandarin.wav", "soulx_female": MORE + "soulxpodcast_female_mandarin.wav",
    "moss_spk1": MORE + "mossttsd_zh_spk1_moon.wav", "moss_spk2": MORE + "mossttsd_zh_spk2_moon.wav",
    "fr2_S1": MORE + "fireredtts2_chat_prompt_zh_S1.flac", "fr2_S2": MORE + "fireredtts2_chat_prompt_zh_S2.flac",
}
CALLS = [  # name, split, agent, customer (the seed is the call's index)
    ("t1", "tune", "S0150", "soulx_male"), ("t2", "tune", "soulx_male", "S0150"),
    ("t3", "tune", "S0150", "moss_spk1"), ("t4", "tune", "fr2_S1", "soulx_male"),
    ("h1", "held-out", "moss_spk2", "spark"), ("h2", "held-out", "soulx_female", "fr2_S2"),
    ("h3", "held-out", "S0252", "soulx_female"), ("h4", "held-out", "soulx_female", "S0252"),
]
PYANNOTE = ["pyannote_dev00", "pyannote_tst00"]

def load8k(path):
    x, sr = sf.read(path, always_2d=True, dtype="float64")
    return resample_poly(x.mean(1), SR // gcd(sr, SR), sr // gcd(sr, SR))

def frame_db(x):
    """Energy of 10 ms frames in dB relative to the loudest frame."""
    n = int(HOP * SR)
    e = np.mean(x[: len(x) // n * n].reshape(-1, n) ** 2, 1) + 1e-20
    return 10 * np.log10(e / e.max())

def trim(x):
    """Drop leading/trailing frames more than 40 dB under the peak frame (the truth's speech extent)."""
    on, n = np.where(frame_db(x) > -40)[0], int(HOP * SR)
    return x[on[0] * n:(on[-1] + 1) * n] if len(on) else x[:0]

def median_f0(x):
    """Median F0 (Hz) of voiced 40 ms frames by a YIN-style cumulative mean normalised difference."""
    n, hop, maxlag = int(0.04 * SR), int(HOP * SR), SR // 60
    fr = np.stack([x[i:i + n + maxlag] for i in range(0, len(x) - n - maxlag, hop)])
    e, lags = np.mean(fr[:, :n] ** 2, 1), np.arange(1, maxlag)
    fr = fr[e > e.max() * 1e-3]  # within 30 dB of the loudest frame
    d = np.stack([np.sum((fr[:, :n] - fr[:, t:t + n]) ** 2, 1) for t in lags], 1)
    cm = d * lags / np.maximum(np.cumsum(d, 1), 1e-12)
    f0s = []
    for row in cm:
        below = np.where(row[SR // 400 - 1:] < 0.15)[0]  # first dip under 0.15 above 400 Hz's lag
        if len(below):
            k = SR // 400 - 1 + below[0]
            while k + 1 < len(row) and row[k + 1] < row[k]:
                k += 1
            a, b, c = row[k - 1], row[k], row[min(k + 1, len(row) - 1)]  # parabola through the dip:
            shift = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c > 0 else 0  # 8 kHz lags are coarse
            f0s.append(SR / (lags[k] + shift))
    return round(float(np.median(f0s)), 1) if f0s else 0.0

class Stream:
    """A speaker's trimmed recordings, handed out piece by piece, cut at the quietest frame near the
    wanted length so a piece rarely ends mid-syllable. Wraps around when the material runs out."""

    def __init__(self, clips, start):
        self.clips, self.i, self.pos = clips, start % len(clips), 0

    def take(self, seconds, slack=0.4):
        for _ in range(4 * len(self.clips)):
            clip = self.clips[self.i]
            if len(clip) - self.pos < SR * min(1.0, seconds):  # too little left: next recording
                self.i, self.pos = (self.i + 1) % len(self.clips), 0
                continue
            end = self.pos + int(seconds * SR)
            lo = max(self.pos + int(0.1 * SR), end - int(slack * SR))
            cut = len(clip) if end > len(clip) - int(0.5 * SR) else \
                lo + int(np.argmin(frame_db(clip[lo:end + int(slack * SR)]))) * int(HOP * SR)
            piece, self.pos = trim(clip[self.pos:cut]), cut
            if len(piece) >= 0.25 * SR:
                return piece
        raise RuntimeError("speaker material too short")

def colored_noise(rng, n, pink):
    """Unit-RMS white noise, or pink (1/f power: the spectrum scaled by 1/sqrt(f))."""
    w = rng.standard_normal(n)
    if pink:
        w = np.fft.irfft(np.fft.rfft(w) / np.sqrt(np.maximum(np.arange(n // 2 + 1), 1)), n)
    return w / np.sqrt(np.mean(w ** 2))

def active_rms(x):
    """RMS over the frames within 40 dB of the loudest: the leg's active speech level."""
    n = int(HOP * SR)
    return np.sqrt(np.mean(x[: len(x) // n * n].reshape(-1, n)[frame_db(x) > -40] ** 2))

def build_call(index, name, split, agent, customer, real, out):
    rng = np.random.default_rng(1000 + index)
    info, streams, material = {}, {}, {}
    for party, spk in (("agent", agent), ("customer", customer)):
        clips = [trim(load8k(p)) for p in sorted(glob.glob(os.path.join(real, SPEAKERS[spk])))[:10]]
        f0 = median_f0(np.concatenate(clips)[: 60 * SR])
        info[party] = {"speaker": spk, "f0Hz": f0, "sex": "M" if f0 < 165 else "F"}
        streams[party] = Stream(clips, int(rng.integers(len(clips))))
        material[party] = sum(map(len, clips)) / SR
    # Spontaneous speakers have only 5-14 s of audio: fewer, shorter turns so that little is reused.
    n_turns = int(rng.integers(6, int(np.clip(2 * (min(material.values()) // 1.8), 6, 14)) + 1))
    longest = {p: float(np.clip(material[p] / ((n_turns + (p == "agent")) // 2), 1.8, 7.0)) for p in material}
    agent_turns = list(range(2, n_turns, 2))  # not the greeting (turn 0)
    overlaps = set(rng.choice(range(0, n_turns - 1, 2), size=int(rng.integers(1, 3)), replace=False))
    backchannels = set(rng.choice(agent_turns, size=min(len(agent_turns), int(rng.integers(1, 3))), replace=False))
    legs = {"agent": [], "customer": []}  # (start sample, audio); truth segments = each turn's extent
    segments, t = [], rng.uniform(0.4, 1.0)
    for k in range(n_turns):
        party = "agent" if k % 2 == 0 else "customer"
        n_utt = 2 if k in backchannels else int(rng.integers(1, 3))
        total = rng.uniform(1.5, longest[party])
        total = max(total, 3.0) if k in backchannels else total  # two real utterances around it
        utts = [streams[party].take(total / n_utt) for _ in range(n_utt)]
        while sum(map(len, utts)) < 1.5 * SR:  # a turn is at least 1.5 s of speech
            utts.append(streams[party].take(1.0))
        seg = lambda p, a, b: segments.append({"party": p, "startSeconds": round(a, 3), "endSeconds": round(b, 3)})
        start = t
        for j, u in enumerate(utts):
            u = u[: int(8 * SR)]
            legs[party].append((int(t * SR), u))
            t += len(u) / SR
            if j == 0 and k in backchannels:  # the customer's short bit in the agent's pause
                bc = streams["customer"].take(0.5, slack=0.2)[: int(0.8 * SR)]
                seg(party, start, t)
                t += rng.uniform(0.2, 0.35)
                legs["customer"].append((int(t * SR), bc))
                seg("customer", t, t + len(bc) / SR)
                start = t = t + len(bc) / SR + rng.uniform(0.2, 0.35)
            elif j < len(utts) - 1:
                t += rng.uniform(0.15, 0.4)
        seg(party, start, t)
        t += -rng.uniform(0.2, 0.4) if k in overlaps else rng.uniform(0.3, 1.2)
    # Each leg is its own phone line: its own active level (0-5 dB apart) and its own line noise, so
    # level and noise floor are cues a mono attributor may use, as on real calls; then summed to mono.
    n, level_a = int((t + 0.8) * SR), rng.uniform(-25, -19)
    levels = {"agent": level_a, "customer": level_a + rng.choice([-1, 1]) * rng.uniform(0, 5)}
    mix = np.zeros(n)
    for party, pieces in legs.items():
        leg = np.zeros(n)
        for s, u in pieces:
            leg[s:s + len(u)] += u
        leg *= 10 ** (levels[party] / 20) / active_rms(leg)
        snr, pink = rng.uniform(20, 40), bool(rng.integers(2))
        leg += colored_noise(rng, n, pink) * 10 ** ((levels[party] - snr) / 20)
        info[party].update(levelDbfs=round(levels[party], 1), snrDb=round(snr, 1), noise="pink" if pink else "white")
        mix += leg
    mix *= min(1.0, 0.99 / np.max(np.abs(mix)))  # no clipping
    fmt = "PCM_16" if index % 2 == 0 else "ULAW"
    sf.write(os.path.join(out, "calls", name + ".wav"), mix, SR, subtype=fmt)
    truth = {"split": split, "format": fmt, "segments": sorted(segments, key=lambda s: s["startSeconds"]), **info}
    with open(os.path.join(out, "truth", name + ".json"), "w") as f:
        json.dump(truth, f, indent=1)

def pyannote_truth(real, name):
    """The RTTM's two speakers with the most speech; agent = the first to speak; others are ignored."""
    turns = [(r[7], float(r[3]), float(r[3]) + float(r[4])) for r in
             (l.split() for l in open(os.path.join(real, "conversation", name + ".rttm"))) if r and r[0] == "SPEAKER"]
    talk = {spk: sum(e - s for p, s, e in turns if p == spk) for spk, _, _ in turns}
    two = sorted(talk, key=talk.get, reverse=True)[:2]
    agent = min(two, key=lambda spk: min(s for p, s, _ in turns if p == spk))
    role = {agent: "agent", [x for x in two if x != agent][0]: "customer"}
    x, n = load8k(os.path.join(real, "conversation", name + ".wav")), int(HOP * SR)
    truth = {"split": "held-out", "format": "16kPCM",
             "segments": [{"party": role.get(p, "other"), "startSeconds": s, "endSeconds": e} for p, s, e in turns]}
    m = frame_masks(truth["segments"], len(x) / SR)
    for spk, party in role.items():  # F0 over the frames where this speaker talks alone
        alone = np.where(m[party] & ~m["other"] & ~m["customer" if party == "agent" else "agent"])[0]
        f0 = median_f0(np.concatenate([x[i * n:(i + 1) * n] for i in alone]))
        truth[party] = {"speaker": spk, "f0Hz": f0, "sex": spk[0] + "(AMI id)"}
    return truth

def frame_masks(segments, duration):
    n = int(np.ceil(duration / HOP))
    masks = {p: np.zeros(n, bool) for p in ("agent", "customer", "other")}
    for s in segments:
        masks[s["party"] if s["party"] in masks else "other"][int(round(s["startSeconds"] / HOP)):int(round(s["endSeconds"] / HOP))] = True
    return masks

def score(truth, report):
    """(frames scored, frames given to the right party, one-party truth frames). Overlaps and other
    speakers' frames are left out (no single right answer), and so are frames callqa did not find as
    speech (that is VAD, not attribution). A frame callqa gives to both parties counts half."""
    dur = report["durationSeconds"]
    t = frame_masks(truth["segments"], dur)
    c = frame_masks([s for s in report.get("segments", []) if s["kind"] == "speech" and s.get("party") in ("agent", "customer")], dur)
    single = (t["agent"] ^ t["customer"]) & ~t["other"]
    found, both = single & (c["agent"] | c["customer"]), single & c["agent"] & c["customer"]
    right = found & ((t["agent"] & c["agent"]) | (t["customer"] & c["customer"]))
    return int(found.sum()), float(right.sum() - 0.5 * both.sum()), int(single.sum())

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--callqa", default=os.path.join(HERE, "..", ".build", "release", "callqa"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", ".build-mono"))
    args = ap.parse_args()
    real = os.environ.get("CALLQA_REALAUDIO", os.path.join(HERE, "..", "..", "shared", "realaudio"))
    if not os.path.isdir(real):
        print(f"realaudio collection not found at {real} (set CALLQA_REALAUDIO); skipping")
        return 0
    if not os.path.exists(args.callqa):
        sys.exit(f"no callqa binary at {args.callqa} (--callqa)")
    for d in ("calls", "truth"):
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    files, truths = [], {}
    for i, (name, split, agent, customer) in enumerate(CALLS):
        wav, tj = os.path.join(args.out, "calls", name + ".wav"), os.path.join(args.out, "truth", name + ".json")
        if not (os.path.exists(wav) and os.path.exists(tj)):
            build_call(i, name, split, agent, customer, real, args.out)
        files.append(os.path.abspath(wav))
        truths[files[-1]] = (name, json.load(open(tj)))
    for name in PYANNOTE:
        wav = os.path.abspath(os.path.join(real, "conversation", name + ".wav"))
        if os.path.exists(wav):
            files.append(wav)
            truths[wav] = (name, pyannote_truth(real, name))
    detectors = ["--detectors", os.environ["DET"]] if os.environ.get("DET") else []  # a settings file to try
    out = subprocess.run([args.callqa, "analyze", "--json"] + detectors + files, capture_output=True, text=True)
    reports = {os.path.abspath(r["file"]): r for r in map(json.loads, out.stdout.splitlines())}
    print(f"{'call':15} {'split':8} {'fmt':6} {'agent (F0 Hz, sex)':28} {'customer (F0 Hz, sex)':28} "
          f"{'found':>5} {'attrib':>6} {'conf':>5} review")
    rows = []
    for path in files:
        name, truth = truths[path]
        if (r := reports.get(path)) is None:
            print(f"{name:15} callqa gave no report: {out.stderr.strip()[:200]}")
            continue
        found, right, single = score(truth, r)
        conf = (r.get("attribution") or {}).get("confidence")
        r13 = "yes" if (conf if isinstance(conf, (int, float)) else 0) < 0.5 else "no"  # the rubric's R13: under 0.5 is routed for review
        desc = lambda p: f"{truth[p]['speaker']} ({truth[p]['f0Hz']:.0f}, {truth[p]['sex']})"
        print(f"{name:15} {truth['split']:8} {truth['format'][:6]:6} {desc('agent'):28} {desc('customer'):28} "
              f"{found / max(single, 1):5.2f} {right / max(found, 1):6.3f} {conf if conf is not None else '-':>5} {r13}")
        rows.append((truth["split"], found, right, conf if conf is not None else 0.0))
    print("(found: share of one-party truth frames that callqa found as speech of some party)")
    for split in ("tune", "held-out", "all"):
        sel = [x for x in rows if split == "all" or x[0] == split]
        f, r = sum(x[1] for x in sel), sum(x[2] for x in sel)
        fh, rh = sum(x[1] for x in sel if x[3] >= 0.7), sum(x[2] for x in sel if x[3] >= 0.7)
        fk, rk = sum(x[1] for x in sel if x[3] >= 0.5), sum(x[2] for x in sel if x[3] >= 0.5)
        swapped = sum(max(x[2], x[1] - x[2]) for x in sel)
        print(f"{split:8}: attribution {r / max(f, 1):.3f} over {len(sel)} calls; at confidence >= 0.7 "
              f"{(rh / fh) if fh else float('nan'):.3f} ({sum(x[3] >= 0.7 for x in sel)} calls); not routed for review "
              f"(>= 0.5) {(rk / fk) if fk else float('nan'):.3f}; routed (< 0.5): {sum(x[3] < 0.5 for x in sel)} calls; "
              f"with labels swapped per call where better {swapped / max(f, 1):.3f}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
