//! The checks `rules/audit.toml` declares, as the loader compiles them and the
//! audit evaluates them: assertions over expressions, and cross-year bounds.

use rust_decimal::Decimal;
use serde::Deserialize;

/// How an absent metric is treated by a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Any absent input skips the check (a blank cell is not a zero).
    #[default]
    Absent,
    /// Absent metrics count as 0, except those in `required`; a side whose
    /// metrics are all absent still skips the check.
    Zero,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    Eq,
    Le,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Aggregates over the non-figure records of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Agg {
    /// `scores()` / `scores("产出指标")`: indicator scores, optionally one level1.
    Scores(Option<String>),
    /// `weights()` / `weights("产出指标")`: indicator weights.
    Weights(Option<String>),
    /// `items("expense.project.business")`: line items of a group.
    Items(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SumArg {
    Metric(String),
    /// `staff.*`: every present metric under `staff.`, minus the check's `exclude`.
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    Metric(String),
    Sum(Vec<SumArg>),
    Agg(Agg),
    Neg(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Assert {
        left: Expr,
        rel: Rel,
        right: Expr,
        /// The expression as written, for people.
        text: String,
    },
    YearChange {
        metric: String,
        max_pct: Decimal,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub id: String,
    pub description: Option<String>,
    pub kind: CheckKind,
    pub missing: Missing,
    pub required: Vec<String>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditRules {
    pub checks: Vec<Check>,
}
