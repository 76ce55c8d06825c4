//! The main crate's integration tests as one binary, so the crate links once:
//! one module per area, the shared helpers in `common`.

mod common;

mod audit_gold;
mod bad_input;
mod cli;
mod compare_seeds;
mod forms;
mod fuzz_regressions;
mod golden;
mod html_report;
mod incremental;
mod make_run;
mod ocr;
mod pdf_fidelity;
mod pipeline_properties;
mod quantity_properties;
mod realworld;
mod rule_examples;
mod rules_errors;
mod scale_out;
mod sinks;
mod tables;
