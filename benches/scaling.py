#!/usr/bin/env python3
"""1 → 2 thread scaling of `jixiao extract` beside the machine's own, in one run.

The machine's own scaling is what two independent CPU-bound processes get:
two `jixiao extract --jobs 1` over the same files at once, against one alone
(2 × T1 / T(both)). jixiao's is `--jobs 1` against `--jobs 2` on those files
(T1 / T2). Rounds interleave the three so that load from elsewhere falls on
each alike; medians are printed, and the goal is jixiao's within 10 % of the
machine's. The files: the real PDFs and the corpus, four copies of each.

    python3 benches/scaling.py            # ROUNDS=7 by default
"""
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JIXIAO = os.path.join(ROOT, "target", "release", "jixiao")
ROUNDS = int(os.environ.get("ROUNDS", "7"))


def copies(folder, n=4):
    files = sorted(glob.glob(os.path.join(ROOT, "crates/jixiao-pdf/tests/data/realpdf/*.pdf")))
    files += sorted(glob.glob(os.path.join(ROOT, "corpus/*")))
    for i in range(n):
        for f in files:
            shutil.copyfile(f, os.path.join(folder, f"{i}-{os.path.basename(f)}"))
    return len(files) * n


def start(folder, jobs, out):
    # Records go to a file through standard output (no fsync at the end, as
    # for any program writing its output), so disk flushes of other work on
    # the machine do not land in the timings.
    with open(out, "wb") as sink:
        return subprocess.Popen(
            [JIXIAO, "extract", "--quiet", "--jobs", str(jobs), folder], stdout=sink, stderr=subprocess.DEVNULL
        )


def timed(*runs):
    """Wall time until every one of the started processes has ended."""
    t = time.perf_counter()
    procs = [start(*r) for r in runs]
    for p in procs:
        if p.wait() != 0:
            sys.exit(f"jixiao extract failed ({p.returncode})")
    return time.perf_counter() - t


def main():
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "in")
        os.mkdir(folder)
        n = copies(folder)
        out = lambda name: os.path.join(tmp, name)
        timed((folder, 2, out("warm")))  # page cache
        one, two, pair = [], [], []
        for _ in range(ROUNDS):
            one.append(timed((folder, 1, out("one"))))
            two.append(timed((folder, 2, out("two"))))
            pair.append(timed((folder, 1, out("a")), (folder, 1, out("b"))))
    t1, t2, tp = (statistics.median(x) for x in (one, two, pair))
    machine, ours = 2 * t1 / tp, t1 / t2
    print(f"scaling: {n} files (real PDFs and corpus x4), median of {ROUNDS} interleaved rounds")
    print(f"jixiao --jobs 1:                        {t1 * 1000:8.1f} ms")
    print(f"jixiao --jobs 2:                        {t2 * 1000:8.1f} ms  -> 1->2 threads {ours:.2f}x")
    print(f"two jixiao --jobs 1 at once (machine):  {tp * 1000:8.1f} ms  -> machine's own {machine:.2f}x")
    print(f"jixiao's scaling / the machine's: {ours / machine:.2f} (goal >= 0.90)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
