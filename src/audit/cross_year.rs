//! Cross-year bounds: how much a metric moves between consecutive years
//! of one department.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::context::DocCtx;
use super::eval::Input;
use super::{AuditReport, Skipped};
use crate::figures::{Selected, UNKNOWN_DEPARTMENT, name_key, to_f64};
use crate::record::FindingRecord;
use crate::rules::audit::Check;

/// `metric` moves at most `max_pct` % from one stated year to the next, per
/// department; each pair of consecutive years gives a finding.
pub(super) fn run_year_change(
    check: &Check,
    metric: &str,
    max_pct: Decimal,
    docs: &[DocCtx<'_>],
    report: &mut AuditReport,
) {
    for (department, years) in documents_by_year(metric, docs) {
        if years.len() < 2 {
            report.skipped.push(Skipped {
                check: check.id.clone(),
                doc_id: years.values().next().map(|d| d.doc_id.to_string()),
                department: Some(department.to_string()),
                year: years.keys().next().copied(),
                reason: format!("{metric} stated for fewer than two years"),
            });
            continue;
        }
        let list: Vec<(&i32, &&DocCtx<'_>)> = years.iter().collect();
        for pair in list.windows(2) {
            let ((from, earlier), (to, later)) = (pair[0], pair[1]);
            let pair = YearPair {
                check,
                metric,
                department,
                years: (*from, *to),
                docs: (earlier, later),
            };
            pair.judge(max_pct, report);
        }
    }
}

/// department → year → the first document (input order) stating `metric`.
/// Departments are matched as `compare` matches them ([`name_key`]) and
/// named by the first spelling seen.
fn documents_by_year<'d, 'a>(
    metric: &str,
    docs: &'d [DocCtx<'a>],
) -> Vec<(&'a str, BTreeMap<i32, &'d DocCtx<'a>>)> {
    let mut by_department: BTreeMap<String, (&str, BTreeMap<i32, &DocCtx<'_>>)> = BTreeMap::new();
    for d in docs {
        let Some(year) = d.year else { continue };
        if !d.metrics.contains_key(metric) {
            continue;
        }
        let department = d.department.unwrap_or(UNKNOWN_DEPARTMENT);
        by_department
            .entry(name_key(department))
            .or_insert_with(|| (department, BTreeMap::new()))
            .1
            .entry(year)
            .or_insert(d);
    }
    by_department.into_values().collect()
}

/// Two consecutive stated years of one department.
struct YearPair<'p, 'a> {
    check: &'p Check,
    metric: &'p str,
    department: &'p str,
    years: (i32, i32),
    docs: (&'p DocCtx<'a>, &'p DocCtx<'a>),
}

impl YearPair<'_, '_> {
    fn skip(&self, reason: String, report: &mut AuditReport) {
        report.skipped.push(Skipped {
            check: self.check.id.clone(),
            doc_id: Some(self.docs.1.doc_id.to_string()),
            department: Some(self.department.to_string()),
            year: Some(self.years.1),
            reason,
        });
    }

    fn judge(&self, max_pct: Decimal, report: &mut AuditReport) {
        let metric = self.metric;
        let (earlier, later) = self.docs;
        let (Some(a), Some(b)) = (earlier.metrics.get(metric), later.metrics.get(metric)) else {
            return;
        };
        if a.value.is_zero() {
            return self.skip(format!("{metric} is 0 in {}", self.years.0), report);
        }
        let pct = b
            .value
            .checked_sub(a.value)
            .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
            .and_then(|d| d.checked_div(a.value))
            .map(|p| p.round_dp(2));
        let Some(pct) = pct else {
            return self.skip("arithmetic overflow".into(), report);
        };
        let input = |s: &Selected<'_>, d: &DocCtx<'_>| {
            Input::of_figure(metric, s.value, Decimal::ZERO, s.figure).to_wire(Some(d.doc_id))
        };
        report.findings.push(FindingRecord {
            doc_id: later.doc_id.to_string(),
            department: Some(self.department.to_string()),
            year: Some(self.years.1),
            form: None,
            check: self.check.id.clone(),
            holds: pct.abs() <= max_pct,
            expected: to_f64(max_pct),
            found: to_f64(pct),
            inputs: vec![input(a, earlier), input(b, later)],
            years: Some(vec![self.years.0, self.years.1]),
            tolerance: None,
        });
    }
}
