//! Indicator tables exported one cell per line: the lines are the cells of a
//! stream whose rows [`stream`] finds by the header's shape.

use super::stream::{self, StreamCell};
use super::{Builder, Col, TableRead, classify, clean, matches_any, number};
use crate::rules::TableRules;
use crate::source::Document;

/// Reads a one-cell-per-line table whose first row starts at line `start`.
pub(super) fn line_table(
    doc: &Document,
    start: usize,
    header: &[Option<Col>],
    rules: &TableRules,
) -> TableRead {
    let columns: Vec<Col> = header.iter().flatten().copied().collect();
    let (cells, next) = cells(doc, start, rules);
    let mut builder = Builder::default();
    stream::read(
        &cells,
        &columns,
        stream::StreamLayout::default(),
        &mut builder,
    );
    (builder.rows, builder.warnings, next)
}

/// The table's cells from line `start` to the end row, and the index of the
/// line after the table. Rows the rules skip are left out with their numbers.
fn cells(doc: &Document, start: usize, rules: &TableRules) -> (Vec<StreamCell>, usize) {
    let mut cells = Vec::new();
    let mut dropping_numbers = false;
    let mut i = start;
    while i < doc.lines.len() {
        let line = &doc.lines[i];
        i += 1;
        let text = clean(doc.line_text(line), rules);
        if line.furniture || text.is_empty() {
            continue;
        }
        if matches_any(&rules.end_rows, &text) {
            break;
        }
        if matches_any(&rules.skip_rows, &text) {
            // The skipped row's own numbers follow it.
            dropping_numbers = true;
            continue;
        }
        if number(&text).is_some() && dropping_numbers {
            continue;
        }
        dropping_numbers = false;
        let raw = doc.line_text(line);
        let lead = raw.len() - raw.trim_start().len();
        let span = (line.start + lead, line.start + raw.trim_end().len());
        cells.push(StreamCell {
            class: classify(&text, rules),
            text,
            span: Some(span),
            page: line.page,
            line: line.number,
        });
    }
    (cells, i)
}
