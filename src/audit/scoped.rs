//! What the audit knows of one standard form and of one indicator row, for
//! checks of `scope = "form"` and `scope = "indicator"`: the form's funds
//! cells and totals, or a row's weight and score, as named values
//! (`funds.total.budget`, `form.total_score`, `indicator.score`). Each value
//! carries the provenance of the figure in the text that states it (the first
//! figure of that form with that value not already taken by another cell), so
//! a finding points at the cells it read.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::context::DocCtx;
use crate::figures::{Selected, document_keys, to_decimal};
use crate::record::{
    FigureRecord, FormRecord, FundsRowKind, IndicatorRecord, Kind, Record, Status,
};

/// The values of one form or one indicator row, owned; [`contexts`] lends
/// them to the evaluator as a [`DocCtx`].
pub(super) struct ScopedValues<'a> {
    doc_id: &'a str,
    department: Option<&'a str>,
    year: Option<i32>,
    form: Option<u32>,
    values: Vec<FigureRecord>,
    indicators: Vec<&'a IndicatorRecord>,
}

/// One [`ScopedValues`] per form, and one per indicator row, of every
/// document that was read; the records are indexed once for both.
pub(super) fn forms_and_rows(records: &[Record]) -> (Vec<ScopedValues<'_>>, Vec<ScopedValues<'_>>) {
    let sources = Sources::of(records);
    (forms(records, &sources), indicator_rows(records, &sources))
}

fn forms<'a>(records: &'a [Record], sources: &Sources<'a>) -> Vec<ScopedValues<'a>> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Form(f) if !sources.failed.contains(f.doc_id.as_str()) => Some(f),
            _ => None,
        })
        .map(|form| {
            let mut taken = HashSet::new();
            let mut values = Vec::new();
            for (name, value, unit) in form_cells(form) {
                let figure =
                    sources.stating(&form.doc_id, Some(form.form), value, unit, 0, &mut taken);
                values.push(named(figure, &name, value, unit, (form.page, form.line)));
            }
            let (department, year) = sources.key(&form.doc_id);
            ScopedValues {
                doc_id: &form.doc_id,
                department: department.or(form.department.as_deref()),
                year: year.or(form.year),
                form: Some(form.form),
                values,
                indicators: sources.rows_of(&form.doc_id, form.form),
            }
        })
        .collect()
}

fn indicator_rows<'a>(records: &'a [Record], sources: &Sources<'a>) -> Vec<ScopedValues<'a>> {
    let mut out = Vec::new();
    for row in records.iter().filter_map(|r| match r {
        Record::Indicator(i) if !sources.failed.contains(i.doc_id.as_str()) => Some(i),
        _ => None,
    }) {
        let line = row.line.unwrap_or(0);
        let mut taken = HashSet::new();
        let mut values = Vec::new();
        for (name, value) in [
            ("indicator.weight", row.weight),
            ("indicator.score", row.score),
        ] {
            let Some(value) = value else { continue };
            let figure = sources.stating(&row.doc_id, row.form, value, "分", line, &mut taken);
            values.push(named(figure, name, value, "分", (row.page, line)));
        }
        let (department, year) = sources.key(&row.doc_id);
        out.push(ScopedValues {
            doc_id: &row.doc_id,
            department: department.or(row.department.as_deref()),
            year: year.or(row.year),
            form: row.form,
            values,
            indicators: vec![row],
        });
    }
    out
}

/// The evaluator's view of each form or row.
pub(super) fn contexts<'s>(scoped: &'s [ScopedValues<'_>]) -> Vec<DocCtx<'s>> {
    scoped
        .iter()
        .map(|s| {
            let metrics: BTreeMap<String, Selected<'s>> = s
                .values
                .iter()
                .filter_map(|f| {
                    let selected = Selected {
                        figure: f,
                        value: to_decimal(f.value)?,
                        others: 0,
                        disagreeing: 0,
                    };
                    Some((f.metric.clone()?, selected))
                })
                .collect();
            DocCtx {
                doc_id: s.doc_id,
                department: s.department,
                year: s.year,
                form: s.form,
                forms: 1,
                metrics,
                indicators: s.indicators.clone(),
                items: Vec::new(),
            }
        })
        .collect()
}

/// A form's cells as (name, value, unit): the funds block's, then its totals.
fn form_cells(form: &FormRecord) -> Vec<(String, f64, &'static str)> {
    let mut cells = Vec::new();
    for funds in &form.funds {
        let row = match funds.row {
            FundsRowKind::None => continue,
            row => row.as_str(),
        };
        let columns = [
            ("initial_budget", funds.initial_budget, "CNY"),
            ("budget", funds.budget, "CNY"),
            ("executed", funds.executed, "CNY"),
            ("weight", funds.weight, "分"),
            ("rate", funds.rate, "%"),
            ("score", funds.score, "分"),
        ];
        for (column, value, unit) in columns {
            if let Some(value) = value {
                cells.push((format!("funds.{row}.{column}"), value, unit));
            }
        }
    }
    for (name, value) in [
        ("form.total_score", form.total_score),
        ("form.total_weight", form.total_weight),
    ] {
        if let Some(value) = value {
            cells.push((name.to_string(), value, "分"));
        }
    }
    cells
}

/// The value as a figure named `name`: the stating figure's provenance and
/// precision when one was found, else the form's (or row's) first line.
fn named(
    stating: Option<&FigureRecord>,
    name: &str,
    value: f64,
    unit: &str,
    at: (u32, u32),
) -> FigureRecord {
    let kind = match unit {
        "CNY" => Kind::Amount,
        "%" => Kind::Rate,
        _ => Kind::Score,
    };
    let mut figure = stating
        .cloned()
        .unwrap_or_else(|| FigureRecord::new(kind, value, unit, at.0, at.1));
    figure.metric = Some(name.to_string());
    figure.value = value;
    figure
}

/// The records the values are looked up in.
struct Sources<'a> {
    keys: HashMap<&'a str, (Option<&'a str>, Option<i32>)>,
    failed: HashSet<&'a str>,
    /// (document, form) → its figures in document order.
    figures: HashMap<(&'a str, Option<u32>), Vec<&'a FigureRecord>>,
    rows: HashMap<(&'a str, u32), Vec<&'a IndicatorRecord>>,
}

impl<'a> Sources<'a> {
    fn of(records: &'a [Record]) -> Sources<'a> {
        let mut sources = Sources {
            keys: document_keys(records),
            failed: HashSet::new(),
            figures: HashMap::new(),
            rows: HashMap::new(),
        };
        for r in records {
            match r {
                Record::Document(d) if d.status != Status::Ok => {
                    sources.failed.insert(&d.doc_id);
                }
                Record::Figure(f) => {
                    sources
                        .figures
                        .entry((&f.doc_id, f.form))
                        .or_default()
                        .push(f);
                }
                Record::Indicator(i) => {
                    if let Some(form) = i.form {
                        sources.rows.entry((&i.doc_id, form)).or_default().push(i);
                    }
                }
                _ => {}
            }
        }
        sources
    }

    fn key(&self, doc_id: &str) -> (Option<&'a str>, Option<i32>) {
        self.keys.get(doc_id).copied().unwrap_or((None, None))
    }

    fn rows_of(&self, doc_id: &'a str, form: u32) -> Vec<&'a IndicatorRecord> {
        self.rows.get(&(doc_id, form)).cloned().unwrap_or_default()
    }

    /// The first figure of the form, from `line` on, that states `value` in
    /// `unit` (any unit for scores, whose cells may be read as bare numbers)
    /// and is not `taken` yet.
    fn stating(
        &self,
        doc_id: &'a str,
        form: Option<u32>,
        value: f64,
        unit: &str,
        line: u32,
        taken: &mut HashSet<(u32, usize)>,
    ) -> Option<&'a FigureRecord> {
        let figures = self.figures.get(&(doc_id, form))?;
        let found = figures.iter().copied().find(|f| {
            f.line >= line
                && f.value == value
                && (unit == "分" || f.unit == unit)
                && !taken.contains(&(f.page, f.span.start))
        })?;
        taken.insert((found.page, found.span.start));
        Some(found)
    }
}
