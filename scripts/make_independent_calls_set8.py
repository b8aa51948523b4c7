#!/usr/bin/env python3
"""Independent held-out evaluation set 8: 14 synthetic call-centre recordings built from real
Mandarin voices, written to .build-indep8/ (audio + truth/*.json + meta/*.json).

What the set contains (one line per call; details in each meta file's "conditions"):
  960001 stereo agent LEFT, 8 kHz mu-law: China x3, a 292 s music hold (folk song looped) with an
         announcement every ~30 s, the music ducked -12 dB under each announcement (not stopped)
  960002 stereo agent RIGHT, 16 kHz FLAC: no ringback, announcement-only hold over comfort noise
         (a prompt every 20 s), agent hangs up 1 s after the customer's last words; agent is a
         spontaneous livestream voice, customer AISHELL read speech (roles swapped)
  960003 stereo agent LEFT, 8 kHz PCM: one ring, announcement-only hold over digital silence,
         busy tone after the customer hangs up
  960004 stereo agent LEFT, 22.05 kHz 24-bit WAV: China x4, two holds (20 s solo trumpet loop,
         70 s string orchestra), intermittent crackle (random clicks) on the customer leg
  960005 stereo agent RIGHT, 8 kHz PCM: North-American ringback x2, transfer: agent A, 15 s hold
         music, agent B (another voice) on the same agent leg
  960006 stereo agent LEFT, 16 kHz Opus round trip: customer on a speakerphone (sox reverb),
         quiet hold (-38 dBov ambient MoH), 10 s of silence after both said goodbye
  960007 stereo agent RIGHT, 8 kHz AMR-NB round trip: English TV/radio talk 20 dB under the
         customer, loud hold (-12 dBov jazz)
  960008 mono 8 kHz: parties 12 dB apart (customer loud, agent quiet)
  960009 mono 8 kHz mu-law: CEPT x3, the customer speaks first ("喂，喂") before the greeting
  960010 stereo agent LEFT, 8 kHz A-law: CRBT (12 s of music instead of ring tones), loud agent
         with hard clipping
  960011 mono MP3 16 kbit/s 16 kHz: China x3, beep (tone) hold
  960012 mono 16 kHz FLAC: China x6, hold with a synthetic square-wave melody
  960013 stereo agent RIGHT, 8 kHz PCM: UK double ring x3, DC offset on the customer leg, dense
         talk with three interruptions
  960014 stereo agent LEFT, 16 kHz PCM: Japan ringback x2, muted-line hold (digital zero)

How to run:
    python3 scripts/make_independent_calls_set8.py            # writes .build-indep8/
    CALLQA_REALAUDIO=/path/to/realaudio python3 scripts/make_independent_calls_set8.py
Real audio is read from $CALLQA_REALAUDIO or ../shared/realaudio relative to the repository;
the script stops with a message when it is absent. Needs numpy, scipy, soundfile and sox (with
AMR-NB and MP3 support). Deterministic: every random choice comes from numpy generators seeded
with (20261209, call number); sox is always run with -D (no dither).
Score it with:  python3 scripts/evaluate.py --callqa .build/release/callqa .build-indep8

This generator was written without reading the analyser's sources, models, tests, docs or the
other sets' generator scripts; only scripts/evaluate.py and the truth/meta JSON of
.build-indep7 (for the file format), plus the truth files' vocabulary for CRBT and
announcement-only holds of earlier sets, were looked at.

Truth conventions (also written into every meta file):
  * speech segments = each placed clip's voiced runs (10 ms frames of the 100-3800 Hz band above
    the clip's own threshold max(99th pct - 32 dB, 3rd pct + 9 dB), fragments < 0.12 s apart
    joined, blips < 60 ms and isolated runs < 0.15 s dropped); the clip is zeroed outside its
    runs (+20 ms, 10 ms ramps); runs of one party < 0.4 s apart are merged;
  * holds are on the agent leg; prompts inside a hold are hold, not speech; a music hold spans the
    first to the last music sample; an announcement-only hold is written as ONE hold of kind
    "music" from the first prompt's voiced start to the last prompt's voiced end (as earlier sets
    do; there is no announcement kind); a tone hold spans first beep start to last beep end;
    a muted hold spans the agent leg's digital-zero stretch;
  * an interruption = a party's segment that starts inside the other party's segment (>= 0.3 s
    after it began) with the two overlapping > 0.5 s; it is computed from the final segments;
    backchannels (one syllable, <= 0.45 s voiced) are speech but never interruptions;
  * characters: only clips with human transcripts (AISHELL, FireRedTTS2, SoulX-Podcast,
    MOSS-TTSD prompts); a clip cut into pieces is credited once per complete pass over its
    pieces and every pass is completed inside the call; one-syllable cuts count 1 character.
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
import scipy.fft
import scipy.signal as ss
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(REPO, ".build-indep8")
DATE = "20261209"
GEN = "scripts/make_independent_calls_set8.py"

REAL = os.environ.get("CALLQA_REALAUDIO") or os.path.normpath(os.path.join(REPO, "..", "shared", "realaudio"))
if not os.path.isfile(os.path.join(REAL, "transcripts.json")):
    sys.exit(f"make_independent_calls_set8: real audio not found at {REAL} (expected transcripts.json there). "
             "Set CALLQA_REALAUDIO to the realaudio folder (shared/realaudio).")
if shutil.which("sox") is None:
    sys.exit("make_independent_calls_set8: sox is required")

TRANSCRIPTS = json.load(open(os.path.join(REAL, "transcripts.json"), encoding="utf-8"))
TMP = tempfile.mkdtemp(prefix="indep8_")
HOP = 0.01


def cjk(text):
    return len(re.findall(r"[\u4e00-\u9fff]", text or ""))


def sox(*args):
    subprocess.run(["sox", "-D"] + [str(a) for a in args], check=True, capture_output=True)


def db(x):
    return 10 * math.log10(max(x, 1e-20))


def rms_db(x):
    return db(float(np.mean(np.square(x)))) if len(x) else -200.0


# ----------------------------------------------------------------------------- audio helpers
_load_cache = {}


def load(rel, sr):
    key = (rel, sr)
    if key not in _load_cache:
        x, r = sf.read(os.path.join(REAL, rel), always_2d=True, dtype="float64")
        x = x.mean(axis=1)
        if r != sr:
            g = math.gcd(int(r), int(sr))
            x = ss.resample_poly(x, sr // g, int(r) // g)
        _load_cache[key] = x
    return _load_cache[key].copy()


def band(x, sr, lo, hi, order=3):
    hi = min(hi, 0.47 * sr)
    sos = ss.butter(order, [lo, hi], btype="band", fs=sr, output="sos")
    return ss.sosfiltfilt(sos, x)


def p56(x, sr):
    """ITU-T P.56 method B active speech level in dBov (full scale 1.0; a full-scale sine is -3 dBov)."""
    x = np.asarray(x, dtype=np.float64)
    s = float(np.sum(x * x))
    if s <= 0:
        return None
    g = math.exp(-1.0 / (0.03 * sr))
    p = ss.lfilter([1 - g], [1, -g], np.abs(x))
    q = ss.lfilter([1 - g], [1, -g], p)
    hang = int(round(0.2 * sr))
    M = 15.9
    A, C = [], []
    for j in range(16):
        c = 2.0 ** (j - 15)
        m = (q >= c).astype(np.int64)
        cs = np.concatenate([[0], np.cumsum(m)])
        n = np.arange(len(m))
        lo = np.maximum(n - hang, 0)
        act = (cs[n + 1] - cs[lo]) > 0
        a = int(act.sum())
        if a == 0:
            break
        A.append(db(s / a))
        C.append(20 * math.log10(c))
    d = [a - c for a, c in zip(A, C)]
    for j in range(1, len(d)):
        if d[j] <= M:
            if d[j - 1] == d[j]:
                return A[j]
            f = (d[j - 1] - M) / (d[j - 1] - d[j])
            return A[j - 1] + f * (A[j] - A[j - 1])
    return A[-1] if A else None


def colored(kind, n, rng):
    L = scipy.fft.next_fast_len(n + 1024, real=True)
    w = rng.standard_normal(L)
    if kind == "white":
        y = w
    else:
        F = scipy.fft.rfft(w)
        f = np.arange(len(F), dtype=np.float64)
        f[0] = 1.0
        F = F / (np.sqrt(f) if kind == "pink" else f)
        F[0] = 0
        y = scipy.fft.irfft(F, L)
    y = y[512:512 + n]
    return y / (np.sqrt(np.mean(y * y)) + 1e-20)


def ramp(x, sr, t=0.01):
    n = min(int(t * sr), len(x) // 2)
    if n > 0:
        r = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n))
        x[:n] *= r
        x[-n:] *= r[::-1]
    return x


def frames_db(x, sr):
    """Energy (dB) of the 100-3800 Hz band in frames of round(10 ms) samples, and the frame length in seconds."""
    y = band(x, sr, 100, 3800, order=4)
    h = int(round(sr * HOP))
    n = len(y) // h
    return 10 * np.log10(np.mean(y[:n * h].reshape(n, h) ** 2, axis=1) + 1e-14), h / sr


def voiced_runs(x, sr):
    """Voiced runs in seconds and the threshold used (dB)."""
    e, fr = frames_db(x, sr)
    thr = max(np.percentile(e, 99) - 32.0, np.percentile(e, 3) + 9.0)
    v = e > thr
    runs = []
    i, n = 0, len(v)
    while i < n:
        if v[i]:
            j = i
            while j < n and v[j]:
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
            joined.append(r)
    joined = [r for r in joined if r[1] - r[0] >= 6]
    keep = []
    for k, r in enumerate(joined):
        if r[1] - r[0] < 15:
            near = [o for o in joined if o is not r and (abs(o[0] - r[1]) < 30 or abs(r[0] - o[1]) < 30)]
            if not near:
                continue
        keep.append(r)
    return [(a * fr, b * fr) for a, b in keep], float(thr)


def keep_runs(x, sr, runs, margin=0.02):
    m = np.zeros(len(x))
    for a, b in runs:
        i0, i1 = max(0, int((a - margin) * sr)), min(len(x), int((b + margin) * sr))
        seg = np.ones(i1 - i0)
        m[i0:i1] = np.maximum(m[i0:i1], ramp(seg, sr, 0.01))
    return x * m


def merge(runs, gap):
    out = []
    for a, b in sorted(runs):
        if out and a - out[-1][1] < gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def reverb(x, sr, spec):
    i, o = os.path.join(TMP, "rv_in.wav"), os.path.join(TMP, "rv_out.wav")
    sf.write(i, x, sr, subtype="FLOAT")
    sox(i, "-e", "floating-point", "-b", "32", o, "reverb", *spec)
    y, _ = sf.read(o, dtype="float64")
    return y[:len(x)] if y.ndim == 1 else y.mean(axis=1)[:len(x)]


# ----------------------------------------------------------------------------- voices
AISHELL = "zh_speech/aishell_asr0009_sample/"
VOICES = {
    "A150": dict(desc="AISHELL read speech, speaker S0150 (higher voice)", kind="aishell", speaker="S0150"),
    "A252": dict(desc="AISHELL read speech, speaker S0252 (lower voice)", kind="aishell", speaker="S0252"),
    "FR1": dict(desc="FireRedTTS2 chat prompt S1: spontaneous podcast speech with repetitions", kind="spont",
                file="zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac"),
    "FR2": dict(desc="FireRedTTS2 chat prompt S2: spontaneous podcast speech, the other host", kind="spont",
                file="zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac"),
    "SXM": dict(desc="SoulX-Podcast male_mandarin: spontaneous podcast speech with fillers", kind="spont",
                file="zh_speech_more/soulxpodcast_male_mandarin.wav"),
    "SXF": dict(desc="SoulX-Podcast female_mandarin: spontaneous podcast speech", kind="spont",
                file="zh_speech_more/soulxpodcast_female_mandarin.wav"),
    "MO1": dict(desc="MOSS-TTSD zh_spk1_moon: livestream host, spontaneous", kind="spont",
                file="zh_speech_more/mossttsd_zh_spk1_moon.wav"),
    "MO2": dict(desc="MOSS-TTSD zh_spk2_moon: livestream host, spontaneous", kind="spont",
                file="zh_speech_more/mossttsd_zh_spk2_moon.wav"),
}
# One-syllable cuts (source seconds, text): a clear energy dip ends the syllable there.
BACKCHANNELS = {
    "A252": [(AISHELL + "BAC009S0252W0229.wav", 0.0, 0.86, "对"), (AISHELL + "BAC009S0252W0236.wav", 0.0, 0.81, "对")],
    "A150": [(AISHELL + "BAC009S0150W0473.wav", 0.0, 0.90, "成")],
    "FR1": [("zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", 0.0, 0.62, "啊")],
}
MUSIC = {
    "karissa": ("music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg", "Let's Go Fishin' (Karissa Hobbs, acoustic folk song, CC-BY)"),
    "hungarian": ("music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
                  "Hungarian Dance No. 5 (Brahms, US Army Strings, string orchestra, public domain)"),
    "sugar": ("music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
              "Dance of the Sugar Plum Fairy (Kevin MacLeod, electronic celesta arrangement, CC-BY)"),
    "vibe": ("music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg", "Vibe Ace (Kevin MacLeod, jazz vibraphone combo, CC-BY)"),
    "trumpet": ("music/librosa_sorohanro_-_solo-trumpet-06.ogg", "solo-trumpet-06 (Mihai Sorohan, blues trumpet loop 5.3 s, CC-BY)"),
    "friends": ("music/qMOH-friends_inline.flac", "qMOH friends_inline (QXIP, ambient MoH loop, CC-BY-ND 4.0: internal use only)"),
    "cable": ("music/qMOH-cable_company.flac", "qMOH cable_company (QXIP, corporate MoH loop, CC-BY-ND 4.0: internal use only)"),
}
PROMPTS = ["queue-periodic-announce", "queue-thankyou", "all-reps-busy", "hold-or-dial-0", "busy-pls-hold",
           "calls-waiting-for-rep", "please-hold-while-minion", "queue-callswaiting", "est-hold-time-is",
           "one-moment-please", "queue-holdtime"]

RING_PLANS = {
    "China": dict(freqs=[450.0], cycle=[(0.0, 1.0)], period=5.0, mod=None),
    "CEPT": dict(freqs=[425.0], cycle=[(0.0, 1.0)], period=5.0, mod=None),
    "NorthAmerica": dict(freqs=[440.0, 480.0], cycle=[(0.0, 2.0)], period=6.0, mod=None),
    "UK": dict(freqs=[400.0, 450.0], cycle=[(0.0, 0.4), (0.6, 1.0)], period=3.0, mod=None),
    "Japan": dict(freqs=[400.0], cycle=[(0.0, 1.0)], period=3.0, mod=16.0),
}


class Clip:
    """A processed speech clip at the call's rate, zeroed outside its voiced runs."""

    def __init__(self, name, src, text, chars, audio, runs, thr, gain, capped):
        self.name, self.src, self.text, self.chars = name, src, text, chars
        self.audio, self.runs, self.thr, self.gain, self.capped = audio, runs, thr, gain, capped


class Unit:
    """A logical clip: pieces (spans of one Clip) that are played in order, credited once when done."""

    def __init__(self, clip, pieces, label):
        self.clip, self.pieces, self.label = clip, pieces, label


# ----------------------------------------------------------------------------- call builder
class Call:
    def __init__(self, spec):
        self.spec = spec
        self.n = spec["n"]
        self.rng = np.random.default_rng([20261209, self.n])
        self.sr = spec["sr"]
        self.lo, self.hi = (300.0, 3400.0) if self.sr == 8000 else (60.0, 7000.0)
        self.events = []          # (stem, start_sample, array)
        self.runs = {"agent": [], "customer": []}
        self.script = []
        self.holds = []
        self.ring_bursts = []
        self.ring_meta = None
        self.answer = dict(source=None, rings=None, answerSeconds=None, tonePlan=None)
        self.pickup = 0.0
        self.overrides = {"agent": [], "customer": []}   # (start, end, mode) on the leg's noise
        self.party_end = {"agent": -10.0, "customer": -10.0}
        self.cursor = 0.0
        self.last_turn = None
        self.chars = {"agent": 0, "customer": 0}
        self.thresholds = {}
        self.conditions = list(spec.get("conditions", []))
        self.designed_ints = []
        self.hangup = None
        self.busy = None
        self.end_time = None
        self.clip_cache = {}
        self.levels = {"agent": spec["levels"][0], "customer": spec["levels"][1]}
        self.voice_of = {"agent": spec["agent"], "customer": spec["customer"]}
        self.voices_used = {"agent": [spec["agent"]], "customer": [spec["customer"]]}
        self.feed = {p: self.make_feeder(p, self.voice_of[p]) for p in ("agent", "customer")}
        self.bc_units = {p: self.make_backchannels(p, self.voice_of[p]) for p in ("agent", "customer")}
        self.bc_next = {"agent": 0, "customer": 0}

    # --------------------------------------------------------------- clips
    def clip(self, party, voice, src, cut=None, text=None, chars=None, name=None):
        key = (party, voice, src, cut)
        if key in self.clip_cache:
            return self.clip_cache[key]
        sr = self.sr
        x = load(src, sr)
        if cut:
            a, b = int(cut[0] * sr), int(cut[1] * sr)
            x = x[a:b].copy()
            n = int(0.015 * sr)
            x[-n:] *= np.linspace(1, 0, n)
        pad = np.zeros(int(0.3 * sr))
        x = np.concatenate([pad, x, pad, pad])
        fx = self.spec.get("effects", {}).get(party)
        if fx and fx.get("reverb"):
            x = reverb(x, sr, fx["reverb"])
        x = band(x, sr, self.lo if sr == 8000 else 70.0, self.hi)
        lvl = p56(x, sr)
        gain = self.levels[party] - lvl
        x = x * 10 ** (gain / 20)
        capped = False
        cap = self.spec.get("peak_cap", {}).get(party, 0.89)
        pk = float(np.max(np.abs(x)))
        if cap is not None and pk > cap:
            x *= cap / pk
            gain += 20 * math.log10(cap / pk)
            capped = True
        runs, thr = voiced_runs(x, sr)
        x = keep_runs(x, sr, runs)
        if text is None:
            t = TRANSCRIPTS[src]
            text = t["transcript"]
        if chars is None:
            chars = cjk(text)
        c = Clip(name or os.path.splitext(os.path.basename(src))[0], src, text, chars, x, runs, thr, gain, capped)
        self.thresholds[f"{src}{'@%.2f-%.2f' % cut if cut else ''} ({party})"] = round(thr, 1)
        self.clip_cache[key] = c
        return c

    def pieces_of(self, clip, min_len, min_gap):
        """Cut a clip at pauses >= min_gap into pieces of >= min_len s voiced span (list of run-index ranges)."""
        runs = clip.runs
        pieces, start = [], 0
        for i in range(1, len(runs)):
            gap = runs[i][0] - runs[i - 1][1]
            span = runs[i - 1][1] - runs[start][0]
            rest = runs[-1][1] - runs[i][0]
            if gap >= min_gap and span >= min_len and rest >= 1.2:
                pieces.append((start, i))
                start = i
        pieces.append((start, len(runs)))
        return pieces

    def make_feeder(self, party, voice):
        v = VOICES[voice]
        units = []
        if v["kind"] == "aishell":
            files = sorted(k for k in TRANSCRIPTS if k.startswith(AISHELL + "BAC009" + v["speaker"]))
            order = self.rng.permutation(len(files))
            for i in order:
                c = self.clip(party, voice, files[i])
                ps = [(0, len(c.runs))]
                if self.rng.random() < 0.35:
                    gaps = [(c.runs[k][0] - c.runs[k - 1][1], k) for k in range(1, len(c.runs))
                            if c.runs[k - 1][1] - c.runs[0][0] >= 1.5 and c.runs[-1][1] - c.runs[k][0] >= 1.5]
                    if gaps and max(gaps)[0] >= 0.25:
                        k = max(gaps)[1]
                        ps = [(0, k), (k, len(c.runs))]
                units.append(Unit(c, ps, c.name))
        else:
            c = self.clip(party, voice, v["file"], name=voice)
            units.append(Unit(c, self.pieces_of(c, 1.8, 0.15), voice))
        return Feeder(units, self.rng)

    def make_backchannels(self, party, voice):
        out = []
        for src, a, b, text in BACKCHANNELS.get(voice, []):
            c = self.clip(party, voice, src, cut=(a, b), text=text, chars=1,
                          name=os.path.splitext(os.path.basename(src))[0] + "_" + text)
            assert c.runs[-1][1] - c.runs[0][0] <= 0.46, (c.name, c.runs)
            out.append(c)
        return out

    # --------------------------------------------------------------- placing
    def add(self, stem, t, x):
        self.events.append((stem, int(round(t * self.sr)), x))

    def place(self, party, clip, r0, r1, voiced_start, role=None, unit=None, piece=None, interrupts=False,
              backchannel=False):
        """Place runs r0..r1-1 of clip so that the first voiced sample is at voiced_start (s)."""
        sr = self.sr
        a = clip.runs[r0][0] - 0.03
        b = clip.runs[r1 - 1][1] + 0.03
        ia, ib = max(0, int(round(a * sr))), min(len(clip.audio), int(round(b * sr)))
        s0 = int(round((voiced_start - (clip.runs[r0][0] - ia / sr)) * sr))
        self.events.append((party + "_speech", s0, clip.audio[ia:ib]))
        runs = [(s0 / sr + (ra - ia / sr), s0 / sr + (rb - ia / sr)) for ra, rb in clip.runs[r0:r1]]
        self.runs[party].extend(runs)
        self.party_end[party] = max(self.party_end[party], runs[-1][1])
        self.script.append(dict(party=party, voice=self.voice_of[party], clip=clip.src, logicalClip=unit.label if unit else clip.name,
                                piece=piece, pieceSourceSeconds=[round(max(0.0, a - 0.3), 3), round(b - 0.3, 3)],
                                role=role, interrupts=interrupts, backchannel=backchannel, text=clip.text,
                                clipChars=clip.chars, runsSeconds=[[round(x, 3), round(y, 3)] for x, y in runs],
                                gainDb=round(clip.gain, 2), peakCapped=clip.capped))
        return runs[0][0], runs[-1][1]

    def speech_end(self):
        return max(self.party_end.values())

    def turn(self, p, flush=False, gap=None, role=None, want_int=False):
        rng = self.rng
        f = self.feed[p]
        unit, i0, i1, label, done = f.take(flush)
        clip = unit.clip
        r0, r1 = unit.pieces[i0][0], unit.pieces[i1 - 1][1]
        vlen = clip.runs[r1 - 1][1] - clip.runs[r0][0]
        other = "customer" if p == "agent" else "agent"
        prev = self.last_turn
        did_int = False
        own = merge(clip.runs[r0:r1], 0.4)
        if want_int and prev and prev[0] == other and prev[2] - prev[1] >= 2.5 and own[0][1] - own[0][0] >= 1.6:
            start = max(prev[2] - rng.uniform(0.8, 1.3), prev[1] + 1.0)
            # the other party must be inside one of its merged segments there, with >= 0.4 s behind and >= 0.7 s ahead
            inside = any(a + 0.4 <= start <= b - 0.7 for a, b in merge(prev[3], 0.4))
            if inside and start >= self.party_end[p] + 1.0:
                did_int = True
        if not did_int:
            g = rng.uniform(*(gap or (0.25, 1.2)))
            start = max(self.speech_end(), self.cursor) + g
        vs, ve = self.place(p, clip, r0, r1, start, role=role, unit=unit, piece=label, interrupts=did_int)
        if did_int:
            self.designed_ints.append(dict(atSeconds=round(vs, 6), by=p))
        if done:
            self.chars[p] += clip.chars
        self.last_turn = (p, vs, ve, self.runs[p][-(r1 - r0):])
        return vs, ve, did_int

    def backchannel(self, p, vs, ve):
        """Party p says a one-syllable backchannel inside the other party's turn [vs, ve]."""
        units = self.bc_units[p]
        if not units or ve - vs < 4.5:
            return False
        lo = max(vs + 1.0, self.party_end[p] + 1.0)
        hi = ve - 2.5
        if hi <= lo:
            return False
        c = units[self.bc_next[p] % len(units)]
        self.bc_next[p] += 1
        t = self.rng.uniform(lo, hi)
        self.place(p, c, 0, len(c.runs), t, role="backchannel", piece="1/1", backchannel=True)
        self.chars[p] += c.chars
        return True

    def talk(self, first, n, last=None, ints=0, bcs=0, first_gap=None):
        rng = self.rng
        p = first
        k = 0
        slots = list(range(2, max(n, 3)))
        int_at = set(rng.choice(slots, size=min(ints, len(slots)), replace=False).tolist()) if ints else set()
        pending = 0
        bc_left = bcs
        while True:
            both = self.feed["agent"].at_boundary() and self.feed["customer"].at_boundary()
            if k >= n and both and (last is None or (self.last_turn and self.last_turn[0] == last)):
                break
            if k in int_at:
                pending += 1
            flush = k >= n
            role = "greeting" if (p == "agent" and self.last_turn is None) else None
            vs, ve, did = self.turn(p, flush=flush, gap=first_gap if k == 0 else None, role=role,
                                    want_int=pending > 0 and not flush)
            if did:
                pending -= 1
            other = "customer" if p == "agent" else "agent"
            if bc_left > 0 and rng.random() < 0.7 and self.backchannel(other, vs, ve):
                bc_left -= 1
            p = other
            k += 1
            if k > 80:
                raise RuntimeError("talk loop did not converge")
        self.cursor = self.speech_end()

    def say_special(self, party, clip, delay, role):
        t = self.cursor + delay
        vs, ve = self.place(party, clip, 0, len(clip.runs), t, role=role, piece="1/1")
        self.chars[party] += clip.chars
        self.last_turn = (party, vs, ve, self.runs[party][-len(clip.runs):])
        self.cursor = ve

    # --------------------------------------------------------------- tones
    def tone(self, freqs, dur, level, mod=None):
        sr = self.sr
        t = np.arange(int(round(dur * sr))) / sr
        x = sum(np.sin(2 * np.pi * f * t) for f in freqs)
        if mod:
            x = x * (0.5 + 0.5 * np.sin(2 * np.pi * mod * t))
        x = x / (np.sqrt(np.mean(x * x)) + 1e-20) * 10 ** (level / 20)
        return ramp(x, sr, 0.005)

    def ringback(self, plan, rings, level=-20.0, lead=None):
        rng = self.rng
        P = RING_PLANS[plan]
        t0 = lead if lead is not None else rng.uniform(0.6, 1.6)
        bursts = []
        for r in range(rings):
            for a, b in P["cycle"]:
                s, e = t0 + r * P["period"] + a, t0 + r * P["period"] + b
                si, ei = int(round(s * self.sr)), int(round(e * self.sr))
                self.add("agent_play", si / self.sr, self.tone(P["freqs"], (ei - si) / self.sr, level, P["mod"]))
                bursts.append((si / self.sr, ei / self.sr))
        off = P["period"] - P["cycle"][-1][1]
        pickup = bursts[-1][1] + rng.uniform(0.5, min(2.4, off - 0.4))
        self.pickup = round(pickup * self.sr) / self.sr
        self.ring_bursts = bursts
        self.answer = dict(source="ringback", rings=rings, answerSeconds=self.pickup, tonePlan=plan)
        self.ring_meta = dict(plan=plan, freqs=P["freqs"], cycle=[list(c) for c in P["cycle"]], periodSeconds=P["period"],
                              modulationHz=P["mod"], bursts=[[round(a, 6), round(b, 6)] for a, b in bursts], levelDbov=level)
        self.overrides["agent"].append((0.0, self.pickup, "floor"))
        self.cursor = self.pickup
        self.conditions.append(f"{plan} ringback x{rings}" + (" (answered on the first ring)" if rings == 1 else ""))

    def crbt(self, music, dur, offset, level=-20.0):
        sr = self.sr
        t0 = self.rng.uniform(0.5, 1.2)
        x = self.music_track(music, dur, offset, level)
        s0 = int(round(t0 * sr))
        x = x[:int(round(dur * sr))]
        n = int(0.03 * sr)
        x[-n:] *= np.linspace(1, 0, n)
        self.add("agent_play", s0 / sr, x)
        self.pickup = (s0 + len(x)) / sr
        self.ring_bursts = [(s0 / sr, self.pickup)]
        self.answer = dict(source="ringback", rings=None, answerSeconds=self.pickup, tonePlan="CRBT")
        self.ring_meta = dict(plan="CRBT", music=MUSIC[music][1], musicOffset=offset, levelDbov=level,
                              bursts=[[round(s0 / sr, 6), round(self.pickup, 6)]],
                              note="colour ring-back tone: music from the network until the agent answers; it stops at the answer")
        self.overrides["agent"].append((0.0, self.pickup, "floor"))
        self.cursor = self.pickup
        self.conditions.append(f"CRBT ring-back: {dur:.1f} s of {music} music instead of ring tones, cut at the answer")

    def no_ring(self):
        self.pickup = 0.0
        self.cursor = 0.0
        self.conditions.append("no ringback (recording starts at pickup)")

    # --------------------------------------------------------------- holds
    def music_track(self, name, dur, offset, level):
        """Music `name` from `offset` s, looped to `dur` s (20 ms crossfade at the loop point), RMS = level dBov."""
        sr = self.sr
        x = load(MUSIC[name][0], sr)
        x = x - np.mean(x)
        n = int(round(dur * sr)) + 1
        o = int(offset * sr) % len(x)
        parts, have = [x[o:]], len(x) - o
        while have < n:
            parts.append(x)
            have += len(x)
        xf = int(0.02 * sr)
        y = parts[0]
        for q in parts[1:]:
            fade = np.linspace(0, 1, xf)
            y = np.concatenate([y[:-xf], y[-xf:] * (1 - fade) + q[:xf] * fade, q[xf:]])
        y = band(y[:n], sr, self.lo if sr == 8000 else 60.0, self.hi)
        y = y / (np.sqrt(np.mean(y * y)) + 1e-20)
        gain = 10 ** (level / 20)
        for _ in range(4):
            z = y * gain
            if np.max(np.abs(z)) > 0.9:   # soft limiter for the loud hold (tanh knee above 0.6, ceiling 0.98)
                a = np.abs(z)
                k = a > 0.6
                a[k] = 0.6 + 0.38 * np.tanh((a[k] - 0.6) / 0.38)
                z = np.sign(z) * a
            gain *= 10 ** ((level - rms_db(z)) / 20)
        return ramp(z, sr, 0.02)

    def prompt(self, name, level):
        sr = self.sr
        x = load(f"ivr_prompts/{name}.wav", sr)
        x = band(x, sr, self.lo if sr == 8000 else 60.0, self.hi)
        x = x * 10 ** ((level - p56(x, sr)) / 20)
        runs, thr = voiced_runs(x, sr)
        a, b = int(max(0, runs[0][0] - 0.02) * sr), int(min(len(x) / sr, runs[-1][1] + 0.02) * sr)
        y = ramp(x[a:b].copy(), sr, 0.01)
        return y, runs[0][0] - a / sr, runs[-1][1] - a / sr

    def hold_start_time(self):
        return self.speech_end() + self.rng.uniform(0.6, 1.0)

    def hold_music(self, music, dur, level=-24.0, offset=0.0, announce_every=None, duck=None, prompt_level=-21.0):
        sr = self.sr
        t0 = self.hold_start_time()
        s0 = int(round(t0 * sr))
        x = self.music_track(music, dur, offset, level)
        measured = rms_db(x)
        n = len(x)
        prompts = []
        if announce_every:
            env = np.ones(n)
            t = announce_every
            k = 0
            while t + 8.0 < dur - 5.0:
                name = PROMPTS[k % len(PROMPTS)]
                y, va, vb = self.prompt(name, prompt_level)
                ps = int(round((t - va) * sr))
                self.add("agent_play", (s0 + ps) / sr, y)
                # duck: -12 dB from 0.25 s before the prompt's voice to 0.3 s after it, 0.15 s ramps
                da, de = int((t - 0.25) * sr), int((t - va + len(y) / sr + 0.3) * sr)
                r = int(0.15 * sr)
                g = 10 ** (duck / 20)
                env[da:de] = g
                env[da - r:da] = np.linspace(1, g, r)
                env[de:de + r] = np.linspace(g, 1, r)
                prompts.append([name, round(t0 + t, 3), round(t0 + t - va + vb, 3)])
                t += announce_every + self.rng.uniform(-2.0, 2.0)
                k += 1
            x = x * env
        self.add("agent_play", s0 / sr, x)
        end = (s0 + n) / sr
        self.overrides["agent"].append((t0, end, "floor"))
        self.holds.append(dict(kind="music", holdKind="music", music=MUSIC[music][1], musicOffset=offset,
                               levelDbov=level, measuredRmsDbov=round(measured, 2), prompts=prompts,
                               duckDb=duck if announce_every else None,
                               start=round(s0 / sr, 6), end=round(end, 6), dur=round(end - s0 / sr, 3),
                               agentLegFloor="pink -75 dBov"))
        self.conditions.append(f"music hold {dur:.0f} s ({music}, {level:.0f} dBov)" +
                               (f", announcement every ~{announce_every:.0f} s with the music ducked {duck:.0f} dB under it"
                                if announce_every else ""))
        self.cursor = end

    def hold_announce(self, every, count, floor, prompt_level=-20.0):
        """Announcement-only hold: prompts every `every` s, comfort noise or digital zero between."""
        sr = self.sr
        t_hold = self.hold_start_time()
        first = t_hold + self.rng.uniform(0.5, 0.8)
        prompts = []
        for k in range(count):
            name = PROMPTS[k % len(PROMPTS)]
            y, va, vb = self.prompt(name, prompt_level)
            ts = first + k * every
            self.add("agent_play", ts - va, y)
            i0 = int(round((ts - va) * sr))
            prompts.append([name, i0 / sr + va, i0 / sr + vb])
        start, end = prompts[0][1], prompts[-1][2]
        release = end + self.rng.uniform(0.6, 0.9)
        self.overrides["agent"].append((t_hold, release, floor))
        self.holds.append(dict(kind="announcements", holdKind="music", prompts=[[n, round(a, 3), round(b, 3)] for n, a, b in prompts],
                               promptEverySeconds=every, levelDbov=prompt_level,
                               agentLegBetweenPrompts="comfort noise white -70 dBov" if floor == "comfort" else "digital zero",
                               mutedFrom=round(t_hold, 3), mutedTo=round(release, 3),
                               start=round(start, 6), end=round(end, 6), dur=round(end - start, 3)))
        self.conditions.append(f"announcement-only hold: {count} prompts every {every:.0f} s over "
                               + ("comfort noise (-70 dBov)" if floor == "comfort" else "digital silence") + ", no music")
        self.cursor = release

    def hold_tone(self, dur, every=5.0, beep=0.5, freq=1000.0, level=-22.0):
        sr = self.sr
        t0 = self.hold_start_time()
        k, beeps = 0, []
        while k * every + beep <= dur:
            s = int(round((t0 + k * every) * sr))
            self.add("agent_play", s / sr, self.tone([freq], beep, level))
            beeps.append([s / sr, s / sr + int(round(beep * sr)) / sr])
            k += 1
        start, end = beeps[0][0], beeps[-1][1]
        self.overrides["agent"].append((t0, end + 0.3, "floor"))
        self.holds.append(dict(kind="tone", holdKind="tone", freqHz=freq, beepSeconds=beep, everySeconds=every, levelDbov=level,
                               beeps=len(beeps), start=round(start, 6), end=round(end, 6), dur=round(end - start, 3)))
        self.conditions.append(f"tone hold: {len(beeps)} beeps of {freq:.0f} Hz {beep} s every {every:.0f} s")
        self.cursor = end

    def hold_silence(self, dur):
        t0 = self.hold_start_time()
        s0 = round(t0 * self.sr) / self.sr
        end = s0 + round(dur * self.sr) / self.sr
        self.overrides["agent"].append((s0, end, "zero"))
        self.holds.append(dict(kind="silence", holdKind="silence", start=round(s0, 6), end=round(end, 6), dur=round(end - s0, 3),
                               agentLegFloor="digital zero"))
        self.conditions.append(f"muted-line hold {dur:.0f} s (agent leg digital zero)")
        self.cursor = end

    def hold_synth(self, dur, level=-24.0):
        """Hold music synthesised as a square-wave melody (cheap PBX style), seeded."""
        sr = self.sr
        rng = np.random.default_rng([20261209, self.n, 7])
        t0 = self.hold_start_time()
        scale = [0, 2, 4, 7, 9, 12, 14, 16]
        notes = [(261.63 * 2 ** (scale[rng.integers(len(scale))] / 12), rng.choice([0.25, 0.25, 0.5])) for _ in range(24)]
        bar = []
        for f, d in notes:
            t = np.arange(int(d * sr)) / sr
            w = np.sign(np.sin(2 * np.pi * f * t)) * np.exp(-t * 2.0)
            bar.append(ramp(w, sr, 0.004))
        bar = np.concatenate(bar)
        x = np.tile(bar, int(dur * sr / len(bar)) + 2)[:int(round(dur * sr))]
        x = band(x, sr, self.lo if sr == 8000 else 60.0, self.hi)
        x = ramp(x / np.sqrt(np.mean(x * x)) * 10 ** (level / 20), sr, 0.02)
        s0 = int(round(t0 * sr))
        self.add("agent_play", s0 / sr, x)
        end = (s0 + len(x)) / sr
        self.overrides["agent"].append((t0, end, "floor"))
        self.holds.append(dict(kind="music", holdKind="music", music="synthetic square-wave melody (seeded, 8.5 s bar looped)",
                               levelDbov=level, prompts=[], start=round(s0 / sr, 6), end=round(end, 6), dur=round(end - s0 / sr, 3),
                               agentLegFloor="pink -75 dBov"))
        self.conditions.append(f"music hold {dur:.0f} s (synthetic square-wave melody, {level:.0f} dBov)")
        self.cursor = end

    def transfer_to(self, voice):
        assert self.feed["agent"].at_boundary()
        self.voice_of["agent"] = voice
        self.voices_used["agent"].append(voice)
        self.feed["agent"] = self.make_feeder("agent", voice)
        self.bc_units["agent"] = self.make_backchannels("agent", voice)
        self.last_turn = None
        self.conditions.append(f"transfer: agent B ({voice}) continues on the same agent leg after the hold")

    # --------------------------------------------------------------- ending
    def end(self, kind):
        rng = self.rng
        sr = self.sr
        last = self.speech_end()
        if kind == "customer":
            h = last + rng.uniform(1.5, 3.0)
            self.hangup = ("customer", h)
            self.end_time = h + rng.uniform(0.8, 2.0)
            self.conditions.append("customer hangs up")
        elif kind == "agent":
            h = last + rng.uniform(1.5, 3.0)
            self.hangup = ("agent", h)
            self.end_time = h + rng.uniform(0.8, 2.0)
            self.conditions.append("agent hangs up")
        elif kind == "agent_1s":
            assert self.party_end["customer"] == last
            self.hangup = ("agent", last + 0.6)
            self.end_time = last + 1.0
            self.conditions.append("agent hangs up: the customer's last words end 1.0 s before the end of the file")
        elif kind == "silence10":
            self.hangup = ("customer", last + 10.0)
            self.end_time = last + 10.4
            self.conditions.append("10 s of silence (line noise only) after both said goodbye, then the customer hangs up")
        elif kind == "busy":
            h = last + rng.uniform(1.0, 2.0)
            self.hangup = ("customer", h)
            bs = h + 0.3
            cyc = []
            for k in range(6):
                s = int(round((bs + 0.7 * k) * sr))
                self.add("customer_play", s / sr, self.tone([450.0], 0.35, -20.0))
                cyc.append(s)
            be = (cyc[-1] + int(round(0.35 * sr))) / sr
            self.busy = dict(plan="China 450 Hz 0.35 s on / 0.35 s off", startSeconds=round(cyc[0] / sr, 6),
                             endSeconds=round(be, 6), leg="customer")
            self.end_time = be
            self.conditions.append("China busy tone on the customer leg after the customer hangs up")
        self.hangup = (self.hangup[0], round(self.hangup[1] * sr) / sr)
        self.end_time = round(self.end_time * sr) / sr

    # --------------------------------------------------------------- render
    def render(self):
        sr = self.sr
        N = int(round(self.end_time * sr))
        rng = np.random.default_rng([20261209, self.n, 99])
        stems = {k: np.zeros(N) for k in ("agent_speech", "customer_speech", "agent_play", "customer_play")}
        for stem, s, x in self.events:
            if s >= N:
                continue
            x = x[:N - s]
            if s < 0:
                x, s = x[-s:], 0
            stems[stem][s:s + len(x)] += x
        legs_noise = {}
        for p, (kind, lvl) in zip(("agent", "customer"), self.spec["noise"]):
            base = band(colored(kind, N, rng), sr, self.lo if sr == 8000 else 40.0, self.hi)
            base = base / np.sqrt(np.mean(base ** 2)) * 10 ** (lvl / 20)
            floor = band(colored("pink", N, rng), sr, self.lo if sr == 8000 else 40.0, self.hi)
            floor = floor / np.sqrt(np.mean(floor ** 2)) * 10 ** (-75 / 20)
            comfort = band(colored("white", N, rng), sr, self.lo if sr == 8000 else 40.0, self.hi)
            comfort = comfort / np.sqrt(np.mean(comfort ** 2)) * 10 ** (-70 / 20)
            y = base.copy()
            for a, b, mode in self.overrides[p]:
                i0, i1 = int(round(a * sr)), min(N, int(round(b * sr)))
                y[i0:i1] = {"floor": floor, "comfort": comfort, "zero": np.zeros(N)}[mode][i0:i1]
            legs_noise[p] = y
        extra = {"agent": np.zeros(N), "customer": np.zeros(N)}      # counted as noise (background talk)
        artefact = {"agent": np.zeros(N), "customer": np.zeros(N)}   # not counted as noise (clicks, DC)
        meta_extra = {}
        bg = self.spec.get("background")
        if bg:
            p = bg["leg"]
            parts = [load(f, sr) for f in bg["files"]]
            x = np.concatenate([np.concatenate([q, np.zeros(int(0.8 * sr))]) for q in parts])
            x = band(x, sr, self.lo if sr == 8000 else 60.0, self.hi)
            x = x * 10 ** ((self.levels[p] + bg["relDb"] - p56(x, sr)) / 20)
            reps = int(N / len(x)) + 2
            x = np.tile(x, reps)
            off = int(rng.uniform(0, len(x) / reps))
            x = x[off:off + N].copy()
            i0 = int(round(self.pickup * sr))
            x[:i0] = 0
            extra[p] += ramp(x, sr, 0.05) if i0 == 0 else x
            meta_extra["background"] = dict(leg=p, files=bg["files"], relativeToPartyDb=bg["relDb"],
                                            note="English TV/radio-like talk looped behind the customer from pickup to hang-up; it is noise, not speech of a party")
        ck = self.spec.get("crackle")
        if ck:
            p = ck["leg"]
            t = self.pickup + rng.uniform(5, 15)
            spans = []
            while t < self.end_time - 8:
                d = rng.uniform(2.0, 6.0)
                spans.append([round(t, 3), round(t + d, 3)])
                nclick = rng.poisson(ck["rate"] * d)
                for _ in range(nclick):
                    c = int((t + rng.uniform(0, d)) * sr)
                    amp = 10 ** (rng.uniform(-32, -12) / 20) * rng.choice([-1, 1])
                    L = int(0.002 * sr) + 2
                    shape = np.exp(-np.arange(L) / (0.0004 * sr)) * np.cos(np.arange(L) * rng.uniform(0.5, 2.5))
                    artefact[p][c:c + L] += amp * shape[:max(0, min(L, N - c))]
                t += d + rng.uniform(12, 30)
            meta_extra["crackle"] = dict(leg=p, spans=spans, clicksPerSecond=ck["rate"],
                                         note="bursts of random clicks (2-6 s, every 12-30 s), click peak -32..-12 dBFS; not speech")
        dc = self.spec.get("dc")
        if dc:
            artefact[dc["leg"]] += dc["value"]
            meta_extra["dcOffset"] = dict(leg=dc["leg"], value=dc["value"], dbfs=round(20 * math.log10(abs(dc["value"])), 1),
                                          note="constant offset over the whole leg (recorder front end)")
        # clipping of a loud party
        clipped = {"agent": False, "customer": False}
        for p, c in self.spec.get("clip", {}).items():
            x = stems[p + "_speech"]
            nclip = int(np.sum(np.abs(x) > c))
            stems[p + "_speech"] = np.clip(x, -c, c)
            clipped[p] = nclip > 0
            meta_extra["clipping"] = dict(party=p, clipAt=c, clippedSamples=nclip)
        # hang-up: the hanging-up party's leg becomes exact zeros (then the busy tone, if any)
        hp, ht = self.hangup
        hi = int(round(ht * sr))
        for arr in (legs_noise[hp], extra[hp], artefact[hp], stems[hp + "_speech"], stems[hp + "_play"] if hp == "agent" else None):
            if arr is not None:
                arr[hi:] = 0
        leg = {p: stems[p + "_speech"] + stems[p + "_play"] + legs_noise[p] + extra[p] + artefact[p] for p in ("agent", "customer")}
        self.stems, self.legs_noise, self.extra, self.leg = stems, legs_noise, extra, leg
        self.clipped = clipped
        self.meta_extra = meta_extra
        if self.spec["layout"] == "mono":
            y = (leg["agent"] + leg["customer"])[:, None]
        else:
            a, c = leg["agent"], leg["customer"]
            y = np.stack([a, c] if self.spec["agentChannel"] == "left" else [c, a], axis=1)
        self.peak = float(np.max(np.abs(y)))
        assert self.peak < 1.0 or self.spec.get("clip"), (self.n, self.peak)
        return np.clip(y, -1, 1)

    # --------------------------------------------------------------- write
    def write(self, y):
        sr = self.sr
        fmt = self.spec["format"]
        base = f"{DATE}-{self.spec['time']}_agent-{self.spec['agentId']}_call-{960000 + self.n:06d}"
        tmp = os.path.join(TMP, base + ".f32.wav")
        sf.write(tmp, y, sr, subtype="FLOAT")
        codec = {}
        if fmt in ("pcm16", "pcm24", "ulaw", "alaw", "flac"):
            ext = ".flac" if fmt == "flac" else ".wav"
            out = os.path.join(OUT, base + ext)
            args = {"pcm16": ["-e", "signed-integer", "-b", "16"], "pcm24": ["-e", "signed-integer", "-b", "24"],
                    "ulaw": ["-e", "u-law", "-b", "8"], "alaw": ["-e", "a-law", "-b", "8"], "flac": ["-b", "16"]}[fmt]
            sox(tmp, *args, out)
            codec = {"pcm16": dict(name="pcm16"), "pcm24": dict(name="pcm24", how="24-bit PCM WAV"),
                     "ulaw": dict(name="ulaw", how="file itself is G.711 mu-law WAV (sox -e u-law)"),
                     "alaw": dict(name="alaw", how="file itself is G.711 A-law WAV (sox -e a-law)"),
                     "flac": dict(name="flac", how="16-bit FLAC")}[fmt]
        elif fmt == "opus":
            out = os.path.join(OUT, base + ".wav")
            chans, kbps = [], []
            for ch in range(y.shape[1]):
                o = os.path.join(TMP, f"{base}_{ch}.opus")
                sf.write(o, y[:, ch], sr, format="OGG", subtype="OPUS", compression_level=0.97)
                kbps.append(os.path.getsize(o) * 8 / (len(y) / sr) / 1000)
                d, _ = sf.read(o, dtype="float64")
                lag = align_lag(y[:, ch], d)
                assert lag == 0, lag
                chans.append(d[:len(y)])
            z = np.stack(chans, axis=1)
            t2 = os.path.join(TMP, base + ".dec.wav")
            sf.write(t2, np.clip(z, -1, 1), sr, subtype="FLOAT")
            sox(t2, "-e", "signed-integer", "-b", "16", out)
            codec = dict(name="opus-roundtrip", how="each leg encoded to Ogg Opus by libsndfile (compression level 0.97) and decoded; stored as 16-bit PCM WAV",
                         kbpsPerLeg=[round(k, 1) for k in kbps], alignment="decoder applies the pre-skip: measured lag 0 samples")
        elif fmt == "amrnb":
            out = os.path.join(OUT, base + ".wav")
            chans, lags = [], []
            for ch in range(y.shape[1]):
                i = os.path.join(TMP, f"{base}_{ch}.wav")
                sf.write(i, np.concatenate([y[:, ch], np.zeros(int(0.1 * sr))]), sr, subtype="PCM_16")
                a = os.path.join(TMP, f"{base}_{ch}.amr-nb")
                sox(i, "-C", "5", a)
                d = os.path.join(TMP, f"{base}_{ch}.dec.wav")
                sox(a, "-e", "signed-integer", "-b", "16", d)
                z, _ = sf.read(d, dtype="float64")
                lag = align_lag(y[:, ch], z)
                lags.append(lag)
                chans.append(z[lag:lag + len(y)])
            z = np.stack(chans, axis=1)
            t2 = os.path.join(TMP, base + ".dec.wav")
            sf.write(t2, np.clip(z, -1, 1), sr, subtype="FLOAT")
            sox(t2, "-e", "signed-integer", "-b", "16", out)
            codec = dict(name="amr-nb-roundtrip", how="each leg encoded with sox AMR-NB mode 5 (7.95 kbit/s) and decoded; stored as 16-bit PCM WAV",
                         alignment=f"decoder delay measured by cross-correlation ({lags} samples) and removed, so truth times hold")
        elif fmt == "mp3":
            out = os.path.join(OUT, base + ".mp3")
            probe = os.path.join(TMP, base + ".probe.mp3")
            sox(tmp, "-C", "16", probe)
            d = os.path.join(TMP, base + ".probe.wav")
            sox(probe, d)
            z, _ = sf.read(d, dtype="float64", always_2d=True)
            lag = align_lag(y[:, 0], z[:, 0])
            t3 = os.path.join(TMP, base + ".trim.wav")
            sf.write(t3, y[lag:], sr, subtype="FLOAT")
            sox(t3, "-C", "16", out)
            sox(out, d)
            z, _ = sf.read(d, dtype="float64", always_2d=True)
            lag2 = align_lag(y[:, 0], z[:, 0])
            assert lag2 == 0, lag2
            codec = dict(name="mp3", how="file itself is MP3, 16 kbit/s CBR (sox/libmp3lame -C 16)",
                         alignment=f"the encoder+decoder delay ({lag} samples) was measured and that many leading samples were dropped before "
                                   "encoding, so the file decoded by sox or libsndfile (which keep the encoder delay) lines up with the truth; "
                                   "a decoder that trims the LAME gapless delay would see everything shifted earlier by that amount")
        info = sf.info(out) if not out.endswith(".mp3") else None
        if out.endswith(".mp3"):
            d = os.path.join(TMP, base + ".final.wav")
            sox(out, d)
            info = sf.info(d)
        return out, base, codec, info.frames / info.samplerate, info.samplerate, info.channels

    # --------------------------------------------------------------- truth
    def truth(self, out, base, codec, duration, file_sr, channels):
        sr = self.sr
        spec = self.spec
        segs = []
        for a, b in self.ring_bursts:
            segs.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=round(a, 6), endSeconds=round(b, 6)))
        merged = {p: merge(self.runs[p], 0.4) for p in ("agent", "customer")}
        for p in ("agent", "customer"):
            for a, b in merged[p]:
                segs.append(dict(kind="speech", party=p, holdKind=None, startSeconds=round(a, 6), endSeconds=round(b, 6)))
        for h in self.holds:
            segs.append(dict(kind="hold", party=None, holdKind=h["holdKind"], startSeconds=h["start"], endSeconds=h["end"]))
        segs.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))
        # interruptions from the final segments
        ints = []
        for p in ("agent", "customer"):
            o = "customer" if p == "agent" else "agent"
            for a, b in merged[p]:
                for c, d in merged[o]:
                    if c + 0.3 <= a < d and min(b, d) - a > 0.5:
                        ints.append(dict(atSeconds=round(a, 6), by=p))
        ints.sort(key=lambda i: i["atSeconds"])
        # levels, noise, snr
        N = len(self.stems["agent_speech"])
        t = np.arange(N) / sr
        hp, ht = self.hangup
        base_mask = (t >= self.pickup) & (t < ht)
        for h in self.holds:
            base_mask &= ~((t >= h["start"] - 0.5) & (t < h["end"] + 1.0))
        for h in self.holds:
            if "mutedFrom" in h:
                base_mask &= ~((t >= h["mutedFrom"]) & (t < h["mutedTo"]))
        near = {}
        for p in ("agent", "customer"):
            m = np.zeros(N, bool)
            for a, b in merged[p]:
                m[max(0, int((a - 0.2) * sr)):int((b + 0.2) * sr)] = True
            near[p] = m
        parties, levels_meta, noise_meta = {}, {}, {}
        noise_leg = {p: self.legs_noise[p] + self.extra[p] for p in ("agent", "customer")}
        mono = spec["layout"] == "mono"
        if mono:
            nm = base_mask & ~near["agent"] & ~near["customer"]
            mix_noise = noise_leg["agent"] + noise_leg["customer"]
            mono_noise = rms_db(mix_noise[nm])
        for p in ("agent", "customer"):
            lvl = p56(self.stems[p + "_speech"], sr)
            talk = sum(b - a for a, b in merged[p])
            if mono:
                nl = mono_noise
            else:
                nl = rms_db(noise_leg[p][base_mask & ~near[p]])
            snr = lvl - nl
            parties[p] = dict(talkSeconds=round(talk, 2), activeLevelDbov=round(lvl, 2), snrDb=round(snr, 2),
                              clipped=bool(self.clipped[p]),
                              speechRateCharsPerMinute=round(self.chars[p] / talk * 60, 2) if talk > 0 else None,
                              characterCount=self.chars[p], pitchSpreadSemitones=None, humDbov=None)
            levels_meta[p] = dict(p56ActiveDbov=round(lvl, 2), targetDbov=self.levels[p])
            kind, target = spec["noise"][0 if p == "agent" else 1]
            noise_meta[p] = dict(kind=kind, levelDbov=target, measuredDbov=round(nl if not mono else rms_db(noise_leg[p][nm]), 2))
        if mono:
            both = p56(self.stems["agent_speech"] + self.stems["customer_speech"], sr)
            snr_all = round(both - mono_noise, 2)
        last_sp = max((s for s in segs if s["kind"] == "speech"), key=lambda s: s["endSeconds"])
        last_c = max(s["endSeconds"] for s in segs if s["kind"] == "speech" and s["party"] == "customer")
        ending = dict(lastParty=last_sp["party"], tailSilenceSeconds=round(duration - last_sp["endSeconds"], 3),
                      afterCustomerSeconds=round(duration - last_c, 3), hangupSide=hp)
        if self.busy:
            ending["busyTone"] = self.busy
        kinds = "/".join(dict.fromkeys(k for k, _ in spec["noise"]))
        truth = dict(file=os.path.basename(out), durationSeconds=round(duration, 6), sampleRateHz=file_sr, channels=channels,
                     layout=spec["layout"], agentChannel=spec.get("agentChannel") if not mono else None,
                     answer=dict(self.answer, answerSeconds=round(self.answer["answerSeconds"], 6) if self.answer["answerSeconds"] is not None else None),
                     parties=parties, interruptions=ints, ending=ending, warnings=[],
                     noise=dict(kind=kinds, snrDb=snr_all if mono else None,
                                legSnrDb=None if mono else {p: parties[p]["snrDb"] for p in parties}, humDbov=None, gainDb=None),
                     segments=segs)
        # consistency checks on the truth itself
        for s in segs:
            assert 0 <= s["startSeconds"] < s["endSeconds"] <= duration + 1e-9, (self.n, s)
        for p in ("agent", "customer"):
            assert parties[p]["characterCount"] > 0 and parties[p]["talkSeconds"] > 0, (self.n, p)
            assert self.feed[p].at_boundary(), (self.n, p, "unfinished pass")
        for a, b in self.ring_bursts:
            assert b <= self.pickup + 1e-9
        for p in ("agent", "customer"):
            for a, b in merged[p]:
                assert a >= self.pickup - 1e-9 and b <= ht + 1e-9, (self.n, p, a, b)
                for h in self.holds:
                    assert b <= h["start"] or a >= h["end"], (self.n, "speech in hold", p, a, b, h["start"], h["end"])
        # gaps between consecutive speech outside holds stay < 1.6 s (no unintended dead air)
        allsp = merge([r for p in merged for r in merged[p]], 0.0)
        for (a, b), (c, d) in zip(allsp, allsp[1:]):
            if c - b >= 1.6:
                assert any(h["start"] - 1.5 <= b and c <= h["end"] + 1.5 for h in self.holds) or \
                       any(h.get("mutedFrom", 1e9) - 1.5 <= b and c <= h.get("mutedTo", -1) + 1.5 for h in self.holds), (self.n, "gap", b, c)
        designed = sorted((d["atSeconds"], d["by"]) for d in self.designed_ints)
        computed = sorted((i["atSeconds"], i["by"]) for i in ints)
        meta = dict(
            generator=GEN, seed=[20261209, self.n],
            realAudio="shared/realaudio (see its SOURCES.md and LICENSES/)",
            conditions=[f"{file_sr} Hz", ("mono mix" if mono else f"stereo, agent {spec['agentChannel'].upper()}")] + self.conditions,
            layout=spec["layout"],
            layoutNote=("mono: agent leg + customer leg summed" if mono else
                        ("agent on the RIGHT channel: only this meta file and the truth say so" if spec["agentChannel"] == "right" else None)),
            agentChannel=spec.get("agentChannel") if not mono else None,
            sampleRate=file_sr,
            channelBand=(f"{self.lo:.0f}-{self.hi:.0f} Hz (3rd-order Butterworth band-pass, forward and backward) on speech, prompts, music and line noise"),
            direction="inbound",
            ringbackLeg="agent" if self.ring_meta else None, ring=self.ring_meta, ivrGreeting=None,
            pickupSeconds=self.pickup,
            pickupNote="pickup = where the agent leg connects (answerSeconds); before it that leg carries only the ring-back over a -75 dBov pink floor",
            voices={p: [f"{v}: {VOICES[v]['desc']}" for v in self.voices_used[p]] for p in ("agent", "customer")},
            effects=spec.get("effects"),
            levels=levels_meta,
            levelNote="activeLevelDbov = ITU-T P.56 method B (own implementation) on the party's speech stem (after band limit, "
                      "reverb, clipping), dBov with full scale 1.0 (a full-scale sine is -3 dBov); codec and noise not included",
            noise=noise_meta,
            noiseNote="noise level = RMS of the leg's line noise (+ background talk, if any; clicks and DC excluded) after pickup, "
                      "outside holds (+-0.5/1 s) and muted stretches, >= 0.2 s from that party's speech (mono: from any speech, both legs summed), "
                      "before hang-up; snrDb = active level - that",
            hum=None, agc=None, limiter=None, echo=[], dropouts=None,
            codec=codec, peakBeforeCodec=round(self.peak, 3),
            holds=self.holds,
            holdNote="holds are on the agent leg. Music hold: first to last music sample; prompts inside a hold (also ducked ones) are hold, "
                     "not speech. Announcement-only hold: holdKind 'music' from the first prompt's voiced start to the last prompt's voiced end "
                     "(the muted stretch around it is given as mutedFrom/mutedTo). Tone hold: first beep start to last beep end. "
                     "Muted hold: the agent leg's digital-zero stretch",
            deadAir=[], deadAirNote="no dead air: every gap between turns outside holds is < 1.6 s; the silence after the goodbyes is tail, not dead air",
            interruptions=ints, designedInterruptions=self.designed_ints,
            interruptionNote="interruption = a segment that starts inside the other party's segment (>= 0.3 s after it began) with > 0.5 s overlap, "
                             "computed from the final segments; the interrupted clip plays to its end. Backchannels (one syllable, <= 0.45 s voiced, "
                             "placed inside the other's turn) are speech but not interruptions",
            ending=dict(hangup=hp, hangupSeconds=round(ht, 6), busyTone=self.busy,
                        note="the hanging-up party's leg becomes exact zeros at hang-up (then the busy tone, if any)"),
            talkSecondsNote="truth segments = each clip's voiced runs (10 ms frames of the 100-3800 Hz band above max(99th pct - 32 dB, 3rd pct + 9 dB) "
                            "of the processed clip; fragments < 0.12 s apart joined, blips < 60 ms and isolated runs < 0.15 s dropped); the clip is "
                            "zeroed outside its runs (+20 ms, 10 ms ramps); runs of one party < 0.4 s apart merged",
            charsNote="characterCount = CJK characters of human transcripts; a clip cut into pieces is credited once per complete pass over its pieces "
                      "(every pass is completed); one-syllable cuts (对/成/啊/为) count 1",
            trimThresholdsDb=self.thresholds,
            script=sorted(self.script, key=lambda s: s["runsSeconds"][0][0]),
        )
        meta.update(self.meta_extra)
        if designed != computed:
            meta["interruptionCheck"] = dict(designed=designed, computed=computed)
            print(f"  call {self.n}: designed interruptions {designed} differ from those computed from the segments {computed}")
        return truth, meta


class Feeder:
    def __init__(self, units, rng):
        self.units, self.rng = units, rng
        self.k = 0
        self.cur = None
        self.pos = 0

    def at_boundary(self):
        return self.cur is None

    def take(self, flush=False):
        if self.cur is None:
            self.cur = self.units[self.k % len(self.units)]
            self.k += 1
            self.pos = 0
        u = self.cur
        left = len(u.pieces) - self.pos
        if flush:
            n = left
        else:
            n = 2 if (left >= 2 and self.rng.random() < 0.3) else 1
        i0, i1 = self.pos, self.pos + n
        self.pos = i1
        label = f"{i0 + 1}-{i1}/{len(u.pieces)}" if n > 1 else f"{i1}/{len(u.pieces)}"
        done = self.pos == len(u.pieces)
        if done:
            self.cur = None
        return u, i0, i1, label, done


def align_lag(ref, dec, maxlag=4000):
    """Lag (samples) of dec behind ref, by cross-correlation on the first 30 s."""
    n = min(len(ref), len(dec), 30 * 16000)
    a = ref[:n] - np.mean(ref[:n])
    b = dec[:n + maxlag] - np.mean(dec[:n + maxlag])
    L = 1 << int(math.ceil(math.log2(len(a) + len(b))))
    c = np.fft.irfft(np.fft.rfft(b, L) * np.conj(np.fft.rfft(a, L)), L)
    c = np.concatenate([c[-maxlag:], c[:maxlag + 1]])
    return int(np.argmax(c)) - maxlag


# ----------------------------------------------------------------------------- the calls
EN_BG = ["en_speech/whisper_jfk.flac", "en_speech/wenet_librispeech-1995-1837-0001.wav", "telephone/OSR_us_000_0034_8k.wav",
         "en_calls/azure_fast_transcription_test_call_audio.wav"]

CALLS = [
    dict(n=1, time="083015", agentId="9601", layout="stereo", agentChannel="left", sr=8000, format="ulaw",
         agent="A150", customer="SXM", levels=(-22.0, -25.0), noise=(("pink", -60.0), ("white", -52.0)),
         plan=[("ring", "China", 3), ("talk", dict(first="agent", n=6, last="agent", ints=1, bcs=1)),
               ("hold_music", dict(music="karissa", dur=292.0, level=-24.0, offset=3.0, announce_every=30.0, duck=-12.0)),
               ("talk", dict(first="agent", n=6, last="customer", ints=1, bcs=1)), ("end", "customer")]),
    dict(n=2, time="085402", agentId="9602", layout="stereo", agentChannel="right", sr=16000, format="flac",
         agent="MO1", customer="A252", levels=(-23.0, -21.0), noise=(("pink", -64.0), ("pink", -55.0)),
         conditions=["roles swapped: agent is a spontaneous livestream voice, customer is read speech"],
         plan=[("noring",), ("talk", dict(first="agent", n=7, last="agent", ints=1, bcs=1)),
               ("hold_announce", dict(every=20.0, count=5, floor="comfort")),
               ("talk", dict(first="agent", n=6, last="customer", ints=1)), ("end", "agent_1s")]),
    dict(n=3, time="092137", agentId="9603", layout="stereo", agentChannel="left", sr=8000, format="pcm16",
         agent="A252", customer="FR1", levels=(-21.0, -24.0), noise=(("white", -62.0), ("pink", -50.0)),
         plan=[("ring", "China", 1), ("talk", dict(first="agent", n=6, last="agent", ints=1, bcs=2)),
               ("hold_announce", dict(every=20.0, count=4, floor="zero")),
               ("talk", dict(first="agent", n=6, last=None, ints=1, bcs=1)), ("end", "busy")]),
    dict(n=4, time="095508", agentId="9604", layout="stereo", agentChannel="left", sr=22050, format="pcm24",
         agent="A150", customer="A252", levels=(-24.0, -22.0), noise=(("pink", -63.0), ("brown", -54.0)),
         crackle=dict(leg="customer", rate=25.0),
         conditions=["both parties read speech (AISHELL S0150 agent, S0252 customer)",
                     "24-bit PCM WAV at 22.05 kHz", "intermittent crackle (random clicks) on the customer leg"],
         plan=[("ring", "China", 4), ("talk", dict(first="agent", n=5, last="agent", ints=1, bcs=1)),
               ("hold_music", dict(music="trumpet", dur=20.0, level=-24.0)),
               ("talk", dict(first="agent", n=4, last="agent", bcs=1)),
               ("hold_music", dict(music="hungarian", dur=70.0, level=-22.0, offset=2.0)),
               ("talk", dict(first="agent", n=5, last="agent", ints=1)), ("end", "agent")]),
    dict(n=5, time="102244", agentId="9605", layout="stereo", agentChannel="right", sr=8000, format="pcm16",
         agent="A252", customer="MO2", levels=(-22.0, -24.0), noise=(("pink", -61.0), ("white", -53.0)),
         plan=[("ring", "NorthAmerica", 2), ("talk", dict(first="agent", n=6, last="agent", ints=1, bcs=1)),
               ("hold_music", dict(music="cable", dur=15.0, level=-21.0)), ("transfer", "SXF"),
               ("talk", dict(first="agent", n=10, last="customer", ints=1, bcs=1)), ("end", "customer")]),
    dict(n=6, time="104931", agentId="9606", layout="stereo", agentChannel="left", sr=16000, format="opus",
         agent="A150", customer="SXF", levels=(-21.0, -26.0), noise=(("pink", -66.0), ("pink", -54.0)),
         effects={"customer": {"reverb": ["55", "40", "70", "100", "8", "-1"],
                               "note": "speakerphone: sox reverb 55 40 70 100 8 -1 on every customer clip before band limit; truth runs measured after the reverb"}},
         conditions=["customer on a speakerphone (reverberant)", "16 kHz Opus round trip"],
         plan=[("ring", "China", 3), ("talk", dict(first="agent", n=6, last="agent", ints=1)),
               ("hold_music", dict(music="friends", dur=45.0, level=-38.0)),
               ("talk", dict(first="agent", n=6, last="customer", ints=1)), ("end", "silence10")]),
    dict(n=7, time="111617", agentId="9607", layout="stereo", agentChannel="right", sr=8000, format="amrnb",
         agent="SXM", customer="A150", levels=(-22.0, -23.0), noise=(("white", -63.0), ("pink", -58.0)),
         background=dict(leg="customer", files=EN_BG, relDb=-20.0),
         conditions=["roles swapped: agent spontaneous podcast voice, customer read speech",
                     "English TV/radio talk 20 dB below the customer's speech on the customer leg", "AMR-NB 7.95 kbit/s round trip"],
         plan=[("ring", "China", 2), ("talk", dict(first="agent", n=6, last="agent", ints=1, bcs=1)),
               ("hold_music", dict(music="vibe", dur=40.0, level=-12.0, offset=5.0)),
               ("talk", dict(first="agent", n=6, last="customer", ints=1, bcs=1)), ("end", "customer")]),
    dict(n=8, time="133050", agentId="9601", layout="mono", sr=8000, format="pcm16",
         agent="A252", customer="FR1", levels=(-33.0, -20.8), noise=(("pink", -68.0), ("pink", -62.0)),
         peak_cap={"customer": 0.97},
         conditions=["parties 12 dB apart: customer about -21 dBov, agent -33 dBov"],
         plan=[("ring", "China", 2), ("talk", dict(first="agent", n=22, last="customer", ints=2, bcs=2)), ("end", "customer")]),
    dict(n=9, time="135812", agentId="9602", layout="mono", sr=8000, format="ulaw",
         agent="MO1", customer="A150", levels=(-23.0, -24.0), noise=(("pink", -62.0), ("white", -58.0)),
         conditions=["the customer speaks first after the answer ('喂，喂', two 为 syllables of the customer's own voice) before the agent's greeting",
                     "file stored as G.711 mu-law WAV"],
         plan=[("ring", "CEPT", 3), ("wei",), ("talk", dict(first="agent", n=20, last="agent", ints=2, bcs=1)), ("end", "agent")]),
    dict(n=10, time="142405", agentId="9603", layout="stereo", agentChannel="left", sr=8000, format="alaw",
         agent="MO2", customer="A150", levels=(-12.0, -24.0), noise=(("pink", -62.0), ("pink", -52.0)),
         peak_cap={"agent": None}, clip={"agent": 0.6},
         conditions=["loud agent (-12 dBov before clipping) hard-clipped at 0.6 full scale", "file stored as G.711 A-law WAV"],
         plan=[("crbt", "sugar", 12.0, 31.0), ("talk", dict(first="agent", n=20, last="agent", ints=2, bcs=2)), ("end", "agent")]),
    dict(n=11, time="145541", agentId="9604", layout="mono", sr=16000, format="mp3",
         agent="A150", customer="MO1", levels=(-22.0, -23.0), noise=(("pink", -60.0), ("white", -56.0)),
         conditions=["MP3 16 kbit/s"],
         plan=[("ring", "China", 3), ("talk", dict(first="agent", n=6, last="agent", ints=1)),
               ("hold_tone", dict(dur=30.0)), ("talk", dict(first="agent", n=6, last="customer", ints=1, bcs=1)), ("end", "customer")]),
    dict(n=12, time="152218", agentId="9605", layout="mono", sr=16000, format="flac",
         agent="SXF", customer="A252", levels=(-24.0, -22.0), noise=(("brown", -58.0), ("pink", -60.0)),
         conditions=["roles swapped: agent spontaneous podcast voice, customer read speech"],
         plan=[("ring", "China", 6), ("talk", dict(first="agent", n=6, last="agent", ints=1, bcs=1)),
               ("hold_synth", dict(dur=35.0)), ("talk", dict(first="agent", n=6, last="customer", bcs=1)), ("end", "customer")]),
    dict(n=13, time="155903", agentId="9606", layout="stereo", agentChannel="right", sr=8000, format="pcm16",
         agent="FR1", customer="A150", levels=(-22.0, -23.0), noise=(("pink", -60.0), ("white", -55.0)),
         dc=dict(leg="customer", value=0.03),
         conditions=["roles swapped: agent spontaneous podcast voice, customer read speech",
                     "DC offset +0.03 (-30.5 dBFS) on the customer leg", "dense talk with three interruptions"],
         plan=[("ring", "UK", 3), ("talk", dict(first="agent", n=24, last="agent", ints=3, bcs=2)), ("end", "agent")]),
    dict(n=14, time="163347", agentId="9607", layout="stereo", agentChannel="left", sr=16000, format="pcm16",
         agent="A252", customer="FR2", levels=(-21.0, -25.0), noise=(("pink", -65.0), ("pink", -56.0)),
         plan=[("ring", "Japan", 2), ("talk", dict(first="agent", n=9, last="agent", ints=1)),
               ("hold_silence", dict(dur=25.0)), ("talk", dict(first="agent", n=9, last="customer", ints=1)), ("end", "customer")]),
]


def build(spec):
    c = Call(spec)
    for step in spec["plan"]:
        op = step[0]
        if op == "ring":
            c.ringback(step[1], step[2], level=float(c.rng.uniform(-22, -18)))
        elif op == "noring":
            c.no_ring()
        elif op == "crbt":
            c.crbt(step[1], step[2], step[3])
        elif op == "wei":
            src = AISHELL + "BAC009S0150W0447.wav"
            x = load(src, 16000)
            cut = x[int(0.60 * 16000):int(0.985 * 16000)].copy()
            cut[-240:] *= np.linspace(1, 0, 240)
            both = np.concatenate([cut, np.zeros(int(0.25 * 16000)), cut])
            rel = "_wei2.wav"
            _load_cache[(rel, c.sr)] = ss.resample_poly(both, c.sr, 16000) if c.sr != 16000 else both
            TRANSCRIPTS[rel] = dict(transcript="为为")
            clip = c.clip("customer", "A150", rel, text="喂，喂 (two cuts of 为 from BAC009S0150W0447)", chars=2, name="S0150W0447wei_x2")
            clip.src = src + " (为 cut 0.60-0.985 s, twice, 0.25 s apart)"
            c.say_special("customer", clip, float(c.rng.uniform(0.6, 0.9)), "customer speaks first")
        elif op == "talk":
            kw = dict(step[1])
            if c.last_turn is None and kw["first"] == "agent":
                kw["first_gap"] = (0.4, 1.0)
            elif c.holds and abs(c.cursor - max(h["end"] for h in c.holds)) < 1.0 + 1e-6 or (c.holds and c.cursor > c.speech_end()):
                kw["first_gap"] = (0.5, 1.0)
            c.talk(**kw)
        elif op in ("hold_music", "hold_announce", "hold_tone", "hold_silence", "hold_synth"):
            getattr(c, op)(**step[1])
        elif op == "transfer":
            c.transfer_to(step[1])
        elif op == "end":
            c.end(step[1])
    y = c.render()
    out, base, codec, duration, file_sr, channels = c.write(y)
    truth, meta = c.truth(out, base, codec, duration, file_sr, channels)
    with open(os.path.join(OUT, "truth", base + ".json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    with open(os.path.join(OUT, "meta", base + ".meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    return truth, meta


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(os.path.join(OUT, "truth"))
    os.makedirs(os.path.join(OUT, "meta"))
    try:
        for spec in CALLS:
            truth, meta = build(spec)
            holds = ",".join(f"{s['holdKind']}{s['startSeconds']:.0f}-{s['endSeconds']:.0f}" for s in truth["segments"] if s["kind"] == "hold")
            print(f"{truth['file']}: {truth['durationSeconds']:.1f} s, {truth['layout']}, rings {truth['answer']['rings']} "
                  f"({truth['answer']['tonePlan']}), holds [{holds}], interruptions {len(truth['interruptions'])}, "
                  f"chars {truth['parties']['agent']['characterCount']}/{truth['parties']['customer']['characterCount']}"
                  + ("  [interruption check differs]" if "interruptionCheck" in meta else ""))
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
