#!/usr/bin/env python3
"""Held-out evaluation set 5: 14 synthetic-but-real-voiced inbound calls, written to .build-indep5/.

Built without looking at the detectors (only scripts/evaluate.py and the set-4 truth/meta JSON were
read, as schema examples). Every voice is a real human recording from shared/realaudio; tones,
noise, hum, echo, dropouts and codecs are made here. Deterministic (seed 20261206 + call number).

    python3 scripts/make_independent_calls_set5.py            # -> .build-indep5/{*.wav,*.flac,truth/,meta/}
    CALLQA_REALAUDIO=/path/to/realaudio python3 scripts/make_independent_calls_set5.py

Conditions stressed (see each meta file's "conditions"): echo/crosstalk between legs, 16 kHz and
44.1 kHz files, a very quiet and a clipped hot leg, GSM/A-law/mu-law/MP3/Vorbis/AMR-NB, China/North
America/UK/coloured ring-back and a call recorded from pickup, music hold with an IVR prompt,
beep holds, muted holds, gated VoIP comfort noise, 50 Hz hum, packet loss, busy tone after the far
end hangs up, dead air, 2-4 interruptions per call, two mono calls and one dual-mono call.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from math import gcd

import numpy as np
import soundfile as sf
from scipy import signal
from scipy.ndimage import maximum_filter1d

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT = os.path.join(REPO, ".build-indep5")
SEED = 20261206
HOP = 0.01

# ----------------------------------------------------------------------------------------- material

def find_realaudio():
    cands = [os.environ.get("CALLQA_REALAUDIO"), os.path.join(REPO, "..", "shared", "realaudio")]
    for c in cands:
        if c and os.path.isfile(os.path.join(c, "transcripts.json")):
            return os.path.abspath(c)
    return None


def cjk_count(text):
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def load_mono(path):
    x, fs = sf.read(path, dtype="float64", always_2d=True)
    return x.mean(axis=1), fs


def resample(x, fs_in, fs_out):
    if fs_in == fs_out:
        return x.copy()
    g = gcd(int(fs_in), int(fs_out))
    return signal.resample_poly(x, fs_out // g, fs_in // g)


def voiced_runs(x, fs):
    """Energy trim on 10 ms frames: band-pass 150-3800 Hz, threshold max(floor+12, p99-38) dB,
    drop blips under 30 ms, merge pauses < 0.5 s, drop runs < 0.1 s. Returns [(start_s, end_s)], thr."""
    sos = signal.butter(4, [150, min(3800, 0.45 * fs)], "bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, x)
    h = int(round(fs * HOP))
    n = len(y) // h
    e = 10 * np.log10(np.mean(y[: n * h].reshape(n, h) ** 2, axis=1) + 1e-12)
    floor, peak = np.percentile(e, 10), np.percentile(e, 99)
    thr = max(floor + 12.0, peak - 38.0)
    v = e > thr
    runs, i = [], 0
    while i < n:
        if v[i]:
            j = i
            while j < n and v[j]:
                j += 1
            if j - i >= 3:
                runs.append([i, j])
            i = j
        else:
            i += 1
    merged = []
    for r in runs:
        if merged and r[0] - merged[-1][1] < 50:
            merged[-1][1] = r[1]
        else:
            merged.append(list(r))
    merged = [r for r in merged if r[1] - r[0] >= 10]
    return [(a * HOP, b * HOP) for a, b in merged], float(thr)


class Library:
    def __init__(self, root):
        self.root = root
        self.tr = json.load(open(os.path.join(root, "transcripts.json"), encoding="utf-8"))
        self.cache = {}
        self.rs_cache = {}

    def clip(self, key):
        if key not in self.cache:
            x, fs = load_mono(os.path.join(self.root, key))
            runs, thr = voiced_runs(x, fs)
            text = self.tr[key]["transcript"]
            # keep only the voiced runs (+20 ms, 10 ms raised-cosine ramps): the clip's own lead-in,
            # tail and long pauses (mic background) are removed, so truth = exactly these runs.
            w = np.zeros(len(x))
            ramp = int(0.01 * fs)
            for a, b in runs:
                s0, s1 = max(0, int((a - 0.02) * fs)), min(len(x), int((b + 0.02) * fs))
                w[s0:s1] = 1.0
                r0 = max(0, s0 - ramp)
                w[r0:s0] = np.maximum(w[r0:s0], 0.5 - 0.5 * np.cos(np.pi * np.arange(s0 - r0) / max(ramp, 1)))
                r1 = min(len(x), s1 + ramp)
                w[s1:r1] = np.maximum(w[s1:r1], 0.5 + 0.5 * np.cos(np.pi * np.arange(r1 - s1) / max(ramp, 1)))
            g = x * w
            idx = np.concatenate([np.arange(int(a * fs), int(b * fs)) for a, b in runs])
            rms = np.sqrt(np.mean(g[idx] ** 2))
            self.cache[key] = dict(key=key, x=g, fs=fs, runs=runs, thr=thr, text=text,
                                   chars=cjk_count(text), rms_db=20 * np.log10(rms), peak=np.max(np.abs(g)))
        return self.cache[key]

    def at_rate(self, key, fs_out):
        k = (key, fs_out)
        if k not in self.rs_cache:
            c = self.clip(key)
            self.rs_cache[k] = resample(c["x"], c["fs"], fs_out)
        return self.rs_cache[k]


AISHELL = "zh_speech/aishell_asr0009_sample/BAC009S%sW%s.wav"
S0150 = ["0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0358", "0404", "0447",
         "0456", "0463", "0473", "0481", "0482", "0483", "0488", "0490"]
S0252 = ["0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396", "0435", "0441",
         "0443", "0447", "0458", "0460", "0463", "0480", "0483", "0485"]
VOICES = {
    "S0150": [AISHELL % ("0150", w) for w in S0150],
    "S0252": [AISHELL % ("0252", w) for w in S0252],
}
# other real Mandarin speakers (read and spontaneous), used as extra turns; meeting, TEST_NET and
# MoonCast clips are left out (far mic / text not matching the audio / machine transcripts).
OTHERS = ["zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", "zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac",
          "zh_speech_more/soulxpodcast_female_mandarin.wav", "zh_speech_more/soulxpodcast_male_mandarin.wav",
          "zh_speech_more/mossttsd_zh_spk1_moon.wav", "zh_speech_more/sparktts_prompt_audio.wav",
          "zh_speech_more/fireredasr_BAC009S0764W0121.wav", "zh_speech_more/cosyvoice_zero_shot_prompt.wav",
          "zh_speech/wenet_aishell-BAC009S0724W0121.wav", "zh_speech/funasr_llamacpp_tests_sample.wav"]
GREETING = "zh_speech/funasr_asr_example.wav"  # "欢迎大家来体验…": used as the agent's greeting on some calls

MUSIC = {
    "karissa": "music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
    "sugarplum": "music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
    "hungarian": "music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
    "vibeace": "music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg",
}

# ----------------------------------------------------------------------------------------- DSP bits

def db2a(db):
    return 10.0 ** (db / 20.0)


def rms_db(x):
    return 20 * np.log10(np.sqrt(np.mean(np.square(x))) + 1e-20)


def band_sos(fs):
    if fs <= 8000:
        return signal.butter(6, [300, 3400], "bandpass", fs=fs, output="sos"), "300-3400 Hz"
    if fs <= 16000:
        return signal.butter(6, [100, 7000], "bandpass", fs=fs, output="sos"), "100-7000 Hz"
    return signal.butter(4, 80, "highpass", fs=fs, output="sos"), "80 Hz high-pass only"


def p56_active_db(x, fs):
    """ITU-T P.56 method B active speech level (dB re full scale RMS = dBov)."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) == 0 or not np.any(x):
        return None
    g = np.exp(-1.0 / (fs * 0.03))
    p = signal.lfilter([1 - g], [1, -g], np.abs(x))
    q = signal.lfilter([1 - g], [1, -g], p)
    h2 = int(round(0.1 * fs))
    hang = 2 * h2  # 0.2 s hangover: active at n if q >= c anywhere in [n-hang, n]
    cm = maximum_filter1d(q, size=hang + 1, mode="constant", cval=0.0)  # centred window [m-h2, m+h2]
    qmax = np.empty_like(q)
    qmax[h2:] = cm[: len(q) - h2]
    qmax[:h2] = np.maximum.accumulate(q[:h2])
    sq = np.sum(x * x)
    srt = np.sort(qmax)
    M = 15.9
    cs_db = np.arange(-100.0, 0.01, 0.25)
    prev = None
    for c_db in cs_db:
        c = db2a(c_db)
        a = len(srt) - np.searchsorted(srt, c)
        if a == 0:
            break
        A = 10 * np.log10(sq / a)
        d = A - c_db - M
        if d <= 0:
            if prev is None:
                return A
            pA, pd = prev
            return pA + (A - pA) * (pd / (pd - d))
        prev = (A, d)
    return 10 * np.log10(sq / len(x))


def pink(n, rng):
    w = rng.standard_normal(n)
    F = np.fft.rfft(w)
    f = np.arange(len(F), dtype=np.float64)
    f[0] = 1
    F = F / np.sqrt(np.maximum(f, max(1.0, len(F) * 0.0005)))
    y = np.fft.irfft(F, n)
    return y / np.sqrt(np.mean(y ** 2))


def tone(fs, n, freqs, level_db):
    t = np.arange(n) / fs
    y = sum(np.sin(2 * np.pi * f * t) for f in freqs)
    y = y / np.sqrt(np.mean(y ** 2)) * db2a(level_db) if n > 0 else y
    r = min(int(0.005 * fs), n // 2)
    if r > 0:
        env = np.ones(n)
        env[:r] = np.linspace(0, 1, r)
        env[-r:] = np.linspace(1, 0, r)
        y = y * env
    return y


def add_at(buf, start, x):
    if start < 0:
        x = x[-start:]
        start = 0
    end = min(len(buf), start + len(x))
    if end > start:
        buf[start:end] += x[: end - start]


def fade(x, fs, sec):
    n = min(int(sec * fs), len(x) // 2)
    if n > 0:
        x = x.copy()
        x[:n] *= np.linspace(0, 1, n)
        x[-n:] *= np.linspace(1, 0, n)
    return x


# ----------------------------------------------------------------------------------------- codecs

def align(ref, y):
    """Shift decoded y so it lines up with ref (codec delay), same length as ref."""
    n = min(len(ref), len(y), 8 * 16000)
    a, b = ref[:n], y[: n + 5000] if len(y) >= n + 5000 else np.pad(y, (0, n + 5000 - len(y)))
    cc = signal.correlate(b, a, mode="valid", method="fft")
    lag = int(np.argmax(cc))
    out = y[lag: lag + len(ref)]
    if len(out) < len(ref):
        out = np.pad(out, (0, len(ref) - len(out)))
    return out, lag


def sox_roundtrip(x, fs, spec, ext):
    """Encode one channel with sox (spec = list of output options), decode back to 16-bit PCM.
    -D: no dither, so the output is deterministic."""
    d = tempfile.mkdtemp(prefix="indep5_")
    try:
        src, enc, dec = (os.path.join(d, n) for n in ("in.wav", "enc." + ext, "dec.wav"))
        sf.write(src, np.clip(x, -1, 1), fs, subtype="PCM_16")
        subprocess.run(["sox", "-D", src] + spec + [enc], check=True, capture_output=True)
        subprocess.run(["sox", "-D", enc, "-r", str(fs), "-c", "1", "-e", "signed", "-b", "16", dec], check=True,
                       capture_output=True)
        y, _ = sf.read(dec, dtype="float64")
        return align(x, y)
    finally:
        shutil.rmtree(d, ignore_errors=True)


CODECS = {
    "gsm": (["-t", "gsm"], "gsm", "GSM 06.10 full rate (sox -t gsm), decoded back to 16-bit PCM"),
    "amr": (["-t", "amr-nb", "-C", "7"], "amr", "AMR-NB 12.2 kbit/s (sox -t amr-nb -C 7), decoded back to 16-bit PCM"),
    "mp3": (["-t", "mp3", "-C", "8"], "mp3", "MP3 8 kbit/s CBR (sox/LAME -C 8), decoded back, delay removed by cross-correlation"),
    "vorbis": (["-t", "ogg", "-C", "-1"], "ogg", "Ogg Vorbis quality -1 (~ lowest bitrate), decoded back"),
    "alaw_rt": (["-e", "a-law", "-t", "wav"], "wav", "G.711 A-law round trip (sox -e a-law), stored as 16-bit PCM"),
}

# ----------------------------------------------------------------------------------------- tones

RING_PLANS = {
    "China": dict(freqs=[450], pattern=[(1.0, True), (4.0, False)]),
    "NorthAmerica": dict(freqs=[440, 480], pattern=[(2.0, True), (4.0, False)]),
    "UK": dict(freqs=[400, 450], pattern=[(0.4, True), (0.2, False), (0.4, True), (2.0, False)]),
}

# ----------------------------------------------------------------------------------------- calls

CALLS = [
    dict(n=1, hms="083512", agent="8001", fs=8000, layout="stereo", ext="wav", store="ulaw",
         ring=("China", 3), voices=("S0150", "S0252"), greet=True, turns=14, n_intr=3,
         levels=dict(agent=-19, customer=-25), noise=dict(agent=("pink", -58), customer=("pink", -50)),
         echo=[("customer", "agent", -26, 40)],
         holds=[dict(kind="music", dur=72, music="karissa", offset=20.0, prompt="ivr_prompts/queue-periodic-announce.wav")],
         hangup="customer", busy=3.0),
    dict(n=2, hms="085047", agent="8002", fs=16000, layout="stereo", ext="flac",
         ring=("NorthAmerica", 2), voices=("S0252", "S0150"), greet=False, turns=12, n_intr=2,
         levels=dict(agent=-21, customer=-40), noise=dict(agent=("white", -62), customer=("white", -63)),
         echo=[("customer", "agent", -24, 30), ("agent", "customer", -31, 65)],
         holds=[dict(kind="tone", dur=35, freq=425, on=0.3, period=4.0)],
         hangup="agent"),
    dict(n=3, hms="091733", agent="8003", fs=8000, layout="stereo", ext="wav", codec="gsm",
         ring=("UK", 4), voices=("S0150", "S0252"), greet=True, turns=13, n_intr=3,
         levels=dict(agent=-14, customer=-24), hot="agent",
         noise=dict(agent=("pink", -56), customer=("pink", -50)), gated=dict(customer=None),
         holds=[dict(kind="silence", dur=45)], hangup="agent"),
    dict(n=4, hms="093905", agent="8004", fs=8000, layout="mono", ext="wav", store="alaw",
         ring=("China", 2), voices=("S0252", "S0150"), greet=False, turns=13, n_intr=2,
         levels=dict(agent=-20, customer=-23), noise=dict(agent=("pink", -47), customer=("pink", -47)),
         deadair=[20.0], hangup="customer"),
    dict(n=5, hms="100214", agent="8005", fs=44100, layout="stereo", ext="wav",
         ring=None, voices=("S0150", "S0252"), greet=True, turns=14, n_intr=3,
         levels=dict(agent=-20, customer=-23), noise=dict(agent=("white", -47), customer=("white", -49)),
         hum=dict(customer=-45), echo=[("agent", "customer", -28, 70)], hangup="customer", busy=4.0),
    dict(n=6, hms="102630", agent="8006", fs=8000, layout="stereo", ext="wav", codec="mp3",
         ring=("CRBT", None), crbt=dict(music="hungarian", offset=8.0, dur=13.0), voices=("S0252", "S0150"),
         greet=False, turns=12, n_intr=2, levels=dict(agent=-18, customer=-22),
         noise=dict(agent=("pink", -55), customer=("white", -48)), dropouts="customer",
         holds=[dict(kind="music", dur=66, music="sugarplum", offset=10.0, prompt="ivr_prompts/busy-pls-hold.wav")],
         hangup="agent"),
    dict(n=7, hms="105158", agent="8001", fs=8000, layout="dualmono", ext="wav", codec="amr",
         ring=("NorthAmerica", 3), voices=("S0150", "S0252"), greet=True, turns=12, n_intr=2,
         levels=dict(agent=-21, customer=-24), noise=dict(agent=("white", -50), customer=("white", -50)),
         holds=[dict(kind="tone", dur=30, freq=1000, on=0.5, period=5.0)], hangup="customer"),
    dict(n=8, hms="111340", agent="8002", fs=16000, layout="stereo", ext="wav", codec="vorbis",
         ring=("China", 4), voices=("S0252", "S0150"), greet=False, turns=14, n_intr=3,
         levels=dict(agent=-39, customer=-22), noise=dict(agent=("pink", -61), customer=("pink", -50)),
         echo=[("customer", "agent", -22, 25)], deadair=[18.0], hangup="customer"),
    dict(n=9, hms="113722", agent="8003", fs=16000, layout="mono", ext="flac",
         ring=("UK", 2), voices=("S0150", "S0252"), greet=True, turns=12, n_intr=2,
         levels=dict(agent=-21, customer=-24), noise=dict(agent=("pink", -48), customer=("pink", -48)),
         gated=dict(agent=None, customer=None), holds=[dict(kind="silence", dur=30)], hangup="agent"),
    dict(n=10, hms="131905", agent="8004", fs=8000, layout="stereo", ext="wav",
         ring=("NorthAmerica", 2), voices=("S0252", "S0150"), greet=False, turns=14, n_intr=4,
         levels=dict(agent=-20, customer=-13), hot="customer",
         noise=dict(agent=("white", -57), customer=("white", -29)),
         echo=[("agent", "customer", -20, 50)], hangup="customer", busy=2.5),
    dict(n=11, hms="134451", agent="8005", fs=44100, layout="stereo", ext="flac",
         ring=("China", 3), voices=("S0150", "S0252"), greet=True, turns=13, n_intr=3,
         levels=dict(agent=-22, customer=-26), noise=dict(agent=("pink", -52), customer=("pink", -49)),
         echo=[("customer", "agent", -30, 80)], holds=[dict(kind="tone", dur=40, freq=425, on=0.25, period=3.0)],
         hangup="agent"),
    dict(n=12, hms="141016", agent="8006", fs=8000, layout="stereo", ext="wav", codec="alaw_rt",
         ring=("UK", 3), voices=("S0252", "S0150"), greet=False, turns=12, n_intr=2,
         levels=dict(agent=-20, customer=-25), noise=dict(agent=("white", -55), customer=("pink", -52)),
         hum=dict(agent=-42), dropouts="agent", holds=[dict(kind="silence", dur=25)], hangup="customer"),
    dict(n=13, hms="143548", agent="8001", fs=16000, layout="stereo", ext="flac",
         ring=("China", 2), voices=("S0150", "S0252"), greet=True, turns=13, n_intr=3,
         levels=dict(agent=-20, customer=-24), noise=dict(agent=("pink", -50), customer=("pink", -47)),
         gated=dict(agent=-18.0, customer=-18.0), echo=[("agent", "customer", -32, 20)],
         hangup="customer", busy=5.0),
    dict(n=14, hms="152209", agent="8002", fs=8000, layout="stereo", ext="wav",
         ring=("China", 5), voices=("S0252", "S0150"), greet=False, turns=13, n_intr=2,
         levels=dict(agent=-19, customer=-41), noise=dict(agent=("white", -47), customer=("white", -60)),
         echo=[("customer", "agent", -29, 55)], holds=[dict(kind="music", dur=50, music="vibeace", offset=5.0)],
         hangup="agent"),
]


def conditions_of(cfg):
    c = []
    c.append(f"{cfg['fs']} Hz")
    c.append({"stereo": "stereo, agent LEFT", "mono": "mono mix", "dualmono": "dual-mono (same mix, right -1.5 dB)"}[cfg["layout"]])
    if cfg.get("ring") is None:
        c.append("no ringback (recording starts at pickup)")
    elif cfg["ring"][0] == "CRBT":
        c.append("coloured ring-back (real music)")
    else:
        c.append(f"{cfg['ring'][0]} ringback x{cfg['ring'][1]}")
    for e in cfg.get("echo", []):
        c.append(f"echo: {e[1]} leaking into {e[0]} leg at {e[2]} dB, {e[3]} ms")
    for p, lv in cfg["levels"].items():
        if lv <= -38:
            c.append(f"very quiet {p} leg ({lv} dBov target)")
    if cfg.get("hot"):
        c.append(f"hot clipped {cfg['hot']} leg")
    if cfg.get("codec"):
        c.append(f"codec {cfg['codec']}")
    if cfg.get("store"):
        c.append(f"file stored as G.711 {cfg['store']} WAV")
    for h in cfg.get("holds", []):
        c.append(f"{h['kind']} hold {h['dur']} s" + (" with IVR prompt" if h.get("prompt") else ""))
    for d in cfg.get("deadair", []):
        c.append(f"dead air {d} s")
    if cfg.get("gated"):
        c.append("gated VoIP comfort noise on " + "+".join(cfg["gated"]))
    for p, lv in (cfg.get("hum") or {}).items():
        c.append(f"50 Hz hum + harmonics on {p} leg ({lv} dBov)")
    if cfg.get("dropouts"):
        c.append(f"packet loss (20-60 ms dropouts) on {cfg['dropouts']} leg")
    c.append("noise " + "/".join(f"{k}:{v[0]}" for k, v in cfg["noise"].items()))
    if cfg.get("busy"):
        c.append(f"China busy tone {cfg['busy']} s after {cfg['hangup']} hangs up")
    c.append(f"{cfg['n_intr']} interruptions")
    return c


def plan_script(cfg, lib, rng):
    """Turn order, clip choice, holds/dead air positions, interruptions."""
    av, cv = cfg["voices"]
    apool = list(VOICES[av])
    cpool = list(VOICES[cv])
    rng.shuffle(apool)
    rng.shuffle(cpool)
    others = list(OTHERS)
    rng.shuffle(others)
    extra_c = others[:2]
    T = cfg["turns"]
    parties = ["agent"]
    while len(parties) < T:
        last = parties[-1]
        if len(parties) >= 3 and rng.random() < 0.12:
            parties.append(last)
        else:
            parties.append("customer" if last == "agent" else "agent")
    items = [dict(type="turn", party=p) for p in parties]
    events = [("hold", h) for h in cfg.get("holds", [])] + [("deadair", d) for d in cfg.get("deadair", [])]
    # place events in the middle third, after an agent turn (hold) / any turn (dead air)
    for kind, spec in events:
        mid = list(range(len(items) // 3, 2 * len(items) // 3 + 1))
        rng.shuffle(mid)
        for k in mid:
            if items[k]["type"] != "turn" or (k + 1 < len(items) and items[k + 1]["type"] != "turn"):
                continue
            if any(it["type"] != "turn" for it in items[max(0, k - 2): k + 3]):
                continue
            if kind == "hold":
                if items[k]["party"] != "agent":
                    continue
                items[k]["role"] = "asks the customer to wait (请您稍等-style turn)"
                items.insert(k + 1, dict(type="hold", spec=spec))
                items.insert(k + 2, dict(type="turn", party="agent", role="thanks the customer for waiting (感谢您的耐心等待-style turn)"))
            else:
                items.insert(k + 1, dict(type="deadair", dur=spec))
            break
        else:
            raise RuntimeError("could not place event")
    # clips
    turns = [it for it in items if it["type"] == "turn"]
    for i, it in enumerate(turns):
        if it["party"] == "agent":
            it["clip"] = GREETING if (i == 0 and cfg.get("greet")) else apool.pop()
        else:
            it["clip"] = cpool.pop()
    # two customer turns use other real speakers (spontaneous / other read speech)
    cidx = [i for i, it in enumerate(turns) if it["party"] == "customer" and i > 1]
    for j, i in enumerate(sorted(rng.choice(cidx, size=min(2, len(cidx)), replace=False))):
        turns[i]["clip"] = extra_c[j]
    if turns[0]["party"] == "agent":
        turns[0].setdefault("role", "greeting")
    # interruptions: the interrupter starts while the previous (other-party) turn's last run is going
    cand = []
    for k in range(2, len(items)):
        it, prev = items[k], items[k - 1]
        if it["type"] != "turn" or prev["type"] != "turn" or it["party"] == prev["party"]:
            continue
        if it.get("role") or prev.get("role") or (k + 1 < len(items) and items[k + 1]["type"] != "turn"):
            continue
        last = lib.clip(prev["clip"])["runs"][-1]
        if last[1] - last[0] < 2.2:
            continue
        cand.append(k)
    rng.shuffle(cand)
    chosen = []
    for k in cand:
        if len(chosen) >= cfg["n_intr"]:
            break
        if any(abs(k - c) < 2 for c in chosen):
            continue
        chosen.append(k)
    if len(chosen) < cfg["n_intr"]:
        raise RuntimeError(f"call {cfg['n']}: only {len(chosen)} interruption slots")
    for k in chosen:
        items[k]["interrupt"] = True
    return items


def render_call(cfg, lib, realroot):
    n = cfg["n"]
    rng = np.random.default_rng([SEED, n])
    fs = cfg["fs"]
    stem = f"20261206-{cfg['hms']}_agent-{cfg['agent']}_call-{800000 + n}"
    fname = stem + "." + cfg["ext"]
    sos, band_note = band_sos(fs)
    items = plan_script(cfg, lib, rng)

    # ---------------- timeline (seconds)
    ring_segs, ring_meta = [], None
    t = 0.0
    rp = cfg.get("ring")
    if rp is None:
        pickup = 0.0
        answer = dict(source=None, rings=None, answerSeconds=None, tonePlan=None)
    elif rp[0] == "CRBT":
        t0 = float(rng.uniform(0.4, 1.0))
        pickup = t0 + cfg["crbt"]["dur"]
        ring_segs.append((t0, pickup))
        answer = dict(source="ringback", rings=None, answerSeconds=pickup, tonePlan="CRBT")
        ring_meta = dict(plan="CRBT", start=t0, music=MUSIC[cfg["crbt"]["music"]], musicOffsetSeconds=cfg["crbt"]["offset"])
    else:
        plan = RING_PLANS[rp[0]]
        t0 = float(rng.uniform(0.3, 1.2))
        cyc = sum(d for d, _ in plan["pattern"])
        bursts = []
        for r in range(rp[1]):
            s = t0 + r * cyc
            tt = s
            for d, on in plan["pattern"]:
                if on:
                    bursts.append((tt, tt + d))
                tt += d
            # truth segment per ring: first burst start to last burst end of the cadence
            ring_segs.append((s, s + sum(d for d, _ in plan["pattern"][:-1])))
        last_end = ring_segs[-1][1]
        off = plan["pattern"][-1][0]
        pickup = last_end + float(rng.uniform(0.4, min(1.6, off - 0.4)))
        answer = dict(source="ringback", rings=rp[1], answerSeconds=pickup, tonePlan=rp[0])
        ring_meta = dict(plan=rp[0], freqs=plan["freqs"], bursts=bursts, levelDbov=-20.0)

    placements, holds, deadairs, intr_planned = [], [], [], []
    cursor = pickup + float(rng.uniform(0.4, 0.9))  # first voiced start
    last_turn = None
    first = True
    for index, it in enumerate(items):
        if it["type"] == "turn":
            c = lib.clip(it["clip"])
            runs = c["runs"]
            if first:
                vstart = cursor
                first = False
            elif it.get("interrupt"):
                lr = last_turn["abs_runs"][-1]
                ov = float(rng.uniform(0.8, min(1.8, (lr[1] - lr[0]) - 0.5)))
                vstart = lr[1] - ov
                intr_planned.append(dict(atSeconds=vstart, by=it["party"], overlapSeconds=round(ov, 3)))
            elif it.get("after_event"):
                vstart = it["after_event"]
            else:
                vstart = cursor + float(rng.uniform(0.35, 1.2))
            off0 = vstart - runs[0][0]
            abs_runs = [(off0 + a, off0 + b) for a, b in runs]
            pl = dict(party=it["party"], clip=it["clip"], text=c["text"], chars=c["chars"], offset=off0,
                      abs_runs=abs_runs, role=it.get("role"), interrupt=bool(it.get("interrupt")))
            placements.append(pl)
            cursor = max(cursor, abs_runs[-1][1])
            last_turn = pl
        elif it["type"] == "hold":
            h = dict(it["spec"])
            hs = cursor + float(rng.uniform(0.8, 1.4))
            he = hs + h["dur"]
            if h["kind"] == "tone":
                beeps = []
                b = hs
                while b + h["on"] <= hs + h["dur"] + 1e-9:
                    beeps.append((b, b + h["on"]))
                    b += h["period"]
                he = beeps[-1][1]
                h["beeps"] = beeps
            h["start"], h["end"] = hs, he
            holds.append(h)
            cursor = he
            nxt = items[index + 1]
            nxt["after_event"] = he + float(rng.uniform(0.7, 1.3))
        elif it["type"] == "deadair":
            ds = cursor
            de = ds + it["dur"]
            deadairs.append((ds, de))
            cursor = de
            nxt = items[index + 1]
            nxt["after_event"] = de

    last_speech = max(p["abs_runs"][-1][1] for p in placements)
    hang_t = last_speech + float(rng.uniform(0.8, 1.8))
    busy = cfg.get("busy")
    if busy:
        busy_start = hang_t + 0.3
        dur = busy_start + busy
    else:
        dur = hang_t + float(rng.uniform(0.6, 1.4))
    N = int(round(dur * fs))
    dur = N / fs
    S = lambda sec: int(round(sec * fs))

    # ---------------- party speech stems
    speech = {p: np.zeros(N) for p in ("agent", "customer")}
    gains = []
    for pl in placements:
        c = lib.clip(pl["clip"])
        x = lib.at_rate(pl["clip"], fs)
        xf = signal.sosfiltfilt(sos, x)  # channel band first, so the level target holds in-band
        idx = np.concatenate([np.arange(S(a), min(len(xf), S(b))) for a, b in c["runs"]])
        target = cfg["levels"][pl["party"]] + float(rng.uniform(-1.5, 1.5))
        g = target - rms_db(xf[idx])
        if cfg.get("hot") != pl["party"]:
            g = min(g, 20 * np.log10(0.89 / np.max(np.abs(xf))))  # no clipping on normal legs
        pl["gainDb"] = round(float(g), 2)
        add_at(speech[pl["party"]], S(pl["offset"]), xf * db2a(g))
    clipped_frac = {}
    for p in speech:
        if cfg.get("hot") == p:
            speech[p] = np.clip(speech[p], -1.0, 1.0)
        clipped_frac[p] = float(np.mean(np.abs(speech[p][np.abs(speech[p]) > 1e-4]) >= 0.999))

    # ---------------- content on each leg (tones, music, prompts)
    content = {p: np.zeros(N) for p in ("agent", "customer")}
    if ring_meta and ring_meta["plan"] != "CRBT":
        for a, b in ring_meta["bursts"]:
            add_at(content["agent"], S(a), tone(fs, S(b) - S(a), ring_meta["freqs"], -20.0))
    elif ring_meta:
        m, mfs = load_mono(os.path.join(realroot, ring_meta["music"]))
        m = resample(m, mfs, fs)
        m = signal.sosfiltfilt(sos, m)
        o = int(ring_meta["musicOffsetSeconds"] * fs)
        seg = m[o: o + S(pickup) - S(ring_segs[0][0])]
        seg = seg / np.sqrt(np.mean(seg ** 2)) * db2a(-22.0)
        seg = seg * np.concatenate([np.linspace(0, 1, min(len(seg), int(0.3 * fs))), np.ones(max(0, len(seg) - int(0.3 * fs)))])
        add_at(content["agent"], S(ring_segs[0][0]), seg)
        ring_meta["levelDbov"] = -22.0
    mute = np.ones(N)  # agent-leg mute mask (muted hold)
    for h in holds:
        a, b = S(h["start"]), S(h["end"])
        if h["kind"] == "music":
            m, mfs = load_mono(os.path.join(realroot, MUSIC[h["music"]]))
            m = signal.sosfiltfilt(sos, resample(m, mfs, fs))
            o = int(h["offset"] * fs)
            seg = m[o: o + (b - a)]
            if len(seg) < b - a:
                seg = np.concatenate([seg, m[: (b - a) - len(seg)]])
            seg = seg / np.sqrt(np.mean(seg ** 2)) * db2a(-24.0)
            env = np.ones(b - a)
            if h.get("prompt"):
                pr, pfs = load_mono(os.path.join(realroot, h["prompt"]))
                pr = signal.sosfiltfilt(sos, resample(pr, pfs, fs))
                pr = pr / np.sqrt(np.mean(pr[np.abs(pr) > 1e-3] ** 2)) * db2a(-22.0)
                ps = (b - a) // 2 - len(pr) // 2
                gap = int(0.4 * fs)
                r = int(0.3 * fs)
                env[ps - gap: ps + len(pr) + gap] = 0
                env[ps - gap - r: ps - gap] = np.linspace(1, 0, r)
                env[ps + len(pr) + gap: ps + len(pr) + gap + r] = np.linspace(0, 1, r)
                h["promptSeconds"] = [round(h["start"] + ps / fs, 3), round(h["start"] + (ps + len(pr)) / fs, 3)]
                seg = seg * env
                seg[ps: ps + len(pr)] += pr
            add_at(content["agent"], a, fade(seg, fs, 0.05))
            h["levelDbov"] = -24.0
        elif h["kind"] == "tone":
            for x0, x1 in h["beeps"]:
                add_at(content["agent"], S(x0), tone(fs, S(x1) - S(x0), [h["freq"]], -20.0))
            h["levelDbov"] = -20.0
        elif h["kind"] == "silence":
            mute[a:b] = 0.0

    # ---------------- noise stems
    noise = {}
    noise_meta = {}
    for p, (kind, lvl) in cfg["noise"].items():
        if kind == "white":
            w = rng.standard_normal(N)
        else:
            w = signal.sosfiltfilt(sos, pink(N, rng))
        w = w / np.sqrt(np.mean(w ** 2)) * db2a(lvl)
        noise[p] = w
        noise_meta[p] = dict(kind=kind, levelDbov=lvl)
    # agent leg before pickup: only the ring/CRBT over a -75 dBov floor
    pk = S(pickup)
    noise["agent"][:pk] = rng.standard_normal(pk) * db2a(-75.0)
    gate_masks = {}
    for p, off_db in (cfg.get("gated") or {}).items():
        # comfort-noise gate: open while the leg's own speech is above (level - 30 dB) on 20 ms
        # frames, 100 ms hangover; closed -> digital zero (off_db None) or CN off_db lower
        x = speech[p]
        h = int(0.02 * fs)
        nf = N // h
        e = 10 * np.log10(np.mean(x[: nf * h].reshape(nf, h) ** 2, axis=1) + 1e-20)
        on = e > cfg["levels"][p] - 30
        on = maximum_filter1d(on.astype(np.uint8), size=11, origin=-5).astype(bool)
        gm = np.repeat(on, h)
        gm = np.concatenate([gm, np.zeros(N - len(gm), bool)])
        gate_masks[p] = gm
        noise[p] = np.where(gm, noise[p], 0.0 if off_db is None else noise[p] * db2a(off_db))
        noise_meta[p]["gated"] = dict(open="own speech frames above level-30 dB, 100 ms hangover",
                                      closed="digital zero" if off_db is None else f"comfort noise {off_db} dB lower",
                                      openFraction=round(float(gm[pk:].mean()), 3))
    hum_stem = {p: np.zeros(N) for p in ("agent", "customer")}
    for p, lvl in (cfg.get("hum") or {}).items():
        tt = np.arange(N) / fs
        amps = [1.0, 0.45, 0.7, 0.3, 0.35, 0.15, 0.2]
        hx = sum(a * np.sin(2 * np.pi * 50 * (k + 1) * tt + rng.uniform(0, 2 * np.pi)) for k, a in enumerate(amps))
        hum_stem[p] = hx / np.sqrt(np.mean(hx ** 2)) * db2a(lvl)
        hum_stem[p][: (pk if p == "agent" else 0)] = 0

    # ---------------- echo / crosstalk
    echo_meta = []
    leak = {p: np.zeros(N) for p in ("agent", "customer")}
    if cfg["layout"] == "stereo":
        esos = signal.butter(4, [300, min(3400, 0.45 * fs)], "bandpass", fs=fs, output="sos")
        for into, frm, gdb, dms in cfg.get("echo", []):
            d = int(round(dms / 1000 * fs))
            src = signal.sosfilt(esos, speech[frm])
            leak[into][d:] += src[: N - d] * db2a(gdb)
            echo_meta.append(dict(intoLeg=into, fromParty=frm, gainDb=gdb, delayMs=dms,
                                  note="the other party's speech stem, 300-3400 Hz, delayed; not that leg's party in truth"))

    # ---------------- legs
    leg = {}
    for p in ("agent", "customer"):
        leg[p] = speech[p] + content[p] + noise[p] + hum_stem[p] + leak[p]
    leg["agent"] *= mute
    # packet loss
    drops = []
    if cfg.get("dropouts"):
        p = cfg["dropouts"]
        tcur = max(pickup, 1.0) + float(rng.uniform(0.5, 2.0))
        while tcur < hang_t - 1:
            dl = float(rng.choice([0.02, 0.04, 0.06]))
            drops.append((round(tcur, 3), round(tcur + dl, 3)))
            tcur += dl + float(rng.uniform(1.0, 4.0))
        for a, b in drops:
            for arr in (leg[p], speech[p], noise[p]):
                arr[S(a): S(b)] = 0.0
    # hang-up: the hanging-up party's leg goes to zero; busy tone on it after the customer hangs up
    hp = cfg["hangup"]
    hs = S(hang_t)
    leg[hp][hs:] = 0.0
    if busy:
        bt = busy_start
        while bt < dur:
            add_at(leg[hp], S(bt), tone(fs, min(S(bt + 0.35), N) - S(bt), [450], -18.0))
            bt += 0.7
    # ---------------- truth segments
    segs = []
    for a, b in ring_segs:
        segs.append(dict(kind="ringback", party=None, holdKind=None, startSeconds=a, endSeconds=b))
    party_runs = {"agent": [], "customer": []}
    for pl in placements:
        party_runs[pl["party"]] += [list(r) for r in pl["abs_runs"]]
    for p in party_runs:
        rr = sorted(party_runs[p])
        merged = []
        for r in rr:
            if merged and r[0] - merged[-1][1] < 0.5:
                merged[-1][1] = max(merged[-1][1], r[1])
            else:
                merged.append(r)
        party_runs[p] = merged
        for a, b in merged:
            segs.append(dict(kind="speech", party=p, holdKind=None, startSeconds=a, endSeconds=b))
    for h in holds:
        segs.append(dict(kind="hold", party=None, holdKind=h["kind"], startSeconds=h["start"], endSeconds=h["end"]))
    for a, b in deadairs:
        segs.append(dict(kind="deadAir", party=None, holdKind=None, startSeconds=a, endSeconds=b))
    segs.sort(key=lambda s: (s["startSeconds"], s["kind"]))
    for s in segs:
        s["startSeconds"] = round(s["startSeconds"], 6)
        s["endSeconds"] = round(s["endSeconds"], 6)

    # interruptions derived from the truth segments (and checked against the plan)
    interruptions = []
    for p, q in (("agent", "customer"), ("customer", "agent")):
        for a, b in party_runs[p]:
            for c0, c1 in party_runs[q]:
                if c0 < a < c1 and min(b, c1) - a >= 0.5:
                    interruptions.append(dict(atSeconds=round(a, 6), by=p))
    interruptions.sort(key=lambda d: d["atSeconds"])
    planned = sorted((round(d["atSeconds"], 6), d["by"]) for d in intr_planned)
    got = [(d["atSeconds"], d["by"]) for d in interruptions]
    assert planned == got, (n, planned, got)

    # ---------------- levels / SNR truth
    def seg_samples(x, runs):
        idx = [np.arange(S(a), min(N, S(b))) for a, b in runs]
        return x[np.concatenate(idx)] if idx else np.zeros(0)

    excl = np.zeros(N, bool)  # noise-measurement exclusion: before pickup, holds, near speech/tones, after hang-up
    excl[:pk] = True
    excl[hs:] = True
    for h in holds:
        excl[S(h["start"] - 0.2): S(h["end"] + 0.2)] = True
    for p in party_runs:
        for a, b in party_runs[p]:
            excl[max(0, S(a - 0.2)): S(b + 0.2)] = True
    for a, b in drops:
        excl[S(a): S(b)] = True

    def noise_level(x, p=None):
        m = ~excl
        if p in gate_masks:
            m = gate_masks[p] & ~excl  # gated leg: level while the gate is open
            if m.sum() < fs:
                m = gate_masks[p].copy()
                m[:pk] = False
        if not m.any():
            return None
        return rms_db(x[m])

    parties = {}
    levels_meta = {}
    for p in ("agent", "customer"):
        x = seg_samples(speech[p], party_runs[p])
        lvl = p56_active_db(x, fs)
        talk = sum(b - a for a, b in party_runs[p])
        chars = sum(pl["chars"] for pl in placements if pl["party"] == p)
        parties[p] = dict(talkSeconds=round(talk, 2), activeLevelDbov=round(lvl, 2), snrDb=None,
                          clipped=bool(clipped_frac[p] >= 1e-4), speechRateCharsPerMinute=round(chars / talk * 60, 2),
                          characterCount=int(chars), pitchSpreadSemitones=None, humDbov=None)
        levels_meta[p] = dict(p56ActiveDbov=round(lvl, 2), segmentRmsDbov=round(rms_db(x), 2),
                              targetDbov=cfg["levels"][p], clippedSampleFraction=round(clipped_frac[p], 5),
                              peak=round(float(np.max(np.abs(speech[p]))), 3))
    hum_all = None
    if cfg["layout"] == "stereo":
        leg_snr = {}
        for p in ("agent", "customer"):
            nl = noise_level(noise[p], p)
            noise_meta[p]["measuredDbov"] = round(nl, 2)
            parties[p]["snrDb"] = round(parties[p]["activeLevelDbov"] - nl, 2)
            leg_snr[p] = parties[p]["snrDb"]
            if p in (cfg.get("hum") or {}):
                parties[p]["humDbov"] = float(cfg["hum"][p])
                hum_all = float(cfg["hum"][p])
        noise_truth = dict(kind="/".join(sorted(set(v[0] for v in cfg["noise"].values()))) + (" (gated comfort noise)" if cfg.get("gated") else ""),
                           snrDb=None, legSnrDb=leg_snr, humDbov=hum_all, gainDb=None)
    else:
        mixn = noise["agent"] + noise["customer"]
        if gate_masks:
            gate_masks["mix"] = gate_masks.get("agent", np.zeros(N, bool)) | gate_masks.get("customer", np.zeros(N, bool))
        nl = noise_level(mixn, "mix" if gate_masks else None)
        for p in ("agent", "customer"):
            parties[p]["snrDb"] = round(parties[p]["activeLevelDbov"] - nl, 2)
        allruns = sorted(party_runs["agent"] + party_runs["customer"])
        mix_lvl = p56_active_db(seg_samples(speech["agent"] + speech["customer"], allruns), fs)
        noise_meta["mix"] = dict(measuredDbov=round(nl, 2), speechActiveDbov=round(mix_lvl, 2))
        noise_truth = dict(kind="/".join(sorted(set(v[0] for v in cfg["noise"].values()))) + (" (gated comfort noise)" if cfg.get("gated") else ""),
                           snrDb=round(mix_lvl - nl, 2), legSnrDb=None, humDbov=None, gainDb=None)

    # ---------------- channels, codec, write
    if cfg["layout"] == "stereo":
        chans = [leg["agent"], leg["customer"]]
    else:
        mix = leg["agent"] + leg["customer"]
        chans = [mix] if cfg["layout"] == "mono" else [mix, mix * db2a(-1.5)]
    peak_before = float(max(np.max(np.abs(c)) for c in chans))
    chans = [np.clip(c, -1.0, 32767 / 32768) for c in chans]
    codec_meta = None
    if cfg.get("codec"):
        spec, ext, note = CODECS[cfg["codec"]]
        lags = []
        out = []
        for c in chans:
            y, lag = sox_roundtrip(c, fs, spec, ext)
            out.append(y)
            lags.append(lag)
        chans = [np.clip(c, -1.0, 32767 / 32768) for c in out]
        codec_meta = dict(name=cfg["codec"], how=note, alignLagSamples=lags)
    data = np.stack(chans, axis=1) if len(chans) > 1 else chans[0]
    path = os.path.join(OUT, fname)
    if cfg.get("store") == "ulaw":
        sf.write(path, data, fs, subtype="ULAW", format="WAV")
        codec_meta = dict(name="ulaw", how="file itself is G.711 mu-law WAV (soundfile ULAW)")
    elif cfg.get("store") == "alaw":
        sf.write(path, data, fs, subtype="ALAW", format="WAV")
        codec_meta = dict(name="alaw", how="file itself is G.711 A-law WAV (soundfile ALAW)")
    else:
        sf.write(path, data, fs, subtype="PCM_16", format="FLAC" if cfg["ext"] == "flac" else "WAV")

    last_party = max(placements, key=lambda pl: pl["abs_runs"][-1][1])["party"]
    last_cust = max(b for a, b in party_runs["customer"])
    truth = dict(
        file=fname, durationSeconds=dur, sampleRateHz=fs, channels=len(chans),
        layout="stereo" if cfg["layout"] == "stereo" else "mono",
        agentChannel="left" if cfg["layout"] == "stereo" else None,
        answer=answer, parties=parties, interruptions=interruptions,
        ending=dict(lastParty=last_party, tailSilenceSeconds=round(dur - last_speech, 3),
                    afterCustomerSeconds=round(dur - last_cust, 3), hangupSide=hp),
        warnings=[], noise=noise_truth, segments=segs)
    if busy:
        truth["ending"]["busyTone"] = dict(plan="China 450 Hz 0.35 s on / 0.35 s off", startSeconds=round(busy_start, 3),
                                           endSeconds=round(dur, 3), leg=hp)
    meta = dict(
        generator="scripts/make_independent_calls_set5.py", seed=[SEED, n],
        realAudio="shared/realaudio (see its SOURCES.md and LICENSES/)",
        conditions=conditions_of(cfg), layout=cfg["layout"],
        layoutNote=("dual-mono: both channels carry the same mix, right channel 1.5 dB lower; truth layout is written "
                    "'mono' like set 4's dual-mono call" if cfg["layout"] == "dualmono" else None),
        agentChannel=truth["agentChannel"], sampleRate=fs, channelBand=band_note + " (6th-order Butterworth, zero phase) on speech, music, prompts, pink noise; white noise full band",
        direction="inbound", ringbackLeg="agent" if ring_meta else None, ring=ring_meta,
        pickupSeconds=pickup,
        pickupNote=("recording starts at pickup (no ringing recorded); truth answer is all null like set 4's no-ring call"
                    if rp is None else "pickup = where the answering (agent) leg connects; before it that leg carries only the ring-back over a -75 dBov floor"),
        voices=dict(agent=cfg["voices"][0] + (" (greeting: FunASR asr_example speaker)" if cfg.get("greet") else ""),
                    customer=cfg["voices"][1] + " plus two turns by other real speakers (see script)"),
        levels=levels_meta,
        levelNote="activeLevelDbov = ITU-T P.56 method B on the party's own speech stem (after clipping/dropouts) over its truth segments; codec, echo and noise not included",
        noise=noise_meta,
        noiseNote="noise level from the noise stem after pickup, outside holds, >= 0.2 s from speech, before hang-up; gated legs: level while the gate is open; snrDb = active level - that; hum is apart (not in snrDb)",
        hum=cfg.get("hum"), echo=echo_meta or None, dropouts=dict(leg=cfg["dropouts"], spans=drops) if drops else None,
        codec=codec_meta or dict(name="pcm16"), peakBeforeCodec=round(peak_before, 3),
        holds=[{k: (round(v, 3) if isinstance(v, float) else v) for k, v in h.items() if k != "beeps"} |
               ({"beeps": len(h["beeps"]), "beepFreq": h["freq"], "beepOn": h["on"], "beepPeriod": h["period"]} if h["kind"] == "tone" else {})
               for h in holds],
        holdNote="holds are on the agent leg (what the customer hears); music hold: the IVR prompt replaces the music for its length (+0.4 s) and is part of the hold; tone hold spans first beep start to last beep end over line noise; silent hold: agent leg digital zero, customer leg line noise only",
        deadAir=[dict(startSeconds=round(a, 3), endSeconds=round(b, 3)) for a, b in deadairs],
        interruptions=intr_planned,
        interruptionNote="the interrupter starts 0.8-1.8 s before the other's last voiced run ends; the interrupted clip plays to its end (nothing cut, character counts exact)",
        ending=dict(hangup=hp, hangupSeconds=round(hang_t, 3), busyToneSeconds=busy,
                    note="the hanging-up party's leg becomes exact zeros at hang-up" + ("; China busy tone then plays on that leg until the recording ends" if busy else "; recorder stops 0.6-1.4 s later")),
        talkSecondsNote="truth segments are each clip's voiced runs (energy threshold on 10 ms frames, pauses < 0.5 s merged), also merged across turns of the same party when < 0.5 s apart; the clip is zeroed outside its runs (+20 ms)",
        trimThresholdsDb={pl["clip"]: round(lib.clip(pl["clip"])["thr"], 1) for pl in placements},
        script=[dict(party=pl["party"], clip=pl["clip"], role=pl["role"], interrupts=pl["interrupt"], text=pl["text"],
                     clipChars=pl["chars"], runsSeconds=[[round(a, 3), round(b, 3)] for a, b in pl["abs_runs"]],
                     gainDb=pl["gainDb"]) for pl in placements],
    )
    os.makedirs(os.path.join(OUT, "truth"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "meta"), exist_ok=True)
    json.dump(truth, open(os.path.join(OUT, "truth", stem + ".json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    json.dump(meta, open(os.path.join(OUT, "meta", stem + ".meta.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=1,
              default=lambda o: float(o) if isinstance(o, np.floating) else int(o) if isinstance(o, np.integer) else str(o))
    # numbers check: truth speech seconds per party vs the placed clips' own voiced runs, and an
    # independent look at the rendered party stem (10 ms frames above active level - 35 dB)
    placed = {p: sum(b - a for pl in placements if pl["party"] == p for a, b in pl["abs_runs"]) for p in ("agent", "customer")}
    stem_check = {}
    h = int(round(fs * HOP))
    nf = N // h
    for p in ("agent", "customer"):
        e = 10 * np.log10(np.mean(speech[p][: nf * h].reshape(nf, h) ** 2, axis=1) + 1e-20)
        det = e > parties[p]["activeLevelDbov"] - 35
        tru = np.zeros(nf, bool)
        for a, b in party_runs[p]:
            tru[int(a / HOP + 0.5): min(nf, int(b / HOP + 0.5))] = True
        stem_check[p] = dict(energySeconds=round(det.sum() * HOP, 2), inTruth=round(float((det & tru).sum() / max(det.sum(), 1)), 3),
                             truthCovered=round(float((det & tru).sum() / max(tru.sum(), 1)), 3))
    return dict(file=fname, dur=dur, truth=truth, placed=placed, stem=stem_check, conditions=meta["conditions"])


def main():
    real = find_realaudio()
    if real is None:
        print("real audio not found (looked at $CALLQA_REALAUDIO and ../shared/realaudio); nothing written")
        return 0
    if shutil.which("sox") is None:
        print("sox not found; nothing written")
        return 0
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    lib = Library(real)
    print("per call: truth talk seconds / sum of placed clips' voiced runs / rendered-stem frames above level-35 dB "
          "(share of those inside truth, share of truth covered), agent then customer")
    for cfg in CALLS:
        r = render_call(cfg, lib, real)
        line = f"{r['file']:46} {r['dur']:6.1f} s"
        for p in ("agent", "customer"):
            t, st = r["truth"]["parties"][p], r["stem"][p]
            line += (f" | {p[:4]} {t['talkSeconds']:6.2f}/{r['placed'][p]:6.2f}/{st['energySeconds']:6.2f}"
                     f" ({st['inTruth']:.3f},{st['truthCovered']:.3f}) {t['activeLevelDbov']:6.1f} dBov")
        print(line)
        print("    " + "; ".join(r["conditions"]))
    print(f"wrote {len(CALLS)} calls to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
