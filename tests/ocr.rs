//! Scanned PDFs read by OCR: the scanned 2022 form (corpus/) and a scanned copy
//! of the 2024 report (tests/data/scanned/, made by scripts/make_scanned_pdf.py)
//! against their gold and seed text; a file mixing text and scanned pages; a
//! page whose image is broken; and what a scan gives without the models.
//! Tests that read pages need the models (`make ocr`) and skip without them.

use std::collections::HashMap;

use jixiao::record::{FigureRecord, IndicatorRecord, Record, Status};
use jixiao::source::{self, Format};

use crate::common::{gold, nfkc, ocr_models, records_of, root};

use crate::pdf_fidelity::reference;

fn figures(records: &[Record]) -> Vec<&FigureRecord> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Figure(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// How many of the gold's mentions (of `kinds`, all when empty) a figure gives
/// with their kind, value and unit, each figure counted once; and how many
/// there are.
fn mentions_found(figures: &[&FigureRecord], gold: &gold::Gold, kinds: &[&str]) -> (usize, usize) {
    let mut left: Vec<&FigureRecord> = figures.to_vec();
    let wanted: Vec<&gold::Mention> = gold
        .mentions
        .iter()
        .filter(|m| kinds.is_empty() || kinds.contains(&m.kind.as_str()))
        .collect();
    let mut found = 0;
    for m in &wanted {
        if let Some(i) = left
            .iter()
            .position(|f| f.kind == m.kind && f.unit == m.unit && same(f.value, m.value))
        {
            left.remove(i);
            found += 1;
        } else {
            eprintln!("not found: {} {} {} `{}`", m.kind, m.value, m.unit, m.raw);
        }
    }
    (found, wanted.len())
}

fn document(records: &[Record]) -> &jixiao::record::DocumentRecord {
    match &records[0] {
        Record::Document(d) => d,
        other => panic!("first record is not the document: {other:?}"),
    }
}

#[test]
fn scanned_2022_form_gives_the_gold() {
    if !ocr_models("scanned_2022_form_gives_the_gold") {
        return;
    }
    let records = records_of(&root().join("corpus/2022_form_scanned.pdf"));
    let gold = gold::read("2022_form.gold.json");
    let doc = document(&records);
    assert_eq!(doc.status, Status::Ok, "{:?}", doc.error);
    assert_eq!(
        doc.department.as_deref(),
        Some(gold.document.department.as_str())
    );
    assert_eq!(doc.year, Some(gold.document.year));
    assert!(
        doc.warnings
            .iter()
            .any(|w| w == "4 page(s) read by OCR: 1,2,3,4"),
        "{:?}",
        doc.warnings
    );
    let figures = figures(&records);
    let (found, total) = mentions_found(&figures, &gold, &[]);
    assert!(found * 100 >= total * 98, "{found} of {total} mentions");
    // Every metric, with the gold's value.
    let mut first: HashMap<&str, f64> = HashMap::new();
    for f in &figures {
        if let Some(m) = &f.metric {
            first.entry(m.as_str()).or_insert(f.value);
        }
    }
    for (metric, value) in &gold.metrics {
        let got = first.get(metric.as_str());
        assert!(got.is_some_and(|v| same(*v, *value)), "{metric}: {got:?}");
    }
    // Every figure says it was read by OCR, and how sure the model was.
    for f in &figures {
        assert!(f.ocr, "{}", f.raw);
        assert!(
            f.confidence.is_some_and(|c| c > 0.5 && c <= 1.0),
            "{} {:?}",
            f.raw,
            f.confidence
        );
    }
    let rows: HashMap<String, &IndicatorRecord> = records
        .iter()
        .filter_map(|r| match r {
            Record::Indicator(i) => Some((nfkc(&i.level3), i)),
            _ => None,
        })
        .collect();
    let indicators = gold.indicators.expect("the form's gold lists its rows");
    let good = indicators
        .iter()
        .filter(|g| {
            rows.get(&nfkc(&g.level3))
                .is_some_and(|r| r.weight == g.weight && r.score == g.score)
        })
        .count();
    assert!(good >= 10, "{good} of {} indicator rows", indicators.len());
}

#[test]
fn scanned_2022_form_text_keeps_the_seed_characters() {
    if !ocr_models("scanned_2022_form_text_keeps_the_seed_characters") {
        return;
    }
    let bytes = std::fs::read(root().join("corpus/2022_form_scanned.pdf")).unwrap();
    let doc = source::load(Format::Pdf, &bytes).unwrap();
    let seed = std::fs::read_to_string(root().join("corpus/2022_form.txt")).unwrap();
    let (r, p) =
        reference::recall_precision(&reference::counts(&doc.text), &reference::counts(&seed));
    println!("scanned 2022 form against its seed: recall {r:.4} precision {p:.4}");
    assert!(r >= 0.99 && p >= 0.98, "recall {r:.4} precision {p:.4}");
}

#[test]
fn scanned_2024_report_gives_the_gold_money_and_rates() {
    if !ocr_models("scanned_2024_report_gives_the_gold_money_and_rates") {
        return;
    }
    let records = records_of(&root().join("tests/data/scanned/2024_report_scanned.pdf"));
    let gold = gold::read("2024_report.gold.json");
    let (found, total) = mentions_found(&figures(&records), &gold, &["amount", "rate"]);
    assert!(
        found * 100 >= total * 98,
        "{found} of {total} money and rate mentions"
    );
}

/// Pages 1 and 3 keep their text layer, pages 2 and 4 are scans: all four are read.
#[test]
fn a_file_mixing_text_and_scanned_pages_reads_both() {
    if !ocr_models("a_file_mixing_text_and_scanned_pages_reads_both") {
        return;
    }
    let records = records_of(&root().join("tests/data/scanned/2024_report_mixed.pdf"));
    let doc = document(&records);
    assert_eq!(doc.status, Status::Ok, "{:?}", doc.error);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w == "2 page(s) read by OCR: 2,4"),
        "{:?}",
        doc.warnings
    );
    let bytes = std::fs::read(root().join("tests/data/scanned/2024_report_mixed.pdf")).unwrap();
    let text = source::load(Format::Pdf, &bytes).unwrap();
    let figures = figures(&records);
    for page in 1..=4 {
        let chars: usize = text
            .lines
            .iter()
            .filter(|l| l.page == page && !l.furniture)
            .map(|l| text.line_text(l).chars().count())
            .sum();
        assert!(chars > 100, "page {page}: {chars} characters");
        // Figures of text pages are not marked, those of scanned pages are.
        let on_page: Vec<&&FigureRecord> = figures.iter().filter(|f| f.page == page).collect();
        assert!(
            on_page.iter().all(|f| f.ocr == (page % 2 == 0)),
            "page {page}"
        );
    }
    assert!(figures.iter().any(|f| f.ocr) && figures.iter().any(|f| !f.ocr));
}

/// The scanned form with page 2's JPEG broken: a warning for that page, the
/// other pages read.
#[test]
fn a_broken_image_spoils_its_page_only() {
    if !ocr_models("a_broken_image_spoils_its_page_only") {
        return;
    }
    let mut bytes = std::fs::read(root().join("corpus/2022_form_scanned.pdf")).unwrap();
    // The file's JPEGs in file order are pages 1, 2, 3 and 4: break the second's marker.
    let starts: Vec<usize> = bytes
        .windows(3)
        .enumerate()
        .filter(|(_, w)| *w == [0xFF, 0xD8, 0xFF])
        .map(|(i, _)| i)
        .collect();
    assert_eq!(starts.len(), 4);
    bytes[starts[1]..starts[1] + 3].copy_from_slice(b"XXX");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let records = records_of(&path);
    let doc = document(&records);
    assert_eq!(doc.status, Status::Ok, "{:?}", doc.error);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.starts_with("page 2: 1 image(s) could not be decoded")),
        "{:?}",
        doc.warnings
    );
    let pages: Vec<u32> = figures(&records).iter().map(|f| f.page).collect();
    assert!(
        !pages.contains(&2) && pages.contains(&1) && pages.contains(&3),
        "{pages:?}"
    );
}

/// Without the models a scan is an `ocr_unavailable` error that says how to
/// install them; with OCR off it is `no_text_layer`. Text files never need them.
#[test]
fn without_models_a_scan_is_ocr_unavailable() {
    let empty = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(crate::common::bin())
            .args(args)
            .current_dir(root())
            .env("JIXIAO_OCR_DIR", empty.path())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = run(&["extract", "-q", "corpus/2022_form_scanned.pdf"]);
    assert_eq!(code, Some(1));
    assert!(out.contains(r#""code":"ocr_unavailable""#), "{out}");
    assert!(out.contains("make ocr"), "{out}");
    let (_, out) = run(&[
        "extract",
        "-q",
        "--ocr",
        "off",
        "corpus/2022_form_scanned.pdf",
    ]);
    assert!(out.contains(r#""code":"no_text_layer""#), "{out}");
    let (code, out) = run(&[
        "extract",
        "-q",
        "corpus/2022_form.pdf",
        "corpus/2024_report.txt",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains(r#""ocr":true"#));
}
