//! Consistency audit: evaluates the checks of `rules/audit.toml` (loaded by
//! [`crate::rules::audit`]) over records with exact decimals, and renders the
//! findings for people.
//!
//! - [`context`]: the per-document view of the records,
//! - [`scoped`]: the per-form and per-indicator-row views,
//! - [`eval`]: one side of an assertion, with the inputs it read,
//! - [`tolerance`]: half a unit of the least precise input, through the arithmetic,
//! - [`document`] and [`cross_year`]: the two kinds of check,
//! - [`render`]: the table `jixiao audit` prints.

mod context;
mod cross_year;
mod document;
mod eval;
mod render;
mod scoped;
mod tolerance;

pub use render::render_table;

use crate::record::{FindingRecord, Record};
use crate::rules::audit::{AuditRules, CheckKind, Scope};

/// A check that could not be evaluated on one document (or department-year
/// pair), and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub check: String,
    pub doc_id: Option<String>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditReport {
    pub findings: Vec<FindingRecord>,
    pub skipped: Vec<Skipped>,
}

impl AuditReport {
    /// Checks evaluated (one per finding).
    pub fn evaluated(&self) -> usize {
        self.findings.len()
    }
    pub fn failed(&self) -> usize {
        self.findings.iter().filter(|f| !f.holds).count()
    }
}

/// Runs every check over the records. Documents with `status: "error"` are
/// left out; findings already in the input are ignored (the audit recomputes).
pub fn audit(records: &[Record], rules: &AuditRules) -> AuditReport {
    let docs = context::build_contexts(records);
    let (forms, rows) = scoped::forms_and_rows(records);
    let (forms, rows) = (scoped::contexts(&forms), scoped::contexts(&rows));
    let mut report = AuditReport::default();
    for check in &rules.checks {
        match &check.kind {
            CheckKind::Assert {
                left, rel, right, ..
            } => {
                let contexts = match check.scope {
                    Scope::Document => &docs,
                    Scope::Form => &forms,
                    Scope::Indicator => &rows,
                };
                for ctx in contexts {
                    document::run_assert(check, (left, *rel, right), ctx, &mut report);
                }
            }
            CheckKind::YearChange { metric, max_pct } => {
                cross_year::run_year_change(check, metric, *max_pct, &docs, &mut report)
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{FigureRecord, Kind, Span};
    use crate::rules::audit::{parse_audit_rules, starter_metrics};

    #[test]
    fn extreme_values_skip_instead_of_panicking() {
        let fig = |metric: &str, value: f64, raw: &str| {
            Record::Figure(FigureRecord {
                doc_id: "d".into(),
                year: Some(2022),
                metric: Some(metric.into()),
                raw: raw.into(),
                span: Span { start: 0, end: 1 },
                ..FigureRecord::new(Kind::Amount, value, "CNY", 1, 1)
            })
        };
        let recs = vec![
            fig("budget.total", 7.9e28, "x"),
            fig("expense.basic", 7.9e28, "7.9e28"),
            fig("expense.project", 7.9e28, "??"),
            fig("budget.executed", 1e300, "1e300"),
            fig("budget.execution_rate", f64::NAN, ""),
        ];
        let src = r#"
[[check]]
id = "a"
assert = "budget.total == expense.basic + expense.project"
[[check]]
id = "b"
assert = "budget.execution_rate == budget.executed / budget.total * 100"
[[check]]
id = "c"
assert = "budget.total == expense.basic / 0"
"#;
        let rules = parse_audit_rules(src, "t", &starter_metrics()).unwrap();
        let r = audit(&recs, &rules);
        assert_eq!(r.evaluated() + r.skipped.len(), 3);
        assert!(r.findings.is_empty());
    }
}
