#!/usr/bin/env python3
"""Runs webrtcvad (mode 3) and Silero VAD (ONNX, onnxruntime) on SampleAudio with the same truth and
frame scoring as scripts/evaluate.py: speech F1 over 10 ms frames, and speech frames claimed
inside ringback / hold tone / hold music. Needs: pip install webrtcvad onnxruntime silero-vad soundfile 'setuptools<70'
(webrtcvad imports pkg_resources).

    python3 scripts/compare_vads.py
"""
FOLDER = None
import glob, json, os, sys
import numpy as np
import soundfile as sf
import onnxruntime as ort
import webrtcvad
import silero_vad

HOP = 0.01
sys.path.insert(0, os.path.dirname(__file__))
from evaluate import frames, prf  # noqa: E402


def webrtc_frames(x, sr, n):
    vad = webrtcvad.Vad(3)
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    step = int(sr * HOP)
    out = [False] * n
    for i in range(min(n, len(x) // step)):
        out[i] = vad.is_speech(pcm[2 * i * step: 2 * (i + 1) * step], sr)
    return out


class Silero:
    def __init__(self):
        path = os.path.join(os.path.dirname(silero_vad.__file__), "data", "silero_vad.onnx")
        self.session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])

    def frames(self, x, sr, n, threshold=0.5):
        if sr not in (8000, 16000):
            raise ValueError(sr)
        window = 256 if sr == 8000 else 512
        context = 32 if sr == 8000 else 64
        state = np.zeros((2, 1, 128), np.float32)
        ctx = np.zeros((1, context), np.float32)
        probs = []
        for s in range(0, len(x) - window + 1, window):
            chunk = np.concatenate([ctx, x[None, s: s + window].astype(np.float32)], axis=1)
            out, state = self.session.run(None, {"input": chunk, "state": state, "sr": np.array(sr, dtype=np.int64)})
            ctx = chunk[:, -context:]
            probs.append(float(out[0][0]))
        mask = [False] * n
        per = window / sr
        for k, p in enumerate(probs):
            if p >= threshold:
                for i in range(int(k * per / HOP), min(n, int((k + 1) * per / HOP))):
                    mask[i] = True
        return mask


def bridged(mask, gap_frames=45):
    """The post-processing CallQA applies to its own decisions: pauses up to 0.45 s joined."""
    out = list(mask)
    last = None
    for i, v in enumerate(mask):
        if v:
            if last is not None and 1 < i - last <= gap_frames + 1:
                for j in range(last + 1, i):
                    out[j] = True
            last = i
    return out


def main():
    silero = Silero()
    names = ["webrtcvad", "silero", "silero+bridge"]
    totals = {k: [0, 0, 0, 0] for k in names}
    low = {k: [0, 0, 0] for k in names}
    music_frames = {k: [0, 0] for k in names}
    for f in sorted(glob.glob(os.path.join(FOLDER, "*.wav")) + glob.glob(os.path.join(FOLDER, "*.flac"))):
        truth = json.load(open(os.path.join(FOLDER, "truth", os.path.splitext(os.path.basename(f))[0] + ".json")))
        x, sr = sf.read(f, dtype="float32", always_2d=True)
        n = int(truth["durationSeconds"] / HOP) + 1
        parties = ["agent", "customer"] if truth["layout"] == "stereo" else [None]
        non = [s for s in truth["segments"] if s["kind"] == "ringback" or (s["kind"] == "hold" and s["holdKind"] != "silence")]
        nonmask = frames(non, n, kinds=("ringback", "hold"))
        music = frames([s for s in truth["segments"] if s["kind"] == "hold" and s["holdKind"] == "music"], n, kinds=("hold",))
        snr = truth["noise"]["snrDb"]
        for name in totals:
            anyd = [False] * n
            for ch, p in enumerate(parties):
                d = webrtc_frames(x[:, ch], sr, n) if name == "webrtcvad" else silero.frames(x[:, ch], sr, n)
                if name.endswith("+bridge"):
                    d = bridged(d)
                anyd = [a or b for a, b in zip(anyd, d)]
                t = frames(truth["segments"], n, p)
                c = prf(t, d)
                for i in range(3):
                    totals[name][i] += c[i]
                    if snr is not None and snr <= 10:
                        low[name][i] += c[i]
            totals[name][3] += sum(a and b for a, b in zip(anyd, nonmask))
            # hold music sits on the agent channel (index 0)
            music_frames[name][0] += sum(m for m in music)
            music_frames[name][1] += sum(m and a for m, a in zip(music, anyd))
    for name, (tp, fp, fn, fa) in totals.items():
        ltp, lfp, lfn = low[name]
        print(f"{name}: F1 {2*tp/(2*tp+fp+fn):.4f}, 5-10 dB F1 {2*ltp/(2*ltp+lfp+lfn):.4f}, "
              f"speech frames in ringback/tone/music {fa}, hold music called speech "
              f"{music_frames[name][1] / max(music_frames[name][0], 1):.1%}")


if __name__ == "__main__":
    FOLDER = sys.argv[1] if len(sys.argv) > 1 else "SampleAudio"
    main()
