//! What several subcommands share: finding and loading the rule directory,
//! reading a records file, and writing a result to a file or standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use jixiao::incremental::is_special_file;
use jixiao::record::Record;
use jixiao::rules::{RuleSet, default_dir};
use jixiao::sink::jsonl;

/// Loads the rule directory (default: `rules/` here, else the crate's own),
/// printing every problem; `None` when it is unusable.
pub fn load_rules(dir: Option<&Path>) -> Option<RuleSet> {
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => {
            let local = PathBuf::from("rules");
            if local.is_dir() { local } else { default_dir() }
        }
    };
    match RuleSet::load(&dir) {
        Ok(rules) => Some(rules),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!(
                "jixiao: {} problem(s) in rule files; nothing was read",
                errors.len()
            );
            None
        }
    }
}

pub fn read_records(path: &Path) -> Result<Vec<Record>> {
    jsonl::read_path(path).with_context(|| format!("cannot read records from {}", path.display()))
}

/// Writes `bytes` to `output`, or to standard output when there is none.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => write_atomically(path, bytes),
        None => write_stdout(bytes),
    }
}

/// Writes to a temporary file beside `path` and renames it, so an interrupted
/// run never leaves a half-written output in place of the previous one; a
/// FIFO or a device is written in place (a rename would replace it).
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if is_special_file(path) {
        return std::fs::write(path, bytes)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot move output to {}", path.display()))?;
    Ok(())
}

/// A closed pipe (`jixiao extract | head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
