//! Development tasks for jixiao that the shipped crate and binary do without:
//! [`generate`] writes synthetic archives, each report with its truth, for
//! scale tests and benchmarks (`cargo run -p xtask -- generate …`).

pub mod generate;
