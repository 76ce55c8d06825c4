//! Evaluating one side of an assertion over a document's figures, indicator
//! rows and line items, with exact decimals, recording every input it reads.

use rust_decimal::Decimal;

use super::context::DocCtx;
use super::tolerance::half_resolution;
use crate::figures::{to_decimal, to_f64};
use crate::record::{FigureRecord, FindingInput, LineItemRecord, Span};
use crate::rules::audit::{Agg, Check, Expr, Missing, Op, SumArg};

/// One value an evaluation read, with where it came from.
#[derive(Debug, Clone)]
pub(super) struct Input {
    pub metric: String,
    pub value: Decimal,
    /// Half a unit of its last written place: what it may be off by.
    pub half: Decimal,
    pub page: Option<u32>,
    pub line: Option<u32>,
    pub span: Option<Span>,
}

impl Input {
    pub fn of_figure(metric: &str, value: Decimal, half: Decimal, f: &FigureRecord) -> Input {
        Input {
            metric: metric.to_string(),
            value,
            half,
            page: Some(f.page),
            line: Some(f.line),
            span: Some(f.span),
        }
    }

    /// The input as a finding carries it; `doc_id` when it is another document's.
    pub fn to_wire(&self, doc_id: Option<&str>) -> FindingInput {
        FindingInput {
            metric: self.metric.clone(),
            value: to_f64(self.value),
            page: self.page,
            line: self.line,
            span: self.span,
            doc_id: doc_id.map(str::to_string),
        }
    }
}

/// Why a side has no value: a skip reason, not a finding.
pub(super) enum EvalErr {
    Absent(String),
    Undefined(String),
}

fn overflow() -> EvalErr {
    EvalErr::Undefined("arithmetic overflow".into())
}

pub(super) struct Eval<'c, 'a> {
    ctx: &'c DocCtx<'a>,
    check: &'c Check,
    /// Input nudged by its half unit, to measure its effect on the comparison.
    bump: Option<&'c str>,
    pub inputs: Vec<Input>,
    /// Metric references on the current side, and how many were present.
    refs: usize,
    present: usize,
}

impl<'c, 'a> Eval<'c, 'a> {
    pub fn new(ctx: &'c DocCtx<'a>, check: &'c Check, bump: Option<&'c str>) -> Self {
        Eval {
            ctx,
            check,
            bump,
            inputs: Vec::new(),
            refs: 0,
            present: 0,
        }
    }

    /// Evaluates one side; a side whose every metric is absent-as-zero is absent.
    pub fn side(&mut self, e: &Expr) -> Result<Decimal, EvalErr> {
        self.refs = 0;
        self.present = 0;
        let v = self.eval(e)?;
        if self.refs > 0 && self.present == 0 && !has_agg(e) {
            return Err(EvalErr::Absent("every metric on one side".into()));
        }
        Ok(v)
    }

    /// `value`, or `value` plus `half` when `name` is the input being bumped.
    fn bumped(&self, name: &str, value: Decimal, half: Decimal) -> Decimal {
        if self.bump == Some(name) {
            value.checked_add(half).unwrap_or(value)
        } else {
            value
        }
    }

    fn metric(&mut self, m: &str) -> Result<Decimal, EvalErr> {
        self.refs += 1;
        match self.ctx.metrics.get(m) {
            Some(sel) => {
                self.present += 1;
                let half = half_resolution(sel.figure.resolution, sel.value);
                if !self.inputs.iter().any(|i| i.metric == m) {
                    self.inputs
                        .push(Input::of_figure(m, sel.value, half, sel.figure));
                }
                Ok(self.bumped(m, sel.value, half))
            }
            None if self.check.missing == Missing::Zero
                && !self.check.required.iter().any(|r| r == m) =>
            {
                Ok(Decimal::ZERO)
            }
            None => Err(EvalErr::Absent(m.to_string())),
        }
    }

    fn eval(&mut self, e: &Expr) -> Result<Decimal, EvalErr> {
        match e {
            Expr::Num(n) => Ok(*n),
            Expr::Metric(m) => self.metric(m),
            Expr::Neg(x) => Ok(-self.eval(x)?),
            Expr::Bin(a, op, b) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                match op {
                    Op::Add => a.checked_add(b).ok_or_else(overflow),
                    Op::Sub => a.checked_sub(b).ok_or_else(overflow),
                    Op::Mul => a.checked_mul(b).ok_or_else(overflow),
                    Op::Div if b.is_zero() => Err(EvalErr::Undefined("division by zero".into())),
                    Op::Div => a.checked_div(b).ok_or_else(overflow),
                }
            }
            Expr::Sum(args) => self.sum(args),
            Expr::Agg(Agg::Scores(level1)) => self.indicators(level1.as_deref(), false),
            Expr::Agg(Agg::Weights(level1)) => self.indicators(level1.as_deref(), true),
            Expr::Agg(Agg::Items(group)) => self.items(group),
        }
    }

    /// `sum(a, b, staff.*)`: a prefix takes every present metric under it
    /// but the check's `exclude`.
    fn sum(&mut self, args: &[SumArg]) -> Result<Decimal, EvalErr> {
        let mut total = Decimal::ZERO;
        let mut any = false;
        for a in args {
            let names = match a {
                SumArg::Metric(m) => vec![m.clone()],
                SumArg::Prefix(p) => {
                    let prefix = format!("{p}.");
                    self.ctx
                        .metrics
                        .keys()
                        .filter(|k| k.starts_with(&prefix) && !self.check.exclude.contains(k))
                        .cloned()
                        .collect()
                }
            };
            for m in names {
                total = total.checked_add(self.metric(&m)?).ok_or_else(overflow)?;
                any = true;
            }
        }
        if any {
            Ok(total)
        } else {
            Err(EvalErr::Absent(format!("sum({})", sum_text(args))))
        }
    }

    /// `scores(…)` / `weights(…)`: indicator cells carry no precision, so they
    /// count as exact (the tolerance comes from the stated figure they are
    /// compared with). A row without the cell makes the sum absent: a sum over
    /// the rows that have one is not the sum the form states.
    fn indicators(&mut self, level1: Option<&str>, weights: bool) -> Result<Decimal, EvalErr> {
        let what = if weights { "weight" } else { "score" };
        let mut total = Decimal::ZERO;
        let mut n = 0;
        for ind in &self.ctx.indicators {
            // Level names compare folded (產出指標 is 产出指标).
            let group = crate::source::NormalizedText::folded(&ind.level1);
            if level1.is_some_and(|l| !group.starts_with(l)) {
                continue;
            }
            let cell = if weights { ind.weight } else { ind.score };
            let Some(v) = cell.and_then(to_decimal) else {
                return Err(EvalErr::Absent(format!(
                    "indicator {what} of {} / {}",
                    ind.level1, ind.level3
                )));
            };
            total = total.checked_add(v).ok_or_else(overflow)?;
            n += 1;
            self.inputs.push(Input {
                metric: format!("indicator.{what}: {} / {}", ind.level1, ind.level3),
                value: v,
                half: Decimal::ZERO,
                page: Some(ind.page),
                line: ind.line,
                span: None,
            });
        }
        if n == 0 {
            return Err(EvalErr::Absent(match level1 {
                Some(l) => format!("indicator {what}s of {l}"),
                None => format!("indicator {what}s"),
            }));
        }
        Ok(total)
    }

    /// `items("group")`: the line items of a group.
    fn items(&mut self, group: &str) -> Result<Decimal, EvalErr> {
        let items: Vec<&LineItemRecord> = self
            .ctx
            .items
            .iter()
            .copied()
            .filter(|i| i.group.as_deref() == Some(group))
            .collect();
        let mut total = Decimal::ZERO;
        let mut n = 0;
        for it in items {
            let Some(v) = to_decimal(it.value) else {
                continue;
            };
            // A SPEC-only line item (no `raw`, no `resolution`) says nothing
            // of its precision: it counts as exact.
            let half = if it.resolution.is_none() && it.raw.is_empty() {
                Decimal::ZERO
            } else {
                half_resolution(it.resolution, v)
            };
            let metric = format!("line_item: {}", it.label);
            total = total
                .checked_add(self.bumped(&metric, v, half))
                .ok_or_else(overflow)?;
            n += 1;
            self.inputs.push(Input {
                metric,
                value: v,
                half,
                page: Some(it.page),
                line: Some(it.line),
                span: it.span,
            });
        }
        if n == 0 {
            return Err(EvalErr::Absent(format!("line items of {group}")));
        }
        Ok(total)
    }
}

fn has_agg(e: &Expr) -> bool {
    match e {
        Expr::Agg(_) => true,
        Expr::Neg(x) => has_agg(x),
        Expr::Bin(a, _, b) => has_agg(a) || has_agg(b),
        _ => false,
    }
}

fn sum_text(args: &[SumArg]) -> String {
    args.iter()
        .map(|a| match a {
            SumArg::Metric(m) => m.clone(),
            SumArg::Prefix(p) => format!("{p}.*"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
