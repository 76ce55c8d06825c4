#!/usr/bin/env python3
"""OCR of scanned reports: what `jixiao extract` reads from image-only PDFs
against the gold and the seed text, and how fast (pages per second on 1 and 2
threads). Needs the release binary and the OCR models (`make ocr`); without
the models it says so and stops.

Measured per scanned file:
- mentions: the gold's mentions whose kind, value and unit a figure has (each
  figure used once), also for money and rates alone;
- metrics: the gold metrics whose first figure has the gold value;
- indicator rows (forms): gold rows (by 三级指标) found with weight and score;
- department and year of the document record;
- text: ideographs and digits of `jixiao text` against the seed (multisets).
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JIXIAO = os.path.join(ROOT, "target", "release", "jixiao")
FILES = [
    ("corpus/2022_form_scanned.pdf", "tests/data/2022_form.gold.json", "corpus/2022_form.txt"),
    ("tests/data/scanned/2024_report_scanned.pdf", "tests/data/2024_report.gold.json", "corpus/2024_report.txt"),
]


def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def counts(text):
    c = collections.Counter()
    for ch in nfkc(text):
        cp = ord(ch)
        if ("0" <= ch <= "9") or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF:
            c[ch] += 1
    return c


def records(path):
    out = subprocess.run([JIXIAO, "extract", "-q", path], capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def same(a, b):
    return abs(a - b) <= 1e-6 * max(abs(a), 1.0)


def share(found, total):
    return f"{found}/{total} ({100.0 * found / max(total, 1):.1f} %)"


def measure(pdf, gold_path, seed):
    gold = json.load(open(os.path.join(ROOT, gold_path)))
    recs = records(os.path.join(ROOT, pdf))
    doc = recs[0]
    figures = [r for r in recs if r["type"] == "figure"]
    left = list(figures)
    hit = collections.Counter()
    total = collections.Counter()
    for m in gold["mentions"]:
        money_rate = m["kind"] in ("amount", "rate")
        total["all"] += 1
        total["money_rate"] += money_rate
        at = next((i for i, f in enumerate(left)
                   if f["kind"] == m["kind"] and f["unit"] == m["unit"] and same(f["value"], m["value"])), None)
        if at is not None:
            left.pop(at)
            hit["all"] += 1
            hit["money_rate"] += money_rate
        else:
            print(f"    missing mention: {m['kind']} {m['value']} {m['unit']} `{m['raw']}`")
    first = {}
    for f in figures:
        if f.get("metric"):
            first.setdefault(f["metric"], f["value"])
    metrics_ok = [k for k, v in gold["metrics"].items() if k in first and same(first[k], v)]
    for k in gold["metrics"]:
        if k not in metrics_ok:
            print(f"    metric {k}: expected {gold['metrics'][k]}, found {first.get(k)}")
    print(f"  {pdf}: {doc['pages']} pages, status {doc['status']}, {doc.get('warnings')}")
    print(f"    mentions with value and unit: {share(hit['all'], total['all'])};"
          f" money and rates: {share(hit['money_rate'], total['money_rate'])}")
    print(f"    metrics: {share(len(metrics_ok), len(gold['metrics']))}")
    if gold.get("indicators"):
        rows = {nfkc(r["level3"]): r for r in recs if r["type"] == "indicator"}
        good = sum(1 for g in gold["indicators"]
                   if nfkc(g[2]) in rows and rows[nfkc(g[2])]["weight"] == g[3] and rows[nfkc(g[2])]["score"] == g[4])
        print(f"    indicator rows with weight and score: {share(good, len(gold['indicators']))}")
    print(f"    department {doc['department'] == gold['document']['department']}, year {doc['year'] == gold['document']['year']}")
    ocr = [f for f in figures if f.get("ocr")]
    low = min((f["confidence"] for f in ocr), default=None)
    print(f"    figures marked ocr: {len(ocr)} of {len(figures)}; lowest confidence {low}")
    text = subprocess.run([JIXIAO, "text", os.path.join(ROOT, pdf)], capture_output=True, text=True).stdout
    ours, ref = counts(text), counts(open(os.path.join(ROOT, seed)).read())
    inter = sum(min(n, ours[c]) for c, n in ref.items())
    print(f"    text against the seed: ideograph+digit recall {inter / sum(ref.values()):.4f},"
          f" precision {inter / sum(ours.values()):.4f}")


def throughput():
    pdf = os.path.join(ROOT, FILES[0][0])
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(2):
            shutil.copy(pdf, os.path.join(tmp, f"copy{k}.pdf"))
        pages = 2 * records(pdf)[0]["pages"]
        for jobs in (1, 2):
            t = time.perf_counter()
            subprocess.run([JIXIAO, "extract", "-q", "--jobs", str(jobs), "-o", os.path.join(tmp, "out.jsonl"), tmp],
                           check=True)
            dt = time.perf_counter() - t
            print(f"  {jobs} thread(s): {pages} pages in {dt:.1f} s = {pages / dt:.2f} pages/s")


def main():
    probe = subprocess.run([JIXIAO, "extract", "-q", os.path.join(ROOT, FILES[0][0])], capture_output=True, text=True)
    if '"ocr_unavailable"' in probe.stdout:
        print("ocr bench skipped: the OCR models are not installed (make ocr)")
        return 0
    print("OCR fidelity:")
    for pdf, gold, seed in FILES:
        measure(pdf, gold, seed)
    print("OCR throughput (two copies of the scanned 2022 form):")
    throughput()
    return 0


if __name__ == "__main__":
    sys.exit(main())
