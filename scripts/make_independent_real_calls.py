#!/usr/bin/env python3
"""Independent generator of a held-out set of 14 synthetic Mandarin call-centre calls built from REAL
human voices (set 3, date 2026-12-04, SEED 20261204), with truth JSON and meta JSON per call.

Written by someone who has NOT seen CallQA's detectors (Sources/, Tests/) nor the project's other
generators (SampleAudio/generate.py, scripts/make_real_calls.py, scripts/make_independent_calls.py
beyond its docstring); only scripts/evaluate.py (the scorer) and example truth/meta files of
.build-indep2 were read, to copy the schema.  What it builds:

  * both parties are real recorded Mandarin speech (AISHELL sample speakers S0150 / S0252 read
    speech, plus spontaneous podcast / meeting / command clips from zh_speech_more/ and zh_speech/),
    cut at silences into turns; every clip used whole (except one deliberately cut interruption);
  * 8 stereo (agent left or right), 4 mono, 2 dual mono (same mix on both channels, one channel
    1-3 ms late and 1 dB lower);
  * synthesised ring-back in 9 calls (China, NorthAmerica, UK, CEPT, Japan cadences, 1-6 rings);
  * 13 holds: real hold music (librosa CC music, one QXIP qMOH loop) with real Asterisk IVR prompts
    leading and/or inside the hold, 2 silent holds (agent mute), 1 beep hold; 2 dead-air stretches;
    4 interruptions in 3 calls; mains hum in 1 call; white/pink/brown/shaped line noise per leg;
  * codecs GSM 06.10 (3), mu-law (2), A-law (1), MP3 and Opus at low bitrate, PCM; rates 8 kHz,
    11.025, 16 and 44.1 kHz.

Run:  python3 scripts/make_independent_real_calls.py [--out DIR] [--real DIR] [--only N]
(default out .build-indep3; real audio from --real, else $CALLQA_REALAUDIO, else ../shared/realaudio
relative to the repo; when it is missing the script says so and exits 0).  Deterministic: every
random choice comes from numpy Generators seeded with (SEED, call index).
Score with  python3 scripts/evaluate.py --callqa .build/release/callqa .build-indep3

Truth conventions (those of set 1/2, plus the choices this set needed)
  * dBov: 0 dBov = RMS of a full-scale square wave (float RMS 1.0).
  * activeLevelDbov: ITU-T P.56 method B active level of the party's clean speech track as placed
    in the file (after band-limiting, before noise and codec).  Each clip is first set to one level
    with a +-2 dB random spread; a party track is then scaled to its target and, where its peaks
    would pass -3 dBFS (stereo) / -4.5 dBFS (mono mix), a 10 ms look-ahead peak limiter (like a
    telephone AGC) holds them there; the level is measured after the limiter (meta gives the
    largest gain reduction).
  * snrDb (party): party active level minus the RMS level of the noise on the party's channel
    (stereo) or of the total noise in the mix (mono / dual mono); noise = line noise + hum.  Noise
    muted during a silent hold is not counted (level while present).  noise.snrDb (mono layouts) =
    P.56 level of the combined clean speech minus total noise; stereo gives legSnrDb instead.
  * Levels and SNRs are those of the signals before the codec; the codec's effect, measured from the
    file, is in meta codecGainDb (GSM and Opus thin the line noise by about 1-2 dB).
  * noise.kind: one kind, or "AGENTKIND/CUSTOMERKIND" when the two legs (stereo) or the two noise
    components of a mono mix (agent side / customer side) differ.
  * speech segments: audible edges of each placed clip, from the clean band-limited clip at the call
    rate: 5 ms frames, threshold max(peak-50 dB, noise floor+10 dB, peak-40 dB) (real clips carry
    their own room noise, so a pure -50 dB rule would mark the noise as speech), runs closer than
    0.3 s merged, runs shorter than 60 ms or never within 30 dB of the peak dropped, then pauses
    <= 0.6 s merged: a clip is one segment unless it pauses > 0.6 s.  Pauses > 0.6 s inside a clip
    are gated to silence (only line noise remains).  Clips of one party never closer than 0.7 s.
  * characterCount = sum of transcripts.json cjk_char_count of the clips used;
    speechRateCharsPerMinute = characterCount / talkSeconds * 60; both null for a party whose clip
    was cut mid-sentence (call 10, customer).  talkSeconds = sum of that party's segment durations.
  * answerSeconds: onset of the agent's first utterance; ring-back: one segment per cadence cycle,
    first burst onset to last burst end (UK: 1.0 s incl. the 0.2 s gap).  Ringing stops before the
    answer (never cut mid-burst).  Ring level = RMS during a burst.  tonePlan names: China,
    NorthAmerica, UK, CEPT, Japan (Japan: 400 Hz, 90 % AM at 16 Hz, 1 s on / 2 s off).
  * music hold: first audible sample of the hold audio (music, or the IVR prompt when it leads) to
    the end of the hold audio (music, or a closing prompt); prompts inside are part of the hold.
    Music stops while a mid-hold prompt plays.  levelDbov in meta = RMS of the music portions.
  * tone (beep) hold: first beep onset to the agent taking the call back, inside the silence after
    the last beep.  silence hold: the agent leg is digital zero (stereo), or the agent-side noise
    component of the mix is muted (mono), from start to end; meta gives the drop in dB.
  * Hold audio and beeps are on the agent leg (stereo) or in the mix; ring-back is on the customer
    leg (stereo) or in the mix.  Line noise continues through music, beep holds and dead air.
  * deadAir: the whole gap between the end of one utterance and the onset of the next (12-40 s).
  * interruptions: atSeconds = onset of the interrupting utterance, by = the party who starts while
    the other is talking (overlap >= 0.5 s of real speech); listed for mono calls too.
  * ordinary turn gaps are 0.25-1.3 s, with 15 % longer pauses of 1.6-2.6 s: no silence other than the
    dead-air stretches lasts 3 s or more, so that "dead air" is unambiguous.
  * dual mono: the truth times and levels refer to the channel that is not delayed (meta says which).
  * call 12 has a hybrid echo of the customer (28 dB below, 38 ms late) on the agent channel; it is
    neither speech of the agent nor noise in the truth.
  * pitchSpreadSemitones null, warnings [].  clipped: false everywhere (levels are capped so that no
    sample clips) except call 7's customer leg, driven to about -12 dBov and hard-clipped at full scale
    (its activeLevelDbov is that of the clipped clean track; meta counts the clipped samples).
"""
import argparse
import json
import os
import sys
import tempfile
from math import gcd

import numpy as np
import soundfile as sf
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import butter, lfilter, resample_poly, sosfiltfilt

SEED = 20261204
DATE = "20261204"
F = 0.005  # edge-detection frame
FS = 32767 / 32768  # full scale of 16-bit PCM

S0150 = ["0132", "0147", "0194", "0218", "0228", "0240", "0276", "0332", "0344", "0404", "0447", "0456",
         "0463", "0473", "0482", "0483", "0488", "0490"]  # 0358 and 0481 left out: a breath leads the speech
S0252 = ["0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396", "0435", "0441",
         "0443", "0447", "0458", "0460", "0463", "0480", "0483", "0485"]
VOICES = {
    "S0150": [f"zh_speech/aishell_asr0009_sample/BAC009S0150W{n}.wav" for n in S0150],
    "S0252": [f"zh_speech/aishell_asr0009_sample/BAC009S0252W{n}.wav" for n in S0252],
    # spontaneous / other speakers, used only on stereo customer legs: that leg is voiced by several
    # people (as if the phone were passed round a family); mono calls always have one voice per party
    "pool": ["zh_speech_more/soulxpodcast_male_mandarin.wav", "zh_speech_more/soulxpodcast_female_mandarin.wav",
             "zh_speech_more/mossttsd_zh_spk1_moon.wav", "zh_speech_more/mossttsd_zh_spk2_moon.wav",
             "zh_speech_more/fireredtts2_chat_prompt_zh_S1.flac", "zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac",
             "zh_speech_more/mooncast_zh_prompt1.wav", "zh_speech_more/cosyvoice_zero_shot_prompt.wav",
             "zh_speech/funasr_llamacpp_tests_sample.wav", "zh_speech/wenet_aishell-BAC009S0724W0121.wav",
             "zh_speech_more/fireredasr_BAC009S0764W0121.wav", "zh_speech_more/fireredasr_IT0011W0001.wav"],
}
MUSIC = {"fishin": "music/librosa_Karissa_Hobbs_-_Lets_Go_Fishin.ogg",
         "sugar": "music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky_Dance_of_the_Sugar_Plum_Fairy.ogg",
         "hungarian": "music/librosa_Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_string_orchestra.ogg",
         "vibe": "music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg",
         "trumpet": "music/librosa_sorohanro_-_solo-trumpet-06.ogg",
         "qmoh": "music/qMOH-friends_inline.flac"}
RING = {  # bursts within a cycle (on, off) ..., cycle period, frequencies, AM
    "China": ([(0.0, 1.0)], 5.0, [450], None),
    "NorthAmerica": ([(0.0, 2.0)], 6.0, [440, 480], None),
    "UK": ([(0.0, 0.4), (0.6, 1.0)], 3.0, [400, 450], None),
    "CEPT": ([(0.0, 1.0)], 5.0, [425], None),
    "Japan": ([(0.0, 1.0)], 3.0, [400], 16.0),
}


def H(kind, dur, music=None, lead=None, mid=(), tail=None, level=(-32, -22)):
    return dict(kind=kind, dur=dur, music=music, lead=lead, mid=list(mid), tail=tail, level=level)


# One row per call.  lvl: per-party active level range (dBov); snr: per-leg SNR ranges (stereo) or the
# mix SNR range (mono layouts); noise: kinds (agent leg / customer leg, or agent / customer side of the mix).
CALLS = [
    dict(t="081204", layout="stereo", ach="left", rate=8000, codec="gsm_pcm", ring=("China", 3), cust="other",
         holds=[H("music", 72, "fishin", lead="queue-periodic-announce")], lvl=((-24, -18), (-30, -22)),
         snr=((22, 30), (14, 20)), noise=("pink", "pink"), last="customer", turns=14),
    dict(t="083517", layout="mono", rate=8000, codec="ulaw_wav", ring=("NorthAmerica", 2), cust="other",
         holds=[H("silence", 31)], lvl=((-22, -18), (-27, -22)), snr=(24, 30), noise=("white", "white"),
         last="agent", turns=16),
    dict(t="090842", layout="stereo", ach="right", rate=16000, codec="opus_flac", ring=None, cust="pool",
         holds=[H("music", 86, "sugar", mid=["queue-holdtime", "queue-callswaiting"], level=(-30, -24))],
         lvl=((-21, -16), (-26, -19)), snr=((28, 36), (16, 24)), noise=("shaped", "pink"), last="customer",
         turns=13, intr=[("customer", False), ("customer", False)]),
    dict(t="093355", layout="dual", rate=8000, codec="pcm", ring=("UK", 4), cust="other", holds=[H("beep", 36)],
         lvl=((-20, -16), (-28, -24)), snr=(16, 22), noise=("pink", "pink"), last="agent", turns=15),
    dict(t="100126", layout="stereo", ach="left", rate=8000, codec="alaw_wav", ring=("CEPT", 1), cust="pool",
         holds=[], dead=26, lvl=((-30, -24), (-14, -12)), snr=((12, 16), (30, 36)), noise=("brown", "white"),
         last="agent", turns=12),
    dict(t="102913", layout="mono", rate=11025, codec="pcm", ring=("Japan", 5), cust="other",
         holds=[H("music", 66, "hungarian", lead="please-hold-while-minion", level=(-34, -28))],
         lvl=((-26, -20), (-24, -18)), snr=(18, 24), noise=("pink", "brown"), last="customer", turns=14,
         intr=[("agent", False)]),
    dict(t="105048", layout="stereo", ach="right", rate=44100, codec="pcm", ring=None, cust="other",
         holds=[H("silence", 41), H("music", 50, "vibe", level=(-26, -20))], lvl=((-18, -14), (-12.6, -12)), hot="customer",
         snr=((37, 40), (33, 38)), noise=("white", "white"), last="agent", turns=16),
    dict(t="111522", layout="stereo", ach="left", rate=8000, codec="mp3_pcm", ring=("China", 6), cust="pool",
         holds=[H("music", 96, "fishin", lead="busy-pls-hold", mid=["queue-periodic-announce"])],
         lvl=((-25, -19), (-28, -22)), snr=((24, 30), (18, 26)), noise=("pink", "shaped"), last="customer",
         turns=12),
    dict(t="134107", layout="mono", rate=8000, codec="gsm_wav", ring=None, cust="other",
         holds=[H("music", 46, "trumpet", lead="pls-hold-while-try", tail="queue-thankyou", level=(-23, -20))],
         lvl=((-23, -19), (-21, -17)), snr=(12, 16), noise=("shaped", "shaped"), last="agent", turns=15),
    dict(t="140233", layout="stereo", ach="right", rate=8000, codec="ulaw_pcm", ring=("NorthAmerica", 1),
         cust="pool", holds=[H("music", 31, "sugar", level=(-35, -31))], lvl=((-22, -18), (-26, -20)),
         snr=((24, 27), (20, 26)), noise=("white", "pink"), hum=("agent", (3, 6)), last="customer",
         turns=10, intr=[("agent", True)]),
    dict(t="143758", layout="dual", rate=8000, codec="gsm_pcm", ring=("Japan", 2), cust="other",
         holds=[H("music", 63, "qmoh", mid=["est-hold-time-is"], level=(-28, -22))],
         lvl=((-27, -22), (-22, -17)), snr=(26, 32), noise=("brown", "brown"), last="customer", turns=14),
    dict(t="150419", layout="stereo", ach="left", rate=8000, codec="pcm", ring=("UK", 6), cust="other",
         holds=[], dead=38, echo=(28, 0.038), lvl=((-23, -18), (-34, -28)), snr=((32, 36), (18, 24)),
         noise=("pink", "pink"), last="agent", turns=14),
    dict(t="153036", layout="mono", rate=8000, codec="pcm", ring=None, cust="other",
         holds=[H("music", 76, "vibe", lead="queue-periodic-announce", mid=["all-reps-busy"], level=(-24, -20))],
         lvl=((-20, -16), (-25, -20)), snr=(32, 37), noise=("white", "white"), last="customer", turns=14),
    dict(t="160612", layout="stereo", ach="right", rate=8000, codec="pcm", ring=None, cust="pool",
         holds=[H("music", 28, "hungarian", level=(-24, -20))], lvl=((-40, -38), (-19, -15)),
         snr=((12, 16), (8, 9)), noise=("white", "brown"), last="agent", turns=9),
]


# ----------------------------------------------------------------------------------------- DSP
def db(p):
    return 10 * np.log10(max(p, 1e-30))


def rms_db(x):
    return db(np.mean(np.square(x))) if len(x) else -300.0


def p56(x, fs):
    """ITU-T P.56 method B active speech level (dB re RMS 1.0)."""
    x = np.asarray(x, float)
    sq = np.sum(x * x)
    if sq <= 0:
        return -300.0
    g = np.exp(-1 / (0.03 * fs))
    p = lfilter([1 - g], [1, -g], lfilter([1 - g], [1, -g], np.abs(x)))
    step = max(1, int(fs / 1000))  # the envelope is smooth: count activity on a 1 ms grid
    env = p[::step]
    idx = np.arange(len(env))
    hang = int(round(0.2 * fs / step))
    A, C = [], []
    for c_db in np.arange(-120, 1, 0.5):
        act = env >= 10 ** (c_db / 20)
        if not act.any():
            break
        last = np.maximum.accumulate(np.where(act, idx, -10 ** 9))
        n = np.count_nonzero(idx - last <= hang) * step
        A.append(db(sq / n))
        C.append(c_db)
    d = np.array(A) - np.array(C)
    k = np.nonzero(d <= 15.9)[0]
    if not len(k) or k[0] == 0:
        return A[0] if A else -300.0
    k = k[0]
    w = (d[k - 1] - 15.9) / (d[k - 1] - d[k])
    return A[k - 1] + w * (A[k] - A[k - 1])


def resample(x, sr, rate):
    if sr == rate:
        return x
    g = gcd(sr, rate)
    return resample_poly(x, rate // g, sr // g)


def band(x, rate, bl):
    sos = butter(4, [300, 3400], "bandpass", fs=rate, output="sos") if bl else butter(2, 60, "highpass", fs=rate, output="sos")
    pad = int(0.1 * rate)
    return sosfiltfilt(sos, np.pad(x, pad))[pad:-pad]


def load(real, path, rate, bl):
    x, sr = sf.read(os.path.join(real, path), always_2d=True)
    x = x.mean(1)
    x = x - x.mean()
    n = int(0.005 * sr)
    x[:n] *= np.linspace(0, 1, n)
    x[-n:] *= np.linspace(1, 0, n)
    return band(resample(x, sr, rate), rate, bl)


def _runs(b):
    d = np.diff(np.concatenate([[0], b.astype(int), [0]]))
    return [list(r) for r in zip(np.nonzero(d == 1)[0], np.nonzero(d == -1)[0])]


def _merge(runs, gap):
    out = []
    for r in runs:
        if out and r[0] - out[-1][1] <= gap:
            out[-1][1] = r[1]
        else:
            out.append(list(r))
    return out


def edges(x, rate, thr=None):
    """Audible speech segments (seconds) of a clean clip; see the docstring."""
    hop = int(round(rate * F))
    n = len(x) // hop
    e = 10 * np.log10(np.mean(x[:n * hop].reshape(n, hop) ** 2, 1) + 1e-20)
    pk = e.max()
    floor = np.median(np.sort(e)[:max(1, int(0.15 * n))])
    thr = max(pk - 50, floor + 10, pk - 40) if thr is None else thr
    r = _merge(_runs(e > thr), int(0.3 / F))
    r = [a for a in r if a[1] - a[0] >= int(0.06 / F) and e[a[0]:a[1]].max() >= pk - 30]
    r = _merge(r, int(0.6 / F))
    return [(a * hop / rate, b * hop / rate) for a, b in r], e, thr


def fade(n, up=True):
    w = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, max(n, 1)))
    return w if up else w[::-1]


class Clip:
    """A real clip at the call rate: trimmed to its speech edges (40 ms faded pads), long pauses gated."""

    def __init__(self, real, path, rate, bl, chars, cut_at=None):
        self.path, self.chars, self.rate = path, chars, rate
        x = load(real, path, rate, bl)
        segs, e, thr = edges(x, rate)
        pad = int(0.04 * rate)
        a, b = int(segs[0][0] * rate), int(segs[-1][1] * rate)
        y = x[max(0, a - pad):b + pad].copy()
        off = max(0, a - pad)
        y[:pad] *= fade(pad)
        y[-pad:] *= fade(pad, False)
        for (s0, e0), (s1, e1) in zip(segs, segs[1:]):  # gate long pauses
            g0, g1 = int(e0 * rate) - off, int(s1 * rate) - off
            y[g0:g0 + pad] *= fade(pad, False)
            y[g0 + pad:g1 - pad] = 0
            y[g1 - pad:g1] *= fade(pad)
        if cut_at is not None:  # cut mid-sentence (seconds after the first edge), 20 ms fade
            c = int((cut_at + (a - off) / rate) * rate)
            f = int(0.02 * rate)
            y[c - f:c] *= fade(f, False)
            y = y[:c]
            self.chars = None
        self.x = y * 10 ** ((-30 - p56(y, rate)) / 20)  # every clip at -30 dBov before the call's gains
        self.segs, _, _ = edges(np.concatenate([np.zeros(pad), y, np.zeros(pad)]), rate, thr)  # same threshold
        self.segs = [(s - pad / rate, e - pad / rate) for s, e in self.segs]
        self.lead = self.segs[0][0]  # audio start -> first edge
        self.dur = len(y) / rate


def noise(rng, kind, n, rate, bl):
    w = rng.standard_normal(n + 2 * rate)
    if kind != "white":
        X = np.fft.rfft(w)
        f = np.maximum(np.fft.rfftfreq(len(w), 1 / rate), 20.0)
        if kind == "pink":
            X /= np.sqrt(f)
        elif kind == "brown":
            X /= f
        else:  # "shaped": office / HVAC-like: low rumble bump, mid hump, falling hiss
            lg = np.log2(f / 100)
            shape = -2.5 * lg + 12 * np.exp(-0.5 * ((f - 120) / 60) ** 2) + 6 * np.exp(-0.5 * (lg - 3.2) ** 2)
            X *= 10 ** (shape / 20)
        w = np.fft.irfft(X, len(w))
    w = band(w, rate, bl)[rate:rate + n]
    return w / np.sqrt(np.mean(w ** 2))


def limiter(x, ceiling, rate):
    """Look-ahead peak limiter: the gain is the 10 ms running minimum of ceiling/|x|, smoothed over 10 ms,
    so |out| <= ceiling.  Returns the output and the largest gain reduction in dB."""
    w = max(3, int(0.01 * rate) | 1)
    r = np.minimum(1.0, ceiling / np.maximum(np.abs(x), 1e-12))
    g = uniform_filter1d(minimum_filter1d(r, w), w)
    return x * np.minimum(g, r), round(-20 * np.log10(g.min()), 2)


def hum(rng, n, rate):
    t = np.arange(n) / rate
    x = sum(a * np.sin(2 * np.pi * 50 * k * t + rng.uniform(0, 2 * np.pi))
            for k, a in zip(range(1, 8), [1, 0.5, 0.45, 0.2, 0.15, 0.06, 0.05]))
    return x / np.sqrt(np.mean(x ** 2))


def tone_burst(rate, dur, freqs, am=None):
    t = np.arange(int(round(dur * rate))) / rate
    x = sum(np.sin(2 * np.pi * f * t) for f in freqs)
    if am:
        x = x * (1 - 0.9 * (1 - np.cos(2 * np.pi * am * t)) / 2)
    r = int(0.003 * rate)
    x[:r] *= fade(r)
    x[-r:] *= fade(r, False)
    return x / np.sqrt(np.mean(x ** 2))


def codec_gain(path, y, segs, rate):
    """File minus pre-codec power (dB) per channel, over line-noise-only stretches and over speech."""
    z, _ = sf.read(path, always_2d=True)
    k = min(len(z), len(y))
    busy = np.zeros(k, bool)
    for sg in segs:
        busy[max(0, int((sg["startSeconds"] - 0.3) * rate)):int((sg["endSeconds"] + 0.3) * rate)] = True
    sp = np.zeros(k, bool)
    for sg in segs:
        if sg["kind"] == "speech":
            sp[int(sg["startSeconds"] * rate):int(sg["endSeconds"] * rate)] = True
    out = {}
    for name, m in (("noise", ~busy), ("speech", sp)):
        out[name] = [round(rms_db(z[:k, c][m]) - rms_db(y[:k, c][m]), 2) for c in range(z.shape[1])]
    return out


def plan_hold(h, start, rng, real, rate, bl):
    """Decide a hold's audio (pieces at absolute times) and its exact end."""
    if h["kind"] == "silence":
        return dict(kind="silence", start=start, end=start + h["dur"])
    if h["kind"] == "beep":
        period, bd = float(rng.uniform(4.0, 6.5)), float(rng.uniform(0.25, 0.45))
        lv = float(rng.uniform(-28, -20))
        nb = int((h["dur"] - period) // period) + 1
        b = tone_burst(rate, bd, [1000]) * 10 ** (lv / 20)
        end = start + (nb - 1) * period + bd + float(rng.uniform(1.0, period - bd - 0.6))
        return dict(kind="tone", start=start, end=end, period=period, bdur=bd, freq=1000.0, nb=nb, levelDbov=lv,
                    pieces=[(start + k * period, b) for k in range(nb)])
    lv = float(rng.uniform(*h["level"]))
    m = load(real, MUSIC[h["music"]], rate, bl)
    m_off = int(rng.uniform(0.1, 0.5) * len(m)) if len(m) > 60 * rate else int(rng.uniform(0, 0.3) * len(m))
    while np.sqrt(np.mean(m[m_off:m_off + rate // 50] ** 2)) < 0.5 * np.sqrt(np.mean(m ** 2)):
        m_off += rate // 50  # start where the music is clearly audible
    lv = min(lv, -3.0 - (20 * np.log10(np.max(np.abs(m))) - rms_db(m)))  # keep the music peaks below -3 dBFS
    mg = 10 ** (lv / 20) / np.sqrt(np.mean(m ** 2))

    def prompt(name):
        p = load(real, f"ivr_prompts/{name}.wav", rate, bl)
        ps, _, _ = edges(p, rate)
        p = p[int(ps[0][0] * rate):int(ps[-1][1] * rate)]
        r = int(0.003 * rate)
        p[:r] *= fade(r)
        p[-r:] *= fade(r, False)
        return (name, p * 10 ** ((lv + rng.uniform(-2, 4) - p56(p, rate)) / 20))

    def gap(a, b):
        return ("gap", np.zeros(int(rng.uniform(a, b) * rate)))

    head = [prompt(h["lead"]), gap(0.25, 0.8)] if h["lead"] else []
    tail = [gap(0.4, 0.7), prompt(h["tail"])] if h["tail"] else []
    mids = [[gap(0.3, 0.6), prompt(p), gap(0.3, 0.6)] for p in h["mid"]]
    mus_n = int(h["dur"] * rate) - sum(len(a) for _, a in head + tail + sum(mids, []))
    cuts = [0] + [int(c * mus_n) for c in np.sort(rng.uniform(0.25, 0.8, len(mids)))] + [mus_n]
    pieces, pos = list(head), m_off
    for k in range(len(cuts) - 1):
        ln = cuts[k + 1] - cuts[k]
        seg = np.concatenate([m[pos:], np.tile(m, ln // len(m) + 2)])[:ln] * mg  # loops like a PBX
        pos = (pos + ln) % len(m)
        r = int(0.005 * rate)
        seg[:r] *= fade(r)
        seg[-r:] *= fade(r, False)
        pieces.append(("music", seg))
        if k < len(mids):
            pieces += mids[k]
    pieces += tail
    out, at, p_at = [], start, []
    for name, a in pieces:
        if name != "gap":
            out.append((at, a))
        if name not in ("gap", "music"):
            p_at.append([at, at + len(a) / rate])
        at += len(a) / rate
    return dict(kind="music", start=start, end=at, promptAt=p_at,
                levelDbov=rms_db(np.concatenate([a for nm, a in pieces if nm == "music"])),
                music=os.path.basename(MUSIC[h["music"]]), prompts=[nm for nm, _ in pieces if nm not in ("gap", "music")],
                pieces=out)


# ----------------------------------------------------------------------------------------- building
def add(buf, x, at):
    buf[at:at + len(x)] += x[:max(0, len(buf) - at)]


def build(idx, spec, real, tr, out):
    rng = np.random.default_rng([SEED, idx])
    rate, lay = spec["rate"], spec["layout"]
    bl = rate in (8000, 11025)
    agent_id = 6001 + (idx - 1) % 6
    av = "S0150" if agent_id % 2 else "S0252"
    cv = "pool" if spec["cust"] == "pool" else ("S0252" if av == "S0150" else "S0150")
    order = {p: list(rng.permutation(VOICES[v])) for p, v in (("agent", av), ("customer", cv))}
    clips = {}

    def clip(path, cut=None):
        if cut is not None or path not in clips:
            c = Clip(real, path, rate, bl, tr[path]["cjk_char_count"], cut)
            if cut is not None:
                return c
            clips[path] = c
        return clips[path]

    # ---- turn plan: alternate parties; events after given turns
    n_turns = spec["turns"]
    holds = list(spec.get("holds", []))
    hold_after = sorted(rng.choice(np.arange(3, n_turns - 4, 2), len(holds), replace=False)) if holds else []
    dead_after = int(rng.integers(n_turns // 2 - 1, n_turns // 2 + 2)) if spec.get("dead") else None
    intr = list(spec.get("intr", []))
    items, party, hq = [], "agent", list(zip(hold_after, holds))
    for i in range(n_turns):
        if i == n_turns - 1:
            party = spec["last"]
        k = 2 if (party == "agent" and rng.random() < 0.35) or (party == "customer" and rng.random() < 0.2) else 1
        k = min(k, len(order[party]))
        if k == 0:
            break
        items.append(["turn", party, [order[party].pop(0) for _ in range(k)]])
        if hq and i >= hq[0][0] and party == "agent":
            items.append(["hold", hq.pop(0)[1]])
            continue  # the agent takes the call back
        if dead_after is not None and i == dead_after:
            items.append(["dead", spec["dead"]])
        party = "customer" if party == "agent" else "agent"
    assert not hq, "hold not placed"
    marked = set()
    for by, cut in intr:  # a turn that starts by interrupting the previous turn (other party, no event between)
        ok = [j for j in range(3, len(items) - 2) if items[j][0] == items[j - 1][0] == "turn" and items[j][1] == by
              and items[j - 1][1] != by and not {j - 1, j, j + 1} & marked
              and np.diff(clip(items[j][2][0]).segs[0]) >= 1.2 and np.diff(clip(items[j - 1][2][-1]).segs[-1]) >= 2.0]
        j = ok[int(rng.integers(len(ok)))]
        items[j].append(cut)
        marked.add(j)

    # ---- timeline
    t = float(rng.uniform(0.3, 1.5))
    bursts, ring_segs, answer = [], [], None
    if spec["ring"]:
        plan, nr = spec["ring"]
        on, period, freqs, am = RING[plan]
        for r in range(nr):
            c0 = t + r * period
            bursts += [(c0 + a, c0 + b) for a, b in on]
            ring_segs.append((c0 + on[0][0], c0 + on[-1][1]))
        t = ring_segs[-1][1] + float(rng.uniform(0.35, period - on[-1][1] - 0.3))
        answer = t
    placed = []  # [party, Clip, start time of its audio]
    segs = {"agent": [], "customer": []}
    hold_out, dead_out, interruptions = [], [], []
    last_end = {"agent": -9.0, "customer": -9.0}
    prev, gap = None, 0.0
    for it in items:
        if it[0] == "turn":
            party = it[1]
            for ci, path in enumerate(it[2]):
                c = clip(path)
                if ci == 0 and len(it) > 3:  # interrupting turn: starts inside the other's last segment
                    s_o, e_o = prev["segs"][-1]
                    ov = min(float(rng.uniform(0.7, 1.6)), e_o - s_o - 0.6, c.segs[0][1] - c.segs[0][0] - 0.1)
                    assert ov >= 0.55, "interruption overlap too short"
                    onset = e_o - ov
                    if it[3]:  # the interrupted speaker stops 0.6-0.9 s after the onset: clip cut mid-sentence
                        pc, t0p = prev["clip"], prev["t0"]
                        nc = clip(pc.path, onset + float(rng.uniform(0.6, 0.9)) - t0p - pc.lead)
                        placed[prev["pi"]][1] = nc
                        del segs[prev["party"]][-len(pc.segs):]
                        segs[prev["party"]] += [(t0p + s, t0p + e) for s, e in nc.segs]
                        last_end[prev["party"]] = segs[prev["party"]][-1][1]
                    assert onset >= last_end[party] + 0.7
                    interruptions.append({"atSeconds": round(onset, 2), "by": party})
                else:
                    onset = t if ci == 0 else t + float(rng.uniform(0.7, 1.1))
                    onset = max(onset, last_end[party] + 0.7)
                t0 = onset - c.lead
                cs = [(t0 + s, t0 + e) for s, e in c.segs]
                placed.append([party, c, t0, float(rng.uniform(-2, 2))])  # natural clip-to-clip level spread
                segs[party] += cs
                prev = {"party": party, "clip": c, "t0": t0, "segs": cs, "pi": len(placed) - 1}
                last_end[party] = t = cs[-1][1]
            gap = float(rng.uniform(0.25, 1.3)) if rng.random() < 0.85 else float(rng.uniform(1.6, 2.6))
            t = max(last_end.values()) + gap
        elif it[0] == "dead":
            t = max(last_end.values()) + it[1]
            dead_out.append((t - it[1], t))
        else:
            h = plan_hold(it[1], max(last_end.values()) + float(rng.uniform(0.5, 1.4)), rng, real, rate, bl)
            hold_out.append(h)
            t = h["end"] + float(rng.uniform(0.4, 1.2))
    dur = max(last_end.values()) + float(rng.uniform(0.7, 3.5))
    n = int(round(dur * rate))

    # ---- hold audio (agent leg / mix)
    holdbuf = np.zeros(n)
    mute = np.ones(n)  # agent-side noise gain (silent hold)
    for h in hold_out:
        s = int(round(h["start"] * rate))
        if h["kind"] == "silence":
            mute[s:int(round(h["end"] * rate))] = 0.0
        for at, a in h.pop("pieces", []):
            add(holdbuf, a, int(round(at * rate)))
    hold_meta = hold_out

    # ---- speech tracks at their levels; a look-ahead peak limiter (as in a telephone AGC) keeps hot legs
    # below full scale, and the P.56 level is measured after it
    tracks = {}
    for p in ("agent", "customer"):
        tk = np.zeros(n)
        for pp, c, t0, g in placed:
            if pp == p:
                add(tk, c.x * 10 ** (g / 20), int(round(t0 * rate)))
        tracks[p] = tk
    lv, limited = {}, {}
    ceiling = 10 ** ((-3.0 if lay == "stereo" else -4.5) / 20)
    for p, rg in zip(("agent", "customer"), spec["lvl"]):
        target, raw = float(rng.uniform(*rg)), tracks[p]
        if spec.get("hot") == p:  # a hot leg: driven into full-scale clipping on purpose
            tracks[p] = np.clip(raw * 10 ** ((target - p56(raw, rate)) / 20), -FS, FS)
        else:
            g = target - p56(raw, rate)
            for _ in range(4):
                tk, limited[p] = limiter(raw * 10 ** (g / 20), ceiling, rate)
                g += target - p56(tk, rate)
            tracks[p] = tk
        lv[p] = p56(tracks[p], rate)
    ring = np.zeros(n)
    ring_lv = None
    if spec["ring"]:
        ring_lv = float(rng.uniform(-30, -12))
        for a, b in bursts:
            add(ring, tone_burst(rate, b - a, freqs, am) * 10 ** (ring_lv / 20), int(round(a * rate)))
    kinds = spec["noise"]
    nz = {p: noise(rng, k, n, rate, bl) for p, k in zip(("agent", "customer"), kinds)}
    hm = np.zeros(n)
    hum_db, hum_leg = None, None
    snr, leg = {}, None
    if spec.get("hum"):  # stereo only: hum 3-6 dB below the leg's total noise (line noise + hum)
        hum_leg = spec["hum"][0]
        snr[hum_leg] = float(rng.uniform(*spec["snr"][0 if hum_leg == "agent" else 1]))
        hum_db = lv[hum_leg] - snr[hum_leg] - float(rng.uniform(*spec["hum"][1]))
        hm = hum(rng, n, rate) * 10 ** (hum_db / 20)
    if lay == "stereo":
        leg = {}
        for p, rg in zip(("agent", "customer"), spec["snr"]):
            snr[p] = snr[p] if p in snr else float(rng.uniform(*rg))
            tot = 10 ** ((lv[p] - snr[p]) / 10)
            ph = 10 ** (hum_db / 10) if hum_leg == p else 0.0
            assert tot > 1.5 * ph
            nz[p] *= np.sqrt(tot - ph)
            leg[p] = (nz[p] * (mute if p == "agent" else 1)) + (hm if hum_leg == p else 0)
        a = tracks["agent"] + holdbuf + leg["agent"]
        c = tracks["customer"] + ring + leg["customer"]
        if spec.get("echo"):
            erl, dl = spec["echo"]
            a = a + np.concatenate([np.zeros(int(dl * rate)), tracks["customer"]])[:n] * 10 ** (-erl / 20)
        chans = [a, c] if spec["ach"] == "left" else [c, a]
        mix_snr, comb = None, None
    else:
        comb = p56(tracks["agent"] + tracks["customer"], rate)
        mix_snr = float(rng.uniform(*spec["snr"]))
        ptot = 10 ** ((comb - mix_snr) / 10)
        drop = float(rng.uniform(7, 12)) if any(h["kind"] == "silence" for h in hold_out) else None
        fa = 1 - 10 ** (-drop / 10) if drop else float(rng.uniform(0.3, 0.7))
        if drop:
            hold_meta[[h["kind"] for h in hold_meta].index("silence")]["noiseDropDb"] = drop
        m = tracks["agent"] + tracks["customer"] + ring + holdbuf + \
            nz["agent"] * np.sqrt(ptot * fa) * mute + nz["customer"] * np.sqrt(ptot * (1 - fa))
        for p in ("agent", "customer"):
            snr[p] = lv[p] - db(ptot)
        chans = [m]
        if lay == "dual":
            d = int(round(rng.uniform(0.001, 0.003) * rate))
            late = np.concatenate([np.zeros(d), m])[:n] * 10 ** (-1 / 20)
            swap = bool(rng.random() < 0.5)
            chans = [late, m] if swap else [m, late]
            dual_meta = {"delayedChannel": "left" if swap else "right", "delaySamples": d, "delayMs": 1000 * d / rate,
                         "levelDifferenceDb": 1.0}
    y = np.stack(chans, 1)
    peak = float(np.max(np.abs(y)))
    clipped = {p: False for p in ("agent", "customer")}
    if spec.get("hot"):
        hp = spec["hot"]
        ci = (0 if spec["ach"] == "left" else 1) ^ (hp == "customer")
        y = np.clip(y, -FS, FS)
        clipped[hp] = int(np.count_nonzero(np.abs(y[:, ci]) >= FS))
    else:
        assert peak < 0.97, f"call {idx} would clip ({peak:.3f})"

    # ---- codec and file
    name = f"{DATE}-{spec['t']}_agent-{agent_id}_call-{600000 + idx:06d}"
    codec = spec["codec"]
    ext = ".flac" if codec == "opus_flac" else ".wav"
    path = os.path.join(out, name + ext)
    with tempfile.TemporaryDirectory() as td:
        if codec in ("pcm", "ulaw_wav", "alaw_wav", "gsm_wav"):
            sub = {"pcm": "PCM_16", "ulaw_wav": "ULAW", "alaw_wav": "ALAW", "gsm_wav": "GSM610"}[codec]
            sf.write(path, y, rate, subtype=sub)
        else:
            dec = []
            for ch in range(y.shape[1]):
                tmp = os.path.join(td, f"c{ch}")
                if codec == "gsm_pcm":
                    sf.write(tmp + ".wav", y[:, ch], rate, subtype="GSM610")
                    z, _ = sf.read(tmp + ".wav")
                elif codec == "ulaw_pcm":
                    sf.write(tmp + ".wav", y[:, ch], rate, subtype="ULAW")
                    z, _ = sf.read(tmp + ".wav")
                elif codec == "mp3_pcm":
                    sf.write(tmp + ".mp3", y[:, ch], rate, format="MP3", subtype="MPEG_LAYER_III",
                             compression_level=0.9, bitrate_mode="CONSTANT")
                    z, _ = sf.read(tmp + ".mp3")
                else:
                    sf.write(tmp + ".ogg", y[:, ch], rate, format="OGG", subtype="OPUS", compression_level=0.95)  # about 16 kbit/s VBR
                    z, _ = sf.read(tmp + ".ogg")
                seg = slice(int(20 * rate), int(40 * rate))  # remove the codec delay, if any
                best = max(range(0, 3000), key=lambda L: np.dot(z[seg.start + L:seg.stop + L], y[seg, ch]))
                z = np.concatenate([z[best:], np.zeros(n)])[:n]
                dec.append(z)
            sf.write(path, np.clip(np.stack(dec, 1), -1, 32767 / 32768), rate,
                     subtype="PCM_16" if ext == ".wav" else "PCM_16", format="FLAC" if ext == ".flac" else "WAV")
    info = sf.info(path)
    duration = info.frames / rate

    # ---- truth
    allseg = []
    for p in ("agent", "customer"):
        allseg += [dict(kind="speech", party=p, holdKind=None, startSeconds=round(s, 2), endSeconds=round(e, 2))
                   for s, e in segs[p]]
    allseg += [dict(kind="ringback", party=None, holdKind=None, startSeconds=round(s, 2), endSeconds=round(e, 2))
               for s, e in ring_segs]
    allseg += [dict(kind="hold", party=None, holdKind=h["kind"], startSeconds=round(h["start"], 2),
                    endSeconds=round(h["end"], 2)) for h in hold_meta]
    allseg += [dict(kind="deadAir", party=None, holdKind=None, startSeconds=round(s, 2), endSeconds=round(e, 2))
               for s, e in dead_out]
    allseg.sort(key=lambda s: (s["startSeconds"], s["endSeconds"]))
    cut_party = {pp for pp, c, _, _ in placed if c.chars is None}
    parties = {}
    for p in ("agent", "customer"):
        talk = sum(e - s for s, e in segs[p])
        chars = None if p in cut_party else sum(c.chars for pp, c, _, _ in placed if pp == p)
        parties[p] = dict(talkSeconds=round(talk, 2), activeLevelDbov=round(lv[p], 2), snrDb=round(snr[p], 2),
                          clipped=bool(clipped[p]), speechRateCharsPerMinute=round(chars / talk * 60, 2) if chars else None,
                          characterCount=chars, pitchSpreadSemitones=None,
                          humDbov=round(hum_db, 2) if hum_leg == p else None)
    last_p = max(("agent", "customer"), key=lambda p: segs[p][-1][1])
    truth = dict(
        file=os.path.basename(path), durationSeconds=round(duration, 2), sampleRateHz=rate,
        channels=y.shape[1], layout="stereo" if lay == "stereo" else "mono",
        agentChannel=spec.get("ach") if lay == "stereo" else None,
        answer=dict(source="ringback" if spec["ring"] else None, rings=spec["ring"][1] if spec["ring"] else None,
                    answerSeconds=round(answer, 2) if answer is not None else None,
                    tonePlan=spec["ring"][0] if spec["ring"] else None),
        parties=parties, interruptions=interruptions,
        ending=dict(lastParty=last_p, tailSilenceSeconds=round(duration - segs[last_p][-1][1], 2)),
        warnings=[],
        noise=dict(kind=kinds[0] if kinds[0] == kinds[1] else f"{kinds[0]}/{kinds[1]}",
                   snrDb=round(mix_snr, 2) if lay != "stereo" else None,
                   legSnrDb={p: round(snr[p], 2) for p in snr} if lay == "stereo" else None,
                   humDbov=round(hum_db, 2) if hum_db is not None else None, gainDb=None),
        segments=allseg)
    meta = dict(
        codec={"pcm": "pcm16", "ulaw_wav": "ulaw (WAV, format 7)", "alaw_wav": "alaw (WAV, format 6)",
               "gsm_wav": "gsm610 (stored GSM 6.10-encoded in the WAV)", "gsm_pcm": "gsm610 round trip -> pcm16",
               "ulaw_pcm": "ulaw round trip -> pcm16", "mp3_pcm": "mp3 16 kbit/s CBR round trip -> pcm16",
               "opus_flac": "opus ~16 kbit/s VBR (libsndfile compression 0.95) round trip -> flac"}[codec],
        layout_plan=lay, band_limited_300_3400=bl,
        voices={"agent": av, "customer": cv}, speeds=None, pitches=None,
        targetLevels={"A": lv["agent"], "C": lv["customer"]},
        targetLegSnr={"A": snr["agent"], "C": snr["customer"]} if lay == "stereo" else None,
        ringLevelDbov=ring_lv, ringBursts=[list(b) for b in bursts], crbt=None, holds=hold_meta,
        deadAir=list(dead_out[0]) if dead_out else None, humDbov=hum_db, humLeg=hum_leg,
        script=[[pp, tr[c.path]["transcript"], c.chars, c.path, round(t0 + c.lead, 3), round(g, 2)] for pp, c, t0, g in placed],
        limiterGainReductionDb=limited,
        peak=peak, seed=[SEED, idx], sampleRate=rate, noiseKinds={"agent": kinds[0], "customer": kinds[1]},
        echo={"erlDb": spec["echo"][0], "delaySeconds": spec["echo"][1]} if spec.get("echo") else None,
        dualMono=dual_meta if lay == "dual" else None, mixSnrDb=mix_snr, combinedLevelDbov=comb,
        cutClips=sorted(cut_party), clippedSamples=clipped, codecGainDb=codec_gain(path, y, allseg, rate))
    with open(os.path.join(out, "truth", name + ".json"), "w") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "meta", name + ".meta.json"), "w") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    return truth


def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, ".build-indep3"))
    ap.add_argument("--real", default=os.environ.get("CALLQA_REALAUDIO") or os.path.join(here, "..", "shared", "realaudio"))
    ap.add_argument("--only", type=int, default=None, help="build only call N (1-14)")
    args = ap.parse_args()
    trp = os.path.join(args.real, "transcripts.json")
    if not os.path.exists(trp):
        print(f"real audio not found at {args.real} (set --real or CALLQA_REALAUDIO); nothing built")
        return 0
    tr = json.load(open(trp))
    for d in ("", "truth", "meta"):
        os.makedirs(os.path.join(args.out, d), exist_ok=True)
    for i, spec in enumerate(CALLS, 1):
        if args.only and i != args.only:
            continue
        t = build(i, spec, args.real, tr, args.out)
        hs = [s for s in t["segments"] if s["kind"] in ("hold", "deadAir")]
        print(f"{t['file']}  {t['durationSeconds']:6.1f}s {t['layout']:6} ch{t['channels']} {t['sampleRateHz']:5d} Hz "
              f"rings {t['answer']['rings']} {t['answer']['tonePlan']}  "
              + " ".join(f"{s['holdKind'] or s['kind']} {s['startSeconds']:.1f}-{s['endSeconds']:.1f}" for s in hs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
