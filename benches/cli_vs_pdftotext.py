#!/usr/bin/env python3
"""Whole-CLI timing: `jixiao extract` (whole pipeline, all cores) against
`pdftotext` (two processes in parallel) on the same real PDFs, in one run.

pdftotext is a yardstick here, never a dependency of jixiao. Prints the median
wall time of each over several rounds and their ratio.
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


def timed(cmd, out=None):
    t = time.perf_counter()
    with open(out or os.devnull, "wb") as sink:
        subprocess.run(cmd, check=True, stdout=sink, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    files = sorted(glob.glob(os.path.join(ROOT, "crates/jixiao-pdf/tests/data/realpdf/*.pdf")))
    files += sorted(glob.glob(os.path.join(ROOT, "corpus/*.pdf")))
    if not shutil.which("pdftotext"):
        print("pdftotext not found (Debian poppler-utils): comparison skipped")
        return 0
    compare(files, "the PDFs once")
    # Four copies of each (the goal is set on these): fixed start-up costs
    # (rules, segmenter) weigh as they do on a real archive rather than on nine files.
    with tempfile.TemporaryDirectory() as many:
        copies = []
        for i in range(4):
            for f in files:
                copy = os.path.join(many, f"{i}-{os.path.basename(f)}")
                shutil.copyfile(f, copy)
                copies.append(copy)
        compare(copies, "four copies of each")
    return 0


def compare(files, what):
    pages = 0
    for f in files:
        out = subprocess.run(["pdfinfo", f], capture_output=True, text=True).stdout
        pages += next((int(l.split()[1]) for l in out.splitlines() if l.startswith("Pages:")), 0)
    size = sum(os.path.getsize(f) for f in files)
    with tempfile.TemporaryDirectory() as tmp:
        # Records to a file through standard output: like pdftotext's, written
        # without an fsync, so other work's disk flushes stay out of the timing.
        jixiao_cmd = [JIXIAO, "extract", "--quiet", *files]
        # pdftotext, two processes at a time, like jixiao on two cores.
        xargs_cmd = ["xargs", "-P2", "-I{}", "pdftotext", "-q", "{}", os.path.join(tmp, "x.txt")]
        feed = "\n".join(files).encode()
        records = os.path.join(tmp, "r.jsonl")
        timed(jixiao_cmd, records)  # warm the page cache
        j, p = [], []
        for _ in range(ROUNDS):
            j.append(timed(jixiao_cmd, records))
            t = time.perf_counter()
            subprocess.run(xargs_cmd, input=feed, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            p.append(time.perf_counter() - t)
    jm, pm = statistics.median(j), statistics.median(p)
    print(f"{what}: {len(files)} PDFs, {pages} pages, {size / 1e6:.1f} MB, median of {ROUNDS} rounds")
    print(f"jixiao extract (whole pipeline, all cores): {jm * 1000:8.1f} ms  ({pages / jm:7.0f} pages/s)")
    print(f"pdftotext (2 processes in parallel):        {pm * 1000:8.1f} ms  ({pages / pm:7.0f} pages/s)")
    print(f"ratio jixiao / pdftotext: {jm / pm:.2f}x (goal <= 0.33x)")


if __name__ == "__main__":
    sys.exit(main())
