#!/usr/bin/env python3
"""Independent held-out evaluation set 9: 14 synthetic call-centre recordings built from real
recorded voices, prompts and music (shared/realaudio), with truth in the set-8 JSON schema.

Calls (one line each: layout, rate/encoding, ring-back, conditions, ending):
  970001 stereo agent LEFT, 8 kHz IMA ADPCM WAV, Germany/CEPT ring-back x2 (-16 dBov); LONG call (~7 min) with two music holds
         (56.5 s qMOH cable + recorded "all representatives are busy" prompt; 66 s qMOH friends + recorded queue-periodic-announce prompt); customer hangs up, German busy tone
  970002 mono, 32 kHz PCM WAV, France ring-back x3 (-13 dBov); hold music WITH A SINGING VOICE (Let's Go Fishin', 42 s); customer hangs up
  970003 stereo agent LEFT, 16 kHz PCM WAV, Australia ring-back x4 (-27 dBov); call-centre babble (6 real voices, 24 dB under the agent) + keyboard typing clicks on the agent leg
  970004 stereo agent RIGHT, 8 kHz MS ADPCM WAV, India ring-back x2 (-20 dBov); echo: agent speech on the customer leg 27 dB down, 90 ms late
  970005 stereo agent LEFT, 11.025 kHz PCM WAV, NO ring-back (file starts at the greeting); very quiet customer (-43.5 dBov) vs a -21 dBov agent
  970006 mono, 8 kHz Ogg Vorbis, Germany/CEPT ring-back x1 (-11 dBov); fast customer (sox tempo 1.3) and slow agent (tempo 0.85)
  970007 stereo agent LEFT, MP3 24 kbit/s stereo 16 kHz, France ring-back x2 (-24 dBov); pink noise at ~11 dB SNR on the customer leg
  970008 mono, 8 kHz unsigned 8-bit WAV, Australia ring-back x2 (-18 dBov); 68 s muted-line hold (mix is exact digital silence)
  970009 mono, 16 kHz PCM WAV, India ring-back x3 (-29 dBov); 36 s comfort-noise hold (agent leg -65 dBov noise)
  970010 stereo agent RIGHT, 8 kHz PCM WAV, Germany/CEPT ring-back x3 (-22 dBov); English call (real sales-call agent, Harvard-sentence customer); agent's words last, agent hangs up, silence
  970011 stereo agent LEFT, 16 kHz PCM WAV, France ring-back x1 (-10 dBov); frequent customer backchannels (对) during the agent's turns
  970012 mono, 8 kHz PCM WAV, Australia ring-back x1 (-15 dBov); agent's goodbye last, then the customer clears and an Australian busy tone follows
  970013 mono, 16 kHz PCM WAV, Australia ring-back x5 (-30 dBov); frequent customer backchannels (啊) in a mono mix
  970014 stereo agent RIGHT, 16 kHz PCM WAV, India ring-back x4 (-12 dBov); mobile-like (brown+pink, fluctuating) noise at ~10.5 dB SNR on the customer leg; agent hangs up

Run from the repository root (needs python3 with numpy, scipy, soundfile, and sox with libsox-fmt-all):
    python3 scripts/make_independent_calls_set9.py
It reads the real material from $CALLQA_REALAUDIO or ../shared/realaudio (relative to the repository) and writes
.build-indep9/{audio files, truth/*.json, meta/*.meta.json}. Output is deterministic (numpy generators seeded with
(20261211, call number); sox runs with -R -D).

Independence: this script was written without reading the analyser's sources (Sources/), models (Models/), tests
(Tests/), docs (docs/, README.md) or the other generator scripts (scripts/make_*.py). Only scripts/evaluate.py and the
truth/meta JSON of sets 7 and 8 were read, to copy the file format and the truth conventions.
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
from scipy import signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, ".build-indep9")
REAL = os.environ.get("CALLQA_REALAUDIO") or os.path.normpath(os.path.join(ROOT, "..", "shared", "realaudio"))
DATE = "20261211"
SEED0 = 20261211
TMP = None

# --------------------------------------------------------------------------------------------
# basic signal helpers


def db2a(db):
    return 10.0 ** (db / 20.0)


def rms_db(x):
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return None
    m = float(np.mean(x * x))
    return 10 * math.log10(m) if m > 0 else -200.0


def resample(x, sr_from, sr_to):
    if sr_from == sr_to:
        return np.asarray(x, dtype=np.float64)
    g = math.gcd(int(sr_from), int(sr_to))
    return signal.resample_poly(np.asarray(x, dtype=np.float64), int(sr_to) // g, int(sr_from) // g)


def load(rel, sr=None):
    path = os.path.join(REAL, rel)
    x, r = sf.read(path, dtype="float64", always_2d=True)
    x = x.mean(axis=1)
    if sr is not None and sr != r:
        x = resample(x, r, sr)
        r = sr
    return x, r


def bandpass(x, sr, lo, hi, order=3):
    hi = min(hi, 0.47 * sr)
    sos = signal.butter(order, [lo, hi], btype="bandpass", fs=sr, output="sos")
    return signal.sosfiltfilt(sos, x)


def lowpass(x, sr, f, order=3):
    sos = signal.butter(order, f, btype="lowpass", fs=sr, output="sos")
    return signal.sosfiltfilt(sos, x)


def highpass(x, sr, f, order=2):
    sos = signal.butter(order, f, btype="highpass", fs=sr, output="sos")
    return signal.sosfiltfilt(sos, x)


def channel_band(x, sr):
    """Narrow-band calls (8 kHz) go through the 300-3400 Hz telephone channel; wider ones are left as they are."""
    if sr <= 8000:
        return bandpass(x, sr, 300.0, 3400.0)
    return x


def sox(args):
    subprocess.run(["sox", "-R", "-D"] + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def sox_tempo(x, sr, factor):
    a = os.path.join(TMP, "tempo_in.wav")
    b = os.path.join(TMP, "tempo_out.wav")
    sf.write(a, x, sr, subtype="FLOAT")
    sox([a, "-e", "floating-point", "-b", "32", b, "tempo", "-s", f"{factor:g}"])
    y, _ = sf.read(b, dtype="float64")
    return y


# --------------------------------------------------------------------------------------------
# ITU-T P.56 method B active speech level (own implementation), dB re full scale 1.0 (dBov)


def p56(x, sr):
    x = np.asarray(x, dtype=np.float64)
    sq = float(np.sum(x * x))
    if sq <= 0:
        return None
    g = math.exp(-1.0 / (0.03 * sr))
    q = signal.lfilter([1 - g], [1, -g], np.abs(x))
    p = signal.lfilter([1 - g], [1, -g], q)
    H = int(round(0.2 * sr))
    M = 15.9
    idx = np.arange(len(x))

    def delta(cdb):
        c = 10 ** (cdb / 20.0)
        above = p >= c
        if not above.any():
            return None, None
        last = np.where(above, idx, -10 ** 12)
        last = np.maximum.accumulate(last)
        a = int(np.count_nonzero((idx - last) < H))
        A = 10 * math.log10(sq / a)
        return A - cdb, A

    lo, hi = -110.0, 0.0
    dlo, alo = delta(lo)
    # delta decreases with the threshold; bisection for delta == M
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        d, a = delta(mid)
        if d is None or d < M:
            hi = mid
        else:
            lo, dlo, alo = mid, d, a
        if hi - lo < 0.01:
            break
    return alo


# --------------------------------------------------------------------------------------------
# voiced runs (set-8 convention)


def frames_db(x, sr, hop=0.01):
    y = bandpass(x, sr, 100.0, 3800.0, order=4)
    n = int(round(hop * sr))
    m = len(y) // n
    e = (y[: m * n].reshape(m, n) ** 2).mean(axis=1)
    return 10 * np.log10(e + 1e-20)


def voiced_runs(x, sr):
    """10 ms frames of the 100-3800 Hz band above max(99th pct - 32 dB, 3rd pct + 9 dB); fragments < 0.12 s apart
    joined, blips < 60 ms dropped, isolated runs < 0.15 s dropped."""
    db = frames_db(x, sr)
    thr = max(float(np.percentile(db, 99)) - 32.0, float(np.percentile(db, 3)) + 9.0)
    on = db > thr
    runs = []
    i = 0
    while i < len(on):
        if on[i]:
            j = i
            while j < len(on) and on[j]:
                j += 1
            runs.append([i * 0.01, j * 0.01])
            i = j
        else:
            i += 1
    joined = []
    for r in runs:
        if joined and r[0] - joined[-1][1] < 0.12:
            joined[-1][1] = r[1]
        else:
            joined.append(list(r))
    joined = [r for r in joined if r[1] - r[0] >= 0.06]
    keep = []
    for k, r in enumerate(joined):
        if r[1] - r[0] < 0.15:
            prev_gap = r[0] - joined[k - 1][1] if k > 0 else 9.0
            next_gap = joined[k + 1][0] - r[1] if k + 1 < len(joined) else 9.0
            if min(prev_gap, next_gap) >= 0.3:
                continue
        keep.append(r)
    return keep, thr


def gate(x, sr, runs, margin=0.02, ramp=0.01):
    """Zero the clip outside its runs (+20 ms, 10 ms ramps)."""
    env = np.zeros(len(x))
    nr = max(1, int(round(ramp * sr)))
    for a, b in runs:
        i0 = max(0, int(round((a - margin) * sr)))
        i1 = min(len(x), int(round((b + margin) * sr)))
        env[i0:i1] = 1.0
        r0 = max(0, i0 - nr)
        env[r0:i0] = np.maximum(env[r0:i0], np.linspace(0, 1, nr + 1)[-(i0 - r0) - 1:-1] if i0 > r0 else 0)
        r1 = min(len(x), i1 + nr)
        env[i1:r1] = np.maximum(env[i1:r1], np.linspace(1, 0, nr + 1)[1:1 + (r1 - i1)])
    return x * env


# --------------------------------------------------------------------------------------------
# noise, tones, clicks


def pink(rng, n):
    w = rng.standard_normal(n + 4096)
    # 1/f (-3 dB/octave) IIR pinking filter (J. O. Smith's 4-pole/4-zero approximation)
    b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
    a = [1, -2.494956002, 2.017265875, -0.522189400]
    y = signal.lfilter(b, a, w)[4096:]
    return y / np.sqrt(np.mean(y * y))


def brown(rng, n, sr):
    w = rng.standard_normal(n + 8192)
    y = signal.lfilter([1.0], [1, -0.997], w)[8192:]
    y = highpass(y, sr, 60.0)
    return y / np.sqrt(np.mean(y * y))


def white(rng, n):
    return rng.standard_normal(n)


def make_noise(rng, kind, n, sr):
    if kind == "pink":
        y = pink(rng, n)
    elif kind == "white":
        y = white(rng, n)
    elif kind == "brown":
        y = brown(rng, n, sr)
    elif kind == "mobile":
        # street/car-like: brown + pink, slowly fluctuating (+-3 dB at 0.1-0.4 Hz)
        y = brown(rng, n, sr) + 0.6 * pink(rng, n)
        t = np.arange(n) / sr
        f1, f2 = rng.uniform(0.1, 0.2), rng.uniform(0.25, 0.4)
        ph1, ph2 = rng.uniform(0, 2 * np.pi, 2)
        env = db2a(2.0 * np.sin(2 * np.pi * f1 * t + ph1) + 1.0 * np.sin(2 * np.pi * f2 * t + ph2))
        y = y * env
    else:
        raise ValueError(kind)
    y = channel_band(y, sr)
    return y / np.sqrt(np.mean(y * y))


RING_PLANS = {
    # name in truth, display, freqs, cycle (on-intervals inside one period), period, AM modulation
    "Germany": dict(tonePlan="CEPT", display="Germany (CEPT plan) 425 Hz, 1 s on / 4 s off", freqs=[425.0],
                    cycle=[[0.0, 1.0]], period=5.0, mod=None),
    "France": dict(tonePlan="France", display="France 440 Hz, 1.5 s on / 3.5 s off", freqs=[440.0],
                   cycle=[[0.0, 1.5]], period=5.0, mod=None),
    "Australia": dict(tonePlan="Australia", display="Australia 400+425+450 Hz, 0.4 on 0.2 off 0.4 on 2.0 off",
                      freqs=[400.0, 425.0, 450.0], cycle=[[0.0, 0.4], [0.6, 1.0]], period=3.0, mod=None),
    "India": dict(tonePlan="India", display="India 400 Hz x 25 Hz (amplitude modulated), 0.4 on 0.2 off 0.4 on 2.0 off",
                  freqs=[400.0], cycle=[[0.0, 0.4], [0.6, 1.0]], period=3.0, mod=25.0),
}

BUSY_PLANS = {
    "Germany": ("Germany 425 Hz 0.48 s on / 0.48 s off", [425.0], 0.48, 0.48),
    "Australia": ("Australia 425 Hz 0.375 s on / 0.375 s off", [425.0], 0.375, 0.375),
}


def tone(freqs, dur, sr, level_db, mod=None, ramp=0.005):
    n = int(round(dur * sr))
    t = np.arange(n) / sr
    y = np.zeros(n)
    for f in freqs:
        y += np.sin(2 * np.pi * f * t)
    if mod:
        y *= 0.5 * (1.0 - np.cos(2 * np.pi * mod * t))
    nr = int(ramp * sr)
    if nr > 0 and n > 2 * nr:
        w = np.linspace(0, 1, nr)
        y[:nr] *= w
        y[-nr:] *= w[::-1]
    y /= np.sqrt(np.mean(y * y))
    return y * db2a(level_db)


def keyboard(rng, sr, n, spans, peak_db_range=(-40.0, -30.0)):
    """Synthetic keyboard typing (no keyboard recording exists in the material): bursts of keystrokes, each a press
    and a release transient (decaying noise through two resonances)."""
    y = np.zeros(n)
    strokes = []
    for a, b in spans:
        t = a
        while t < b:
            burst = rng.uniform(1.0, 3.5)
            rate = rng.uniform(5.0, 9.0)
            tt = t
            while tt < min(t + burst, b):
                for k, dt in enumerate((0.0, rng.uniform(0.07, 0.12))):
                    i0 = int((tt + dt) * sr)
                    L = int(rng.uniform(0.004, 0.009) * sr)
                    if i0 + L >= n:
                        continue
                    e = np.exp(-np.arange(L) / (rng.uniform(0.0012, 0.0025) * sr))
                    s = rng.standard_normal(L) * e
                    f1 = min(rng.uniform(1800, 3200), 0.4 * sr)
                    bb, aa = signal.iirpeak(f1, 4.0, fs=sr)
                    s = signal.lfilter(bb, aa, s) + 0.5 * s
                    s /= np.max(np.abs(s)) + 1e-12
                    pk = rng.uniform(*peak_db_range) - (4.0 if k == 1 else 0.0)
                    y[i0:i0 + L] += s * db2a(pk)
                    strokes.append((tt + dt, tt + dt + L / sr))
                tt += rng.exponential(1.0 / rate) + 0.04
            t = tt + rng.uniform(2.0, 7.0)
    y = channel_band(y, sr)
    return y, strokes


def place(dst, x, start_s, sr):
    i0 = int(round(start_s * sr))
    if i0 < 0:
        x = x[-i0:]
        i0 = 0
    i1 = min(len(dst), i0 + len(x))
    if i1 > i0:
        dst[i0:i1] += x[: i1 - i0]


def loop_to(x, n, offset=0):
    if len(x) == 0:
        return np.zeros(n)
    reps = (offset + n) // len(x) + 2
    return np.tile(x, reps)[offset:offset + n]


# --------------------------------------------------------------------------------------------
# material: voices, pieces, transcripts

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def cjk_count(text):
    return len(CJK.findall(text or ""))


TRANSCRIPTS = {}


def transcript(rel):
    if not TRANSCRIPTS:
        TRANSCRIPTS.update(json.load(open(os.path.join(REAL, "transcripts.json"), encoding="utf-8")))
    e = TRANSCRIPTS.get(rel)
    return (e or {}).get("transcript")


A150 = ["0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0358", "0404", "0447", "0456",
        "0463", "0473", "0481", "0482", "0483", "0488", "0490"]
A252 = ["0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396", "0435", "0441", "0443",
        "0447", "0458", "0460", "0463", "0480", "0483", "0485"]

SPARK_TEXT = "吃燕窝就选燕之屋，本节目由二十六年专注高品质燕窝的燕之屋冠名播出。豆奶牛奶换着喝，营养更均衡，本节目由豆本豆豆奶特约播出。"

VOICES = {
    "A150": dict(desc="AISHELL read speech, speaker S0150 (higher voice)", usedBefore=True),
    "A252": dict(desc="AISHELL read speech, speaker S0252 (lower voice)", usedBefore=True),
    "MTG": dict(desc="WenetSpeech test_meeting speaker (FireRedASR example), spontaneous meeting speech, far-ish mic",
                rel="zh_speech_more/fireredasr_TEST_MEETING_T0000000001_S00000.wav",
                pieces=[(0.0, 5.70), (5.75, 9.72), (9.76, 12.369)], usedBefore=False),
    "SPK": dict(desc="Spark-TTS prompt audio: sponsor read from a TV programme, fast announcer style (real voice)",
                rel="zh_speech_more/sparktts_prompt_audio.wav", pieces=[(0.0, 5.085), (5.085, 9.953)],
                text=SPARK_TEXT, textNote="'26' is spoken 二十六 and counted as 3 syllables (56 CJK)", usedBefore=False),
    "S764": dict(desc="AISHELL-1 test speaker S0764 (FireRedASR example)", rel="zh_speech_more/fireredasr_BAC009S0764W0121.wav",
                 pieces=[(0.0, 4.204)], usedBefore=False),
    "COSY": dict(desc="CosyVoice zero-shot prompt speaker (real recording, speaker not stated)",
                 rel="zh_speech_more/cosyvoice_zero_shot_prompt.wav", pieces=[(0.0, 3.48)], usedBefore=False),
    "S724": dict(desc="AISHELL-1 speaker S0724 (wenet test resource)", rel="zh_speech/wenet_aishell-BAC009S0724W0121.wav",
                 pieces=[(0.0, 1.45), (1.45, 4.281)], usedBefore=False),
    "FLS": dict(desc="FunASR llama.cpp test sample speaker (transcript is ASR output: characterCount null)",
                rel="zh_speech/funasr_llamacpp_tests_sample.wav", pieces=[(0.6, 2.9), (2.9, 6.0)], machine=True,
                usedBefore=False),
    "MS1": dict(desc="MOSS-TTSD zh_spk1_moon: livestream host, spontaneous", rel="zh_speech_more/mossttsd_zh_spk1_moon.wav",
                pieces=[(0.0, 2.04), (2.04, 4.39), (4.39, 9.54)], usedBefore=True),
    "MS2": dict(desc="MOSS-TTSD zh_spk2_moon: livestream host, spontaneous", rel="zh_speech_more/mossttsd_zh_spk2_moon.wav",
                pieces=[(0.0, 5.86), (5.86, 8.639)], usedBefore=True),
    "SXF": dict(desc="SoulX-Podcast female_mandarin: spontaneous podcast speech", rel="zh_speech_more/soulxpodcast_female_mandarin.wav",
                pieces=[(0.0, 2.03), (2.03, 7.155), (7.155, 10.04)], usedBefore=True),
    "SXM": dict(desc="SoulX-Podcast male_mandarin: spontaneous podcast speech with fillers", rel="zh_speech_more/soulxpodcast_male_mandarin.wav",
                pieces=[(0.0, 4.92), (4.92, 6.53), (6.53, 13.778)], usedBefore=True),
    "FR1": dict(desc="FireRedTTS2 chat prompt S1: spontaneous podcast speech with repetitions",
                rel="zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", pieces=[(0.0, 3.645), (3.645, 11.928)], usedBefore=True),
    "AZU": dict(desc="English: agent of a real recorded US sales call (Azure fast-transcription sample), phrases cut by the ASR turns",
                rel="en_calls/azure_fast_transcription_test_call_audio.wav",
                pieces=[(7.60, 21.60), (49.60, 67.40), (83.60, 99.30), (113.00, 120.0)], english=True, usedBefore=False),
    "OSR": dict(desc="English: Open Speech Repository Harvard sentences (8 kHz read speech), two sentences a turn",
                rel="telephone/OSR_us_000_0034_8k.wav",
                pieces=[(0.8, 7.3), (7.3, 14.6), (14.6, 20.8), (20.8, 28.8), (28.8, 35.5)], english=True, usedBefore=False),
}

# one-syllable backchannel cuts: (voice, clip, source span, text)
BACKCHANNELS = {
    "dui_a": ("A252", "zh_speech/aishell_asr0009_sample/BAC009S0252W0229.wav", (0.40, 0.84), "对"),
    "dui_b": ("A252", "zh_speech/aishell_asr0009_sample/BAC009S0252W0236.wav", (0.48, 0.82), "对"),
    "a_fr1": ("FR1", "zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", (0.10, 0.66), "啊"),
}


def aishell_rel(voice, code):
    spk = "S0150" if voice == "A150" else "S0252"
    return f"zh_speech/aishell_asr0009_sample/BAC009{spk}W{code}.wav"


def voice_units(voice, rng, k=None, codes=None):
    """List of logical clips for a voice; each logical clip is a list of pieces (rel, src_a, src_b)."""
    v = VOICES[voice]
    if voice in ("A150", "A252"):
        pool = list(A150 if voice == "A150" else A252)
        if codes is None:
            codes = [pool[i] for i in rng.permutation(len(pool))[:k]]
        units = []
        for c in codes:
            rel = aishell_rel(voice, c)
            info = sf.info(os.path.join(REAL, rel))
            units.append(dict(logical=f"BAC009{'S0150' if voice == 'A150' else 'S0252'}W{c}", rel=rel,
                              pieces=[(0.0, info.frames / info.samplerate)], text=transcript(rel)))
        return units
    rel = v["rel"]
    text = v.get("text") or transcript(rel)
    return [dict(logical=voice, rel=rel, pieces=list(v["pieces"]), text=text)]


# --------------------------------------------------------------------------------------------
# clip preparation


class Clip:
    pass


def prep_clip(rel, src, sr, tempo=1.0, party=None, trims=None, label=None):
    x, r = load(rel)
    a, b = src
    x = x[int(round(a * r)):int(round(b * r))]
    if tempo != 1.0:
        x = sox_tempo(x, r, tempo)
    x = resample(x, r, sr)
    x = channel_band(x, sr)
    runs, thr = voiced_runs(x, sr)
    if not runs:
        raise RuntimeError(f"no voiced run in {rel} {src}")
    y = gate(x, sr, runs)
    c = Clip()
    c.x, c.runs, c.thr, c.rel, c.src, c.tempo = y, runs, thr, rel, src, tempo
    if trims is not None:
        trims[f"{label or rel}@{a:.2f}-{b:.2f} x{tempo:g} ({party})"] = round(thr, 1)
    return c


# --------------------------------------------------------------------------------------------
# call engine


def new_rng(n):
    return np.random.default_rng([SEED0, n])


def merge_runs(runs, gap=0.4):
    runs = sorted([list(r) for r in runs])
    out = []
    for r in runs:
        if out and r[0] - out[-1][1] < gap:
            out[-1][1] = max(out[-1][1], r[1])
        else:
            out.append(r)
    return out


def build_call(spec):
    n = spec["n"]
    rng = new_rng(n)
    sr = spec["sr"]
    trims = {}
    notes = []

    # ---- ring-back
    ring = None
    if spec.get("ring"):
        plan_key, rings, level = spec["ring"]
        plan = RING_PLANS[plan_key]
        t0 = float(rng.uniform(0.6, 1.4))
        bursts, segs = [], []
        for k in range(rings):
            base = t0 + k * plan["period"]
            for a, b in plan["cycle"]:
                bursts.append([base + a, base + b])
            segs.append([base + plan["cycle"][0][0], base + plan["cycle"][-1][1]])
        off = plan["period"] - plan["cycle"][-1][1]
        pickup = segs[-1][1] + float(rng.uniform(0.35, min(1.8, off - 0.3)))
        ring = dict(key=plan_key, plan=plan, rings=rings, level=level, bursts=bursts, segs=segs)
        first = pickup + float(rng.uniform(0.4, 0.9))
    else:
        pickup = 0.0
        first = 0.30

    # ---- schedule speech
    placed = []          # dict(party, clip, start(abs of clip sample 0), runs_abs, meta)
    holds = []
    floor_end = None
    last_say = None
    items = spec["items"](rng)
    party_tempo = spec.get("tempo", {})
    for it in items:
        kind = it[0]
        if kind == "say":
            _, party, unit, pidx, opts = it
            rel = unit["rel"]
            a, b = unit["pieces"][pidx]
            clip = prep_clip(rel, (a, b), sr, party_tempo.get(party, 1.0), party, trims, unit["logical"])
            if last_say is None:
                start = first
            elif opts.get("interrupt"):
                start = last_say["end"] - float(rng.uniform(0.8, 1.2))
            elif last_say["party"] == party:
                start = floor_end + float(rng.uniform(0.45, 0.9))
            else:
                start = floor_end + float(rng.uniform(*opts.get("gap", (0.25, 1.0))))
            off = start - clip.runs[0][0]
            runs_abs = [[off + p, off + q] for p, q in clip.runs]
            rec = dict(kind="say", party=party, clip=clip, start=off, runs=runs_abs, unit=unit, piece=pidx,
                       interrupts=bool(opts.get("interrupt")), role=opts.get("role"), backchannel=False,
                       end=runs_abs[-1][1])
            placed.append(rec)
            last_say = rec
            floor_end = max(floor_end or 0.0, rec["end"])
        elif kind == "bc":
            _, party, key = it
            voice, rel, src, text = BACKCHANNELS[key]
            clip = prep_clip(rel, src, sr, party_tempo.get(party, 1.0), party, trims, key)
            host = last_say
            assert host is not None and host["party"] != party
            dur = clip.runs[-1][1] - clip.runs[0][0]
            own = [r for p in placed if p["party"] == party for r in p["runs"]]
            cand = []
            for t in np.arange(host["runs"][0][0] + 1.0, host["end"] - 1.0 - dur, 0.05):
                if all(t > r[1] + 0.8 or t + dur < r[0] - 0.8 for r in own):
                    cand.append(float(t))
            if not cand:
                notes.append(f"a {text} backchannel did not fit into the agent turn at {host['runs'][0][0]:.1f} s and was left out")
                continue
            t = cand[int(rng.integers(len(cand)))]
            off = t - clip.runs[0][0]
            runs_abs = [[off + p, off + q] for p, q in clip.runs]
            placed.append(dict(kind="bc", party=party, clip=clip, start=off, runs=runs_abs,
                               unit=dict(logical=f"{os.path.splitext(os.path.basename(rel))[0]}_{text}", rel=rel,
                                         pieces=[src], text=text),
                               piece=0, interrupts=False, role="backchannel", backchannel=True, end=runs_abs[-1][1]))
        elif kind == "hold":
            _, h = it
            hs = floor_end + float(rng.uniform(0.6, 1.1))
            he = hs + h["dur"]
            holds.append(dict(h, start=hs, end=he))
            floor_end = he
            last_say = dict(party="hold", end=he)
        else:
            raise ValueError(kind)

    # ---- ending
    end_spec = spec["ending"]
    hang_party = end_spec["hangup"]
    hang = floor_end + float(rng.uniform(0.8, 1.4))
    busy = None
    if end_spec.get("busy"):
        bdisp, bfreqs, on, offd = BUSY_PLANS[end_spec["busy"]]
        bstart = hang + 0.3
        cycles = int(end_spec.get("busyCycles", 4))
        busy = dict(plan=bdisp, freqs=bfreqs, on=on, off=offd, start=bstart,
                    end=bstart + cycles * (on + offd) - offd, leg="customer")
        file_end = busy["end"] + float(rng.uniform(0.4, 0.8))
    else:
        file_end = hang + float(rng.uniform(*end_spec.get("tail", (1.5, 2.8))))
    N = int(round(file_end * sr))
    file_end = N / sr

    # ---- stems
    stems = {k: np.zeros(N) for k in ("agent_speech", "customer_speech", "agent_other", "customer_other")}
    levels_target = spec["levels"]
    gains = []
    for rec in placed:
        party = rec["party"]
        x = rec["clip"].x
        lvl = p56(x, sr)
        tgt = levels_target[party] + (float(rng.normal(0.0, 0.6)) if not rec["backchannel"] else float(rng.uniform(-3.0, 0.0)))
        g = tgt - lvl
        pk = np.max(np.abs(x)) * db2a(g)
        capped = False
        if pk > 0.85:
            g -= 20 * math.log10(pk / 0.85)
            capped = True
        rec["gainDb"] = round(g, 2)
        rec["peakCapped"] = capped
        place(stems[f"{party}_speech"], x * db2a(g), rec["start"], sr)

    # ---- truth speech segments
    segs_speech = {p: merge_runs([r for rec in placed if rec["party"] == p for r in rec["runs"]]) for p in ("agent", "customer")}

    hold_mask = np.zeros(N, dtype=bool)
    tt = np.arange(N) / sr

    # ---- line noise and floors
    ag = stems["agent_other"]
    cu = stems["customer_other"]
    i_pick = int(round(pickup * sr))
    na_kind, na_level = spec["noise"]["agent"]
    nc_kind, nc_level = spec["noise"]["customer"]
    agent_noise = make_noise(rng, na_kind, N, sr) * db2a(na_level)
    cust_noise = make_noise(rng, nc_kind, N, sr) * db2a(nc_level)
    floor75 = make_noise(rng, "pink", N, sr) * db2a(-75.0)
    agent_noise_stem = np.zeros(N)
    agent_noise_stem[i_pick:] = agent_noise[i_pick:]
    agent_floor = np.zeros(N)
    agent_floor[:i_pick] = floor75[:i_pick]
    cust_noise_stem = cust_noise.copy()

    # ---- ring-back on the agent leg
    if ring:
        for a, b in ring["bursts"]:
            place(ag, tone(ring["plan"]["freqs"], b - a, sr, ring["level"], ring["plan"]["mod"]), a, sr)

    # ---- holds (agent leg)
    hold_meta = []
    for h in holds:
        i0, i1 = int(round(h["start"] * sr)), int(round(h["end"] * sr))
        hold_mask[i0:i1] = True
        hm = dict(kind=h["kind"], holdKind=h["holdKind"])
        if h["kind"] == "music":
            m, mr = load(h["music"])
            m = resample(m, mr, sr)
            off = int(round(h.get("offset", 0.0) * sr))
            L = i1 - i0
            seg = loop_to(m, L, off) if h.get("loop") else m[off:off + L]
            if len(seg) < L:
                raise RuntimeError("music too short")
            seg = channel_band(seg, sr)
            fade = int(0.02 * sr)
            seg[:fade] *= np.linspace(0, 1, fade)
            seg[-fade:] *= np.linspace(1, 0, fade)
            seg = seg * db2a(h["level"] - rms_db(seg))
            if np.max(np.abs(seg)) > 0.6:  # keep the music peaks (and a prompt on top) off full scale
                seg *= 0.6 / np.max(np.abs(seg))
            duck = np.ones(L)
            prompts = []
            for prel, at in h.get("prompts", []):
                px, pr = load(prel)
                px = resample(px, pr, sr)
                px = channel_band(px, sr)
                pruns, _ = voiced_runs(px, sr)
                px = gate(px, sr, pruns)
                px = px * db2a(h["promptLevel"] - p56(px, sr))
                ps = h["start"] + at
                place(ag, px, ps, sr)
                prompts.append([os.path.splitext(os.path.basename(prel))[0], round(ps + pruns[0][0], 3),
                                round(ps + pruns[-1][1], 3)])
                j0 = int(round((ps + pruns[0][0] - 0.3) * sr)) - i0
                j1 = int(round((ps + pruns[-1][1] + 0.3) * sr)) - i0
                ramp = int(0.15 * sr)
                d = np.ones(L)
                d[max(0, j0):min(L, j1)] = db2a(h["duckDb"])
                d = np.convolve(d, np.ones(ramp) / ramp, mode="same")
                duck = np.minimum(duck, d)
            seg = seg * duck
            place(ag, seg, h["start"], sr)
            agent_noise_stem[i0:i1] = 0.0
            agent_floor[i0:i1] = floor75[i0:i1]
            nz = np.nonzero(np.abs(seg) > 0)[0]
            hm.update(music=h["musicDesc"], musicFile=h["music"], musicOffset=h.get("offset", 0.0),
                      looped=bool(h.get("loop")), levelDbov=h["level"],
                      measuredRmsDbov=round(rms_db(seg), 2), prompts=prompts, duckDb=h.get("duckDb"),
                      agentLegFloor="pink -75 dBov")
            h["t0"] = h["start"] + nz[0] / sr
            h["t1"] = h["start"] + (nz[-1] + 1) / sr
        elif h["kind"] == "silence":
            agent_noise_stem[i0:i1] = 0.0
            agent_floor[i0:i1] = 0.0
            hm.update(agentLegFloor="digital zero")
            if h.get("both"):
                cust_noise_stem[i0:i1] = 0.0
                hm.update(customerLeg="digital zero too (the recording path is muted: the mono mix is exact digital silence)")
            h["t0"], h["t1"] = h["start"], h["end"]
        elif h["kind"] == "comfort":
            cn = make_noise(rng, "white", i1 - i0, sr)
            cn = lowpass(cn, sr, min(3400.0, 0.45 * sr))
            cn = cn / np.sqrt(np.mean(cn * cn)) * db2a(h["level"])
            agent_noise_stem[i0:i1] = 0.0
            place(ag, cn, h["start"], sr)
            hm.update(agentLegFloor=f"comfort noise (white, low-passed 3.4 kHz) {h['level']:.0f} dBov",
                      customerLeg="line noise continues")
            h["t0"], h["t1"] = h["start"], h["end"]
        hm.update(start=round(h["t0"], 6), end=round(h["t1"], 6), dur=round(h["t1"] - h["t0"], 3))
        hold_meta.append(hm)

    # ---- extra effects
    effects = {}
    exclude_mask = {"agent": np.zeros(N, dtype=bool), "customer": np.zeros(N, dtype=bool)}
    agent_bg = np.zeros(N)
    if spec.get("babble"):
        bspec = spec["babble"]
        streams = []
        for rel in bspec["files"]:
            x, r = load(rel, sr)
            x = bandpass(x, sr, 120.0, min(3800.0, 0.45 * sr))
            x = x / (np.sqrt(np.mean(x * x)) + 1e-12)
            off = int(rng.integers(len(x)))
            s = loop_to(x, N, off) * db2a(float(rng.uniform(-6.0, 0.0)))
            streams.append(s)
        bab = np.sum(streams, axis=0)
        bab = channel_band(bab, sr)
        bab[:i_pick] = 0.0
        lvl = rms_db(bab[i_pick:])
        bab *= db2a(levels_target["agent"] + bspec["relDb"] - lvl)
        agent_bg += bab
        effects["babble"] = dict(leg="agent", files=bspec["files"], relativeToAgentDb=bspec["relDb"],
                                 note="several real voices (English meeting talk, Mandarin podcast/read speech, an English phone call) looped "
                                      "from pickup to the agent's hang-up, each at -6..0 dB, summed and set "
                                      f"{-bspec['relDb']:.0f} dB under the agent's target active level; it is background noise, not speech of a party")
    if spec.get("keys"):
        span_list = [[pickup + 1.0, hang - 1.0]]
        ky, strokes = keyboard(rng, sr, N, span_list)
        ag += ky
        for a, b in strokes:
            exclude_mask["agent"][max(0, int((a - 0.03) * sr)):int((b + 0.05) * sr)] = True
        effects["keyboard"] = dict(leg="agent", strokes=len(strokes), peakDbfs=[-40, -30],
                                   note="synthetic keystrokes (press + release transients, decaying noise through a resonance) "
                                        "in 1-3.5 s bursts at 5-9 keys/s every 2-7 s; no keyboard recording exists in the material. "
                                        "Clicks are not speech and are excluded from the noise-level measurement")
    echo = []
    if spec.get("echo"):
        e = spec["echo"]
        d = int(round(e["delay"] * sr))
        src = stems["agent_speech"]
        ec = np.zeros(N)
        ec[d:] = src[:N - d] * db2a(-e["lossDb"])
        ec = bandpass(ec, sr, 300.0, 3400.0)
        cu += ec
        echo.append(dict(fromLeg="agent", toLeg="customer", delaySeconds=e["delay"], lossDb=e["lossDb"],
                         note="the agent's speech stem, delayed and attenuated (far-end hybrid echo), on the customer leg; "
                              "it is not customer speech; stretches with echo are left out of the customer-leg noise measurement"))
        echo_active = np.zeros(N, dtype=bool)
        for a, b in segs_speech["agent"]:
            echo_active[max(0, int((a + e["delay"] - 0.2) * sr)):int((b + e["delay"] + 0.2) * sr)] = True
        exclude_mask["customer"] |= echo_active

    # ---- legs
    agent_leg = stems["agent_speech"] + ag + agent_noise_stem + agent_floor + agent_bg
    cust_leg = stems["customer_speech"] + cust_noise_stem + cu
    ih = int(round(hang * sr))
    ib = int(round(busy["start"] * sr)) if busy else N
    if hang_party == "agent":
        agent_leg[ih:] = 0.0
    else:
        cust_leg[ih:] = 0.0
        if busy:
            # busy tone after the hang-up on the customer leg
            cycle = np.concatenate([tone(busy["freqs"], busy["on"], sr, -20.0), np.zeros(int(round(busy["off"] * sr)))])
            btone = np.zeros(N)
            place(btone, np.tile(cycle, 8), busy["start"], sr)
            btone[int(round(busy["end"] * sr)):] = 0.0
            cust_leg[ib:] = btone[ib:]
    for h in holds:
        if h["kind"] == "silence":
            i0, i1 = int(round(h["start"] * sr)), int(round(h["end"] * sr))
            agent_leg[i0:i1] = 0.0
            if h.get("both"):
                cust_leg[i0:i1] = 0.0

    if spec["layout"] == "stereo":
        if spec["agentChannel"] == "left":
            mix = np.stack([agent_leg, cust_leg], axis=1)
        else:
            mix = np.stack([cust_leg, agent_leg], axis=1)
    else:
        mix = (agent_leg + cust_leg)[:, None]
    peak = float(np.max(np.abs(mix)))
    if peak >= 0.99:
        raise RuntimeError(f"call {n}: peak {peak:.3f}")

    return dict(spec=spec, rng=rng, sr=sr, N=N, mix=mix, stems=stems, placed=placed, segs_speech=segs_speech, ring=ring,
                pickup=pickup, holds=holds, hold_meta=hold_meta, hang=hang, hang_party=hang_party, busy=busy,
                file_end=file_end, trims=trims, effects=effects, echo=echo, exclude_mask=exclude_mask, peak=peak,
                agent_leg=agent_leg, cust_leg=cust_leg, notes=notes)


# --------------------------------------------------------------------------------------------
# encoding


def encode(call, path):
    spec = call["spec"]
    sr = call["sr"]
    codec = spec["codec"]
    mix = call["mix"]
    raw = os.path.join(TMP, f"mix{spec['n']}.wav")
    sf.write(raw, mix, sr, subtype="FLOAT")
    info = dict(name=codec)
    if codec == "pcm16":
        sf.write(path, mix, sr, subtype="PCM_16")
    elif codec == "ima-adpcm":
        # written by libsndfile: sox 14.4.2's stereo IMA ADPCM encoder leaks one channel's quantisation error into the
        # other (about -40 dB cross-talk), which would put the agent's speech envelope on the customer leg
        sf.write(path, mix, sr, subtype="IMA_ADPCM")
        info["how"] = "file itself is IMA ADPCM WAV (4 bit/sample), written by libsndfile"
    elif codec == "ms-adpcm":
        sox([raw, "-e", "ms-adpcm", path])
        info["how"] = "file itself is Microsoft ADPCM WAV (4 bit/sample, sox -e ms-adpcm)"
    elif codec == "u8":
        sox([raw, "-e", "unsigned-integer", "-b", "8", path])
        info["how"] = "file itself is unsigned 8-bit PCM WAV (sox -e unsigned-integer -b 8, no dither)"
    elif codec == "vorbis":
        sox([raw, "-C", "3", path])
        info["how"] = "file itself is Ogg Vorbis (sox/libvorbis quality 3), 8 kHz mono"
    elif codec == "mp3":
        # measure the encoder+decoder delay seen by libsndfile, then drop that many leading samples and encode again
        sox([raw, "-C", "24", path])
        dec, _ = sf.read(path, dtype="float64", always_2d=True)
        lag = xcorr_lag(mix[:, 0], dec[:, 0], sr)
        info["measuredDelaySamples"] = int(lag)
        if lag > 0:
            sf.write(raw, np.concatenate([mix[lag:], np.zeros((lag, mix.shape[1]))]), sr, subtype="FLOAT")
            sox([raw, "-C", "24", path])
        info["how"] = "file itself is MP3, 24 kbit/s CBR joint stereo (sox/libmp3lame -C 24)"
        info["alignment"] = (f"the encoder+decoder delay seen by libsndfile ({lag} samples) was measured and that many leading samples "
                             "were dropped before encoding, so the file decoded by libsndfile lines up with the truth")
    else:
        raise ValueError(codec)
    dec, dsr = sf.read(path, dtype="float64", always_2d=True)
    assert dsr == sr, (dsr, sr)
    lag = xcorr_lag(mix[:, 0], dec[:, 0], sr)
    info["decodedLagSamples"] = int(lag)
    return info, dec


def xcorr_lag(ref, dec, sr, maxlag=4000):
    """Lag (samples) of dec relative to ref, from the cross-correlation over the loudest 20 s."""
    L = min(len(ref), len(dec))
    win = min(int(20 * sr), L - 2 * maxlag - 1)
    c = np.concatenate([[0.0], np.cumsum(ref[:L] ** 2)])
    w = int(0.5 * sr)
    e = c[w:] - c[:-w]
    mid = int(np.argmax(e)) + w // 2
    a = int(min(max(mid - win // 2, maxlag), L - win - maxlag))
    r = ref[a:a + win]
    d = dec[a - maxlag:a + win + maxlag]
    cc = signal.correlate(d, r, mode="valid", method="fft")
    return int(np.argmax(cc)) - maxlag


# --------------------------------------------------------------------------------------------
# truth


def in_segments(t_mask_len, sr, segs, pad_before, pad_after):
    m = np.zeros(t_mask_len, dtype=bool)
    for a, b in segs:
        m[max(0, int((a - pad_before) * sr)):min(t_mask_len, int(math.ceil((b + pad_after) * sr)))] = True
    return m


def truth_and_meta(call, enc_info, dec, fname):
    spec = call["spec"]
    sr = call["sr"]
    Nd = dec.shape[0]
    dur = Nd / sr
    N = call["N"]
    segs = []
    if call["ring"]:
        for a, b in call["ring"]["segs"]:
            segs.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=round(a, 6), endSeconds=round(b, 6)))
    for p in ("agent", "customer"):
        for a, b in call["segs_speech"][p]:
            segs.append(dict(kind="speech", party=p, holdKind=None, startSeconds=round(a, 6), endSeconds=round(b, 6)))
    for h in call["holds"]:
        segs.append(dict(kind="hold", party=None, holdKind=h["holdKind"], startSeconds=round(h["t0"], 6), endSeconds=round(h["t1"], 6)))
    segs.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))
    for s in segs:
        assert 0 <= s["startSeconds"] < s["endSeconds"] <= dur + 1e-6, (fname, s, dur)

    # interruptions from the final segments
    sp = {p: call["segs_speech"][p] for p in ("agent", "customer")}
    inter = []
    for p, q in (("agent", "customer"), ("customer", "agent")):
        for a, b in sp[p]:
            for c, d in sp[q]:
                if c + 0.3 <= a < d and min(b, d) - a > 0.5:
                    inter.append(dict(atSeconds=round(a, 6), by=p))
                    break
    inter.sort(key=lambda x: x["atSeconds"])

    # levels (P.56 on the party's own speech stem, before noise and codec)
    lv = {p: p56(call["stems"][f"{p}_speech"], sr) for p in ("agent", "customer")}

    # noise level: measured on the decoded file, in stretches after pickup, outside holds (-0.5/+1 s) and muted
    # stretches, >= 0.2 s from that party's speech (mono: any speech), before the first hang-up; clicks/echo excluded
    t_end = min(call["hang"], call["busy"]["start"] if call["busy"] else call["hang"])
    base = np.zeros(N, dtype=bool)
    base[int(math.ceil(call["pickup"] * sr)) + int(0.3 * sr):int(t_end * sr) - int(0.2 * sr)] = True
    hm = in_segments(N, sr, [(h["start"], h["end"]) for h in call["holds"]], 0.5, 1.0)
    base &= ~hm
    if call["ring"]:
        base &= ~in_segments(N, sr, call["ring"]["segs"], 0.2, 0.5)
    Dm = dec[:N] if Nd >= N else np.concatenate([dec, np.zeros((N - Nd, dec.shape[1]))])
    noise = {}
    if spec["layout"] == "stereo":
        ch = {"agent": 0 if spec["agentChannel"] == "left" else 1}
        ch["customer"] = 1 - ch["agent"]
        for p in ("agent", "customer"):
            m = base & ~in_segments(N, sr, sp[p], 0.2, 0.2) & ~call["exclude_mask"][p]
            noise[p] = rms_db(Dm[m, ch[p]])
            noise[p + "_seconds"] = round(m.sum() / sr, 1)
        snr = {p: round(lv[p] - noise[p], 2) for p in ("agent", "customer")}
        mix_snr = None
    else:
        m = base & ~in_segments(N, sr, sp["agent"] + sp["customer"], 0.2, 0.2) & ~call["exclude_mask"]["agent"] & ~call["exclude_mask"]["customer"]
        nm = rms_db(Dm[m, 0])
        noise["mix"] = nm
        noise["mix_seconds"] = round(m.sum() / sr, 1)
        snr = {p: round(lv[p] - nm, 2) for p in ("agent", "customer")}
        both = p56(call["stems"]["agent_speech"] + call["stems"]["customer_speech"], sr)
        mix_snr = round(both - nm, 2)

    # characters
    chars = {}
    script = []
    for p in ("agent", "customer"):
        total = 0
        machine = False
        english = False
        passes = {}
        for rec in call["placed"]:
            if rec["party"] != p:
                continue
            u = rec["unit"]
            if rec["backchannel"]:
                total += cjk_count(u["text"])
                continue
            v = spec["voices"][p]
            if VOICES.get(v, {}).get("machine"):
                machine = True
            if VOICES.get(v, {}).get("english"):
                english = True
            passes.setdefault(u["logical"], []).append(rec["piece"])
        for logical, pcs in passes.items():
            u = next(r["unit"] for r in call["placed"] if r["party"] == p and r["unit"]["logical"] == logical and not r["backchannel"])
            npieces = len(u["pieces"])
            assert len(pcs) % npieces == 0 and pcs == list(range(npieces)) * (len(pcs) // npieces), (fname, logical, pcs)
            total += cjk_count(u["text"]) * (len(pcs) // npieces)
        chars[p] = None if (machine or english) else total
    talk = {p: round(sum(b - a for a, b in sp[p]), 2) for p in ("agent", "customer")}
    parties = {}
    for p in ("agent", "customer"):
        parties[p] = dict(talkSeconds=talk[p], activeLevelDbov=round(lv[p], 2), snrDb=snr[p], clipped=False,
                          speechRateCharsPerMinute=(round(chars[p] / talk[p] * 60.0, 2) if chars[p] is not None else None),
                          characterCount=chars[p], pitchSpreadSemitones=None, humDbov=None)

    # ending
    last_sp = max(sp["agent"] + sp["customer"], key=lambda s: s[1])
    last_party = "agent" if last_sp in sp["agent"] else "customer"
    ending = dict(lastParty=last_party, tailSilenceSeconds=round(dur - last_sp[1], 3),
                  afterCustomerSeconds=round(dur - max(b for a, b in sp["customer"]), 3), hangupSide=call["hang_party"])
    nk = spec["noise"]
    kinds = [nk["agent"][0], nk["customer"][0]]
    kind = kinds[0] if kinds[0] == kinds[1] else f"{kinds[0]}/{kinds[1]}"
    ring = call["ring"]
    answer = dict(source="ringback", rings=ring["rings"], answerSeconds=round(call["pickup"], 6), tonePlan=ring["plan"]["tonePlan"]) \
        if ring else dict(source=None, rings=None, answerSeconds=None, tonePlan=None)
    truth = {
        "file": fname,
        "durationSeconds": round(dur, 6),
        "sampleRateHz": sr,
        "channels": 2 if spec["layout"] == "stereo" else 1,
        "layout": spec["layout"],
        "agentChannel": spec.get("agentChannel"),
        "answer": answer,
        "parties": parties,
        "interruptions": inter,
        "ending": ending,
        "warnings": [],
        "noise": {"kind": kind, "snrDb": mix_snr,
                  "legSnrDb": ({"agent": snr["agent"], "customer": snr["customer"]} if spec["layout"] == "stereo" else None),
                  "humDbov": None, "gainDb": None},
        "segments": segs,
    }

    for rec in call["placed"]:
        u = rec["unit"]
        script.append(dict(party=rec["party"], voice=spec["voices"][rec["party"]], clip=u["rel"], logicalClip=u["logical"],
                           piece=f"{rec['piece'] + 1}/{len(u['pieces'])}",
                           pieceSourceSeconds=[round(u["pieces"][rec["piece"]][0], 3), round(u["pieces"][rec["piece"]][1], 3)],
                           role=rec["role"], interrupts=rec["interrupts"], backchannel=rec["backchannel"], text=u["text"],
                           clipChars=cjk_count(u["text"]) if not VOICES.get(spec["voices"][rec["party"]], {}).get("english") else None,
                           tempo=rec["clip"].tempo,
                           runsSeconds=[[round(a, 3), round(b, 3)] for a, b in rec["runs"]], gainDb=rec["gainDb"],
                           peakCapped=rec["peakCapped"]))
    script.sort(key=lambda s: s["runsSeconds"][0][0])

    ring_meta = None
    if ring:
        ring_meta = dict(plan=ring["plan"]["tonePlan"], country=ring["key"], display=ring["plan"]["display"], freqs=ring["plan"]["freqs"],
                         cycle=ring["plan"]["cycle"], periodSeconds=ring["plan"]["period"], modulationHz=ring["plan"]["mod"],
                         bursts=[[round(a, 6), round(b, 6)] for a, b in ring["bursts"]],
                         ringSegments=[[round(a, 6), round(b, 6)] for a, b in ring["segs"]], levelDbov=ring["level"],
                         levelNote="RMS of each burst (a full-scale sine is -3 dBov)")
    voices_meta = {}
    for p in ("agent", "customer"):
        v = spec["voices"][p]
        d = f"{v}: {VOICES[v]['desc']}"
        if spec.get("tempo", {}).get(p, 1.0) != 1.0:
            d += f", sox tempo -s {spec['tempo'][p]:g}"
        voices_meta[p] = [d]
    meta = {
        "generator": "scripts/make_independent_calls_set9.py",
        "seed": [SEED0, spec["n"]],
        "realAudio": "shared/realaudio (see its SOURCES.md and LICENSES/)",
        "conditions": spec["conditions"],
        "conditionTags": spec["tags"],
        "layout": spec["layout"],
        "layoutNote": "mono: agent leg + customer leg summed" if spec["layout"] == "mono" else None,
        "agentChannel": spec.get("agentChannel"),
        "sampleRate": sr,
        "channelBand": "300-3400 Hz (3rd-order Butterworth band-pass, forward and backward) on speech, prompts, music and line noise"
        if sr <= 8000 else None,
        "direction": "inbound",
        "ringbackLeg": "agent" if ring else None,
        "ring": ring_meta,
        "pickupSeconds": round(call["pickup"], 6),
        "pickupNote": ("pickup = where the agent leg connects (answerSeconds); before it that leg carries only the ring-back over a -75 dBov pink floor"
                       if ring else "no ring-back: the recording starts at pickup, the agent's greeting begins 0.3 s into the file"),
        "voices": voices_meta,
        "newVoices": {p: not VOICES[spec["voices"][p]].get("usedBefore", True) for p in ("agent", "customer")},
        "tempo": {p: spec.get("tempo", {}).get(p, 1.0) for p in ("agent", "customer")},
        "levels": {p: {"p56ActiveDbov": round(lv[p], 2), "targetDbov": spec["levels"][p]} for p in ("agent", "customer")},
        "noise": {"agent": {"kind": nk["agent"][0], "levelDbov": nk["agent"][1]},
                  "customer": {"kind": nk["customer"][0], "levelDbov": nk["customer"][1]},
                  "measuredDbov": {k: (round(v, 2) if isinstance(v, float) and not k.endswith("_seconds") else v) for k, v in noise.items()}},
        "effects": call["effects"] or None,
        "echo": call["echo"],
        "hum": None,
        "codec": enc_info,
        "peakBeforeCodec": round(call["peak"], 3),
        "holds": call["hold_meta"],
        "deadAir": [],
        "interruptions": inter,
        "designedInterruptions": [dict(atSeconds=round(r["runs"][0][0], 6), by=r["party"]) for r in call["placed"] if r["interrupts"]],
        "ending": {"hangup": call["hang_party"], "hangupSeconds": round(call["hang"], 6),
                   "busyTone": ({"plan": call["busy"]["plan"], "startSeconds": round(call["busy"]["start"], 6),
                                 "endSeconds": round(call["busy"]["end"], 6), "leg": "customer", "levelDbov": -20.0} if call["busy"] else None),
                   "note": "the hanging-up party's leg becomes exact zeros at hang-up (then the busy tone on the customer leg, if any)"},
        "notes": call["notes"],
        "conventions": CONVENTIONS,
        "trimThresholdsDb": call["trims"],
        "script": script,
    }
    return truth, meta


CONVENTIONS = {
    "segments": "speech truth segments = each placed clip's voiced runs on the final timeline, after any tempo change, resampling "
                "and band limit (10 ms frames of the 100-3800 Hz band above max(99th pct - 32 dB, 3rd pct + 9 dB) of the processed "
                "clip; fragments < 0.12 s apart joined, blips < 60 ms dropped, runs < 0.15 s that are >= 0.3 s from the clip's other "
                "runs dropped); the clip is zeroed outside its runs (+20 ms, 10 ms ramps); runs of one party < 0.4 s apart merged. "
                "Echo, babble, keyboard clicks, prompts and music are never speech",
    "ringback": "one ringback segment per ring: single-burst plans from burst start to burst end; double-ring plans "
                "(Australia, India) from the first burst's start to the second burst's end. rings = number of rings before pickup; "
                "tonePlan CEPT for the German 425 Hz 1/4 s cadence (Germany uses the CEPT plan); France, Australia, India by country",
    "holds": "holds are on the agent leg (what the customer hears); the customer is silent (line noise only) during a hold. "
             "Music hold: first to last music sample; recorded announcements inside it (music ducked -12 dB under them) are hold, "
             "not speech. Muted hold (holdKind silence): the agent leg's digital-zero stretch (call 970008: both legs, so the mono mix "
             "is exact digital zero). Comfort-noise hold (holdKind silence): the stretch where the agent leg carries only -65 dBov comfort noise",
    "interruptions": "interruption = a speech segment that starts inside the other party's segment (>= 0.3 s after it began) with "
                     "> 0.5 s overlap, computed from the final segments; the interrupted clip plays to its end. Backchannels (one "
                     "syllable, <= 0.45 s voiced, placed inside the other's turn) are speech but not interruptions",
    "parties": "talkSeconds = summed duration of the party's truth speech segments; characterCount = CJK characters of the "
               "human transcripts of the clips played (a clip cut into pieces is credited once per complete pass; every pass is "
               "completed; one-syllable backchannel cuts count 1); null when the party's transcript is ASR output or the party "
               "speaks English; speechRateCharsPerMinute = characterCount / talkSeconds * 60 (with tempo changes applied, "
               "talkSeconds is measured on the changed audio)",
    "levels": "activeLevelDbov = ITU-T P.56 method B (own implementation) on the party's speech stem (after tempo, band limit "
              "and gain), dBov with full scale 1.0 (a full-scale sine is -3 dBov); codec, noise, echo and babble not included",
    "noise": "noise level = RMS of the decoded file's leg (mono: the mix) after pickup (+0.3 s), outside ring-back, holds "
             "(-0.5/+1 s), >= 0.2 s from that party's speech (mono: any speech), before the first hang-up/busy tone; keyboard "
             "clicks and echo stretches left out (babble and codec noise stay in); snrDb = party active level - that. "
             "truth noise.snrDb is set for mono files only (P.56 level of both parties' speech summed - mix noise level), "
             "legSnrDb for stereo files only; noise.kind = agent kind/customer kind",
    "ending": "lastParty = party whose speech ends last; tailSilenceSeconds = file end - end of the last speech; "
              "afterCustomerSeconds = file end - end of the customer's last speech; hangupSide = party whose leg goes to zero first",
    "deadAir": "no dead air: every gap between speech turns outside holds is < 1.6 s",
}


# --------------------------------------------------------------------------------------------
# call scripts


def expand(units, passes=1):
    """Logical clips -> (unit, piece index) in playing order; every pass over a clip plays all its pieces."""
    out = []
    for _ in range(passes):
        for u in units:
            for i in range(len(u["pieces"])):
                out.append((u, i))
    return out


def interleave(agent_seq, cust_seq, pattern, greet=True):
    """pattern: 'a'/'c' = next agent/customer piece; 'A'/'C' = that turn interrupts the other party's turn."""
    items = []
    ai = ci = 0
    for k, ch in enumerate(pattern):
        if ch in "aA":
            u, i = agent_seq[ai]
            ai += 1
            items.append(("say", "agent", u, i, dict(interrupt=(ch == "A"), role=("greeting" if greet and k == 0 else None))))
        else:
            u, i = cust_seq[ci]
            ci += 1
            items.append(("say", "customer", u, i, dict(interrupt=(ch == "C"))))
    assert ai == len(agent_seq) and ci == len(cust_seq), (pattern, ai, len(agent_seq), ci, len(cust_seq))
    return items


MUSIC = {
    "cable": ("music/qMOH-cable_company.flac", "qMOH cable_company (QXIP, corporate MoH loop 15.6 s, CC-BY-ND 4.0: internal use only)"),
    "friends": ("music/qMOH-friends_inline.flac", "qMOH friends_inline (QXIP, ambient MoH loop 21.8 s, CC-BY-ND 4.0: internal use only)"),
    "fishin": ("music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
               "Let's Go Fishin' (Karissa Hobbs, acoustic song with sung vocals, CC-BY); excerpt 85-127 s"),
}


def items_c1(rng):
    ag = expand(voice_units("A252", rng, 20))
    cu = expand(voice_units("A150", rng, 20))
    items = interleave(ag[:6], cu[:6], "acacacaCacac")
    items.append(("hold", dict(kind="music", holdKind="music", dur=56.5, music=MUSIC["cable"][0], musicDesc=MUSIC["cable"][1],
                               loop=True, offset=0.0, level=-22.0, duckDb=-12.0, promptLevel=-20.0,
                               prompts=[("ivr_prompts/all-reps-busy.wav", 18.0)])))
    items += interleave(ag[6:11], cu[6:11], "acacAcacac", greet=False)
    items.append(("hold", dict(kind="music", holdKind="music", dur=66.0, music=MUSIC["friends"][0], musicDesc=MUSIC["friends"][1],
                               loop=True, offset=0.0, level=-24.0, duckDb=-12.0, promptLevel=-20.0,
                               prompts=[("ivr_prompts/queue-periodic-announce.wav", 24.0)])))
    items += interleave(ag[11:20], cu[11:20], "acacacacacacacacac", greet=False)
    return items


def items_c2(rng):
    ag = expand(voice_units("A150", rng, 5))
    cu = expand(voice_units("MTG", rng))
    items = interleave(ag[:2], cu[:1], "aca")
    items.append(("hold", dict(kind="music", holdKind="music", dur=42.0, music=MUSIC["fishin"][0], musicDesc=MUSIC["fishin"][1],
                               loop=False, offset=85.0, level=-21.0)))
    items += interleave(ag[2:5], cu[1:3], "aacac", greet=False)
    return items


def items_c3(rng):
    ag = expand(voice_units("A252", rng, 5))
    cu = expand(voice_units("SPK", rng), passes=2)
    return interleave(ag, cu, "aacaCacac")


def items_c4(rng):
    ag = expand(voice_units("A150", rng, 7))
    cu = expand(voice_units("S764", rng), passes=3)
    return interleave(ag, cu, "aacaacaaca")


def items_c5(rng):
    ag = expand(voice_units("A252", rng, 5))
    cu = expand(voice_units("COSY", rng), passes=3)
    return interleave(ag, cu, "acaacaac")


def items_c6(rng):
    ag = expand(voice_units("A252", rng, 5))
    cu = expand(voice_units("MS1", rng), passes=2)
    return interleave(ag, cu, "acacaccacac")


def items_c7(rng):
    ag = expand(voice_units("A150", rng, 5))
    cu = expand(voice_units("SXF", rng), passes=2)
    return interleave(ag, cu, "acaccacacac")


def items_c8(rng):
    ag = expand(voice_units("A252", rng, 3))
    cu = expand(voice_units("MS2", rng))
    items = interleave(ag[:2], cu[:1], "aca")
    items.append(("hold", dict(kind="silence", holdKind="silence", dur=68.0, both=True)))
    items += interleave(ag[2:], cu[1:], "ac", greet=False)
    return items


def items_c9(rng):
    ag = expand(voice_units("A150", rng, 6))
    cu = expand(voice_units("S724", rng), passes=2)
    items = interleave(ag[:3], cu[:2], "acaca")
    items.append(("hold", dict(kind="comfort", holdKind="silence", dur=36.0, level=-65.0)))
    items += interleave(ag[3:], cu[2:], "acaca", greet=False)
    return items


def items_c10(rng):
    ag = expand(voice_units("AZU", rng))
    cu = expand(voice_units("OSR", rng))
    return interleave(ag, cu, "acaccacca")


def with_backchannels(agent_seq, cust_seq, pattern, bc_keys, after):
    """Like interleave, plus after[k] backchannels of the customer inside the agent turn at pattern index k."""
    seq = []
    ai = ci = bi = 0
    for k, ch in enumerate(pattern):
        if ch == "a":
            u, i = agent_seq[ai]
            ai += 1
            seq.append(("say", "agent", u, i, dict(role=("greeting" if k == 0 else None))))
            for _ in range(after.get(k, 0)):
                seq.append(("bc", "customer", bc_keys[bi % len(bc_keys)]))
                bi += 1
        else:
            u, i = cust_seq[ci]
            ci += 1
            seq.append(("say", "customer", u, i, {}))
    assert ai == len(agent_seq) and ci == len(cust_seq)
    return seq


def items_c11(rng):
    ag = expand(voice_units("A150", rng, 7))
    cu = expand(voice_units("A252", rng, codes=["0219", "0238", "0246", "0458"]))
    return with_backchannels(ag, cu, "aacacaacaca", ["dui_a", "dui_b"], after={1: 2, 3: 1, 5: 2, 6: 1, 8: 2, 10: 2})


def items_c12(rng):
    ag = expand(voice_units("A252", rng, 5))
    cu = expand(voice_units("FLS", rng), passes=2)
    return interleave(ag, cu, "acacacaca")


def items_c13(rng):
    ag = expand(voice_units("A150", rng, 6))
    cu = expand(voice_units("FR1", rng))
    return with_backchannels(ag, cu, "aaacaaca", ["a_fr1"], after={1: 1, 2: 2, 4: 1, 5: 2, 7: 1})


def items_c14(rng):
    ag = expand(voice_units("A252", rng, 6))
    cu = expand(voice_units("SXM", rng))
    return interleave(ag, cu, "aacaacaCa")


BABBLE_FILES = ["conversation/pyannote_dev00.wav", "conversation/pyannote_tst00.wav", "zh_speech_more/mooncast_zh_prompt0.wav",
                "zh_speech_more/mooncast_zh_prompt1.wav", "zh_speech/funasr_asr_example.wav", "telephone/pyannote_sample_phonecall.wav"]

CALLS = [
    dict(n=1, hms="083015", agent=9701, sr=8000, layout="stereo", agentChannel="left", codec="ima-adpcm", ext="wav",
         ring=("Germany", 2, -16.0), voices=dict(agent="A252", customer="A150"), levels=dict(agent=-22.0, customer=-24.0),
         noise=dict(agent=("pink", -62.0), customer=("white", -55.0)), items=items_c1,
         ending=dict(hangup="customer", busy="Germany", busyCycles=4),
         conditions="A long (about 7 min) stereo 8 kHz IMA-ADPCM call with a German (CEPT) ring-back and two music holds, 56.5 s "
                    "(qMOH cable loop with the recorded 'All of our representatives are currently busy' prompt) and 66 s (qMOH friends "
                    "loop with the recorded queue-periodic-announce prompt); only the second is over one minute; the customer hangs up "
                    "and a German busy tone follows.",
         tags=["8000 Hz", "stereo, agent LEFT", "IMA ADPCM WAV", "Germany (CEPT) ring-back x2, -16 dBov", "long call 6-9 min",
               "music hold 56.5 s + announcement", "music hold 66 s + announcement", "customer hangs up, German busy tone"]),
    dict(n=2, hms="085402", agent=9702, sr=32000, layout="mono", codec="pcm16", ext="wav",
         ring=("France", 3, -13.0), voices=dict(agent="A150", customer="MTG"), levels=dict(agent=-22.0, customer=-23.0),
         noise=dict(agent=("pink", -64.0), customer=("pink", -58.0)), items=items_c2,
         ending=dict(hangup="customer"),
         conditions="A mono 32 kHz call with a French ring-back and a 42 s hold playing a song with a singing voice (Let's Go Fishin'); "
                    "the customer is a spontaneous meeting-style speaker and hangs up.",
         tags=["32000 Hz", "mono mix", "16-bit PCM WAV", "France ring-back x3, -13 dBov", "music hold 42 s with sung vocals",
               "customer hangs up"]),
    dict(n=3, hms="092137", agent=9703, sr=16000, layout="stereo", agentChannel="left", codec="pcm16", ext="wav",
         ring=("Australia", 4, -27.0), voices=dict(agent="A252", customer="SPK"), levels=dict(agent=-21.0, customer=-24.0),
         noise=dict(agent=("pink", -66.0), customer=("pink", -57.0)), items=items_c3,
         babble=dict(files=BABBLE_FILES, relDb=-24.0), keys=True,
         ending=dict(hangup="customer"),
         conditions="A stereo 16 kHz call with an Australian ring-back where the agent sits in a busy call centre: six real background "
                    "voices mixed 24 dB under the agent and keyboard typing clicks on the agent leg.",
         tags=["16000 Hz", "stereo, agent LEFT", "16-bit PCM WAV", "Australia ring-back x4, -27 dBov",
               "call-centre babble 24 dB under the agent", "keyboard typing on the agent leg", "customer hangs up"]),
    dict(n=4, hms="095508", agent=9704, sr=8000, layout="stereo", agentChannel="right", codec="ms-adpcm", ext="wav",
         ring=("India", 2, -20.0), voices=dict(agent="A150", customer="S764"), levels=dict(agent=-21.0, customer=-23.0),
         noise=dict(agent=("pink", -63.0), customer=("pink", -56.0)), items=items_c4,
         echo=dict(delay=0.09, lossDb=27.0), ending=dict(hangup="customer"),
         conditions="A stereo 8 kHz MS-ADPCM call with an Indian ring-back in which the agent's speech leaks onto the customer leg "
                    "27 dB down and 90 ms late (echo); the agent does most of the talking.",
         tags=["8000 Hz", "stereo, agent RIGHT", "MS ADPCM WAV", "India ring-back x2, -20 dBov", "echo of the agent on the customer leg -27 dB, 90 ms",
               "customer hangs up"]),
    dict(n=5, hms="102244", agent=9705, sr=11025, layout="stereo", agentChannel="left", codec="pcm16", ext="wav",
         ring=None, voices=dict(agent="A252", customer="COSY"), levels=dict(agent=-21.0, customer=-43.5),
         noise=dict(agent=("pink", -62.0), customer=("pink", -78.0)), items=items_c5,
         ending=dict(hangup="customer"),
         conditions="A stereo 11.025 kHz call answered without any ring-back (the file starts at the agent's greeting) with a very "
                    "quiet customer (about -43.5 dBov active level) against a normal -21 dBov agent.",
         tags=["11025 Hz", "stereo, agent LEFT", "16-bit PCM WAV", "no ring-back (file starts at the greeting)",
               "very quiet customer -43.5 dBov", "customer hangs up"]),
    dict(n=6, hms="104931", agent=9706, sr=8000, layout="mono", codec="vorbis", ext="ogg",
         ring=("Germany", 1, -11.0), voices=dict(agent="A252", customer="MS1"), levels=dict(agent=-22.0, customer=-23.0),
         tempo=dict(agent=0.85, customer=1.3),
         noise=dict(agent=("pink", -60.0), customer=("white", -58.0)), items=items_c6,
         ending=dict(hangup="customer"),
         conditions="A mono 8 kHz Ogg Vorbis call with a German (CEPT) ring-back answered on the first ring, a slow agent "
                    "(sox tempo 0.85) and a fast customer (sox tempo 1.3); speech-rate truth uses the changed durations.",
         tags=["8000 Hz", "mono mix", "Ogg Vorbis", "Germany (CEPT) ring-back x1, -11 dBov", "slow agent tempo 0.85",
               "fast customer tempo 1.3", "customer hangs up"]),
    dict(n=7, hms="111617", agent=9707, sr=16000, layout="stereo", agentChannel="left", codec="mp3", ext="mp3",
         ring=("France", 2, -24.0), voices=dict(agent="A150", customer="SXF"), levels=dict(agent=-22.0, customer=-24.0),
         noise=dict(agent=("pink", -63.0), customer=("pink", -35.0)), items=items_c7,
         ending=dict(hangup="customer"),
         conditions="A stereo MP3 (24 kbit/s, 16 kHz) call with a French ring-back and loud pink noise on the customer leg, "
                    "about 11 dB under the customer's speech.",
         tags=["16000 Hz", "stereo, agent LEFT", "MP3 24 kbit/s stereo", "France ring-back x2, -24 dBov",
               "pink noise ~11 dB SNR on the customer leg", "customer hangs up"]),
    dict(n=8, hms="133050", agent=9701, sr=8000, layout="mono", codec="u8", ext="wav",
         ring=("Australia", 2, -18.0), voices=dict(agent="A252", customer="MS2"), levels=dict(agent=-20.0, customer=-21.0),
         noise=dict(agent=("pink", -46.0), customer=("pink", -47.0)), items=items_c8,
         ending=dict(hangup="customer"),
         conditions="A mono 8 kHz unsigned 8-bit call with an Australian ring-back and a 68 s muted-line hold during which the "
                    "recording is exact digital silence.",
         tags=["8000 Hz", "mono mix", "unsigned 8-bit PCM WAV", "Australia ring-back x2, -18 dBov",
               "muted-line hold 68 s (digital silence)", "customer hangs up"]),
    dict(n=9, hms="135812", agent=9702, sr=16000, layout="mono", codec="pcm16", ext="wav",
         ring=("India", 3, -29.0), voices=dict(agent="A150", customer="S724"), levels=dict(agent=-22.0, customer=-24.0),
         noise=dict(agent=("pink", -56.0), customer=("pink", -74.0)), items=items_c9,
         ending=dict(hangup="customer"),
         conditions="A mono 16 kHz call with a quiet Indian ring-back and a 36 s comfort-noise hold (the agent leg carries only "
                    "-65 dBov noise, below its normal -56 dBov line noise).",
         tags=["16000 Hz", "mono mix", "16-bit PCM WAV", "India ring-back x3, -29 dBov", "comfort-noise hold 36 s (-65 dBov)",
               "customer hangs up"]),
    dict(n=10, hms="142405", agent=9703, sr=8000, layout="stereo", agentChannel="right", codec="pcm16", ext="wav",
         ring=("Germany", 3, -22.0), voices=dict(agent="AZU", customer="OSR"), levels=dict(agent=-22.0, customer=-23.0),
         noise=dict(agent=("white", -60.0), customer=("pink", -54.0)), items=items_c10,
         ending=dict(hangup="agent", tail=(2.0, 3.0)),
         conditions="A stereo 8 kHz English call with a German (CEPT) ring-back: a real sales-call agent and a read-speech customer; "
                    "the agent speaks last and hangs up, then only silence and line noise.",
         tags=["8000 Hz", "stereo, agent RIGHT", "16-bit PCM WAV", "Germany (CEPT) ring-back x3, -22 dBov", "English speech",
               "agent speaks last and hangs up (silence after)"]),
    dict(n=11, hms="145541", agent=9704, sr=16000, layout="stereo", agentChannel="left", codec="pcm16", ext="wav",
         ring=("France", 1, -10.0), voices=dict(agent="A150", customer="A252"), levels=dict(agent=-22.0, customer=-23.0),
         noise=dict(agent=("pink", -65.0), customer=("pink", -58.0)), items=items_c11,
         ending=dict(hangup="customer"),
         conditions="A stereo 16 kHz call with a loud French ring-back answered on the first ring, in which the customer says "
                    "short 对 backchannels during most of the agent's turns.",
         tags=["16000 Hz", "stereo, agent LEFT", "16-bit PCM WAV", "France ring-back x1, -10 dBov",
               "frequent customer backchannels (对)", "customer hangs up"]),
    dict(n=12, hms="152218", agent=9705, sr=8000, layout="mono", codec="pcm16", ext="wav",
         ring=("Australia", 1, -15.0), voices=dict(agent="A252", customer="FLS"), levels=dict(agent=-22.0, customer=-24.0),
         noise=dict(agent=("pink", -60.0), customer=("brown", -58.0)), items=items_c12,
         ending=dict(hangup="customer", busy="Australia", busyCycles=4),
         conditions="A mono 8 kHz call with an Australian ring-back in which the agent says the last words, then the customer "
                    "clears and an Australian busy tone follows.",
         tags=["8000 Hz", "mono mix", "16-bit PCM WAV", "Australia ring-back x1, -15 dBov",
               "agent's goodbye last, then the customer clears and a busy tone follows"]),
    dict(n=13, hms="155903", agent=9706, sr=16000, layout="mono", codec="pcm16", ext="wav",
         ring=("Australia", 5, -30.0), voices=dict(agent="A150", customer="FR1"), levels=dict(agent=-22.0, customer=-24.0),
         noise=dict(agent=("pink", -63.0), customer=("pink", -60.0)), items=items_c13,
         ending=dict(hangup="customer"),
         conditions="A mono 16 kHz call with a faint Australian ring-back (5 rings) in which the customer gives short 啊 "
                    "backchannels during the agent's turns.",
         tags=["16000 Hz", "mono mix", "16-bit PCM WAV", "Australia ring-back x5, -30 dBov", "customer backchannels (啊) in mono",
               "customer hangs up"]),
    dict(n=14, hms="163347", agent=9707, sr=16000, layout="stereo", agentChannel="right", codec="pcm16", ext="wav",
         ring=("India", 4, -12.0), voices=dict(agent="A252", customer="SXM"), levels=dict(agent=-22.0, customer=-24.0),
         noise=dict(agent=("pink", -64.0), customer=("mobile", -34.5)), items=items_c14,
         ending=dict(hangup="agent", tail=(1.6, 2.4)),
         conditions="A stereo 16 kHz call with a loud Indian ring-back and mobile-like noise (brown + pink, slowly fluctuating) "
                    "about 10.5 dB under the customer's speech; the agent hangs up last.",
         tags=["16000 Hz", "stereo, agent RIGHT", "16-bit PCM WAV", "India ring-back x4, -12 dBov",
               "mobile-like noise ~10.5 dB SNR on the customer leg", "agent hangs up"]),
]


def main():
    global TMP
    if not os.path.isdir(REAL) or not os.path.isfile(os.path.join(REAL, "transcripts.json")):
        sys.exit(f"real audio material not found at {REAL}: set CALLQA_REALAUDIO or put shared/realaudio next to the repository")
    if shutil.which("sox") is None:
        sys.exit("sox is needed (with libsox-fmt-all)")
    only = [int(a) for a in sys.argv[1:]] or None
    os.makedirs(os.path.join(OUT, "truth"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "meta"), exist_ok=True)
    TMP = tempfile.mkdtemp(prefix="indep9-")
    try:
        for spec in CALLS:
            if only and spec["n"] not in only:
                continue
            stem = f"{DATE}-{spec['hms']}_agent-{spec['agent']}_call-{970000 + spec['n']}"
            fname = f"{stem}.{spec['ext']}"
            for old in os.listdir(OUT):
                if old.startswith(stem + "."):
                    os.remove(os.path.join(OUT, old))
            call = build_call(spec)
            enc, dec = encode(call, os.path.join(OUT, fname))
            truth, meta = truth_and_meta(call, enc, dec, fname)
            dur = truth["durationSeconds"]
            if spec["n"] == 1:
                assert 360 <= dur <= 540, dur
            else:
                assert 30 <= dur <= 120, (fname, dur)
            with open(os.path.join(OUT, "truth", stem + ".json"), "w", encoding="utf-8") as f:
                json.dump(truth, f, indent=1, ensure_ascii=False)
            with open(os.path.join(OUT, "meta", stem + ".meta.json"), "w", encoding="utf-8") as f:
                json.dump(meta, f, indent=1, ensure_ascii=False)
            p = truth["parties"]
            print(f"{fname}: {dur:.1f} s, agent {p['agent']['activeLevelDbov']} dBov snr {p['agent']['snrDb']} "
                  f"talk {p['agent']['talkSeconds']} chars {p['agent']['characterCount']}; customer {p['customer']['activeLevelDbov']} dBov "
                  f"snr {p['customer']['snrDb']} talk {p['customer']['talkSeconds']} chars {p['customer']['characterCount']}; "
                  f"interruptions {len(truth['interruptions'])}; lag {enc.get('decodedLagSamples')}", flush=True)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
