#!/usr/bin/env bash
# Installs what OCR of scanned pages needs into a models folder (default
# models/ocr), from PyPI only: ONNX Runtime's shared library from the
# `onnxruntime` wheel and PaddleOCR's PP-OCRv4 ONNX models (text detection,
# direction classification, recognition, whose character list is in the
# recogniser's metadata) from the `rapidocr_onnxruntime` wheel. Nothing of
# Python is used at run time: the wheels are only unpacked.
set -euo pipefail
dest="${1:-models/ocr}"
ORT_VERSION=1.32.0
RAPIDOCR_VERSION=1.4.4
case "$(uname -m)" in
  x86_64) platform=manylinux_2_28_x86_64 ;;
  aarch64) platform=manylinux_2_28_aarch64 ;;
  *) echo "install_ocr: no onnxruntime wheel for $(uname -m)" >&2; exit 1 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-cache-dir --no-deps --only-binary=:all: \
  --platform "$platform" --python-version 3.11 --implementation cp \
  -d "$work" "onnxruntime==$ORT_VERSION" "rapidocr_onnxruntime==$RAPIDOCR_VERSION"
for wheel in "$work"/*.whl; do
  python3 -m zipfile -e "$wheel" "$work/unpacked"
done
mkdir -p "$dest"
cp "$work/unpacked/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" "$dest/libonnxruntime.so"
cp "$work"/unpacked/rapidocr_onnxruntime/models/*.onnx "$dest/"
echo "OCR runtime and models installed in $dest"
ls -l "$dest"
