//! Assertions over one document: both sides evaluated, compared within the
//! tolerance its inputs' precision allows.

use rust_decimal::Decimal;

use super::context::DocCtx;
use super::eval::{Eval, EvalErr};
use super::tolerance::tolerance;
use super::{AuditReport, Skipped};
use crate::figures::to_f64;
use crate::record::FindingRecord;
use crate::rules::audit::{Agg, Check, Expr, Rel};

/// `left rel right` on one document: a finding, or a skip with its reason.
pub(super) fn run_assert(
    check: &Check,
    (left, rel, right): (&Expr, Rel, &Expr),
    ctx: &DocCtx<'_>,
    report: &mut AuditReport,
) {
    let skip = |reason: String, report: &mut AuditReport| {
        report.skipped.push(Skipped {
            check: check.id.clone(),
            doc_id: Some(ctx.doc_id.to_string()),
            department: ctx.department.map(str::to_string),
            year: ctx.year,
            reason,
        })
    };
    // A document of several forms has each form's rows: their sum is no
    // document total. The form-scope checks judge each form instead.
    if ctx.form.is_none()
        && ctx.forms > 1
        && (uses_indicator_rows(left) || uses_indicator_rows(right))
    {
        return skip(
            format!(
                "the document holds {} forms: its indicator rows are checked per form",
                ctx.forms
            ),
            report,
        );
    }
    if let Some(r) = check
        .required
        .iter()
        .find(|r| !ctx.metrics.contains_key(*r))
    {
        return skip(format!("required {r} absent"), report);
    }
    let mut eval = Eval::new(ctx, check, None);
    let values = eval.side(left).and_then(|l| Ok((l, eval.side(right)?)));
    let (found, expected) = match values {
        Ok(v) => v,
        Err(EvalErr::Absent(what)) => return skip(format!("{what} absent"), report),
        Err(EvalErr::Undefined(why)) => return skip(why, report),
    };
    let inputs = eval.inputs;
    let Some(diff) = found.checked_sub(expected) else {
        return skip("arithmetic overflow".into(), report);
    };
    let tol = tolerance(ctx, check, (left, right), &inputs, diff);
    report.findings.push(FindingRecord {
        doc_id: ctx.doc_id.to_string(),
        department: ctx.department.map(str::to_string),
        year: ctx.year,
        form: ctx.form,
        check: check.id.clone(),
        holds: holds(rel, diff, tol),
        expected: to_f64(expected.round_dp(6)),
        found: to_f64(found.round_dp(6)),
        inputs: inputs.iter().map(|i| i.to_wire(None)).collect(),
        years: None,
        tolerance: Some(to_f64(tol.round_dp(6))),
    });
}

/// Whether `e` reads indicator rows (`scores()`, `weights()`).
fn uses_indicator_rows(e: &Expr) -> bool {
    match e {
        Expr::Agg(Agg::Scores(_) | Agg::Weights(_)) => true,
        Expr::Neg(x) => uses_indicator_rows(x),
        Expr::Bin(a, _, b) => uses_indicator_rows(a) || uses_indicator_rows(b),
        _ => false,
    }
}

/// Whether `found − expected = diff` satisfies `rel` within `tolerance`.
fn holds(rel: Rel, diff: Decimal, tolerance: Decimal) -> bool {
    match rel {
        Rel::Eq => diff.abs() <= tolerance,
        Rel::Le => diff <= tolerance,
        Rel::Ge => -diff <= tolerance,
    }
}
