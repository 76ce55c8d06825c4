#!/usr/bin/env bash
# Long randomised runs (`make fuzz`): the property tests of the scanner and the
# TXT pipeline with FUZZ_CASES cases each (0: none), then every cargo-fuzz target for
# FUZZ_SECONDS on one worker, from seed corpora made of the bundled corpus and
# the shipped rules. Logs go to fuzz/logs/; the last lines of each say how many
# executions ran and whether anything crashed (a crash's input is kept under
# fuzz/artifacts/TARGET/, and the run stops there with an error).
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${FUZZ_CASES:-100000}"
seconds="${FUZZ_SECONDS:-1800}"
targets="${FUZZ_TARGETS:-quantity_scan txt_decode txt_pipeline pdf_source rule_load}"

if [[ "$cases" != 0 ]]; then
  echo "property tests, $cases cases each (the many-document one a fiftieth)"
  JIXIAO_PROPTEST_CASES="$cases" cargo test --test tests -- properties
fi

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p fuzz/logs fuzz/corpus/{pdf_source,txt_decode,txt_pipeline,quantity_scan,rule_load}
cp corpus/*.pdf crates/jixiao-pdf/tests/data/samples/synthetic/*.pdf fuzz/corpus/pdf_source/
cp corpus/*.txt tests/data/bad_input/*.txt fuzz/corpus/txt_decode/
cp corpus/*.txt tests/data/bad_input/*.txt tests/data/tables/*.txt fuzz/corpus/txt_pipeline/
cp tests/data/fuzz/quantity_scan/* fuzz/corpus/quantity_scan/
cp rules/metrics.toml fuzz/corpus/rule_load/
for target in $targets; do
  echo "fuzzing $target for $seconds s"
  # RUSTC_BOOTSTRAP lets the stable toolchain take the sanitizer flags cargo-fuzz passes.
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -j1 -- \
    -max_total_time="$seconds" -print_final_stats=1) > "fuzz/logs/$target.log" 2>&1 \
    || { tail -40 "fuzz/logs/$target.log"; echo "fuzz target $target crashed"; exit 1; }
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "fuzz/logs/$target.log" | tail -2
done
