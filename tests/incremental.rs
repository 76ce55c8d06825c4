//! Crash safety and reuse: a run killed with SIGKILL midway is finished by the
//! next `--incremental` run, every document exactly once.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{bin, root};

/// `n` distinct reports: the seeds, each made unique by a line of its own.
fn archive(dir: &Path, n: usize) {
    let seeds: Vec<String> = ["2022_form.txt", "2024_report.txt"]
        .iter()
        .map(|f| std::fs::read_to_string(root().join("corpus").join(f)).unwrap())
        .collect();
    for i in 0..n {
        let text = format!("{}\n附注：本文件编号 {i}\n", seeds[i % 2]);
        std::fs::write(dir.join(format!("report-{i:04}.txt")), text).unwrap();
    }
}

/// Figures per document path in a records file.
fn figures_by_path(records: &str) -> HashMap<String, usize> {
    let mut by_doc: HashMap<String, String> = HashMap::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in records.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        match v["type"].as_str().unwrap() {
            "document" => {
                let path = v["path"].as_str().unwrap().to_string();
                assert!(
                    counts.insert(path.clone(), 0).is_none(),
                    "{path} appears twice"
                );
                by_doc.insert(v["doc_id"].as_str().unwrap().into(), path);
            }
            "figure" => {
                *counts
                    .get_mut(&by_doc[v["doc_id"].as_str().unwrap()])
                    .unwrap() += 1
            }
            _ => {}
        }
    }
    counts
}

fn extract(dir: &Path, output: &Path, incremental: bool) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(["extract", "--jobs", "1", "-o"])
        .arg(output)
        .arg("--rules")
        .arg(root().join("rules"))
        .arg(dir.join("archive"));
    if incremental {
        cmd.arg("--incremental");
    }
    cmd
}

#[test]
fn a_killed_run_is_finished_by_the_next_incremental_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    archive(&dir.path().join("archive"), 400);
    let output = dir.path().join("records.jsonl");

    // The reference: one uninterrupted run.
    let reference_path = dir.path().join("reference.jsonl");
    assert!(
        extract(dir.path(), &reference_path, false)
            .status()
            .unwrap()
            .success()
    );
    let reference = figures_by_path(&std::fs::read_to_string(&reference_path).unwrap());
    assert_eq!(reference.len(), 400);

    // Kill a run once it has checkpointed some documents.
    let mut child = extract(dir.path(), &output, true)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let manifest = dir.path().join("records.jsonl.partial.manifest");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done = std::fs::read_to_string(&manifest).map_or(0, |m| m.lines().count());
        if done >= 20 {
            break;
        }
        assert!(Instant::now() < deadline, "the run never checkpointed");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !output.exists(),
        "a killed run leaves no half-written output in place"
    );

    // The next run reuses what was checkpointed and does the rest.
    let rerun = extract(dir.path(), &output, true).output().unwrap();
    assert!(rerun.status.success());
    let stderr = String::from_utf8_lossy(&rerun.stderr);
    let reused: usize = stderr
        .split(" reused from the previous output")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no reuse reported: {stderr}"));
    assert!((20..400).contains(&reused), "reused {reused}");
    let finished = figures_by_path(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(
        finished, reference,
        "every document exactly once, with the same figures"
    );

    // Nothing changed: everything is reused; a changed file is extracted again.
    std::fs::write(
        dir.path().join("archive/report-0001.txt"),
        "预算执行率95%\n",
    )
    .unwrap();
    let third = extract(dir.path(), &output, true).output().unwrap();
    assert!(String::from_utf8_lossy(&third.stderr).contains("399 reused"));
}
