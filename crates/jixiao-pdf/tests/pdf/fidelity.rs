//! Text fidelity: real published PDFs against pdftotext's reference counts, and the corpus
//! renderings against their source text.

use jixiao_pdf::{Limits, extract};

use crate::common::{all_text, data, read};
use crate::reference::{REALPDF, counts, recall_precision, reference_counts};

#[test]
fn realpdf_matches_pdftotext() {
    let mut failures = Vec::new();
    for name in REALPDF {
        let doc = extract(&read(&format!("realpdf/{name}.pdf")), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let reference = reference_counts(&data(&format!("realpdf/{name}.ref.json")));
        // pdftotext prints headers/footers too, so compare with furniture included.
        let (r, p) = recall_precision(&counts(&all_text(&doc, true)), &reference);
        println!("{name}: recall {r:.4} precision {p:.4}");
        if r < 0.99 || p < 0.99 {
            failures.push(format!("{name}: recall {r:.4} precision {p:.4}"));
        }
        assert_eq!(doc.replacement_chars, 0, "{name}");
    }
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn corpus_matches_reference_text() {
    for (pdf, txt, pages) in [
        ("2022_form.pdf", "2022_form.txt", 4),
        ("2024_report.pdf", "2024_report.txt", 11),
        ("2024_report_stsong.pdf", "2024_report.txt", 8),
    ] {
        let doc = extract(&read(&format!("corpus/{pdf}")), &Limits::default()).unwrap();
        assert_eq!(doc.pages.len(), pages, "{pdf}");
        let reference = counts(&String::from_utf8(read(&format!("corpus/{txt}"))).unwrap());
        // Footers ('第 N 页 共 M 页') are not in the reference and must come out as furniture.
        let (r, p) = recall_precision(&counts(&all_text(&doc, false)), &reference);
        println!("{pdf}: recall {r:.4} precision {p:.4}");
        assert!(r >= 0.999 && p >= 0.999, "{pdf}: recall {r} precision {p}");
        for page in &doc.pages {
            let footer: Vec<&str> = page
                .lines
                .iter()
                .filter(|l| l.furniture)
                .map(|l| l.text.as_str())
                .collect();
            let want = format!("第 {} 页 共 {} 页", page.number, pages);
            assert!(
                footer
                    .iter()
                    .any(|f| f.replace(' ', "") == want.replace(' ', "")),
                "{pdf} page {}: furniture {footer:?}",
                page.number
            );
        }
        assert!(doc.title.is_some(), "{pdf}: Info title");
    }
}

#[test]
fn corpus_reading_order_and_normalisation() {
    let doc = extract(&read("corpus/2024_report.pdf"), &Limits::default()).unwrap();
    let text = all_text(&doc, false);
    // Headings and paragraphs come out in order, on their own lines.
    let a = text.find("一、单位基本情况").expect("heading");
    let b = text
        .find("(一)主要职责")
        .expect("sub-heading (NFKC parentheses)");
    assert!(a < b);
    // No Kangxi / supplement radicals survive.
    assert!(!text.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)));
}

#[test]
fn table_cells_are_tab_separated_and_rulings_found() {
    let doc = extract(&read("corpus/2022_form.pdf"), &Limits::default()).unwrap();
    let first = &doc.pages[0];
    assert!(
        first.rulings.len() > 20,
        "table borders: {}",
        first.rulings.len()
    );
    let header = first
        .lines
        .iter()
        .find(|l| l.text.starts_with("部门名称"))
        .expect("header row");
    assert!(header.text.contains('\t'), "{:?}", header.text);
    assert!(header.words.len() >= 4);
}
