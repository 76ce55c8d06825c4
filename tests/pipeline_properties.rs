//! Property tests over the whole TXT pipeline (decode, normalise, segment,
//! rules, tables, forms), on generated report text made of the material real
//! forms and reports are made of — labels, amounts, rates, spaced and
//! full-width digits, cell separators, unit headers, OCR's letters for digits:
//!
//! - every figure's and line item's `raw` is the text at its `span` in the
//!   document's text (what `jixiao text` prints), and figures never overlap
//!   (but a range's upper end, which stands on its range's text);
//! - a document's records are the same whatever `--jobs` and whatever other
//!   files share the run.
//!
//! A fixed seed keeps `cargo test` repeatable; `JIXIAO_PROPTEST_CASES` asks
//! for a longer run (`make fuzz` runs these with many more cases).

use std::path::{Path, PathBuf};

use jixiao::pipeline::{self, Limits};
use jixiao::quantity::Qualifier;
use jixiao::record::Record;
use jixiao::source::{self, Format};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::common::{RULES, SEGMENTER};

/// `default_cases` cases, or `JIXIAO_PROPTEST_CASES / cost` for a property
/// whose case costs `cost` ordinary ones (many documents each).
fn runner(default_cases: u32, cost: u32) -> TestRunner {
    let cases = std::env::var("JIXIAO_PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse::<u32>().ok())
        .map_or(default_cases, |c| (c / cost).max(default_cases));
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Pieces of report text, joined in any order.
const PIECES: &[&str] = &[
    "部门名称：某县教育局",
    "项目名称：学校维修",
    "2024年度",
    "年度预算资金总额",
    "预算执行率",
    "执行数",
    "14623.09 万元",
    "1 2 0 万元",
    "45 . 6 万元",
    "98.5%",
    "９８．５％",
    "三千五百万元",
    "百分之八十",
    "2个百分点",
    "约",
    "不低于",
    "120",
    "35 5",
    "0.5",
    "10",
    "人",
    "公里",
    "（万元）",
    "单位：万元",
    "项目名称|年度预算数|执行数|执行率|得分",
    "学校维修|120.5|118.37|98.2%|10",
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
    "产出指标\t数量指标\t培训人数\t≥500人\t520人\t10\t10",
    "分值",
    "得分",
    "O",
    "l",
    "-",
    "—",
    "2019-2035",
    "|",
    "\t",
    " ",
    "  ",
    "\n",
    "。",
    "，",
    "（1）",
];

fn report_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..40).prop_map(|pieces| pieces.concat())
}

fn records_of_text(name: &str, text: &str) -> Vec<Record> {
    let output = pipeline::process_bytes_with(
        Path::new(name),
        text.as_bytes(),
        &RULES,
        &|| &*SEGMENTER,
        &Limits::default(),
    );
    output.records
}

/// A record's `raw` and `span`, when it has both.
fn raw_and_span(record: &Record) -> Option<(&str, std::ops::Range<usize>)> {
    match record {
        Record::Figure(f) => Some((f.raw.as_str(), f.span.range())),
        Record::LineItem(item) => item.span.map(|s| (item.raw.as_str(), s.range())),
        _ => None,
    }
}

#[test]
fn raw_is_the_text_at_span_and_figures_never_overlap() {
    let checked = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = runner(1000, 1);
    let cases = runner.config().cases as usize;
    runner
        .run(&report_text(), |text| {
            let doc = source::load(Format::Txt, text.as_bytes());
            let records = records_of_text("generated.txt", &text);
            let Ok(doc) = doc else {
                // Only text that is blank gives no document.
                prop_assert!(text.trim().is_empty());
                return Ok(());
            };
            let mut figure_spans = Vec::new();
            for record in &records {
                let Some((raw, span)) = raw_and_span(record) else {
                    continue;
                };
                prop_assert_eq!(doc.text.get(span.clone()), Some(raw), "{:?}", text);
                checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                // A range's upper end is a figure on its range's own text.
                if let Record::Figure(f) = record
                    && f.qualifier != Some(Qualifier::RangeTo)
                {
                    figure_spans.push(span);
                }
            }
            figure_spans.sort_by_key(|s| s.start);
            for pair in figure_spans.windows(2) {
                prop_assert!(pair[0].end <= pair[1].start, "{text:?}: {figure_spans:?}");
            }
            Ok(())
        })
        .unwrap();
    // The generator must give figures to check, not only text that states none.
    let checked = checked.into_inner();
    assert!(
        checked > cases,
        "{checked} spans checked in {cases} documents"
    );
}

fn json_of(records: &[Record]) -> Vec<String> {
    records.iter().map(Record::to_json_line).collect()
}

/// The records `files` give when run together on `threads` workers, per file.
fn run_together(files: &[PathBuf], threads: usize) -> Vec<Vec<String>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let process = |path: &Path| {
        pipeline::process_file_with(path, &RULES, &|| &*SEGMENTER, &Limits::default())
    };
    let mut outputs = Vec::new();
    pipeline::run_ordered(files, &process, &pool, 4, |output| {
        outputs.push(json_of(&output.records))
    });
    outputs
}

#[test]
fn a_documents_records_do_not_depend_on_jobs_or_on_the_other_files() {
    let documents = prop::collection::vec(report_text(), 2..6);
    runner(48, 50)
        .run(&documents, |texts| {
            let dir = tempfile::tempdir().unwrap();
            let mut files = Vec::new();
            let mut alone = Vec::new();
            for (i, text) in texts.iter().enumerate() {
                let path = dir.path().join(format!("{i}.txt"));
                std::fs::write(&path, text).unwrap();
                alone.push(json_of(
                    &pipeline::process_file(&path, &RULES, &SEGMENTER).records,
                ));
                files.push(path);
            }
            for threads in [1, 2] {
                prop_assert_eq!(
                    &run_together(&files, threads),
                    &alone,
                    "{} threads",
                    threads
                );
            }
            Ok(())
        })
        .unwrap();
}
