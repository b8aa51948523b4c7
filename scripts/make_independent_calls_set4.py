#!/usr/bin/env python3
"""Developer script: builds the fourth independent evaluation set, .build-indep4/, from REAL audio.

Fourteen call recordings (20261205-HHMMSS_agent-700N_call-7000NN.wav / .flac) made from real
human Mandarin voices with transcripts (AISHELL read speech, spontaneous podcast / livestream /
meeting speech), real music (librosa/data CC-BY / public-domain tracks) for hold music and a
coloured ring-back tone, real recorded IVR prompts (Asterisk core sounds, CC-BY-SA) for the hold
announcement, and English speech from the collection for office babble. Tones (ringback of four
national plans, hold beeps), line noise (white, pink), mains hum, automatic gain control,
packet-loss dropouts and the codecs are applied here. Nothing is synthesised speech.

For each call it writes truth/<stem>.json in the schema scripts/evaluate.py reads (the same keys
as .build-indep3/truth) and meta/<stem>.meta.json with free-form notes (sources, clip placements
in samples, codec, levels, noise, what was done).

It reads the real-audio collection from ../shared/realaudio (beside the repository) or from
$CALLQA_REALAUDIO; when that folder is absent it prints a message and exits 0. Deterministic
(fixed seed). It was written without reading the detectors' sources, models, tests or docs.

    python3 scripts/make_independent_calls_set4.py
    python3 scripts/evaluate.py --callqa .build/release/callqa .build-indep4
"""
import json
import math
import os
import shutil
import sys
import tempfile

import numpy as np
import scipy.signal as ss
from scipy.ndimage import minimum_filter1d, uniform_filter1d
import soundfile as sf

SEED = 20261205
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL = os.environ.get("CALLQA_REALAUDIO") or os.path.join(REPO, "..", "shared", "realaudio")
OUT = os.path.join(REPO, ".build-indep4")

HOP = 0.01          # frame used for trimming (10 ms)
MERGE_GAP = 0.5     # voiced runs closer than this are one truth speech segment
FADE = 0.005        # fade at clip cut points (inside the trimmed extent)

# --------------------------------------------------------------------------- sources

AISHELL = "zh_speech/aishell_asr0009_sample/"
S0150 = [AISHELL + f"BAC009S0150W{w}.wav" for w in
         ("0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0358",
          "0404", "0447", "0456", "0463", "0473", "0481", "0482", "0483", "0488", "0490")]
S0252 = [AISHELL + f"BAC009S0252W{w}.wav" for w in
         ("0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396",
          "0435", "0441", "0443", "0447", "0458", "0460", "0463", "0480", "0483", "0485")]

# speaker -> clips, and how a clip is cut into turns (pieces) at its own pauses
SPEAKERS = {
    "S0150": dict(clips=S0150, pieces=1, note="AISHELL-ASR0009 sample speaker S0150, read news speech (higher voice)"),
    "S0252": dict(clips=S0252, pieces=1, note="AISHELL-ASR0009 sample speaker S0252, read news speech (lower voice)"),
    # fast spontaneous speakers (character rate over 250/min on their voiced extent)
    "soulx_male": dict(clips=["zh_speech_more/soulxpodcast_male_mandarin.wav"], pieces=3,
                       note="SoulX-Podcast male Mandarin podcast excerpt, spontaneous, fillers, fast"),
    "moss_spk1": dict(clips=["zh_speech_more/mossttsd_zh_spk1_moon.wav"], pieces=2,
                      note="MOSS-TTSD livestream host 1 (higher voice), spontaneous, fast"),
    "moss_spk2": dict(clips=["zh_speech_more/mossttsd_zh_spk2_moon.wav"], pieces=3,
                      note="MOSS-TTSD livestream host 2 (lower voice), spontaneous, fast"),
    "fr_tts2_s1": dict(clips=["zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac"], pieces=3,
                       note="FireRedTTS2 chat prompt S1 (podcast host, male), spontaneous with repetitions, fast"),
}

MUSIC = {
    "fishin": "music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
    "sugarplum": "music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
    "vibe": "music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg",
    "hungarian": "music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
    "trumpet": "music/librosa_sorohanro_-_solo-trumpet-06.ogg",
}
PROMPTS = {"periodic": "ivr_prompts/queue-periodic-announce.wav"}
BABBLE = ["en_calls/azure_fast_transcription_test_call_audio.wav", "conversation/pyannote_dev00.wav",
          "conversation/pyannote_tst00.wav", "telephone/pyannote_sample_phonecall.wav",
          "telephone/OSR_us_000_0034_8k.wav", "en_speech/wenet_librispeech-1995-1837-0001.wav",
          "en_speech/whisper_jfk.flac"]

# ring plans: frequencies, bursts inside one ring (on-intervals, s), ring period (s)
PLANS = {
    "China": dict(f=[450.0], on=[(0.0, 1.0)], period=5.0),
    "CEPT": dict(f=[425.0], on=[(0.0, 1.0)], period=5.0),
    "NorthAmerica": dict(f=[440.0, 480.0], on=[(0.0, 2.0)], period=6.0),
    "UK": dict(f=[400.0, 450.0], on=[(0.0, 0.4), (0.6, 1.0)], period=3.0),
}

# --------------------------------------------------------------------------- the 14 calls
# flow tokens: "A" agent turn, "C" customer turn, "C!1.2" customer turn starting 1.2 s before the
# agent's turn ends (an interruption), ("H", kind, seconds, music) a hold started by the agent,
# ("D", seconds) dead air (both silent).
CALLS = [
    dict(idx=1, time="083107", agent=7001, layout="stereo", agentSide="left", sr=8000, codec="ulaw", ext="wav",
         direction="inbound", ring=("China", 3), voices=("S0150", "S0252"), levels=(-20.0, -27.0),
         noise={"A": ("pink", -55.0), "C": ("pink", -50.0)}, hum=None,
         flow=["A", "C", "C", "A", "C", "A", "C!1.2", "A", "A", ("H", "music", 72.0, "fishin"),
               "A", "C", "A", "C", "A", "C", "A", "C"],
         ending=dict(hangup="customer", delay=0.9, rec_tail=1.1)),
    dict(idx=2, time="084752", agent=7002, layout="stereo", agentSide="right", sr=8000, codec="alaw", ext="wav",
         direction="outbound", ring=("CEPT", 2), voices=("S0252", "S0150"), levels=(-14.0, -24.0),
         noise={"A": ("white", -56.0), "C": ("white", -49.0)}, hum=None,
         flow=["C", "A", "C", "A!0.8", "C", "A", ("H", "tone", 42.0, None), "A", "C", "A", "C", "A"],
         ending=dict(hangup="agent", tail=1.3)),
    dict(idx=3, time="090514", agent=7003, layout="mono", sr=8000, codec="gsm", ext="wav",
         direction="inbound", ring=("NorthAmerica", 2), voices=("S0150", "soulx_male"), levels=(-23.0, -20.0),
         noise={"A": ("babble", -45.0), "C": ("white", -60.0)}, hum=None,
         flow=["A", "C", "A", "A", "C", "A", ("H", "music", 38.0, "vibe"), "A", "C"],
         ending=dict(hangup="customer", delay=0.7, rec_tail=0.9)),
    dict(idx=4, time="092241", agent=7004, layout="mono", sr=16000, codec="flac", ext="flac",
         direction="inbound", ring=("UK", 4), voices=("S0252", "S0150"), levels=(-34.0, -22.0),
         noise={"A": ("pink", -58.0), "C": ("pink", -52.0)}, hum=None,
         flow=["A", "C", "C", "A", "C", "A", ("H", "music", 34.0, "hungarian"), "A", "C", "A", ("D", 14.0),
               "A", "C", "A", "C", "A"],
         ending=dict(hangup="agent", tail=2.6)),
    dict(idx=5, time="094003", agent=7005, layout="stereo", agentSide="left", sr=16000, codec="mp3rt", ext="wav",
         direction="inbound", ring=("China", 4), voices=("S0150", "S0252"), levels=(-12.0, -30.0),
         noise={"A": ("white", -52.0), "C": ("pink", -54.0)}, hum=("C", -50.0),
         flow=["A", "C", "A", "C", "C", "A", ("D", 12.0), "A", "C", "A", "C", "A", "C", "A", "C"],
         ending=dict(hangup="agent", tail=1.8)),
    dict(idx=6, time="100227", agent=7006, layout="stereo", agentSide="right", sr=8000, codec="pcm16", ext="wav",
         direction="outbound", ring=("CRBT", "vibe"), voices=("S0252", "S0150"), levels=(-22.0, -19.0),
         noise={"A": ("pink", -57.0), "C": ("pink", -47.0)}, hum=None,
         flow=["C", "A", "C", "A", "C", "A", ("H", "silence", 45.0, None), "A", "C", "A", "C", "A", "C", "A"],
         ending=dict(hangup="agent", tail=2.2)),
    dict(idx=7, time="101855", agent=7001, layout="mono", sr=8000, codec="ulaw", ext="wav",
         direction="inbound", ring=("China", 6), voices=("S0150", "S0252"), levels=(-18.0, -29.0),
         noise={"A": ("white", -58.0), "C": ("white", -53.0)}, hum=("A", -46.0),
         flow=["A", "C", "C", "A", "C", "A", "C", "A", "A", ("H", "music", 96.0, "sugarplum", "periodic"),
               "A", "C", "A", "C", "A", "C", "A", "C", "A", "C"],
         ending=dict(hangup="customer", delay=1.2, rec_tail=0.8)),
    dict(idx=8, time="104430", agent=7002, layout="stereo", agentSide="left", sr=16000, codec="opusrt", ext="flac",
         direction="inbound", ring=("NorthAmerica", 3), voices=("S0252", "moss_spk1"), levels=(-27.0, -21.0),
         noise={"A": ("babble", -52.0), "C": ("white", -58.0)}, hum=None,
         flow=["A", "C", "A", "A", ("H", "music", 34.0, "trumpet"), "A", "C!1.6", "A", "A"],
         ending=dict(hangup="customer", delay=1.6, rec_tail=1.0)),
    dict(idx=9, time="110418", agent=7003, layout="dualmono", sr=8000, codec="pcm16", ext="wav",
         direction="inbound", ring=None, voices=("S0150", "S0252"), levels=(-35.0, -25.0),
         noise={"A": ("white", -60.0), "C": ("white", -55.0)}, hum=None, agc=True,
         flow=["A", "C", "A", "C", "C", "A", ("H", "music", 62.0, "hungarian"), "A", "C", "A", "C", "A", "C", "A"],
         ending=dict(hangup="agent", tail=1.5)),
    dict(idx=10, time="131240", agent=7005, layout="stereo", agentSide="right", sr=8000, codec="alaw", ext="wav",
         direction="inbound", ring=("CEPT", 5), voices=("S0150", "S0252"), levels=(-16.0, -23.0),
         noise={"A": ("pink", -56.0), "C": ("white", -52.0)}, hum=None, dropouts=(3, 5),
         flow=["A", "C", "A", "C", "A", "C", ("H", "music", 48.0, "fishin"), "A", "C", "A", "C", "C", "A", "C", "A"],
         ending=dict(hangup="customer", delay=2.1, rec_tail=0.7)),
    dict(idx=11, time="133522", agent=7004, layout="stereo", agentSide="left", sr=8000, codec="ulaw", ext="wav",
         direction="inbound", ring=("CEPT", 1), voices=("S0252", "S0150"), levels=(-25.0, -33.0),
         noise={"A": ("pink", -60.0), "C": ("pink", -57.0)}, hum=("A", -44.0),
         flow=["A", "C", "A", "C", "A", ("H", "music", 66.0, "vibe"), "A", "C", "C", "A", ("D", 22.0),
               "A", "C", "A", "C", "A", "C", "A"],
         ending=dict(hangup="agent", tail=3.1)),
    dict(idx=12, time="140209", agent=7006, layout="mono", sr=48000, codec="flac", ext="flac",
         direction="outbound", ring=("NorthAmerica", 1), voices=("fr_tts2_s1", "S0150"), levels=(-19.0, -26.0),
         noise={"A": ("pink", -62.0), "C": ("pink", -56.0)}, hum=None,
         flow=["C", "A", "C", "A", "C", ("H", "music", 65.0, "sugarplum"), "A", "C", "C"],
         ending=dict(hangup="agent", tail=5.6)),
    dict(idx=13, time="142851", agent=7001, layout="stereo", agentSide="left", sr=8000, codec="gsmrt", ext="wav",
         direction="inbound", ring=("UK", 3), voices=("S0150", "S0252"), levels=(-29.0, -17.0),
         noise={"A": ("white", -60.0), "C": ("white", -48.0)}, hum=None,
         flow=["A", "C", "A!0.6", "C", "A", "C!1.0", "A", ("H", "music", 30.0, "vibe"), "A", "C", "A", "C", "A"],
         ending=dict(hangup="agent", tail=1.9)),
    dict(idx=14, time="151006", agent=7002, layout="stereo", agentSide="right", sr=16000, codec="flac", ext="flac",
         direction="inbound", ring=("China", 2), voices=("S0252", "moss_spk2"), levels=(-21.0, -18.0),
         noise={"A": ("pink", -59.0), "C": ("babble", -38.0)}, hum=None,
         flow=["A", "C!1.4", "A", "A", "C", "A", ("H", "music", 30.0, "fishin"), "A", "C", "A"],
         ending=dict(hangup="customer", delay=1.4, rec_tail=1.2)),
]

# --------------------------------------------------------------------------- audio helpers

_cache = {}


def load(rel, sr):
    """Mono float64 at sr, resampled with a polyphase filter."""
    key = (rel, sr)
    if key not in _cache:
        x, r = sf.read(os.path.join(REAL, rel), always_2d=True)
        x = x.mean(axis=1)
        if r != sr:
            g = math.gcd(r, sr)
            x = ss.resample_poly(x, sr // g, r // g)
        _cache[key] = x
    return _cache[key]


def band_sos(sr):
    if sr == 8000:
        return ss.butter(6, [300.0, 3400.0], "bandpass", fs=sr, output="sos")
    if sr == 16000:
        return ss.butter(4, [80.0, 7000.0], "bandpass", fs=sr, output="sos")
    return ss.butter(4, 60.0, "highpass", fs=sr, output="sos")


def channel(x, sr):
    """The channel's band (zero phase, so placements stay where they are)."""
    return ss.sosfiltfilt(band_sos(sr), x)


def stable(v, digits=10):
    """Float sums and transcendental functions in numpy can differ in the last bit from run to
    run (SIMD paths depend on memory alignment); rounding derived values keeps the output
    bit-identical between runs."""
    if isinstance(v, np.ndarray):
        return np.round(v, digits)
    return float(f"{float(v):.{digits}g}")


def meansq(x):
    return stable(np.mean(np.square(x)))


def db(p):
    return 10.0 * math.log10(max(p, 1e-20))


def p56(x, sr, mask=None):
    """ITU-T P.56 method B active speech level (dBov, 0 dBov = full-scale square wave RMS):
    0.03 s envelope, 0.2 s hangover, 15.9 dB margin; mask limits the counted samples."""
    x = np.asarray(x, dtype=np.float64)
    if mask is None:
        mask = np.ones(len(x), dtype=bool)
    if not mask.any():
        return None
    g = math.exp(-1.0 / (sr * 0.03))
    p = ss.lfilter([1 - g], [1, -g], np.abs(x))
    q = ss.lfilter([1 - g], [1, -g], p)
    H = int(round(0.2 * sr))
    sq = stable(np.sum(x[mask] ** 2))
    if sq <= 0:
        return None
    prev = None
    for j, c in enumerate(2.0 ** np.arange(-15, 1)):
        above = (q >= c).astype(np.int64)
        cs = np.cumsum(above)
        win = cs - np.concatenate([np.zeros(H, dtype=np.int64), cs[:-H]])
        a = int(np.sum((win > 0) & mask))
        if a == 0:
            break
        A = db(sq / a)
        d = A - 20 * math.log10(c)
        if d <= 15.9:
            if prev is None:
                return stable(A)
            Ap, dp = prev
            f = (dp - 15.9) / max(dp - d, 1e-9)
            return stable(Ap + f * (A - Ap))
        prev = (A, d)
    return stable(prev[0]) if prev else None


def rms_db(x, mask=None):
    x = x if mask is None else x[mask]
    return db(meansq(x)) if len(x) else None


def fade(x, n):
    n = min(n, len(x) // 2)
    if n > 0:
        r = np.linspace(0.0, 1.0, n, endpoint=False)
        x[:n] *= r
        x[-n:] *= r[::-1]
    return x


def limiter(x, sr, ceiling=0.79, want_gain=False):
    """Look-ahead peak limiter (gain never above what keeps |x| under the ceiling)."""
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(x), 1e-12))
    if need.min() >= 1.0:
        return (x, 0.0, np.ones(len(x))) if want_gain else (x, 0.0)
    w = max(3, int(0.004 * sr))
    gmin = minimum_filter1d(need, size=2 * w + 1)
    g = uniform_filter1d(gmin, size=w)
    g = np.minimum(g, need)
    red = float(-20 * math.log10(g.min()))
    return (x * g, red, g) if want_gain else (x * g, red)


# --------------------------------------------------------------------------- speech units

def voiced_frames(x, sr):
    n = int(round(sr * HOP))
    m = len(x) // n
    e = stable(10 * np.log10(np.mean(x[: m * n].reshape(m, n) ** 2, axis=1) + 1e-14), 6)
    th = max(np.percentile(e, 10) + 12.0, np.percentile(e, 97) - 32.0)
    on = e > th
    # drop blips shorter than 30 ms
    i = 0
    while i < m:
        if on[i]:
            j = i
            while j < m and on[j]:
                j += 1
            if j - i < 3:
                on[i:j] = False
            i = j
        else:
            i += 1
    return on, n, th


def runs(on):
    out, i, m = [], 0, len(on)
    while i < m:
        if on[i]:
            j = i
            while j < m and on[j]:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def clip_units(rel, sr, pieces):
    """Trim the clip to its voiced extent (energy threshold on 10 ms frames, after the channel
    band) and cut it into `pieces` turns at its longest pauses (each piece at least 1 s).
    Returns units with their audio, truth segments (voiced runs merged over gaps < 0.5 s) in
    samples relative to the unit start, and the clip's character count."""
    x = channel(load(rel, sr), sr)
    on, n, th = voiced_frames(x, sr)
    rs = runs(on)
    f0, f1 = rs[0][0], rs[-1][1]
    gaps = [(rs[k][1], rs[k + 1][0]) for k in range(len(rs) - 1)]   # frame intervals
    cuts = []
    for a, b in sorted(gaps, key=lambda g: -(g[1] - g[0])):
        if len(cuts) >= pieces - 1 or (b - a) * HOP < 0.15:
            break
        # piece edges if we cut here
        trial = sorted(cuts + [(a, b)])
        edges = [f0] + [c for cc in trial for c in cc] + [f1]
        lens = [(edges[i + 1] - edges[i]) * HOP for i in range(0, len(edges), 2)]
        if min(lens) >= 0.8:
            cuts = trial
    cuts = sorted(cuts)
    edges = [f0] + [c for cc in cuts for c in cc] + [f1]
    units = []
    for k in range(0, len(edges), 2):
        a, b = edges[k], edges[k + 1]
        segs = []
        for ra, rb in rs:
            if ra >= a and rb <= b:
                if segs and (ra - segs[-1][1]) * HOP < MERGE_GAP:
                    segs[-1] = (segs[-1][0], rb)
                else:
                    segs.append((ra, rb))
        audio = fade(x[a * n: b * n].copy(), int(FADE * sr))
        units.append(dict(clip=rel, piece=k // 2, of=len(edges) // 2, audio=audio,
                          srcSpan=[a * HOP, b * HOP],
                          segs=[((sa - a) * n, (sb - a) * n) for sa, sb in segs]))
    return units, th


_trans = None


def transcript(rel):
    global _trans
    if _trans is None:
        _trans = json.load(open(os.path.join(REAL, "transcripts.json"), encoding="utf-8"))
    t = _trans[rel]
    return t["transcript"], int(t["cjk_char_count"])


# --------------------------------------------------------------------------- other sources

def tone(freqs, n, sr, level):
    t = np.arange(n) / sr
    s = sum(stable(np.sin(2 * np.pi * f * t), 12) for f in freqs)
    s *= 10 ** (level / 20) / math.sqrt(meansq(s))
    return fade(s, int(0.005 * sr))


def music(key, n, sr, offset, level, rng):
    x = channel(load(MUSIC[key], sr), sr)
    start = int(offset * sr) % len(x)
    out = np.zeros(0)
    pos = start
    xf = int(0.05 * sr)
    while len(out) < n:
        take = x[pos:]
        pos = 0
        if len(out):
            take = take.copy()
            ramp = np.linspace(0, 1, xf)
            out[-xf:] = out[-xf:] * ramp[::-1] + take[:xf] * ramp
            take = take[xf:]
        out = np.concatenate([out, take])
    out = out[:n].copy()
    out *= 10 ** (level / 20) / math.sqrt(meansq(out) + 1e-20)
    out, _ = limiter(out, sr, ceiling=min(0.7, 10 ** ((level + 18) / 20)))   # the MOH server's limiter
    return fade(out, int(0.02 * sr))


def gen_noise(kind, n, sr, rng):
    if kind == "white":
        x = rng.standard_normal(n)
    elif kind == "pink":
        w = rng.standard_normal(n)
        X = np.fft.rfft(w)
        f = np.fft.rfftfreq(n, 1 / sr)
        X[1:] /= np.sqrt(f[1:] / f[1])
        X[0] = 0
        x = np.fft.irfft(X, n)
    elif kind == "babble":
        x = np.zeros(n)
        picks = rng.choice(len(BABBLE), size=5, replace=False)
        for k in picks:
            s = load(BABBLE[k], sr)
            s = s / math.sqrt(meansq(s))
            off = int(rng.integers(0, len(s)))
            reps = int(math.ceil((n + off) / len(s))) + 1
            x += np.tile(s, reps)[off: off + n] * 10 ** (rng.uniform(-5, 0) / 20)
    else:
        raise ValueError(kind)
    x = channel(x, sr) if kind != "white" or sr != 8000 else x
    return x / math.sqrt(meansq(x))


def hum(n, sr, level):
    t = np.arange(n) / sr
    amps = {50: 1.0, 100: 0.25, 150: 0.5, 250: 0.3, 350: 0.15, 450: 0.08}
    x = sum(a * stable(np.sin(2 * np.pi * f * t + 0.7 * k), 12) for k, (f, a) in enumerate(amps.items()) if f < sr / 2)
    return x * 10 ** (level / 20) / math.sqrt(meansq(x))


def agc(x, sr, target=-20.0, max_gain=18.0, min_gain=-8.0):
    """Block AGC with a fast attack and a slow release: it lifts the line in pauses and clamps
    at speech onsets (audible pumping). Returns the per-sample gain (linear)."""
    n = int(0.01 * sr)
    m = int(math.ceil(len(x) / n))
    xp = np.concatenate([x, np.zeros(m * n - len(x))])
    lv = stable(10 * np.log10(np.mean(xp.reshape(m, n) ** 2, axis=1) + 1e-12), 6)
    env = np.empty(m)
    e = lv[0]
    for i in range(m):   # level follower: 20 ms up, 300 ms down
        a = 0.5 if lv[i] > e else 1 - math.exp(-1 / 30)
        e = e + a * (lv[i] - e)
        env[i] = e
    want = np.clip(target - env, min_gain, max_gain)
    g = np.empty(m)
    cur = 0.0
    for i in range(m):   # gain: 30 ms down, 1.5 s up
        a = 1 - math.exp(-1 / 3) if want[i] < cur else 1 - math.exp(-1 / 150)
        cur = cur + a * (want[i] - cur)
        g[i] = cur
    gs = np.repeat(stable(10 ** (g / 20), 12), n)[: len(x)]
    return uniform_filter1d(gs, size=n)


# --------------------------------------------------------------------------- building a call

def build(cfg):
    rng = np.random.default_rng([SEED, cfg["idx"]])
    sr = cfg["sr"]
    S = lambda sec: int(round(sec * sr))
    agentV, custV = cfg["voices"]
    if agentV == custV:
        raise SystemExit("agent and customer must be different speakers")

    # ---- units per party (distinct clips within the call, all pieces of a used clip)
    queues, thresholds = {}, {}
    for party, vname in (("A", agentV), ("C", custV)):
        spk = SPEAKERS[vname]
        clips = list(spk["clips"])
        order = rng.permutation(len(clips))
        q = []
        want = sum(1 for t in cfg["flow"] if isinstance(t, str) and t[0] == party)
        for k in order:
            if len(q) >= want:
                break
            us, th = clip_units(clips[k], sr, spk["pieces"])
            thresholds[clips[k]] = round(float(th), 1)
            q.extend(us)
        queues[party] = q
    need = {p: sum(1 for t in cfg["flow"] if isinstance(t, str) and t[0] == p) for p in "AC"}
    for p in "AC":
        if need[p] > len(queues[p]):
            raise SystemExit(f"call {cfg['idx']}: {need[p]} turns for {p}, {len(queues[p])} units")
        queues[p] = queues[p][: need[p]]
        used = {}
        for u in queues[p]:
            used.setdefault(u["clip"], []).append(u["piece"])
        for c, ps in used.items():
            if len(ps) != queues[p][[u["clip"] for u in queues[p]].index(c)]["of"]:
                raise SystemExit(f"call {cfg['idx']}: clip {c} only partly used; character count unknown")

    # ---- ringing
    ansLeg = "A" if cfg["direction"] == "inbound" else "C"
    rings, crbt = [], None
    ring = cfg["ring"]
    if ring is None:
        pickup = 0
    elif ring[0] == "CRBT":
        a = S(rng.uniform(0.4, 1.0))
        pickup = a + S(rng.uniform(11.0, 14.0))
        crbt = dict(start=a, end=pickup, music=ring[1], offset=float(rng.uniform(5, 30)))
    else:
        plan = PLANS[ring[0]]
        lead = rng.uniform(0.3, 1.2)
        for k in range(ring[1]):
            t0 = lead + k * plan["period"]
            rings.append([(S(t0 + a), S(t0 + b)) for a, b in plan["on"]])
        off = plan["period"] - plan["on"][-1][1]
        pickup = rings[-1][-1][1] + S(rng.uniform(0.4, off - 0.4))

    # ---- timeline of turns, holds, dead air
    placed = []          # dict(party, start, unit, gainDb)
    holds, deads, interruptions = [], [], []
    qi = {"A": 0, "C": 0}
    t = pickup + S(rng.uniform(0.35, 0.9))
    ends = []
    last_party = None
    pending = None       # explicit start for the next turn (after a hold / dead air)
    levels = {"A": cfg["levels"][0], "C": cfg["levels"][1]}
    first = True
    for tok in cfg["flow"]:
        if isinstance(tok, tuple):
            last_end = max(ends)
            if tok[0] == "D":
                pending = last_end + S(tok[1])
                deads.append((last_end, pending))
            else:
                _, kind, dur, src = tok[:4]
                prompt = tok[4] if len(tok) > 4 else None
                hs = last_end + S(rng.uniform(0.8, 1.8))
                he = hs + S(dur)
                holds.append(dict(kind=kind, start=hs, end=he, music=src, prompt=prompt))
                pending = holds[-1]["end"] + S(rng.uniform(0.6, 1.4))
            continue
        party = tok[0]
        u = queues[party][qi[party]]
        qi[party] += 1
        if "!" in tok:
            ov = float(tok.split("!")[1])
            prev = placed[-1]
            if prev["party"] == party:
                raise SystemExit("interruption must follow the other party")
            start = prev["start"] + len(prev["unit"]["audio"]) - S(ov)
            interruptions.append(dict(atSeconds=start / sr, by="agent" if party == "A" else "customer",
                                      overlapSeconds=ov))
        elif pending is not None:
            start = pending
        elif first:
            start = t
        else:
            gap = rng.uniform(0.55, 1.1) if party == last_party else rng.uniform(0.3, 1.3)
            start = max(ends) + S(gap)
        pending = None
        first = False
        jit = rng.uniform(-1.2, 1.2)
        lvl = p56(u["audio"], sr)
        g = levels[party] + jit - lvl
        placed.append(dict(party=party, start=start, unit=u, gainDb=g))
        ends.append(start + len(u["audio"]))
        last_party = party
    last_end = max(ends)
    lastP = max(placed, key=lambda p: p["start"] + len(p["unit"]["audio"]))["party"]
    end = cfg["ending"]
    hang = None
    if end["hangup"] == "agent":
        N = last_end + S(end["tail"])
    else:
        hang = last_end + S(end["delay"])
        N = hang + S(end["rec_tail"])

    # ---- render stems
    legs = ("A", "C")
    speech = {p: np.zeros(N) for p in legs}
    sysa = {p: np.zeros(N) for p in legs}
    noise = {}
    limit_db = {}
    for p in placed:
        a = p["unit"]["audio"] * 10 ** (p["gainDb"] / 20)
        speech[p["party"]][p["start"]: p["start"] + len(a)] += a
    for p in legs:
        speech[p], limit_db[p] = limiter(speech[p], sr)

    ringLevel = float(rng.uniform(-26, -16))
    ring_segs = []
    for r in rings:
        for a, b in r:
            sysa[ansLeg][a:b] += tone(PLANS[ring[0]]["f"], b - a, sr, ringLevel)
        ring_segs.append((r[0][0], r[-1][1]))
    if crbt:
        m = music(crbt["music"], crbt["end"] - crbt["start"], sr, crbt["offset"], ringLevel, rng)
        m[-int(0.01 * sr):] *= np.linspace(1, 0, int(0.01 * sr))
        sysa[ansLeg][crbt["start"]: crbt["end"]] += m
        ring_segs.append((crbt["start"], crbt["end"]))

    mute = np.ones(N)
    hold_meta = []
    for h in holds:
        hs, he = h["start"], h["end"]
        lvl = float(rng.uniform(-27, -19))
        info = dict(kind=h["kind"], startSample=hs, endSample=he)
        if h["kind"] != "silence":
            info["levelDbov"] = round(lvl, 2)
        if h["kind"] == "music":
            off = float(rng.uniform(0, 40))
            m = music(h["music"], he - hs, sr, off, lvl, rng)
            info.update(music=os.path.basename(MUSIC[h["music"]]), musicOffsetSeconds=round(off, 2))
            if h["prompt"]:
                pr = channel(load(PROMPTS[h["prompt"]], sr), sr)
                on, n, _ = voiced_frames(pr, sr)
                rr = runs(on)
                pr = fade(pr[rr[0][0] * n: rr[-1][1] * n].copy(), int(0.005 * sr))
                pr *= 10 ** ((lvl + 2 - p56(pr, sr)) / 20)
                k = (he - hs) // 2 - len(pr) // 2
                gap = S(0.35)
                ramp = S(0.05)
                env = np.ones(he - hs)
                env[k - gap - ramp: k - gap] = np.linspace(1, 0, ramp)
                env[k - gap: k + len(pr) + gap] = 0
                env[k + len(pr) + gap: k + len(pr) + gap + ramp] = np.linspace(0, 1, ramp)
                m *= env
                m[k: k + len(pr)] += pr
                info.update(prompt=os.path.basename(PROMPTS[h["prompt"]]),
                            promptSeconds=[(hs + k) / sr, (hs + k + len(pr)) / sr],
                            musicStoppedSeconds=[(hs + k - gap) / sr, (hs + k + len(pr) + gap) / sr])
            sysa["A"][hs:he] += m
        elif h["kind"] == "tone":
            period, blen, f = 5.0, 0.3, 1000.0
            k, beeps = 0, []
            while S(k * period + blen) <= he - hs:
                a = hs + S(k * period)
                sysa["A"][a: a + S(blen)] += tone([f], S(blen), sr, lvl)
                beeps.append(a)
                k += 1
            h["end"] = beeps[-1] + S(blen)       # hold = first beep to last beep's end
            info.update(beepHz=f, beepSeconds=blen, periodSeconds=period, beeps=len(beeps), endSample=h["end"])
        elif h["kind"] == "silence":
            mute[hs:he] = 0.0
            info.update(note="agent leg muted: exact digital silence on the agent channel")
        hold_meta.append(info)

    noise_lvls = {}
    for p in legs:
        kind, lvl = cfg["noise"][p]
        nz = gen_noise(kind, N, sr, rng) * 10 ** (lvl / 20)
        if p == ansLeg and pickup > 0:  # before pickup the answering leg is not yet connected
            r = np.ones(N)
            r[:pickup] = 10 ** ((-72 - lvl) / 20)
            r[pickup: pickup + S(0.02)] = np.linspace(r[0], 1, S(0.02))
            nz *= r
        noise[p] = nz
        noise_lvls[p] = lvl
    humst = {p: np.zeros(N) for p in legs}
    if cfg.get("hum"):
        humst[cfg["hum"][0]] = hum(N, sr, cfg["hum"][1])

    # hang-up: the customer's line goes dead (RTP stops: zeros) until the recorder stops
    cut = {p: np.ones(N) for p in legs}
    if hang is not None:
        cut["C"][hang:] = 0.0
    # muted hold on the agent leg
    cut["A"] *= mute

    leg_sig = {p: (speech[p] + sysa[p] + noise[p] + humst[p]) * cut[p] for p in legs}

    # ---- layout, AGC, dropouts
    gain = np.ones(N)
    agc_lim_db = None
    drop = {p: np.ones(N) for p in legs}
    drop_meta = []
    if cfg.get("dropouts"):
        for p, cnt in zip(legs, cfg["dropouts"]):
            segs = [(pl["start"] + a, pl["start"] + b) for pl in placed if pl["party"] == p
                    for a, b in pl["unit"]["segs"] if b - a > S(1.0)]
            pick = rng.choice(len(segs), size=cnt, replace=False)
            for k in sorted(pick):
                a, b = segs[k]
                ln = S(rng.uniform(0.010, 0.040))
                at = int(rng.integers(a + S(0.2), b - S(0.2) - ln))
                drop[p][at: at + ln] = 0.0
                drop_meta.append(dict(leg="agent" if p == "A" else "customer", startSeconds=at / sr,
                                      milliseconds=round(1000 * ln / sr, 1)))
        for p in legs:
            leg_sig[p] *= drop[p]
    if cfg["layout"] == "stereo":
        left, right = ("A", "C") if cfg["agentSide"] == "left" else ("C", "A")
        out = np.stack([leg_sig[left], leg_sig[right]], axis=1)
    else:
        mix = leg_sig["A"] + leg_sig["C"]
        if cfg.get("agc"):
            gain = agc(mix, sr)
            mix = mix * gain
            mix, agc_lim_db, lg = limiter(mix, sr, ceiling=0.89, want_gain=True)   # the AGC's own peak limiter
            gain = gain * lg
        if cfg["layout"] == "dualmono":
            out = np.stack([mix, mix * 10 ** (-1.5 / 20)], axis=1)
        else:
            out = mix[:, None]
    # safety limiter on each written channel (nothing should reach full scale: float -> mu-law /
    # PCM conversion of values beyond 1.0 is not defined); its gain is folded into the truth levels
    safety = []
    for c in range(out.shape[1]):
        y, red, g = limiter(out[:, c], sr, ceiling=0.94, want_gain=True)
        if red > 0:
            out[:, c] = y
            safety.append(dict(channel=c, maxReductionDb=round(red, 2)))
            if cfg["layout"] == "stereo":
                leg = ("A" if c == 0 else "C") if cfg["agentSide"] == "left" else ("C" if c == 0 else "A")
                drop[leg] = drop[leg] * g
            elif c == 0:
                gain = gain * g
    peak = float(np.max(np.abs(out)))
    assert peak < 0.95, peak
    pre = out.copy()
    chan_of = {p: (0 if cfg["layout"] != "stereo" else
                   (0 if (p == "A") == (cfg["agentSide"] == "left") else 1)) for p in legs}

    # ---- write with the codec
    stem = f"20261205-{cfg['time']}_agent-{cfg['agent']}_call-{700000 + cfg['idx']:06d}"
    path = os.path.join(OUT, stem + "." + cfg["ext"])
    codec = cfg["codec"]
    tmp = tempfile.mkdtemp(prefix="indep4-")
    try:
        if codec == "ulaw":
            sf.write(path, out, sr, subtype="ULAW", format="WAV")
            cnote = "G.711 mu-law WAV (the file itself is mu-law)"
        elif codec == "alaw":
            sf.write(path, out, sr, subtype="ALAW", format="WAV")
            cnote = "G.711 A-law WAV (the file itself is A-law)"
        elif codec == "gsm":
            sf.write(path, out, sr, subtype="GSM610", format="WAV")
            cnote = "GSM 06.10 WAV (the file itself is GSM 6.10, mono)"
        elif codec == "gsmrt":
            chans = []
            for c in range(out.shape[1]):
                tp = os.path.join(tmp, f"c{c}.wav")
                sf.write(tp, out[:, c], sr, subtype="GSM610", format="WAV")
                y, _ = sf.read(tp)
                chans.append(y[:N])
            out = np.stack(chans, axis=1)
            sf.write(path, out, sr, subtype="PCM_16", format="WAV")
            cnote = "each channel through GSM 06.10 (libsndfile) and back, stored as 16-bit PCM WAV"
        elif codec == "mp3rt":
            tp = os.path.join(tmp, "x.mp3")
            sf.write(tp, out, sr, format="MP3", subtype="MPEG_LAYER_III", compression_level=0.6,
                     bitrate_mode="CONSTANT")
            y, _ = sf.read(tp, always_2d=True)
            out = y[:N]
            sf.write(path, out, sr, subtype="PCM_16", format="WAV")
            cnote = "MP3 (LAME via libsndfile, constant bit rate, compression level 0.6) round trip, stored as 16-bit PCM WAV; alignment checked (0 lag)"
        elif codec == "opusrt":
            tp = os.path.join(tmp, "x.opus")
            sf.write(tp, out, sr, format="OGG", subtype="OPUS", compression_level=0.75)
            y, _ = sf.read(tp, always_2d=True)
            out = y[:N]
            sf.write(path, out, sr, subtype="PCM_16", format="FLAC")
            cnote = "Opus (libsndfile, compression level 0.75) round trip, stored as 16-bit FLAC; alignment checked (0 lag)"
        elif codec == "flac":
            sf.write(path, out, sr, subtype="PCM_16", format="FLAC")
            cnote = "16-bit FLAC (lossless)"
        else:
            sf.write(path, out, sr, subtype="PCM_16", format="WAV")
            cnote = "16-bit PCM WAV"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    back, rsr = sf.read(path, always_2d=True)
    assert rsr == sr
    duration = back.shape[0] / sr
    if codec in ("mp3rt", "opusrt", "gsmrt"):
        ref = pre[: S(20), 0]
        got = back[: S(20), 0]
        cc = ss.correlate(got, ref, mode="full", method="fft")
        lag = int(np.argmax(cc)) - (len(ref) - 1)
        if abs(lag) > 1:
            raise SystemExit(f"{stem}: codec round trip shifted the audio by {lag} samples")

    # ---- truth
    segments = []
    for a, b in ring_segs:
        segments.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=a / sr, endSeconds=b / sr))
    party_segs = {"A": [], "C": []}
    for pl in placed:
        for a, b in pl["unit"]["segs"]:
            party_segs[pl["party"]].append((pl["start"] + a, pl["start"] + b))
    for p, name in (("A", "agent"), ("C", "customer")):
        for a, b in party_segs[p]:
            segments.append(dict(kind="speech", party=name, holdKind=None, startSeconds=a / sr, endSeconds=b / sr))
    for h in holds:
        segments.append(dict(kind="hold", party=None, holdKind=h["kind"], startSeconds=h["start"] / sr,
                             endSeconds=h["end"] / sr))
    for a, b in deads:
        segments.append(dict(kind="deadAir", party=None, holdKind=None, startSeconds=a / sr, endSeconds=b / sr))
    segments.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))

    # unintended long silences would be dead air the truth does not list: refuse them
    busy = sorted([(a, b) for p in "AC" for a, b in party_segs[p]] + [(h["start"], h["end"]) for h in holds] +
                  [(a, b) for a, b in deads] + ring_segs)
    reach = busy[0][1]
    for a, b in busy[1:]:
        if a - reach > S(8.0):
            raise SystemExit(f"{stem}: unlisted silence {reach / sr:.1f}-{a / sr:.1f}")
        reach = max(reach, b)

    # levels after processing (limiter, AGC, dropouts, mute); the codec is not included
    post = {p: gain * drop[p] * cut[p] for p in legs}
    masks = {}
    for p in legs:
        m = np.zeros(N, dtype=bool)
        for a, b in party_segs[p]:
            m[a:b] = True
        masks[p] = m
    # where the line noise is measured: connected (after pickup, before hang-up), outside holds,
    # at least 0.2 s away from speech, tones and music
    quiet = np.ones(N, dtype=bool)
    quiet[:pickup] = False
    if hang is not None:
        quiet[hang:] = False
    pad = S(0.2)
    for a, b in [(a, b) for p in "AC" for a, b in party_segs[p]] + [(h["start"], h["end"]) for h in holds] + ring_segs:
        quiet[max(0, a - pad): b + pad] = False
    parties, noise_out = {}, {}
    lvl_meta = {}
    if cfg["layout"] == "stereo":
        nl = {p: rms_db(noise[p] * post[p], quiet) for p in legs}
        hl = {p: (rms_db(humst[p] * post[p], quiet) if cfg.get("hum") and cfg["hum"][0] == p else None) for p in legs}
    else:
        nm = (noise["A"] * post["A"] + noise["C"] * post["C"])
        nl = {p: rms_db(nm, quiet) for p in legs}
        hm = (humst["A"] * post["A"] + humst["C"] * post["C"])
        hl = {p: (rms_db(hm, quiet) if cfg.get("hum") else None) for p in legs}
    chars = {}
    for p in legs:
        seen, cc, txt = set(), 0, []
        for pl in placed:
            if pl["party"] == p and pl["unit"]["clip"] not in seen:
                seen.add(pl["unit"]["clip"])
                tx, c = transcript(pl["unit"]["clip"])
                cc += c
                txt.append(tx)
        chars[p] = cc
    for p, name in (("A", "agent"), ("C", "customer")):
        sig = speech[p] * post[p]
        lv = p56(sig, sr, masks[p])
        rl = rms_db(sig, masks[p])
        segs = sorted(party_segs[p])
        talk = sum(b - a for a, b in segs) + sum(segs[k + 1][0] - segs[k][1] for k in range(len(segs) - 1)
                                                 if segs[k + 1][0] - segs[k][1] < S(0.5))
        talk_s = talk / sr
        lvl_meta[name] = dict(p56ActiveDbov=round(lv, 2), segmentRmsDbov=round(rl, 2),
                              targetDbov=levels[p], limiterMaxReductionDb=round(limit_db[p], 2))
        ch_peak = float(np.max(np.abs(pre[:, chan_of[p]])[masks[p]]))
        parties[name] = dict(talkSeconds=round(talk_s, 3), activeLevelDbov=round(lv, 2),
                             snrDb=round(lv - nl[p], 2), clipped=bool(ch_peak >= 0.999),
                             speechRateCharsPerMinute=round(chars[p] / (talk_s / 60.0), 2),
                             characterCount=chars[p], pitchSpreadSemitones=None,
                             humDbov=(round(hl[p], 2) if hl[p] is not None else None))
    kinds = [cfg["noise"]["A"][0], cfg["noise"]["C"][0]]
    kind = kinds[0] if kinds[0] == kinds[1] else f"{kinds[0]}/{kinds[1]}"
    humv = next((v for v in hl.values() if v is not None), None)
    if cfg["layout"] == "stereo":
        noise_out = dict(kind=kind, snrDb=None, legSnrDb={"agent": parties["agent"]["snrDb"],
                                                          "customer": parties["customer"]["snrDb"]},
                         humDbov=(round(humv, 2) if humv is not None else None), gainDb=None)
    else:
        both = masks["A"] | masks["C"]
        comb = p56(speech["A"] * post["A"] + speech["C"] * post["C"], sr, both)
        noise_out = dict(kind=kind, snrDb=round(comb - nl["A"], 2), legSnrDb=None,
                         humDbov=(round(humv, 2) if humv is not None else None), gainDb=None)
    lastA = max(b for a, b in party_segs["A"])
    lastC = max(b for a, b in party_segs["C"])
    Nf = back.shape[0]
    truth = {
        "file": os.path.basename(path),
        "durationSeconds": Nf / sr,
        "sampleRateHz": sr,
        "channels": int(back.shape[1]),
        "layout": "stereo" if cfg["layout"] == "stereo" else "mono",
        "agentChannel": cfg["agentSide"] if cfg["layout"] == "stereo" else None,
        "answer": ({"source": None, "rings": None, "answerSeconds": None, "tonePlan": None} if ring is None else
                   {"source": "ringback", "rings": (None if crbt else len(rings)), "answerSeconds": pickup / sr,
                    "tonePlan": ("CRBT" if crbt else ring[0])}),
        "parties": parties,
        "interruptions": ([{"atSeconds": i["atSeconds"], "by": i["by"]} for i in interruptions]
                          if cfg["layout"] == "stereo" else []),
        "ending": {"lastParty": "agent" if lastA > lastC else "customer",
                   "tailSilenceSeconds": round((Nf - max(lastA, lastC)) / sr, 3),
                   "afterCustomerSeconds": round((Nf - lastC) / sr, 3),
                   "hangupSide": end["hangup"]},
        "warnings": [],
        "noise": noise_out,
        "segments": segments,
    }
    assert (truth["ending"]["lastParty"] == "agent") == (lastP == "A")

    meta = {
        "generator": "scripts/make_independent_calls_set4.py",
        "seed": [SEED, cfg["idx"]],
        "realAudio": "shared/realaudio (see its SOURCES.md and LICENSES/)",
        "layout": cfg["layout"],
        "agentChannel": cfg.get("agentSide"),
        "sampleRate": sr,
        "codec": cnote,
        "channelBand": {8000: "300-3400 Hz (6th-order Butterworth, zero phase) on speech, music, prompts; noise band-limited too except white",
                        16000: "80-7000 Hz (zero phase)", 48000: "60 Hz high-pass (zero phase); sources are 16/24 kHz, upsampled"}[sr],
        "direction": cfg["direction"],
        "ringbackLeg": ("agent" if ansLeg == "A" else "customer") if ring else None,
        "ring": (None if ring is None else dict(plan=("CRBT" if crbt else ring[0]), levelDbov=round(ringLevel, 2),
                                                 bursts=[[a / sr, b / sr] for a, b in ring_segs],
                                                 crbtMusic=(os.path.basename(MUSIC[crbt["music"]]) if crbt else None),
                                                 crbtMusicOffsetSeconds=(round(crbt["offset"], 2) if crbt else None))),
        "pickupSeconds": pickup / sr,
        "pickupNote": ("recording starts at pickup (no ringing recorded); truth answer is null like the earlier sets" if ring is None else
                       "pickup = the sample where the answering leg connects (its line noise starts); before it that leg carries only the ringback over a -72 dBov floor"),
        "voices": {"agent": dict(speaker=agentV, note=SPEAKERS[agentV]["note"]),
                   "customer": dict(speaker=custV, note=SPEAKERS[custV]["note"])},
        "levels": lvl_meta,
        "levelNote": "activeLevelDbov = ITU-T P.56 method B on the party's own speech stem after limiter/AGC/dropouts/mute, over its truth segments; codec not included. segmentRmsDbov = plain RMS over the same samples.",
        "noise": {("agentLeg" if p == "A" else "customerLeg"): dict(kind=cfg["noise"][p][0], levelDbov=noise_lvls[p],
                                                                   measuredDbov=round(nl[p], 2)) for p in legs},
        "noiseNote": "noise level measured on the noise stem (after AGC/dropouts), after pickup, outside holds, >= 0.2 s from speech/tones/music, before hang-up; snrDb = active level - that; babble = 5 overlapped English speech streams (calls, meetings, read speech) from the collection, band-limited",
        "hum": (dict(leg=("agent" if cfg["hum"][0] == "A" else "customer"), levelDbov=cfg["hum"][1],
                     harmonicsHz=[50, 100, 150, 250, 350, 450]) if cfg.get("hum") else None),
        "agc": (dict(target=-20.0, maxGainDb=18.0, minGainDb=-8.0, levelFollower="20 ms up / 300 ms down",
                     gainSmoothing="30 ms down / 1.5 s up", appliedTo="the mono mix before duplicating",
                     gainRangeDb=[round(20 * math.log10(gain.min()), 2), round(20 * math.log10(gain.max()), 2)])
                if cfg.get("agc") else None),
        "dualMono": ("both channels carry the same mix; right channel 1.5 dB lower" if cfg["layout"] == "dualmono" else None),
        "dropouts": drop_meta or None,
        "holds": hold_meta,
        "deadAir": [[a / sr, b / sr] for a, b in deads],
        "interruptions": [dict(i, atSeconds=i["atSeconds"]) for i in interruptions],
        "interruptionNote": "the interrupted speaker finishes the clip (nothing cut, character counts stay exact); overlap = interrupter start to the other's end",
        "ending": dict(cfg["ending"], hangupSample=hang, note=("customer leg becomes exact zeros at the customer's hang-up; recorder stops rec_tail later"
                                                              if hang is not None else "recorder stops at the agent's hang-up (tail after the last words)")),
        "talkSecondsNote": "sum of the party's segments plus its pauses under 0.5 s; truth segments are a clip's voiced runs (energy threshold on 10 ms frames) merged over gaps < 0.5 s",
        "peakBeforeCodec": round(peak, 4),
        "safetyLimiter": safety or None,
        "agcLimiterMaxReductionDb": (round(agc_lim_db, 2) if cfg.get("agc") else None),
        "trimThresholdsDb": thresholds,
        "script": [dict(party=("agent" if pl["party"] == "A" else "customer"), clip=pl["unit"]["clip"],
                        piece=f"{pl['unit']['piece'] + 1}/{pl['unit']['of']}",
                        text=transcript(pl["unit"]["clip"])[0], clipChars=transcript(pl["unit"]["clip"])[1],
                        sourceSpanSeconds=[round(v, 2) for v in pl["unit"]["srcSpan"]],
                        startSample=pl["start"], endSample=pl["start"] + len(pl["unit"]["audio"]),
                        startSeconds=pl["start"] / sr, endSeconds=(pl["start"] + len(pl["unit"]["audio"])) / sr,
                        gainDb=round(pl["gainDb"], 2)) for pl in placed],
    }
    with open(os.path.join(OUT, "truth", stem + ".json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    with open(os.path.join(OUT, "meta", stem + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    desc = (f"{os.path.basename(path)}  {cfg['layout']}{'/agent-' + cfg['agentSide'] if cfg['layout'] == 'stereo' else ''} "
            f"{sr} Hz {cfg['codec']}  {duration:6.1f} s  ring {('none' if ring is None else truth['answer']['tonePlan'] + ' x' + str(truth['answer']['rings']))}"
            f"  holds {','.join(h['kind'] + str(round((h['end'] - h['start']) / sr)) for h in holds) or '-'}"
            f"  dead {','.join(str(round((b - a) / sr)) for a, b in deads) or '-'}  interr {len(interruptions)}"
            f"  rate A/C {parties['agent']['speechRateCharsPerMinute']:.0f}/{parties['customer']['speechRateCharsPerMinute']:.0f}"
            f"  lvl A/C {parties['agent']['activeLevelDbov']:.1f}/{parties['customer']['activeLevelDbov']:.1f}")
    return desc, os.path.getsize(path)


def main():
    if not os.path.isdir(REAL) or not os.path.exists(os.path.join(REAL, "transcripts.json")):
        print(f"real audio collection not found at {REAL} (set CALLQA_REALAUDIO); nothing to do")
        return 0
    for d in ("truth", "meta"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith((".wav", ".flac")):
            os.remove(os.path.join(OUT, f))
    for d in ("truth", "meta"):
        for f in os.listdir(os.path.join(OUT, d)):
            os.remove(os.path.join(OUT, d, f))
    total = 0
    for cfg in CALLS:
        desc, size = build(cfg)
        total += size
        print(desc, flush=True)
    print(f"wrote {len(CALLS)} calls, {total / 1e6:.1f} MB, to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
