//! One document's content put together for its records: the figures the text
//! states and those a table's or form's structure gives a unit, the forms,
//! the indicator rows each tied to the form it stands in, and the document's
//! identity completed from its forms.
//!
//! Extraction ([`crate::extract`]), indicator tables ([`crate::table`]) and
//! forms ([`crate::forms`]) each read the document on their own; this is
//! where what they found is joined (a figure inside a form carries the form).

use rust_decimal::Decimal;

use crate::extract::{Context, DocInfo, Figure, LineItem, extract_in};
use crate::forms::{Form, HeaderCell, read_forms};
use crate::quantity::{Kind, Quantity, parse_arabic};
use crate::rules::{DocKind, RuleSet};
use crate::segment::Segmenter;
use crate::source::Document;
use crate::table::{IndicatorRow, indicator_rows};
use crate::wire::Span;

/// A form with where it stands in the original text.
#[derive(Debug, Clone)]
pub struct PlacedForm {
    pub form: Form,
    /// Original byte range.
    pub span: Span,
    pub page: u32,
    pub line: u32,
}

/// Everything a document's records are made from.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub info: DocInfo,
    /// Sorted by position; each with the index (into `forms`) of its form.
    pub figures: Vec<(Figure, Option<usize>)>,
    pub items: Vec<LineItem>,
    pub forms: Vec<PlacedForm>,
    /// Each with the index of its form.
    pub indicators: Vec<(IndicatorRow, Option<usize>)>,
    pub warnings: Vec<String>,
}

/// Reads a document's figures, forms and indicator tables and joins them.
pub fn analyse(doc: &Document, rules: &RuleSet, segmenter: &Segmenter) -> Analysis {
    let ctx = Context::new(doc, rules, segmenter);
    let extraction = extract_in(&ctx);
    let forms: Vec<PlacedForm> = read_forms(&ctx)
        .into_iter()
        .map(|f| place(&ctx, f))
        .collect();
    let (rows, mut warnings) = indicator_rows(doc, rules);
    let form_of = |at: usize| {
        forms
            .iter()
            .position(|f| f.span.start <= at && at < f.span.end.max(f.span.start + 1))
    };
    let mut indicators: Vec<(IndicatorRow, Option<usize>)> = rows
        .into_iter()
        .map(|row| {
            let at = doc
                .lines
                .iter()
                .find(|l| l.number == row.line)
                .map_or(0, |l| l.start);
            let form = form_of(at);
            (row, form)
        })
        .collect();
    for (k, f) in forms.iter().enumerate() {
        indicators.extend(f.form.indicators.iter().cloned().map(|row| (row, Some(k))));
        // Rows of a table that is not tab-separated are the form reader's own
        // (it reads headers over two rows and cells missing from a row); the
        // line reader's stand in where it has none.
        let own = &f.form.separated_indicators;
        if !f.form.tab_table && !own.is_empty() {
            indicators.retain(|(_, form)| *form != Some(k));
            indicators.extend(own.iter().cloned().map(|row| (row, Some(k))));
        } else if !indicators.iter().any(|(_, form)| *form == Some(k)) {
            indicators.extend(own.iter().cloned().map(|row| (row, Some(k))));
        }
        warnings.extend(f.form.warnings.iter().cloned());
    }
    indicators.sort_by_key(|(row, _)| (row.page, row.line));
    // Line items point into the figures by index; the index changes as figures join.
    let item_spans: Vec<Span> = extraction
        .items
        .iter()
        .map(|i| extraction.figures[i.figure].span)
        .collect();
    let figures = with_structural_figures(&ctx, extraction.figures, &forms, &indicators);
    let items = reindex_items(&extraction.items, &item_spans, &figures);
    let figures = figures
        .into_iter()
        .map(|f| {
            let form = form_of(f.span.start);
            (f, form)
        })
        .collect();
    Analysis {
        info: identity(extraction.info, &forms, rules),
        figures,
        items,
        forms,
        indicators,
        warnings,
    }
}

/// The figures with the numbers the structure gives a unit, where the text
/// states none itself. A form or indicator table knows its cells better than
/// the nearest header line does: its reading replaces a header-named one.
fn with_structural_figures(
    ctx: &Context,
    mut figures: Vec<Figure>,
    forms: &[PlacedForm],
    indicators: &[(IndicatorRow, Option<usize>)],
) -> Vec<Figure> {
    let doc = ctx.doc;
    let structural = header_cells(ctx, forms)
        .chain(indicator_cells(doc, indicators))
        .chain(measured_cells(doc, ctx.rules, indicators));
    let indicator_lines: Vec<u32> = indicators.iter().map(|(row, _)| row.line).collect();
    figures.retain(|f| {
        !(f.from_header && f.quantity.kind == Kind::Score && indicator_lines.contains(&f.line))
    });
    for figure in structural.collect::<Vec<_>>() {
        figures.retain(|f| !(f.from_header && overlaps(f.span, figure.span)));
        if !figures.iter().any(|f| overlaps(f.span, figure.span)) {
            figures.push(figure);
        }
    }
    figures.sort_by_key(|f| f.span);
    figures
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// The items with their figure index into the final, sorted figures.
fn reindex_items(items: &[LineItem], spans: &[Span], figures: &[Figure]) -> Vec<LineItem> {
    items
        .iter()
        .zip(spans)
        .filter_map(|(item, span)| {
            let figure = figures.iter().position(|f| f.span == *span)?;
            Some(LineItem {
                figure,
                ..item.clone()
            })
        })
        .collect()
}

/// A form with its place in the original text.
fn place(ctx: &Context, form: Form) -> PlacedForm {
    let span = Span::from(ctx.folded.original_span(form.start, form.end));
    let line = ctx.doc.line_at(span.start);
    PlacedForm {
        page: line.page,
        line: line.number,
        span,
        form,
    }
}

/// The figures of the forms' cells (funds block, 总分) that are bare numbers.
fn header_cells<'a>(
    ctx: &'a Context,
    forms: &'a [PlacedForm],
) -> impl Iterator<Item = Figure> + 'a {
    forms
        .iter()
        .flat_map(|f| f.form.cells.iter())
        .map(move |cell| cell_figure(ctx, cell))
}

fn cell_figure(ctx: &Context, cell: &HeaderCell) -> Figure {
    let span = Span::from(ctx.folded.original_span(cell.start, cell.end));
    let line = ctx.doc.line_at(span.start);
    Figure {
        quantity: Quantity {
            start: cell.start,
            end: cell.end,
            kind: cell.kind,
            unit: cell.unit.clone(),
            value: cell.value,
            qualifier: None,
            written_scale: 0,
            resolution: cell.resolution,
            range: None,
        },
        metric: cell.metric.clone(),
        label: cell.label.clone(),
        span,
        page: line.page,
        line: line.number,
        rule: "forms.cell".into(),
        from_header: !cell.written_unit,
    }
}

/// The figures of indicator rows' 分值 and 得分 cells.
fn indicator_cells<'a>(
    doc: &'a Document,
    rows: &'a [(IndicatorRow, Option<usize>)],
) -> impl Iterator<Item = Figure> + 'a {
    rows.iter().flat_map(move |(row, _)| {
        let levels = row
            .level_weights
            .iter()
            .map(|l| (Some(l.value), l.at, format!("{} 分值", l.level)));
        levels
            .chain([
                (row.weight, row.weight_at, format!("{} 分值", row.level3)),
                (row.score, row.score_at, format!("{} 得分", row.level3)),
            ])
            .filter_map(move |(value, at, label)| {
                let (_, (start, end)) = (value?, at?);
                let written = doc.text[start..end]
                    .trim()
                    .trim_end_matches('分')
                    .trim_end();
                let (number, scale) =
                    parse_arabic(&crate::source::NormalizedText::folded(written))?;
                let line = doc.line_at(start);
                Some(Figure {
                    quantity: Quantity {
                        start,
                        end,
                        kind: Kind::Score,
                        unit: "分".into(),
                        value: number,
                        qualifier: None,
                        written_scale: scale,
                        resolution: Decimal::new(1, scale),
                        range: None,
                    },
                    metric: None,
                    label,
                    span: Span { start, end },
                    page: line.page,
                    line: line.number,
                    rule: "tables.cell".into(),
                    from_header: true,
                })
            })
    })
}

/// The figures of indicator rows' bare numbers whose unit the row's 度量单位
/// cell (`72890 | 元`) or their column gives: read as the number followed by
/// that unit, and only when the unit makes the two one quantity.
fn measured_cells<'a>(
    doc: &'a Document,
    rules: &'a RuleSet,
    rows: &'a [(IndicatorRow, Option<usize>)],
) -> impl Iterator<Item = Figure> + 'a {
    rows.iter().flat_map(move |(row, _)| {
        row.measured.iter().filter_map(move |measured| {
            let (start, end) = measured.at;
            let written = format!("{}{}", doc.text[start..end].trim(), measured.unit);
            let folded = crate::source::NormalizedText::folded(&written);
            let quantity = rules
                .units
                .scan(&folded)
                .into_iter()
                .find(|q| q.start == 0 && q.end == folded.len())?;
            let line = doc.line_at(start);
            Some(Figure {
                quantity: Quantity {
                    start,
                    end,
                    ..quantity
                },
                metric: None,
                label: row.level3.clone(),
                span: Span { start, end },
                page: line.page,
                line: line.number,
                rule: "tables.unit_cell".into(),
                from_header: true,
            })
        })
    })
}

/// The document's kind, department and year, completed from its forms: a
/// form document's reporting body is its first form's (the 实施单位 when it
/// names one, else the 主管部门); what the text says of itself comes first
/// otherwise.
fn identity(mut info: DocInfo, forms: &[PlacedForm], rules: &RuleSet) -> DocInfo {
    let Some(first) = forms.first().map(|f| &f.form) else {
        return info;
    };
    let body = first
        .reporting_body(&rules.forms.generic_unit)
        .map(str::to_string);
    let form_document = info.doc_kind.is_none_or(|k| {
        matches!(
            k,
            DocKind::ProjectSelfEvalForm
                | DocKind::OverallSelfEvalForm
                | DocKind::TransferSelfEvalForm
        )
    });
    if body.is_some() && (form_document || info.department.is_none()) {
        info.department = body;
    }
    info.doc_kind = info.doc_kind.or(Some(first.kind));
    info.year = info.year.or(first.year);
    info
}
