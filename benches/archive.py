#!/usr/bin/env python3
"""Archive-scale benchmark: jixiao over synthetic archives of 1,000 and 10,000 reports.

Writes the archives with the workspace's generator (release `xtask generate`,
20 % PDF), then times `jixiao extract --quiet -o … --jobs N` under
/usr/bin/time -v and prints throughput (TXT MB/s, PDF pages/s), 1 vs 2 thread
scaling, 1,000 vs 10,000 documents, peak RSS, and accuracy against the
generator's truth.

    python3 benches/archive.py [--sizes 1000,10000] [--seed 1] [--keep]

Only the Python standard library is used. The machine's other load shows in
the figures: run it on an otherwise idle machine for numbers worth comparing.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "jixiao")
XTASK = os.path.join(ROOT, "target", "release", "xtask")
TIME = "/usr/bin/time"

GOALS = {"scaling": 1.8, "rss_mb": 200.0}


def ensure_time():
    if os.path.exists(TIME):
        return
    print("installing GNU time (Debian package `time`)…", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "time"], check=True)


def build():
    subprocess.run(["cargo", "build", "--release", "-j1", "-q", "-p", "jixiao", "-p", "xtask"], cwd=ROOT, check=True)


def generate(count, seed, out):
    if os.path.isdir(out):
        shutil.rmtree(out)
    subprocess.run(
        [XTASK, "generate", "--count", str(count), "--out", out, "--seed", str(seed), "--pdf-share", "0.2"],
        check=True,
        stderr=subprocess.DEVNULL,
    )


def truths(folder):
    found = {}
    for name in os.listdir(folder):
        if name.endswith(".truth.json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                t = json.load(f)
            found[t["file"]] = t
    return found


def timed_extract(inputs, jobs, output):
    """Runs extract under /usr/bin/time -v; returns (seconds, peak RSS in MB)."""
    cmd = [TIME, "-v", BIN, "extract", "--quiet", "-o", output, "--jobs", str(jobs)] + inputs
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"extract failed ({done.returncode}):\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return seconds, rss_kb / 1024.0


def accuracy(records_path, truth):
    """Documents whose department, year, doc_kind and every metric (first figure) match."""
    got = {}
    with open(records_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "document":
                # A document's figures follow its document record.
                current = got.setdefault(os.path.basename(r["path"]), {"doc": r, "metrics": {}})
            elif r["type"] == "figure" and r.get("metric"):
                current["metrics"].setdefault(r["metric"], r["value"])
    docs_ok = metrics_ok = metrics_all = 0
    wrong = []
    for name, t in truth.items():
        g = got.get(name)
        ok = g is not None
        if g:
            d = g["doc"]
            for key in ("department", "year", "doc_kind"):
                if d.get(key) != t[key]:
                    ok = False
                    wrong.append(f"{name}: {key} {d.get(key)} != {t[key]}")
        for metric, value in t["metrics"].items():
            metrics_all += 1
            v = g["metrics"].get(metric) if g else None
            if v == value:
                metrics_ok += 1
            else:
                ok = False
                wrong.append(f"{name}: {metric} {v} != {value}")
        docs_ok += ok
    return docs_ok, len(truth), metrics_ok, metrics_all, wrong


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the archives in /tmp")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    ensure_time()
    build()
    work = tempfile.mkdtemp(prefix="jixiao-archive-", dir="/tmp")
    results = {}
    try:
        for n in sizes:
            folder = os.path.join(work, f"docs{n}")
            generate(n, args.seed, folder)
            truth = truths(folder)
            files = sorted(truth)
            txt = [os.path.join(folder, f) for f in files if f.endswith(".txt")]
            pdf = [os.path.join(folder, f) for f in files if f.endswith(".pdf")]
            txt_mb = sum(os.path.getsize(p) for p in txt) / 1e6
            pdf_pages = sum(truth[f]["pages"] for f in files if f.endswith(".pdf"))
            row = {"docs": n, "txt": len(txt), "pdf": len(pdf), "txt_mb": txt_mb, "pdf_pages": pdf_pages}
            for jobs in (1, 2):
                out = os.path.join(work, f"records{n}-j{jobs}.jsonl")
                row[f"all_j{jobs}"] = timed_extract([folder], jobs, out)
            # Per-format throughput, one thread (pure per-document cost).
            row["txt_j1"] = timed_extract(txt, 1, os.path.join(work, f"txt{n}.jsonl"))
            row["pdf_j1"] = timed_extract(pdf, 1, os.path.join(work, f"pdf{n}.jsonl"))
            with open(os.path.join(work, f"records{n}-j1.jsonl"), "rb") as a, open(
                os.path.join(work, f"records{n}-j2.jsonl"), "rb"
            ) as b:
                row["same_output"] = a.read() == b.read()
            # Fixed cost of a run (rules, segmenter dictionary), from a one-document run.
            row["startup"] = timed_extract(txt[:1], 1, os.path.join(work, f"one{n}.jsonl"))[0]
            row["accuracy"] = accuracy(os.path.join(work, f"records{n}-j2.jsonl"), truth)
            results[n] = row
            print(f"… {n} documents done", file=sys.stderr)
    finally:
        if args.keep:
            print(f"archives and records kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"jixiao archive benchmark ({os.cpu_count()} cores visible; seed {args.seed}; 20 % PDF)")
    print()
    print(f"{'docs':>7} {'txt':>6} {'pdf':>5} {'TXT MB':>7} {'PDF pp':>7} | {'TXT MB/s':>8} {'PDF pp/s':>8} | "
          f"{'1 thr s':>8} {'2 thr s':>8} {'scale':>6} | {'RSS1 MB':>7} {'RSS2 MB':>7} | {'same':>4} {'accuracy':>14}")
    for n, r in results.items():
        t1, rss1 = r["all_j1"]
        t2, rss2 = r["all_j2"]
        docs_ok, docs, m_ok, m_all, _ = r["accuracy"]
        print(f"{n:>7} {r['txt']:>6} {r['pdf']:>5} {r['txt_mb']:>7.1f} {r['pdf_pages']:>7} | "
              f"{r['txt_mb'] / r['txt_j1'][0]:>8.2f} {r['pdf_pages'] / r['pdf_j1'][0]:>8.1f} | "
              f"{t1:>8.2f} {t2:>8.2f} {t1 / t2:>5.2f}x | {rss1:>7.1f} {rss2:>7.1f} | "
              f"{'yes' if r['same_output'] else 'NO':>4} {100.0 * docs_ok / docs:>6.2f}% docs")
    print()
    big, small = max(results), min(results)
    verdict = lambda ok: "ok" if ok else "MISSED"
    t1b, rss1b = results[big]["all_j1"]
    t2b, rss2b = results[big]["all_j2"]
    scale = t1b / t2b
    print(f"1 vs 2 threads at {big}: {scale:.2f}x (goal >= {GOALS['scaling']}x: {verdict(scale >= GOALS['scaling'])})")
    if big != small:
        for jobs in (1, 2):
            per = {}
            for n in (small, big):
                t, _ = results[n][f"all_j{jobs}"]
                per[n] = (t - results[n]["startup"]) / n
            ratio = per[big] / per[small]
            print(f"{small} vs {big} docs ({jobs} thread(s), start-up {results[big]['startup']:.2f}s taken off): "
                  f"{per[small] * 1e3:.2f} vs {per[big] * 1e3:.2f} ms/doc, ratio {ratio:.2f} "
                  f"(goal linear, no worse than 1.25: {verdict(ratio <= 1.25)})")
    rss = max(rss1b, rss2b)
    print(f"peak RSS at {big}: {rss:.1f} MB (goal <= {GOALS['rss_mb']:.0f} MB: {verdict(rss <= GOALS['rss_mb'])})")
    for n, r in results.items():
        docs_ok, docs, m_ok, m_all, wrong = r["accuracy"]
        print(f"accuracy at {n}: {docs_ok}/{docs} documents, {m_ok}/{m_all} metrics "
              f"(goal 100 %: {verdict(docs_ok == docs and m_ok == m_all)})")
        for w in wrong[:10]:
            print(f"  {w}")


if __name__ == "__main__":
    main()
