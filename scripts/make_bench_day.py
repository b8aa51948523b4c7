#!/usr/bin/env python3
"""A realistic day for `make bench-batch`, built from SampleAudio with sox (run after
scripts/make_bench_hours.py, whose hold hours it cuts):

    python3 scripts/make_bench_day.py OUTDIR

- 600 calls: the 10 sample calls at 60 gains each, each kept in its own format (μ-law, A-law, GSM,
  16-bit PCM, FLAC; mono and stereo; 8 and 16 kHz);
- 30 calls with a long hold: a sample call's first 40 s, 4–18 minutes of hold music or beeps, then
  another sample call (8 kHz stereo μ-law);
- one hour-long call (the conversation hour), which the batch must start first.
Skips the work when OUTDIR/.done-v2 exists; clears an older day first.
"""
import glob, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def sox(*args):
    subprocess.run(["sox", "-D", *args], check=True, stderr=subprocess.DEVNULL)


def main():
    out = sys.argv[1]
    done = os.path.join(out, ".done-v2")
    if os.path.exists(done):
        return
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    samples = sorted(glob.glob(os.path.join(ROOT, "SampleAudio", "*.wav")) + glob.glob(os.path.join(ROOT, "SampleAudio", "*.flac")))
    for g in range(1, 61):
        for f in samples:
            name, ext = os.path.splitext(os.path.basename(f))
            sox(f, os.path.join(out, name.replace("call-0000", f"call-{g}-") + ext), "vol", f"0.{40 + g}")
    stereo_ulaw = [f for f in samples if f.endswith(("call-000002.wav", "call-000007.wav"))]
    holds = {"music": os.path.join(ROOT, "bench", "hour-music-hold.wav"), "beep": os.path.join(ROOT, "bench", "hour-beep-hold.wav")}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(30):
            kind = "music" if i % 2 == 0 else "beep"
            minutes = 4 + i % 15
            head, hold = os.path.join(tmp, "head.wav"), os.path.join(tmp, "hold.wav")
            sox(stereo_ulaw[i % 2], head, "trim", "0", "40")
            sox(holds[kind], hold, "trim", str(i * 7), str(minutes * 60))
            agent = 1001 + i % 4
            sox(head, hold, stereo_ulaw[1 - i % 2], "-e", "u-law",
                os.path.join(out, f"20261124-{9 + i // 6:02d}{(i % 6) * 10:02d}00_agent-{agent}_longhold-{i:03d}.wav"))
    shutil.copy(os.path.join(ROOT, "bench", "hour-ulaw.wav"), os.path.join(out, "20261124-180000_agent-1002_hour-001.wav"))
    open(done, "w").close()


if __name__ == "__main__":
    main()
