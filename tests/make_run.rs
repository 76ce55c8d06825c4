//! What `make run` writes for the bundled corpus (records, the comparison, the
//! findings, the two tables people read and the HTML report), byte for byte
//! against tests/expected/.

use crate::common::{expected, jixiao, ocr_models, root};

#[test]
fn make_run_writes_the_expected_files() {
    // corpus/ holds a scanned form, which `make run` reads by OCR.
    if !ocr_models("make_run_writes_the_expected_files") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (records, compare_csv, findings, report) = (
        path("records.jsonl"),
        path("compare.csv"),
        path("findings.jsonl"),
        path("report.html"),
    );
    let run = |args: &[&str]| {
        let out = jixiao(args, &root());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "jixiao {args:?}: {stderr}");
        out.stdout
    };
    // The Makefile's steps, in its order.
    run(&["extract", "corpus", "-o", &records]);
    run(&["compare", &records, "--format", "csv", "-o", &compare_csv]);
    let compare_table = run(&["compare", &records]);
    run(&["audit", &records, "--format", "jsonl", "-o", &findings]);
    let audit_table = run(&["audit", &records]);
    run(&["report", &records, "-o", &report]);
    let read = |path: &str| std::fs::read(path).unwrap();
    expected::assert_outputs(&[
        ("records.jsonl", &read(&records)),
        ("compare.csv", &read(&compare_csv)),
        ("compare.txt", &compare_table),
        ("findings.jsonl", &read(&findings)),
        ("audit.txt", &audit_table),
        ("report.html", &read(&report)),
    ]);
}
