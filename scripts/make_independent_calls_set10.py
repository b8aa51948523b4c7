#!/usr/bin/env python3
"""Independent evaluation set 10: 14 call-centre recordings put together from real voices.

    python3 scripts/make_independent_calls_set10.py

Writes .build-indep10/ (audio, truth/<stem>.json, meta/<stem>.meta.json) in the repository.
The material is the shared real-audio folder: $CALLQA_REALAUDIO, else ../shared/realaudio next
to the repository. Nothing of the analyser is read or run here: every truth value comes from how
the file was put together (clip placement, tones, holds, hang-ups) and from measurements made
here on the stems and on the decoded file, following the truth conventions of sets 8 and 9
(copied into every meta file, with this set's additions).

Conditions new in this set (one or two per call): DTMF key presses, an IVR menu before the
ring-back, dead air, a call-waiting tone, a cut-off ending without ring-back, holds of about
two minutes / just over and just under one minute, a car radio under the customer, an
English-speaking customer with a Mandarin agent, argument-style overlaps, a very short call,
a fast agent, and line conditions (G.722-like band, 6 kHz band at 44.1 kHz, 12-bit
resolution, 20 dB leg imbalance, a 0.5 s dropout, GSM and mu-law round trips, FLAC 24-bit).

Numpy generators are seeded with (20261213, call number); sox runs with -D (no dither), so two
runs give byte-identical files.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf
from scipy import signal

SEED = 20261213
DATE = "20261213"
TIMES = ["083015", "085402", "092137", "095508", "102244", "104931", "111617",
         "133050", "135812", "142405", "145541", "152218", "155903", "163347"]
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, ".build-indep10")
GENERATOR = "scripts/make_independent_calls_set10.py"


def find_realaudio():
    cands = []
    if os.environ.get("CALLQA_REALAUDIO"):
        cands.append(os.environ["CALLQA_REALAUDIO"])
    cands.append(os.path.join(REPO, "..", "shared", "realaudio"))
    for c in cands:
        if os.path.isfile(os.path.join(c, "transcripts.json")):
            return os.path.abspath(c)
    sys.exit("make_independent_calls_set10: the real-audio folder was not found. Set CALLQA_REALAUDIO "
             "or put it at ../shared/realaudio next to the repository (tried: " + ", ".join(cands) + ")")


RA = None
TMP = None
TRANSCRIPTS = None

# ----------------------------------------------------------------------------------------------
# conventions (set 9's text, copied; this set's additions are in the extra keys)
CONV9 = {
    "segments": "speech truth segments = each placed clip's voiced runs on the final timeline, after any tempo change, resampling and band limit (10 ms frames of the 100-3800 Hz band above max(99th pct - 32 dB, 3rd pct + 9 dB) of the processed clip; fragments < 0.12 s apart joined, blips < 60 ms dropped, runs < 0.15 s that are >= 0.3 s from the clip's other runs dropped); the clip is zeroed outside its runs (+20 ms, 10 ms ramps); runs of one party < 0.4 s apart merged. Echo, babble, keyboard clicks, prompts and music are never speech",
    "ringback": "one ringback segment per ring: single-burst plans from burst start to burst end; double-ring plans (Australia, India) from the first burst's start to the second burst's end. rings = number of rings before pickup; tonePlan CEPT for the German 425 Hz 1/4 s cadence (Germany uses the CEPT plan); France, Australia, India by country",
    "holds": "holds are on the agent leg (what the customer hears); the customer is silent (line noise only) during a hold. Music hold: first to last music sample; recorded announcements inside it (music ducked -12 dB under them) are hold, not speech. Muted hold (holdKind silence): the agent leg's digital-zero stretch (call 970008: both legs, so the mono mix is exact digital zero). Comfort-noise hold (holdKind silence): the stretch where the agent leg carries only -65 dBov comfort noise",
    "interruptions": "interruption = a speech segment that starts inside the other party's segment (>= 0.3 s after it began) with > 0.5 s overlap, computed from the final segments; the interrupted clip plays to its end. Backchannels (one syllable, <= 0.45 s voiced, placed inside the other's turn) are speech but not interruptions",
    "parties": "talkSeconds = summed duration of the party's truth speech segments; characterCount = CJK characters of the human transcripts of the clips played (a clip cut into pieces is credited once per complete pass; every pass is completed; one-syllable backchannel cuts count 1); null when the party's transcript is ASR output or the party speaks English; speechRateCharsPerMinute = characterCount / talkSeconds * 60 (with tempo changes applied, talkSeconds is measured on the changed audio)",
    "levels": "activeLevelDbov = ITU-T P.56 method B (own implementation) on the party's speech stem (after tempo, band limit and gain), dBov with full scale 1.0 (a full-scale sine is -3 dBov); codec, noise, echo and babble not included",
    "noise": "noise level = RMS of the decoded file's leg (mono: the mix) after pickup (+0.3 s), outside ring-back, holds (-0.5/+1 s), >= 0.2 s from that party's speech (mono: any speech), before the first hang-up/busy tone; keyboard clicks and echo stretches left out (babble and codec noise stay in); snrDb = party active level - that. truth noise.snrDb is set for mono files only (P.56 level of both parties' speech summed - mix noise level), legSnrDb for stereo files only; noise.kind = agent kind/customer kind",
    "ending": "lastParty = party whose speech ends last; tailSilenceSeconds = file end - end of the last speech; afterCustomerSeconds = file end - end of the customer's last speech; hangupSide = party whose leg goes to zero first",
    "deadAir": "no dead air: every gap between speech turns outside holds is < 1.6 s",
}
DEAD_AIR_DEF = ("dead air (as set 7 defines it) = both parties silent between two speech turns, line noise on both legs, "
                "nothing played and no hold announced: one deadAir segment (party null, holdKind null) from the end of the last "
                "voiced run to the start of the next; every one is >= 12 s here and every ordinary gap between turns outside "
                "holds, DTMF entry and dead air is < 1.6 s")
CONV10_EXTRA = {
    "events": "DTMF key presses, call-waiting tone bursts, IVR prompts before pickup and dropouts have no truth segment "
              "(they are not speech, not holds, not ring-back); they are listed in this meta file under 'events' "
              "(evaluate.py ignores meta files) with their exact times. The truth JSON keeps set 9's schema unchanged",
    "ivr": "IVR menu before pickup (played on the agent leg before the ring-back): no truth segment. Not speech (prompts are "
           "never party speech), not a hold (nobody has answered yet, so nothing is being held; the holds convention covers "
           "an answered call put on hold), not ring-back (answer.rings counts only the ring-back bursts after it); set 7's "
           "IVR greeting call (950013) was scored the same way. answerSeconds = the agent's pickup after the ring-back",
    "dtmf": "DTMF digits (ITU-T Q.23 pairs, one tone pair per key) on the customer leg: not speech, not a hold; the gap "
            "around a DTMF entry can exceed 1.6 s and is neither dead air nor a hold; DTMF stretches (+-50 ms) are left out "
            "of the noise measurement like keyboard clicks",
    "callWaiting": "call-waiting tone bursts on the agent leg: not speech, not a hold; the bursts (+-50 ms) are left out of "
                   "the noise measurement like keyboard clicks",
    "dropout": "a dropout is a stretch of exact digital zero on one leg (speech and line noise both zero) inside a voiced "
               "run: the truth speech segment is split around it (the zero stretch is not speech) and it is left out of the "
               "noise measurement",
    "cutOff": "cut-off ending: the customer's leg goes to exact zero at the customer's hang-up and the recording stops a "
              "moment later in the middle of the agent's word; the agent's last segment ends at the file end; the agent's "
              "cut clip is credited round(chars x voiced seconds played / voiced seconds of the clip) characters",
    "radio": "background music on a leg that is not a hold (car/shop radio): not speech, stays in that leg's noise level "
             "like babble",
}

# ----------------------------------------------------------------------------------------------
# small audio helpers


def sh(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("command failed: " + " ".join(cmd) + "\n" + r.stderr)
    return r


_load_cache = {}


def load(rel):
    """Source file as mono float64 and its rate."""
    if rel not in _load_cache:
        x, sr = sf.read(os.path.join(RA, rel), dtype="float64", always_2d=True)
        _load_cache[rel] = (x.mean(axis=1), sr)
    return _load_cache[rel]


_tmp_n = [0]


def tmpname(ext="wav"):
    _tmp_n[0] += 1
    return os.path.join(TMP, f"t{_tmp_n[0]:05d}.{ext}")


def sox_proc(x, sr, fs, tempo=1.0):
    """Resample (and tempo-change) with sox -D; float in and out."""
    if sr == fs and tempo == 1.0:
        return np.array(x, dtype=float)
    a, b = tmpname(), tmpname()
    sf.write(a, np.asarray(x, dtype=np.float32), sr, subtype="FLOAT")
    cmd = ["sox", "-D", a, "-e", "floating-point", "-b", "32", b]
    if tempo != 1.0:
        cmd += ["tempo", "-s", f"{tempo:g}"]
    if sr != fs:
        cmd += ["rate", "-v", str(fs)]
    sh(cmd)
    y, _ = sf.read(b, dtype="float64")
    os.remove(a)
    os.remove(b)
    return y


def band(x, fs, spec):
    """spec = (lo, hi, order) Butterworth band-pass, forward and backward; None = unchanged."""
    if spec is None or len(x) < 64:
        return np.array(x, dtype=float)
    lo, hi, order = spec
    if lo and hi:
        sos = signal.butter(order, [lo, hi], "bandpass", fs=fs, output="sos")
    elif hi:
        sos = signal.butter(order, hi, "lowpass", fs=fs, output="sos")
    else:
        sos = signal.butter(order, lo, "highpass", fs=fs, output="sos")
    return signal.sosfiltfilt(sos, x)


def p56(x, fs):
    """ITU-T P.56 method B active speech level (own implementation), dB re full scale 1.0."""
    x = np.asarray(x, dtype=float)
    if not np.any(x):
        return None
    g = np.exp(-1.0 / (fs * 0.03))
    hang = int(round(0.2 * fs))
    p = signal.lfilter([1 - g], [1, -g], np.abs(x))
    q = signal.lfilter([1 - g], [1, -g], p)
    sq = float(np.sum(x * x))
    idx = np.arange(len(x))
    A, D = [], []
    for j in range(16):
        c = 2.0 ** (j - 15)
        above = q >= c
        if not above.any():
            A.append(None)
            D.append(-np.inf)
            continue
        last = np.maximum.accumulate(np.where(above, idx, -10 ** 12))
        act = int(np.count_nonzero(idx - last <= hang))
        a_db = 10 * np.log10(sq / act)
        A.append(a_db)
        D.append(a_db - 20 * np.log10(c))
    M = 15.9
    for j in range(16):
        if D[j] <= M:
            if j == 0 or A[j] is None:
                return A[j] if A[j] is not None else A[j - 1]
            f = (D[j - 1] - M) / (D[j - 1] - D[j])
            return A[j - 1] + f * (A[j] - A[j - 1])
    return A[15]


def rms_db(x):
    x = np.asarray(x, dtype=float)
    return 10 * np.log10(np.mean(x * x) + 1e-30)


def voiced_runs(x, fs):
    """The set 8/9 run rule on a processed clip: list of [start, end] seconds and the threshold."""
    sos = signal.butter(4, [100, min(3800, 0.45 * fs)], "bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, x)
    h = fs // 100
    n = len(y) // h
    e = 10 * np.log10((y[:n * h].reshape(n, h) ** 2).mean(axis=1) + 1e-20)
    thr = max(np.percentile(e, 99) - 32, np.percentile(e, 3) + 9)
    on = e > thr
    runs = []
    i = 0
    while i < n:
        if on[i]:
            j = i
            while j < n and on[j]:
                j += 1
            runs.append([i, j])
            i = j
        else:
            i += 1
    joined = []
    for r in runs:
        if joined and r[0] - joined[-1][1] < 12:
            joined[-1][1] = r[1]
        else:
            joined.append(list(r))
    joined = [r for r in joined if r[1] - r[0] >= 6]
    keep = []
    for k, r in enumerate(joined):
        if r[1] - r[0] < 15:
            gaps = []
            if k > 0:
                gaps.append(r[0] - joined[k - 1][1])
            if k + 1 < len(joined):
                gaps.append(joined[k + 1][0] - r[1])
            if not gaps or min(gaps) >= 30:
                continue
        keep.append(r)
    return [[a / 100.0, b / 100.0] for a, b in keep], float(thr)


def zero_outside(x, runs, fs):
    n = len(x)
    w = np.zeros(n)
    r = int(round(0.01 * fs))
    for s, e in runs:
        a = int(round((s - 0.02) * fs))
        b = int(round((e + 0.02) * fs))
        w[max(a, 0):min(b, n)] = 1.0
        for k in range(r):
            v = (k + 0.5) / r
            ia, ib = a - r + k, b + r - 1 - k
            if 0 <= ia < n:
                w[ia] = max(w[ia], v)
            if 0 <= ib < n:
                w[ib] = max(w[ib], v)
    return x * w


def colored(rng, n, kind):
    w = rng.standard_normal(n)
    if kind == "white":
        return w
    W = np.fft.rfft(w)
    f = np.fft.rfftfreq(n)
    f[0] = f[1]
    W = W / (np.sqrt(f) if kind == "pink" else f)
    return np.fft.irfft(W, n)


def ramp_edges(x, fs, ms=5.0):
    r = min(int(fs * ms / 1000), len(x) // 2)
    if r > 0:
        win = 0.5 - 0.5 * np.cos(np.pi * (np.arange(r) + 0.5) / r)
        x[:r] *= win
        x[-r:] *= win[::-1]
    return x


def tone(fs, dur, freqs, level_db, mod=None):
    n = int(round(dur * fs))
    t = np.arange(n) / fs
    y = sum(np.sin(2 * np.pi * f * t) for f in freqs)
    if mod:
        y = y * (1 + 0.85 * np.cos(2 * np.pi * mod * t))
    y = y / np.sqrt(np.mean(y * y)) * 10 ** (level_db / 20)
    return ramp_edges(y, fs)


def pieces_of(rel, k, s0=0.0, s1=None):
    """Split a source clip (or its [s0, s1] part) into k pieces at pauses (midpoints of gaps)."""
    x, sr = load(rel)
    if s1 is None:
        s1 = len(x) / sr
    seg = x[int(round(s0 * sr)):int(round(s1 * sr))]
    runs, _ = voiced_runs(seg, sr)
    if k == 1:
        return [(s0, s1)]
    gaps = [((runs[i][1] + runs[i + 1][0]) / 2, runs[i + 1][0] - runs[i][1]) for i in range(len(runs) - 1)]
    gaps = [g for g in gaps if g[1] >= 0.12]
    total = runs[-1][1] - runs[0][0]
    chosen = []
    for i in range(1, k):
        want = runs[0][0] + total * i / k
        cand = [g for g in gaps if g[0] not in chosen]
        best = min(cand, key=lambda g: abs(g[0] - want))
        chosen.append(best[0])
    chosen.sort()
    edges = [0.0] + chosen + [s1 - s0]
    for i in range(k):  # every piece carries at least 1 s of voiced speech (no one-syllable turns)
        voiced = sum(max(0.0, min(e, edges[i + 1]) - max(a, edges[i])) for a, e in runs)
        assert voiced >= 1.0, (rel, k, edges)
    return [(round(s0 + edges[i], 3), round(s0 + edges[i + 1], 3)) for i in range(k)]


# ----------------------------------------------------------------------------------------------
# voices

AISHELL = "zh_speech/aishell_asr0009_sample/"
A150_IDS = ["0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0358", "0404", "0447", "0456",
            "0463", "0473", "0481", "0482", "0483", "0488", "0490"]
A252_IDS = ["0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396", "0435", "0441", "0443",
            "0447", "0458", "0460", "0463", "0480", "0483", "0485"]
VOICES = {
    "A150": ("AISHELL read speech, speaker S0150 (higher voice)", [AISHELL + f"BAC009S0150W{i}.wav" for i in A150_IDS]),
    "A252": ("AISHELL read speech, speaker S0252 (lower voice)", [AISHELL + f"BAC009S0252W{i}.wav" for i in A252_IDS]),
    "MS1": ("MOSS-TTSD zh_spk1_moon: livestream host, spontaneous", ["zh_speech_more/mossttsd_zh_spk1_moon.wav"]),
    "MS2": ("MOSS-TTSD zh_spk2_moon: livestream host, spontaneous", ["zh_speech_more/mossttsd_zh_spk2_moon.wav"]),
    "SXF": ("SoulX-Podcast female_mandarin: spontaneous podcast speech", ["zh_speech_more/soulxpodcast_female_mandarin.wav"]),
    "SXM": ("SoulX-Podcast male_mandarin: spontaneous podcast speech with fillers", ["zh_speech_more/soulxpodcast_male_mandarin.wav"]),
    "FR1": ("FireRedTTS2 chat prompt S1: spontaneous podcast speech with repetitions", ["zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac"]),
    "FR2": ("FireRedTTS2 chat prompt S2: spontaneous podcast speech (the other host)", ["zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac"]),
    "MTG": ("WenetSpeech test_meeting speaker (FireRedASR example), spontaneous meeting speech, far-ish mic",
            ["zh_speech_more/fireredasr_TEST_MEETING_T0000000001_S00000.wav"]),
    "SPK": ("Spark-TTS prompt audio: sponsor read from a TV programme, fast announcer style (real voice)",
            ["zh_speech_more/sparktts_prompt_audio.wav"]),
    "IT11": ("AISHELL-2 iOS test speaker IT0011 (FireRedASR example): a short spoken command",
             ["zh_speech_more/fireredasr_IT0011W0001.wav"]),
    "AZC": ("English: the customer of a real recorded US sales call (Azure fast-transcription sample, 100.2-113.0 s of "
            "the file), cut at its pauses", ["en_calls/azure_fast_transcription_test_call_audio.wav"]),
}
NEW_VOICES = {"IT11", "AZC"}  # not used by sets 7-9


def clip_text(rel):
    """(text, chars or None, language)"""
    if rel.startswith("en_calls/azure"):
        turns = json.load(open(os.path.join(RA, "en_calls/azure_fast_transcription_test_call_audio.turns.json")))
        t = [x["text"] for x in turns if x["speaker"] == "customer"]
        return " ".join(t), None, "en"
    e = TRANSCRIPTS[rel]
    text, chars = e["transcript"], e["cjk_char_count"]
    if rel.endswith("sparktts_prompt_audio.wav"):
        # "26" is spoken 二十六: three syllables (set 9 counted 56 the same way)
        text, chars = text.replace("26", "二十六"), chars + 3
    if e.get("language") == "en" or (chars == 0 and "word_count" in e):
        return text, None, "en"
    return text, chars, "zh"


class Pool:
    """Hands out a voice's clips (AISHELL: one sentence each, in a seeded order; one-clip voices: pieces)."""

    def __init__(self, rng, voice, k=1, s0=0.0, s1=None):
        self.voice = voice
        files = list(VOICES[voice][1])
        self.single = len(files) == 1
        if self.single:
            rel = files[0]
            self.items = [dict(rel=rel, s0=a, s1=b, piece=(i + 1, k)) for i, (a, b) in enumerate(pieces_of(rel, k, s0, s1))]
        else:
            order = rng.permutation(len(files))
            self.items = [dict(rel=files[i], s0=0.0, s1=None, piece=(1, 1)) for i in order]
        self.i = 0

    def next(self):
        it = dict(self.items[self.i % len(self.items)])
        self.i += 1
        it["voice"] = self.voice
        return it

    def complete(self):
        return (not self.single) or self.i % len(self.items) == 0


# ----------------------------------------------------------------------------------------------
# ring-back plans
PLANS = {
    "China": dict(country="China", freqs=[450.0], mod=None, cycle=[[0.0, 1.0]], period=5.0,
                  display="China 450 Hz, 1 s on / 4 s off"),
    "CEPT": dict(country="Germany", freqs=[425.0], mod=None, cycle=[[0.0, 1.0]], period=5.0,
                 display="Germany (CEPT plan) 425 Hz, 1 s on / 4 s off"),
    "NorthAmerica": dict(country="USA", freqs=[440.0, 480.0], mod=None, cycle=[[0.0, 2.0]], period=6.0,
                         display="North America 440+480 Hz, 2 s on / 4 s off"),
    "UK": dict(country="UK", freqs=[400.0, 450.0], mod=None, cycle=[[0.0, 0.4], [0.6, 1.0]], period=3.0,
               display="UK 400+450 Hz, 0.4 on 0.2 off 0.4 on 2.0 off"),
    "Japan": dict(country="Japan", freqs=[400.0], mod=16.0, cycle=[[0.0, 1.0]], period=3.0,
                  display="Japan 400 Hz modulated by 16 Hz, 1 s on / 2 s off"),
    "France": dict(country="France", freqs=[440.0], mod=None, cycle=[[0.0, 1.5]], period=5.0,
                   display="France 440 Hz, 1.5 s on / 3.5 s off"),
    "Australia": dict(country="Australia", freqs=[400.0, 425.0, 450.0], mod=None, cycle=[[0.0, 0.4], [0.6, 1.0]],
                      period=3.0, display="Australia 400+425+450 Hz, 0.4 on 0.2 off 0.4 on 2.0 off"),
    "India": dict(country="India", freqs=[400.0], mod=25.0, cycle=[[0.0, 0.4], [0.6, 1.0]], period=3.0,
                  display="India 400 Hz modulated by 25 Hz, 0.4 on 0.2 off 0.4 on 2.0 off"),
}
DTMF_ROWS = {"1": 697, "2": 697, "3": 697, "4": 770, "5": 770, "6": 770, "7": 852, "8": 852, "9": 852,
             "*": 941, "0": 941, "#": 941}
DTMF_COLS = {"1": 1209, "4": 1209, "7": 1209, "*": 1209, "2": 1336, "5": 1336, "8": 1336, "0": 1336,
             "3": 1477, "6": 1477, "9": 1477, "#": 1477}

MUSIC = {
    "sugar": ("music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
              "Dance of the Sugar Plum Fairy (Tchaikovsky, Kevin MacLeod's celesta arrangement, CC-BY)"),
    "hungarian": ("music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
                  "Hungarian Dance No. 5 (Brahms, US Army Strings, public domain)"),
    "vibe": ("music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg", "Vibe Ace (Kevin MacLeod, jazz vibraphone combo, CC-BY)"),
    "fishin": ("music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
               "Let's Go Fishin' (Karissa Hobbs, acoustic song with sung vocals, CC-BY)"),
}
_music_cache = {}


def music_at(name, fs):
    if (name, fs) not in _music_cache:
        x, sr = load(MUSIC[name][0])
        _music_cache[(name, fs)] = sox_proc(x, sr, fs)
    return _music_cache[(name, fs)]


def music_track(name, fs, parts, xfade=0.05):
    """Concatenate [offset, end] excerpts of a piece (looping a recording), with short cross-fades."""
    m = music_at(name, fs)
    out = np.zeros(0)
    r = int(xfade * fs)
    for a, b in parts:
        seg = m[int(round(a * fs)):int(round(b * fs))].copy()
        if len(out) == 0:
            out = seg
        else:
            w = np.linspace(0, 1, r)
            out[-r:] = out[-r:] * (1 - w) + seg[:r] * w
            out = np.concatenate([out, seg[r:]])
    return out


# ----------------------------------------------------------------------------------------------
# the call builder


class Call:
    def __init__(self, n, fs, layout, agent_channel, chan_band, fmt, targets, noise, title, tags):
        self.n = n
        self.fs = fs
        self.rng = np.random.default_rng([SEED, n])
        self.layout = layout
        self.agent_channel = agent_channel
        self.chan_band = chan_band
        self.fmt = fmt
        self.targets = dict(targets)
        self.noise = noise  # {'agent': (kind, dBov), 'customer': (kind, dBov)}
        self.title = title
        self.tags = tags
        self.N = int(215 * fs)
        self.stem = {p: np.zeros(self.N) for p in ("agent", "customer")}
        self.extra = {p: np.zeros(self.N) for p in ("agent", "customer")}
        self.runs = {"agent": [], "customer": []}
        self.script = []
        self.trim = {}
        self.cursor = 0.0
        self.last_clip = {"agent": None, "customer": None}
        self.pickup = 0.0
        self.ring = None
        self.ring_segments = []
        self.holds = []
        self.dead = []
        self.events = []
        self.notes = []
        self.effects = None
        self.tempo = {"agent": 1.0, "customer": 1.0}
        self.chars = {"agent": 0, "customer": 0}
        self.lang = {"agent": set(), "customer": set()}
        self.voices = {"agent": [], "customer": []}
        self.hang = None
        self.file_end = None
        self.cut = None
        self.dropouts = []
        self.designed_interruptions = []
        self.radio = None
        self.ivr = None
        self.pickup_note = ("pickup = where the agent leg connects (answerSeconds); before it that leg carries only the "
                            "ring-back over a -75 dBov pink floor")
        self.deviations = []

    def u(self, a, b):
        return float(self.rng.uniform(a, b))

    def add(self, leg, x, t):
        i = int(round(t * self.fs))
        self.extra[leg][i:i + len(x)] += x

    # --- pre-answer
    def ivr_menu(self, prompts, start=0.6, level=-20.0):
        prompts_json = json.load(open(os.path.join(RA, "ivr_prompts/prompts.json")))
        texts = {os.path.basename(p["file"]): p["text"] for p in prompts_json}
        t = start
        out = []
        for name in prompts:
            x, sr = load("ivr_prompts/" + name)
            y = band(sox_proc(x, sr, self.fs), self.fs, self.chan_band)
            y = y * 10 ** ((level - p56(y, self.fs)) / 20)
            runs, _ = voiced_runs(y, self.fs)
            self.add("agent", y, t)
            out.append(dict(prompt="ivr_prompts/" + name, text=texts.get(name), startSeconds=round(t, 6),
                            endSeconds=round(t + len(y) / self.fs, 6),
                            voicedSeconds=[round(t + runs[0][0], 3), round(t + runs[-1][1], 3)]))
            self.events.append(dict(kind="ivrPrompt", leg="agent", prompt="ivr_prompts/" + name,
                                    startSeconds=round(t, 6), endSeconds=round(t + len(y) / self.fs, 6)))
            t += len(y) / self.fs + 0.35
        self.ivr = dict(prompts=out, levelDbov=level, leg="agent",
                        truth="no segment: not speech, not a hold, not ring-back (see conventions.ivr)")
        self.cursor = t
        self.pickup_note = ("pickup = where the agent leg connects (answerSeconds); before it that leg carries the IVR "
                            "menu and then the ring-back over a -75 dBov pink floor")

    def ringback(self, plan, rings, start=None, level=-20.0):
        spec = PLANS[plan]
        t0 = self.cursor + self.u(0.5, 0.9) if start is None else start
        bursts, segs = [], []
        for r in range(rings):
            base = t0 + r * spec["period"]
            for a, b in spec["cycle"]:
                y = tone(self.fs, b - a, spec["freqs"], level, spec["mod"])
                self.add("agent", y, base + a)
                bursts.append([round(base + a, 6), round(base + b, 6)])
            segs.append([round(base + spec["cycle"][0][0], 6), round(base + spec["cycle"][-1][1], 6)])
        self.pickup = segs[-1][1] + self.u(0.45, 0.85)
        self.pickup = round(self.pickup * self.fs) / self.fs
        self.ring = dict(plan=plan, country=spec["country"], display=spec["display"], freqs=spec["freqs"],
                         cycle=spec["cycle"], periodSeconds=spec["period"], modulationHz=spec["mod"], bursts=bursts,
                         ringSegments=segs, levelDbov=level,
                         levelNote="RMS of each burst (a full-scale sine is -3 dBov)")
        self.ring_segments = segs
        self.cursor = self.pickup

    def no_ringback(self):
        self.pickup = 0.0
        self.cursor = 0.0
        self.pickup_note = "no ring-back: the recording starts at pickup, the agent's greeting begins a moment into the file"

    # --- speech
    def prep(self, item, party):
        x, sr = load(item["rel"])
        a = int(round(item["s0"] * sr))
        b = len(x) if item["s1"] is None else int(round(item["s1"] * sr))
        y = sox_proc(x[a:b], sr, self.fs, self.tempo[party])
        y = band(y, self.fs, self.chan_band)
        runs, thr = voiced_runs(y, self.fs)
        y = zero_outside(y, runs, self.fs)
        lvl = p56(y, self.fs)
        gain_db = self.targets[party] - lvl
        g = 10 ** (gain_db / 20)
        capped = False
        if np.max(np.abs(y)) * g > 0.85:
            g = 0.85 / np.max(np.abs(y))
            gain_db = 20 * np.log10(g)
            capped = True
        return y * g, runs, thr, gain_db, capped

    def say(self, party, item, gap=None, overlap=None, dead_air=None, role=None):
        y, runs, thr, gain_db, capped = self.prep(item, party)
        other = "customer" if party == "agent" else "agent"
        interrupts = False
        if overlap is not None:
            start_run = self.last_clip[other]["end"] - overlap
            interrupts = True
        elif dead_air is not None:
            start_run = self.cursor + dead_air
        else:
            start_run = self.cursor + gap
        i0 = int(round((start_run - runs[0][0]) * self.fs))
        t0 = i0 / self.fs
        self.stem[party][i0:i0 + len(y)] += y
        abs_runs = [[t0 + s, t0 + e] for s, e in runs]
        if dead_air is not None:
            self.dead.append([self.cursor, abs_runs[0][0]])
        self.runs[party].extend(abs_runs)
        self.last_clip[party] = dict(start=abs_runs[0][0], end=abs_runs[-1][1], idx=len(self.script))
        self.cursor = max(self.cursor, abs_runs[-1][1])
        text, chars, lang = clip_text(item["rel"])
        self.lang[party].add(lang)
        k = item["piece"]
        if chars is not None and k[0] == k[1]:
            self.chars[party] += chars
        logical = os.path.splitext(os.path.basename(item["rel"]))[0]
        if item["voice"] not in self.voices[party]:
            self.voices[party].append(item["voice"])
        src1 = item["s1"] if item["s1"] is not None else round(len(load(item["rel"])[0]) / load(item["rel"])[1], 3)
        self.trim[f"{logical}@{item['s0']:.2f}-{src1:.2f} x{self.tempo[party]:g} ({party})"] = round(thr, 1)
        self.script.append(dict(party=party, voice=item["voice"], clip=item["rel"], logicalClip=logical,
                                piece=f"{k[0]}/{k[1]}", pieceSourceSeconds=[item["s0"], src1], role=role,
                                interrupts=interrupts, backchannel=False, text=text, clipChars=chars,
                                tempo=self.tempo[party], runsSeconds=[[round(a, 3), round(b, 3)] for a, b in abs_runs],
                                gainDb=round(gain_db, 2), peakCapped=capped))
        if interrupts:
            self.designed_interruptions.append(dict(atSeconds=round(abs_runs[0][0], 6), by=party))
        return abs_runs

    # --- in-call events
    def hold(self, dur, name, parts, gap, level=-22.0, prompts=()):
        start = self.cursor + gap
        start = round(start * self.fs) / self.fs
        m = music_track(name, self.fs, parts)
        n = int(round(dur * self.fs))
        assert len(m) >= n, (name, len(m) / self.fs, dur)
        m = band(m[:n], self.fs, self.chan_band)
        m = m / np.sqrt(np.mean(m * m)) * 10 ** (level / 20)
        if np.max(np.abs(m)) > 0.7:  # keep the music's peaks under 0.7 (the level then ends below `level`)
            m = m * 0.7 / np.max(np.abs(m))
        m = ramp_edges(m, self.fs, 20)
        plist = []
        for pname, at in prompts:
            x, sr = load("ivr_prompts/" + pname)
            y = band(sox_proc(x, sr, self.fs), self.fs, self.chan_band)
            y = y * 10 ** ((level + 2 - p56(y, self.fs)) / 20)
            i = int(round(at * self.fs))
            duck = np.ones(n)
            r = int(0.3 * self.fs)
            a, b = i - int(0.3 * self.fs), i + len(y) + int(0.3 * self.fs)
            duck[a:b] = 10 ** (-12 / 20)
            duck[a - r:a] = np.linspace(1, 10 ** (-12 / 20), r)
            duck[b:b + r] = np.linspace(10 ** (-12 / 20), 1, r)
            m = m * duck
            m[i:i + len(y)] += y
            plist.append([pname.replace(".wav", ""), round(start + at, 3), round(start + at + len(y) / self.fs, 3)])
        self.add("agent", m, start)
        end = start + n / self.fs
        self.holds.append(dict(kind="music", holdKind="music", music=MUSIC[name][1], musicFile=MUSIC[name][0],
                               excerptsSeconds=[[a, b] for a, b in parts], looped=len(parts) > 1, levelDbov=level,
                               measuredRmsDbov=round(rms_db(m), 2), prompts=plist, duckDb=-12.0 if plist else None,
                               agentLegFloor="pink -75 dBov", start=round(start, 6), end=round(end, 6),
                               dur=round(end - start, 6)))
        self.cursor = end

    def dtmf(self, digits, gap, purpose, low=-13.0, high=-11.0):
        t = self.cursor + gap
        keys = []
        first = t
        for d in digits:
            on = self.u(0.07, 0.12)
            off = self.u(0.06, 0.10)
            n = int(round(on * self.fs))
            tt = np.arange(n) / self.fs
            y = (np.sqrt(2) * 10 ** (low / 20) * np.sin(2 * np.pi * DTMF_ROWS[d] * tt)
                 + np.sqrt(2) * 10 ** (high / 20) * np.sin(2 * np.pi * DTMF_COLS[d] * tt))
            y = ramp_edges(y, self.fs, 3)
            self.add("customer", y, t)
            keys.append(dict(key=d, lowHz=DTMF_ROWS[d], highHz=DTMF_COLS[d], startSeconds=round(t, 6),
                             endSeconds=round(t + n / self.fs, 6)))
            last_end = t + n / self.fs
            t += n / self.fs + off
        self.events.append(dict(kind="dtmf", leg="customer", purpose=purpose, digits=digits,
                                startSeconds=round(first, 6), endSeconds=round(last_end, 6),
                                levelDbov={"lowGroup": low, "highGroup": high}, keys=keys))
        self.cursor = last_end

    def call_waiting(self, start, count, period=10.0, dur=0.3, freq=440.0, level=-22.0):
        bursts = []
        for i in range(count):
            t = start + i * period
            self.add("agent", tone(self.fs, dur, [freq], level), t)
            bursts.append([round(t, 6), round(t + dur, 6)])
        self.events.append(dict(kind="callWaitingTone", leg="agent", freqHz=freq, burstSeconds=dur, periodSeconds=period,
                                levelDbov=level, bursts=bursts))

    def dropout(self, party, at_run_fraction=0.5, dur=0.5):
        """0.5 s of digital zero on a leg inside the party's most recent long voiced run."""
        runs = self.runs[party]
        cand = [r for r in runs if r[1] - r[0] >= dur + 1.0]
        r = cand[-1]
        s = r[0] + (r[1] - r[0] - dur) * at_run_fraction
        s = round(s * self.fs) / self.fs
        self.dropouts.append([party, s, s + dur])
        self.events.append(dict(kind="dropout", leg=party, startSeconds=round(s, 6), endSeconds=round(s + dur, 6),
                                what="exact digital zero on the whole leg (speech and line noise)"))

    def radio_on_customer(self, name, offset, rel_db):
        self.radio = dict(music=name, offset=offset, relDb=rel_db)

    def hangup(self, side, delay=(0.7, 1.6), tail=(1.3, 2.6)):
        self.hang = {side: self.cursor + self.u(*delay)}
        self.file_end = self.hang[side] + self.u(*tail)
        self.hang_side = side

    def cut_off(self, before=0.4):
        """The customer hangs up while the agent talks: the customer's leg goes to zero, the file stops `before` s later."""
        last = self.script[-1]
        assert last["party"] == "agent"
        runs = last["runsSeconds"]
        voiced = sum(b - a for a, b in runs)
        target = runs[0][0] + 0.55 * (runs[-1][1] - runs[0][0])
        # the cut falls inside a run, at least 0.3 s from its ends
        best = None
        for a, b in runs:
            if b - a > 0.8:
                c = min(max(target, a + 0.3), b - 0.3)
                if best is None or abs(c - target) < abs(best - target):
                    best = c
        cut = round(best * self.fs) / self.fs
        played = sum(max(0.0, min(b, cut) - a) for a, b in runs)
        frac = played / voiced
        chars = last["clipChars"]
        credited = int(round(chars * frac)) if chars is not None else None
        # the clip's characters were credited whole in say(); replace by the played share
        if chars is not None:
            self.chars["agent"] += credited - chars
        last["cutAtSeconds"] = round(cut, 6)
        last["charsCredited"] = credited
        last["voicedFractionPlayed"] = round(frac, 3)
        self.cut = cut
        self.file_end = cut
        self.hang = {"customer": cut - before}
        self.hang_side = "customer"
        self.cursor = cut

    # --- assembly and output
    def finish(self, name):
        fs = self.fs
        L = int(round(self.file_end * fs))
        self.file_end = L / fs
        T = np.arange(L) / fs
        stems = {p: self.stem[p][:L].copy() for p in self.stem}
        extra = {p: self.extra[p][:L].copy() for p in self.extra}
        # radio on the customer leg (whole call until the customer's leg ends)
        if self.radio:
            rname = self.radio["music"]
            m = music_at(rname, fs)
            o = int(round(self.radio["offset"] * fs))
            seg = band(m[o:o + L], fs, self.chan_band)
            level = self.targets["customer"] - self.radio["relDb"]
            seg = seg / np.sqrt(np.mean(seg * seg)) * 10 ** (level / 20)
            seg = ramp_edges(seg, fs, 30)
            extra["customer"][:len(seg)] += seg
            self.effects = {"radio": dict(leg="customer", music=MUSIC[rname][1], musicFile=MUSIC[rname][0],
                                          excerptStartSeconds=self.radio["offset"], rmsDbov=round(level, 2),
                                          relativeToCustomerDb=-self.radio["relDb"],
                                          note="car radio in the customer's car, from the start of the file to the "
                                               "customer's hang-up; RMS set relative to the customer's target active "
                                               "level; it is background, not speech and not a hold, and stays in the "
                                               "customer-leg noise level")}
        # line noise and the pre-pickup / hold floor
        legs = {}
        noise_meas_kind = {}
        for p in ("agent", "customer"):
            kind, lvl = self.noise[p]
            nz = band(colored(self.rng, L, kind), fs, self.chan_band)
            nz = nz / np.sqrt(np.mean(nz * nz)) * 10 ** (lvl / 20)
            if p == "agent":
                fl = band(colored(self.rng, L, "pink"), fs, self.chan_band)
                fl = fl / np.sqrt(np.mean(fl * fl)) * 10 ** (-75 / 20)
                use_floor = T < self.pickup
                for h in self.holds:
                    use_floor |= (T >= h["start"]) & (T < h["end"])
                nz = np.where(use_floor, fl, nz)
            noise_meas_kind[p] = kind
            legs[p] = stems[p] + extra[p] + nz
        # dropouts, hang-ups
        for party, s, e in self.dropouts:
            a, b = int(round(s * fs)), int(round(e * fs))
            legs[party][a:b] = 0.0
            stems[party][a:b] = 0.0
        for p, t in self.hang.items():
            i = int(round(t * fs))
            legs[p][i:] = 0.0
            stems[p][i:] = 0.0
        if self.layout == "mono":
            out = (legs["agent"] + legs["customer"])[:, None]
        else:
            order = ["agent", "customer"] if self.agent_channel == "left" else ["customer", "agent"]
            out = np.stack([legs[order[0]], legs[order[1]]], axis=1)
        peak = float(np.max(np.abs(out)))
        assert peak < 0.98, (name, peak)
        path = os.path.join(OUT, name)
        codec = write_audio(path, out, fs, self.fmt)
        dec, dfs = sf.read(path, dtype="float64", always_2d=True)
        assert dfs == fs and len(dec) == L, (name, dfs, len(dec), L)
        lag = codec_lag(out[:, 0], dec[:, 0]) if self.fmt in ("ulaw-rt", "gsm-rt") else 0
        codec["decodedLagSamples"] = lag
        assert lag == 0, (name, lag)
        return self.truth(name, stems, dec, codec, peak, noise_meas_kind)

    def speech_segments(self):
        segs = {}
        for p in ("agent", "customer"):
            runs = sorted([list(r) for r in self.runs[p]])
            # dropouts split runs
            for party, s, e in self.dropouts:
                if party != p:
                    continue
                new = []
                for a, b in runs:
                    if b <= s or a >= e:
                        new.append([a, b])
                    else:
                        if a < s:
                            new.append([a, s])
                        if b > e:
                            new.append([e, b])
                runs = new
            # hang-up / end of file
            end = min(self.hang.get(p, self.file_end), self.file_end)
            runs = [[a, min(b, end)] for a, b in runs if a < end]
            merged = []
            for a, b in runs:
                if merged and a - merged[-1][1] < 0.4 and not self._split_by_dropout(p, merged[-1][1], a):
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            segs[p] = merged
        return segs

    def _split_by_dropout(self, p, a, b):
        return any(party == p and abs(s - a) < 1e-9 and abs(e - b) < 1e-9 for party, s, e in self.dropouts)

    def truth(self, name, stems, dec, codec, peak, noise_kind):
        fs = self.fs
        L = len(dec)
        T = np.arange(L) / fs
        segs = self.speech_segments()
        # interruptions from the final segments
        inter = []
        for p in ("agent", "customer"):
            o = "customer" if p == "agent" else "agent"
            for a, b in segs[p]:
                for c, d in segs[o]:
                    if c + 0.3 <= a < d and min(b, d) - a > 0.5:
                        inter.append(dict(atSeconds=round(a, 6), by=p))
                        break
        inter.sort(key=lambda x: x["atSeconds"])
        # levels
        lv = {p: p56(stems[p], fs) for p in stems}
        both = p56(stems["agent"] + stems["customer"], fs)
        # noise measurement on the decoded file
        first_hang = min(self.hang.values())

        def mask_for(party):
            m = T >= self.pickup + 0.3
            m &= T < first_hang
            for s, e in self.ring_segments:
                m &= ~((T >= s) & (T < e))
            for h in self.holds:
                m &= ~((T >= h["start"] - 0.5) & (T < h["end"] + 1.0))
            parties = ["agent", "customer"] if party is None else [party]
            for q in parties:
                for a, b in segs[q]:
                    m &= ~((T >= a - 0.2) & (T < b + 0.2))
            for ev in self.events:
                if ev["kind"] == "dtmf":
                    m &= ~((T >= ev["startSeconds"] - 0.05) & (T < ev["endSeconds"] + 0.05))
                if ev["kind"] == "callWaitingTone":
                    for s, e in ev["bursts"]:
                        m &= ~((T >= s - 0.05) & (T < e + 0.05))
                if ev["kind"] == "dropout":
                    m &= ~((T >= ev["startSeconds"] - 0.05) & (T < ev["endSeconds"] + 0.05))
            return m

        measured = {}
        if self.layout == "mono":
            m = mask_for(None)
            nl = rms_db(dec[m, 0])
            measured = {"mix": round(nl, 2), "mix_seconds": round(m.sum() / fs, 1)}
            snr = {p: round(lv[p] - nl, 2) for p in lv}
            noise_snr = round(both - nl, 2)
            leg_snr = None
        else:
            ch = {"agent": 0 if self.agent_channel == "left" else 1}
            ch["customer"] = 1 - ch["agent"]
            snr = {}
            for p in ("agent", "customer"):
                m = mask_for(p)
                nl = rms_db(dec[m, ch[p]])
                measured[p] = round(nl, 2)
                measured[p + "_seconds"] = round(m.sum() / fs, 1)
                snr[p] = round(lv[p] - nl, 2)
            noise_snr = None
            leg_snr = {"agent": snr["agent"], "customer": snr["customer"]}
        kinds = [noise_kind["agent"], noise_kind["customer"]]
        if self.radio:
            kinds[1] = kinds[1] + "+radio"
        nkind = kinds[0] if kinds[0] == kinds[1] else "/".join(kinds)
        parties = {}
        for p in ("agent", "customer"):
            talk = round(sum(b - a for a, b in segs[p]), 2)
            chars = None if ("en" in self.lang[p] or self.chars[p] == 0) else self.chars[p]
            parties[p] = dict(talkSeconds=talk, activeLevelDbov=round(lv[p], 2), snrDb=snr[p], clipped=False,
                              speechRateCharsPerMinute=round(chars / talk * 60, 2) if chars else None,
                              characterCount=chars, pitchSpreadSemitones=None, humDbov=None)
        ends = {p: (segs[p][-1][1] if segs[p] else 0.0) for p in segs}
        last_party = max(ends, key=lambda p: ends[p])
        ending = dict(lastParty=last_party, tailSilenceSeconds=round(self.file_end - ends[last_party], 3),
                      afterCustomerSeconds=round(self.file_end - ends["customer"], 3), hangupSide=self.hang_side)
        segments = []
        for s, e in self.ring_segments:
            segments.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=round(s, 6), endSeconds=round(e, 6)))
        for p in ("agent", "customer"):
            for a, b in segs[p]:
                segments.append(dict(kind="speech", party=p, holdKind=None, startSeconds=round(a, 6), endSeconds=round(b, 6)))
        for h in self.holds:
            segments.append(dict(kind="hold", party=None, holdKind=h["holdKind"], startSeconds=h["start"], endSeconds=h["end"]))
        for a, b in self.dead:
            segments.append(dict(kind="deadAir", party=None, holdKind=None, startSeconds=round(a, 6), endSeconds=round(b, 6)))
        segments.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))
        answer = (dict(source="ringback", rings=len(self.ring_segments), answerSeconds=round(self.pickup, 6),
                       tonePlan=self.ring["plan"]) if self.ring else
                  dict(source=None, rings=None, answerSeconds=None, tonePlan=None))
        truth = {
            "file": name,
            "durationSeconds": L / fs,
            "sampleRateHz": fs,
            "channels": 1 if self.layout == "mono" else 2,
            "layout": self.layout,
            "agentChannel": None if self.layout == "mono" else self.agent_channel,
            "answer": answer,
            "parties": parties,
            "interruptions": inter,
            "ending": ending,
            "warnings": [],
            "noise": dict(kind=nkind, snrDb=noise_snr, legSnrDb=leg_snr, humDbov=None, gainDb=None),
            "segments": segments,
        }
        conv = dict(CONV9)
        conv["deadAir"] = DEAD_AIR_DEF if self.dead else CONV9["deadAir"]
        conv.update(CONV10_EXTRA)
        conv_changes = ["deadAir: " + ("set 7's dead-air definition (this call has dead air)" if self.dead else
                                       "unchanged"),
                        "events/ivr/dtmf/callWaiting/dropout/cutOff/radio: added in set 10 (the set 9 text is unchanged)"]
        gaps = self.gap_report(segs)
        meta = {
            "generator": GENERATOR,
            "seed": [SEED, self.n],
            "realAudio": "shared/realaudio (see its SOURCES.md and LICENSES/)",
            "conditions": self.title,
            "conditionTags": self.tags,
            "layout": self.layout,
            "layoutNote": "mono: agent leg + customer leg summed" if self.layout == "mono" else None,
            "agentChannel": None if self.layout == "mono" else self.agent_channel,
            "sampleRate": fs,
            "channelBand": band_text(self.chan_band),
            "direction": "inbound",
            "ringbackLeg": "agent" if self.ring else None,
            "ring": self.ring,
            "ivrMenu": self.ivr,
            "pickupSeconds": round(self.pickup, 6),
            "pickupNote": self.pickup_note,
            "voices": {p: [f"{v}: {VOICES[v][0]}" + (f", sox tempo -s {self.tempo[p]:g}" if self.tempo[p] != 1 else "")
                           for v in self.voices[p]] for p in ("agent", "customer")},
            "newVoices": {p: any(v in NEW_VOICES for v in self.voices[p]) for p in ("agent", "customer")},
            "tempo": self.tempo,
            "levels": {p: {"p56ActiveDbov": round(lv[p], 2), "targetDbov": self.targets[p]} for p in ("agent", "customer")},
            "noise": {"agent": {"kind": self.noise["agent"][0], "levelDbov": self.noise["agent"][1]},
                      "customer": {"kind": self.noise["customer"][0], "levelDbov": self.noise["customer"][1]},
                      "measuredDbov": measured},
            "effects": self.effects,
            "echo": [],
            "hum": None,
            "codec": codec,
            "peakBeforeCodec": round(peak, 3),
            "holds": self.holds,
            "deadAir": [[round(a, 3), round(b, 3)] for a, b in self.dead],
            "events": self.events,
            "interruptions": inter,
            "designedInterruptions": self.designed_interruptions,
            "overlaps": self.overlap_report(segs),
            "gaps": gaps,
            "ending": {"hangup": self.hang_side, "hangupSeconds": round(min(self.hang.values()), 6), "busyTone": None,
                       "cutOff": self.cut is not None,
                       "note": ("the customer's leg becomes exact zeros at hang-up; the recording stops "
                                f"{self.file_end - min(self.hang.values()):.2f} s later in the middle of the agent's word "
                                "(no fade, no busy tone)") if self.cut is not None else
                               "the hanging-up party's leg becomes exact zeros at hang-up; no busy tone"},
            "notes": self.notes,
            "deviations": self.deviations,
            "conventions": conv,
            "conventionChanges": conv_changes,
            "trimThresholdsDb": self.trim,
            "script": self.script,
        }
        return truth, meta

    def overlap_report(self, segs):
        out = []
        for a, b in segs["agent"]:
            for c, d in segs["customer"]:
                o = min(b, d) - max(a, c)
                if o > 0.05:
                    out.append(dict(startSeconds=round(max(a, c), 3), endSeconds=round(min(b, d), 3),
                                    seconds=round(o, 3)))
        return out

    def gap_report(self, segs):
        allsegs = sorted([s for p in segs for s in segs[p]])
        gaps = []
        end = None
        for a, b in allsegs:
            if end is not None and a - end > 0:
                gaps.append([round(end, 3), round(a, 3), round(a - end, 3)])
            end = b if end is None else max(end, b)
        longest_ordinary = 0.0
        for s, e, g in gaps:
            special = any(h["start"] - 2 <= s and e <= h["end"] + 2 for h in self.holds) or \
                any(abs(s - d[0]) < 0.01 for d in self.dead) or \
                any(ev["kind"] == "dtmf" and s <= ev["startSeconds"] and ev["endSeconds"] <= e for ev in self.events)
            if not special:
                longest_ordinary = max(longest_ordinary, g)
        assert longest_ordinary < 1.6, longest_ordinary
        return {"longestOrdinaryGapSeconds": round(longest_ordinary, 3),
                "note": "gaps between speech turns outside holds, DTMF entry and dead air"}


def band_text(spec):
    if spec is None:
        return None
    lo, hi, order = spec
    if lo and hi:
        return f"{lo:g}-{hi:g} Hz ({order}th-order Butterworth band-pass, forward and backward) on speech, prompts, music and line noise".replace("3th", "3rd")
    return f"low-pass {hi:g} Hz"


def codec_lag(ref, dec, maxlag=400):
    n = min(len(ref), len(dec), 200000)
    a, b = ref[:n], dec[:n]
    best, lag = -1e30, 0
    for k in range(-maxlag, maxlag + 1, 1):
        if k >= 0:
            v = float(np.dot(a[:n - k], b[k:]))
        else:
            v = float(np.dot(a[-k:], b[:n + k]))
        if v > best:
            best, lag = v, k
    return lag


def to_int16(x):
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


def write_audio(path, x, fs, fmt):
    """x: float frames x channels in [-1, 1). Returns the meta 'codec' entry."""
    if fmt == "pcm16":
        sf.write(path, to_int16(x), fs, subtype="PCM_16")
        return {"name": "pcm16"}
    if fmt == "pcm12":
        q = np.clip(np.round(x * 2048.0), -2048, 2047).astype(np.int32) * 16
        sf.write(path, q.astype(np.int16), fs, subtype="PCM_16")
        return {"name": "pcm12-in-16", "how": "every sample rounded to a 12-bit grid (multiples of 16 in 16-bit PCM, "
                                               "no dither), stored as 16-bit PCM WAV: 4 low bits are always zero"}
    if fmt == "flac24":
        q = np.clip(np.round(x * 8388608.0), -8388608, 8388607).astype(np.int32) * 256
        sf.write(path, q, fs, format="FLAC", subtype="PCM_24")
        return {"name": "flac24", "how": "file itself is FLAC, 24-bit (libsndfile), lossless"}
    if fmt in ("ulaw-rt", "gsm-rt"):
        a = tmpname()
        sf.write(a, to_int16(x), fs, subtype="PCM_16")
        if fmt == "ulaw-rt":
            b = tmpname()
            sh(["sox", "-D", a, "-e", "u-law", "-b", "8", b])
            how = "G.711 mu-law round trip: encoded with sox -e u-law, decoded back to 16-bit PCM WAV with sox"
            name = "ulaw-roundtrip"
        else:
            b = tmpname("gsm")
            sh(["sox", "-D", a, b])
            how = "GSM 06.10 full-rate round trip: encoded to raw .gsm with sox (libgsm), decoded back to 16-bit PCM WAV"
            name = "gsm-roundtrip"
        c = tmpname()
        sh(["sox", "-D", b, "-e", "signed-integer", "-b", "16", c])
        y, _ = sf.read(c, dtype="int16", always_2d=True)
        if len(y) < len(x):
            y = np.concatenate([y, np.zeros((len(x) - len(y), y.shape[1]), dtype=np.int16)])
        y = y[:len(x)]
        sf.write(path, y, fs, subtype="PCM_16")
        for f in (a, b, c):
            os.remove(f)
        return {"name": name, "how": how}
    raise ValueError(fmt)


# ----------------------------------------------------------------------------------------------
# the 14 calls


def dialogue(c, A, C, turns, gap=(0.25, 1.15)):
    """Alternate A/C turns; returns nothing. turns: string like 'ACACAC'."""
    for t in turns:
        if t == "A":
            c.say("agent", A.next(), gap=c.u(*gap))
        else:
            c.say("customer", C.next(), gap=c.u(*gap))


def call1():
    c = Call(1, 8000, "stereo", "left", (300, 3400, 3), "ulaw-rt", {"agent": -22.0, "customer": -24.0},
             {"agent": ("pink", -62.0), "customer": ("white", -56.0)},
             "A stereo 8 kHz call (mu-law round trip) with a Chinese ring-back in which the customer keys in an "
             "11-digit phone number and later a 6-digit code on the keypad (DTMF) when the agent asks for them.",
             ["8000 Hz", "stereo, agent LEFT", "G.711 mu-law round trip (16-bit PCM WAV)", "China ring-back x2, -20 dBov",
              "DTMF by the customer: 11 digits, then 6 digits", "customer hangs up"])
    A = Pool(c.rng, "A252")
    C = Pool(c.rng, "MS1", k=3)
    c.ringback("China", 2, level=-20.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CA")
    c.script[-1]["role"] = "asks for the phone number"
    phone = "1" + str(c.rng.integers(3, 10)) + "".join(str(d) for d in c.rng.integers(0, 10, 9))
    c.dtmf(phone, c.u(0.8, 1.2), "phone number")
    c.say("agent", A.next(), gap=c.u(0.6, 1.0))
    dialogue(c, A, C, "CACA")
    c.script[-1]["role"] = "asks for the verification code"
    code = "".join(str(d) for d in c.rng.integers(0, 10, 6))
    c.dtmf(code, c.u(0.8, 1.2), "verification code")
    c.say("agent", A.next(), gap=c.u(0.6, 1.0))
    dialogue(c, A, C, "CACAC")
    assert C.complete()
    c.hangup("customer")
    return c


def call2():
    c = Call(2, 8000, "mono", None, (300, 3400, 3), "gsm-rt", {"agent": -21.0, "customer": -23.0},
             {"agent": ("pink", -60.0), "customer": ("pink", -57.0)},
             "A mono 8 kHz call (GSM 06.10 round trip) that starts with a recorded IVR menu ('All of our representatives "
             "are currently busy' + 'Please continue to hold or dial zero to leave a message in our general mailbox') "
             "played on the agent leg, then a German (CEPT) ring-back, then the agent answers.",
             ["8000 Hz", "mono mix", "GSM 06.10 round trip (16-bit PCM WAV)",
              "IVR menu before the ring-back (2 real prompts, 7.8 s)", "Germany (CEPT) ring-back x2, -18 dBov",
              "customer hangs up"])
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "MS2", k=2)
    c.ivr_menu(["all-reps-busy.wav", "hold-or-dial-0.wav"])
    c.ringback("CEPT", 2, level=-18.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CACACACA")
    assert C.complete()
    c.hangup("customer")
    return c


def call3():
    c = Call(3, 16000, "stereo", "right", (50, 7000, 3), "pcm16", {"agent": -23.0, "customer": -25.0},
             {"agent": ("pink", -64.0), "customer": ("brown", -58.0)},
             "A wideband stereo 16 kHz call limited to a G.722-like 50-7000 Hz band, with a UK ring-back and 14 s of dead "
             "air in the middle: after the agent's turn nobody speaks and nothing is played (line noise only) until the "
             "agent speaks again.",
             ["16000 Hz", "stereo, agent RIGHT", "16-bit PCM WAV", "G.722-like wideband 50-7000 Hz",
              "UK ring-back x3, -19 dBov", "dead air 14 s", "customer hangs up"])
    A = Pool(c.rng, "A252")
    C = Pool(c.rng, "MTG", k=2)
    c.ringback("UK", 3, level=-19.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CACA")
    c.say("agent", A.next(), dead_air=14.0, role="after dead air")
    dialogue(c, A, C, "CACA")
    assert C.complete()
    c.hangup("customer")
    return c


def call4():
    c = Call(4, 16000, "mono", None, None, "pcm12", {"agent": -22.0, "customer": -24.0},
             {"agent": ("white", -63.0), "customer": ("pink", -60.0)},
             "A mono 16 kHz call quantised to 12-bit resolution (stored as 16-bit WAV), with a Japanese ring-back and 22 s "
             "of dead air after the customer's question (nobody speaks, no hold, line noise only).",
             ["16000 Hz", "mono mix", "12-bit resolution in 16-bit PCM WAV", "Japan ring-back x2, -21 dBov",
              "dead air 22 s", "agent hangs up"])
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "SXM", k=2)
    c.ringback("Japan", 2, level=-21.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CAC")
    c.say("agent", A.next(), dead_air=22.0, role="after dead air")
    dialogue(c, A, C, "CACA")
    assert C.complete()
    c.hangup("agent")
    return c


def call5():
    c = Call(5, 16000, "stereo", "left", None, "flac24", {"agent": -21.0, "customer": -24.0},
             {"agent": ("pink", -66.0), "customer": ("white", -58.0)},
             "A stereo 16 kHz FLAC 24-bit call with a French ring-back; while the agent talks, a call-waiting tone "
             "(440 Hz, 0.3 s every 10 s) is heard on the agent leg. Roles swapped: the agent is a spontaneous "
             "podcast voice, the customer reads.",
             ["16000 Hz", "stereo, agent LEFT", "FLAC 24-bit", "France ring-back x2, -22 dBov",
              "call-waiting tone on the agent leg: 440 Hz 0.3 s every 10 s, -22 dBov",
              "roles swapped: spontaneous agent, read-speech customer", "customer hangs up"])
    A = Pool(c.rng, "FR1", k=2)
    C = Pool(c.rng, "A150")
    c.ringback("France", 2, level=-22.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CACA")
    cw_start = c.cursor - 4.0
    dialogue(c, A, C, "CACACA")
    assert A.complete()
    count = min(6, int((c.cursor - 0.5 - cw_start) // 10.0) + 1)  # every burst before the last words
    c.hangup("customer")
    assert count >= 4
    c.call_waiting(cw_start, count)
    return c


def call6():
    c = Call(6, 8000, "stereo", "right", (300, 3400, 3), "pcm16", {"agent": -22.0, "customer": -23.0},
             {"agent": ("white", -61.0), "customer": ("pink", -55.0)},
             "A stereo 8 kHz call with no ring-back at all (the file starts at pickup) that ends abruptly: the customer "
             "hangs up in the middle of the agent's sentence and the recording stops mid-word.",
             ["8000 Hz", "stereo, agent RIGHT", "16-bit PCM WAV", "no ring-back (file starts at pickup)",
              "customer hangs up mid-sentence of the agent; recording cut off"])
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "FR2", k=2)
    c.no_ringback()
    c.say("agent", A.next(), gap=c.u(0.3, 0.5), role="greeting")
    dialogue(c, A, C, "CACACACA")
    assert C.complete()
    c.script[-1]["role"] = "cut off by the customer's hang-up"
    c.cut_off(before=0.4)
    c.deviations.append("the agent's last clip is cut off by the end of the recording; its characters are credited in "
                        "proportion to the voiced time played (conventions.cutOff), not once per complete pass")
    return c


def call7():
    c = Call(7, 8000, "stereo", "left", (300, 3400, 3), "pcm16", {"agent": -22.0, "customer": -23.0},
             {"agent": ("pink", -63.0), "customer": ("white", -57.0)},
             "A stereo 8 kHz call with a Chinese ring-back answered on the first ring, a 112 s music hold of classical "
             "celesta music (the second half of Dance of the Sugar Plum Fairy, looped), and a 0.5 s dropout (digital "
             "zero) inside the agent's speech after the hold.",
             ["8000 Hz", "stereo, agent LEFT", "16-bit PCM WAV", "China ring-back x1, -17 dBov",
              "music hold 112 s, classical (Sugar Plum Fairy 58-119 s, looped)",
              "0.5 s dropout (digital zero) inside the agent's speech", "customer hangs up"])
    A = Pool(c.rng, "A252")
    C = Pool(c.rng, "A150")
    c.ringback("China", 1, level=-17.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CAC")
    c.say("agent", A.next(), gap=c.u(0.3, 0.8), role="asks the customer to hold")
    c.hold(112.0, "sugar", [(58.0, 119.0), (58.0, 119.0)], gap=c.u(0.6, 1.0), level=-22.0)
    c.say("agent", A.next(), gap=c.u(0.6, 1.0), role="back from hold")
    c.dropout("agent", 0.45)
    dialogue(c, A, C, "CACAC")
    c.hangup("customer")
    c.notes.append("no unused piano or classical recording exists in the material (sets 7-9 used Sugar Plum 3-53 s, "
                   "20-60 s and 31-43 s, and the whole Hungarian Dance); this hold uses the Sugar Plum excerpt 58-119 s, "
                   "not used before, looped twice with a 50 ms cross-fade")
    return c


def call8():
    c = Call(8, 8000, "mono", None, (300, 3400, 3), "pcm16", {"agent": -22.0, "customer": -22.0},
             {"agent": ("pink", -60.0), "customer": ("pink", -58.0)},
             "A mono 8 kHz call with a North American ring-back and a music hold of 62 s, just over one minute "
             "(Brahms' Hungarian Dance No. 5, looped).",
             ["8000 Hz", "mono mix", "16-bit PCM WAV", "NorthAmerica ring-back x2, -19 dBov",
              "music hold 62 s (just over one minute)", "customer hangs up"])
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "SPK", k=2)
    c.ringback("NorthAmerica", 2, level=-19.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CA")
    c.hold(62.0, "hungarian", [(0.5, 41.5), (0.5, 41.5)], gap=c.u(0.6, 1.0), level=-23.0)
    c.say("agent", A.next(), gap=c.u(0.6, 1.0), role="back from hold")
    dialogue(c, A, C, "CACACA")
    assert C.complete()
    c.hangup("customer")
    return c


def call9():
    c = Call(9, 8000, "stereo", "right", (300, 3400, 3), "pcm16", {"agent": -40.0, "customer": -20.0},
             {"agent": ("pink", -74.0), "customer": ("white", -55.0)},
             "A stereo 8 kHz call with a German (CEPT) ring-back, legs 20 dB apart (quiet agent at -40 dBov, customer "
             "at -20 dBov) and a music hold of 58 s, just under one minute (Vibe Ace).",
             ["8000 Hz", "stereo, agent RIGHT", "16-bit PCM WAV", "Germany (CEPT) ring-back x3, -20 dBov",
              "legs 20 dB apart: agent -40 dBov, customer -20 dBov", "music hold 58 s (just under one minute)",
              "agent hangs up"])
    A = Pool(c.rng, "A252")
    C = Pool(c.rng, "MS1", k=3)
    c.ringback("CEPT", 3, level=-20.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CAC")
    c.say("agent", A.next(), gap=c.u(0.3, 0.8), role="asks the customer to hold")
    c.hold(58.0, "vibe", [(1.0, 59.5)], gap=c.u(0.6, 1.0), level=-22.0)
    c.say("agent", A.next(), gap=c.u(0.6, 1.0), role="back from hold")
    dialogue(c, A, C, "CA")
    assert C.complete()
    c.hangup("agent")
    return c


def call10():
    c = Call(10, 8000, "stereo", "left", (300, 3400, 3), "pcm16", {"agent": -22.0, "customer": -21.0},
             {"agent": ("white", -62.0), "customer": ("brown", -54.0)},
             "A stereo 8 kHz call with an Australian ring-back where the customer calls from a car with the radio on: a "
             "song with sung vocals plays 15 dB under the customer's voice on the customer leg for the whole call.",
             ["8000 Hz", "stereo, agent LEFT", "16-bit PCM WAV", "Australia ring-back x2, -21 dBov",
              "car radio (song with vocals) 15 dB under the customer on the customer leg", "customer hangs up"])
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "A252")
    c.radio_on_customer("fishin", 12.0, 15.0)
    c.ringback("Australia", 2, level=-21.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CACACACAC")
    c.hangup("customer")
    return c


def call11():
    c = Call(11, 44100, "stereo", "right", (60, 6000, 5), "pcm16", {"agent": -22.0, "customer": -23.0},
             {"agent": ("pink", -63.0), "customer": ("white", -58.0)},
             "A stereo 44.1 kHz file whose audio is limited to a 6 kHz band, with a UK ring-back, in which the customer "
             "speaks English (a real US sales-call customer) and the agent answers in Mandarin.",
             ["44100 Hz", "stereo, agent RIGHT", "16-bit PCM WAV", "6 kHz bandwidth (60-6000 Hz) at 44.1 kHz",
              "UK ring-back x2, -20 dBov", "English-speaking customer, Mandarin agent", "customer hangs up"])
    A = Pool(c.rng, "A252")
    C = Pool(c.rng, "AZC", k=3, s0=100.2, s1=113.0)
    c.ringback("UK", 2, level=-20.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CACACA")
    assert C.complete()
    c.hangup("customer")
    c.notes.append("the customer's English comes from an 8 kHz telephone recording (no energy above about 4 kHz), the "
                   "agent's Mandarin from 16 kHz microphone speech; both are then limited to 60-6000 Hz")
    return c


def call12():
    c = Call(12, 16000, "stereo", "left", None, "pcm16", {"agent": -21.0, "customer": -22.0},
             {"agent": ("pink", -63.0), "customer": ("pink", -56.0)},
             "A stereo 16 kHz call with an Indian ring-back that turns into an argument: twice both parties talk over "
             "each other for 2-4 s (first the customer cuts in while the agent is still talking, later the agent cuts in "
             "on the customer).",
             ["16000 Hz", "stereo, agent LEFT", "16-bit PCM WAV", "India ring-back x3, -20 dBov",
              "argument: two overlaps of 2-4 s (customer over agent, agent over customer)", "customer hangs up"])
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "SXM", k=2)
    c.ringback("India", 3, level=-20.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CA")
    c.say("customer", C.next(), overlap=2.8, role="cuts in on the agent")
    c.say("agent", A.next(), gap=c.u(0.3, 0.7))
    c.say("customer", C.next(), gap=c.u(0.3, 0.7))
    c.say("agent", A.next(), overlap=3.3, role="cuts in on the customer")
    dialogue(c, A, C, "CA")
    assert C.complete()
    c.hangup("customer")
    return c


def call13():
    c = Call(13, 16000, "mono", None, None, "pcm16", {"agent": -22.0, "customer": -24.0},
             {"agent": ("pink", -62.0), "customer": ("pink", -60.0)},
             "A very short mono 16 kHz call (under 20 s) with a Japanese ring-back answered on the first ring: the "
             "agent's greeting, one short request from the customer, the agent's answer and goodbye.",
             ["16000 Hz", "mono mix", "16-bit PCM WAV", "Japan ring-back x1, -20 dBov", "very short call (< 20 s)",
              "customer hangs up"])
    rel = AISHELL + "BAC009S0252W0229.wav"
    pcs = pieces_of(rel, 2)
    items = [dict(rel=rel, s0=a, s1=b, piece=(i + 1, 2), voice="A252") for i, (a, b) in enumerate(pcs)]
    C = Pool(c.rng, "IT11", k=1)
    c.ringback("Japan", 1, level=-20.0)
    c.say("agent", items[0], gap=c.u(0.3, 0.5), role="greeting")
    c.say("customer", C.next(), gap=c.u(0.4, 0.7), role="question")
    c.say("agent", items[1], gap=c.u(0.4, 0.7), role="answer and goodbye")
    c.hangup("customer", delay=(0.6, 0.9), tail=(1.0, 1.4))
    assert c.file_end < 20.0
    return c


def call14():
    c = Call(14, 8000, "mono", None, (300, 3400, 3), "pcm16", {"agent": -22.0, "customer": -24.0},
             {"agent": ("pink", -61.0), "customer": ("white", -57.0)},
             "A mono 8 kHz call with three North American rings before the answer and a very fast agent (every agent "
             "clip sped up with sox tempo -s 1.35).",
             ["8000 Hz", "mono mix", "16-bit PCM WAV", "NorthAmerica ring-back x3, -18 dBov",
              "fast agent: sox tempo -s 1.35", "customer hangs up"])
    c.tempo["agent"] = 1.35
    A = Pool(c.rng, "A150")
    C = Pool(c.rng, "SXF", k=3)
    c.ringback("NorthAmerica", 3, level=-18.0)
    c.say("agent", A.next(), gap=c.u(0.3, 0.6), role="greeting")
    dialogue(c, A, C, "CACACACACAC")
    assert C.complete()
    c.hangup("customer")
    return c


CALLS = [call1, call2, call3, call4, call5, call6, call7, call8, call9, call10, call11, call12, call13, call14]
EXT = {"flac24": "flac"}


def main():
    global RA, TMP, TRANSCRIPTS
    RA = find_realaudio()
    TRANSCRIPTS = json.load(open(os.path.join(RA, "transcripts.json")))
    for tool in ("sox",):
        if shutil.which(tool) is None:
            sys.exit(f"make_independent_calls_set10: {tool} is needed")
    TMP = tempfile.mkdtemp(prefix="indep10-")
    try:
        if os.path.isdir(OUT):
            shutil.rmtree(OUT)
        os.makedirs(os.path.join(OUT, "truth"))
        os.makedirs(os.path.join(OUT, "meta"))
        for i, fn in enumerate(CALLS):
            c = fn()
            stem = f"{DATE}-{TIMES[i]}_agent-{9801 + i % 7}_call-{980001 + i}"
            name = stem + "." + EXT.get(c.fmt, "wav")
            truth, meta = c.finish(name)
            with open(os.path.join(OUT, "truth", stem + ".json"), "w") as f:
                json.dump(truth, f, ensure_ascii=False, indent=1)
            with open(os.path.join(OUT, "meta", stem + ".meta.json"), "w") as f:
                json.dump(meta, f, ensure_ascii=False, indent=1)
            print(f"{name}: {truth['durationSeconds']:.1f} s, {c.title[:90]}...")
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
