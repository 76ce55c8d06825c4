//! The development set of real documents (tests/data/realworld: excerpts of
//! published forms and reports from many provinces, their gold and the scorer,
//! `score.py`): every document is scored on its own, and no count the scorer
//! reports may fall below tests/expected/realworld_scores.txt (nor `extra`, the
//! figures with no gold counterpart, rise above it). When a reader improves,
//! `JIXIAO_BLESS=1` writes the new counts there, and the diff shows what
//! improved, document by document. `make accuracy` prints the set's line.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use jixiao::record::Record;

use crate::common::expected::blessing;
use crate::common::{RULES, SEGMENTER, root};

const EXPECTED: &str = "tests/expected/realworld_scores.txt";

/// `docs 1/1; year 1/1 (100.0%); …; extra 2; …` → name → (found, out of).
fn counts(line: &str) -> BTreeMap<String, (u32, Option<u32>)> {
    line.split("; ")
        .filter_map(|part| {
            let part = part.split(" (").next()?;
            let (name, number) = part.rsplit_once(' ')?;
            let (found, total) = match number.split_once('/') {
                Some((f, t)) => (f.parse().ok()?, Some(t.parse().ok()?)),
                None => (number.parse().ok()?, None),
            };
            Some((name.to_string(), (found, total)))
        })
        .collect()
}

/// The scorer's summary line for one document's gold against `records`.
fn score_one(records: &Path, gold: &Path) -> String {
    let one = tempfile::tempdir().unwrap();
    std::fs::copy(gold, one.path().join(gold.file_name().unwrap())).unwrap();
    let out = Command::new("python3")
        .arg(root().join("tests/data/realworld/score.py"))
        .arg(records)
        .arg(one.path())
        .output()
        .expect("python3 runs the scorer");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout.lines().last().unwrap_or_default().to_string()
}

/// The files of `dir`, sorted.
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Every document of the set extracted by the library, as one JSON Lines file.
fn records_of_the_set(dir: &Path) -> tempfile::NamedTempFile {
    let files = files_in(dir);
    let mut jsonl = String::new();
    for file in &files {
        let output = jixiao::pipeline::process_file(file, &RULES, &SEGMENTER);
        jsonl.extend(
            output
                .records
                .iter()
                .map(Record::to_json_line)
                .map(|l| l + "\n"),
        );
    }
    let records = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(records.path(), jsonl).unwrap();
    records
}

/// Where `now` is worse than `before`, for each count the scorer gives.
fn regressions(name: &str, before: &str, now: &str) -> Vec<String> {
    let (before, now) = (counts(before), counts(now));
    before
        .iter()
        .filter_map(|(what, (was, total))| {
            let is = now.get(what).map_or(0, |(found, _)| *found);
            let worse = if what == "extra" {
                is > *was
            } else {
                is < *was
            };
            worse.then(|| {
                format!(
                    "{name}: {what} {is} (was {was}{})",
                    total.map_or(String::new(), |t| format!("/{t}"))
                )
            })
        })
        .collect()
}

#[test]
fn no_real_document_scores_below_its_recorded_counts() {
    let data = root().join("tests/data/realworld");
    let records = records_of_the_set(&data.join("raw"));
    let golds = files_in(&data.join("gold"));
    let mut lines = String::new();
    for gold in &golds {
        let name = gold
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".gold.json", "");
        lines.push_str(&format!("{name}: {}\n", score_one(records.path(), gold)));
    }
    let expected = root().join(EXPECTED);
    if blessing() {
        std::fs::write(&expected, &lines).unwrap();
        eprintln!("JIXIAO_BLESS: wrote {EXPECTED}");
        return;
    }
    let before = std::fs::read_to_string(&expected).unwrap();
    let before: BTreeMap<&str, &str> = before.lines().filter_map(|l| l.split_once(": ")).collect();
    let mut worse = Vec::new();
    for line in lines.lines() {
        let (name, now) = line.split_once(": ").unwrap();
        let was = before
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in {EXPECTED}"));
        worse.extend(regressions(name, was, now));
    }
    assert!(
        worse.is_empty(),
        "scores fell below {EXPECTED}:\n{}",
        worse.join("\n")
    );
    assert_eq!(
        before.len(),
        golds.len(),
        "{EXPECTED} lists documents the set no longer has"
    );
}

#[test]
fn the_scorers_line_is_read_count_by_count() {
    let line = "docs 1/1; year 0/1 (0.0%); extra 3; indicator rows 5/12 (41.7%)";
    let c = counts(line);
    assert_eq!(c["docs"], (1, Some(1)));
    assert_eq!(c["extra"], (3, None));
    assert_eq!(c["indicator rows"], (5, Some(12)));
    let worse = regressions(
        "d",
        line,
        "docs 1/1; year 1/1; extra 4; indicator rows 4/12",
    );
    assert_eq!(
        worse,
        ["d: extra 4 (was 3)", "d: indicator rows 4 (was 5/12)"]
    );
}
