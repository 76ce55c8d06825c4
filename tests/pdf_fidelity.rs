//! Text fidelity of what `jixiao text` shows (ruled tables rebuilt as rows) on the real
//! PDFs, against pdftotext's counts. The PDF reader's own fidelity tests are in
//! crates/jixiao-pdf/tests/pdf/fidelity.rs; the counts and the measure are shared with them.

#[path = "../crates/jixiao-pdf/tests/pdf/reference.rs"]
pub(crate) mod reference;

use jixiao::source::{self, Format};
use reference::{REALPDF, counts, recall_precision, reference_counts};

use crate::common::root;

/// What users see — `jixiao text`, with ruled tables rebuilt cell by cell —
/// keeps every character of the page: nothing lost, nothing doubled.
#[test]
fn jixiao_text_matches_pdftotext() {
    let realpdf = root().join("crates/jixiao-pdf/tests/data/realpdf");
    let mut failures = Vec::new();
    for name in REALPDF {
        let bytes = std::fs::read(realpdf.join(format!("{name}.pdf"))).unwrap();
        let doc = source::load(Format::Pdf, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let reference = reference_counts(&realpdf.join(format!("{name}.ref.json")));
        let (r, p) = recall_precision(&counts(&doc.text), &reference);
        println!("{name}: recall {r:.4} precision {p:.4}");
        if r < 0.99 || p < 0.99 {
            failures.push(format!("{name}: recall {r:.4} precision {p:.4}"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}
