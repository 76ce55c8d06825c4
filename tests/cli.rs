//! The command line as a new user meets it: bad inputs, bad rule files, exit codes.

use serde_json::Value;

use crate::common::{copy_of_the_rules, jixiao, root};

fn records(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

fn document_records(all: &[Value]) -> Vec<&Value> {
    all.iter().filter(|r| r["type"] == "document").collect()
}

#[test]
fn bad_inputs_become_error_records_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    let noise: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    std::fs::write(d.join("random.txt"), noise).unwrap();
    std::os::unix::fs::symlink(d.join("gone.txt"), d.join("unreadable.txt")).unwrap();
    std::fs::copy(root().join("corpus/2024_report.txt"), d.join("good.txt")).unwrap();

    let out = jixiao(
        &[
            "extract",
            "--rules",
            root().join("rules").to_str().unwrap(),
            ".",
        ],
        d,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed document makes the exit code non-zero"
    );
    let all = records(&out.stdout);
    let docs = document_records(&all);
    let status: Vec<(String, String, String)> = docs
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["error"]["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        status,
        vec![
            ("./empty.txt".into(), "error".into(), "empty".into()),
            ("./good.txt".into(), "ok".into(), "".into()),
            ("./random.txt".into(), "error".into(), "bad_encoding".into()),
            ("./unreadable.txt".into(), "error".into(), "io".into()),
        ]
    );
    assert!(
        all.iter().filter(|r| r["type"] == "figure").count() > 50,
        "the good document still yields its figures"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 failed"), "{stderr}");
}

#[test]
fn a_folder_without_reports_is_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "nothing here").unwrap();
    let out = jixiao(
        &[
            "extract",
            "--rules",
            root().join("rules").to_str().unwrap(),
            ".",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no .txt or .pdf reports found"));
}

#[test]
fn a_missing_path_is_named_and_the_other_paths_are_read() {
    let out = jixiao(&["extract", "no/such/dir", "corpus/2022_form.txt"], &root());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no/such/dir: no such file or directory")
    );
    let all = records(&out.stdout);
    assert_eq!(document_records(&all).len(), 1);
    assert_eq!(document_records(&all)[0]["status"], "ok");
}

#[test]
fn output_file_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out/records.jsonl");
    let out = jixiao(&["extract", "-o", target.to_str().unwrap()], &root());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let text = std::fs::read_to_string(&target).unwrap();
    let all = records(text.as_bytes());
    // The bundled corpus: the two seeds as TXT, their three PDF renderings and
    // the scanned form, which without the OCR models is an `ocr_unavailable`
    // error record (and the run's exit code 1).
    assert_eq!(document_records(&all).len(), 6);
    let failed = if crate::common::ocr_models("output_file_and_summary") {
        0
    } else {
        1
    };
    assert_eq!(out.status.code(), Some(failed), "{stderr}");
    assert!(
        stderr.contains(&format!("6 document(s), {failed} failed")),
        "{stderr}"
    );
    // `type` is the first field of every record.
    assert!(text.lines().all(|l| l.starts_with("{\"type\":")));
}

#[test]
fn a_dash_for_the_output_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let seed = root().join("corpus/2022_form.txt");
    let rules = root().join("rules");
    let args = [
        "extract",
        "-q",
        "-o",
        "-",
        "--rules",
        rules.to_str().unwrap(),
        seed.to_str().unwrap(),
    ];
    let out = jixiao(&args, dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = records(&out.stdout);
    assert_eq!(document_records(&all).len(), 1);
    assert!(all.iter().any(|r| r["type"] == "figure"));
    // Nothing named `-` is left behind in the working directory.
    assert!(!dir.path().join("-").exists());
}

/// A copy of the shipped rules with some files replaced.
fn broken_rules(edits: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = copy_of_the_rules();
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} holds `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

#[test]
fn every_rule_problem_is_reported_with_file_line_col_in_one_run() {
    let rules = broken_rules(&[
        // a TOML syntax error
        ("document.toml", "title_lines = 12", "title_lines = = 12"),
        // a regex that does not compile
        ("metrics.toml", "label = '基本支出'", "label = '基本支出('"),
        // an unknown key
        ("metrics.toml", "near = 160", "nearness = 160"),
        // an unknown metric
        (
            "metrics.toml",
            "metric = \"staff.retired\"",
            "metric = \"staff.retire\"",
        ),
        // a line rule's unknown unit
        ("metrics.toml", "unit = \"分\"", "unit = \"分数\""),
    ]);
    let out = jixiao(&["rules", "check", rules.path().to_str().unwrap()], &root());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(".toml:")).collect();
    let expect = |file: &str, needle: &str| {
        let line = lines
            .iter()
            .find(|l| l.contains(file) && l.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` error for {file} in:\n{stderr}"));
        // file:LINE:COL: message
        let rest = line.split(".toml:").nth(1).unwrap();
        let mut parts = rest.splitn(3, ':');
        let line_no: usize = parts.next().unwrap().parse().unwrap();
        let col: usize = parts.next().unwrap().parse().unwrap();
        (line_no, col)
    };
    let text = |f: &str| std::fs::read_to_string(rules.path().join(f)).unwrap();
    let line_of =
        |f: &str, needle: &str| text(f).lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert_eq!(
        expect("document.toml", "TOML syntax").0,
        line_of("document.toml", "title_lines = = 12")
    );
    assert_eq!(
        expect("metrics.toml", "invalid regex"),
        (line_of("metrics.toml", "基本支出("), 9)
    );
    assert_eq!(
        expect("metrics.toml", "unknown key `nearness`"),
        (line_of("metrics.toml", "nearness"), 1)
    );
    assert_eq!(
        expect("metrics.toml", "unknown metric `staff.retire`").0,
        line_of("metrics.toml", "\"staff.retire\"")
    );
    assert_eq!(
        expect("metrics.toml", "unknown unit `分数`").0,
        line_of("metrics.toml", "unit = \"分数\"")
    );
}

#[test]
fn extract_refuses_to_read_documents_with_broken_rules() {
    let rules = broken_rules(&[("units.toml", "kind = \"area\"", "kind = \"acreage\"")]);
    let out = jixiao(
        &[
            "extract",
            "--rules",
            rules.path().to_str().unwrap(),
            "corpus",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no document is read");
    assert!(String::from_utf8_lossy(&out.stderr).contains("units.toml:"));
}

#[test]
fn usage_errors_are_reported_before_rules_or_documents_are_read() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["extract", "--format", "csv", "corpus"],
            "--format csv writes files: give the output path with -o",
        ),
        (
            &["extract", "--format", "feather", "-o", "out.x", "corpus"],
            "unknown output format `feather`",
        ),
        (
            &["extract", "--incremental", "corpus"],
            "--incremental keeps a JSON Lines output up to date",
        ),
        (
            &[
                "extract",
                "--incremental",
                "--format",
                "csv",
                "-o",
                "t",
                "corpus",
            ],
            "--incremental keeps a JSON Lines output up to date",
        ),
        (
            &["extract", "--timeout", "nan", "corpus"],
            "--timeout takes the seconds one document may take",
        ),
        (
            &["audit", "--format", "html", "no/such/records.jsonl"],
            "unknown audit format `html` (expected table or jsonl)",
        ),
    ];
    for (args, message) in cases {
        // Missing rules would be exit code 2 too, with other messages.
        let mut args = args.to_vec();
        args.extend(["--rules", "no/such/rules"]);
        let out = jixiao(&args, &root());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing is written");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("rule file"),
            "{args:?}: rules read: {stderr}"
        );
    }
}

#[test]
fn text_shows_page_markers() {
    let out = jixiao(&["text", "corpus/2022_form.txt"], &root());
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("=== page 1 ===\n"));
    assert!(stdout.contains("资金总额：14623.09 万元"));
}

/// `span` is a byte range into what `jixiao text --no-page-markers` prints:
/// every figure's and line item's `raw` is found there, in TXT and in a PDF of
/// several pages.
#[test]
fn spans_index_the_text_that_jixiao_text_prints() {
    for file in ["corpus/2022_form.txt", "corpus/2024_report.pdf"] {
        let text = jixiao(&["text", "--no-page-markers", file], &root());
        assert!(text.status.success(), "{file}");
        let records = jixiao(&["extract", "-q", file], &root());
        let mut checked = 0;
        for line in String::from_utf8_lossy(&records.stdout).lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let (Some(span), Some(raw)) = (record["span"].as_array(), record["raw"].as_str())
            else {
                continue;
            };
            let (start, end) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
            let at = &text.stdout[start as usize..end as usize];
            assert_eq!(String::from_utf8_lossy(at), raw, "{file} {record}");
            checked += 1;
        }
        assert!(checked > 50, "{file}: only {checked} spans");
    }
}

/// A 50 MB "report" (a log, a dump) is refused with an error record, at once,
/// and the rest of the run is unaffected.
#[test]
fn a_50_mb_text_file_is_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let line = "资金执行率98%，预算总额100万元。\n";
    std::fs::write(
        dir.path().join("huge.txt"),
        line.repeat(50_000_000 / line.len()),
    )
    .unwrap();
    std::fs::copy(
        root().join("corpus/2022_form.txt"),
        dir.path().join("form.txt"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = jixiao(
        &[
            "extract",
            "--rules",
            root().join("rules").to_str().unwrap(),
            ".",
        ],
        dir.path(),
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    let all = records(&out.stdout);
    let docs = document_records(&all);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["path"], "./form.txt");
    assert_eq!(docs[0]["status"], "ok");
    assert_eq!(docs[1]["path"], "./huge.txt");
    assert_eq!(docs[1]["error"]["code"], "too_large");
}

/// Broken PDFs in a run: each gets an error record with its code, the good
/// PDF beside them is read in full.
#[test]
fn broken_pdfs_become_error_records() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read(root().join("corpus/2024_report_stsong.pdf")).unwrap();
    std::fs::write(d.join("a-empty.pdf"), b"").unwrap();
    std::fs::write(d.join("b-not-a-pdf.pdf"), "这不是PDF文件".repeat(100)).unwrap();
    std::fs::write(d.join("c-truncated.pdf"), &good[..200]).unwrap();
    std::fs::write(d.join("d-good.pdf"), &good).unwrap();
    let out = jixiao(
        &[
            "extract",
            "--rules",
            root().join("rules").to_str().unwrap(),
            ".",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(1));
    let all = records(&out.stdout);
    let codes: Vec<(String, String)> = document_records(&all)
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_string(),
                r["error"]["code"].as_str().unwrap_or("ok").to_string(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("./a-empty.pdf".to_string(), "empty".to_string()),
            ("./b-not-a-pdf.pdf".to_string(), "corrupt".to_string()),
            ("./c-truncated.pdf".to_string(), "corrupt".to_string()),
            ("./d-good.pdf".to_string(), "ok".to_string()),
        ]
    );
    let good_figures = all.iter().filter(|r| r["type"] == "figure").count();
    assert!(good_figures > 70, "{good_figures}");
}
