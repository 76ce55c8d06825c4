//! jixiao (绩效): Chinese government budget-performance reports → auditable records.
//!
//! Stages, one module each: [`source`] (files → text with pages and lines),
//! [`quantity`] (numbers, units, qualifiers), [`rules`] (rule files → compiled
//! rule set), [`segment`] (jieba word segmentation), [`extract`] (rules ×
//! document → figures), [`record`] (wire types), [`pipeline`] (parallel run with
//! per-document isolation and ordered output), [`compare`] (year over year),
//! [`audit`] (checks declared in `rules/audit.toml`), [`table`]
//! (indicator tables → indicator rows), [`sink`] (JSONL, CSV,
//! XLSX, SQLite, HTML); [`generate`] writes synthetic archives with their truth.

pub mod audit;
pub mod compare;
pub mod extract;
pub mod figures;
pub mod generate;
pub mod incremental;
pub mod pipeline;
pub mod quantity;
pub mod record;
pub mod render;
pub mod rules;
pub mod segment;
pub mod sink;
pub mod source;
pub mod table;
pub mod wire;
