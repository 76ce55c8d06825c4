//! Runs spread over machines: `--shard I/N` shares, `--files-from` lists, and
//! outputs that are not regular files (a FIFO a collector reads from).

use std::io::Write;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{bin, corpus_run_went_right, jixiao, root};

fn sorted_lines(stdout: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(stdout)
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn paths_read(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["type"] == "document")
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_three_shards_of_the_corpus_give_exactly_its_records() {
    const TEST: &str = "the_three_shards_of_the_corpus_give_exactly_its_records";
    let whole = jixiao(&["extract", "-q", "corpus"], &root());
    assert!(corpus_run_went_right(&whole, TEST));
    let mut union = Vec::new();
    let mut documents = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let out = jixiao(&["extract", "-q", "corpus", "--shard", shard], &root());
        // A share with no file of a small archive is no failure.
        assert!(
            corpus_run_went_right(&out, TEST),
            "{shard}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        union.extend(sorted_lines(&out.stdout));
        documents.extend(paths_read(&out.stdout));
    }
    union.sort();
    assert_eq!(union, sorted_lines(&whole.stdout));
    let total = documents.len();
    documents.sort();
    documents.dedup();
    assert_eq!(documents.len(), total, "no document is in two shares");
}

/// Thirty files under two roots spelt differently: every share holds some,
/// each file is in one share, and the share a file falls in depends on its
/// path below the root only, so machines mounting the archive elsewhere agree.
#[test]
fn shares_depend_on_the_path_below_the_root_only() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let seed = std::fs::read(root().join("corpus/2022_form.txt")).unwrap();
    for dir in [a.path(), b.path()] {
        for i in 0..30 {
            let path = dir.join(format!("{}/report{i}.txt", 2020 + i % 3));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &seed).unwrap();
        }
    }
    let share = |dir: &Path, shard: &str| -> Vec<String> {
        let out = jixiao(&["extract", "-q", "--shard", shard, "."], dir);
        assert!(out.status.success());
        paths_read(&out.stdout)
    };
    let mut all = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let mine = share(a.path(), shard);
        assert!(!mine.is_empty(), "share {shard} is empty");
        assert_eq!(mine, share(b.path(), shard), "share {shard}");
        all.extend(mine);
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 30);
}

#[test]
fn files_from_standard_input_reads_the_listed_files() {
    let mut child = Command::new(bin())
        .args(["extract", "-q", "--files-from", "-"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"corpus/2024_report.txt\n\ncorpus/2022_form.txt\r\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    // Sorted by path, as for paths given as arguments.
    assert_eq!(
        paths_read(&out.stdout),
        ["corpus/2022_form.txt", "corpus/2024_report.txt"]
    );
    let direct = jixiao(
        &[
            "extract",
            "-q",
            "corpus/2022_form.txt",
            "corpus/2024_report.txt",
        ],
        &root(),
    );
    assert_eq!(out.stdout, direct.stdout);
}

#[test]
fn bad_shards_and_lists_are_usage_errors_naming_the_flag() {
    for (args, message) in [
        (&["--shard", "0/3"][..], "--shard"),
        (&["--shard", "4/3"], "--shard"),
        (&["--shard", "1"], "--shard"),
        (
            &["--files-from", "no/such/list.txt"],
            "--files-from: cannot read no/such/list.txt",
        ),
    ] {
        let mut all = vec!["extract", "corpus", "--rules", "no/such/rules"];
        all.extend(args);
        let out = jixiao(&all, &root());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

/// Makes a FIFO and reads it to its end on a thread. `drain` unblocks that
/// reader should the writer never come (or replace the FIFO by a file), so a
/// failing run fails the test instead of hanging it: it opens the FIFO through
/// a second link kept elsewhere, without waiting (O_NONBLOCK).
fn read_fifo(fifo: &Path) -> (std::thread::JoinHandle<Vec<u8>>, impl Fn() + use<>) {
    let status = Command::new("mkfifo").arg(fifo).status().unwrap();
    assert!(status.success(), "mkfifo");
    let keep = tempfile::tempdir_in(fifo.parent().unwrap().parent().unwrap()).unwrap();
    let link = keep.path().join("fifo");
    std::fs::hard_link(fifo, &link).unwrap();
    let reader = {
        let fifo = fifo.to_path_buf();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let drain = move || {
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(0o4000)
            .open(keep.path().join("fifo"));
    };
    (reader, drain)
}

#[test]
fn an_output_that_is_a_fifo_is_written_in_place_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("records.fifo");
    let (reader, drain) = read_fifo(&fifo);
    let out = jixiao(
        &[
            "extract",
            "-q",
            "corpus/2022_form.txt",
            "-o",
            fifo.to_str().unwrap(),
        ],
        &root(),
    );
    drain();
    let received = reader.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let direct = jixiao(&["extract", "-q", "corpus/2022_form.txt"], &root());
    assert!(
        received == direct.stdout,
        "the FIFO got {} bytes, not the {} of the records",
        received.len(),
        direct.stdout.len()
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "no .partial or .manifest beside the FIFO");

    // The other subcommands' -o too.
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, &direct.stdout).unwrap();
    let (reader, drain) = read_fifo(&dir.path().join("findings.fifo"));
    let out = jixiao(
        &[
            "audit",
            records.to_str().unwrap(),
            "--format",
            "jsonl",
            "-o",
            "findings.fifo",
        ],
        dir.path(),
    );
    drain();
    let received = reader.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&received).contains("\"type\":\"finding\""));
    assert!(
        std::fs::metadata(dir.path().join("findings.fifo"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}
