//! The PDF reader's integration tests, one binary: failure modes and limits (`errors`),
//! reading order on hand-made PDFs (`layout`), the CJK sample collection (`samples`),
//! text fidelity against pdftotext and the corpus sources (`fidelity`), and ruled tables
//! read through their borders (`grid`).

mod common;
mod errors;
mod fidelity;
mod grid;
mod layout;
mod reference;
mod samples;
