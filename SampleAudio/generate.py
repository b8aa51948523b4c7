#!/usr/bin/env python3
"""Writes CallQA's sample calls and their truth, deterministically.

Speech is espeak-ng Mandarin (`-v cmn-latn-pinyin`), tones, music and noise are synthesised here,
and everything is mixed sample-exactly so the truth is known by construction:
speech segments (trimmed utterance extents), each party's P.56 active level, SNR, rings and holds,
and character counts. Needs: python3 with numpy and scipy, espeak-ng, sox.

    python3 SampleAudio/generate.py            # rewrites SampleAudio/*.wav|flac and truth/*.json
    python3 SampleAudio/generate.py --unseen .build-eval   # the same plans, unseen voices and music,
                                                           # and the hard cases of hard_cases.py
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from scipy.ndimage import maximum_filter1d
from scipy.signal import lfilter

HERE = os.path.dirname(os.path.abspath(__file__))
TRUTH_DIR = os.path.join(HERE, "truth")
CJK = re.compile(r"[\u4e00-\u9fff]")

AGENT_LINES = [
    "您好，工号一零零七为您服务，请问有什么可以帮您",
    "好的，请您提供一下您的手机号码",
    "我帮您查询一下，请稍等",
    "感谢您的耐心等待，您的订单已经发出",
    "预计明天下午送达，请注意查收",
    "请问还有其他可以帮您的吗",
    "感谢您的来电，祝您生活愉快，再见",
    "对不起，让您久等了",
    "这个问题我需要向后台确认一下",
    "您的账户余额还有一百二十元",
]
CUSTOMER_LINES = [
    "你好，我想查一下我的快递到哪里了",
    "我的号码是一三八一二三四五六七八",
    "好的，谢谢",
    "那大概什么时候能到",
    "没有了，再见",
    "我上个月的话费怎么这么多",
    "可以帮我改一下地址吗",
    "行，我知道了",
]

TONE_PLANS = {
    # name: (frequencies Hz, [(on s, off s), ...] one cadence period)
    "china": ([450.0], [(1.0, 4.0)]),
    "northAmerica": ([440.0, 480.0], [(2.0, 4.0)]),
    "uk": ([400.0, 450.0], [(0.4, 0.2), (0.4, 2.0)]),
    "cept": ([425.0], [(1.0, 4.0)]),
}


# ---------- measurement (the truth's own definitions) ----------

def p56_active_level(x, sr):
    """ITU-T P.56 method B on float samples (full scale 1.0): returns (dBov, activity)."""
    x = np.asarray(x, dtype=np.float64)
    if not np.any(x):
        return None, 0.0
    g = np.exp(-1.0 / (sr * 0.03))
    env = lfilter([1 - g], [1, -g], np.abs(x))
    env = lfilter([1 - g], [1, -g], env)
    hang = int(round(0.2 * sr))
    # held[n] = max(env[n-hang .. n]): active at c when the envelope reached c within 0.2 s.
    held = maximum_filter1d(env, size=hang + 1, origin=hang // 2)
    sq = x * x
    order = np.argsort(held)[::-1]
    held_sorted = held[order]
    cum_sq = np.cumsum(sq[order])
    prev = None
    for c_db in np.arange(-110.0, 6.0, 0.5):
        c = 10 ** (c_db / 20)
        n_active = np.searchsorted(-held_sorted, -c, side="right")
        if n_active < 1:
            break
        power_db = 10 * np.log10(max(cum_sq[n_active - 1] / n_active, 1e-12))
        diff = power_db - c_db
        if diff <= 15.9:
            if prev is None:
                return power_db, n_active / len(x)
            t = (prev[0] - 15.9) / max(prev[0] - diff, 1e-9)
            return prev[1] + t * (power_db - prev[1]), (prev[2] + t * (n_active - prev[2])) / len(x)
        prev = (diff, power_db, n_active)
    return (prev[1], prev[2] / len(x)) if prev else (None, 0.0)


def rms_dbov(x):
    return 10 * np.log10(max(np.mean(np.asarray(x, np.float64) ** 2), 1e-12))


# ---------- sources ----------

def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_raw_float(path):
    return np.fromfile(path, dtype="<f4").astype(np.float64)


def speak(text, voice, speed, sr, tmp):
    """espeak-ng utterance at `sr`, trimmed to its audible extent."""
    wav = os.path.join(tmp, "u.wav")
    raw = os.path.join(tmp, "u.f32")
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", wav, text])
    run(["sox", "-D", wav, "-r", str(sr), "-e", "floating-point", "-b", "32", "-t", "raw", raw])
    x = read_raw_float(raw)
    hop = sr // 100
    frames = len(x) // hop
    rms = np.sqrt(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-20)
    loud = np.nonzero(20 * np.log10(rms / rms.max()) > -40)[0]
    x = x[loud[0] * hop: (loud[-1] + 1) * hop]
    return x / np.max(np.abs(x))


def ringback(plan, rings, sr, level_dbov):
    """`rings` cadence periods of a tone plan; returns (signal, burst start times)."""
    freqs, cadence = TONE_PLANS[plan]
    parts, starts, t = [], [], 0.0
    amp = np.sqrt(2 * 10 ** (level_dbov / 10) / len(freqs))
    for _ in range(rings):
        for k, (on, off) in enumerate(cadence):
            if k == 0:
                starts.append(t)
            n_on = int(round(on * sr))
            tt = np.arange(n_on) / sr
            tone = sum(np.sin(2 * np.pi * f * tt) for f in freqs) * amp
            ramp = min(int(0.005 * sr), n_on // 2)  # 5 ms edges: no clicks
            env = np.ones(n_on)
            env[:ramp] = np.linspace(0, 1, ramp)
            env[-ramp:] = np.linspace(1, 0, ramp)
            parts += [tone * env, np.zeros(int(round(off * sr)))]
            t += on + off
    return np.concatenate(parts), starts


def beeps(seconds, sr, level_dbov, freq=1000.0, on=0.3, period=4.0):
    n = int(round(seconds * sr))
    x = np.zeros(n)
    amp = np.sqrt(2 * 10 ** (level_dbov / 10))
    n_on = int(on * sr)
    tt = np.arange(n_on) / sr
    burst = amp * np.sin(2 * np.pi * freq * tt) * np.hanning(n_on) ** 0.2
    for s in range(0, n - n_on, int(period * sr)):
        x[s: s + n_on] = burst
    return x


def music(seconds, sr, level_dbov, seed):
    """Hold music: a chord progression of decaying harmonic notes, a bass line and a soft beat."""
    rng = np.random.RandomState(seed)
    n = int(round(seconds * sr))
    x = np.zeros(n + sr)
    bpm = rng.uniform(80, 126)
    beat = 60.0 / bpm
    roots = [0, 5, 7, 3, 8, 10]
    base = rng.uniform(196, 262)
    t = 0.0
    bar = 0
    while t < seconds:
        root = roots[(bar + seed) % len(roots)]
        chord = [root, root + 4 if bar % 2 == 0 else root + 3, root + 7]
        for b in range(4):
            start = int((t + b * beat) * sr)
            notes = chord if b == 0 else [chord[rng.randint(3)] + 12 * rng.randint(0, 2)]
            dur = beat * (4 if b == 0 else rng.choice([1, 2]))
            m = int(dur * sr)
            tt = np.arange(m) / sr
            for semi in notes:
                f = base * 2 ** (semi / 12)
                tone = sum((0.6 ** h) * np.sin(2 * np.pi * f * (h + 1) * tt) for h in range(5))
                tone *= np.exp(-tt / (0.5 * dur + 0.2))
                seg = x[start: start + m]
                seg += tone[: len(seg)]
            # bass on every beat, hi-hat between
            bass_f = base / 2 * 2 ** (root / 12)
            mb = int(beat * 0.9 * sr)
            tb = np.arange(mb) / sr
            seg = x[start: start + mb]
            seg += (0.8 * np.sin(2 * np.pi * bass_f * tb) * np.exp(-tb / 0.25))[: len(seg)]
            hh = int(0.04 * sr)
            hs = start + int(beat / 2 * sr)
            if hs + hh < len(x):
                x[hs: hs + hh] += 0.15 * rng.randn(hh) * np.exp(-np.arange(hh) / (0.01 * sr))
        t += 4 * beat
        bar += 1
    x = x[:n]
    return x / np.sqrt(np.mean(x ** 2)) * 10 ** (level_dbov / 20)


def noise(n, sr, kind, rng):
    w = rng.randn(n)
    if kind == "pink":
        # Paul Kellet's economy pink filter
        b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
        a = [1, -2.494956002, 2.017265875, -0.522189400]
        w = lfilter(b, a, w)
    elif kind == "hum":
        tt = np.arange(n) / sr
        w = 0.5 * rng.randn(n) + sum(np.sin(2 * np.pi * 50 * k * tt) / k for k in (1, 3, 5))
    return w / np.sqrt(np.mean(w ** 2))


# ---------- calls ----------

class Track:
    def __init__(self, n):
        self.x = np.zeros(n)

    def put(self, signal, at, sr):
        s = int(round(at * sr))
        e = s + len(signal)
        assert e <= len(self.x), "script runs past the call's end: raise durationSeconds"
        self.x[s:e] += signal[: e - s]
        return s / sr, e / sr


def build_call(spec, tmp):
    sr = spec.get("sampleRateHz", 8000)
    n = int(round(400 * sr))  # room for any script; cut after the last event
    tracks = {"agent": Track(n), "customer": Track(n)}
    speech = {"agent": Track(n), "customer": Track(n)}
    segments, chars = [], {"agent": 0, "customer": 0}
    muted, both_silent = [], []
    interruptions = []
    answer = {"source": "none", "rings": None, "answerSeconds": None, "tonePlan": None}
    t = 0.0
    ring_track = spec.get("ringbackChannel", "agent")
    if "ringback" in spec:
        plan, rings, level = spec["ringback"]
        if plan == "crbt":
            sig = music(rings * 5.0 - 0.5, sr, level, seed=spec["seed"] + 7)
            s, e = tracks[ring_track].put(sig, 0.0, sr)
            segments.append({"kind": "ringback", "party": None, "holdKind": None, "startSeconds": s, "endSeconds": e})
            # A CRBT is music: no rings to count, only its length in rings of the 5 s cadence.
            answer = {"source": "ringback", "rings": None, "answerSeconds": e, "tonePlan": "CRBT", "ringEquivalents": rings}
            t = e
        else:
            sig, starts = ringback(plan, rings, sr, level)
            # Pickup comes in the silence after the last burst: trim there.
            freqs, cadence = TONE_PLANS[plan]
            last_on_end = starts[-1] + sum(on + off for on, off in cadence) - cadence[-1][1]
            pickup = last_on_end + spec.get("pickupAfterSeconds", 1.0)
            sig = sig[: int(round(pickup * sr))]
            tracks[ring_track].put(sig, 0.0, sr)
            for i, st in enumerate(starts):
                ring_end = min(pickup, st + sum(on + off for on, off in cadence) - cadence[-1][1])  # a negative
                segments.append({"kind": "ringback", "party": None, "holdKind": None,  # pickupAfter cuts it
                                 "startSeconds": st, "endSeconds": ring_end})
            answer = {"source": "ringback", "rings": rings, "answerSeconds": pickup,
                      "tonePlan": {"china": "China", "northAmerica": "NorthAmerica", "uk": "UK", "cept": "CEPT"}[plan]}
            t = pickup
    t += spec.get("greetingDelaySeconds", 0.6)
    for event in spec["script"]:
        kind = event[0]
        if kind in ("agent", "customer"):
            _, line, gap = event
            voice, speed = spec["voices"][kind]
            sig = speak(line, voice, speed, sr, tmp)
            s, e = speech[kind].put(sig, t, sr)
            segments.append({"kind": "speech", "party": kind, "holdKind": None, "startSeconds": s, "endSeconds": e})
            chars[kind] += len(CJK.findall(line))
            t = e + gap
        elif kind == "hold":
            _, hold_kind, seconds, level, gap = event
            if hold_kind == "music":
                sig = music(seconds, sr, level, seed=spec["seed"])
            elif hold_kind == "tone":
                sig = beeps(seconds, sr, level)
            else:
                sig = np.zeros(int(round(seconds * sr)))
                muted.append((t, t + seconds))  # the agent's leg is cut: not even line noise
                if hold_kind == "voip":  # VoIP silence suppression: the customer's leg goes silent too
                    both_silent.append((t, t + seconds))
                    hold_kind = "silence"
            s, e = tracks["agent"].put(sig, t, sr)
            segments.append({"kind": "hold", "party": None, "holdKind": hold_kind, "startSeconds": s, "endSeconds": e})
            t = e + gap
        elif kind == "hello":
            # The customer's hello over the agent's greeting: starts `offset` s after it.
            _, party, line, offset = event
            previous = [x for x in segments if x["kind"] == "speech"][-1]
            voice, speed = spec["voices"][party]
            s, e = speech[party].put(speak(line, voice, speed, sr, tmp), previous["startSeconds"] + offset, sr)
            segments.append({"kind": "speech", "party": party, "holdKind": None, "startSeconds": s, "endSeconds": e})
            chars[party] += len(CJK.findall(line))
            t = max(t, e + 0.5)
        elif kind in ("interrupt", "backchannel", "overlap"):
            # Speech over the previous utterance: starts `overlap` seconds before it ends.
            _, party, line, overlap = event[:4]
            previous = [x for x in segments if x["kind"] == "speech"][-1]
            voice, speed = spec["voices"][party]
            sig = speak(line, voice, speed, sr, tmp)
            s, e = speech[party].put(sig, previous["endSeconds"] - overlap, sr)
            segments.append({"kind": "speech", "party": party, "holdKind": None, "startSeconds": s, "endSeconds": e})
            chars[party] += len(CJK.findall(line))
            if kind == "interrupt":  # an overlap (a turn started early) is not an interruption
                interruptions.append({"atSeconds": round(s, 3), "by": party})
            if kind in ("interrupt", "overlap"):
                t = max(previous["endSeconds"], e) + event[4]
        elif kind == "pause":
            t += event[1]
    n = int(round((t + spec.get("tailSeconds", 3.0)) * sr))
    for tr in list(tracks.values()) + list(speech.values()):
        tr.x = tr.x[:n]
    # Scale each party's speech to its target P.56 level; the truth is measured on what is written.
    levels = {}
    for party in ("agent", "customer"):
        lvl, _ = p56_active_level(speech[party].x, sr)
        speech[party].x *= 10 ** ((spec["levels"][party] - lvl) / 20)
        levels[party], _ = p56_active_level(speech[party].x, sr)
    rng = np.random.RandomState(spec["seed"])
    snr = spec.get("snrDb")
    kind = spec.get("noiseKind", "white")
    channels = {}
    noise_db = {}
    legs = {}  # each leg's own signal and line noise (mono mixes of calls with `legSnrDb`)
    for party in ("agent", "customer"):
        mix = tracks[party].x + speech[party].x
        if snr is not None:
            noise_db[party] = levels[party] - snr
            mix = mix + noise(n, sr, kind, rng) * 10 ** (noise_db[party] / 20)
        channels[party] = mix
    answer_at = answer["answerSeconds"] or 0.0
    far = "customer" if ring_track == "agent" else "agent"
    if spec.get("farLegSilentUntilAnswer"):  # recording starts at ringing; the far end is not connected yet
        channels[far][: int(round(answer_at * sr))] = 0.0
    for a, b in muted:
        channels["agent"][int(round(a * sr)):int(round(b * sr))] = 0.0
    for a, b in both_silent:
        channels["customer"][int(round(a * sr)):int(round(b * sr))] = 0.0
    mono = spec.get("layout") == "mono"
    if mono and spec.get("legSnrDb"):
        # Each leg brings its own line noise at its own level; a mute silences the agent's leg only.
        for party in ("agent", "customer"):
            leg = tracks[party].x + speech[party].x + noise(n, sr, kind, rng) * 10 ** ((levels[party] - spec["legSnrDb"][party]) / 20)
            if party == far and spec.get("farLegSilentUntilAnswer"):
                leg[: int(round(answer_at * sr))] = 0.0
            for a, b in (muted if party == "agent" else both_silent):
                leg[int(round(a * sr)):int(round(b * sr))] = 0.0
            legs[party] = leg
        line_noise_db = 10 * np.log10(sum(10 ** ((levels[p] - spec["legSnrDb"][p]) / 10) for p in levels))
        noise_db = {p: line_noise_db for p in levels}
        snr = True
        out = (legs["agent"] + legs["customer"])[:, None]
    elif mono:
        # One mixed channel: the line noise is one noise, measured against each party's level.
        mix = tracks["agent"].x + tracks["customer"].x + speech["agent"].x + speech["customer"].x
        if snr is not None:
            ref = min(levels.values())
            noise_db = {p: ref - snr for p in levels}
            mix = mix + noise(n, sr, kind, rng) * 10 ** ((ref - snr) / 20)
        for a, b in muted:
            mix[int(round(a * sr)):int(round(b * sr))] = 0.0
        out = mix[:, None]
    else:
        out = np.stack([channels["agent"], channels["customer"]], axis=1)
    hum_db = {}
    if kind == "hum" and snr is not None:
        # The hum kind is 0.5 white plus 50/150/250 Hz: the truth's SNR is against the broadband part.
        hum_power = sum((1 / k) ** 2 / 2 for k in (1, 3, 5))
        for p in noise_db:
            hum_db[p] = noise_db[p] + 10 * np.log10(hum_power / (hum_power + 0.25))
            noise_db[p] += 10 * np.log10(0.25 / (hum_power + 0.25))
    if spec.get("humDbov") is not None:
        # Mains hum added on every leg at one absolute level, apart from the broadband noise.
        tt = np.arange(n) / sr
        f = spec.get("mainsHz", 50)
        hum = sum(np.sin(2 * np.pi * f * k * tt + k) / k for k in range(1, 7))
        hum *= 10 ** (spec["humDbov"] / 20) / np.sqrt(np.mean(hum ** 2))
        out = out + hum[:, None] * (out != 0).any(axis=0)  # not on a leg that is all zeros
        # The hum is on the line: a muted leg and a suppressed (VoIP) stretch carry none.
        silenced = [(a, b, 0) for a, b in both_silent + ([] if mono else muted)]  # column 0: agent or mono
        silenced += [] if mono else [(a, b, 1) for a, b in both_silent]
        if spec.get("farLegSilentUntilAnswer") and not mono:
            silenced.append((0.0, answer_at, 0 if far == "agent" else 1))
        for a, b, column in silenced:
            out[int(round(a * sr)):int(round(b * sr)), column] = 0.0
        hum_db = {p: spec["humDbov"] for p in levels}
    gain = spec.get("gainDb")
    if gain is not None:  # a gain stage after mixing (written with sox's default dither)
        out = out * 10 ** (gain / 20)
        levels = {p: v + gain for p, v in levels.items()}
        noise_db = {p: v + gain for p, v in noise_db.items()}
        hum_db = {p: v + gain for p, v in hum_db.items()}
    peak = np.max(np.abs(out))
    assert peak < 0.99, f"{spec['name']}: mix clips ({peak:.2f})"
    talk = {p: sum(s["endSeconds"] - s["startSeconds"] for s in segments if s["party"] == p) for p in levels}
    parties = {}
    for party in ("agent", "customer"):
        parties[party] = {
            "talkSeconds": round(talk[party], 3),
            "activeLevelDbov": round(levels[party], 2),
            "snrDb": None if snr is None else round(levels[party] - noise_db[party], 2),
            "clipped": False,
            "speechRateCharsPerMinute": round(chars[party] / talk[party] * 60, 1) if talk[party] else None,
            "characterCount": chars[party],
            "pitchSpreadSemitones": None,
            "humDbov": round(hum_db[party], 2) if party in hum_db else None,
        }
    segments.sort(key=lambda s: s["startSeconds"])
    for s in segments:
        s["startSeconds"] = round(s["startSeconds"], 3)
        s["endSeconds"] = round(s["endSeconds"], 3)
    speech_segments = [s for s in segments if s["kind"] == "speech"]
    last = max(speech_segments, key=lambda s: s["endSeconds"])
    segments = sorted(segments + dead_air(segments), key=lambda s: s["startSeconds"])
    truth = {
        "file": spec["name"],
        "durationSeconds": round(n / sr, 3),
        "sampleRateHz": sr,
        "channels": 1 if mono else 2,
        "layout": "mono" if mono else "stereo",
        "agentChannel": None if mono else "left",
        "answer": answer,
        "parties": parties,
        "segments": segments,
        "interruptions": [] if mono else interruptions,
        "ending": {"lastParty": last["party"], "tailSilenceSeconds": round(n / sr - last["endSeconds"], 3)},
        "warnings": [],
        "noise": {"kind": kind if snr is not None else None, "snrDb": spec.get("snrDb"),
                  "legSnrDb": spec.get("legSnrDb"), "humDbov": spec.get("humDbov"), "gainDb": gain},
    }
    return out, sr, truth


DEAD_AIR_MIN_SECONDS = 3.0


def dead_air(segments):
    """Gaps of at least DEAD_AIR_MIN_SECONDS between the first and last speech in which nobody
    speaks and nothing plays (CallQA's definition, README "Holds and dead air")."""
    speech = [s for s in segments if s["kind"] == "speech"]
    first, last = min(s["startSeconds"] for s in speech), max(s["endSeconds"] for s in speech)
    busy = sorted((s["startSeconds"], s["endSeconds"]) for s in segments
                  if s["kind"] in ("speech", "ringback") or (s["kind"] == "hold"))
    out, covered = [], first
    for a, b in busy:
        if a >= last:
            break
        if a - covered >= DEAD_AIR_MIN_SECONDS and covered >= first:
            out.append({"kind": "deadAir", "party": None, "holdKind": None,
                        "startSeconds": round(covered, 3), "endSeconds": round(a, 3)})
        covered = max(covered, b)
    return out


def write(out, sr, path, encoding, tmp, dither=False):
    raw = os.path.join(tmp, "mix.f32")
    out.astype("<f4").tofile(raw)
    ch = out.shape[1]
    src = ["sox"] + ([] if dither else ["-D"]) + ["-t", "raw", "-e", "floating-point", "-b", "32", "-c", str(ch), "-r", str(sr), raw]
    enc = {
        "pcm16": ["-e", "signed-integer", "-b", "16"],
        "ulaw": ["-e", "u-law", "-b", "8"],
        "alaw": ["-e", "a-law", "-b", "8"],
        "flac": ["-b", "16"],
        "gsm": ["-e", "gsm-full-rate"],
    }[encoding]
    run(src + enc + [path])


def call_specs():
    # espeak-ng's -s is words/min; Mandarin syllables/min is about -s / 0.75.
    f_agent = ("cmn-latn-pinyin+f3", 110)
    f_agent2 = ("cmn-latn-pinyin+f2", 125)
    m_agent = ("cmn-latn-pinyin+m3", 100)
    m_cust = ("cmn-latn-pinyin", 115)
    m_cust2 = ("cmn-latn-pinyin+m1", 135)
    f_cust = ("cmn-latn-pinyin+f4", 95)
    A, C = AGENT_LINES, CUSTOMER_LINES
    base_script = [
        ("agent", A[0], 0.7), ("customer", C[0], 0.6), ("agent", A[1], 0.5), ("customer", C[1], 0.8),
        ("agent", A[2], 0.5),
    ]
    closing = [("agent", A[3], 0.4), ("agent", A[4], 0.8), ("customer", C[3], 0.6), ("agent", A[5], 0.7),
               ("customer", C[4], 0.5), ("agent", A[6], 0.0)]
    # Overtalk: the customer cuts in on the agent, the agent on the customer, and two short
    # backchannels (对, 好) that are not interruptions.
    overtalk = [("agent", A[1], 0.5), ("backchannel", "customer", "对", 1.2), ("customer", C[5], 0.6),
                ("interrupt", "agent", A[8], 1.0, 0.6), ("customer", C[7], 0.5), ("agent", A[9], 0.6),
                ("interrupt", "customer", C[6], 1.2, 0.6), ("backchannel", "agent", "好", 0.9)]
    return [
        dict(name="20261123-090102_agent-1001_call-000001.flac", enc="flac", seed=1,
             ringback=("china", 3, -22.0), voices={"agent": f_agent, "customer": m_cust},
             levels={"agent": -24.0, "customer": -28.0}, snrDb=None,
             script=base_script + overtalk + [("pause", 2.0)] + closing),
        dict(name="20261123-091544_agent-1002_call-000002.wav", enc="ulaw", seed=2,
             ringback=("northAmerica", 2, -25.0), voices={"agent": f_agent2, "customer": m_cust2},
             levels={"agent": -26.0, "customer": -30.0}, snrDb=20, noiseKind="pink",
             script=base_script + [("hold", "music", 18.0, -24.0, 0.6), ("agent", A[7], 0.5)] + closing),
        dict(name="20261123-093012_agent-1003_call-000003.wav", enc="alaw", seed=3,
             ringback=("uk", 3, -30.0), voices={"agent": m_agent, "customer": f_cust},
             levels={"agent": -22.0, "customer": -27.0}, snrDb=10, noiseKind="white",
             script=base_script + [("hold", "tone", 13.0, -26.0, 0.7)] + closing),
        dict(name="20261123-100233_agent-1004_call-000004.flac", enc="flac", seed=4,
             ringback=("cept", 4, -28.0), voices={"agent": f_agent, "customer": m_cust2},
             levels={"agent": -25.0, "customer": -29.0}, snrDb=5, noiseKind="pink",
             script=[("agent", A[7], 0.4)] + base_script + overtalk + closing),
        dict(name="20261123-102011_agent-1001_call-000005.wav", enc="ulaw", seed=5,
             layout="mono", ringback=("china", 2, -26.0), voices={"agent": f_agent2, "customer": m_cust},
             levels={"agent": -25.0, "customer": -27.0}, snrDb=15, noiseKind="white",
             script=base_script + closing),
        dict(name="20261123-104510_agent-1002_call-000006.wav", enc="gsm", seed=6,
             layout="mono", voices={"agent": m_agent, "customer": f_cust},
             levels={"agent": -23.0, "customer": -26.0}, snrDb=30, noiseKind="pink", greetingDelaySeconds=0.8,
             script=base_script + [("hold", "silence", 15.0, None, 0.6), ("agent", A[7], 0.5)] + closing),
        dict(name="20261123-110020_agent-1003_call-000007.wav", enc="ulaw", seed=7,
             ringback=("china", 2, -20.0), ringbackChannel="customer",
             voices={"agent": f_agent, "customer": f_cust},
             levels={"agent": -27.0, "customer": -26.0}, snrDb=5, noiseKind="white",
             script=base_script + [("hold", "music", 15.0, -22.0, 0.8), ("agent", A[3], 0.6)] + closing),
        dict(name="20261123-113300_agent-1004_call-000008.flac", enc="flac", seed=8,
             sampleRateHz=16000, ringback=("crbt", 3, -24.0), voices={"agent": f_agent2, "customer": m_cust},
             levels={"agent": -24.0, "customer": -30.0}, snrDb=40, noiseKind="white",
             script=base_script + overtalk + closing),
        dict(name="20261123-140905_agent-1001_call-000009.wav", enc="pcm16", seed=9,
             ringback=("cept", 2, -34.0), voices={"agent": m_agent, "customer": m_cust2},
             levels={"agent": -28.0, "customer": -25.0}, snrDb=7, noiseKind="hum",
             script=base_script + [("pause", 12.0), ("agent", A[8], 0.6), ("customer", C[5], 0.6)] + closing),
        dict(name="20261123-152240_agent-1002_call-000010.wav", enc="pcm16", seed=10,
             layout="mono", ringback=("northAmerica", 3, -24.0), voices={"agent": f_agent, "customer": m_cust},
             levels={"agent": -24.0, "customer": -26.0}, snrDb=None,
             script=base_script + [("hold", "music", 12.0, -26.0, 0.7), ("agent", A[7], 0.5)] + closing),
    ]


def unseen_specs():
    """The same call plans with voices, speeds, music, noise levels and ring levels that neither
    SampleAudio nor the music model's training corpus uses: a check on detectors tuned to our own calls."""
    voices = [("cmn-latn-pinyin+m2", 150), ("cmn-latn-pinyin+Annie", 90), ("cmn-latn-pinyin+m6", 120),
              ("cmn-latn-pinyin+john", 105), ("cmn-latn-pinyin+klatt2", 140), ("cmn-latn-pinyin+m2", 85)]
    snr_shift = [None, -3, 4, 3, 2, 5, -2, 1, 5, None]
    specs = []
    for i, spec in enumerate(call_specs()):
        spec = dict(spec)
        spec["name"] = spec["name"].replace("call-0000", "unseen-0")
        spec["seed"] = spec["seed"] + 100
        spec["voices"] = {"agent": voices[i % len(voices)], "customer": voices[(i + 3) % len(voices)]}
        if spec.get("snrDb") is not None and snr_shift[i] is not None:
            spec["snrDb"] = max(5, spec["snrDb"] + snr_shift[i])
        if spec.get("ringback"):
            plan, rings, level = spec["ringback"]
            spec["ringback"] = (plan, rings, level - 4.0)
        specs.append(spec)
    sys.path.insert(0, HERE)
    from hard_cases import hard_specs
    return specs + hard_specs(AGENT_LINES, CUSTOMER_LINES)


def main():
    args = sys.argv[1:]
    out_dir, specs = HERE, call_specs()
    if args[:1] == ["--unseen"]:
        out_dir, specs, args = args[1], unseen_specs(), args[2:]
    truth_dir = os.path.join(out_dir, "truth")
    os.makedirs(truth_dir, exist_ok=True)
    only = set(args)
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            if only and spec["name"] not in only:
                continue
            out, sr, truth = build_call(spec, tmp)
            write(out, sr, os.path.join(out_dir, spec["name"]), spec["enc"], tmp, dither=spec.get("gainDb") is not None)
            stem = os.path.splitext(spec["name"])[0]
            with open(os.path.join(truth_dir, stem + ".json"), "w") as f:
                json.dump(truth, f, ensure_ascii=False, indent=1)
            print(f"{spec['name']}: {truth['durationSeconds']} s, {truth['layout']}, "
                  f"agent {truth['parties']['agent']['activeLevelDbov']} dBov, segments {len(truth['segments'])}")


if __name__ == "__main__":
    main()
