//! Indicator tables whose rows are rows of cells (tab-separated, `|` pipe).

use std::sync::LazyLock;

use regex::Regex;

use super::{
    Builder, Col, RawRow, TableRead, level1_name, matches_any, number, number_at, split_cells,
};
use crate::cells::Row;
use crate::rules::TableRules;
use crate::source::Document;

/// A markdown separator row (`|---|:--:|`).
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s\-:=+]+$").expect("valid regex"));

/// Where the header puts each column.
struct Header<'h> {
    cols: &'h [Option<Col>],
    level1: usize,
    level3: usize,
}

impl Header<'_> {
    fn index_of(&self, col: Col) -> Option<usize> {
        self.cols.iter().position(|c| *c == Some(col))
    }
}

/// Reads tab or pipe rows after a header row starting at line `start`.
pub(super) fn row_table(
    doc: &Document,
    start: usize,
    cols: &[Option<Col>],
    rules: &TableRules,
) -> TableRead {
    let header = Header {
        cols,
        level1: cols
            .iter()
            .position(|c| *c == Some(Col::Level1))
            .unwrap_or(0),
        level3: cols
            .iter()
            .position(|c| *c == Some(Col::Level3))
            .unwrap_or(0),
    };
    let mut builder = Builder::default();
    let mut i = start;
    while i < doc.lines.len() {
        let line = &doc.lines[i];
        let text = doc.line_text(line);
        i += 1;
        if line.furniture || text.replace('\x0c', "").trim().is_empty() {
            // Blank lines come from page breaks inside the table.
            continue;
        }
        let Some(cells) = split_cells(text, rules) else {
            // Text that is not a row ends the table.
            i -= 1;
            break;
        };
        let Some(first) = cells.iter().find(|c| !c.is_empty()) else {
            continue;
        };
        if cells.iter().all(|c| c.is_empty() || SEPARATOR.is_match(c)) {
            continue;
        }
        if matches_any(&rules.end_rows, first) {
            break;
        }
        if matches_any(&rules.skip_rows, first) {
            continue;
        }
        let spans: Vec<(usize, usize)> = Row::split(text)
            .ranges()
            .map(|r| (line.start + r.start, line.start + r.end))
            .collect();
        let mut raw = raw_row(&cells, &header, rules, line.page, line.number);
        raw.weight_at = raw.weight_cell.and_then(|k| number_at(&doc.text, spans[k]));
        raw.score_at = raw.score_cell.and_then(|k| number_at(&doc.text, spans[k]));
        raw.measured_at = (raw.measured_cells.iter())
            .filter_map(|&k| number_at(&doc.text, spans[k]))
            .collect();
        builder.push(raw);
    }
    (builder.rows, builder.warnings, i)
}

/// The cells of one row placed in their columns. The row is re-aligned on its
/// level-1 cell (a merged cell before it may be missing, which moves the row
/// left of the header), and the cells right of 三级指标 on 分值 (a cell lost
/// between them moves 分值/得分 left, and the text cells with them).
fn raw_row(cells: &[String], header: &Header, rules: &TableRules, page: u32, line: u32) -> RawRow {
    let found = cells
        .iter()
        .take(header.level1 + 1)
        .enumerate()
        .find_map(|(k, c)| level1_name(c, rules).map(|name| (k, name)));
    let offset = found.as_ref().map_or(0, |(k, _)| header.level1 - k);
    let index_at = |col: Col| -> Option<usize> {
        let at = header.index_of(col)?.checked_sub(offset)?;
        (at < cells.len()).then_some(at)
    };
    let cell_at = |col: Col| index_at(col).map(|k| &cells[k]);
    // 分值 and 得分 are shares of 100 points: a bigger number is another column's.
    let points = |k: usize| number(&cells[k]).is_some_and(|v| v <= 100.0);
    let numeric = |k: Option<usize>| k.filter(|&k| points(k));
    let mut weight_cell = numeric(index_at(Col::Weight));
    let mut score_cell = numeric(index_at(Col::Score));
    let mut tail_offset = offset as isize;
    if weight_cell.is_none() || score_cell.is_none() {
        // 分值 and 得分 are the last two numeric cells after 三级指标.
        let numbers: Vec<usize> = (0..cells.len())
            .skip((header.level3 + 1).saturating_sub(offset))
            .filter(|&k| points(k))
            .collect();
        if let [.., w, s] = numbers[..] {
            weight_cell = Some(w);
            score_cell = Some(s);
            if let Some(at) = header.index_of(Col::Weight) {
                tail_offset = at as isize - w as isize;
            }
        }
    }
    let mut raw = RawRow {
        level1: found.map(|(_, name)| name),
        weight: weight_cell.and_then(|k| number(&cells[k])),
        score: score_cell.and_then(|k| number(&cells[k])),
        weight_cell,
        score_cell,
        page,
        line,
        ..RawRow::default()
    };
    for col in [Col::Level2, Col::Level3] {
        if let Some(c) = cell_at(col) {
            raw.cells.insert(col, c.clone());
        }
    }
    let level3_cell = header.level3.checked_sub(offset);
    for col in [Col::Nature, Col::Target, Col::Unit, Col::Actual, Col::Note] {
        let Some(at) = header
            .index_of(col)
            .and_then(|at| usize::try_from(at as isize - tail_offset).ok())
        else {
            continue;
        };
        // Never reach back into 三级指标 or the cells before it.
        if level3_cell.is_some_and(|l3| at <= l3) {
            continue;
        }
        if let Some(c) = cells.get(at) {
            raw.cells.insert(col, c.clone());
            // A bare target or actual value takes its unit from the 度量单位 cell.
            let unit_column = header.index_of(Col::Unit).is_some();
            if unit_column && matches!(col, Col::Target | Col::Actual) && number(c).is_some() {
                raw.measured_cells.push(at);
            }
        }
    }
    raw
}
