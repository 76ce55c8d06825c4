# The two commands a newcomer runs: `make run` and `make test`.
# `make python` builds the Python package into .venv; `make python-test` tests it.
# `make ocr` installs the OCR runtime and models (make run and make bench do it).
.PHONY: run test bench accuracy fuzz check-rules clean python python-test ocr

JIXIAO := target/release/jixiao
VENV := .venv
PYTHON_REQUIREMENTS := crates/jixiao-py/requirements-dev.txt
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
	python3 benches/scaling.py
	python3 benches/archive.py
	python3 benches/ocr.py

# The scorer's line for the development set of real documents (tests/data/realworld).
accuracy:
	cargo build --release --quiet
	$(JIXIAO) extract tests/data/realworld/raw -q -o out/realworld.jsonl || true
	python3 tests/data/realworld/score.py out/realworld.jsonl tests/data/realworld/gold

# Long randomised runs: the property tests with FUZZ_CASES cases, then each
# cargo-fuzz target for FUZZ_SECONDS (default 30 min each; see fuzz/README.md).
fuzz:
	scripts/fuzz.sh

# Installs once; `rm -rf models/ocr` to install again.
ocr: $(OCR_DIR)/libonnxruntime.so

$(OCR_DIR)/libonnxruntime.so:
	scripts/install_ocr.sh $(OCR_DIR)

# A virtual environment with maturin, pyarrow, duckdb and Ray from PyPI, and
# the jixiao wheel (abi3: one for every CPython >= 3.9) built and installed.
python: $(VENV)/.requirements
	cargo build --release --quiet
	rm -f target/wheels/jixiao-*.whl
	$(VENV)/bin/maturin build --release --quiet -m crates/jixiao-py/Cargo.toml -o target/wheels
	$(VENV)/bin/pip install --quiet --force-reinstall --no-deps target/wheels/jixiao-*.whl

$(VENV)/.requirements: $(PYTHON_REQUIREMENTS)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -r $(PYTHON_REQUIREMENTS)
	touch $@

# The package, the Parquet output read by DuckDB, the Ray example.
python-test: python
	$(VENV)/bin/python -m pytest tests/python -q

check-rules:
	cargo run --quiet -- rules check

clean:
	cargo clean
	rm -rf out
