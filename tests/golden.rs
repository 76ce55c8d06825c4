//! Golden tests: the seed reports (and their re-encodings) against tests/data/*.gold.json.

use std::collections::HashMap;
use std::path::Path;

use jixiao::record::{FigureRecord, Record, Status};

use crate::common::{self, gold, jixiao, nfkc, records_of, root};

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// Checks one extracted file against a gold file; `what` names the variant in messages.
fn check(path: &Path, gold_name: &str, what: &str) {
    let gold = gold::read(gold_name);
    let records = records_of(path);
    let Record::Document(doc) = &records[0] else {
        panic!("{what}: first record is not the document")
    };
    assert_eq!(doc.status, Status::Ok, "{what}: {:?}", doc.error);
    assert_eq!(
        doc.department.as_deref(),
        Some(gold.document.department.as_str()),
        "{what}: department"
    );
    assert_eq!(doc.year, Some(gold.document.year), "{what}: year");
    assert_eq!(doc.doc_kind, gold.document.doc_kind, "{what}: doc_kind");

    let figures: Vec<&FigureRecord> = records
        .iter()
        .filter_map(|r| match r {
            Record::Figure(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_mentions(&figures, &gold.mentions, what);

    let mut first_by_metric: HashMap<&str, f64> = HashMap::new();
    for f in &figures {
        if let Some(m) = &f.metric {
            first_by_metric.entry(m.as_str()).or_insert(f.value);
        }
    }
    for (metric, value) in &gold.metrics {
        let found = first_by_metric.get(metric.as_str());
        assert!(
            found.is_some_and(|v| same(*v, *value)),
            "{what}: metric {metric}: expected {value}, found {found:?}"
        );
    }
    // Provenance: every span points at the raw text in the extracted text.
    let format = jixiao::source::Format::from_path(path).unwrap();
    let text = jixiao::source::load(format, &std::fs::read(path).unwrap())
        .unwrap()
        .text;
    for f in &figures {
        assert_eq!(&text[f.span.range()], f.raw, "{what}: span of {}", f.raw);
        assert!(f.page >= 1 && f.line >= 1);
    }
}

/// Figures found by a unit in the text must be exactly the gold mentions.
/// Figures read from bare table cells by a line rule (raw "10") are checked
/// through the metrics.
fn assert_mentions(figures: &[&FigureRecord], mentions: &[gold::Mention], what: &str) {
    // Figures read from bare table cells whose unit a header gives (raw "10"
    // under 得分) are checked through the metrics, not as mentions.
    let mut unmatched: Vec<&FigureRecord> =
        figures.iter().copied().filter(|f| !f.from_header).collect();
    for m in mentions {
        // A PDF wraps lines inside a paragraph: a figure may span a line break.
        let at = unmatched.iter().position(|f| {
            f.kind == m.kind
                && f.unit == m.unit
                && same(f.value, m.value)
                && f.raw.replace('\n', "") == m.raw
        });
        match at {
            Some(i) => {
                unmatched.remove(i);
            }
            None => panic!(
                "{what}: gold mention {} {} {} `{}` not found",
                m.kind, m.value, m.unit, m.raw
            ),
        }
    }
    let extra: Vec<String> = unmatched
        .iter()
        .map(|f| format!("{} {} {} `{}`", f.kind, f.value, f.unit, f.raw))
        .collect();
    assert!(
        extra.is_empty(),
        "{what}: figures not in the gold: {extra:#?}"
    );
}

const SEEDS: &[(&str, &str)] = &[
    ("2022_form.txt", "2022_form.gold.json"),
    ("2024_report.txt", "2024_report.gold.json"),
];

#[test]
fn seed_txt_files_match_the_gold() {
    for (file, gold_name) in SEEDS {
        check(&root().join("corpus").join(file), gold_name, file);
    }
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[test]
fn re_encoded_seeds_match_the_gold() {
    let dir = tempfile::tempdir().unwrap();
    for (file, gold_name) in SEEDS {
        let text = std::fs::read_to_string(root().join("corpus").join(file)).unwrap();
        let variants: Vec<(&str, Vec<u8>)> = vec![
            ("gb18030", encoding_rs::GB18030.encode(&text).0.into_owned()),
            ("utf16le-bom", utf16le_with_bom(&text)),
            ("utf8-bom-crlf", {
                let mut b = vec![0xEF, 0xBB, 0xBF];
                b.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
                b
            }),
        ];
        for (name, bytes) in variants {
            let path = dir.path().join(format!("{name}-{file}"));
            std::fs::write(&path, bytes).unwrap();
            check(&path, gold_name, &format!("{file} as {name}"));
        }
    }
}

#[test]
fn output_is_identical_for_any_thread_count() {
    // corpus/ holds a scanned form: OCR too must give the same for any thread count.
    if !common::ocr_models("output_is_identical_for_any_thread_count") {
        return;
    }
    let run = |jobs: &str| {
        let out = jixiao(&["extract", "--quiet", "--jobs", jobs, "corpus"], &root());
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

/// The audit on what extraction really finds in the seeds (not on a hand-made
/// fixture): every check that can run holds except the 2024 score total, which
/// the report states as 99 while its category scores add up to 100.
#[test]
fn audit_of_the_extracted_seeds_finds_exactly_the_score_inconsistency() {
    let records: Vec<Record> = SEEDS
        .iter()
        .flat_map(|(file, _)| records_of(&root().join("corpus").join(file)))
        .collect();
    let report = jixiao::audit::audit(&records, &common::RULES.audit);
    assert!(
        report.evaluated() >= 12,
        "only {} checks evaluated",
        report.evaluated()
    );
    let failed: Vec<_> = report.findings.iter().filter(|f| !f.holds).collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(failed[0].year, Some(2024));
    assert_eq!(failed[0].check, "score.categories");
    // Every input of every finding carries its provenance.
    for finding in &report.findings {
        assert!(
            finding
                .inputs
                .iter()
                .all(|i| i.page.is_some() && i.line.is_some()),
            "{finding:?}"
        );
    }
}

/// The numbered project list of the 2024 report: each item with its amount,
/// tied to the group total it is a part of.
#[test]
fn line_items_of_the_2024_report_match_the_gold() {
    let gold = gold::read("2024_report.gold.json");
    let items = gold
        .line_items
        .expect("the report's gold lists its project items");
    assert_eq!(items.len(), 18);
    // The PDF source gives NFKC text (（）→ ()), the gold is the TXT's.
    let expected: Vec<(String, f64)> = items.iter().map(|i| (nfkc(&i.label), i.value)).collect();
    for file in [
        "2024_report.pdf",
        "2024_report_stsong.pdf",
        "2024_report.txt",
    ] {
        let business: Vec<(String, f64)> = records_of(&root().join("corpus").join(file))
            .iter()
            .filter_map(|r| match r {
                Record::LineItem(i) if i.group.as_deref() == Some("expense.project.business") => {
                    Some((nfkc(&i.label), i.value))
                }
                _ => None,
            })
            .collect();
        assert_eq!(business, expected, "{file}");
    }
    let records = records_of(&root().join("corpus/2024_report.txt"));
    // The one item of the operation list is its own group, and the 2022 form
    // (a table, no list) has none.
    let others: Vec<String> = records
        .iter()
        .filter_map(|r| match r {
            Record::LineItem(i) if i.group.as_deref() != Some("expense.project.business") => {
                Some(format!("{:?} {}", i.group, i.label))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        others,
        vec!["Some(\"expense.project.operation\") 自然资源事务".to_string()]
    );
    let form = records_of(&root().join("corpus/2022_form.txt"));
    assert!(!form.iter().any(|r| matches!(r, Record::LineItem(_))));
}

/// The PDF rendering of the 2022 form (Chromium, Type 3 fonts): a ruled table
/// whose cells wrap and break across pages gives the TXT's figures and metrics.
#[test]
fn pdf_rendering_of_the_2022_form_matches_the_gold() {
    check(
        &root().join("corpus/2022_form.pdf"),
        "2022_form.gold.json",
        "2022_form.pdf",
    );
}

/// The PDF renderings of the 2024 report give the same figures and metrics as
/// its TXT: Chromium's Type 3 fonts, and ReportLab's STSong-Light through the
/// predefined UniGB-UCS2-H CMap without ToUnicode.
#[test]
fn pdf_renderings_of_the_2024_report_match_the_gold() {
    check(
        &root().join("corpus/2024_report.pdf"),
        "2024_report.gold.json",
        "2024_report.pdf",
    );
    // ReportLab wraps the 公用经费 sentence so that its amount starts a line of
    // its own: the paragraph must be joined back for the label to reach it.
    check(
        &root().join("corpus/2024_report_stsong.pdf"),
        "2024_report.gold.json",
        "2024_report_stsong.pdf",
    );
}

/// `jixiao compare --format csv` over what the CLI extracts from the bundled
/// corpus: 2022 and 2024 side by side, with changes, for the headline metrics.
#[test]
fn compare_csv_of_the_extracted_corpus() {
    // corpus/ holds a scanned form, read by OCR.
    if !common::ocr_models("compare_csv_of_the_extracted_corpus") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records.jsonl");
    let csv_path = dir.path().join("compare.csv");
    let run = |args: &[&str]| {
        let out = jixiao(args, &root());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["extract", "-q", "-o", records.to_str().unwrap()]);
    run(&[
        "compare",
        records.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&csv_path).unwrap();
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("CSV starts with a BOM");
    let mut reader = csv::Reader::from_reader(body);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let row = |metric: &str| -> Vec<String> {
        rows.iter()
            .find(|r| r[2] == metric)
            .unwrap_or_else(|| panic!("no row for {metric}"))
            .clone()
    };
    // department, project, metric, unit, 2022, 2024, change, % change
    assert_eq!(
        row("budget.total")[4..8],
        ["146230900", "141992500", "-4238400", "-2.9%"]
    );
    assert_eq!(
        row("expense.basic")[4..8],
        ["73016400", "89317000", "16300600", "22.32%"]
    );
    assert_eq!(
        row("expense.project")[4..8],
        ["73214500", "52675500", "-20539000", "-28.05%"]
    );
    assert_eq!(row("score.total")[4..8], ["100", "99", "-1", "-1%"]);
}

/// A budget-execution block whose values are bare numbers under their column
/// headers (the Sichuan and Chongqing layouts), with the money unit stated
/// once for the table: every value gets the metric its header names.
#[test]
fn bare_numbers_under_named_column_headers() {
    let records = records_of(&root().join("tests/data/tables/budget_block.txt"));
    let metric = |m: &str| -> Vec<(f64, String)> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Figure(f) if f.metric.as_deref() == Some(m) => {
                    Some((f.value, f.unit.clone()))
                }
                _ => None,
            })
            .collect()
    };
    // 年初预算数 and 全年预算数 both state the budget; the first is the metric's value.
    assert_eq!(
        metric("budget.total"),
        [(12_000_000.0, "CNY".into()), (13_505_000.0, "CNY".into())]
    );
    assert_eq!(metric("budget.executed"), [(12_829_800.0, "CNY".into())]);
    assert_eq!(metric("budget.execution_rate"), [(95.0, "%".into())]);
    // 得分 is the block's score; 分值 (what the block is worth) is no score.
    assert_eq!(metric("score.budget_execution"), [(9.5, "分".into())]);
    assert!(metric("score.total").is_empty());
}

/// Without a stated unit a bare amount cannot be read: it is left alone.
#[test]
fn bare_amounts_without_a_unit_are_not_figures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_unit.txt");
    std::fs::write(&path, "预算执行情况\t年初预算数\t执行率\n\t1200\t95\n").unwrap();
    let records = records_of(&path);
    let figures: Vec<(Option<String>, f64)> = records
        .iter()
        .filter_map(|r| match r {
            Record::Figure(f) => Some((f.metric.clone(), f.value)),
            _ => None,
        })
        .collect();
    assert_eq!(figures, [(Some("budget.execution_rate".to_string()), 95.0)]);
}
