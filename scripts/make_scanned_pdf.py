#!/usr/bin/env python3
"""A scanned copy of a PDF, as published self-evaluation forms often are: its
pages rendered at 200 dpi (poppler's pdftoppm), a red seal stamped near the top
of the first page, each page turned by under 1 degree, speckled, slightly
blurred and saved as JPEG (quality 70), wrapped as an image-only PDF (no fonts,
no text layer). A test and bench fixture for the OCR stage; the same recipe as
../shared/corpus/2022_form_scanned.pdf.

With --text-pages, those pages keep their text layer (a file mixing text and
scanned pages); --first N keeps only the first N pages.

Needs pdftoppm (Debian: poppler-utils) and, from PyPI, pillow, img2pdf and
(for --text-pages) pypdf.
Usage: scripts/make_scanned_pdf.py IN.pdf OUT.pdf [--seed N] [--first N] [--text-pages 1,2]
"""

import argparse
import io
import math
import random
import subprocess
import tempfile
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFilter

DPI = 200
RED = (205, 30, 35)


def seal(size):
    """A round red seal with a star, drawn on a transparent square."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    w = max(4, size // 40)
    d.ellipse([w, w, size - w, size - w], outline=RED + (215,), width=w)
    c, r = size / 2, size / 7
    star = [
        (c + (r if k % 2 == 0 else r / 2.5) * math.sin(k * math.pi / 5),
         c - (r if k % 2 == 0 else r / 2.5) * math.cos(k * math.pi / 5))
        for k in range(10)
    ]
    d.polygon(star, fill=RED + (215,))
    return img


def scan(page, rng, stamp):
    """One rendered page as a scanner would give it back."""
    page = page.convert("RGB")
    if stamp:
        s = seal(int(page.width * 0.14))
        page.paste(s, (int(page.width * 0.55), int(page.height * 0.03)), s)
    page = page.rotate(rng.uniform(-0.9, 0.9), resample=Image.BICUBIC, fillcolor="white")
    px = page.load()
    for _ in range(page.width * page.height // 900):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        v = rng.randrange(60, 200)
        px[x, y] = (v, v, v)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=70, dpi=(DPI, DPI))
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--text-pages", default="")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-r", str(DPI), "-png"] + (["-l", str(args.first)] if args.first else [])
        subprocess.run(cmd + [args.source, f"{tmp}/p"], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"))
        jpegs = [scan(Image.open(p), rng, i == 0) for i, p in enumerate(pages)]
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    scanned = img2pdf.convert(jpegs, layout_fun=layout)
    keep = {int(n) for n in args.text_pages.split(",") if n}
    if keep:
        import pypdf
        text, scans, out = pypdf.PdfReader(args.source), pypdf.PdfReader(io.BytesIO(scanned)), pypdf.PdfWriter()
        for i, page in enumerate(scans.pages):
            out.add_page(text.pages[i] if i + 1 in keep else page)
        buf = io.BytesIO()
        out.write(buf)
        scanned = buf.getvalue()
    Path(args.output).write_bytes(scanned)
    print(f"{args.output}: {len(jpegs)} page(s), text layer kept on {sorted(keep) or 'none'}")


if __name__ == "__main__":
    main()
