#!/usr/bin/env python3
"""Generate crates/jixiao-pdf/src/radicals.rs from Unicode's EquivalentUnifiedIdeograph.txt.

Usage: python3 crates/jixiao-pdf/scripts/gen_radicals.py [/usr/share/unicode/EquivalentUnifiedIdeograph.txt]
(Debian package `unicode-data` installs the file at that path.)
"""
import os
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode/EquivalentUnifiedIdeograph.txt"
version = "unknown"
pairs = []
for line in open(src, encoding="utf-8"):
    if line.startswith("# EquivalentUnifiedIdeograph-"):
        version = line.split("-", 1)[1].strip().removesuffix(".txt")
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    cps, target = [p.strip() for p in line.split(";")]
    if ".." in cps:
        a, b = [int(x, 16) for x in cps.split("..")]
    else:
        a = b = int(cps, 16)
    for cp in range(a, b + 1):
        pairs.append((cp, int(target, 16)))
pairs.sort()
out = ["//! Generated table: CJK radicals/strokes -> equivalent unified ideograph (Unicode EquivalentUnifiedIdeograph-%s)." % version,
       "//! Regenerate with `python3 crates/jixiao-pdf/scripts/gen_radicals.py`; do not edit by hand.",
       "",
       "/// Sorted `(radical, unified ideograph)` pairs, searched with binary search.",
       "pub(crate) static EQUIVALENT_UNIFIED: &[(u32, u32)] = &["]
for cp, t in pairs:
    out.append("    (0x%04X, 0x%04X)," % (cp, t))
out.append("];")
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "radicals.rs"), "w", encoding="utf-8").write("\n".join(out) + "\n")
print(len(pairs), "entries")
