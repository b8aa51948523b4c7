#!/usr/bin/env python3
"""Builds an evaluation set of whole calls from REAL human voices, with truth in SampleAudio's format.

Twelve 8 kHz calls of 1.5-4 minutes, half stereo (agent left, customer right) and half mono (both
legs mixed), made of:
- real Mandarin speech from the shared real-audio collection (AISHELL read speech, spontaneous
  podcast/livestream clips), each utterance a whole recorded clip, trimmed only to its audible
  extent, so its character count (CJK characters of the transcript, plus evaluate_real.py's
  EXTRA_SYLLABLES) stays exact; truth speech segments are the clip's extent split at its own
  pauses of 0.5 s or more (CallQA's talk time keeps shorter pauses inside talking);
- male/female and same-sex pairs, one speaker per party (speakers with a single clip repeat it);
- turn-taking with 0.3-1.5 s gaps, a few interruptions and early turn starts (stereo truth lists the
  interruptions as SampleAudio does);
- ringback before the answer (China 450 Hz and North-American plans, 1-4 rings, generate.py's tones:
  no real ringback recording exists), music holds of real music-on-hold (qMOH, or other real music)
  with real IVR prompts (Asterisk) inside them, some over 60 s so R7 should flag them, silent holds
  (agent leg muted, line noise only), one stretch of dead air;
- per-party P.56 levels of -18..-32 dBov, white or pink line noise at 15-35 dB SNR, and PCM16,
  mu-law, A-law and GSM 06.10 (WAV, mono only) encodings.
Speech and music pass a 300-3400 Hz telephone band when resampled to 8 kHz, and speech peaks over
13 dB above a clip's active level are soft-limited (at most 17 dB), as a handset's limiter would
(hold music likewise, 12/16 dB over its RMS).

Tones, noise, P.56 levels, mixing, codecs, dead air and the truth JSON are SampleAudio/generate.py's
own (imported: build_call with its speech and music sources swapped for the real recordings).

Held-out only: every recording used is checked against split_of() in scripts/evaluate_real.py and
must be "held-out" (never the TUNE speakers, music or prompts that detector changes were developed on),
so the set measures generalisation.

Reads the collection from ../shared/realaudio beside the repository (or --real DIR, or
$CALLQA_REALAUDIO); when it is absent, prints a message and exits (status 0). Deterministic (seeded).
Needs numpy, scipy, sox.

    python3 scripts/make_real_calls.py [--out .build-realcalls] [--real DIR]
    python3 scripts/evaluate.py --callqa .build/release/callqa .build-realcalls
    python3 scripts/make_real_calls.py --score [--callqa .build/release/callqa]   # per party talk time,
                       # chars/min, syllables, holds, R7, rings: what evaluate.py does not print
    python3 scripts/make_real_calls.py --variant 1 --out .build-realcalls-v1   # the same voices and
                       # music under other line conditions: levels, SNR, noise, codec, layout, timing
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_REAL = os.path.join(ROOT, "..", "shared", "realaudio")
DEFAULT_OUT = os.path.join(ROOT, ".build-realcalls")
SR = 8000
HOP = 80  # 10 ms at 8 kHz
MIN_PAUSE_SECONDS = 0.5  # a pause inside a clip this long splits its truth segment

sys.path.insert(0, os.path.join(ROOT, "SampleAudio"))
sys.path.insert(0, HERE)
import generate  # noqa: E402  (SampleAudio's generator: tones, noise, P.56, mixing, codecs, truth)
from evaluate_real import EXTRA_SYLLABLES, split_of  # noqa: E402

AISHELL = "zh_speech/aishell_asr0009_sample/"
# One speaker per voice. F0 as CallQA measures it on the original clip.
VOICES = {
    "S0252": [AISHELL + f"BAC009S0252W{n}.wav" for n in
              ("0170", "0219", "0229", "0236", "0238", "0246", "0277", "0284", "0343", "0396",
               "0435", "0441", "0443", "0447", "0458", "0460", "0463", "0480", "0483", "0485")],  # male ~135 Hz, read news
    "spark": ["zh_speech_more/sparktts_prompt_audio.wav"],            # male ~131 Hz, announcer, fast
    "moss2": ["zh_speech_more/mossttsd_zh_spk2_moon.wav"],            # male ~149 Hz, livestream host
    "funasr": ["zh_speech/funasr_asr_example.wav"],                   # male ~122 Hz
    "soulxF": ["zh_speech_more/soulxpodcast_female_mandarin.wav"],    # female ~197 Hz, podcast
    "fr2": ["zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac"],     # female ~200 Hz, podcast
    "cosy": ["zh_speech_more/cosyvoice_zero_shot_prompt.wav"],        # female ~262 Hz
    "S0764": ["zh_speech_more/fireredasr_BAC009S0764W0121.wav"],      # female ~236 Hz, read
    "S0724": ["zh_speech/wenet_aishell-BAC009S0724W0121.wav"],        # female ~187 Hz, read
    "llama": ["zh_speech/funasr_llamacpp_tests_sample.wav"],          # female ~253 Hz, long inner pauses
}
SEX = {"S0252": "M", "spark": "M", "moss2": "M", "funasr": "M",
       "soulxF": "F", "fr2": "F", "cosy": "F", "S0764": "F", "S0724": "F", "llama": "F"}
MUSIC = {"friends": "music/qMOH-friends_inline.flac",           # real music-on-hold (qMOH)
         "vibe": "music/librosa_Kevin_MacLeod_-_Vibe_Ace.ogg"}  # real jazz recording
PROMPTS = {p: f"ivr_prompts/{p}.wav" for p in
           ("queue-periodic-announce", "queue-callswaiting", "busy-pls-hold", "est-hold-time-is",
            "one-moment-please", "pls-hold-while-try")}


# ---------- the real recordings ----------

def limit(x, knee_db, most_db):
    """Soft limiter: samples over knee_db (dBov) are bent with tanh so none passes most_db."""
    knee, most = 10 ** (knee_db / 20), 10 ** (most_db / 20)
    y = x.copy()
    over = np.abs(y) > knee
    y[over] = np.sign(y[over]) * (knee + (most - knee) * np.tanh((np.abs(y[over]) - knee) / (most - knee)))
    return y


class Library:
    def __init__(self, real, tmp):
        self.real, self.tmp = real, tmp
        self.transcripts = json.load(open(os.path.join(real, "transcripts.json")))
        self.cache = {}
        self.by_line = {}   # the line written into the script -> clip key
        self.pauses = {}    # trimmed clip length in samples -> [(start s, end s)] pauses inside it
        self.used = set()

    def load(self, key):
        """A recording at 8 kHz mono float, through a 300-3400 Hz telephone band."""
        if key not in self.cache:
            assert split_of(key) == "held-out", f"{key} is in the tuning split"
            raw = os.path.join(self.tmp, "clip.f32")
            subprocess.run(["sox", "-D", os.path.join(self.real, key), "-r", str(SR), "-c", "1", "-e", "floating-point",
                            "-b", "32", "-t", "raw", raw, "highpass", "300", "lowpass", "3400"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.cache[key] = generate.read_raw_float(raw)
            self.used.add(key)
        return self.cache[key]

    def line(self, key):
        """The script line for a clip: its transcript, with spoken digits as the characters said
        (so generate.py's CJK count is the clip's syllable count)."""
        text = self.transcripts[key]["transcript"]
        if EXTRA_SYLLABLES.get(key):
            text = text.replace("26", "二十六")
        assert len(generate.CJK.findall(text)) == self.transcripts[key]["cjk_char_count"] + EXTRA_SYLLABLES.get(key, 0), key
        self.by_line[text] = key
        return text

    def utterance(self, key):
        """The clip trimmed to its audible extent (10 ms frames of the band-passed signal over
        max(99th percentile - 35 dB, floor + 12 dB)), 10 ms fades, peak 1, and its inner pauses."""
        x = self.load(key)
        n = len(x) // HOP
        e = 10 * np.log10(np.mean(x[: n * HOP].reshape(n, HOP) ** 2, axis=1) + 1e-12)
        loud = e > max(np.percentile(e, 99) - 35, np.percentile(e, 10) + 12)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(int), [0]])))
        for a, b in zip(edges[::2], edges[1::2]):
            if b - a < 5:  # a click or breath under 50 ms is not speech
                loud[a:b] = False
        idx = np.nonzero(loud)[0]
        first, last = idx[0], idx[-1]
        y = x[first * HOP: (last + 1) * HOP].copy()
        fade = np.linspace(0, 1, HOP)
        y[:HOP] *= fade
        y[-HOP:] *= fade[::-1]
        pauses, run = [], None
        for i, v in enumerate(loud[first: last + 1]):
            if not v and run is None:
                run = i
            elif v and run is not None:
                if (i - run) * 0.01 >= MIN_PAUSE_SECONDS:
                    pauses.append((run * 0.01, i * 0.01))
                run = None
        # A clip's truth segment is found again by its length: make lengths unique per clip.
        # (Truth times are rounded to 1 ms = 8 samples, so keep 24 samples between clips' lengths.)
        while any(abs(length - len(y)) < 24 and k != key for length, (k, _) in self.pauses.items()):
            y = np.concatenate([y, np.zeros(24)])
        self.pauses[len(y)] = (key, pauses)
        # A handset's limiter: samples over 13 dB above the clip's P.56 active level are soft-limited
        # to at most 17 dB above it (AISHELL's plosives reach 25 dB), so -18 dBov parties do not clip.
        level, _ = generate.p56_active_level(y, SR)
        y = limit(y, level + 13, level + 17)
        return y * 10 ** ((-30 - generate.p56_active_level(y, SR)[0]) / 20)  # one level for all of a speaker's clips

    def hold_audio(self, recipe, seconds, level_dbov):
        """Real music looped from where it left off, paused 0.3 s around each real prompt; the
        music's RMS and each prompt's P.56 active level at `level_dbov`."""
        music = self.load(MUSIC[recipe["music"]])
        music = music / np.sqrt(np.mean(music ** 2)) * 10 ** (level_dbov / 20)
        music = limit(music, level_dbov + 12, level_dbov + 16)  # the MOH server's limiter
        n = int(round(seconds * SR))
        out, pos, t = np.zeros(n), int(recipe.get("musicOffsetSeconds", 0) * SR), 0
        prompts = sorted(recipe.get("prompts", []))
        gap = int(0.3 * SR)
        while t < n:
            if prompts and t >= int(prompts[0][0] * SR):
                p = self.load(PROMPTS[prompts.pop(0)[1]])
                lvl, _ = generate.p56_active_level(p, SR)
                p = p * 10 ** ((level_dbov - lvl) / 20)
                t += gap
                k = min(len(p), n - t)
                if k > 0:
                    out[t: t + k] = p[:k]
                t += k + gap
                continue
            until = int(prompts[0][0] * SR) if prompts else n
            k = min(until - t, len(music) - pos % len(music))
            out[t: t + k] = music[pos % len(music): pos % len(music) + k]
            t += k
            pos += k
        ramp = int(0.02 * SR)
        out[:ramp] *= np.linspace(0, 1, ramp)
        out[-ramp:] *= np.linspace(1, 0, ramp)
        return out


# ---------- call plans ----------

def conversation(rng, lib, turns, start_with="agent", interrupts=0, overlaps=0, pool=None):
    """`turns` utterances alternating between the parties (the agent now and then says two in a row),
    with `interrupts` real interruptions (the new speaker starts 1.0-1.6 s before the other ends)
    and `overlaps` turns started 0.2-0.3 s early (not interruptions)."""
    events, who = [], start_with
    kinds = ["plain"] * turns
    slots = [i for i in range(2, turns)]
    rng.shuffle(slots)
    for i in slots[:interrupts]:
        kinds[i] = "interrupt"
    for i in slots[interrupts: interrupts + overlaps]:
        kinds[i] = "overlap"
    for i in range(turns):
        party = who
        key = pool[party].pop(0)
        pool[party].append(key)
        line = lib.line(key)
        if kinds[i] == "interrupt" and events and events[-1][0] in ("agent", "customer") and events[-1][0] != party:
            events.append(("interrupt", party, line, round(rng.uniform(1.0, 1.6), 2), round(rng.uniform(0.4, 1.2), 2)))
        elif kinds[i] == "overlap" and events and events[-1][0] in ("agent", "customer") and events[-1][0] != party:
            events.append(("overlap", party, line, round(rng.uniform(0.2, 0.3), 2), round(rng.uniform(0.4, 1.2), 2)))
        else:
            events.append((party, line, 0.0))
        # the gap after this utterance: 0.5-1.2 s if the same party goes on, else 0.3-1.5 s
        again = party == "agent" and rng.rand() < 0.2
        gap = rng.uniform(0.5, 1.2) if again else rng.uniform(0.3, 1.5)
        if events[-1][0] in ("agent", "customer"):
            events[-1] = (party, line, round(gap, 2))
        who = party if again else ("customer" if party == "agent" else "agent")
    return events


def pools(rng, agent, customer):
    out = {}
    for party, voice in (("agent", agent), ("customer", customer)):
        keys = list(VOICES[voice])
        rng.shuffle(keys)
        out[party] = keys
    return out


CALLS = [
    # name stem, layout, codec, agent voice, customer voice, levels, noise, ring, blocks
    dict(stem="20261123-081500_agent-3001_call-300001", layout="stereo", enc="pcm16", agent="S0252", customer="soulxF",
         levels=(-22.0, -27.0), snrDb=25, noiseKind="white", ringback=("china", 3, -24.0),
         blocks=[("talk", 7, 1, 0), ("hold", "music", 75.0, -26.0, dict(music="friends", prompts=[(20.0, "queue-periodic-announce"), (52.0, "queue-callswaiting")])),
                 ("talk", 6, 0, 1)]),
    dict(stem="20261123-083200_agent-3002_call-300002", layout="mono", enc="ulaw", agent="fr2", customer="S0252",
         levels=(-25.0, -23.0), legSnrDb=(30, 26), noiseKind="pink", ringback=("northAmerica", 2, -26.0),
         blocks=[("talk", 9, 0, 0), ("hold", "silence", 20.0, None, None), ("talk", 8, 0, 0)]),
    dict(stem="20261123-085010_agent-3003_call-300003", layout="stereo", enc="alaw", agent="S0252", customer="spark",
         levels=(-20.0, -30.0), snrDb=18, noiseKind="pink", ringback=("china", 1, -22.0),
         blocks=[("talk", 8, 1, 1), ("hold", "music", 40.0, -24.0, dict(music="vibe", musicOffsetSeconds=3.0, prompts=[(0.0, "busy-pls-hold")])),
                 ("talk", 7, 1, 0)]),
    dict(stem="20261123-091245_agent-3004_call-300004", layout="mono", enc="gsm", agent="S0252", customer="cosy",
         levels=(-24.0, -28.0), legSnrDb=(24, 20), noiseKind="white", ringback=("china", 4, -25.0),
         blocks=[("talk", 8, 0, 0), ("hold", "music", 65.0, -25.0, dict(music="friends", musicOffsetSeconds=5.0, prompts=[(0.0, "one-moment-please"), (30.0, "est-hold-time-is")])),
                 ("talk", 7, 0, 0)]),
    dict(stem="20261123-093530_agent-3005_call-300005", layout="stereo", enc="ulaw", agent="moss2", customer="S0252",
         levels=(-26.0, -21.0), snrDb=30, noiseKind="white", ringback=("northAmerica", 3, -27.0), ringbackChannel="customer",
         farLegSilentUntilAnswer=True,
         blocks=[("talk", 7, 0, 1), ("hold", "silence", 70.0, None, None), ("talk", 6, 1, 0)]),
    dict(stem="20261123-095900_agent-3006_call-300006", layout="mono", enc="pcm16", agent="soulxF", customer="fr2",
         levels=(-23.0, -26.0), legSnrDb=(35, 32), noiseKind="white", ringback=None,
         blocks=[("talk", 8, 0, 0), ("hold", "music", 30.0, -27.0, dict(music="friends", musicOffsetSeconds=11.0, prompts=[(12.0, "pls-hold-while-try")])),
                 ("talk", 7, 0, 0)]),
    dict(stem="20261123-102215_agent-3007_call-300007", layout="stereo", enc="alaw", agent="S0252", customer="S0764",
         levels=(-28.0, -32.0), snrDb=20, noiseKind="white", ringback=("china", 2, -28.0),
         blocks=[("talk", 6, 0, 1), ("pause", 12.0), ("talk", 3, 0, 0),
                 ("hold", "music", 55.0, -27.0, dict(music="vibe", musicOffsetSeconds=20.0, prompts=[(25.0, "queue-periodic-announce")])),
                 ("talk", 6, 1, 0)]),
    dict(stem="20261123-104740_agent-3008_call-300008", layout="mono", enc="alaw", agent="S0252", customer="funasr",
         levels=(-21.0, -25.0), legSnrDb=(22, 20), noiseKind="pink", ringback=("china", 2, -24.0),
         blocks=[("talk", 7, 0, 0), ("hold", "music", 90.0, -26.0, dict(music="friends", musicOffsetSeconds=2.0, prompts=[(15.0, "queue-periodic-announce"), (45.0, "est-hold-time-is"), (70.0, "queue-callswaiting")])),
                 ("talk", 6, 0, 0)]),
    dict(stem="20261123-111020_agent-3009_call-300009", layout="stereo", enc="pcm16", agent="soulxF", customer="S0252",
         levels=(-24.0, -26.0), snrDb=22, noiseKind="white", ringback=("northAmerica", 4, -25.0),
         blocks=[("talk", 6, 1, 0), ("hold", "silence", 12.0, None, None), ("talk", 4, 0, 1),
                 ("hold", "music", 25.0, -25.0, dict(music="friends", musicOffsetSeconds=8.0, prompts=[(9.0, "queue-callswaiting")])),
                 ("talk", 5, 0, 0)]),
    dict(stem="20261123-113350_agent-3010_call-300010", layout="mono", enc="ulaw", agent="S0252", customer="llama",
         levels=(-25.0, -30.0), legSnrDb=(28, 20), noiseKind="white", ringback=None,
         blocks=[("talk", 8, 0, 0), ("hold", "silence", 62.0, None, None), ("talk", 7, 0, 0)]),
    dict(stem="20261123-140505_agent-3011_call-300011", layout="stereo", enc="ulaw", agent="fr2", customer="S0724",
         levels=(-19.0, -24.0), snrDb=16, noiseKind="pink", ringback=("china", 2, -23.0),
         blocks=[("talk", 9, 1, 1), ("hold", "music", 50.0, -24.0, dict(music="vibe", musicOffsetSeconds=35.0, prompts=[(24.0, "busy-pls-hold")])),
                 ("talk", 8, 1, 1)]),
    dict(stem="20261123-152830_agent-3012_call-300012", layout="mono", enc="gsm", agent="spark", customer="S0252",
         levels=(-27.0, -22.0), legSnrDb=(25, 25), noiseKind="white", ringback=("northAmerica", 1, -26.0),
         blocks=[("talk", 7, 0, 0), ("hold", "music", 35.0, -26.0, dict(music="friends", musicOffsetSeconds=14.0, prompts=[(0.0, "busy-pls-hold")])),
                 ("talk", 6, 0, 0)]),
]


def varied(plan, variant):
    """The plan under other line conditions, drawn from `variant` (the voices, music and prompts stay,
    so the set stays held-out): party levels -36..-17 dBov, line SNR 10-35 dB (per leg on mono),
    white, pink or mains-hum noise, a codec drawn anew, mono and stereo swapped on a third of the calls,
    hold music 4 dB either way, prompts moved within their hold, and new turn timing."""
    rng = np.random.RandomState(7000 + 97 * variant + int(plan["stem"][-2:]))
    p = dict(plan)
    p["levels"] = tuple(float(np.clip(round(l + rng.uniform(-9, 4)), -36, -17)) for l in plan["levels"])
    if rng.uniform() < 1 / 3:
        p["layout"] = "stereo" if plan["layout"] == "mono" else "mono"
        p.pop("ringbackChannel", None)
        p.pop("farLegSilentUntilAnswer", None)
    if p["layout"] == "mono":
        p["legSnrDb"] = tuple(int(rng.uniform(10, 35)) for _ in range(2))
        p.pop("snrDb", None)
    else:
        p["snrDb"] = int(rng.uniform(10, 35))
        p.pop("legSnrDb", None)
    p["noiseKind"] = ["white", "pink", "hum"][rng.randint(3)]
    p["enc"] = ["pcm16", "ulaw", "alaw", "gsm"][rng.randint(4)] if p["layout"] == "mono" else ["pcm16", "ulaw", "alaw"][rng.randint(3)]
    blocks = []
    for b in plan["blocks"]:
        if b[0] == "hold" and b[1] == "music":
            _, kind, seconds, level, recipe = b
            recipe = dict(recipe, prompts=[(round(float(np.clip(at + rng.uniform(-5, 5), 0, seconds - 10)), 1), name)
                                           for at, name in recipe.get("prompts", [])])
            recipe["prompts"].sort()
            b = ("hold", kind, seconds, level + round(rng.uniform(-4, 4), 1), recipe)
        blocks.append(b)
    p["blocks"] = blocks
    return p


def spec_of(plan, lib, seed):
    rng = np.random.RandomState(seed)
    pool = pools(rng, plan["agent"], plan["customer"])
    script, recipes = [], []
    for b in plan["blocks"]:
        if b[0] == "talk":
            script += conversation(rng, lib, b[1], interrupts=b[2], overlaps=b[3], pool=pool)
        elif b[0] == "pause":
            script.append(("pause", b[1]))
        else:
            _, kind, seconds, level, recipe = b
            script.append(("hold", kind, seconds, level, round(rng.uniform(0.5, 1.0), 2)))
            if recipe:
                recipes.append(recipe)
    spec = dict(name=plan["stem"] + (".flac" if plan["enc"] == "flac" else ".wav"), enc=plan["enc"], seed=seed,
                voices={"agent": (plan["agent"], 0), "customer": (plan["customer"], 0)},
                levels={"agent": plan["levels"][0], "customer": plan["levels"][1]},
                noiseKind=plan["noiseKind"], script=script, greetingDelaySeconds=round(rng.uniform(0.4, 1.0), 2),
                pickupAfterSeconds=round(rng.uniform(0.5, 1.5), 2), tailSeconds=round(rng.uniform(1.5, 3.5), 2))
    if plan["layout"] == "mono":
        spec["layout"] = "mono"
        spec["legSnrDb"] = {"agent": plan["legSnrDb"][0], "customer": plan["legSnrDb"][1]}
    else:
        spec["snrDb"] = plan["snrDb"]
    if plan["ringback"]:
        spec["ringback"] = plan["ringback"]
    for k in ("ringbackChannel", "farLegSilentUntilAnswer"):
        if k in plan:
            spec[k] = plan[k]
    return spec, recipes


def split_at_pauses(truth, lib):
    """Speech segments are whole clips: split each at the clip's own pauses of 0.5 s or more, and
    recount talk time and rate (characters stay per clip, so per party they are exact)."""
    out = []
    for s in truth["segments"]:
        if s["kind"] != "speech":
            out.append(s)
            continue
        n = int(round((s["endSeconds"] - s["startSeconds"]) * SR))
        match = [v for length, v in lib.pauses.items() if abs(length - n) <= 8]
        assert len(match) == 1, (s, match)
        start = s["startSeconds"]
        edges = [start] + [x for a, b in match[0][1] for x in (start + a, start + b)] + [s["endSeconds"]]
        for a, b in zip(edges[::2], edges[1::2]):
            out.append(dict(s, startSeconds=round(a, 3), endSeconds=round(b, 3)))
    truth["segments"] = out
    if truth["answer"]["answerSeconds"] is not None:
        truth["answer"]["answerSeconds"] = round(truth["answer"]["answerSeconds"], 3)
    for party, p in truth["parties"].items():
        talk = sum(s["endSeconds"] - s["startSeconds"] for s in out if s["party"] == party)
        p["talkSeconds"] = round(talk, 3)
        p["speechRateCharsPerMinute"] = round(p["characterCount"] / talk * 60, 1) if talk else None


def build(real, out_dir, variant=0):
    truth_dir = os.path.join(out_dir, "truth")
    os.makedirs(truth_dir, exist_ok=True)
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(real, tmp)
        queue = []
        generate.speak = lambda text, voice, speed, sr, _tmp: lib.utterance(lib.by_line[text])
        generate.music = lambda seconds, sr, level, seed: lib.hold_audio(queue.pop(0), seconds, level)
        for i, plan in enumerate(CALLS):
            if variant:
                plan = varied(plan, variant)
            spec, recipes = spec_of(plan, lib, seed=3000 + i + 100 * variant)
            queue[:] = recipes
            lib.pauses.clear()
            for attempt in range(6):
                try:
                    out, sr, truth = generate.build_call(spec, tmp)
                    break
                except AssertionError as problem:
                    # A varied call whose mix clips is made 3 dB quieter throughout (voices and music).
                    if not variant or "clips" not in str(problem) or attempt == 5:
                        raise
                    spec["levels"] = {k: v - 3 for k, v in spec["levels"].items()}
                    spec["script"] = [step[:3] + (step[3] - 3,) + step[4:] if step[0] == "hold" and step[3] is not None else step
                                      for step in spec["script"]]
                    queue[:] = recipes
                    lib.pauses.clear()
            assert not queue
            split_at_pauses(truth, lib)
            generate.write(out, sr, os.path.join(out_dir, spec["name"]), spec["enc"], tmp)
            with open(os.path.join(truth_dir, plan["stem"] + ".json"), "w") as f:
                json.dump(truth, f, ensure_ascii=False, indent=1)
            holds = [s for s in truth["segments"] if s["kind"] == "hold"]
            manifest.append({"file": spec["name"], "layout": truth["layout"], "codec": spec["enc"],
                             "agent": f"{plan['agent']} ({SEX[plan['agent']]})", "customer": f"{plan['customer']} ({SEX[plan['customer']]})",
                             "holds": [f"{h['holdKind']} {h['endSeconds'] - h['startSeconds']:.1f} s" for h in holds],
                             "clips": sorted({lib.by_line[e[1] if e[0] in ("agent", "customer") else e[2]]
                                              for e in spec["script"] if e[0] in ("agent", "customer", "interrupt", "overlap")})})
            a, c = truth["parties"]["agent"], truth["parties"]["customer"]
            print(f"{spec['name']}: {truth['durationSeconds']:.1f} s {truth['layout']:6} {spec['enc']:5} "
                  f"{plan['agent']}/{plan['customer']} rings {truth['answer']['rings']} holds "
                  + ",".join(f"{h['holdKind']}{h['endSeconds'] - h['startSeconds']:.0f}s" for h in holds)
                  + f" agent {a['talkSeconds']:.1f} s {a['characterCount']} ch {a['activeLevelDbov']} dBov,"
                  f" customer {c['talkSeconds']:.1f} s {c['characterCount']} ch {c['activeLevelDbov']} dBov")
        assert all(split_of(k) == "held-out" for k in lib.used)
        json.dump({"real": os.path.abspath(real), "recordingsUsed": sorted(lib.used), "calls": manifest},
                  open(os.path.join(out_dir, "manifest.json"), "w"), ensure_ascii=False, indent=1)


# ---------- what evaluate.py does not print ----------

def score(callqa, folder):
    names = sorted(f for f in os.listdir(folder) if f.endswith((".wav", ".flac")))
    out = subprocess.run([callqa, "analyze", "--json"] + [os.path.join(folder, n) for n in names],
                         capture_output=True, text=True).stdout
    reports = {os.path.basename(json.loads(l)["file"]): json.loads(l) for l in out.splitlines() if l.strip()}
    print(f"{'call':12} {'lay':6} {'party':8} {'talk s t/m':>13} {'chars t/syll m':>15} {'ch/min t/m':>13} {'err':>6}")
    errs = {"talk": [], "rate": []}
    for n in names:
        t = json.load(open(os.path.join(folder, "truth", os.path.splitext(n)[0] + ".json")))
        r = reports.get(n) or {}
        tag = n.split("_call-")[1][:6]
        for p in ("agent", "customer"):
            tp, mp = t["parties"][p], (r.get("parties") or {}).get(p) or {}
            mt, mr, ms = mp.get("talkSeconds"), mp.get("speechRateCharsPerMinute"), mp.get("syllables")
            rerr = (mr - tp["speechRateCharsPerMinute"]) / tp["speechRateCharsPerMinute"] if mr else None
            if mt is not None:
                errs["talk"].append(abs(mt - tp["talkSeconds"]) / tp["talkSeconds"])
            if rerr is not None:
                errs["rate"].append(abs(rerr))
            print(f"{tag:12} {t['layout']:6} {p:8} {tp['talkSeconds']:6.1f}/{mt if mt is not None else '-':>6} "
                  f"{tp['characterCount']:6d}/{ms if ms is not None else '-':>7} {tp['speechRateCharsPerMinute']:6.1f}/{mr if mr is not None else '-':>6} "
                  f"{'' if rerr is None else f'{rerr:+.0%}':>6}")
        th = [s for s in t["segments"] if s["kind"] == "hold"]
        mh = [s for s in r.get("segments", []) if s["kind"] == "hold"]
        r7 = [f for f in r.get("flags", []) if f["rule"] == "R7"]
        ta, ma = t["answer"], r.get("answer") or {}
        print(f"{'':12} holds truth " + ",".join(f"{s['holdKind']} {s['startSeconds']:.1f}-{s['endSeconds']:.1f}" for s in th)
              + " | found " + ",".join(f"{s['holdKind']} {s['startSeconds']:.1f}-{s['endSeconds']:.1f}" for s in mh)
              + f" | R7 want {sum(s['endSeconds'] - s['startSeconds'] > 60 for s in th)} got {len(r7)}"
              + f" | rings {ta['rings']}/{ma.get('rings')} {ta['tonePlan']}/{ma.get('tonePlan')} answer {ta['answerSeconds']}/{ma.get('answerSeconds')}"
              + (f" | attribution conf {(r.get('attribution') or {}).get('confidence')}" if t["layout"] == "mono" else ""))
    for k, v in errs.items():
        if v:
            print(f"{k}: mean |error| {np.mean(v):.1%}, worst {max(v):.1%} over {len(v)} parties")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", default=os.environ.get("CALLQA_REALAUDIO", DEFAULT_REAL))
    ap.add_argument("--out", default=None, help="default .build-realcalls, or .build-realcalls-vN with --variant N")
    ap.add_argument("--score", action="store_true", help="score the built set (per party talk time, rate, holds, R7, rings)")
    ap.add_argument("--callqa", default=os.path.join(ROOT, ".build", "release", "callqa"))
    ap.add_argument("--variant", type=int, default=0,
                    help="build the calls under other line conditions drawn from this number (0: as listed)")
    args = ap.parse_args()
    if args.out is None:
        args.out = DEFAULT_OUT + (f"-v{args.variant}" if args.variant else "")
    if args.score:
        score(args.callqa, args.out)
        return
    real = os.path.abspath(args.real)
    if not os.path.isfile(os.path.join(real, "transcripts.json")):
        print(f"skipped: no real-audio collection at {real} (set --real or CALLQA_REALAUDIO)")
        return
    build(real, args.out, args.variant)


if __name__ == "__main__":
    main()
