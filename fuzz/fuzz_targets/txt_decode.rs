//! Any bytes given as a TXT file must decode or fail cleanly, in every encoding path.
#![no_main]

use jixiao::source::{Format, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = load(Format::Txt, data) {
        // Line ranges must index the text: later stages slice with them.
        for line in &doc.lines {
            let _ = doc.line_text(line);
        }
    }
});
