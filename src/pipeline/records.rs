//! One document's [`Analysis`] as records, in SPEC order: the document, its
//! forms, its figures, its listed items, its indicator rows. Everything inside
//! a form carries the form's number and project.

use std::path::Path;

use crate::analysis::{Analysis, PlacedForm};
use crate::figures::to_f64;
use crate::forms::FundsRow;
use crate::quantity::Qualifier;
use crate::record::{
    DocKind, DocumentRecord, FigureRecord, FormRecord, FundsRecord, IndicatorRecord,
    LineItemRecord, Record, Status,
};
use crate::source::Document;
use crate::table::IndicatorRow;

/// The records of a document that was read.
pub(super) fn of_document(
    path: &Path,
    doc_id: &str,
    doc: &Document,
    analysis: &Analysis,
) -> Vec<Record> {
    let info = &analysis.info;
    let mut warnings = doc.warnings.clone();
    warnings.extend(analysis.warnings.iter().cloned());
    let mut records = Vec::with_capacity(analysis.figures.len() + analysis.indicators.len() + 1);
    records.push(Record::Document(DocumentRecord {
        doc_id: doc_id.to_string(),
        path: path.display().to_string(),
        format: doc.format.into(),
        encoding: Some(doc.encoding.clone()),
        pages: doc.pages,
        chars: doc.text.chars().count(),
        doc_kind: info.doc_kind.unwrap_or(DocKind::Unknown),
        department: info.department.clone(),
        year: info.year,
        title: info.title.clone(),
        status: Status::Ok,
        error: None,
        warnings,
    }));
    let keys = Keys { doc_id, analysis };
    records.extend(
        analysis
            .forms
            .iter()
            .enumerate()
            .map(|(k, f)| keys.form(k, f)),
    );
    for (f, form) in &analysis.figures {
        let figure = keys.figure(doc, f, *form);
        // A range states two quantities: its upper end is a figure too
        // (`20-30%` gives 20 and 30), on the same text, with no metric of
        // its own (the range's metric stays with its lower end).
        let upper = upper_end(&figure);
        records.push(figure);
        records.extend(upper);
    }
    records.extend(analysis.items.iter().map(|item| keys.item(doc, item)));
    records.extend(
        analysis
            .indicators
            .iter()
            .map(|(row, form)| keys.indicator(row, *form)),
    );
    records
}

/// The figure of a range's upper end, from the range's own figure.
fn upper_end(figure: &Record) -> Option<Record> {
    let Record::Figure(lower) = figure else {
        return None;
    };
    let to = lower.range_to?;
    Some(Record::Figure(FigureRecord {
        value: to,
        metric: None,
        qualifier: Some(Qualifier::RangeTo),
        ..lower.clone()
    }))
}

/// What every record of the document carries: its document, department and
/// year, and the form it stands in.
struct Keys<'a> {
    doc_id: &'a str,
    analysis: &'a Analysis,
}

impl Keys<'_> {
    /// The number (1-based) and project of form `k`.
    fn form_keys(&self, form: Option<usize>) -> (Option<u32>, Option<String>) {
        match form {
            Some(k) => (
                Some(k as u32 + 1),
                self.analysis.forms[k].form.project.clone(),
            ),
            None => (None, None),
        }
    }

    fn form(&self, k: usize, placed: &PlacedForm) -> Record {
        let form = &placed.form;
        Record::Form(FormRecord {
            doc_id: self.doc_id.to_string(),
            form: k as u32 + 1,
            kind: form.kind,
            title: form.title.clone(),
            year: form.year.or(self.analysis.info.year),
            project: form.project.clone(),
            department: form.department.clone(),
            implementing_unit: form.implementing_unit.clone(),
            page: placed.page,
            line: placed.line,
            funds: form.funds.iter().map(funds_record).collect(),
            funds_unit: form.funds_unit.clone(),
            total_score: form.total_score.map(to_f64),
            total_weight: form.total_weight.map(to_f64),
            grade: form.grade.clone(),
            truncated: form.truncated,
        })
    }

    fn figure(&self, doc: &Document, f: &crate::extract::Figure, form: Option<usize>) -> Record {
        let info = &self.analysis.info;
        let (form, project) = self.form_keys(form);
        let confidence = doc.ocr_confidence(f.span.start, f.span.end);
        Record::Figure(FigureRecord {
            doc_id: self.doc_id.to_string(),
            form,
            project,
            department: info.department.clone(),
            year: info.year,
            kind: f.quantity.kind,
            metric: f.metric.clone(),
            label: f.label.clone(),
            value: f.value_f64(),
            resolution: Some(to_f64(f.quantity.resolution)),
            unit: f.quantity.unit.clone(),
            qualifier: match f.quantity.range {
                Some(_) => f.quantity.qualifier.or(Some(Qualifier::RangeFrom)),
                None => f.quantity.qualifier,
            },
            range_from: f.quantity.range.map(|(from, _)| to_f64(from)),
            range_to: f.quantity.range.map(|(_, to)| to_f64(to)),
            raw: doc.text[f.span.range()].to_string(),
            page: f.page,
            line: f.line,
            span: f.span,
            rule: f.rule.clone(),
            from_header: f.from_header,
            ocr: confidence.is_some(),
            // Two places: what the model's probability means to a reader.
            confidence: confidence.map(|c| (f64::from(c) * 100.0).round() / 100.0),
        })
    }

    fn item(&self, doc: &Document, item: &crate::extract::LineItem) -> Record {
        let info = &self.analysis.info;
        let (f, form) = &self.analysis.figures[item.figure];
        let (form, project) = self.form_keys(*form);
        Record::LineItem(LineItemRecord {
            doc_id: self.doc_id.to_string(),
            form,
            project,
            department: info.department.clone(),
            year: info.year,
            group: item.group.clone(),
            label: item.label.clone(),
            value: f.value_f64(),
            resolution: Some(to_f64(f.quantity.resolution)),
            unit: f.quantity.unit.clone(),
            raw: doc.text[f.span.range()].to_string(),
            page: f.page,
            line: f.line,
            span: Some(f.span),
        })
    }

    fn indicator(&self, row: &IndicatorRow, form: Option<usize>) -> Record {
        let info = &self.analysis.info;
        let (form, project) = self.form_keys(form);
        Record::Indicator(IndicatorRecord {
            doc_id: self.doc_id.to_string(),
            form,
            project,
            department: info.department.clone(),
            year: info.year,
            level1: row.level1.clone(),
            level2: row.level2.clone(),
            level3: row.level3.clone(),
            target: row.target.clone(),
            actual: row.actual.clone(),
            weight: row.weight,
            score: row.score,
            note: row.note.clone(),
            page: row.page,
            line: Some(row.line),
        })
    }
}

fn funds_record(row: &FundsRow) -> FundsRecord {
    FundsRecord {
        row: row.row,
        initial_budget: row.initial_budget.map(to_f64),
        budget: row.budget.map(to_f64),
        executed: row.executed.map(to_f64),
        weight: row.weight.map(to_f64),
        rate: row.rate.map(to_f64),
        score: row.score.map(to_f64),
    }
}
