//! Inputs the fuzz targets (fuzz/fuzz_targets) once crashed on, kept under
//! tests/data/fuzz/TARGET/ and replayed through the same calls: each must now
//! return normally.

use std::path::PathBuf;

use jixiao::source::{Format, load};

use crate::common::{RULES, root};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("tests/data/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn quantity_scan_inputs() {
    let cases = inputs("quantity_scan");
    assert!(!cases.is_empty());
    for (path, bytes) in cases {
        let text = String::from_utf8_lossy(&bytes);
        // Numbers beyond Decimal's range or precision are not figures.
        let found = RULES.units.scan(&text);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
    }
}

#[test]
fn quantity_scan_still_reads_the_figure_next_to_an_unreadable_one() {
    let text = "缺口3.77777777777777777777777777777777777777727万亩，已完成3.81万亩";
    let found = RULES.units.scan(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(&text[found[0].start..found[0].end], "3.81万亩");
}

#[test]
fn source_inputs() {
    for (target, format) in [("pdf_source", Format::Pdf), ("txt_decode", Format::Txt)] {
        for (_, bytes) in inputs(target) {
            let _ = load(format, &bytes);
        }
    }
}
