#!/usr/bin/env python3
"""CallQA on real recordings (the shared realaudio collection, a developer resource that is not in
the repository): per collection, how much speech is found, how much speech is called music, hold or
ringback, how much music is called speech, and the syllable-count error, beside de Jong & Wempe's
nuclei counted inside Silero VAD's segments. Skips (exit 0) when the collection is absent.

    python3 scripts/evaluate_real.py [--callqa .build/release/callqa] [--real DIR] [--split tune|held-out]

Every file is tagged with the split it belongs to (TUNE below: what detector changes were developed
on; everything else is held out) and figures are printed for both. Telephone copies (8 kHz μ-law,
300-3400 Hz) are made with sox in .build-real/ and judged like their originals.

Reference speech: the RTTM/turn files where the collection has them, else Silero VAD's frames
(threshold 0.5, pauses under 0.45 s bridged) on the original recording.
"""
import argparse, glob, hashlib, json, os, subprocess, sys
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_REAL = os.path.join(HERE, "..", "..", "shared", "realaudio")
CACHE = os.path.join(HERE, "..", ".build-real")
HOP = 0.01

# What detector changes were developed on. Everything else is held out.
TUNE = [
    "zh_speech/aishell_asr0009_sample/BAC009S0150",  # read Mandarin, speaker S0150 (all 20)
    "zh_speech_more/soulxpodcast_male_mandarin", "zh_speech_more/mossttsd_zh_spk1_moon",
    "zh_speech_more/fireredtts2_chat_prompt_zh_S1", "zh_speech_more/fireredasr_TEST_MEETING",
    "zh_speech_more/mooncast_zh_prompt0",
    "music/librosa_Hungarian", "music/librosa_Karissa", "music/librosa_Kevin_MacLeod_-_P_I_Tchaikovsky",
    "music/qMOH-cable_company",
    "ivr_prompts/all-reps-busy", "ivr_prompts/calls-waiting-for-rep", "ivr_prompts/hold-or-dial-0",
    "ivr_prompts/please-hold-while-minion", "ivr_prompts/queue-holdtime", "ivr_prompts/queue-thankyou",
]
# Spontaneous clips whose transcripts are not machine output and match the audio.
SPONTANEOUS = ["fireredasr_TEST_MEETING_T0000000001_S00000.wav", "cosyvoice_zero_shot_prompt.wav",
               "sparktts_prompt_audio.wav", "soulxpodcast_female_mandarin.wav", "soulxpodcast_male_mandarin.wav",
               "mossttsd_zh_spk1_moon.wav", "mossttsd_zh_spk2_moon.wav", "fireredtts2_chat_prompt_zh_S1.flac",
               "fireredtts2_chat_prompt_zh_S2.flac"]
# Spoken numbers are not CJK characters in the transcript: syllables to add.
EXTRA_SYLLABLES = {"zh_speech_more/sparktts_prompt_audio.wav": 3}  # "26" read 二十六


def split_of(key):
    return "tune" if any(key.startswith(p) for p in TUNE) else "held-out"


def collections(real):
    rel = lambda p: os.path.relpath(p, real)
    g = lambda *pats: sorted(rel(p) for pat in pats for p in glob.glob(os.path.join(real, pat)))
    more = g("zh_speech_more/*")
    return {
        "read Mandarin": g("zh_speech/*.wav", "zh_speech/*/*.wav")
        + [k for k in more if "BAC009S0764" in k or "IT0011" in k],
        "spontaneous Mandarin": [k for k in more if os.path.basename(k) in SPONTANEOUS],
        "other Mandarin (text unreliable)": [k for k in more if "mooncast" in k or "TEST_NET" in k] + g("zh_conversation/*.wav"),
        "English and IVR prompts": g("en_speech/*", "ivr_prompts/*.wav", "telephone/OSR*.wav", "telephone/pjsip*.wav", "telephone/sipp*.wav"),
        "real phone calls and meetings": g("telephone/pyannote*.wav", "en_calls/*.wav", "conversation/*.wav"),
        "music": g("music/*.ogg", "music/*_8k.wav", "music/*.flac"),
    }


def telephone_copy(real, key):
    os.makedirs(os.path.join(CACHE, "telephone"), exist_ok=True)
    out = os.path.join(CACHE, "telephone", key.replace("/", "__").rsplit(".", 1)[0] + ".wav")
    if not os.path.exists(out):
        subprocess.run(["sox", os.path.join(real, key), "-r", "8000", "-c", "1", "-e", "u-law", out,
                        "highpass", "300", "lowpass", "3400"], check=True)
    return out


def analyze(callqa, paths):
    out = subprocess.run([callqa, "analyze", "--json"] + paths, capture_output=True, text=True).stdout
    reports = {}
    for line in out.splitlines():
        r = json.loads(line)
        reports[r["file"]] = r
    return reports


def spans(report, kinds):
    return [(s["startSeconds"], s["endSeconds"]) for s in report.get("segments", []) if s["kind"] in kinds]


def mask(segs, n):
    m = np.zeros(n, bool)
    for a, b in segs:
        m[int(round(a / HOP)):int(round(b / HOP))] = True
    return m


def reference_speech(real, key, n, peers):
    base = os.path.join(real, key.rsplit(".", 1)[0])
    if os.path.exists(base + ".rttm"):
        segs = []
        for line in open(base + ".rttm"):
            p = line.split()
            if p and p[0] == "SPEAKER":
                segs.append((float(p[3]), float(p[3]) + float(p[4])))
        return mask(segs, n)
    if os.path.exists(base + ".turns.json"):
        return mask([(t["start"], t["end"]) for t in json.load(open(base + ".turns.json"))], n)
    return np.array(peers["silero_mask"][:n] + [False] * max(0, n - len(peers["silero_mask"])), bool)


def peer_figures(path):
    """Silero's bridged speech frames and de Jong's nuclei inside them; cached by file content."""
    digest = hashlib.sha1(open(path, "rb").read()).hexdigest()[:16]
    cache = os.path.join(CACHE, "peers", digest + ".json")
    if os.path.exists(cache):
        return json.load(open(cache))
    import soundfile as sf
    from scipy.signal import resample_poly
    sys.path.insert(0, HERE)
    from compare_vads import Silero, bridged
    from compare_rate import dejong_nuclei, runs
    x, sr = sf.read(path, dtype="float32", always_2d=True)
    x = x.mean(axis=1)
    if sr not in (8000, 16000):
        x = resample_poly(x, 16000, sr).astype(np.float32); sr = 16000
    n = int(len(x) / sr / HOP) + 1
    m = bridged(Silero().frames(x, sr, n))
    segs = runs(m)
    result = {"silero_mask": [bool(v) for v in m], "dejong_syllables": dejong_nuclei(x, sr, segs)}
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    json.dump(result, open(cache, "w"))
    return result


def syllables(report):
    parts = [report["mixed"]] if report.get("mixed") else [report["parties"].get("agent"), report["parties"].get("customer")]
    return sum((p or {}).get("syllables") or 0 for p in parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callqa", default=".build/release/callqa")
    ap.add_argument("--real", default=os.environ.get("CALLQA_REALAUDIO", DEFAULT_REAL))
    ap.add_argument("--split", choices=["tune", "held-out"], help="only this split (default: both)")
    ap.add_argument("--files", action="store_true", help="also print one line per file")
    args = ap.parse_args()
    real = os.path.abspath(args.real)
    if not os.path.isdir(real):
        print(f"skipped: no real-audio collection at {real} (set --real or CALLQA_REALAUDIO)")
        return
    transcripts = json.load(open(os.path.join(real, "transcripts.json")))
    groups = collections(real)
    keys = sorted({k for ks in groups.values() for k in ks})
    original = {k: os.path.join(real, k) for k in keys}
    phone = {k: telephone_copy(real, k) for k in keys}
    reports = analyze(args.callqa, list(original.values()) + list(phone.values()))
    rows = []
    for title, members in groups.items():
        for variant, paths in (("", original), (", telephone copies", phone)):
            # Music is also summed over both splits: the share of all the music called speech.
            for split in ("tune", "held-out") + (("all",) if title == "music" and not args.split else ()):
                if args.split and split != args.split:
                    continue
                chosen = [k for k in members if split in ("all", split_of(k))]
                if chosen:
                    rows.append(summarise(title + variant, split, chosen, paths, original, reports, transcripts, real, args.files))
    built_hold(args.callqa, real)
    built_stereo_call(args.callqa, real)
    print(f"{'collection':48} {'split':8} {'files':>5} {'speech found':>12} {'no speech':>9} "
          f"{'speech→music/hold/ring s':>24} {'music→speech':>12} {'syllables |err| (n)':>20} {'de Jong+Silero':>14}")
    for r in rows:
        print(r)


def built_hold(callqa, real):
    """A mono call built from real audio (held out): read Mandarin, then a real music-on-hold loop
    played five times with two real queue prompts between loops, then read Mandarin again. The hold
    should be one segment from the end of the first words to the start of the last, flagged R7."""
    parts = ["zh_speech/aishell_asr0009_sample/BAC009S0252W0170.wav", "music/qMOH-friends_inline.flac",
             "music/qMOH-friends_inline.flac", "ivr_prompts/all-reps-busy.wav", "music/qMOH-friends_inline.flac",
             "music/qMOH-friends_inline.flac", "ivr_prompts/queue-periodic-announce.wav", "music/qMOH-friends_inline.flac",
             "zh_speech/aishell_asr0009_sample/BAC009S0252W0219.wav"]
    os.makedirs(os.path.join(CACHE, "built"), exist_ok=True)
    pieces = []
    for i, k in enumerate(parts):
        piece = os.path.join(CACHE, "built", f"{i}.wav")
        subprocess.run(["sox", "-D", os.path.join(real, k), "-r", "8000", "-c", "1", "-b", "16", piece], check=True)
        pieces.append(piece)
    out = os.path.join(CACHE, "built", "hold-with-prompts.wav")
    subprocess.run(["sox", "-D"] + pieces + [out], check=True)
    seconds = [float(subprocess.run(["soxi", "-D", p], capture_output=True, text=True).stdout) for p in pieces]
    want = (seconds[0], sum(seconds[:-1]))
    r = analyze(callqa, [out])[out]
    holds = spans(r, ("hold",))
    inside = sum(min(b, want[1]) - max(a, want[0]) for a, b in spans(r, ("speech",)) if b > want[0] and a < want[1])
    r7 = [f for f in r["flags"] if f["rule"] == "R7"]
    print(f"real hold with two prompts (truth {want[0]:.1f}-{want[1]:.1f} s): holds "
          + ", ".join(f"{a:.1f}-{b:.1f}" for a, b in holds) + f"; speech inside the hold {inside:.1f} s; R7 flags {len(r7)}")


def built_stereo_call(callqa, real):
    """A stereo μ-law call built from real voices (held out): three China rings on the agent leg,
    two turns each, a hold of the qMOH loop with a real queue prompt in it, white noise on both
    legs. Truth: 3 rings, answer at 15 s, one hold, each party's syllables from the transcripts."""
    folder = os.path.join(CACHE, "built", "stereo")
    os.makedirs(folder, exist_ok=True)
    def piece(name, key=None, seconds=None, tone=None):
        path = os.path.join(folder, name + ".wav")
        if key:
            subprocess.run(["sox", "-D", os.path.join(real, key), "-r", "8000", "-c", "1", "-b", "16", path], check=True)
        elif tone:
            subprocess.run(["sox", "-D", "-n", "-r", "8000", "-c", "1", "-b", "16", path, "synth", str(seconds), "sine", "450", "vol", "0.1"], check=True)
        else:
            subprocess.run(["sox", "-D", "-n", "-r", "8000", "-c", "1", "-b", "16", path, "trim", "0", str(seconds)], check=True)
        return path
    length = lambda p: float(subprocess.run(["soxi", "-D", p], capture_output=True, text=True).stdout)
    turns = [("agent", "zh_speech_more/soulxpodcast_female_mandarin.wav"), ("customer", "zh_speech_more/fireredtts2_chat_prompt_zh_S2.flac"),
             ("agent", "zh_speech_more/mossttsd_zh_spk2_moon.wav"), ("hold", None), ("customer", "zh_speech_more/sparktts_prompt_audio.wav")]
    on, off, gap = piece("on", seconds=1, tone=True), piece("off", seconds=4), piece("gap", seconds=0.7)
    legs = {"agent": [on, off, on, off, on, off], "customer": [piece("ring-quiet", seconds=15)]}
    moh, prompt = piece("moh", "music/qMOH-friends_inline.flac"), piece("prompt", "ivr_prompts/queue-periodic-announce.wav")
    transcripts = json.load(open(os.path.join(real, "transcripts.json")))
    want = {"agent": 0, "customer": 0}
    t, hold = 15.0, None
    for i, (who, key) in enumerate(turns):
        parts = [moh, prompt, moh, moh] if who == "hold" else [piece(f"turn{i}", key)]
        seconds = sum(length(p) for p in parts)
        if who == "hold":
            hold = (t, t + seconds)
        else:
            want[who] += transcripts[key]["cjk_char_count"] + EXTRA_SYLLABLES.get(key, 0)
        speaker = "agent" if who == "hold" else who
        legs[speaker] += parts + [gap]
        legs["customer" if speaker == "agent" else "agent"] += [piece(f"quiet{i}", seconds=seconds), gap]
        t += seconds + 0.7
    paths = {}
    for leg, parts in legs.items():
        paths[leg] = os.path.join(folder, leg + "-leg.wav")
        subprocess.run(["sox", "-D"] + parts + [paths[leg]], check=True)
    clean, noise, call = (os.path.join(folder, n) for n in ("clean.wav", "noise.wav", "call.wav"))
    subprocess.run(["sox", "-D", "-M", paths["agent"], paths["customer"], clean], check=True)
    subprocess.run(["sox", "-R", "-D", clean, noise, "synth", "whitenoise", "vol", "0.003"], check=True)
    subprocess.run(["sox", "-D", "-m", clean, noise, "-e", "u-law", call], check=True)
    r = analyze(callqa, [call])[call]
    got = {p: (r["parties"][p] or {}).get("syllables") for p in want}
    print(f"stereo call from real voices: rings {r['answer']['rings']} (3), answer {r['answer']['answerSeconds']} s (15), holds "
          + ", ".join(f"{a:.1f}-{b:.1f}" for a, b in spans(r, ("hold",))) + f" (truth {hold[0]:.1f}-{hold[1]:.1f}), R7 flags "
          + f"{sum(f['rule'] == 'R7' for f in r['flags'])} (1), syllables agent {got['agent']} ({want['agent']}), customer {got['customer']} ({want['customer']})")


def summarise(title, split, keys, paths, original, reports, transcripts, real, per_file):
    is_music = title.startswith("music")
    found, reference, nospeech, claimed, music_speech, music_total = 0, 0, 0, 0.0, 0.0, 0.0
    errs, peer_errs = [], []
    for k in keys:
        r = reports.get(paths[k])
        if r is None or "error" in r:
            print(f"  {paths[k]}: {r and r.get('error')}", file=sys.stderr)
            continue
        duration = r["durationSeconds"]
        n = int(duration / HOP) + 1
        speech = mask(spans(r, ("speech",)), n)
        peers = peer_figures(original[k])
        if is_music:
            music_speech += speech.sum() * HOP; music_total += duration
            line = f"speech {speech.sum() * HOP:.1f} s of {duration:.1f} s"
        else:
            ref = reference_speech(real, k, n, peers)
            found += (ref & speech).sum(); reference += ref.sum()
            nospeech += 0 if speech.any() else 1
            other = sum(b - a for a, b in spans(r, ("ringback", "hold")))
            claimed += other
            line = f"speech found {(ref & speech).sum() / max(ref.sum(), 1):.0%}, claimed {other:.1f} s"
            t = transcripts.get(k)
            if t and t.get("cjk_char_count") and "unreliable" not in title:
                want = t["cjk_char_count"] + EXTRA_SYLLABLES.get(k, 0)
                errs.append((syllables(r) - want) / want)
                peer_errs.append((peers["dejong_syllables"] - want) / want)
                line += f", syllables {syllables(r)} / {want}"
        if per_file:
            print(f"  [{split}] {os.path.basename(paths[k])}: {line}", file=sys.stderr)
    if is_music:
        return f"{title:48} {split:8} {len(keys):5} {'':>12} {'':>9} {'':>24} {music_speech / max(music_total, 1e-9):11.1%} {'':>20} {'':>14}"
    syl = f"{np.mean(np.abs(errs)):.1%} ({len(errs)})" if errs else ""
    peer = f"{np.mean(np.abs(peer_errs)):.1%}" if peer_errs else ""
    return (f"{title:48} {split:8} {len(keys):5} {found / max(reference, 1):12.1%} {nospeech:9} "
            f"{claimed:24.1f} {'':>12} {syl:>20} {peer:>14}")


if __name__ == "__main__":
    main()
