#!/usr/bin/env python3
"""Dev tool: compare our extraction (`jixiao text`) with pdftotext on PDFs, as CJK+digit
multisets. Usage: python3 scripts/compare.py FILE.pdf... (needs a release build and
poppler-utils)."""
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "crates", "jixiao-pdf", "scripts"))
from gen_reference import counts

JIXIAO = os.path.join(os.path.dirname(__file__), "..", "target", "release", "jixiao")
for pdf in sys.argv[1:]:
    raw = subprocess.run([JIXIAO, "text", pdf], capture_output=True).stdout.decode()
    ours = "\n".join(l for l in raw.splitlines() if not l.startswith("=== page"))
    ref = counts(subprocess.run(["pdftotext", "-q", pdf, "-"], capture_output=True).stdout.decode())
    o = counts(ours)
    inter = sum((o & ref).values())
    print(f"{os.path.basename(pdf):60s} recall={inter/max(1,sum(ref.values())):.4f} "
          f"precision={inter/max(1,sum(o.values())):.4f} ref={sum(ref.values())} ours={sum(o.values())} "
          f"missing={dict((ref-o).most_common(6))} extra={dict((o-ref).most_common(6))}")
