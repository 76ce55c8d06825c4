//! Odd and damaged inputs through the command line: the bad-input corpus
//! (tests/data/bad_input, each file with the record it must give in
//! cases.toml), special files in a folder, and how a panic is reported.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use crate::common::{bin, root};

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    file: String,
    status: String,
    code: Option<String>,
    warning: Option<String>,
    figures: Option<Vec<(String, f64, String)>>,
}

/// What a run said of one document: its record and its figures as [raw, value, unit].
struct Outcome {
    document: Value,
    figures: Vec<(String, f64, String)>,
}

/// The documents of a JSON Lines run, by file name.
fn outcomes(stdout: &[u8]) -> BTreeMap<String, Outcome> {
    let mut by_name = BTreeMap::new();
    let mut current = None;
    for line in String::from_utf8_lossy(stdout).lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        if record["type"] == "document" {
            let path = record["path"].as_str().unwrap();
            let name = Path::new(path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            by_name.insert(
                name.clone(),
                Outcome {
                    document: record,
                    figures: Vec::new(),
                },
            );
            current = Some(name);
        } else if record["type"] == "figure" {
            let outcome = by_name.get_mut(current.as_ref().unwrap()).unwrap();
            outcome.figures.push((
                record["raw"].as_str().unwrap().to_string(),
                record["value"].as_f64().unwrap(),
                record["unit"].as_str().unwrap().to_string(),
            ));
        }
    }
    by_name
}

fn check_case(case: &Case, outcome: &Outcome) {
    let doc = &outcome.document;
    assert_eq!(doc["status"], case.status.as_str(), "{}: {doc}", case.file);
    let code = doc["error"]["code"].as_str();
    assert_eq!(code, case.code.as_deref(), "{}: {doc}", case.file);
    if let Some(warning) = &case.warning {
        let warnings = doc["warnings"].as_array().cloned().unwrap_or_default();
        assert!(
            warnings
                .iter()
                .any(|w| w.as_str().unwrap().contains(warning.as_str())),
            "{}: no warning holding {warning:?} in {doc}",
            case.file
        );
    }
    if let Some(figures) = &case.figures {
        assert_eq!(&outcome.figures, figures, "{}", case.file);
    }
}

#[test]
fn the_bad_input_corpus_gives_its_records_and_no_backtrace() {
    let dir = root().join("tests/data/bad_input");
    let cases: Cases =
        toml::from_str(&std::fs::read_to_string(dir.join("cases.toml")).unwrap()).unwrap();
    let out = Command::new(bin())
        .args(["extract", "tests/data/bad_input"])
        .current_dir(root())
        .env("RUST_BACKTRACE", "full")
        .output()
        .unwrap();
    // Some files are errors: exit code 1, never a usage error or a crash.
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    let outcomes = outcomes(&out.stdout);
    for case in &cases.case {
        let outcome = outcomes.get(&case.file);
        check_case(
            case,
            outcome.unwrap_or_else(|| panic!("no record for {}", case.file)),
        );
    }
    // Every file of the corpus says what it must give.
    for name in outcomes.keys() {
        assert!(
            cases.case.iter().any(|c| &c.file == name),
            "{name} is in tests/data/bad_input but not in cases.toml"
        );
    }
}

/// Runs the CLI with `envs` to its end, or fails the test after a minute.
fn run_to_end(args: &[&str], cwd: &Path, envs: &[(&str, &str)]) -> std::process::Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("jixiao {args:?} did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_not_a_file_and_the_run_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "项目资金120万元。").unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = run_to_end(&["extract", "-q", "."], dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let outcomes = outcomes(&out.stdout);
    let pipe = &outcomes["pipe.txt"].document;
    assert_eq!(pipe["error"]["code"], "not_a_file", "{pipe}");
    assert!(pipe["error"]["message"].as_str().unwrap().contains("fifo"));
    assert_eq!(outcomes["a.txt"].figures.len(), 1);
}

#[test]
fn a_panic_in_a_document_is_one_line_and_an_error_record() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "项目资金120万元。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "项目资金35万元。").unwrap();
    let envs = [("JIXIAO_FAULT_PANIC", "b.txt"), ("RUST_BACKTRACE", "full")];
    let out = run_to_end(&["extract", "."], dir.path(), &envs);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let panic_lines: Vec<&str> = stderr.lines().filter(|l| l.contains("panicked")).collect();
    assert_eq!(panic_lines.len(), 1, "{stderr}");
    assert!(
        panic_lines[0].starts_with("jixiao: ./b.txt: panicked at src/"),
        "{stderr}"
    );
    assert!(!stderr.contains("stack backtrace") && !stderr.contains("RUST_BACKTRACE"));
    let outcomes = outcomes(&out.stdout);
    let failed = &outcomes["b.txt"].document;
    assert_eq!(failed["error"]["code"], "panic");
    assert!(
        failed["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fault injected")
    );
    assert_eq!(outcomes["a.txt"].document["status"], "ok");
}
