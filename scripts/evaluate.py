#!/usr/bin/env python3
"""Scores `callqa analyze --json` against SampleAudio truth: speech-frame F1 (10 ms frames) per
call and overall, speech frames claimed inside ringback/hold tone/music, level and SNR errors.

    python3 scripts/evaluate.py [--callqa .build/release/callqa] [SampleAudio]
"""
import argparse, glob, json, os, subprocess, sys

HOP = 0.01


def frames(segs, n, party=None, kinds=("speech",)):
    m = [False] * n
    for s in segs:
        if s["kind"] not in kinds or (party is not None and s["party"] != party):
            continue
        for i in range(int(s["startSeconds"] / HOP + 0.5), min(n, int(s["endSeconds"] / HOP + 0.5))):
            m[i] = True
    return m


def prf(truth, pred):
    tp = sum(t and p for t, p in zip(truth, pred))
    fp = sum(p and not t for t, p in zip(truth, pred))
    fn = sum(t and not p for t, p in zip(truth, pred))
    return tp, fp, fn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--callqa", default=".build/release/callqa")
    ap.add_argument("folder", nargs="?", default="SampleAudio")
    args = ap.parse_args()
    files = sorted(f for f in glob.glob(os.path.join(args.folder, "*")) if f.endswith((".wav", ".flac", ".mp3", ".ogg", ".opus")))
    out = subprocess.run([args.callqa, "analyze", "--json"] + (['--detectors', os.environ['DET']] if os.environ.get('DET') else []) + files, capture_output=True, text=True).stdout
    reports = {os.path.basename(json.loads(l)["file"]): json.loads(l) for l in out.splitlines() if l.strip()}
    truths = {os.path.basename(f): json.load(open(os.path.join(args.folder, "truth", os.path.splitext(os.path.basename(f))[0] + ".json")))
              for f in files}
    total = [0, 0, 0]
    low_snr = [0, 0, 0]
    fa_nonspeech = 0
    print(f"{'call':44} {'SNR':>4} {'F1':>6} {'FA in tone/music':>16} {'lvl err agent/cust':>20} {'SNR err':>14}")
    for f in files:
        name = os.path.basename(f)
        truth = truths[name]
        r = reports.get(name)
        if r is None or "error" in r:
            print(name, "FAILED", r)
            continue
        n = int(truth["durationSeconds"] / HOP) + 1
        parties = ["agent", "customer"] if truth["layout"] == "stereo" else [None]  # mono: attribution is scored below
        counts = [0, 0, 0]
        for p in parties:
            t = frames(truth["segments"], n, p)
            d = frames(r["segments"], n, p)
            for i, v in enumerate(prf(t, d)):
                counts[i] += v
        det_any = frames(r["segments"], n)
        non = frames(truth["segments"], n, kinds=("ringback", "hold"))
        non_kinds = [s for s in truth["segments"] if s["kind"] == "ringback" or (s["kind"] == "hold" and s["holdKind"] != "silence")]
        fa = sum(d and t for d, t in zip(det_any, frames(non_kinds, n, kinds=("ringback", "hold"))))
        fa_nonspeech += fa
        tp, fp, fn = counts
        f1 = 2 * tp / max(2 * tp + fp + fn, 1)
        for i in range(3):
            total[i] += counts[i]
        snr = truth["noise"]["snrDb"]
        if snr is not None and snr <= 10:
            for i in range(3):
                low_snr[i] += counts[i]
        lv, se = [], []
        if truth["layout"] == "stereo":
            for p in ("agent", "customer"):
                tl = truth["parties"][p]["activeLevelDbov"]
                ml = (r["parties"][p] or {}).get("activeLevelDbov")
                lv.append(f"{ml - tl:+.2f}" if ml is not None else "-")
                ts = truth["parties"][p]["snrDb"]
                ms = (r["parties"][p] or {}).get("snrDb")
                se.append(f"{ms - ts:+.1f}" if (ts is not None and ms is not None) else "-")
        print(f"{name:44} {str(snr):>4} {f1:6.3f} {fa:16d} {'/'.join(lv):>20} {'/'.join(se):>14}")
    print()
    print("waiting: rings / answer s / plan, holds and dead air (truth vs measured)")
    worst = {"answer": 0.0, "hold": 0.0, "deadAir": 0.0}
    problems = 0
    for f in files:
        name = os.path.basename(f)
        truth = truths[name]
        r = reports.get(name)
        if r is None or "error" in r:
            continue
        ta, ma = truth["answer"], r["answer"]
        line = f"{name[:44]:44} rings {ta['rings']}/{ma['rings']} plan {ta['tonePlan']}/{ma['tonePlan']}"
        if ta["answerSeconds"] is not None and ma["answerSeconds"] is not None:
            err = ma["answerSeconds"] - ta["answerSeconds"]
            worst["answer"] = max(worst["answer"], abs(err))
            line += f" answer {ta['answerSeconds']:.2f}/{ma['answerSeconds']:.2f}"
        ok = ta["rings"] == ma["rings"] and ta["tonePlan"] == ma["tonePlan"]
        for kind in ("hold", "deadAir"):
            ts = [s for s in truth["segments"] if s["kind"] == kind]
            ms = [s for s in r["segments"] if s["kind"] == kind]
            ok = ok and len(ts) == len(ms)
            for t, m in zip(ts, ms):
                e = max(abs(t["startSeconds"] - m["startSeconds"]), abs(t["endSeconds"] - m["endSeconds"]))
                worst[kind] = max(worst[kind], e)
                ok = ok and t["holdKind"] == m["holdKind"]
            if ts or ms:
                line += f" {kind} " + ",".join(f"{s['holdKind'] or ''}{s['startSeconds']:.1f}-{s['endSeconds']:.1f}" for s in ts) + " / " + \
                    ",".join(f"{s['holdKind'] or ''}{s['startSeconds']:.1f}-{s['endSeconds']:.1f}" for s in ms)
        problems += not ok
        print(line + ("" if ok else "  <-- differs"))
    # Interruptions (stereo): a detection matches a truth one by the same party within 0.5 s.
    itp = ifp = ifn = 0
    for f in files:
        name = os.path.basename(f)
        truth = truths[name]
        r = reports.get(name)
        if r is None or "error" in r or truth["layout"] != "stereo":
            continue
        want = list(truth.get("interruptions") or [])
        got = list(r.get("interruptions") or [])
        for g in got:
            m = next((w for w in want if w["by"] == g["by"] and abs(w["atSeconds"] - g["atSeconds"]) <= 0.5), None)
            if m:
                itp += 1; want.remove(m)
            else:
                ifp += 1
                print(f"  false interruption {name[:44]} {g}")
        ifn += len(want)
        for w in want:
            print(f"  missed interruption {name[:44]} {w}")
    # Mono calls: share of the talk time (truth speech frames found as speech) given to the right
    # party, overall and on the calls the attribution is confident about.
    right = found = 0
    by_confidence = {"high": [0, 0], "low": [0, 0]}
    for f in files:
        name = os.path.basename(f)
        truth = truths[name]
        r = reports.get(name)
        if r is None or "error" in r or truth["layout"] != "mono":
            continue
        n = int(truth["durationSeconds"] / HOP) + 1
        call_right = call_found = 0
        for p in ("agent", "customer"):
            t = frames(truth["segments"], n, p)
            mine = frames(r["segments"], n, p)
            other = frames(r["segments"], n, "customer" if p == "agent" else "agent")
            call_right += sum(a and b for a, b in zip(t, mine))
            call_found += sum(a and (b or c) for a, b, c in zip(t, mine, other))
        right += call_right
        found += call_found
        confidence = (r.get("attribution") or {}).get("confidence") or 0
        bucket = by_confidence["high" if confidence >= 0.7 else "low"]
        bucket[0] += call_right; bucket[1] += call_found
        review = any(fl["rule"] == "R13" for fl in r.get("flags") or [])
        print(f"  mono attribution {name[:44]} {call_right / max(call_found, 1):.3f} right, confidence {confidence}"
              f"{' (for review)' if review else ''}")
    if found:
        hi, lo = by_confidence["high"], by_confidence["low"]
        print(f"mono attribution: {right / found:.3f} of talk time to the right party "
              f"({hi[0] / max(hi[1], 1):.3f} at confidence >= 0.7, {lo[0] / max(lo[1], 1):.3f} below)")
    # Holds (silent ones apart), dead air precision and recall: a truth stretch is found when a
    # measured one of the same kind overlaps it by half of the shorter.
    def overlap(a, b):
        return max(0.0, min(a["endSeconds"], b["endSeconds"]) - max(a["startSeconds"], b["startSeconds"]))
    tally = {k: [0, 0, 0, 0] for k in ("hold", "silent hold", "deadAir")}  # truth found, reported right, truth, reported
    for f in files:
        truth, r = truths[os.path.basename(f)], reports.get(os.path.basename(f))
        if r is None or "error" in r:
            continue
        for kind, label in (("hold", "hold"), ("hold", "silent hold"), ("deadAir", "deadAir")):
            keep = (lambda s: s["holdKind"] == "silence") if label == "silent hold" else (lambda s: True)
            ts = [s for s in truth["segments"] if s["kind"] == kind and keep(s)]
            ms = [s for s in r["segments"] if s["kind"] == kind and keep(s)]
            good = lambda a, b: overlap(a, b) >= 0.5 * min(a["endSeconds"] - a["startSeconds"], b["endSeconds"] - b["startSeconds"])
            tally[label][0] += sum(any(good(t, m) for m in ms) for t in ts)
            tally[label][1] += sum(any(good(t, m) for t in ts) for m in ms)
            tally[label][2] += len(ts)
            tally[label][3] += len(ms)
    for label, (hit, correct, wanted, reported) in tally.items():
        print(f"{label}: recall {hit}/{wanted}, precision {correct}/{reported}")
    # SNR (stereo, against the broadband noise) and hum, apart for calls with hum.
    snr_err = {"no hum": [], "hum": []}
    hum_err = []
    for f in files:
        truth, r = truths[os.path.basename(f)], reports.get(os.path.basename(f))
        if r is None or "error" in r or truth["layout"] != "stereo":
            continue
        for p in ("agent", "customer"):
            tp, mp = truth["parties"][p], (r["parties"][p] or {})
            hum = tp.get("humDbov")
            if tp["snrDb"] is not None and mp.get("snrDb") is not None:
                snr_err["hum" if hum is not None else "no hum"].append(abs(mp["snrDb"] - tp["snrDb"]))
            if hum is not None:
                hum_err.append(abs(mp["humDbov"] - hum) if mp.get("humDbov") is not None else float("inf"))
    for k, v in snr_err.items():
        if v:
            print(f"SNR error ({k}): mean {sum(v) / len(v):.1f} dB, worst {max(v):.1f} dB over {len(v)} legs")
    if hum_err:
        print(f"hum level error: worst {max(hum_err):.1f} dB over {len(hum_err)} legs")
    rings = [(truths[os.path.basename(f)]["answer"], (reports.get(os.path.basename(f)) or {}).get("answer") or {}) for f in files]
    rings = [(t, m) for t, m in rings if t["rings"] is not None]
    answer_err = [abs(m["answerSeconds"] - t["answerSeconds"]) for t, m in rings if m.get("answerSeconds") is not None]
    print(f"rings: {sum(t['rings'] == m.get('rings') for t, m in rings)}/{len(rings)} counts exact; "
          f"answer error mean {sum(answer_err) / max(len(answer_err), 1):.2f} s, worst {max(answer_err or [0]):.2f} s")
    print(f"interruptions: precision {itp / max(itp + ifp, 1):.3f}, recall {itp / max(itp + ifn, 1):.3f} ({itp} found, {ifp} false, {ifn} missed)")
    # Who ended the call: the last party, and the side that hung up where the truth names one
    # (right, left unknown, or named wrongly, a side named where the truth has none counting wrong).
    endings = [((truths[os.path.basename(f)].get("ending") or {}), ((reports.get(os.path.basename(f)) or {}).get("ending") or {})) for f in files]
    last = [(t["lastParty"], m.get("lastParty")) for t, m in endings if t.get("lastParty")]
    hang = [(t.get("hangupSide"), m.get("hangupSide")) for t, m in endings if t.get("hangupSide") or m.get("hangupSide")]
    print(f"ending: last party {sum(a == b for a, b in last)}/{len(last)}; hang-up side right "
          f"{sum(a == b for a, b in hang)}/{sum(a is not None for a, _ in hang)}, unknown {sum(a is not None and b is None for a, b in hang)}, "
          f"wrong {sum(b is not None and a != b for a, b in hang)}")
    print(f"worst errors: answer {worst['answer']:.2f} s, hold bounds {worst['hold']:.2f} s, dead air bounds {worst['deadAir']:.2f} s; calls differing in count/kind/plan: {problems}")
    print()
    tp, fp, fn = total
    print(f"overall F1 {2*tp/max(2*tp+fp+fn,1):.4f} (precision {tp/max(tp+fp,1):.3f}, recall {tp/max(tp+fn,1):.3f})")
    tp, fp, fn = low_snr
    print(f"5-10 dB SNR F1 {2*tp/max(2*tp+fp+fn,1):.4f}")
    print(f"speech frames claimed inside ringback/tone/music: {fa_nonspeech}")


if __name__ == "__main__":
    main()
