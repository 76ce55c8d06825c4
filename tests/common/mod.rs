//! Shared helpers for the integration tests: the rule set, a segmenter, and
//! running the library pipeline on one file.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use jixiao::pipeline;
use jixiao::record::Record;
use jixiao::rules::{RuleSet, default_dir};
use jixiao::segment::Segmenter;

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

/// A hand-written records file for the seeds (tests/fixtures/seeds.jsonl):
/// compare, audit and sink tests run on it independently of extraction.
pub fn fixture() -> Vec<Record> {
    jixiao::sink::jsonl::read_path(&root().join("tests/fixtures/seeds.jsonl"))
        .expect("fixture parses")
}

/// The shipped audit checks, validated against the shipped metric vocabulary.
pub fn rules() -> jixiao::rules::audit::AuditRules {
    RULES.audit.clone()
}
