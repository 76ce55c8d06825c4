//! jixiao (绩效): Chinese government budget-performance reports → auditable records.
//!
//! Stages, one module each, each using only the ones before it: [`source`]
//! (files → text with pages and lines), [`quantity`] (numbers, units,
//! qualifiers), [`rules`] (rule files → compiled rule set, audit checks
//! included), [`segment`] (jieba word segmentation), [`extract`] (rules ×
//! document → figures), [`table`] (indicator tables → indicator rows),
//! [`forms`] (standard forms: fields, funds, totals), [`analysis`] (what one
//! document's stages found, joined up), [`record`] (wire types),
//! [`pipeline`] (parallel run with per-document isolation and ordered output),
//! [`figures`] (figures read back from records), [`render`] (numbers and
//! aligned tables for people), [`compare`] (year over year), [`audit`] (checks
//! declared in `rules/audit.toml`), [`sink`] (JSONL, CSV, XLSX, SQLite, HTML).
//! Below them all: [`wire`] (the span and closed-set building blocks),
//! [`text`] (folding and joining rules) and [`cells`] (how a line is cut into
//! cells). Synthetic archives for scale tests are written by the workspace's
//! `xtask` crate.

pub mod analysis;
pub mod audit;
pub mod cells;
pub mod compare;
pub mod extract;
pub mod figures;
pub mod forms;
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
pub mod text;
pub mod wire;
