//! Any bytes given to the PDF reader must come back as pages (and their ruled-table rows)
//! or a `PdfError`: never a panic, never a hang past the deadline.
#![no_main]

use std::time::{Duration, Instant};

use jixiao_pdf::{Limits, extract, grid};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The time budget jixiao gives every document: a slow input ends as a Timeout.
    let limits = Limits {
        deadline: Some(Instant::now() + Duration::from_secs(60)),
        ..Limits::default()
    };
    if let Ok(text) = extract(data, &limits) {
        let _ = grid::document_lines(&text.pages);
    }
});
