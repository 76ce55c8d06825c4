//! The PDF reader's integration tests, one binary: failure modes and limits (`errors`),
//! reading order on hand-made PDFs (`layout`), the CJK sample collection (`samples`) and
//! text fidelity against pdftotext and the corpus sources (`fidelity`).

mod common;
mod errors;
mod fidelity;
mod layout;
mod reference;
mod samples;
