//! Indicator tables exported one cell per line: each row is its text cells
//! (merged ones absent) followed by 分值 and 得分; a row's note, if any, comes
//! first in the next run of text cells and is told apart by counting cells.

use super::{Builder, Col, RawRow, TableRead, clean, level1_name, matches_any, number};
use crate::rules::TableRules;
use crate::source::Document;
use crate::text::join_wrapped;

/// A cell of a one-cell-per-line table.
struct Token {
    text: String,
    number: Option<f64>,
    page: u32,
    line: u32,
}

/// A row as the cells come: its text cells, then the run of numbers that ends it.
struct Group {
    texts: Vec<Token>,
    numbers: Vec<Token>,
}

/// What a row's text cells are read against.
struct Columns<'r> {
    /// The text columns in header order, before 分值 (the note excepted).
    text: Vec<Col>,
    has_note: bool,
    rules: &'r TableRules,
}

/// Reads a one-cell-per-line table whose first row starts at line `start`.
pub(super) fn line_table(
    doc: &Document,
    start: usize,
    header: &[Option<Col>],
    rules: &TableRules,
) -> TableRead {
    let columns = Columns {
        text: header
            .iter()
            .flatten()
            .copied()
            .take_while(|c| !matches!(c, Col::Weight | Col::Score))
            .filter(|c| *c != Col::Note)
            .collect(),
        has_note: header.contains(&Some(Col::Note)),
        rules,
    };
    let (tokens, next) = tokens(doc, start, rules);
    let (groups, pending) = group_rows(tokens);
    let mut builder = Builder::default();
    for group in groups {
        push_group(&mut builder, group, &columns);
    }
    // Text after the last row's 得分 is its note.
    if !pending.is_empty() {
        let note: Vec<&str> = pending.iter().map(|t| t.text.as_str()).collect();
        match builder.rows.last_mut() {
            Some(prev) if columns.has_note => join_wrapped(&mut prev.note, &note.join("")),
            _ => builder.warnings.push(format!(
                "line {}: indicator table text after the last row, skipped",
                pending[0].line
            )),
        }
    }
    (builder.rows, builder.warnings, next)
}

/// The table's cells from line `start` to the end row, and the index of the
/// line after the table. Rows the rules skip are left out with their numbers.
fn tokens(doc: &Document, start: usize, rules: &TableRules) -> (Vec<Token>, usize) {
    let mut tokens = Vec::new();
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
        let number = number(&text);
        if number.is_some() && dropping_numbers {
            continue;
        }
        dropping_numbers = false;
        tokens.push(Token {
            text,
            number,
            page: line.page,
            line: line.number,
        });
    }
    (tokens, i)
}

/// Cuts the cells into rows: text cells, then a run of numbers ends the row.
/// Returns the rows and the text cells after the last one.
fn group_rows(tokens: Vec<Token>) -> (Vec<Group>, Vec<Token>) {
    let mut texts: Vec<Token> = Vec::new();
    let mut numbers: Vec<Token> = Vec::new();
    let mut groups = Vec::new();
    for token in tokens {
        if token.number.is_some() {
            numbers.push(token);
        } else {
            if !numbers.is_empty() {
                groups.push(Group {
                    texts: std::mem::take(&mut texts),
                    numbers: std::mem::take(&mut numbers),
                });
            }
            texts.push(token);
        }
    }
    if !numbers.is_empty() {
        groups.push(Group {
            texts: std::mem::take(&mut texts),
            numbers,
        });
    }
    (groups, texts)
}

/// One row: its last two numbers are 分值 and 得分; text cells that fit no
/// column of the row are the previous row's note.
fn push_group(builder: &mut Builder, group: Group, columns: &Columns) {
    let Group {
        mut texts,
        mut numbers,
    } = group;
    if numbers.len() < 2 {
        let at = numbers.first().map_or(0, |t| t.line);
        builder.warnings.push(format!(
            "line {at}: indicator row without both 分值 and 得分, skipped"
        ));
        return;
    }
    let score = numbers.pop().and_then(|t| t.number);
    let weight = numbers.pop().and_then(|t| t.number);
    // Leading numbers of the run are numeric text cells (实际完成值 12).
    texts.extend(numbers);
    let level1_at = texts
        .iter()
        .position(|t| level1_name(&t.text, columns.rules).is_some());
    let room = match level1_at {
        Some(_) => columns.text.len(),
        None => columns.text.len().saturating_sub(1),
    };
    let excess = level1_at.unwrap_or(texts.len().saturating_sub(room));
    let leading: Vec<Token> = texts.drain(..excess.min(texts.len())).collect();
    if !leading.is_empty() {
        let note: Vec<&str> = leading.iter().map(|t| t.text.as_str()).collect();
        match builder.rows.last_mut() {
            Some(prev) if columns.has_note => join_wrapped(&mut prev.note, &note.join("")),
            _ => builder.warnings.push(format!(
                "line {}: indicator table cells that fit no column, skipped",
                leading[0].line
            )),
        }
    }
    let Some(first) = texts.first().or(leading.first()) else {
        return;
    };
    let mut raw = RawRow {
        weight,
        score,
        page: first.page,
        line: first.line,
        ..RawRow::default()
    };
    let mut rest = &texts[..];
    if level1_at.is_some() {
        raw.level1 = level1_name(&texts[0].text, columns.rules);
        rest = &texts[1..];
    }
    if rest.len() >= columns.text.len() {
        // More cells than columns after level 1: no reading is safe.
        builder.warnings.push(format!(
            "line {}: indicator row with more cells than the header has columns, skipped",
            raw.line
        ));
        return;
    }
    // Merged (absent) cells are the leading ones: align the rest right.
    let cols = &columns.text[columns.text.len().saturating_sub(rest.len())..];
    for (col, token) in cols.iter().zip(rest) {
        raw.cells.insert(*col, token.text.clone());
    }
    builder.push(raw);
}
