//! The synthetic archive generator: every document it writes must read back
//! exactly as its truth says, and it must only use label wordings the shipped
//! rules know.

use std::collections::BTreeMap;

use jixiao::pipeline::process_file;
use jixiao::record::{Record, Status};
use jixiao::rules::{RuleSet, default_dir};
use jixiao::segment::Segmenter;
use unicode_normalization::UnicodeNormalization;
use xtask::generate::{LABEL_VARIANTS, Truth, variant_metric, write_archive};

fn rules() -> RuleSet {
    RuleSet::load(&default_dir()).expect("shipped rules load")
}

#[test]
fn every_label_variant_is_matched_by_a_rule_of_its_metric() {
    let rules = rules();
    for (key, variants) in LABEL_VARIANTS {
        let metric = variant_metric(key);
        assert!(rules.metric(metric).is_some(), "unknown metric {metric}");
        for variant in *variants {
            // Rules see NFKC-folded text.
            let folded: String = variant.nfkc().collect();
            let matched = rules
                .label_rules
                .iter()
                .filter(|r| r.metric == metric)
                .any(|r| r.label.find_iter(&folded).any(|m| m.end() == folded.len()));
            assert!(matched, "no {metric} rule matches the wording {variant}");
        }
    }
}

/// What the pipeline found: department, year, doc_kind and the first value per metric.
fn extracted(path: &std::path::Path, rules: &RuleSet, segmenter: &Segmenter) -> Truth {
    let output = process_file(path, rules, segmenter);
    let mut truth = Truth {
        file: String::new(),
        department: String::new(),
        year: 0,
        doc_kind: String::new(),
        format: String::new(),
        encoding: String::new(),
        pages: 0,
        metrics: BTreeMap::new(),
    };
    for record in output.records {
        match record {
            Record::Document(d) => {
                assert_eq!(d.status, Status::Ok, "{}: {:?}", d.path, d.error);
                truth.department = d.department.unwrap_or_default();
                truth.year = d.year.unwrap_or_default();
                truth.doc_kind = d.doc_kind.to_string();
                truth.format = d.format.to_string();
                truth.pages = d.pages;
            }
            Record::Figure(f) => {
                if let Some(metric) = f.metric {
                    truth.metrics.entry(metric).or_insert(f.value);
                }
            }
            _ => {}
        }
    }
    truth
}

#[test]
fn a_generated_archive_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let truths = write_archive(dir.path(), 40, 2026, 0.25).unwrap();
    assert_eq!(truths.len(), 40);
    assert_eq!(truths.iter().filter(|t| t.format == "pdf").count(), 10);
    let encodings: std::collections::BTreeSet<&str> =
        truths.iter().map(|t| t.encoding.as_str()).collect();
    assert!(encodings.len() >= 4, "encodings used: {encodings:?}");
    let kinds: std::collections::BTreeSet<&str> =
        truths.iter().map(|t| t.doc_kind.as_str()).collect();
    assert_eq!(kinds.len(), 2);

    let rules = rules();
    let segmenter = Segmenter::from_rules(&rules);
    let mut wrong = Vec::new();
    for truth in &truths {
        let path = dir.path().join(&truth.file);
        assert!(
            dir.path()
                .join(
                    truth
                        .file
                        .replace(&format!(".{}", truth.format), ".truth.json")
                )
                .is_file()
        );
        let got = extracted(&path, &rules, &segmenter);
        let file = &truth.file;
        if got.department != truth.department {
            wrong.push(format!(
                "{file}: department {} ≠ {}",
                got.department, truth.department
            ));
        }
        if got.year != truth.year {
            wrong.push(format!("{file}: year {} ≠ {}", got.year, truth.year));
        }
        if got.doc_kind != truth.doc_kind {
            wrong.push(format!(
                "{file}: doc_kind {} ≠ {}",
                got.doc_kind, truth.doc_kind
            ));
        }
        if truth.format == "pdf" && got.pages != truth.pages {
            wrong.push(format!("{file}: pages {} ≠ {}", got.pages, truth.pages));
        }
        for (metric, value) in &truth.metrics {
            match got.metrics.get(metric) {
                // Both sides are the f64 nearest the same decimal.
                Some(v) if v == value => {}
                Some(v) => wrong.push(format!("{file}: {metric} {v} ≠ {value}")),
                None => wrong.push(format!("{file}: {metric} missing (want {value})")),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} mismatches:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn truth_files_parse_back() {
    let dir = tempfile::tempdir().unwrap();
    let truths = write_archive(dir.path(), 3, 9, 0.0).unwrap();
    for truth in truths {
        let name = truth.file.replace(".txt", ".truth.json");
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let back: Truth = serde_json::from_str(&text).unwrap();
        assert_eq!(back, truth);
    }
}

#[test]
fn generated_figures_pass_the_audit_sums() {
    // Parts must add up to totals, as in a consistent real report; the
    // cross-year checks compare unrelated random documents and are left out.
    let dir = tempfile::tempdir().unwrap();
    write_archive(dir.path(), 16, 11, 0.25).unwrap();
    let rules = rules();
    let segmenter = Segmenter::from_rules(&rules);
    let mut paths: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".json"))
        .collect();
    paths.sort();
    let records: Vec<Record> = paths
        .iter()
        .flat_map(|p| process_file(p, &rules, &segmenter).records)
        .collect();
    let report = jixiao::audit::audit(&records, &rules.audit);
    let failed: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.years.is_none() && !f.holds)
        .map(|f| {
            format!(
                "{} {}: expected {:?}, found {:?}",
                f.doc_id, f.check, f.expected, f.found
            )
        })
        .collect();
    assert!(
        report.findings.iter().any(|f| f.years.is_none() && f.holds),
        "no check evaluated"
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
