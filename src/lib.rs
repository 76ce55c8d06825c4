//! jixiao (绩效): Chinese government budget-performance reports → auditable records.
//!
//! Stages, one module each, each using only the ones before it: [`source`]
//! (files → text with pages and lines), [`quantity`] (numbers, units,
//! qualifiers), [`rules`] (rule files → compiled rule set, audit checks
//! included), [`segment`] (jieba word segmentation), [`extract`] (rules ×
//! document → figures), [`table`] (indicator tables → indicator rows),
//! [`record`] (wire types), [`pipeline`] (parallel run with per-document
//! isolation and ordered output), [`figures`] (figures read back from records),
//! [`render`] (numbers and aligned tables for people), [`compare`] (year over
//! year), [`audit`] (checks declared in `rules/audit.toml`), [`sink`] (JSONL,
//! CSV, XLSX, SQLite, HTML); [`wire`] holds the span and closed-set building
//! blocks all of them share; [`generate`] writes synthetic archives with their
//! truth.

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
