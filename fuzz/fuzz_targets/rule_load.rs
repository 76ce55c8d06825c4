//! A rules/metrics.toml of any content must load or be rejected with errors, never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use jixiao::rules::{RuleSet, default_dir};
use libfuzzer_sys::fuzz_target;

/// One temporary copy of the shipped rules per process; each input overwrites its metrics.toml.
fn rules_copy() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir").keep();
        for entry in std::fs::read_dir(default_dir()).expect("rules dir") {
            let entry = entry.expect("rules entry");
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy rule file");
        }
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = rules_copy();
    std::fs::write(dir.join("metrics.toml"), data).expect("write metrics.toml");
    let _ = RuleSet::load(dir);
});
