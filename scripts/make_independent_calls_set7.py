#!/usr/bin/env python3
"""Independent evaluation set 7 for CallQA: 14 synthetic call-centre recordings made from real
Mandarin voices, with exact truth.

What the set contains (one line per call is also printed at the end of a run, and every call's
conditions are listed in meta/<name>.meta.json):
  * real Mandarin speech only: AISHELL read speech (speakers S0150, S0252) and spontaneous
    podcast / livestream speakers from zh_speech_more (FireRedTTS2 S1/S2, SoulX-Podcast
    male/female, MOSS-TTSD livestream hosts) - some of the spontaneous speakers play the AGENT;
  * 5 mono calls (GSM 06.10 WAV, 16 kHz FLAC, A-law WAV, PCM WAV, 8 kHz FLAC) and 9 stereo calls
    (mu-law WAV, A-law WAV, PCM 8/16/48 kHz, 16 kHz FLAC), one stereo call with the agent on the
    RIGHT channel (the 48 kHz one; only truth/meta say so, the WAV has no tag for it);
  * ringback of three cadences (China 450 Hz 1 on / 4 off, UK 400+450 Hz double ring, North
    America 440+480 Hz 2 on / 4 off), one call answered on the first ring, one call with no
    ringback, one call where a recorded IVR greeting plays and then rings through to the agent;
  * holds: music with a one-off prompt first, music with a recorded announcement inside (mono),
    an 80 s hold whose music excerpt loops with an announcement every 30 s, beep holds (425 Hz
    and 1 kHz), muted-line holds (digital zero, and -80 dBov comfort noise);
  * line conditions: packet loss (zeroed, and repeated-frame concealment), 50 Hz hum with
    harmonics at -45 dBov on one leg, an AGC that pumps the line noise up between words,
    strongly unbalanced legs (agent about -12 dBov, customer -38 dBov), 300-3400 Hz band limit;
  * one fast agent (real clip sped up 1.25x with sox tempo), one slow customer (0.72x), backchannels
    ("对", "啊") overlapping the other party, real interruptions, dead air of 9-15 s with line
    noise, a dense call with no silence over 1.5 s, agent hang-ups, and busy tones after a
    customer hang-up (China and North America plans).

Run it from anywhere (about 20 s; needs numpy, scipy, soundfile and sox):

    python3 scripts/make_independent_calls_set7.py
    CALLQA_REALAUDIO=/path/to/realaudio python3 scripts/make_independent_calls_set7.py

It writes .build-indep7/ in the repository: the audio files named
YYYYMMDD-HHMMSS_agent-NNNN_call-NNNNNN.ext, truth/<name>.json (the format scripts/evaluate.py
reads, same keys as .build-indep6), meta/<name>.meta.json (how each call was made) and
stems/<name>.npz (each party's speech stem, int16 at 8 kHz, for listening and checks).
Everything is deterministic: fixed seeds, and sox always runs with -D (no dither).

Written without reading the analyser's sources, models, tests or docs, or the other generator
scripts: only scripts/evaluate.py and the truth/meta JSON of the earlier sets were read, to copy
the file format. Truth comes from where the audio was placed: every speech clip is cut to its
voiced runs (energy threshold on 10 ms frames, recorded per clip in meta), the audio outside
those runs is zeroed, and the truth segments are those runs; character counts come from the
reference transcripts (CJK characters only) and are only credited for whole clips or for pieces
cut at a verified pause.

Real audio is read from $CALLQA_REALAUDIO, or ../shared/realaudio next to the repository.
Deliberately not used: zh_conversation (two speakers mixed in one channel, transcript without
timestamps and no pause below about -37 dB, so per-speaker extents cannot be made exact),
telephone/ and en_calls/ (English), TEST_MEETING (far-field, about 10 dB SNR, so its extents are
not exact), and clips whose transcript is machine output or has spoken digits (MoonCast,
Spark-TTS, TEST_NET). The IVR prompts are English (Asterisk); there is no Mandarin prompt.
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
from scipy.fft import next_fast_len
from scipy.ndimage import maximum_filter1d
from scipy.signal import butter, lfilter, resample_poly, sosfiltfilt

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, ".build-indep7")
DATE = "20261208"
SEED = 20261208
GENERATOR = "scripts/make_independent_calls_set7.py"


def find_realaudio():
    cand = os.environ.get("CALLQA_REALAUDIO") or os.path.join(REPO, "..", "shared", "realaudio")
    cand = os.path.abspath(cand)
    if not os.path.isfile(os.path.join(cand, "transcripts.json")):
        sys.exit(f"make_independent_calls_set7: real audio not found at {cand}\n"
                 "Set CALLQA_REALAUDIO to the realaudio folder (the one holding transcripts.json, "
                 "zh_speech/, zh_speech_more/, ivr_prompts/ and music/).")
    return cand


REAL = None
TRANSCRIPTS = None
TMP = None
CJK = re.compile(r"[\u4e00-\u9fff]")

# ----------------------------------------------------------------------------------------------
# Speech clips. A logical clip is a source file (optionally a span of it) with a known
# transcript. "cuts" split it into pieces at pauses (source seconds); a clip's characters are
# only credited when all of its pieces were used (whole passes), so no per-piece counts are
# guessed. Spans of a file ("对" / "啊" cut off the start, "我想问" ...) were chosen at energy dips
# of 30 dB or more below the syllables around them.
# ----------------------------------------------------------------------------------------------
AIS = "zh_speech/aishell_asr0009_sample/BAC009"
S0150_IDS = ["0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0358",
             "0404", "0447", "0456", "0463", "0473", "0481", "0482", "0483", "0488", "0490"]
S0252_IDS = ["0170", "0219", "0236", "0238", "0246", "0277", "0284", "0343", "0396", "0435",
             "0441", "0443", "0447", "0458", "0460", "0463", "0480", "0483", "0485"]

CLIPS = {}
for _i in S0150_IDS:
    CLIPS[f"S0150W{_i}"] = dict(src=f"{AIS}S0150W{_i}.wav", voice="S0150")
for _i in S0252_IDS:
    CLIPS[f"S0252W{_i}"] = dict(src=f"{AIS}S0252W{_i}.wav", voice="S0252")
CLIPS.update({
    # "对高管监管办法…": the first syllable 对 ends in a dip to -60 dB at 0.94-0.98 s
    "S0252W0229dui": dict(src=f"{AIS}S0252W0229.wav", voice="S0252", span=(0.0, 0.975), text="对"),
    "S0252W0229rest": dict(src=f"{AIS}S0252W0229.wav", voice="S0252", span=(0.975, None),
                           text="高管监管办法及其配套规则予以完善后发布实施"),
    # FireRedTTS2 podcast host S1 (spontaneous): "啊，" then 0.2 s at -50..-65 dB
    "FR1a": dict(src="zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", voice="FR1",
                 span=(0.0, 0.60), text="啊"),
    "FR1": dict(src="zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", voice="FR1",
                span=(0.60, None), cuts=[3.62, 7.47],
                text="可能说更适合美国市场应该是什么样子。那这这个可能说当然如果说有有机会能亲身的去考察去了解一下，那当然是有更好的帮助。"),
    "FR2": dict(src="zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac", voice="FR2", cuts=[2.70]),
    "SXM": dict(src="zh_speech_more/soulxpodcast_male_mandarin.wav", voice="SXM", cuts=[4.90, 6.50, 10.26]),
    "SXF": dict(src="zh_speech_more/soulxpodcast_female_mandarin.wav", voice="SXF", cuts=[2.05, 8.12]),
    "MS1": dict(src="zh_speech_more/mossttsd_zh_spk1_moon.wav", voice="MS1", cuts=[4.57]),
    "MS2": dict(src="zh_speech_more/mossttsd_zh_spk2_moon.wav", voice="MS2", cuts=[5.97]),
})

VOICE_NOTES = {
    "S0150": "AISHELL read speech, speaker S0150 (median F0 about 180 Hz)",
    "S0252": "AISHELL read speech, speaker S0252 (median F0 about 140 Hz)",
    "FR1": "FireRedTTS2 chat prompt S1: spontaneous podcast speech with repetitions (median F0 about 120 Hz)",
    "FR2": "FireRedTTS2 chat prompt S2: spontaneous podcast speech, the other host (median F0 about 200 Hz)",
    "SXM": "SoulX-Podcast male_mandarin: spontaneous podcast speech with fillers 呃/嗯/哎",
    "SXF": "SoulX-Podcast female_mandarin: podcast speech",
    "MS1": "MOSS-TTSD zh_spk1_moon: livestream host (median F0 about 185 Hz)",
    "MS2": "MOSS-TTSD zh_spk2_moon: livestream host (median F0 about 145 Hz)",
}
# streams of clips a voice speaks from, and its backchannel clips
VOICE_CLIPS = {
    "S0150": [f"S0150W{i}" for i in S0150_IDS],
    "S0252": [f"S0252W{i}" for i in S0252_IDS] + ["S0252W0229rest"],
    "FR1": ["FR1"], "FR2": ["FR2"], "SXM": ["SXM"], "SXF": ["SXF"], "MS1": ["MS1"], "MS2": ["MS2"],
}
BACKCHANNELS = {"S0252": "S0252W0229dui", "FR1": "FR1a"}

MUSIC = {
    "vibe": ("music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg", "Vibe Ace (Kevin MacLeod, jazz, CC-BY)"),
    "sugar": ("music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
              "Dance of the Sugar Plum Fairy (Kevin MacLeod, CC-BY)"),
    "brahms": ("music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
               "Hungarian Dance No. 5 (US Army Strings, public domain)"),
    "fishin": ("music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
               "Let's Go Fishin' (Karissa Hobbs, CC-BY; sung vocals)"),
}

RING_PLANS = {
    # name: (freqs, on/off pattern within one ring cycle, period, truth span of one ring)
    "China": ([450.0], [(0.0, 1.0)], 5.0, 1.0),
    "UK": ([400.0, 450.0], [(0.0, 0.4), (0.6, 1.0)], 3.0, 1.0),
    "NorthAmerica": ([440.0, 480.0], [(0.0, 2.0)], 6.0, 2.0),
}
BUSY_PLANS = {
    "China": ([450.0], 0.35, 0.35, "China 450 Hz 0.35 s on / 0.35 s off"),
    "NorthAmerica": ([480.0, 620.0], 0.5, 0.5, "NorthAmerica 480+620 Hz 0.5 s on / 0.5 s off"),
}


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def db(x):
    return 20.0 * math.log10(max(x, 1e-12))


def rms(x):
    x = np.asarray(x, np.float64)
    return float(np.sqrt(np.mean(x * x))) if x.size else 0.0


_SOX_CACHE = {}


def sox_load(rel, sr, tempo=1.0):
    """Source file -> mono float at sr (sox -D; sox's own rate and tempo -s effects)."""
    key = (rel, sr, tempo)
    if key in _SOX_CACHE:
        return _SOX_CACHE[key]
    out = os.path.join(TMP, f"src{len(_SOX_CACHE)}.wav")
    cmd = ["sox", "-D", os.path.join(REAL, rel), "-c", "1", "-r", str(sr), "-e", "floating-point",
           "-b", "32", out]
    if tempo != 1.0:
        cmd += ["tempo", "-s", f"{tempo}"]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    x, r = sf.read(out, dtype="float64")
    assert r == sr
    _SOX_CACHE[key] = x
    return x


def bandpass(x, sr, lo, hi, order=3):
    hi = min(hi, 0.45 * sr)
    sos = butter(order, [lo, hi], "bandpass", fs=sr, output="sos")
    return sosfiltfilt(sos, x)


def frame_db(x, sr):
    h = sr // 100
    y = bandpass(x, sr, 100, 3800, 4)
    nf = len(y) // h
    e = np.mean(y[: nf * h].reshape(nf, h) ** 2, axis=1)
    return 10 * np.log10(e + 1e-12), h


def p56(x, sr):
    """ITU-T P.56 method B active speech level (dB re full scale 1.0, i.e. dBov by RMS)."""
    x = np.asarray(x, np.float64)
    if x.size == 0 or not np.any(x):
        return None
    g = math.exp(-1.0 / (sr * 0.03))
    p = lfilter([1 - g], [1, -g], np.abs(x))
    q = lfilter([1 - g], [1, -g], p)
    hang = int(round(0.2 * sr))
    sq = float(np.dot(x, x))
    A, C = [], []
    for j in range(-16, 1):
        c = 2.0 ** j
        above = q >= c
        if not above.any():
            break
        cnt = np.cumsum(above)
        prev = np.concatenate([np.zeros(hang + 1), cnt[: -hang - 1]]) if len(cnt) > hang + 1 else np.zeros(len(cnt))
        a = int(np.count_nonzero(cnt - prev > 0))
        A.append(10 * math.log10(sq / a))
        C.append(20 * math.log10(c))
    M = 15.9
    d = [a - c for a, c in zip(A, C)]
    for j in range(len(d)):
        if d[j] <= M:
            if j == 0:
                return A[0]
            f = (d[j - 1] - M) / (d[j - 1] - d[j])
            return A[j - 1] + f * (A[j] - A[j - 1])
    return A[-1] if A else None


def colored_noise(rng, n, sr, kind):
    m = next_fast_len(n)
    w = rng.standard_normal(m)
    if kind != "white":
        W = np.fft.rfft(w)
        f = np.fft.rfftfreq(m, 1.0 / sr)
        f[0] = f[1]
        W = W / (np.sqrt(f) if kind == "pink" else f)
        W[f < (20 if kind == "pink" else 60)] = 0
        w = np.fft.irfft(W, m)
    w = w[:n]
    return w / rms(w)


def tone(sr, dur, freqs, level_db, ramp=0.004):
    n = int(round(dur * sr))
    t = np.arange(n) / sr
    y = sum(np.sin(2 * np.pi * f * t) for f in freqs)
    y *= 10 ** (level_db / 20) / rms(y)
    r = min(int(ramp * sr), n // 2)
    if r:
        w = 0.5 - 0.5 * np.cos(np.pi * np.arange(r) / r)
        y[:r] *= w
        y[-r:] *= w[::-1]
    return y


def fade(y, sr, ms=30):
    y = y.copy()
    r = min(int(ms / 1000 * sr), len(y) // 2)
    if r:
        w = 0.5 - 0.5 * np.cos(np.pi * np.arange(r) / r)
        y[:r] *= w
        y[-r:] *= w[::-1]
    return y


def trimmed_prompt(name, sr, level_db):
    """A recorded IVR prompt, cut to its own extent (-45 dB below its loudest 10 ms)."""
    x = sox_load(f"ivr_prompts/{name}.wav", sr)
    e, h = frame_db(x, sr)
    on = np.nonzero(e > e.max() - 45)[0]
    a, b = on[0] * h, (on[-1] + 1) * h
    y = fade(x[a:b], sr, 5)
    lv = p56(y, sr)
    return y * 10 ** ((level_db - lv) / 20)


# ----------------------------------------------------------------------------------------------
# clip analysis: voiced runs, gating, pieces
# ----------------------------------------------------------------------------------------------
_CLIP_CACHE = {}
THRESHOLDS = {}


def analyse_clip(key, sr, tempo):
    ck = (key, sr, tempo)
    if ck in _CLIP_CACHE:
        return _CLIP_CACHE[ck]
    spec = CLIPS[key]
    x = sox_load(spec["src"], sr, tempo)
    e, h = frame_db(x, sr)
    thr = max(np.percentile(e, 99) - 30.0, np.percentile(e, 2) + 8.0)
    THRESHOLDS[f"{spec['src']}@{sr}Hz x{tempo}"] = round(float(thr), 1)
    a, b = spec.get("span", (0.0, None))
    b = len(x) / sr * tempo if b is None else b
    bounds = [a] + list(spec.get("cuts", [])) + [b]
    pad = int(0.02 * sr)
    fr = int(0.01 * sr)
    pieces = []
    all_segs = []
    for pa, pb in zip(bounds[:-1], bounds[1:]):
        sa, sb = int(round(pa / tempo * sr)), min(len(x), int(round(pb / tempo * sr)))
        fa, fb = -(-sa // h), sb // h
        act = e[fa:fb] > thr
        runs = []
        i = 0
        while i < len(act):
            if act[i]:
                j = i
                while j < len(act) and act[j]:
                    j += 1
                runs.append([i, j])
                i = j
            else:
                i += 1
        merged = []
        for r in runs:                       # join syllable fragments < 0.15 s apart
            if merged and r[0] - merged[-1][1] < 15:
                merged[-1][1] = r[1]
            else:
                merged.append(r)
        merged = [r for r in merged if r[1] - r[0] >= 6]   # drop isolated blips < 60 ms
        # a run < 0.15 s at either end of the piece, >= 0.3 s away from the rest, is a breath,
        # lip click or a noise swell, not a syllable: drop it (the gate then removes it)
        while len(merged) > 1 and merged[0][1] - merged[0][0] < 15 and merged[1][0] - merged[0][1] >= 30:
            merged.pop(0)
        while len(merged) > 1 and merged[-1][1] - merged[-1][0] < 15 and merged[-1][0] - merged[-2][1] >= 30:
            merged.pop()
        segs = []
        for r in merged:                     # pauses < 0.5 s stay inside a segment
            if segs and r[0] - segs[-1][1] < 50:
                segs[-1][1] = r[1]
            else:
                segs.append(list(r))
        assert segs, (key, pa, pb)
        segs = [((fa + s) * h, (fa + t) * h) for s, t in segs]
        r0, r1 = max(sa, segs[0][0] - pad), min(sb, segs[-1][1] + pad)
        gate = np.zeros(r1 - r0)
        for s, t in segs:
            g0, g1 = max(r0, s - pad), min(r1, t + pad)
            w = np.ones(g1 - g0)
            ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fr) / fr)
            w[:fr] *= ramp
            w[-fr:] *= ramp[::-1]
            gate[g0 - r0:g1 - r0] = w
        audio = x[r0:r1] * gate
        pieces.append(dict(audio=audio, segs=[(s - r0, t - r0) for s, t in segs],
                           srcSeconds=[round(pa, 3), round(pb, 3)]))
        all_segs += segs
    speech = np.concatenate([x[s:t] for s, t in all_segs])
    text = spec.get("text") or TRANSCRIPTS[spec["src"]]["transcript"]
    chars = len(CJK.findall(text))
    if "text" not in spec:
        assert chars == TRANSCRIPTS[spec["src"]]["cjk_char_count"], key
    res = dict(pieces=pieces, level=p56(speech, sr), peak=max(float(np.max(np.abs(p["audio"]))) for p in pieces),
               chars=chars, text=text, thr=thr)
    _CLIP_CACHE[ck] = res
    return res


# ----------------------------------------------------------------------------------------------
# the call builder
# ----------------------------------------------------------------------------------------------
class Call:
    def __init__(self, n, sr, layout, agent_channel, agent_voice, customer_voice, start_time, agent_id,
                 fmt, levels, noise, agent_tempo=1.0, customer_tempo=1.0, band_limit=False):
        self.n = n
        self.cid = 950000 + n
        self.sr = sr
        self.layout = layout
        self.agent_channel = agent_channel
        self.voice = {"agent": agent_voice, "customer": customer_voice}
        self.tempo = {"agent": agent_tempo, "customer": customer_tempo}
        self.name = f"{DATE}-{start_time}_agent-{agent_id}_call-{self.cid}"
        self.fmt = fmt
        self.levels = levels                # target active level per party (dBov)
        self.noise = noise                  # {party: (kind, dBov)}
        self.band_limit = band_limit
        self.rng = np.random.default_rng([SEED, n])
        self.conditions = []
        self.placed = []
        self.events = {"agent": [], "customer": []}
        self.rings = []
        self.ring_meta = None
        self.holds = []
        self.dead_air = []
        self.ivr = None
        self.pickup = None
        self.cursor = 0
        self.last_turn = {"agent": None, "customer": None}
        self.last_end = {"agent": -10 ** 9, "customer": -10 ** 9}
        self.last_party = "customer"
        self.uses = {}
        self.gains = {}
        self.interrupts = []
        self.hang = None
        self.agc = None
        self.dropouts = None
        self.hum = None
        self.limiter = None
        streams = {}
        for p in ("agent", "customer"):
            keys = list(VOICE_CLIPS[self.voice[p]])
            if len(keys) > 1:
                keys = [keys[i] for i in self.rng.permutation(len(keys))]
            seq = []
            for k in keys:
                for i in range(len(CLIPS[k].get("cuts", [])) + 1):
                    seq.append((k, i))
            streams[p] = seq
        self.streams = streams
        self.stream_pos = {"agent": 0, "customer": 0}

    # -- time helpers --
    def S(self, seconds):
        return int(round(seconds * self.sr))

    def gap(self, lo=0.25, hi=1.2):
        return self.S(self.rng.uniform(lo, hi))

    # -- speech --
    def _gain(self, party, key):
        if key not in self.gains:
            clip = analyse_clip(key, self.sr, self.tempo[party])
            target = self.levels[party] + float(self.rng.uniform(-1.0, 1.0))
            g = 10 ** ((target - clip["level"]) / 20)
            capped = False
            if clip["peak"] * g > 0.89 and not (self.limiter and self.limiter["leg"] == party):
                g = 0.89 / clip["peak"]
                capped = True
            self.gains[key] = (g, capped)
        return self.gains[key]

    def _place(self, party, key, piece, first, role=None, interrupts=False, backchannel=False):
        clip = analyse_clip(key, self.sr, self.tempo[party])
        pc = clip["pieces"][piece]
        off = first - pc["segs"][0][0]
        g, capped = self._gain(party, key)
        segs = [(off + s, off + t) for s, t in pc["segs"]]
        assert off >= 0
        self.placed.append(dict(party=party, key=key, piece=piece, off=off, audio=pc["audio"] * g, segs=segs,
                                gainDb=round(db(g), 2), peakCapped=capped, role=role, interrupts=interrupts,
                                backchannel=backchannel))
        self.uses[key] = self.uses.get(key, 0) + 1
        self.last_end[party] = max(self.last_end[party], segs[-1][1])
        return segs

    def turn(self, party, gap=None, pieces=1, interrupt=False, role=None, dead_air=None):
        other = "customer" if party == "agent" else "agent"
        if interrupt:
            assert self.last_party == other, "an interruption must follow the other party's turn"
            # start while the other is mid-utterance: >= 0.5 s into its current segment and
            # 0.6-1.3 s before it ends
            oseg = [s for pl in self.placed if pl["party"] == other for s in pl["segs"]]
            last = max(oseg, key=lambda s: s[1])
            ov = self.S(self.rng.uniform(0.6, 1.3))
            ov = min(ov, last[1] - last[0] - self.S(0.6))
            assert ov >= self.S(0.5), "segment too short to interrupt"
            start = last[1] - ov
        elif dead_air is not None:
            start = self.cursor + self.S(dead_air)
            self.dead_air.append((self.cursor, start))
            self.conditions.append(f"dead air {dead_air:.1f} s (both silent, line noise on both legs)")
        else:
            start = self.cursor + (self.gap() if gap is None else self.S(gap))
        # a new turn never joins this party's previous speech (truth segments merge below 0.5 s)
        assert start - self.last_end[party] >= self.S(0.6) or self.last_end[party] < 0, "turn too close"
        first_seg = None
        for i in range(pieces):
            key, pi = self.streams[party][self.stream_pos[party] % len(self.streams[party])]
            self.stream_pos[party] += 1
            segs = self._place(party, key, pi, start, role=role if i == 0 else None,
                               interrupts=interrupt and i == 0)
            first_seg = first_seg or segs[0]
            start = segs[-1][1] + self.S(self.rng.uniform(0.25, 0.42))
        if interrupt:
            self.interrupts.append((first_seg[0], party))
        self.last_turn[party] = (first_seg[0], self.last_end[party])
        self.cursor = max(self.cursor, self.last_end[party])
        self.last_party = party

    def chat(self, n, gap=None):
        """n more turns, alternating, starting with the party that did not speak last."""
        for _ in range(n):
            p = "customer" if self.last_party == "agent" else "agent"
            self.turn(p, gap=gap() if callable(gap) else gap)

    def _pass_len(self, party):
        return len(CLIPS[self.streams[party][0][0]].get("cuts", [])) + 1 if len(VOICE_CLIPS[self.voice[party]]) == 1 else 1

    def pad(self, reserve_agent=1, reserve_customer=1, gap=None):
        """Add alternating turns until, after the reserved closing turns, every spontaneous clip
        has been used in whole passes (so its character count is exact)."""
        def need(p, r):
            return (-(self.stream_pos[p] + r)) % self._pass_len(p)
        guard = 0
        while need("agent", reserve_agent) or need("customer", reserve_customer) or self.last_party == "agent":
            self.chat(1, gap)
            guard += 1
            assert guard < 20

    def backchannel(self, party, frac=None, optional=False):
        """A one-syllable 对/啊 inside the other party's latest turn. With optional=True it is
        left out (returns False) when that turn is too short to hold it."""
        other = "customer" if party == "agent" else "agent"
        assert self.last_party == other, "a backchannel goes inside the other party's latest turn"
        ts, te = self.last_turn[other]
        key = BACKCHANNELS[self.voice[party]]
        pc = analyse_clip(key, self.sr, self.tempo[party])["pieces"][0]
        dur = pc["segs"][-1][1] - pc["segs"][0][0]
        frac = self.rng.uniform(0.3, 0.6) if frac is None else frac
        t = ts + int(frac * (te - ts))
        # >= 0.8 s into the other's turn and >= 2.0 s before its end, so it never runs into this
        # party's next turn (not even an interrupting one, which starts <= 1.3 s before that end)
        t = max(t, ts + self.S(0.8), self.last_end[party] + self.S(0.8))
        t = min(t, te - self.S(2.0) - dur)
        if not (t >= ts + self.S(0.8) and t >= self.last_end[party] + self.S(0.8)):
            assert optional, "no room for a backchannel"
            return False
        self._place(party, key, 0, t, role="backchannel", backchannel=True)
        return True

    # -- call set-up --
    def ringback(self, plan, rings, first=None, answer_after=None, start=None):
        freqs, pattern, period, span = RING_PLANS[plan]
        t0 = (self.S(self.rng.uniform(0.6, 1.2)) if first is None else self.S(first)) + (start or 0)
        bursts = []
        for k in range(rings):
            c = t0 + self.S(k * period)
            for a, b in pattern:
                self.events["agent"].append((c + self.S(a), tone(self.sr, b - a, freqs, -20.0)))
            self.rings.append((c, c + self.S(span)))
            bursts.append([round(c / self.sr, 6), round((c + self.S(span)) / self.sr, 6)])
        off_len = period - pattern[-1][1]
        if answer_after is None:
            answer_after = self.rng.uniform(0.4, min(2.0, off_len - 0.4))
        self.pickup = self.rings[-1][1] + self.S(answer_after)
        self.cursor = self.pickup
        self.ring_meta = dict(plan=plan, freqs=freqs, cycle=pattern, periodSeconds=period, bursts=bursts,
                              levelDbov=-20.0)
        self.conditions.append(f"{plan} ringback x{rings}")

    def no_ringback(self, pickup=0.0):
        self.pickup = self.S(pickup)
        self.cursor = self.pickup
        self.conditions.append("no ringback (recording starts at pickup)")

    def ivr_greeting(self, prompt, at=0.6):
        y = trimmed_prompt(prompt, self.sr, -20.0)
        s = self.S(at)
        self.events["agent"].append((s, y))
        self.ivr = dict(prompt=f"ivr_prompts/{prompt}.wav", startSeconds=round(s / self.sr, 3),
                        endSeconds=round((s + len(y)) / self.sr, 3))
        self.conditions.append(f"recorded IVR greeting ({prompt}.wav) before the agent, then ringback to the agent")
        return (s + len(y)) / self.sr

    # -- holds (all on the agent leg: what the customer hears) --
    def _music(self, name, level):
        x = sox_load(MUSIC[name][0], self.sr)
        return x * 10 ** (level / 20) / rms(x)

    def hold_music(self, music, dur, level=-24.0, prompt_first=None, announce=(), offset=0.0, loop=None):
        start = self.cursor + self.gap(0.6, 1.0)
        end = start + self.S(dur)
        src = self._music(music, level)
        if loop:
            a, b = self.S(loop[0]), self.S(loop[1])
            unit = fade(src[a:b], self.sr, 15)
            src = np.tile(unit, int(math.ceil((dur + 5) / (loop[1] - loop[0]))))
            mpos = 0
        else:
            mpos = self.S(offset)
        prompts = []
        t = start
        if prompt_first:
            y = trimmed_prompt(prompt_first, self.sr, -21.0)
            self.events["agent"].append((t, y))
            prompts.append([prompt_first, round(t / self.sr, 3), round((t + len(y)) / self.sr, 3)])
            t += len(y) + self.S(0.4)
        stops = []
        for rel, name in announce:
            y = trimmed_prompt(name, self.sr, -21.0)
            ps = start + self.S(rel)
            stops.append((ps, y, name))
        music_spans = []
        for ps, y, name in stops + [(end, None, None)]:
            m_end = ps - (self.S(0.2) if y is not None else 0)
            if m_end > t:
                seg = fade(src[mpos:mpos + (m_end - t)], self.sr, 40)
                self.events["agent"].append((t, seg))
                music_spans.append([round(t / self.sr, 3), round(m_end / self.sr, 3)])
                mpos += m_end - t
            if y is not None:
                self.events["agent"].append((ps, y))
                prompts.append([name, round(ps / self.sr, 3), round((ps + len(y)) / self.sr, 3)])
                t = ps + len(y) + self.S(0.4)
        self.holds.append(dict(kind="music", holdKind="music", start=start, end=end, floor=("pink", -75.0),
                               music=MUSIC[music][1], loopSeconds=list(loop) if loop else None,
                               musicOffset=offset if not loop else loop[0], levelDbov=level, prompts=prompts,
                               musicSpans=music_spans))
        self.cursor = end
        desc = f"music hold {dur:.0f} s ({music}"
        desc += f", {loop[1] - loop[0]:.0f} s excerpt looped" if loop else ""
        desc += f", one-off prompt {prompt_first}.wav first" if prompt_first else ""
        desc += ", announcements " + ", ".join(f"{n}.wav at +{r:.0f} s" for r, n in announce) if announce else ""
        self.conditions.append(desc + ")")

    def hold_tone(self, freq, beep, period, beeps, level=-18.0, comfort=None):
        start = self.cursor + self.gap(0.7, 1.1)
        for k in range(beeps):
            self.events["agent"].append((start + self.S(k * period), tone(self.sr, beep, [freq], level, 0.005)))
        end = start + self.S((beeps - 1) * period) + self.S(beep)
        self.holds.append(dict(kind="tone", holdKind="tone", start=start, end=end,
                               floor=("pink", comfort) if comfort is not None else None,
                               beepHz=freq, beepSeconds=beep, periodSeconds=period, beeps=beeps, levelDbov=level))
        self.cursor = end
        self.conditions.append(f"beep hold: {freq:.0f} Hz {beep} s beep every {period} s x{beeps} over "
                               + ("digital silence" if comfort is None else f"{comfort:.0f} dBov comfort noise"))

    def hold_silence(self, dur, comfort=None):
        start = self.cursor + self.gap(0.7, 1.1)
        end = start + self.S(dur)
        self.holds.append(dict(kind="silence", holdKind="silence", start=start, end=end,
                               floor=("pink", comfort) if comfort is not None else None))
        self.cursor = end
        self.conditions.append(f"muted-line hold {dur:.0f} s (agent leg " +
                               ("digital zero)" if comfort is None else f"{comfort:.0f} dBov comfort noise)"))

    def hangup(self, who, after=None, tail=None, busy=None):
        h = self.cursor + (self.S(after) if after is not None else self.gap(1.0, 2.2))
        tail = tail if tail is not None else self.rng.uniform(1.6, 3.0)
        end = h + self.S(tail)
        self.hang = dict(who=who, at=h, end=end, busy=None)
        if busy:
            freqs, on, off, label = BUSY_PLANS[busy]
            bs = h + self.S(0.3)
            t = bs
            while t < end:
                n = min(self.S(on), end - t)
                self.events[who].append((t, tone(self.sr, n / self.sr, freqs, -20.0)))
                t += self.S(on + off)
            self.hang["busy"] = dict(plan=label, start=bs, end=end, leg=who)
            self.conditions.append(f"{label.split(' ')[0]} busy tone {tail:.1f} s after the {who} hangs up")
        else:
            self.conditions.append(f"{who} hangs up")


# ----------------------------------------------------------------------------------------------
# rendering
# ----------------------------------------------------------------------------------------------
def dropout_spans(rng, start, end, sr):
    spans = []
    t = start / sr + rng.exponential(2.0)
    while t < end / sr - 0.1:
        a = round(t / 0.02) * 0.02
        d = 0.02 * int(rng.integers(1, 4))
        spans.append((int(round(a * sr)), int(round((a + d) * sr))))
        t = a + d + 0.3 + rng.exponential(2.0)
    return spans


def apply_dropouts(x, spans, mode, sr):
    y = x.copy()
    fr = int(0.02 * sr)
    for a, b in spans:
        if mode == "zero":
            y[a:b] = 0.0
        else:                                # repeat the last good 20 ms frame
            src = x[a - fr:a] if a >= fr else np.zeros(fr)
            reps = int(math.ceil((b - a) / fr))
            y[a:b] = np.tile(src, reps)[: b - a]
    return y


def agc_gain(sig, sr, target=-24.0, gmin=-6.0, gmax=12.0, att=0.03, rel=1.2):
    h = sr // 100
    nf = int(math.ceil(len(sig) / h))
    pad = np.zeros(nf * h)
    pad[: len(sig)] = sig
    lv = 10 * np.log10(np.mean(pad.reshape(nf, h) ** 2, axis=1) + 1e-12)
    lv = np.maximum(lv, np.concatenate([lv[1:], lv[-1:]]))      # 10 ms look-ahead
    g = 0.0
    out = np.empty(nf)
    ka, kr = 1 - math.exp(-0.01 / att), 1 - math.exp(-0.01 / rel)
    for i in range(nf):
        want = min(gmax, max(gmin, target - lv[i]))
        g += (want - g) * (ka if want < g else kr)
        out[i] = g
    centers = (np.arange(nf) + 0.5) * h
    gd = np.interp(np.arange(len(sig)), centers, out)
    return 10 ** (gd / 20), out


def render(c):
    sr = c.sr
    N = c.hang["end"]
    legs = {}
    rng = np.random.default_rng([SEED, c.n, 7])
    for p in ("agent", "customer"):
        sp = np.zeros(N)
        for pl in c.placed:
            if pl["party"] == p:
                a = pl["off"]
                sp[a:a + len(pl["audio"])] += pl["audio"]
        ev = np.zeros(N)
        for s, y in c.events[p]:
            ev[s:s + len(y)] += y[: N - s]
        kind, lvl = c.noise[p]
        line = colored_noise(rng, N, sr, kind) * 10 ** (lvl / 20)
        floor_src = colored_noise(rng, N, sr, "pink")
        bg = np.zeros(N)
        mask = np.zeros(N)
        floor = np.zeros(N)
        if p == "agent":
            floor[: c.pickup] = 10 ** (-75 / 20)
            mask[c.pickup:] = 1.0
            for h in c.holds:
                mask[h["start"]:h["end"]] = 0.0
                if h["floor"]:
                    floor[h["start"]:h["end"]] = 10 ** (h["floor"][1] / 20)
        else:
            mask[:] = 1.0
        bg = line * mask + floor_src * floor
        legs[p] = dict(speech=sp, events=ev, bg=bg, hum=np.zeros(N))
    # a hot leg: look-ahead peak limiter on that party's speech (instant attack over a 5 ms
    # look-ahead, 80 ms release), so the active level can sit near -12 dBov without clipping
    if c.limiter:
        p, ceil = c.limiter["leg"], c.limiter["ceiling"]
        x = legs[p]["speech"]
        need = np.maximum(1.0, np.abs(x) / ceil)
        la = int(0.005 * sr)
        need = maximum_filter1d(need, 2 * la + 1)
        env = lfilter([1.0], [1.0, -math.exp(-1.0 / (0.08 * sr))], need * (1 - math.exp(-1.0 / (0.08 * sr))))
        env = np.maximum(env, need)
        legs[p]["speech"] = x / env
        c.limiter["maxGainReductionDb"] = round(db(float(env.max())), 2)
        c.limiter["samplesLimitedShare"] = round(float(np.mean(env > 1.0001)), 4)
    # 300-3400 Hz channel band on speech, events and noise
    if c.band_limit:
        for p in legs:
            for k in ("speech", "events", "bg"):
                legs[p][k] = bandpass(legs[p][k], sr, 300, 3400, 3)
    # 50 Hz hum with harmonics (analogue, after the band limit)
    if c.hum:
        p, level = c.hum["leg"], c.hum["dbov"]
        t = np.arange(N) / sr
        amps = [1.0, 0.45, 0.7, 0.25, 0.35, 0.15, 0.2]
        ph = rng.uniform(0, 2 * np.pi, len(amps))
        y = sum(a * np.sin(2 * np.pi * 50 * (k + 1) * t + f) for k, (a, f) in enumerate(zip(amps, ph)))
        y *= 10 ** (level / 20) / rms(y)
        legs[p]["hum"] = y
        c.hum["harmonicsHz"] = [50 * (k + 1) for k in range(len(amps))]
        c.hum["relativeAmplitudes"] = amps
    # AGC on one leg: one gain curve applied to every stem of that leg
    if c.agc:
        p = c.agc["leg"]
        total = sum(legs[p][k] for k in ("speech", "events", "bg", "hum"))
        gcurve, gframes = agc_gain(total, sr, **c.agc["params"])
        for k in ("speech", "events", "bg", "hum"):
            legs[p][k] = legs[p][k] * gcurve
        c.agc["gainDbRange"] = [round(float(gframes.min()), 2), round(float(gframes.max()), 2)]
        c.agc["gainDbMean"] = round(float(gframes.mean()), 2)
    # packet loss: the same sample mapping on every stem of the leg(s)
    if c.dropouts:
        spans = dropout_spans(np.random.default_rng([SEED, c.n, 11]), c.pickup, c.hang["at"], sr)
        for p in c.dropouts["legs"]:
            for k in ("speech", "events", "bg", "hum"):
                legs[p][k] = apply_dropouts(legs[p][k], spans, c.dropouts["mode"], sr)
        c.dropouts["spans"] = [[round(a / sr, 3), round(b / sr, 3)] for a, b in spans]
    # hang-up: the hanging-up leg is exact zeros from then on (its busy tone stays)
    h = c.hang
    for k in ("speech", "bg", "hum"):
        legs[h["who"]][k][h["at"]:] = 0.0
    if h["who"] == "customer":
        legs["customer"]["events"][h["at"]:h["busy"]["start"] if h["busy"] else N] = 0.0
    else:
        legs["agent"]["events"][h["at"]:] = 0.0
    return legs


# ----------------------------------------------------------------------------------------------
# truth
# ----------------------------------------------------------------------------------------------
def party_segments(c, p):
    segs = sorted(s for pl in c.placed if pl["party"] == p for s in pl["segs"])
    out = []
    for s, e in segs:
        if out and s - out[-1][1] < int(0.5 * c.sr):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out


def region_mask(c, N, speech_segs, leg_end):
    m = np.zeros(N, bool)
    m[c.pickup:leg_end] = True
    for h in c.holds:
        m[h["start"]:h["end"]] = False
    g = int(0.2 * c.sr)
    for s, e in speech_segs:
        m[max(0, s - g):e + g] = False
    return m


def build_truth(c, legs, duration):
    sr = c.sr
    N = c.hang["end"]
    r6 = lambda x: round(x / sr, 6)
    segs = {p: party_segments(c, p) for p in ("agent", "customer")}
    hang_at = {p: (c.hang["at"] if c.hang["who"] == p else N) for p in ("agent", "customer")}
    parties = {}
    noise_lv = {}
    hum_lv = {}
    for p in ("agent", "customer"):
        if c.layout == "stereo":
            m = region_mask(c, N, segs[p], hang_at[p])
            noise_lv[p] = db(rms(legs[p]["bg"][m]))
            hum_lv[p] = db(rms(legs[p]["hum"][m])) if np.any(legs[p]["hum"]) else None
    if c.layout == "mono":
        allsegs = segs["agent"] + segs["customer"]
        m = region_mask(c, N, allsegs, min(hang_at.values()))
        mixed_bg = legs["agent"]["bg"] + legs["customer"]["bg"]
        nl = db(rms(mixed_bg[m]))
        noise_lv = {"agent": nl, "customer": nl}
        hum_lv = {"agent": None, "customer": None}
    chars = {"agent": 0, "customer": 0}
    for key, n in c.uses.items():
        npieces = len(CLIPS[key].get("cuts", [])) + 1
        assert n % npieces == 0, f"{c.name}: clip {key} used {n} pieces of {npieces} (incomplete pass)"
        owners = {pl["party"] for pl in c.placed if pl["key"] == key}
        assert len(owners) == 1
        party = owners.pop()
        chars[party] += (n // npieces) * analyse_clip(key, sr, c.tempo[party])["chars"]
    for p in ("agent", "customer"):
        sp = legs[p]["speech"]
        talk = sum(e - s for s, e in segs[p]) / sr
        lvl = p56(np.concatenate([sp[s:e] for s, e in segs[p]]), sr) if segs[p] else None
        parties[p] = {
            "talkSeconds": round(talk, 2),
            "activeLevelDbov": round(lvl, 2) if lvl is not None else None,
            "snrDb": round(lvl - noise_lv[p], 2) if lvl is not None else None,
            "clipped": bool(np.max(np.abs(sp)) >= 0.999) if segs[p] else False,
            "speechRateCharsPerMinute": round(chars[p] / talk * 60, 2) if talk else None,
            "characterCount": chars[p],
            "pitchSpreadSemitones": None,
            "humDbov": round(hum_lv[p], 2) if hum_lv[p] is not None else None,
        }
    out_segs = []
    for s, e in c.rings:
        out_segs.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=r6(s), endSeconds=r6(e)))
    for p in ("agent", "customer"):
        for s, e in segs[p]:
            out_segs.append(dict(kind="speech", party=p, holdKind=None, startSeconds=r6(s), endSeconds=r6(e)))
    for h in c.holds:
        out_segs.append(dict(kind="hold", party=None, holdKind=h["holdKind"], startSeconds=r6(h["start"]),
                             endSeconds=r6(h["end"])))
    for s, e in c.dead_air:
        out_segs.append(dict(kind="deadAir", party=None, holdKind=None, startSeconds=r6(s), endSeconds=r6(e)))
    out_segs.sort(key=lambda d: (d["startSeconds"], d["kind"]))
    last = {p: (segs[p][-1][1] / sr if segs[p] else None) for p in segs}
    last_party = max((p for p in last if last[p] is not None), key=lambda p: last[p])
    ending = {
        "lastParty": last_party,
        "tailSilenceSeconds": round(duration - last[last_party], 3),
        "afterCustomerSeconds": round(duration - last["customer"], 3) if last["customer"] is not None else None,
        "hangupSide": c.hang["who"],
    }
    if c.hang["busy"]:
        b = c.hang["busy"]
        ending["busyTone"] = {"plan": b["plan"], "startSeconds": round(b["start"] / sr, 3),
                              "endSeconds": round(b["end"] / sr, 3), "leg": b["leg"]}
    kinds = [c.noise["agent"][0], c.noise["customer"][0]]
    noise = {
        "kind": kinds[0] if kinds[0] == kinds[1] else "/".join(kinds),
        "snrDb": None, "legSnrDb": None,
        "humDbov": round(c.hum["dbovMeasured"], 2) if c.hum else None,
        "gainDb": None,
    }
    if c.layout == "stereo":
        noise["legSnrDb"] = {p: parties[p]["snrDb"] for p in ("agent", "customer")}
    else:
        both = sorted(segs["agent"] + segs["customer"])
        merged = []
        for s, e in both:
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        mix = legs["agent"]["speech"] + legs["customer"]["speech"]
        lv = p56(np.concatenate([mix[s:e] for s, e in merged]), sr)
        noise["snrDb"] = round(lv - noise_lv["agent"], 2)
    truth = {
        "file": c.name + "." + c.fmt["ext"],
        "durationSeconds": duration,
        "sampleRateHz": sr,
        "channels": 2 if c.layout == "stereo" else 1,
        "layout": c.layout,
        "agentChannel": c.agent_channel if c.layout == "stereo" else None,
        "answer": {"source": "ringback" if c.rings else None,
                   "rings": len(c.rings) if c.rings else None,
                   "answerSeconds": c.pickup / sr if c.rings else None,
                   "tonePlan": c.ring_meta["plan"] if c.rings else None},
        "parties": parties,
        "interruptions": [{"atSeconds": r6(t), "by": p} for t, p in sorted(c.interrupts)],
        "ending": ending,
        "warnings": [],
        "noise": noise,
        "segments": out_segs,
    }
    return truth, segs, noise_lv, chars


def check_truth(c, truth, segs):
    """Consistency checks that do not depend on any analyser."""
    d = truth["durationSeconds"]
    sr = c.sr
    for s in truth["segments"]:
        assert 0 <= s["startSeconds"] < s["endSeconds"] <= d + 1e-6, (c.name, s)
    for p in ("agent", "customer"):
        if truth["parties"][p]["talkSeconds"] > 0:
            assert truth["parties"][p]["characterCount"] > 0, (c.name, p)
        ss = segs[p]
        for a, b in zip(ss[:-1], ss[1:]):
            assert b[0] - a[1] >= int(0.5 * sr), (c.name, p, "segments not merged")
    # every interruption starts inside a segment of the other party, >= 0.5 s from its ends
    for it in truth["interruptions"]:
        t = int(round(it["atSeconds"] * sr))
        other = "customer" if it["by"] == "agent" else "agent"
        inside = [s for s in segs[other] if s[0] + int(0.5 * sr) <= t <= s[1] - int(0.5 * sr)]
        assert inside, (c.name, it)
    # speech never inside ringback/holds, holds/dead air never overlap speech
    spans = [(x["startSeconds"], x["endSeconds"], x["kind"]) for x in truth["segments"] if x["kind"] != "speech"]
    for x in truth["segments"]:
        if x["kind"] == "speech":
            for a, b, k in spans:
                assert x["endSeconds"] <= a or x["startSeconds"] >= b, (c.name, x, k)
    # ordinary gaps between speech (any party) outside holds/dead air are < 1.6 s
    allsp = sorted((x["startSeconds"], x["endSeconds"]) for x in truth["segments"] if x["kind"] == "speech")
    cover = []
    for a, b in allsp:
        if cover and a <= cover[-1][1]:
            cover[-1][1] = max(cover[-1][1], b)
        else:
            cover.append([a, b])
    for a, b in zip(cover[:-1], cover[1:]):
        gap = b[0] - a[1]
        if gap >= 1.6:
            ok = any(abs(s - a[1]) < 1e-6 and abs(e - b[0]) < 1e-6 for s, e, k in spans if k == "deadAir") or \
                any(s >= a[1] - 1e-6 and e <= b[0] + 1e-6 for s, e, k in spans if k == "hold")
            assert ok, (c.name, "long gap", a, b)
    # the greeting comes first after pickup, from the agent
    first = min((x for x in truth["segments"] if x["kind"] == "speech"), key=lambda x: x["startSeconds"])
    assert first["party"] == "agent", c.name


# ----------------------------------------------------------------------------------------------
# writing
# ----------------------------------------------------------------------------------------------
def write_audio(c, mix, path):
    tmp = os.path.join(TMP, f"mix{c.n}.wav")
    sf.write(tmp, mix.astype(np.float32), c.sr, subtype="FLOAT")
    f = c.fmt
    cmd = ["sox", "-V1", "-D", tmp]
    if f["codec"] == "pcm16":
        cmd += ["-b", "16", "-e", "signed-integer", path]
    elif f["codec"] == "ulaw":
        cmd += ["-e", "u-law", "-b", "8", path]
    elif f["codec"] == "alaw":
        cmd += ["-e", "a-law", "-b", "8", path]
    elif f["codec"] == "gsm":
        cmd += ["-e", "gsm-full-rate", path]
    elif f["codec"] == "flac":
        cmd += ["-b", "16", path]
    subprocess.run(cmd, check=True)
    info = sf.info(path)
    return info.frames


def codec_lag(c, mix, path):
    y, _ = sf.read(path, dtype="float64", always_2d=True)
    x = mix if mix.ndim == 1 else mix[:, 0]
    y = y[:, 0]
    a = c.S(c.pickup / c.sr + 1.0)
    n = min(len(x), len(y), a + c.S(20))
    xs, ys = x[a:n], y[a:n]
    best, lag = -1, 0
    for L in range(-40, 41):
        v = float(np.dot(xs[40:-40], ys[40 + L:len(ys) - 40 + L]))
        if v > best:
            best, lag = v, L
    return lag


def finish(c):
    legs = render(c)
    sr = c.sr
    N = c.hang["end"]
    if c.hum:
        h = c.hum
        m = region_mask(c, N, party_segments(c, h["leg"]), c.hang["at"] if c.hang["who"] == h["leg"] else N)
        h["dbovMeasured"] = db(rms(legs[h["leg"]]["hum"][m]))
    sig = {p: legs[p]["speech"] + legs[p]["events"] + legs[p]["bg"] + legs[p]["hum"] for p in legs}
    if c.layout == "stereo":
        pair = [sig["agent"], sig["customer"]] if c.agent_channel == "left" else [sig["customer"], sig["agent"]]
        mix = np.stack(pair, axis=1)
    else:
        mix = sig["agent"] + sig["customer"]
    peak = float(np.max(np.abs(mix)))
    assert peak < 0.99, (c.name, peak)
    ext = c.fmt["ext"]
    path = os.path.join(OUT, f"{c.name}.{ext}")
    frames = write_audio(c, mix, path)
    duration = frames / sr
    assert 0 <= frames - N <= 640, (c.name, frames, N)   # GSM WAV pads to whole 320-sample blocks
    truth, segs, noise_lv, _ = build_truth(c, legs, duration)
    check_truth(c, truth, segs)
    lag = codec_lag(c, mix, path) if c.fmt["codec"] == "gsm" else 0
    with open(os.path.join(OUT, "truth", c.name + ".json"), "w") as fh:
        json.dump(truth, fh, indent=1, ensure_ascii=False)
    # stems: each party's speech as int16 at 8 kHz (decimated when the call runs faster)
    st = {}
    for p in ("agent", "customer"):
        x = legs[p]["speech"]
        if sr != 8000:
            x = resample_poly(x, 8000, sr)
        st[p] = np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)
    st["sr"] = np.int64(8000)
    np.savez_compressed(os.path.join(OUT, "stems", c.name + ".npz"), **st)
    meta = build_meta(c, truth, legs, noise_lv, peak, lag)
    with open(os.path.join(OUT, "meta", c.name + ".meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1, ensure_ascii=False)
    return truth


def build_meta(c, truth, legs, noise_lv, peak, lag):
    sr = c.sr
    r3 = lambda x: round(x / sr, 3)
    script = []
    for pl in sorted(c.placed, key=lambda d: d["segs"][0][0]):
        clip = analyse_clip(pl["key"], sr, c.tempo[pl["party"]])
        npieces = len(CLIPS[pl["key"]].get("cuts", [])) + 1
        script.append({
            "party": pl["party"], "clip": CLIPS[pl["key"]]["src"], "logicalClip": pl["key"],
            "piece": f"{pl['piece'] + 1}/{npieces}", "pieceSourceSeconds": clip["pieces"][pl["piece"]]["srcSeconds"],
            "role": pl["role"], "interrupts": pl["interrupts"], "backchannel": pl["backchannel"],
            "text": clip["text"], "clipChars": clip["chars"],
            "charsNote": None if npieces == 1 else "credited once per whole pass over the clip's pieces",
            "runsSeconds": [[r3(s), r3(e)] for s, e in pl["segs"]],
            "gainDb": pl["gainDb"], "peakCapped": pl["peakCapped"],
        })
    holds = []
    for h in c.holds:
        d = {k: v for k, v in h.items() if k not in ("start", "end", "floor")}
        d.update(start=r3(h["start"]), end=r3(h["end"]), dur=round((h["end"] - h["start"]) / sr, 3),
                 agentLegFloor=("digital zero" if h["floor"] is None else f"{h['floor'][0]} {h['floor'][1]:.0f} dBov"))
        holds.append(d)
    levels = {p: {"p56ActiveDbov": truth["parties"][p]["activeLevelDbov"], "targetDbov": c.levels[p]}
              for p in ("agent", "customer")}
    codec = {"pcm16": {"name": "pcm16"},
             "ulaw": {"name": "ulaw", "how": "file itself is G.711 mu-law WAV (sox -e u-law)"},
             "alaw": {"name": "alaw", "how": "file itself is G.711 A-law WAV (sox -e a-law)"},
             "gsm": {"name": "gsm", "how": "file itself is GSM 06.10 full-rate WAV (sox -e gsm-full-rate)",
                     "alignLagSamples": [lag]},
             "flac": {"name": "flac", "how": "16-bit FLAC"}}[c.fmt["codec"]]
    return {
        "generator": GENERATOR,
        "seed": [SEED, c.n],
        "realAudio": "shared/realaudio (see its SOURCES.md and LICENSES/)",
        "conditions": [f"{sr} Hz", ("stereo, agent " + c.agent_channel.upper()) if c.layout == "stereo" else "mono mix",
                       c.fmt["label"]] + c.conditions,
        "layout": c.layout,
        "layoutNote": ("agent on the RIGHT channel: only this meta file and the truth say so (no tag in the WAV)"
                       if c.layout == "stereo" and c.agent_channel == "right" else
                       "mono: agent leg + customer leg summed" if c.layout == "mono" else None),
        "agentChannel": c.agent_channel if c.layout == "stereo" else None,
        "sampleRate": sr,
        "channelBand": "300-3400 Hz (3rd-order Butterworth band-pass run forward and backward) on speech, "
                       "prompts, tones, music and line noise" if c.band_limit else None,
        "direction": "inbound",
        "ringbackLeg": "agent" if c.rings else None,
        "ring": c.ring_meta,
        "ivrGreeting": c.ivr,
        "pickupSeconds": c.pickup / sr,
        "pickupNote": "pickup = where the agent leg connects (answerSeconds); before it that leg carries only the "
                      "ring-back (and IVR prompt) over a -75 dBov floor",
        "voices": {p: f"{c.voice[p]}: {VOICE_NOTES[c.voice[p]]}" + (f", sox tempo -s {c.tempo[p]}" if c.tempo[p] != 1 else "")
                   for p in ("agent", "customer")},
        "tempo": {p: c.tempo[p] for p in ("agent", "customer")},
        "levels": levels,
        "levelNote": "activeLevelDbov = ITU-T P.56 method B on the party's own speech stem (after limiter, band limit, AGC, "
                     "packet loss) over its truth segments; codec and noise not included",
        "overallGainDb": None,
        "noise": {p: {"kind": c.noise[p][0], "levelDbov": c.noise[p][1], "measuredDbov": round(noise_lv[p], 2)}
                  for p in ("agent", "customer")},
        "noiseNote": "noise level = RMS of the leg's line-noise stem after pickup, outside holds, >= 0.2 s from that "
                     "party's speech (mono: from any speech), before hang-up; snrDb = active level - that; hum is "
                     "apart (not in snrDb); mono: both legs' noise summed",
        "hum": c.hum,
        "agc": c.agc,
        "limiter": c.limiter,
        "echo": [],
        "dropouts": c.dropouts,
        "codec": codec,
        "peakBeforeCodec": round(peak, 3),
        "holds": holds,
        "holdNote": "holds are on the agent leg (what the customer hears). Music hold: from the first prompt or music "
                    "sample to the end of the music; a prompt inside replaces the music (music stops 0.2 s before, "
                    "resumes 0.4 s after) and is part of the hold. Tone hold: first beep start to last beep end. "
                    "Muted-line hold: agent leg digital zero or comfort noise, customer leg line noise only",
        "deadAir": [[r3(a), r3(b)] for a, b in c.dead_air],
        "deadAirNote": "dead air = both parties silent between two speech turns, line noise present, nothing played: "
                       "from the end of the last voiced run to the start of the next; every one is >= 8 s and every "
                       "ordinary gap between turns is < 1.6 s",
        "interruptions": truth["interruptions"],
        "interruptionNote": "an interruption is a full turn started 0.6-1.3 s before the other party's current segment "
                            "ends (and >= 0.5 s after it began); the interrupted clip plays to its end. Backchannels "
                            "(a single 对 or 啊 of 0.3-0.6 s, placed inside the other's turn) are speech of that "
                            "party but NOT interruptions",
        "ending": {"hangup": c.hang["who"], "hangupSeconds": r3(c.hang["at"]),
                   "busyTone": truth["ending"].get("busyTone"),
                   "note": "the hanging-up party's leg becomes exact zeros at hang-up (then its busy tone, if any); "
                           "the other leg keeps its line noise to the end"},
        "talkSecondsNote": "truth segments are each clip's voiced runs (10 ms frames of the 100-3800 Hz band above the "
                           "clip's threshold = max(99th percentile - 30 dB, 2nd percentile + 8 dB), fragments < 0.15 s "
                           "apart joined, blips < 60 ms dropped, runs < 0.15 s at a clip edge and >= 0.3 s from the rest "
                           "dropped as breaths/clicks, pauses < 0.5 s kept inside), merged across turns of the same "
                           "party when < 0.5 s apart; the clip is zeroed outside its runs (+20 ms with 10 ms ramps)",
        "trimThresholdsDb": {k: v for k, v in THRESHOLDS.items()
                             if any(k.startswith(CLIPS[pl["key"]]["src"] + "@" + str(sr)) for pl in c.placed)},
        "script": script,
    }


# ----------------------------------------------------------------------------------------------
# the 14 calls
# ----------------------------------------------------------------------------------------------
FMT = {
    "ulaw": dict(ext="wav", codec="ulaw", label="file stored as G.711 mu-law WAV"),
    "alaw": dict(ext="wav", codec="alaw", label="file stored as G.711 A-law WAV"),
    "gsm": dict(ext="wav", codec="gsm", label="file stored as GSM 06.10 WAV"),
    "pcm": dict(ext="wav", codec="pcm16", label="16-bit PCM WAV"),
    "flac": dict(ext="flac", codec="flac", label="FLAC"),
}


def call01():
    c = Call(1, 8000, "stereo", "left", "S0150", "FR1", "084112", "9501", FMT["ulaw"],
             {"agent": -21.0, "customer": -24.0}, {"agent": ("pink", -62.0), "customer": ("white", -50.0)},
             band_limit=True)
    c.ringback("China", 3)
    c.turn("agent", role="greeting")
    c.chat(2)
    c.backchannel("customer")
    c.chat(3)
    c.turn("agent", role="asks the customer to hold")
    c.hold_music("vibe", 45, level=-24.0, prompt_first="one-moment-please", offset=6.0)
    c.turn("agent", gap=0.8, role="back from hold")
    c.turn("customer", interrupt=True)
    c.chat(1)
    c.backchannel("customer")
    c.chat(4)
    c.turn("customer", interrupt=True)
    c.chat(3)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="thanks, goodbye")
    c.hangup("customer", tail=3.5, busy="China")
    return c


def call02():
    c = Call(2, 8000, "mono", None, "S0252", "MS1", "090540", "9502", FMT["gsm"],
             {"agent": -22.0, "customer": -23.0}, {"agent": ("pink", -58.0), "customer": ("pink", -52.0)},
             band_limit=True)
    c.ringback("China", 2)
    c.turn("agent", role="greeting")
    c.chat(1)
    c.backchannel("agent")
    c.chat(4)
    c.turn("agent", role="asks the customer to hold")
    c.hold_music("sugar", 50, level=-25.0, offset=3.0, announce=[(21.0, "queue-periodic-announce")])
    c.turn("agent", gap=0.7, role="back from hold")
    c.chat(1)
    c.backchannel("agent")
    c.chat(1)
    c.turn("customer", interrupt=True)
    c.chat(4)
    c.pad(reserve_customer=0)
    c.turn("agent", role="closing")
    c.hangup("agent", tail=2.2)
    return c


def call03():
    c = Call(3, 16000, "mono", None, "MS2", "S0150", "093218", "9503", FMT["flac"],
             {"agent": -22.0, "customer": -25.0}, {"agent": ("brown", -55.0), "customer": ("pink", -50.0)})
    c.ringback("UK", 4)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.turn("agent", role="says they will check")
    c.turn("customer", dead_air=12.0, role="asks again after 12 s of silence")
    c.chat(2)
    c.turn("agent", interrupt=True)
    c.chat(9)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=2.4)
    return c


def call04():
    c = Call(4, 8000, "mono", None, "S0150", "SXF", "100355", "9504", FMT["alaw"],
             {"agent": -21.0, "customer": -22.0}, {"agent": ("white", -60.0), "customer": ("pink", -54.0)},
             band_limit=True)
    c.dropouts = {"legs": ["agent", "customer"], "mode": "zero",
                  "note": "random 20/40/60 ms packet losses on the mixed stream (both legs), zeroed"}
    c.conditions.append("packet loss: 20-60 ms dropouts zeroed, about every 2.3 s")
    c.ringback("NorthAmerica", 2)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.turn("agent", role="asks the customer to hold")
    c.hold_tone(425.0, 0.25, 8.0, 6, comfort=-70.0)
    c.turn("agent", gap=0.9, role="back from hold")
    c.chat(2)
    c.turn("customer", interrupt=True)
    c.chat(5)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=2.0)
    return c


def call05():
    c = Call(5, 48000, "stereo", "right", "S0252", "SXM", "102731", "9505", FMT["pcm"],
             {"agent": -20.0, "customer": -23.0}, {"agent": ("pink", -63.0), "customer": ("pink", -52.0)})
    c.ringback("China", 1, answer_after=1.3)
    c.conditions.append("answered on the first ring")
    c.turn("agent", role="greeting")
    c.chat(1)
    c.backchannel("agent")
    c.chat(2)
    c.turn("agent", role="asks the customer to hold")
    c.hold_silence(30)
    c.turn("agent", gap=0.8, role="back from hold")
    c.chat(1)
    c.turn("agent", interrupt=True)
    c.chat(3)
    c.backchannel("agent")
    c.chat(3)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=2.5)
    return c


def call06():
    c = Call(6, 8000, "stereo", "left", "S0150", "S0252", "105809", "9506", FMT["pcm"],
             {"agent": -22.0, "customer": -24.0}, {"agent": ("pink", -60.0), "customer": ("brown", -53.0)})
    c.hum = {"leg": "customer", "dbov": -45.0}
    c.conditions.append("50 Hz hum + harmonics on customer leg (-45 dBov)")
    c.ringback("China", 3)
    c.turn("agent", role="greeting")
    c.chat(2)
    c.backchannel("customer")
    c.chat(1)
    c.turn("agent", role="asks the customer to hold")
    c.hold_music("brahms", 80, level=-23.0, loop=(4.0, 26.0),
                 announce=[(28.0, "queue-periodic-announce"), (58.0, "queue-thankyou")])
    c.turn("agent", gap=0.9, role="back from hold")
    c.chat(1)
    c.turn("agent", interrupt=True)
    c.chat(2)
    c.backchannel("customer")
    c.chat(3)
    c.turn("agent", role="closing")
    c.turn("customer", role="thanks")
    c.turn("agent", role="goodbye")
    c.hangup("agent", tail=2.0)
    return c


def call07():
    c = Call(7, 8000, "stereo", "left", "S0252", "S0150", "112447", "9507", FMT["pcm"],
             {"agent": -12.0, "customer": -38.0}, {"agent": ("pink", -60.0), "customer": ("white", -62.0)})
    c.limiter = {"leg": "agent", "ceiling": 0.89,
                 "note": "agent speech gained to about -12 dBov active, then a look-ahead peak limiter (5 ms "
                         "look-ahead, 80 ms release, ceiling 0.89) keeps it off full scale"}
    c.conditions.append("strongly unbalanced legs: agent about -12 dBov (hot, peak-limited), customer -38 dBov")
    c.ringback("NorthAmerica", 3)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.turn("agent", interrupt=True)
    c.chat(3)
    c.backchannel("agent")
    c.chat(1)
    c.turn("customer", interrupt=True)
    c.chat(10)
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=4.0, busy="NorthAmerica")
    return c


def call08():
    c = Call(8, 16000, "stereo", "left", "S0150", "MS2", "131026", "9501", FMT["flac"],
             {"agent": -21.0, "customer": -24.0}, {"agent": ("pink", -62.0), "customer": ("pink", -50.0)},
             agent_tempo=1.25)
    c.agc = {"leg": "customer", "params": dict(target=-24.0, gmin=-6.0, gmax=12.0, att=0.03, rel=1.2),
             "note": "frame AGC (10 ms): gain toward -24 dBov, -6..+12 dB, attack 30 ms, release 1.2 s, "
                     "10 ms look-ahead; it lifts the line noise between words (pumping)"}
    c.conditions.append("AGC level pump on the customer leg (line noise lifted up to +12 dB between words)")
    c.conditions.append("fast agent: every agent clip sped up 1.25x (sox tempo -s 1.25)")
    c.ringback("China", 2)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.turn("agent", role="asks the customer to hold")
    c.hold_tone(1000.0, 0.15, 12.0, 5, comfort=None)
    c.turn("agent", gap=0.8, role="back from hold")
    c.chat(1)
    c.turn("agent", interrupt=True)
    c.chat(9)
    c.pad(reserve_customer=0)
    c.turn("agent", role="closing")
    c.hangup("customer", tail=2.3)
    return c


def call09():
    c = Call(9, 8000, "stereo", "left", "S0252", "S0150", "134103", "9502", FMT["pcm"],
             {"agent": -22.0, "customer": -25.0}, {"agent": ("pink", -61.0), "customer": ("pink", -49.0)},
             customer_tempo=0.72)
    c.conditions.append("slow customer: every customer clip slowed to 0.72x (sox tempo -s 0.72)")
    c.ringback("China", 4)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.backchannel("agent")
    c.turn("agent", role="says they will look it up")
    c.turn("agent", dead_air=15.0, role="comes back after 15 s of silence")
    c.chat(1)
    c.turn("agent", interrupt=True)
    c.chat(9)
    c.turn("agent", role="closing")
    c.hangup("agent", tail=1.8)
    return c


def call10():
    c = Call(10, 8000, "mono", None, "S0252", "FR1", "140650", "9503", FMT["pcm"],
             {"agent": -22.0, "customer": -23.0}, {"agent": ("pink", -60.0), "customer": ("pink", -55.0)})
    c.conditions.append("dense talk: every gap between turns 0.2-0.9 s, no hold, no dead air")
    c.no_ringback(0.0)
    g = lambda: float(c.rng.uniform(0.2, 0.9))
    c.turn("agent", gap=0.6, role="greeting")
    c.chat(1, g)
    c.backchannel("agent", optional=True)
    c.chat(1, g)
    c.backchannel("customer", optional=True)
    c.chat(2, g)
    c.turn("customer", interrupt=True)
    c.backchannel("agent", optional=True)
    c.chat(3, g)
    c.backchannel("customer", optional=True)
    c.chat(1, g)
    c.turn("agent", interrupt=True)
    c.chat(3, g)
    c.backchannel("agent", optional=True)
    c.chat(3, g)
    c.backchannel("customer", optional=True)
    c.chat(3, g)
    c.pad(gap=g)
    c.turn("agent", gap=g(), role="closing")
    c.turn("customer", gap=g(), role="goodbye")
    c.hangup("customer", after=0.9, tail=1.2)
    return c


def call11():
    c = Call(11, 8000, "stereo", "left", "S0150", "FR2", "143322", "9504", FMT["pcm"],
             {"agent": -21.0, "customer": -24.0}, {"agent": ("pink", -58.0), "customer": ("white", -52.0)},
             band_limit=True)
    c.dropouts = {"legs": ["agent"], "mode": "repeat",
                  "note": "random 20/40/60 ms packet losses on the agent leg, concealed by repeating the last 20 ms"}
    c.conditions.append("packet loss on agent leg: 20-60 ms losses, last frame repeated")
    c.ringback("China", 3)
    c.turn("agent", role="greeting")
    c.chat(5)
    c.turn("agent", role="asks the customer to hold")
    c.hold_silence(25, comfort=-80.0)
    c.turn("agent", gap=0.7, role="back from hold")
    c.chat(2)
    c.turn("customer", interrupt=True)
    c.chat(2)
    c.turn("agent", role="asks the customer to hold again")
    c.hold_music("sugar", 40, level=-24.0, offset=20.0, prompt_first="queue-thankyou")
    c.turn("agent", gap=0.9, role="back from hold")
    c.chat(3)
    c.turn("agent", interrupt=True)
    c.chat(5)
    c.turn("agent", role="says they will check the records")
    c.turn("customer", dead_air=10.5, role="asks whether the agent is still there")
    c.chat(6)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=2.6)
    return c


def call12():
    c = Call(12, 8000, "stereo", "left", "S0252", "SXF", "150244", "9505", FMT["alaw"],
             {"agent": -22.0, "customer": -23.0}, {"agent": ("white", -62.0), "customer": ("pink", -51.0)})
    c.ringback("NorthAmerica", 2)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.backchannel("agent")
    c.turn("agent", role="asks the customer to hold")
    c.hold_music("fishin", 40, level=-25.0, offset=30.0, prompt_first="please-hold-while-minion")
    c.turn("agent", gap=0.8, role="back from hold")
    c.chat(1)
    c.turn("agent", interrupt=True)
    c.chat(2)
    c.turn("customer", interrupt=True)
    c.chat(3)
    c.pad(reserve_customer=0)
    c.turn("agent", role="closing")
    c.hangup("agent", tail=2.0)
    return c


def call13():
    c = Call(13, 16000, "stereo", "left", "MS1", "S0252", "153615", "9506", FMT["pcm"],
             {"agent": -21.0, "customer": -24.0}, {"agent": ("pink", -64.0), "customer": ("pink", -50.0)})
    ivr_end = c.ivr_greeting("busy-pls-hold", at=0.6)
    c.ringback("China", 2, start=c.S(ivr_end + 0.6), first=0.0)
    c.turn("agent", role="greeting")
    c.chat(2)
    c.backchannel("customer")
    c.turn("customer", interrupt=True)
    c.chat(2)
    c.turn("agent", interrupt=True)
    c.chat(2)
    c.backchannel("customer")
    c.turn("customer", interrupt=True)
    c.chat(9)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=3.0, busy="China")
    return c


def call14():
    c = Call(14, 8000, "mono", None, "S0150", "SXM", "161237", "9507", FMT["flac"],
             {"agent": -22.0, "customer": -24.0}, {"agent": ("pink", -52.0), "customer": ("pink", -62.0)})
    c.ringback("China", 3)
    c.turn("agent", role="greeting")
    c.chat(3)
    c.turn("agent", role="asks the customer to hold")
    c.hold_silence(20)
    c.turn("agent", gap=0.8, role="back from hold")
    c.chat(1)
    c.turn("agent", role="says they will check")
    c.turn("agent", dead_air=9.0, role="comes back after 9 s of silence")
    c.chat(1)
    c.turn("agent", interrupt=True)
    c.chat(3)
    c.pad()
    c.turn("agent", role="closing")
    c.turn("customer", role="goodbye")
    c.hangup("customer", tail=2.2)
    return c


CALLS = [call01, call02, call03, call04, call05, call06, call07, call08, call09, call10, call11, call12,
         call13, call14]


def check_split_clips():
    """Clips cut into spans must add up to the whole transcript."""
    by_src = {}
    for k, v in CLIPS.items():
        if "span" in v:
            by_src.setdefault(v["src"], []).append(len(CJK.findall(v["text"])))
    for src, counts in by_src.items():
        assert sum(counts) == TRANSCRIPTS[src]["cjk_char_count"], (src, counts)


def main():
    global REAL, TRANSCRIPTS, TMP
    REAL = find_realaudio()
    with open(os.path.join(REAL, "transcripts.json"), encoding="utf-8") as fh:
        TRANSCRIPTS = json.load(fh)
    check_split_clips()
    if shutil.which("sox") is None:
        sys.exit("make_independent_calls_set7: sox is not installed")
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for d in ("", "truth", "meta", "stems"):
        os.makedirs(os.path.join(OUT, d), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="callqa-set7-") as tmp:
        TMP = tmp
        for make in CALLS:
            c = make()
            t = finish(c)
            p = t["parties"]
            print(f"{t['file']}  {t['durationSeconds']:6.1f} s  {c.layout:6}  "
                  f"A {p['agent']['talkSeconds']:5.1f}s {p['agent']['characterCount']:3d}ch "
                  f"C {p['customer']['talkSeconds']:5.1f}s {p['customer']['characterCount']:3d}ch  "
                  + "; ".join(c.conditions))
    print(f"wrote {len(CALLS)} calls to {OUT}")


if __name__ == "__main__":
    main()
