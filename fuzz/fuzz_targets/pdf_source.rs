//! Any bytes given as a PDF must come back as a Document or a SourceError, never a panic.
#![no_main]

use jixiao::source::{Format, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = load(Format::Pdf, data);
});
