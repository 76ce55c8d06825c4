# The two commands a newcomer runs: `make run` and `make test`.
.PHONY: run test bench check-rules clean ocr

JIXIAO := target/release/jixiao
# OCR of scanned pages: ONNX Runtime and the PP-OCRv4 models, from PyPI.
OCR_DIR := models/ocr

run: ocr
	cargo build --release --quiet
	$(JIXIAO) rules check
	$(JIXIAO) extract corpus -o out/records.jsonl
	$(JIXIAO) compare out/records.jsonl --format csv -o out/compare.csv
	$(JIXIAO) compare out/records.jsonl
	$(JIXIAO) audit out/records.jsonl --format jsonl -o out/findings.jsonl
	$(JIXIAO) audit out/records.jsonl
	$(JIXIAO) report out/records.jsonl -o out/report.html

test:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace --all-targets

bench: ocr
	cargo bench --bench pipeline
	cargo build --release --quiet
	python3 benches/cli_vs_pdftotext.py
	python3 benches/archive.py
	python3 benches/ocr.py

# Installs once; `rm -rf models/ocr` to install again.
ocr: $(OCR_DIR)/libonnxruntime.so

$(OCR_DIR)/libonnxruntime.so:
	scripts/install_ocr.sh $(OCR_DIR)

check-rules:
	cargo run --quiet -- rules check

clean:
	cargo clean
	rm -rf out
