#!/usr/bin/env python3
"""Held-out evaluation set 6 for CallQA: 12 inbound calls built from real recorded voices and
music (shared/realaudio) with nuisances earlier sets did not have: hold music with singing, an
announcement-only hold, TV/radio music under the customer, street noise with horn blips,
keyboard typing in a silence, DTMF key presses, a transfer to a second agent, a very short call,
a call whose customer never speaks, and odd file formats (11.025/22.05 kHz, 24-bit, float,
8-bit unsigned, GSM and AMR-NB round trips, a call at -30 dBov, one 8-12 minute call).

    python3 scripts/make_independent_calls_set6.py            # writes .build-indep6/
    CALLQA_REALAUDIO=/path/to/realaudio python3 scripts/make_independent_calls_set6.py

Deterministic: fixed seeds, sox run with -D (no dither). Written without reading the analyser's
sources, models, tests, docs or the other generators; truth/meta keys follow .build-indep5.
"""
import json, os, re, shutil, subprocess, sys, tempfile
from fractions import Fraction

import numpy as np
import soundfile as sf
from scipy import signal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, ".build-indep6")
RA = os.environ.get("CALLQA_REALAUDIO") or os.path.normpath(os.path.join(ROOT, "..", "shared", "realaudio"))
SEED = 20261207
HOP = 0.01

S0150 = [f"zh_speech/aishell_asr0009_sample/BAC009S0150W{w}.wav" for w in
         ("0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0358",
          "0404", "0447", "0456", "0463", "0473", "0481", "0482", "0483", "0488", "0490")]
S0252 = [f"zh_speech/aishell_asr0009_sample/BAC009S0252W{w}.wav" for w in
         ("0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396",
          "0435", "0441", "0443", "0447", "0458", "0460", "0463", "0480", "0483", "0485")]
MUSIC = {
    "karissa": "music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",   # folk/pop song WITH vocals
    "sugarplum": "music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
    "vibeace": "music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg",
    "brahms": "music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
}
MUSIC_NOTE = {"karissa": "Karissa Hobbs - Let's Go Fishin' (folk/pop song with sung vocals, librosa 'fishin')",
              "sugarplum": "Dance of the Sugar Plum Fairy (instrumental)",
              "vibeace": "Vibe Ace (instrumental: vibraphone, piano, bass)",
              "brahms": "Hungarian Dance no. 5 (instrumental string orchestra)"}
DTMF = {"1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "4": (770, 1209), "5": (770, 1336),
        "6": (770, 1477), "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "*": (941, 1209),
        "0": (941, 1336), "#": (941, 1477)}
RING_PLANS = {"China": ([450], 1.0, 5.0), "CEPT": ([425], 1.0, 5.0)}  # freqs, on s, period s (1 on / 4 off)


def db(x):
    return 10 * np.log10(max(x, 1e-20))


def rms_db(x):
    return db(np.mean(np.square(x))) if len(x) else -200.0


def cjk(text):
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def resample(x, sr_in, sr_out):
    if sr_in == sr_out:
        return x.astype(np.float64)
    f = Fraction(sr_out, sr_in)
    return signal.resample_poly(x, f.numerator, f.denominator).astype(np.float64)


def load(rel, sr):
    x, s = sf.read(os.path.join(RA, rel), dtype="float64", always_2d=True)
    return resample(x.mean(axis=1), s, sr)


def band(x, sr, lo, hi):
    sos = signal.butter(3, [lo, min(hi, 0.45 * sr)], btype="band", fs=sr, output="sos")
    return signal.sosfiltfilt(sos, x)


def p56(x, fs):
    """ITU-T P.56 method B active speech level (dBov, 0 dBov = RMS of full-scale square)."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) == 0 or not np.any(x):
        return None
    g = np.exp(-1.0 / (fs * 0.03))
    q = signal.lfilter([1 - g], [1, -g], signal.lfilter([1 - g], [1, -g], np.abs(x)))
    hang = int(round(0.2 * fs))
    sq = np.sum(x * x)
    c = 2.0 ** np.arange(-16, 1)
    A, C = [], []
    for cj in c:
        cs = np.concatenate([[0], np.cumsum(q >= cj)])
        idx = np.arange(1, len(x) + 1)
        a = int(np.sum(cs[idx] - cs[np.maximum(0, idx - hang - 1)] > 0))
        A.append(db(sq / a) if a else -200.0)
        C.append(20 * np.log10(cj))
    A, C = np.array(A), np.array(C)
    d = A - C - 15.9
    for j in range(len(c) - 1):
        if d[j] >= 0 and d[j + 1] < 0:
            t = d[j] / (d[j] - d[j + 1])
            return float(A[j] + t * (A[j + 1] - A[j]))
    return float(rms_db(x))


# ------------------------------------------------------------------ clips and their voiced runs
TRANSCRIPTS = None


def transcript(rel):
    e = TRANSCRIPTS.get(rel)
    if e is None:
        raise SystemExit(f"no transcript for {rel}")
    return e["transcript"]


def voiced_runs(x, sr, merge=0.5, min_run=0.12, thr=None):
    n = int(round(HOP * sr))
    fr = len(x) // n
    e = np.array([rms_db(x[i * n:(i + 1) * n]) for i in range(fr)])
    if thr is None:
        thr = max(np.percentile(e, 10) + 10.0, np.percentile(e, 99) - 42.0)
    on = e > thr
    runs, i = [], 0
    while i < fr:
        if on[i]:
            j = i
            while j < fr and on[j]:
                j += 1
            runs.append([i, j])
            i = j
        else:
            i += 1
    out = []
    for a, b in runs:
        if out and (a - out[-1][1]) * HOP < merge:
            out[-1][1] = b
        else:
            out.append([a, b])
    out = [(a * HOP, b * HOP) for a, b in out if (b - a) * HOP >= min_run]
    return out, float(thr)


class Clip:
    """A speech clip at the call rate, zeroed outside its voiced runs (+20 ms)."""

    def __init__(self, rel, sr, part=None, parts=None):
        src, s0 = sf.read(os.path.join(RA, rel), dtype="float64", always_2d=True)
        src = src.mean(axis=1)
        src = signal.sosfiltfilt(signal.butter(2, 60, btype="high", fs=s0, output="sos"), src)
        runs, thr = voiced_runs(src, s0)
        self.rel, self.thr, self.part, self.parts = rel, thr, part, parts
        self.text = transcript(rel)
        self.chars = cjk(self.text)
        if parts:  # split a spontaneous clip into `parts` turns at the quietest 100 ms near even cut points
            n10 = int(HOP * s0)
            e = np.array([rms_db(src[i * n10:(i + 1) * n10]) for i in range(len(src) // n10)])
            sm = np.convolve(e, np.ones(10) / 10, mode="same")
            a0, a1 = runs[0][0], runs[-1][1]
            cuts = []
            for k in range(1, parts):
                t = a0 + (a1 - a0) * k / parts
                w = min(1.2, 0.3 * (a1 - a0) / parts)
                lo_f, hi_f = max(0, int((t - w) / HOP)), min(len(sm), int((t + w) / HOP))
                f = lo_f + int(np.argmin(sm[lo_f:hi_f]))
                cuts.append(f * HOP)
            edges = [0.0] + cuts + [len(src) / s0]
            lo, hi = edges[part], edges[part + 1]
            piece = src[int(lo * s0):int(hi * s0)].copy()
            r = int(0.01 * s0)
            if part > 0:
                piece[:r] *= np.linspace(0, 1, r)
            if part < parts - 1:
                piece[-r:] *= np.linspace(1, 0, r)
            src = piece
            runs, _ = voiced_runs(src, s0, thr=thr)
            self.cutSeconds = [round(x, 2) for x in cuts]
        keep = np.zeros(len(src))
        for a, b in runs:
            keep[max(0, int((a - 0.02) * s0)):min(len(src), int((b + 0.02) * s0))] = 1.0
        src = src * keep
        self.x = resample(src, s0, sr)
        self.runs = runs
        act = np.concatenate([src[int(a * s0):int(b * s0)] for a, b in runs])
        self.active_db = rms_db(act)
        self.pause_note = None


# ------------------------------------------------------------------ signal makers
def pink(rng, n):
    w = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(w), dtype=np.float64)
    f[0] = 1
    y = np.fft.irfft(w / np.sqrt(f), n)
    return y / np.sqrt(np.mean(y * y))


def white(rng, n):
    return rng.standard_normal(n)


def brown_street(rng, n, sr):
    """Street/car-like: brown noise with slow level swings of +-6 dB."""
    y = np.cumsum(rng.standard_normal(n))
    y = signal.sosfiltfilt(signal.butter(2, 20, btype="high", fs=sr, output="sos"), y)
    y /= np.sqrt(np.mean(y * y))
    t = np.arange(n) / sr
    p1, p2 = rng.uniform(7, 13), rng.uniform(17, 29)
    ph1, ph2 = rng.uniform(0, 2 * np.pi, 2)
    swing = 0.6 * np.sin(2 * np.pi * t / p1 + ph1) + 0.4 * np.sin(2 * np.pi * t / p2 + ph2)
    return y * 10 ** (6.0 * swing / 20)


def tone(freqs, dur, sr, level_dbov_each, ramp=0.005):
    n = int(round(dur * sr))
    t = np.arange(n) / sr
    a = np.sqrt(2) * 10 ** (level_dbov_each / 20)
    y = sum(a * np.sin(2 * np.pi * f * t) for f in freqs)
    r = min(int(ramp * sr), n // 2)
    if r:
        w = np.ones(n)
        w[:r] = np.linspace(0, 1, r)
        w[-r:] = np.linspace(1, 0, r)
        y = y * w
    return y


def loop_to(x, n, sr, xf=1.0):
    if len(x) >= n:
        return x[:n]
    k = int(xf * sr)
    out = x.copy()
    while len(out) < n:
        fade = np.linspace(0, 1, k)
        out[-k:] = out[-k:] * (1 - fade) + x[:k] * fade
        out = np.concatenate([out, x[k:]])
    return out[:n]


# ------------------------------------------------------------------ call builder
class Call:
    def __init__(self, spec):
        self.spec = spec
        self.sr = sr = spec["sr"]
        self.rng = np.random.default_rng([SEED, spec["n"]])
        self.N = int(sr * spec.get("maxSeconds", 330))
        self.speech = {p: np.zeros(self.N) for p in ("agent", "customer")}
        self.other = {p: np.zeros(self.N) for p in ("agent", "customer")}   # ring, hold, dtmf, typing, busy
        self.noise = {p: np.zeros(self.N) for p in ("agent", "customer")}
        self.runs = {"agent": [], "customer": []}
        self.segments = []          # ringback / hold / deadAir truth
        self.holds, self.deadair, self.interruptions, self.script = [], [], [], []
        self.events = {"dtmf": [], "typing": [], "hornBlips": []}
        self.cursor = 0.0
        self.last_turn = None
        self.next_gap = None
        self.lo, self.hi = (300, 3400) if sr <= 11025 else (100, 7000)
        self.trim = {}
        self.chars = {"agent": 0, "customer": 0}
        self.clips_used = []

    def t2s(self, t):
        return int(round(t * self.sr))

    def put(self, stem, party, t, x):
        i = self.t2s(t)
        j = min(len(stem[party]), i + len(x))
        stem[party][i:j] += x[:j - i]

    def bp(self, x):
        return band(x, self.sr, self.lo, self.hi)

    # -- ringing
    def ring(self, plan, count):
        sr = self.sr
        freqs, on, period = RING_PLANS[plan]
        t0 = float(self.rng.uniform(0.35, 1.2))
        bursts = []
        for k in range(count):
            a = t0 + k * period
            bursts.append([a, a + on])
            self.put(self.other, "agent", a, tone(freqs, on, sr, -20.0 - 10 * np.log10(len(freqs))))
            self.segments.append({"kind": "ringback", "party": None, "holdKind": None, "startSeconds": a, "endSeconds": a + on})
        self.pickup = bursts[-1][1] + float(self.rng.uniform(0.9, 1.8))
        self.ring_meta = {"plan": plan, "freqs": freqs, "onSeconds": on, "periodSeconds": period,
                          "bursts": bursts, "levelDbov": -20.0}
        self.answer = {"source": "ringback", "rings": count, "answerSeconds": self.pickup, "tonePlan": plan}
        self.cursor = self.pickup + float(self.rng.uniform(0.0, 0.3))
        self.next_gap = float(self.rng.uniform(0.5, 0.8))

    def no_ring(self):
        self.pickup = 0.0
        self.ring_meta = None
        self.answer = {"source": None, "rings": None, "answerSeconds": None, "tonePlan": None}
        self.cursor = 0.0
        self.next_gap = float(self.rng.uniform(0.35, 0.6))

    # -- a turn
    def turn(self, party, clip, level, interrupt=False, role=None):
        xb = self.bp(clip.x)   # the clip through the channel band; its level is set on that
        act = np.concatenate([xb[int(a * self.sr):int(b * self.sr)] for a, b in clip.runs])
        g = 10 ** ((level - rms_db(act)) / 20)
        capped = g * np.max(np.abs(xb)) > 0.8
        g = min(g, 0.8 / np.max(np.abs(xb)))   # keep every clip's peak at or under 0.8 (no clipping)
        x = xb * g
        if interrupt:
            other = self.last_turn
            assert other and other["party"] != party
            lr = other["runs"][-1]
            ov = float(self.rng.uniform(0.8, 1.5))
            ov = min(ov, (lr[1] - lr[0]) - 0.3)
            assert ov >= 0.5, (self.spec["n"], ov)
            start_run = lr[1] - ov
        else:
            start_run = self.cursor + (self.next_gap if self.next_gap is not None else float(self.rng.uniform(0.45, 1.1)))
        self.next_gap = None
        t = start_run - clip.runs[0][0]
        self.put(self.speech, party, t, x)
        runs = [(t + a, t + b) for a, b in clip.runs]
        self.runs[party] += runs
        if interrupt:
            self.interruptions.append({"atSeconds": runs[0][0], "by": party, "overlapSeconds": round(ov, 3)})
        self.cursor = max(self.cursor, runs[-1][1])
        turn = {"party": party, "clip": clip.rel, "role": role, "interrupts": interrupt,
                "text": clip.text, "clipChars": clip.chars if not clip.parts or clip.part == 0 else 0,
                "runsSeconds": [[round(a, 3), round(b, 3)] for a, b in runs], "gainDb": round(20 * np.log10(g), 2),
                "peakCapped": bool(capped)}
        if clip.parts:
            turn["part"] = (f"{clip.part + 1} of {clip.parts} (clip cut at the quietest 100 ms near even points, cuts at {clip.cutSeconds} s; "
                            "all parts are used once, so the clip's characters are counted once, on part 1)")
        self.script.append(turn)
        self.last_turn = {"party": party, "runs": runs}
        self.trim[clip.rel] = round(clip.thr, 1)
        if not clip.parts or clip.part == 0:
            self.chars[party] += clip.chars

    # -- DTMF on the customer leg
    def dtmf(self, digits, level_each=-14.0):
        t = self.cursor + float(self.rng.uniform(0.5, 0.7))
        start = t
        for d in digits:
            self.put(self.other, "customer", t, self.bp(tone(DTMF[d], 0.1, self.sr, level_each, ramp=0.003)))
            t += 0.2
        self.events["dtmf"].append({"digits": digits, "startSeconds": round(start, 3), "endSeconds": round(t - 0.1, 3),
                                    "toneSeconds": 0.1, "gapSeconds": 0.1, "levelDbovPerTone": level_each, "leg": "customer"})
        self.cursor = t - 0.1
        self.next_gap = float(self.rng.uniform(0.55, 0.8))

    # -- dead air (optionally with keyboard typing on the agent leg)
    def dead(self, seconds, typing=None):
        start = self.cursor
        if typing:
            t = start + float(self.rng.uniform(0.6, 0.9))
            t_end = t + typing
            clicks = 0
            levels = []
            while t < t_end:
                L = float(self.rng.uniform(0.005, 0.015))
                n = max(2, int(L * self.sr))
                c = self.rng.standard_normal(n) * np.exp(-np.arange(n) / (n / 3))
                lv = float(self.rng.uniform(-35, -30))
                c *= 10 ** ((lv - rms_db(c)) / 20)
                self.put(self.other, "agent", t, c)
                clicks += 1
                levels.append(lv)
                t += float(self.rng.uniform(1 / 8, 1 / 5))
            self.events["typing"].append({"leg": "agent", "startSeconds": round(start + 0.6, 3), "endSeconds": round(t_end, 3),
                                          "clicks": clicks, "clickMs": [5, 15], "ratePerSecond": [5, 8],
                                          "clickLevelDbov": [round(min(levels), 1), round(max(levels), 1)]})
        self.next_gap = seconds
        self.pending_dead = (start, seconds)

    def close_dead(self):
        if getattr(self, "pending_dead", None):
            start, secs = self.pending_dead
            self.deadair.append({"startSeconds": start, "endSeconds": start + secs})
            self.segments.append({"kind": "deadAir", "party": None, "holdKind": None, "startSeconds": start, "endSeconds": start + secs})
            self.pending_dead = None

    # -- holds (agent leg: what the customer hears)
    def hold_music(self, key, dur, offset):
        sr = self.sr
        start = self.cursor + float(self.rng.uniform(0.9, 1.5))
        m = load(MUSIC[key], sr)[int(offset * sr):]
        m = loop_to(m, int(dur * sr), sr)
        m = self.bp(m)
        m *= 10 ** ((-24.0 - rms_db(m)) / 20)
        r = int(0.02 * sr)
        m[:r] *= np.linspace(0, 1, r)
        m[-r:] *= np.linspace(1, 0, r)
        self.put(self.other, "agent", start, m)
        self.holds.append({"kind": "music", "dur": dur, "music": key, "musicNote": MUSIC_NOTE[key], "offset": offset,
                           "start": round(start, 3), "end": round(start + dur, 3), "levelDbov": -24.0})
        self.segments.append({"kind": "hold", "party": None, "holdKind": "music", "startSeconds": start, "endSeconds": start + dur})
        self.cursor = start + dur
        self.next_gap = float(self.rng.uniform(0.7, 1.2))

    def hold_announce(self, prompt, repeats, period):
        sr = self.sr
        start = self.cursor + float(self.rng.uniform(0.9, 1.5))
        p = self.bp(load(prompt, sr))
        pr = voiced_runs(p, sr)[0]
        p = p[int(max(0.0, pr[0][0] - 0.01) * sr):int((pr[-1][1] + 0.03) * sr)]
        p *= 10 ** ((-22.0 - rms_db(p)) / 20)
        times = []
        for k in range(repeats):
            t = start + k * period
            self.put(self.other, "agent", t, p)
            times.append([round(t, 3), round(t + len(p) / sr, 3)])
        end = start + (repeats - 1) * period + len(p) / sr
        self.holds.append({"kind": "announcements", "truthHoldKind": "music", "prompt": "ivr_prompts/" + os.path.basename(prompt),
                           "repeats": repeats, "periodSeconds": period, "promptSeconds": times,
                           "start": round(start, 3), "end": round(end, 3), "levelDbov": -22.0,
                           "between": "agent leg line noise only (no music)"})
        self.segments.append({"kind": "hold", "party": None, "holdKind": "music", "startSeconds": start, "endSeconds": end})
        self.cursor = end
        self.next_gap = float(self.rng.uniform(0.7, 1.2))


# ------------------------------------------------------------------ call specifications
def clip_pool(rng, paths):
    order = list(paths)
    rng.shuffle(order)
    k = 0
    while True:
        yield order[k % len(order)]
        k += 1


def build(spec):
    c = Call(spec)
    sr, rng = c.sr, c.rng
    voices = spec["voices"]
    pools = {}
    for party in ("agent", "customer"):
        v = voices[party]
        if isinstance(v, list) and v and isinstance(v[0], tuple):
            pools[party] = iter(v)
        else:
            pools[party] = clip_pool(rng, v)
    base = spec.get("levels", {"agent": -20.0, "customer": -24.0})

    def next_clip(party):
        item = next(pools[party])
        if isinstance(item, tuple):
            rel, part, parts = item
            return Clip(rel, sr, part, parts)
        return Clip(item, sr)

    if spec["ring"]:
        c.ring(*spec["ring"])
    else:
        c.no_ring()
    for step in spec["steps"]:
        kind = step[0]
        if kind in ("A", "C"):
            party = "agent" if kind == "A" else "customer"
            opts = step[1] if len(step) > 1 else {}
            clip = next_clip(party)
            lv = base[party] + float(rng.uniform(-1.0, 1.0))
            c.turn(party, clip, lv, interrupt=opts.get("int", False), role=opts.get("role"))
            c.close_dead()
        elif kind == "xfer":
            pools["agent"] = iter(step[1])
            base = dict(base, agent=step[2])
            c.transfer = {"atHoldEnd": True, "secondAgent": step[1][0][0] if isinstance(step[1][0], tuple) else step[1][0]}
        elif kind == "dtmf":
            c.dtmf(step[1])
        elif kind == "dead":
            c.dead(step[1], typing=step[2] if len(step) > 2 else None)
        elif kind == "holdm":
            c.hold_music(*step[1:])
        elif kind == "holda":
            c.hold_announce(*step[1:])
        elif kind == "end":
            side, busy = step[1], step[2]
            hang = c.cursor + float(rng.uniform(0.9, 1.6))
            if busy:
                stop = hang + 0.3 + busy
            else:
                stop = hang + float(rng.uniform(0.6, 1.4))
            c.hangup = (side, hang, busy, stop)
    return finish(c)


def finish(c):
    spec, sr, rng = c.spec, c.sr, c.rng
    side, hang, busy, stop = c.hangup
    n = c.t2s(stop)
    dur = n / sr
    # speech through the channel band
    for p in ("agent", "customer"):
        c.speech[p] = c.speech[p][:n]
        c.other[p] = c.other[p][:n]
    # line noise and leg backgrounds
    noise_meta = {}
    pick = c.t2s(c.pickup)
    for p in ("agent", "customer"):
        nz = spec["noise"][p]
        kind, lvl = nz["kind"], nz["level"]
        if kind == "pink":
            x = c.bp(pink(rng, n))
        elif kind == "white":
            x = white(rng, n)
        elif kind == "street":
            x = c.bp(brown_street(rng, n, sr))
        x *= 10 ** ((lvl - rms_db(x)) / 20)
        extra = {}
        if kind == "street":
            # horn-like blips, 0.3 s, 400-500 Hz (with a weaker 2nd harmonic)
            t, blips = float(rng.uniform(6, 14)), []
            while t < dur - 2:
                f = float(rng.uniform(400, 500))
                lv = float(rng.uniform(-34, -28))
                b = tone([f], 0.3, sr, lv, ramp=0.02) + tone([2 * f], 0.3, sr, lv - 8, ramp=0.02)
                i = c.t2s(t)
                x[i:i + len(b)] += c.bp(b)[:max(0, n - i)]
                blips.append([round(t, 3), round(t + 0.3, 3), round(f, 1), round(lv, 1)])
                t += float(rng.uniform(12, 30))
            extra = {"swingDb": 6, "hornBlips": blips}
            c.events["hornBlips"] = blips
        if p == "agent":
            floor = white(rng, pick) * 10 ** (-75 / 20)
            x[:pick] = floor
        noise_meta[p] = {"kind": "brown street/car noise with slow +-6 dB swings and horn blips" if kind == "street" else kind,
                         "levelDbov": lvl, **extra}
        c.noise[p] = x
    bg = spec.get("tv")
    if bg:
        p = "customer"
        m = load(MUSIC[bg["music"]], sr)[int(bg["offset"] * sr):]
        m = c.bp(loop_to(m, n, sr))
        target = spec["levels"]["customer"] + bg["relDb"] if "levels" in spec else -24.0 + bg["relDb"]
        m *= 10 ** ((target - rms_db(m)) / 20)
        c.noise[p] = c.noise[p] + m
        noise_meta[p]["tvMusic"] = {"music": bg["music"], "note": MUSIC_NOTE[bg["music"]], "offsetSeconds": bg["offset"],
                                    "relativeToSpeechDb": bg["relDb"], "levelDbov": round(target, 2),
                                    "span": "whole customer leg (0 s to hang-up)"}
    # hang-up: the hanging-up party's leg is exact zeros from the hang-up on; busy tone on it after
    hs = c.t2s(hang)
    for stem in (c.speech, c.other, c.noise):
        stem[side][hs:] = 0.0
    busy_truth = None
    if busy:
        bs = hang + 0.3
        t = bs
        while t < dur - 1e-9:
            seg = tone([450], min(0.35, dur - t), sr, -20.0)
            c.put(c.other, side, t, seg)
            t += 0.7
        c.other[side] = c.other[side][:n]
        busy_truth = {"plan": "China 450 Hz 0.35 s on / 0.35 s off", "startSeconds": round(bs, 3), "endSeconds": round(dur, 3), "leg": side}
    gain = spec.get("gainDb", 0.0)
    # a final safety: if the stored mix would pass 0.95, lower the whole call (recorded in meta)
    mixpeak = 0.0
    full = {p: c.speech[p][:n] + c.other[p][:n] + c.noise[p][:n] for p in ("agent", "customer")}
    if spec["layout"] == "stereo":
        mixpeak = max(np.max(np.abs(full["agent"])), np.max(np.abs(full["customer"])))
    else:
        mixpeak = np.max(np.abs(full["agent"] + full["customer"] * spec.get("custMixGain", 1.0)))
    c.peak_limit_db = None
    if mixpeak * 10 ** (gain / 20) > 0.95:
        c.peak_limit_db = round(20 * np.log10(0.95 / (mixpeak * 10 ** (gain / 20))), 2)
        gain += c.peak_limit_db
    gl = 10 ** (gain / 20)
    legs = {}
    for p in ("agent", "customer"):
        for stem in (c.speech, c.other, c.noise):
            stem[p] = stem[p][:n] * gl
        legs[p] = c.speech[p] + c.other[p] + c.noise[p]

    # ---- truth speech segments (merge same-party runs < 0.5 s apart)
    segs = []
    talk = {}
    for p in ("agent", "customer"):
        rs = sorted(c.runs[p])
        m = []
        for a, b in rs:
            if m and a - m[-1][1] < 0.5:
                m[-1][1] = max(m[-1][1], b)
            else:
                m.append([a, b])
        talk[p] = m
        segs += [{"kind": "speech", "party": p, "holdKind": None, "startSeconds": round(a, 6), "endSeconds": round(b, 6)} for a, b in m]
    for s in c.segments:
        s["startSeconds"], s["endSeconds"] = round(s["startSeconds"], 6), round(s["endSeconds"], 6)
    segs = sorted(segs + c.segments, key=lambda s: (s["startSeconds"], s["endSeconds"]))

    # ---- levels and noise
    layout = spec["layout"]
    def seg_samples(x, ss):
        return np.concatenate([x[c.t2s(a):c.t2s(b)] for a, b in ss]) if ss else np.zeros(0)
    hold_spans = [(s["startSeconds"], s["endSeconds"]) for s in c.segments if s["kind"] == "hold"]
    def noise_mask(p_list):
        m = np.zeros(n, bool)
        m[pick:min(hs, n)] = True
        for a, b in hold_spans:
            m[c.t2s(a):c.t2s(b)] = False
        for p in p_list:
            for a, b in talk[p]:
                m[max(0, c.t2s(a - 0.2)):c.t2s(b + 0.2)] = False
        return m
    parties, lv_meta = {}, {}
    if layout == "stereo":
        for p in ("agent", "customer"):
            act = p56(seg_samples(c.speech[p], talk[p]), sr)
            nm = noise_mask([p])
            nlev = rms_db(c.noise[p][nm]) if nm.any() else None
            parties[p] = {"act": act, "noise": nlev, "snr": (act - nlev) if (act is not None and nlev is not None) else None}
        overall_snr = None
    else:
        mixn = c.noise["agent"] + c.noise["customer"] * spec.get("custMixGain", 1.0)
        nm = noise_mask(["agent", "customer"])
        nlev = rms_db(mixn[nm])
        for p in ("agent", "customer"):
            sp = c.speech[p] * (spec.get("custMixGain", 1.0) if p == "customer" else 1.0)
            act = p56(seg_samples(sp, talk[p]), sr)
            parties[p] = {"act": act, "noise": nlev, "snr": (act - nlev) if act is not None else None}
        allsp = c.speech["agent"] + c.speech["customer"] * spec.get("custMixGain", 1.0)
        union = sorted(talk["agent"] + talk["customer"])
        oact = p56(seg_samples(allsp, union), sr)
        overall_snr = round(oact - nlev, 2)

    for p in ("agent", "customer"):
        noise_meta[p]["measuredDbov"] = round(parties[p]["noise"], 2) if parties[p]["noise"] is not None else None
        if gain:
            noise_meta[p]["levelNote"] = f"levelDbov is before the overall gain of {gain:+.2f} dB; measuredDbov is after it"
    # ---- channel layout, codec, file format
    if layout == "stereo":
        data = np.stack([legs["agent"], legs["customer"]], axis=1)
    else:
        mix = legs["agent"] + legs["customer"] * spec.get("custMixGain", 1.0)
        if spec.get("dualMono"):
            data = np.stack([mix, mix * 10 ** (-1.5 / 20)], axis=1)
        else:
            data = mix[:, None]
    peak_before = float(np.max(np.abs(data)))
    codec_meta = {"name": "pcm16"}
    if spec.get("codec"):
        data, codec_meta = codec_round_trip(data, sr, spec["codec"])
    fmt = spec["format"]
    subtype = {"pcm16": "PCM_16", "pcm24": "PCM_24", "float": "FLOAT", "u8": "PCM_U8", "flac16": "PCM_16"}[fmt]
    data = np.clip(data, -1.0, 1.0 - 1.0 / 32768)
    ext = ".flac" if fmt == "flac16" else ".wav"
    stem = spec["stem"]
    fname = stem + ext
    sf.write(os.path.join(OUT, fname), data, sr, subtype=subtype, format="FLAC" if ext == ".flac" else "WAV")
    if subtype == "FLOAT":  # libsndfile's PEAK chunk carries a write timestamp: zero it so reruns are byte-identical
        with open(os.path.join(OUT, fname), "r+b") as fh:
            head = fh.read(4096)
            k = head.find(b"PEAK")
            if k >= 0:
                fh.seek(k + 12)
                fh.write(b"\0\0\0\0")
    if fmt != "pcm16" or spec.get("codec"):
        codec_meta["fileFormat"] = {"pcm24": "24-bit PCM WAV", "float": "32-bit IEEE float WAV", "u8": "8-bit unsigned PCM WAV",
                                    "flac16": "FLAC 16-bit", "pcm16": "16-bit PCM WAV"}[fmt]
    stored, _ = sf.read(os.path.join(OUT, fname), dtype="float64", always_2d=True)
    clipped = []
    for ch in range(stored.shape[1]):
        a = np.abs(stored[:, ch]) >= 0.97
        run = np.convolve(a.astype(int), np.ones(3, int), "valid")
        clipped.append(bool(np.any(run == 3)))

    # ---- truth
    def pr(p):
        ts = sum(b - a for a, b in talk[p])
        ch = c.chars[p]
        return {"talkSeconds": round(ts, 2),
                "activeLevelDbov": round(parties[p]["act"], 2) if parties[p]["act"] is not None else None,
                "snrDb": round(parties[p]["snr"], 2) if parties[p]["snr"] is not None else None,
                "clipped": any(clipped) if layout != "stereo" else clipped[0 if p == "agent" else 1],
                "speechRateCharsPerMinute": round(ch / ts * 60, 2) if ts > 0 else None,
                "characterCount": ch if ts > 0 else 0,
                "pitchSpreadSemitones": None, "humDbov": None}
    last = {p: (talk[p][-1][1] if talk[p] else None) for p in ("agent", "customer")}
    lastp = max((p for p in last if last[p] is not None), key=lambda p: last[p])
    ending = {"lastParty": lastp, "tailSilenceSeconds": round(dur - last[lastp], 3),
              "afterCustomerSeconds": round(dur - last["customer"], 3) if last["customer"] is not None else None,
              "hangupSide": side}
    if busy_truth:
        ending["busyTone"] = busy_truth
    nk = {p: spec["noise"][p]["kind"] for p in ("agent", "customer")}
    nkind = nk["agent"] if nk["agent"] == nk["customer"] else f"{nk['agent']}/{nk['customer']}"
    truth = {"file": fname, "durationSeconds": dur, "sampleRateHz": sr, "channels": int(data.shape[1]),
             "layout": "stereo" if layout == "stereo" else "mono",
             "agentChannel": "left" if layout == "stereo" else None,
             "answer": c.answer,
             "parties": {"agent": pr("agent"), "customer": pr("customer")},
             "interruptions": [{"atSeconds": round(i["atSeconds"], 6), "by": i["by"]} for i in c.interruptions],
             "ending": ending, "warnings": [],
             "noise": {"kind": nkind, "snrDb": overall_snr,
                       "legSnrDb": {p: round(parties[p]["snr"], 2) if parties[p]["snr"] is not None else None for p in ("agent", "customer")} if layout == "stereo" else None,
                       "humDbov": None, "gainDb": None},
             "segments": segs}
    json.dump(truth, open(os.path.join(OUT, "truth", stem + ".json"), "w"), ensure_ascii=False, indent=1)

    meta = {"generator": "scripts/make_independent_calls_set6.py", "seed": [SEED, spec["n"]],
            "realAudio": "shared/realaudio (see its SOURCES.md and LICENSES/)",
            "conditions": spec["conditions"],
            "nuisances": spec.get("nuisances", []),
            "layout": truth["layout"],
            "layoutNote": ("dual-mono: both channels carry the same mix, right channel 1.5 dB lower; truth layout is written 'mono' like set 5's dual-mono call"
                           if spec.get("dualMono") else None),
            "agentChannel": truth["agentChannel"], "sampleRate": sr,
            "channelBand": f"{c.lo}-{c.hi} Hz (6th-order Butterworth, zero phase) on speech, music, prompts, DTMF, pink and street noise; white noise and typing clicks full band",
            "direction": "inbound",
            "ringbackLeg": "agent" if c.ring_meta else None,
            "ring": c.ring_meta, "pickupSeconds": c.pickup,
            "pickupNote": ("pickup = where the answering (agent) leg connects; before it that leg carries only the ring-back over a -75 dBov floor"
                           if c.ring_meta else "recording starts at pickup (no ringing recorded); truth answer is all null like set 5's no-ring call"),
            "voices": spec["voiceNote"],
            "levels": {p: {"p56ActiveDbov": truth["parties"][p]["activeLevelDbov"],
                           "targetDbov": round(spec.get("levels", {"agent": -20.0, "customer": -24.0})[p] + gain, 2)} for p in ("agent", "customer")},
            "levelNote": "activeLevelDbov = ITU-T P.56 method B on the party's own speech stem (channel band, after the overall gain) over its truth segments; codec and noise not included"
                         + ("; mono: on the speech as it sits in the mix" if layout != "stereo" else ""),
            "overallGainDb": gain or None, "peakLimitDb": c.peak_limit_db,
            "noise": noise_meta,
            "noiseNote": "noise level = RMS of the leg's background stem (line noise, street noise with its horn blips, TV music) after pickup, outside holds, >= 0.2 s from that party's speech, before hang-up; typing clicks, DTMF, ring-back and busy tone are events, not in it; snrDb = active level - that"
                         + ("; mono: the mix's background, away from both parties' speech" if layout != "stereo" else ""),
            "hum": None, "echo": [], "dropouts": None,
            "codec": codec_meta, "peakBeforeCodec": round(peak_before, 3),
            "holds": c.holds,
            "holdNote": "holds are on the agent leg (what the customer hears); music hold spans music start to end; announcement-only hold: the same IVR prompt repeated with only line noise between, written as ONE hold with holdKind 'music' (set 5 writes prompt-carrying holds as 'music'; there is no announcement kind), spanning first prompt start to last prompt end",
            "deadAir": [{"startSeconds": round(d["startSeconds"], 3), "endSeconds": round(d["endSeconds"], 3)} for d in c.deadair],
            "deadAirNote": "as set 5: a stretch where both parties are silent between two speech turns (not a hold) is one deadAir segment from the end of the last voiced run to the start of the next; every such stretch here is >= 3 s and all ordinary turn gaps are < 2.5 s; keyboard typing or nothing but line noise inside does not change that",
            "events": c.events,
            "transfer": getattr(c, "transfer", None),
            "interruptions": c.interruptions,
            "interruptionNote": "the interrupter's first voiced run starts 0.5-1.5 s before the other's last voiced run ends; the interrupted clip plays to its end (nothing cut, character counts exact)",
            "ending": {"hangup": side, "hangupSeconds": round(hang, 3), "busyToneSeconds": busy,
                       "note": "the hanging-up party's leg becomes exact zeros at hang-up; " +
                               ("China busy tone then plays on that leg until the recording ends" if busy else "recorder stops 0.6-1.4 s later")},
            "talkSecondsNote": "truth segments are each clip's voiced runs (energy threshold on 10 ms frames, pauses < 0.5 s merged), also merged across turns of the same party when < 0.5 s apart; the clip is zeroed outside its runs (+20 ms)",
            "trimThresholdsDb": c.trim,
            "script": c.script}
    json.dump(meta, open(os.path.join(OUT, "meta", stem + ".meta.json"), "w"), ensure_ascii=False, indent=1)
    # stems for the independent check (not part of the set)
    np.savez_compressed(os.path.join(OUT, "stems", stem + ".npz"), sr=sr,
                        agent=(c.speech["agent"]).astype(np.float32), customer=(c.speech["customer"]).astype(np.float32),
                        agent_bg=(c.other["agent"] + c.noise["agent"]).astype(np.float32),
                        customer_bg=(c.other["customer"] + c.noise["customer"]).astype(np.float32))
    return truth, meta


def sox(*args):
    subprocess.run(["sox", "-D", "-V1"] + list(args), check=True)


def codec_round_trip(data, sr, name):
    out = np.zeros_like(data)
    lags = []
    with tempfile.TemporaryDirectory() as td:
        for ch in range(data.shape[1]):
            src = os.path.join(td, "in.wav")
            x8 = resample(data[:, ch], sr, 8000)
            sf.write(src, np.clip(x8, -1, 1 - 1 / 32768), 8000, subtype="PCM_16")
            if name == "amr-nb":
                enc = os.path.join(td, "c.amr")
                sox(src, "-t", "amr-nb", "-C", "7", enc)
                dec = os.path.join(td, "d.wav")
                sox("-t", "amr-nb", enc, "-b", "16", "-r", "8000", dec)
            elif name == "gsm":
                enc = os.path.join(td, "c.gsm")
                sox(src, "-t", "gsm", enc)
                dec = os.path.join(td, "d.wav")
                sox("-t", "gsm", "-r", "8000", "-c", "1", enc, "-b", "16", dec)
            y, _ = sf.read(dec, dtype="float64")
            y = np.concatenate([y, np.zeros(max(0, len(x8) + 2000 - len(y)))])
            a = x8[:min(len(x8), 8000 * 60)]
            b = y[:len(a) + 1000]
            cc = signal.correlate(b, a, mode="valid", method="fft")
            lag = int(np.argmax(cc[:1001]))
            lags.append(lag)
            y = y[lag:lag + len(x8)]
            out[:, ch] = resample(y, 8000, sr)[:len(data)] if sr != 8000 else y
    how = {"amr-nb": "AMR-NB 12.2 kbit/s (sox -t amr-nb -C 7), decoded back to 16-bit PCM, delay removed by cross-correlation",
           "gsm": "GSM 06.10 full rate (sox -t gsm), decoded back to 16-bit PCM, delay removed by cross-correlation"}[name]
    return out, {"name": name, "how": how, "alignLagSamples": lags}


# ------------------------------------------------------------------ the 12 calls
def specs():
    A150, C252 = S0150, S0252
    sp = lambda rel, k: [(rel, i, k) for i in range(k)]
    L = []
    # 1: singing hold, DTMF, street noise
    L.append(dict(n=1, stem="20261207-083114_agent-9001_call-900001", sr=8000, layout="stereo", format="pcm16",
                  ring=("China", 3), voices={"agent": A150, "customer": C252},
                  voiceNote={"agent": "S0150 (all turns, greeting included)", "customer": "S0252 (all turns)"},
                  noise={"agent": {"kind": "pink", "level": -60}, "customer": {"kind": "street", "level": -46}},
                  steps=[("A", {"role": "greeting; asks for the account number on the keypad"}), ("dtmf", "4729"), ("C",), ("A",), ("C",),
                         ("A", {"int": True}), ("C",), ("A", {"role": "asks the customer to hold"}),
                         ("holdm", "karissa", 80, 12.0), ("A", {"role": "thanks the customer for waiting"}), ("C",),
                         ("A",), ("C", {"int": True}), ("A",), ("C",), ("A", {"int": True}), ("C",), ("end", "customer", 3.0)],
                  conditions=["8000 Hz", "stereo, agent LEFT", "China ringback x3", "DTMF 4729 on customer leg after the greeting",
                              "hold music WITH SINGING 80 s (Karissa Hobbs, vocals)", "street/car noise with horn blips on customer leg",
                              "China busy tone 3.0 s after customer hangs up", "3 interruptions"],
                  nuisances=[1, 3, 5, 11, 13]))
    # 2: 11.025 kHz, TV music under customer, typing in dead air
    L.append(dict(n=2, stem="20261207-085540_agent-9002_call-900002", sr=11025, layout="stereo", format="pcm16",
                  ring=("China", 2), voices={"agent": C252, "customer": A150},
                  voiceNote={"agent": "S0252 (all turns)", "customer": "S0150 (all turns)"},
                  levels={"agent": -21.0, "customer": -23.0},
                  noise={"agent": {"kind": "pink", "level": -62}, "customer": {"kind": "white", "level": -58}},
                  tv={"music": "sugarplum", "offset": 3.0, "relDb": -22.0},
                  steps=[("A", {"role": "greeting"}), ("C",), ("A",), ("C", {"int": True}), ("A", {"role": "let me check (我查一下-style turn)"}),
                         ("dead", 9.0, 7.0), ("A",), ("C",), ("A", {"int": True}), ("C",), ("A",), ("C",), ("A", {"int": True}),
                         ("C",), ("A",), ("end", "agent", None)],
                  conditions=["11025 Hz", "stereo, agent LEFT", "China ringback x2", "TV music (Sugar Plum Fairy) under the customer at -22 dB, whole leg",
                              "keyboard typing 7 s on agent leg after 'let me check' (dead air 9.0 s)", "3 interruptions"],
                  nuisances=[2, 4, 10, 11, 13]))
    # 3: 22.05 kHz FLAC, CEPT, announcement-only hold, street noise
    L.append(dict(n=3, stem="20261207-092217_agent-9003_call-900003", sr=22050, layout="stereo", format="flac16",
                  ring=("CEPT", 3), voices={"agent": A150, "customer": C252},
                  voiceNote={"agent": "S0150 (all turns)", "customer": "S0252 (all turns)"},
                  noise={"agent": {"kind": "white", "level": -64}, "customer": {"kind": "street", "level": -44}},
                  steps=[("A", {"role": "greeting"}), ("C",), ("A",), ("C",), ("A", {"int": True}), ("C",),
                         ("A", {"role": "asks the customer to hold"}), ("holda", "ivr_prompts/busy-pls-hold.wav", 6, 12.5),
                         ("A", {"role": "thanks the customer for waiting"}), ("C",), ("A",), ("C", {"int": True}), ("A",), ("C",), ("A",),
                         ("end", "customer", None)],
                  conditions=["22050 Hz", "stereo, agent LEFT", "FLAC", "CEPT 425 Hz ringback x3 (1 s on / 4 s off)",
                              "announcement-only hold: busy-pls-hold.wav every 12.5 s x6, line noise between, no music",
                              "street/car noise with horn blips on customer leg", "2 interruptions"],
                  nuisances=[1, 3, 10, 11, 13]))
    # 4: mono 8-bit unsigned, DTMF, typing dead air, street noise
    L.append(dict(n=4, stem="20261207-094802_agent-9004_call-900004", sr=8000, layout="mono", format="u8",
                  ring=("China", 2), voices={"agent": C252, "customer": A150},
                  voiceNote={"agent": "S0252 (all turns)", "customer": "S0150 (all turns)"},
                  levels={"agent": -18.0, "customer": -19.0},
                  noise={"agent": {"kind": "pink", "level": -52}, "customer": {"kind": "street", "level": -41}},
                  steps=[("A", {"role": "greeting; asks for the order number on the keypad"}), ("dtmf", "360518"), ("C",), ("A",), ("C", {"int": True}),
                         ("A", {"role": "let me check"}), ("dead", 7.5, 5.5), ("A",), ("C",), ("A",), ("C",), ("A", {"int": True}),
                         ("C",), ("A",), ("end", "customer", None)],
                  conditions=["8000 Hz", "mono mix", "8-bit unsigned WAV", "China ringback x2", "DTMF 360518 after the greeting",
                              "keyboard typing 5.5 s after 'let me check' (dead air 7.5 s)", "street/car noise with horn blips on customer side",
                              "2 interruptions"],
                  nuisances=[3, 4, 5, 10, 11, 12, 13]))
    # 5: transfer, 32-bit float, street noise
    L.append(dict(n=5, stem="20261207-101355_agent-9005_call-900005", sr=16000, layout="stereo", format="float",
                  ring=("China", 4), voices={"agent": A150, "customer": C252},
                  voiceNote={"agent": "S0150 until the hold; after the transfer a second agent: mossttsd_zh_spk2_moon (spontaneous livestream host, one clip split into 3 turns)",
                             "customer": "S0252 (all turns)"},
                  noise={"agent": {"kind": "pink", "level": -63}, "customer": {"kind": "street", "level": -45}},
                  steps=[("A", {"role": "greeting"}), ("C",), ("A",), ("C", {"int": True}), ("A",), ("C",), ("A", {"int": True}), ("C",),
                         ("A", {"role": "transfers the customer to a colleague"}), ("holdm", "sugarplum", 65, 20.0),
                         ("xfer", sp("zh_speech_more/mossttsd_zh_spk2_moon.wav", 3), -21.0),
                         ("A", {"role": "second agent picks up"}), ("C",), ("A", {"int": True}), ("C",), ("A",),
                         ("end", "agent", None)],
                  conditions=["16000 Hz", "stereo, agent LEFT", "32-bit float WAV", "China ringback x4",
                              "music hold 65 s (Sugar Plum Fairy) then transfer: a second real agent voice (still party agent)",
                              "street/car noise with horn blips on customer leg", "3 interruptions"],
                  nuisances=[3, 7, 10, 11, 13]))
    # 6: very short call
    L.append(dict(n=6, stem="20261207-103047_agent-9006_call-900006", sr=8000, layout="stereo", format="pcm16", maxSeconds=40,
                  ring=("China", 1), voices={"agent": ["zh_speech/aishell_asr0009_sample/BAC009S0150W0490.wav"],
                                             "customer": ["zh_speech/funasr_llamacpp_tests_sample.wav"]},
                  voiceNote={"agent": "S0150 (greeting)", "customer": "funasr_llamacpp_tests_sample speaker (one utterance, 11 characters; transcript is identical output of three ASR models)"},
                  noise={"agent": {"kind": "pink", "level": -60}, "customer": {"kind": "pink", "level": -52}},
                  steps=[("A", {"role": "greeting"}), ("C", {"role": "says a few words and hangs up"}), ("end", "customer", None)],
                  conditions=["8000 Hz", "stereo, agent LEFT", "China ringback x1", "very short call (< 20 s): greeting, customer says a few words, hangs up",
                              "0 interruptions (too short)"],
                  nuisances=[8, 11]))
    # 7: silent customer, GSM round trip
    L.append(dict(n=7, stem="20261207-104512_agent-9001_call-900007", sr=8000, layout="stereo", format="pcm16", maxSeconds=60,
                  ring=("China", 3), voices={"agent": ["zh_speech/aishell_asr0009_sample/BAC009S0252W0219.wav",
                                                       "zh_speech/aishell_asr0009_sample/BAC009S0252W0277.wav"], "customer": []},
                  voiceNote={"agent": "S0252 (greets twice)", "customer": "never speaks (line noise only)"},
                  noise={"agent": {"kind": "pink", "level": -58}, "customer": {"kind": "pink", "level": -50}},
                  codec="gsm",
                  steps=[("A", {"role": "greeting"}), ("A", {"role": "greets again (喂，您好？-style turn)"}), ("end", "agent", None)],
                  conditions=["8000 Hz", "stereo, agent LEFT", "China ringback x3", "customer never speaks (line noise only)",
                              "agent greets twice and hangs up", "GSM 06.10 round trip", "0 interruptions (one party)"],
                  nuisances=[9, 10, 11]))
    # 8: long call, two holds, several dead airs
    long_steps = [("A", {"role": "greeting"}), ("C",), ("A",), ("C",), ("A", {"int": True}), ("C",), ("A",), ("dtmf", "88031"), ("C",),
                  ("A",), ("C",), ("A", {"role": "let me check"}), ("dead", 8.5, 6.5), ("A",), ("C",), ("A",), ("C", {"int": True}),
                  ("A",), ("C",), ("A", {"role": "asks the customer to hold"}), ("holdm", "sugarplum", 75, 30.0),
                  ("A", {"role": "thanks the customer for waiting"}), ("C",), ("A",), ("C",), ("A",), ("C",), ("dead", 14.0),
                  ("A",), ("C",), ("A", {"int": True}), ("C",), ("A",), ("C",), ("A",), ("C",),
                  ("A", {"role": "asks the customer to hold again"}), ("holda", "ivr_prompts/queue-periodic-announce.wav", 4, 15.0),
                  ("A",), ("C",), ("A",), ("C",), ("A",), ("dead", 22.0), ("C",), ("A",), ("C", {"int": True}), ("A",), ("C",),
                  ("A",), ("C",), ("A",), ("C",), ("A",), ("dead", 5.0), ("C",), ("A",), ("C",), ("A",), ("C",), ("A",), ("C",), ("A",),
                  ("C",), ("A",), ("C",), ("A",), ("end", "customer", 4.0)]
    L.append(dict(n=8, stem="20261207-110920_agent-9002_call-900008", sr=8000, layout="stereo", format="flac16", maxSeconds=780,
                  ring=("China", 3), voices={"agent": A150, "customer": C252},
                  voiceNote={"agent": "S0150 (all turns; clips reused in the same order after 20)", "customer": "S0252 (all turns; clips reused after 20)"},
                  noise={"agent": {"kind": "pink", "level": -60}, "customer": {"kind": "white", "level": -52}},
                  steps=long_steps,
                  conditions=["8000 Hz", "stereo, agent LEFT", "FLAC", "long call (8-12 min)", "China ringback x3", "DTMF 88031",
                              "music hold 75 s (Sugar Plum Fairy)", "announcement-only hold: queue-periodic-announce.wav every 15 s x4",
                              "dead air 8.5 s with keyboard typing 6.5 s", "dead air 14 s", "dead air 22 s", "dead air 5 s",
                              "China busy tone 4.0 s after customer hangs up", "4 interruptions"],
                  nuisances=[1, 4, 5, 10, 11, 13]))
    # 9: -30 dBov overall, 24-bit, no ringback, spontaneous voices, TV music
    L.append(dict(n=9, stem="20261207-113335_agent-9003_call-900009", sr=16000, layout="stereo", format="pcm24", gainDb=-9.0,
                  ring=None, voices={"agent": sp("zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", 4),
                                     "customer": sp("zh_speech_more/soulxpodcast_male_mandarin.wav", 4)},
                  voiceNote={"agent": "fireredtts2_chat_prompt_zh_S1 (spontaneous podcast host; one clip split into 4 turns)",
                             "customer": "soulxpodcast_male_mandarin (spontaneous podcast speaker; one clip split into 4 turns)"},
                  levels={"agent": -21.0, "customer": -21.0},
                  noise={"agent": {"kind": "pink", "level": -62}, "customer": {"kind": "pink", "level": -55}},
                  tv={"music": "brahms", "offset": 0.0, "relDb": -21.0},
                  steps=[("A", {"role": "greeting"}), ("C",), ("A", {"int": True}), ("C",), ("A", {"role": "asks the customer to hold"}),
                         ("holdm", "vibeace", 62, 0.0), ("A", {"role": "back from the hold"}), ("C", {"int": True}), ("C",), ("end", "agent", None)],
                  conditions=["16000 Hz", "stereo, agent LEFT", "24-bit WAV", "whole call -9 dB: speech near -30 dBov on both legs",
                              "no ringback (recording starts at pickup)", "spontaneous speakers on both parties",
                              "TV music (Brahms) under the customer at -21 dB, whole leg", "music hold 62 s (Vibe Ace)", "2 interruptions"],
                  nuisances=[2, 10, 11]))
    # 10: mono FLAC 16 kHz, spontaneous, singing hold, typing
    L.append(dict(n=10, stem="20261207-131208_agent-9004_call-900010", sr=16000, layout="mono", format="flac16",
                  ring=("China", 3), voices={"agent": sp("zh_speech_more/mossttsd_zh_spk1_moon.wav", 5),
                                             "customer": sp("zh_speech_more/soulxpodcast_female_mandarin.wav", 4)},
                  voiceNote={"agent": "mossttsd_zh_spk1_moon (spontaneous livestream host; one clip split into 5 turns)",
                             "customer": "soulxpodcast_female_mandarin (spontaneous speaker; one clip split into 4 turns)"},
                  levels={"agent": -21.0, "customer": -22.0},
                  noise={"agent": {"kind": "pink", "level": -60}, "customer": {"kind": "pink", "level": -50}},
                  steps=[("A", {"role": "greeting"}), ("C",), ("A", {"role": "let me check"}), ("dead", 7.0, 5.0), ("A",), ("C", {"int": True}),
                         ("A", {"role": "asks the customer to hold"}), ("holdm", "karissa", 70, 45.0), ("A", {"role": "back from the hold"}),
                         ("C", {"int": True}), ("C",), ("end", "customer", None)],
                  conditions=["16000 Hz", "mono mix", "FLAC", "China ringback x3", "spontaneous speakers on both parties",
                              "keyboard typing 5 s after 'let me check' (dead air 7.0 s)",
                              "hold music WITH SINGING 70 s (Karissa Hobbs, vocals)", "2 interruptions"],
                  nuisances=[1, 4, 11, 12, 13]))
    # 11: dual-mono, TV music, DTMF
    L.append(dict(n=11, stem="20261207-134649_agent-9005_call-900011", sr=8000, layout="mono", dualMono=True, format="pcm16",
                  ring=("China", 2), voices={"agent": C252, "customer": A150},
                  voiceNote={"agent": "S0252 (all turns)", "customer": "S0150 (all turns)"},
                  noise={"agent": {"kind": "pink", "level": -58}, "customer": {"kind": "pink", "level": -54}},
                  tv={"music": "vibeace", "offset": 5.0, "relDb": -24.0},
                  steps=[("A", {"role": "greeting; asks for a menu choice on the keypad"}), ("dtmf", "203"), ("C",), ("A",), ("C",),
                         ("A", {"int": True}), ("C",), ("A",), ("C", {"int": True}), ("A",), ("C",), ("A", {"int": True}), ("C",), ("A",),
                         ("end", "agent", None)],
                  conditions=["8000 Hz", "dual-mono (same mix, right -1.5 dB)", "China ringback x2", "DTMF 203 after the greeting",
                              "TV music (Vibe Ace) under the customer at -24 dB, whole leg", "3 interruptions"],
                  nuisances=[2, 5, 11, 12, 13]))
    # 12: AMR-NB, typing, street noise, busy
    L.append(dict(n=12, stem="20261207-141530_agent-9006_call-900012", sr=8000, layout="stereo", format="pcm16", codec="amr-nb",
                  ring=("China", 4), voices={"agent": A150, "customer": C252},
                  voiceNote={"agent": "S0150 (all turns)", "customer": "S0252 (all turns)"},
                  noise={"agent": {"kind": "pink", "level": -58}, "customer": {"kind": "street", "level": -43}},
                  steps=[("A", {"role": "greeting"}), ("C",), ("A",), ("C", {"int": True}), ("A", {"role": "let me check"}), ("dead", 11.0, 9.5),
                         ("A",), ("C",), ("A", {"int": True}), ("C",), ("A",), ("C",), ("A",), ("C", {"int": True}), ("A",), ("C",),
                         ("A", {"int": True}), ("C",), ("end", "customer", 3.5)],
                  conditions=["8000 Hz", "stereo, agent LEFT", "China ringback x4", "AMR-NB 12.2 kbit/s round trip",
                              "keyboard typing 9.5 s after 'let me check' (dead air 11.0 s)", "street/car noise with horn blips on customer leg",
                              "China busy tone 3.5 s after customer hangs up", "4 interruptions"],
                  nuisances=[3, 4, 10, 11, 13]))
    return L


def check():
    """Independent energy check: re-derive each party's speech from its rendered stem (10 ms frames
    above the party's active level - 35 dB, gaps < 0.45 s merged (0.5 s less the 20 ms pads), runs < 0.12 s dropped) and compare
    with the truth segments frame by frame."""
    import glob
    print(f"{'call':44} {'party':8} {'truth s':>8} {'energy s':>8} {'frame F1':>8} {'miss':>5} {'extra':>5} {'worst edge s':>12} {'segs':>4} {'runs':>4}")
    allc = [0, 0, 0]
    for f in sorted(glob.glob(os.path.join(OUT, "truth", "*.json"))):
        t = json.load(open(f))
        st = np.load(os.path.join(OUT, "stems", os.path.splitext(os.path.basename(f))[0] + ".npz"))
        sr = int(st["sr"])
        n10 = int(round(HOP * sr))
        for p in ("agent", "customer"):
            x = st[p].astype(np.float64)
            fr = int(len(x) / sr / HOP)
            idx = np.round(np.arange(fr + 1) * HOP * sr).astype(int)
            cs = np.concatenate([[0.0], np.cumsum(x * x)])
            e = 10 * np.log10((cs[idx[1:]] - cs[idx[:-1]]) / np.diff(idx) + 1e-20)
            segs = [s for s in t["segments"] if s["kind"] == "speech" and s["party"] == p]
            lv = t["parties"][p]["activeLevelDbov"]
            on = e > (lv - 35 if lv is not None else -90)
            runs, i = [], 0
            while i < fr:
                if on[i]:
                    j = i
                    while j < fr and on[j]:
                        j += 1
                    if runs and i - runs[-1][1] < 45:  # 0.5 s less the two 20 ms pads kept round each run
                        runs[-1][1] = j
                    else:
                        runs.append([i, j])
                    i = j
                else:
                    i += 1
            runs = [r for r in runs if r[1] - r[0] >= 12]
            tm = np.zeros(fr, bool)
            for s in segs:
                tm[int(s["startSeconds"] / HOP + 0.5):int(s["endSeconds"] / HOP + 0.5)] = True
            em = np.zeros(fr, bool)
            for a, b in runs:
                em[a:b] = True
            tp, fp, fn = int(np.sum(tm & em)), int(np.sum(em & ~tm)), int(np.sum(tm & ~em))
            for k, v in enumerate((tp, fp, fn)):
                allc[k] += v
            f1 = 2 * tp / max(2 * tp + fp + fn, 1) if (tp + fp + fn) else 1.0
            worst = 0.0
            starts = np.array([r[0] * HOP for r in runs] or [1e9])
            ends = np.array([r[1] * HOP for r in runs] or [1e9])
            for s in segs:
                worst = max(worst, float(np.min(np.abs(starts - s["startSeconds"]))), float(np.min(np.abs(ends - s["endSeconds"]))))
            print(f"{t['file'][:44]:44} {p:8} {tm.sum() * HOP:8.2f} {em.sum() * HOP:8.2f} {f1:8.4f} {fn:5d} {fp:5d} {worst:12.2f} {len(segs):4d} {len(runs):4d}")
    tp, fp, fn = allc
    print(f"all: frame F1 {2 * tp / max(2 * tp + fp + fn, 1):.4f} ({fn} truth frames without energy, {fp} energy frames outside truth)")


def main():
    global TRANSCRIPTS
    if "--check" in sys.argv:
        check()
        return 0
    if not os.path.isdir(RA):
        print(f"real audio not found at {RA} (set CALLQA_REALAUDIO); nothing written")
        return 0
    TRANSCRIPTS = json.load(open(os.path.join(RA, "transcripts.json")))
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for d in ("truth", "meta", "stems"):
        os.makedirs(os.path.join(OUT, d))
    for spec in specs():
        truth, meta = build(spec)
        p = truth["parties"]
        print(f"{truth['file']:46} {truth['durationSeconds']:7.1f} s  {truth['sampleRateHz']:5d} Hz {truth['channels']} ch {truth['layout']:6}"
              f"  talk {p['agent']['talkSeconds']:.1f}/{p['customer']['talkSeconds']:.1f} s"
              f"  holds {len(meta['holds'])} deadAir {len(meta['deadAir'])} interruptions {len(truth['interruptions'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
