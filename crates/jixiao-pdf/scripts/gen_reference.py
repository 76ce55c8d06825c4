#!/usr/bin/env python3
"""Generate crates/jixiao-pdf/tests/data/realpdf/<name>.ref.json: pdftotext's multiset of CJK ideographs + digits.

Run once (needs poppler-utils' pdftotext): python3 crates/jixiao-pdf/scripts/gen_reference.py
The crate's tests/pdf/fidelity.rs compares our extraction against these counts, so the
tests do not need pdftotext. Counting rule (mirrored in tests/pdf/reference.rs): NFKC the
text, then count every char in U+3400..U+4DBF, U+4E00..U+9FFF, U+F900..U+FAFF or 0-9.
"""
import glob, json, os, subprocess, sys, unicodedata
from collections import Counter

def counts(text):
    text = unicodedata.normalize("NFKC", text)
    return Counter(c for c in text if c.isdigit() and c.isascii() or
                   0x3400 <= ord(c) <= 0x4DBF or 0x4E00 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF)

if __name__ == "__main__":
    root = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "realpdf")
    for pdf in sorted(glob.glob(os.path.join(root, "*.pdf"))):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True).stdout.decode("utf-8")
        c = counts(out)
        with open(pdf[:-4] + ".ref.json", "w", encoding="utf-8") as f:
            json.dump(dict(sorted(c.items())), f, ensure_ascii=False, indent=0)
        print(os.path.basename(pdf), sum(c.values()))
