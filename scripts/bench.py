#!/usr/bin/env python3
"""Times `callqa analyze` beside the floor program (scripts/bench_floor.c) on one file, in turns
(A B A B ...: a machine whose speed drifts moves both), and prints each one's median wall time,
callqa's peak memory and the ratio to the floor. Then, given more files (hours of other content:
scripts/make_bench_hours.py), times callqa on each of them and FILE in turns and prints each one's
time against the fastest: cost should follow duration, not content.

    python3 scripts/bench.py CALLQA FLOOR FILE [RUNS] [--long LONG_FILE] [OTHER_FILE ...]

With --long, callqa's time and peak memory on LONG_FILE (ten hours: memory must not grow with length).
"""
import os
import statistics, subprocess, sys


def timed(cmd):
    """Wall seconds and peak RSS (KB) of one run, from GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {out.stderr.strip()}")
    wall, kb = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(kb)


def main():
    args = sys.argv[1:]
    long_file = None
    if "--long" in args:
        i = args.index("--long")
        long_file = args[i + 1]
        del args[i:i + 2]
    callqa, floor, audio = args[0:3]
    runs = int(args[3]) if len(args) > 3 else 5
    others = args[4:]
    timed([floor, audio]); timed([callqa, "analyze", "--json", audio])  # warm the page cache
    a, b, peaks = [], [], []
    for _ in range(runs):
        wall, _ = timed([floor, audio]); b.append(wall)
        wall, kb = timed([callqa, "analyze", "--json", audio]); a.append(wall); peaks.append(kb)
    ratios = [x / y for x, y in zip(a, b)]
    print(f"floor (decode + one FFT per hop per channel): {statistics.median(b):.2f} s")
    print(f"callqa analyze: {statistics.median(a):.2f} s, peak {max(peaks) / 1024:.0f} MiB")
    print(f"ratio to the floor: {statistics.median(ratios):.1f}x (median of {runs} pairs, {min(ratios):.1f}–{max(ratios):.1f})")
    if long_file:
        wall, kb = timed([callqa, "analyze", "--json", long_file])
        print(f"long recording {os.path.basename(long_file)}: {wall:.1f} s, peak {kb / 1024:.0f} MiB")
    if others:
        files = [audio] + others
        walls = {f: [] for f in files}
        for _ in range(max(3, runs // 2)):
            for f in files:
                wall, kb = timed([callqa, "analyze", "--json", f]); walls[f].append((wall, kb))
        best = {f: min(w for w, _ in walls[f]) for f in files}
        fastest = min(best.values())
        print("cost by content (best of each, in turns):")
        for f in files:
            print(f"  {os.path.basename(f):24} {best[f]:.2f} s  {best[f] / fastest:.2f}x the fastest, "
                  f"peak {max(kb for _, kb in walls[f]) / 1024:.0f} MiB")
        print(f"  spread: {max(best.values()) / fastest:.2f}x")


if __name__ == "__main__":
    main()
