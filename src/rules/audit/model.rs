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

/// What one evaluation of a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A document's figures (by metric), indicator rows and line items.
    #[default]
    Document,
    /// One standard form: its funds cells (`funds.total.budget`, …), its
    /// totals (`form.total_score`, `form.total_weight`) and its indicator
    /// rows (`scores()`, `weights()`).
    Form,
    /// One indicator row: `indicator.weight` and `indicator.score`.
    Indicator,
}

/// The names a form-scope check may use: `funds.ROW.COLUMN` for every row
/// and column of the funds block, and the form's totals.
pub fn form_names() -> Vec<String> {
    let rows = ["total", "fiscal", "carryover", "other"];
    let columns = [
        "initial_budget",
        "budget",
        "executed",
        "weight",
        "rate",
        "score",
    ];
    let mut names: Vec<String> = rows
        .iter()
        .flat_map(|r| columns.iter().map(move |c| format!("funds.{r}.{c}")))
        .collect();
    names.extend([
        "form.total_score".to_string(),
        "form.total_weight".to_string(),
    ]);
    names
}

/// The names an indicator-scope check may use.
pub const INDICATOR_NAMES: &[&str] = &["indicator.weight", "indicator.score"];

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
    pub scope: Scope,
    pub kind: CheckKind,
    pub missing: Missing,
    pub required: Vec<String>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditRules {
    pub checks: Vec<Check>,
}
