//! Shared helpers for the integration tests: the rule set, a segmenter, the seed
//! fixture, the gold and the expected outputs, running the library pipeline on
//! one file and the CLI in a folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

use jixiao::pipeline;
use jixiao::record::Record;
use jixiao::rules::{RuleSet, default_dir};
use jixiao::segment::Segmenter;

pub mod expected;
pub mod gold;

pub static RULES: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::load(&default_dir()).expect("shipped rules load"));
pub static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(|| Segmenter::from_rules(&RULES));

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn records_of(path: &Path) -> Vec<Record> {
    pipeline::process_file(path, &RULES, &SEGMENTER).records
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_jixiao"))
}

/// The `jixiao` binary run with `args` in `cwd`, to its end.
pub fn jixiao(args: &[&str], cwd: &Path) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// A copy of the shipped rule files in a folder of its own, for a test to break.
pub fn copy_of_the_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// A hand-written records file for the seeds (tests/fixtures/seeds.jsonl):
/// compare, audit and sink tests run on it independently of extraction.
pub fn fixture() -> Vec<Record> {
    jixiao::sink::jsonl::read_path(&root().join("tests/fixtures/seeds.jsonl"))
        .expect("fixture parses")
}

/// The fixture followed by the audit's findings over it: every record type.
pub fn fixture_with_findings() -> Vec<Record> {
    let mut recs = fixture();
    let report = jixiao::audit::audit(&recs, &rules());
    recs.extend(report.findings.into_iter().map(Record::Finding));
    recs
}

/// The shipped audit checks, validated against the shipped metric vocabulary.
pub fn rules() -> jixiao::rules::audit::AuditRules {
    RULES.audit.clone()
}

/// Text as the PDF source gives it: NFKC (，→ , and （）→ ()), which the gold,
/// written from the TXT exports, is not.
pub fn nfkc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().collect()
}

/// Whether the OCR models are installed (`make ocr`). A test that needs them
/// calls this first and, when they are not, says so and passes without
/// checking anything (CI installs them, so there it checks).
pub fn ocr_models(test: &str) -> bool {
    match jixiao_ocr::models::find() {
        Ok(_) => true,
        Err(e) => {
            eprintln!("{test}: SKIPPED, it needs the OCR models: {e}");
            false
        }
    }
}

/// Whether a run over the bundled corpus went as it should: every document
/// read, or, on a machine without the OCR models, only the scanned form left
/// as an `ocr_unavailable` error record (and the exit code 1 that a failed
/// document gives).
pub fn corpus_run_went_right(out: &Output, test: &str) -> bool {
    if ocr_models(test) {
        return out.status.success();
    }
    let failed: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["type"] == "document" && r["status"] == "error")
        .collect();
    let only_ocr = failed
        .iter()
        .all(|d| d["error"]["code"] == "ocr_unavailable");
    let want = if failed.is_empty() { 0 } else { 1 };
    only_ocr && out.status.code() == Some(want)
}
