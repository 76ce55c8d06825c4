//! The indicator table of a form whose cells ran together (the whole form
//! flattened onto one line): its header words give the columns, and the text
//! after them is cut into cells where the language says a cell ends — a level
//! name, a quantity with its unit (`50件`), a run of digits (`2020` for 分值 20
//! and 得分 20), a value written twice (`合格合格`: the target and the actual) —
//! for [`crate::table::read_stream`] to find the rows.
//!
//! Tables whose cells are separated (tabs, pipes, lines) are read by
//! [`crate::table`] from the document's lines.

use std::sync::LazyLock;

use regex::Regex;

use super::stream::Token;
use crate::extract::Context;
use crate::rules::forms::Role;
use crate::table::stream::{CellClass, StreamCell};
use crate::table::{IndicatorRow, cell_class, read_stream};

/// The header of an indicator table starting at token `i`: its columns
/// (indices into the table rules' columns) and the index of the token after it.
pub(super) fn header(tokens: &[Token], i: usize) -> Option<(Vec<usize>, usize)> {
    let mut columns = Vec::new();
    let mut k = i;
    while let Some(token) = tokens.get(k) {
        if let Some(c) = token.role(|r| match r {
            Role::TableColumn(c) => Some(c),
            _ => None,
        }) {
            columns.push(c);
        } else if !token.is_value() || token.end - token.start > 12 {
            // A short value between header words is a note in a header cell
            // ((根据项目方案填写)); anything else ends the header.
            break;
        }
        k += 1;
    }
    (columns.len() >= 3).then_some((columns, k))
}

/// Whether a header's words ran together in one cell (a flattened table).
pub(super) fn flattened(tokens: &[Token], from: usize, to: usize) -> bool {
    let words = tokens[from..to].iter().filter(|t| !t.is_value()).count();
    let starts = tokens[from..to]
        .iter()
        .filter(|t| !t.is_value() && t.cell_start)
        .count();
    words >= 3 && starts * 2 < words
}

/// The rows of a flattened table: header `columns`, body `tokens` (up to the
/// table's end).
pub(super) fn read(
    ctx: &Context,
    columns: &[usize],
    tokens: &[Token],
) -> (Vec<IndicatorRow>, Vec<String>) {
    let mut cells: Vec<StreamCell> = Vec::new();
    for token in tokens {
        let text = token.text(&ctx.folded.text);
        let level = token.is(|r| matches!(r, Role::Level1 | Role::Level2));
        // A short level name glued to the text before it (演出人员满意度) ends
        // a name; the 指标 names (数量指标) stand for themselves.
        let inside_name =
            !text.ends_with('标') && cells.last().is_some_and(|c| c.class == CellClass::Text);
        if level && !inside_name {
            cells.push(stream_cell(ctx, token.start, token.end));
        } else if level {
            let last = cells.len() - 1;
            let (start, _) = cells[last].span.unwrap_or((token.start, token.start));
            cells[last] = stream_cell(ctx, start, token.end);
            cells[last].class = CellClass::Text;
        } else if token.start < token.end {
            cut_value(ctx, token.start, text, &mut cells);
        }
    }
    let (mut rows, warnings) = read_stream(&cells, columns, &ctx.rules.tables);
    // The rows' 分值/得分 stand at folded offsets; records need the original's.
    for row in &mut rows {
        row.weight_at = row.weight_at.map(|(a, b)| ctx.folded.original_span(a, b));
        row.score_at = row.score_at.map(|(a, b)| ctx.folded.original_span(a, b));
    }
    (rows, warnings)
}

/// A cell of the folded range `start..end`, its text as the original writes it.
fn stream_cell(ctx: &Context, start: usize, end: usize) -> StreamCell {
    let text = ctx.original(start, end).trim().to_string();
    let class = cell_class(&ctx.folded.text[start..end], &ctx.rules.tables);
    let (a, _) = ctx.folded.original_span(start, end);
    let line = ctx.doc.line_at(a);
    StreamCell {
        text,
        class,
        span: Some((start, end)),
        page: line.page,
        line: line.number,
    }
}

/// A comparison written before a value (≥95%, 不低于90%).
static SIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[≥≤><=＝﹦≧≦]=?|不低于|不高于|不少于|不超过|大于|小于|约)\s*$")
        .expect("valid sign pattern")
});

/// Digits at the edge of a piece of text: a cell of their own.
static EDGE_DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)?|\d+(?:\.\d+)?$").expect("valid digits pattern"));

/// Cuts the folded text of a value (at `start`) into cells: quantities with
/// their unit and comparison, digits at the edges of text, and text.
fn cut_value(ctx: &Context, start: usize, text: &str, cells: &mut Vec<StreamCell>) {
    let text_start = start;
    let mut at = 0;
    for q in ctx.rules.units.scan(text) {
        let sign = SIGN
            .find(&text[at..q.start])
            .map_or(q.start, |m| at + m.start());
        cut_text(ctx, text_start + at, &text[at..sign], at > 0, cells);
        cells.push(stream_cell(ctx, text_start + sign, text_start + q.end));
        if let Some(cell) = cells.last_mut() {
            cell.class = CellClass::Value;
        }
        at = q.end;
    }
    cut_text(ctx, text_start + at, &text[at..], at > 0, cells);
}

/// Text between quantities: digits at its end, or at its start right after a
/// quantity, are cells of their own (a run that may be 分值 and 得分), and a
/// value written twice at its end is the target and the actual.
fn cut_text(
    ctx: &Context,
    start: usize,
    text: &str,
    after_quantity: bool,
    cells: &mut Vec<StreamCell>,
) {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = start + (text.len() - text.trim_start().len());
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut rest = (0, trimmed.len());
    let leading = EDGE_DIGITS
        .find(trimmed)
        .filter(|m| after_quantity && m.start() == 0 && m.end() < trimmed.len());
    if let Some(m) = leading {
        pieces.push((0, m.end()));
        rest.0 = m.end();
    }
    let tail = EDGE_DIGITS
        .find_iter(&trimmed[rest.0..])
        .last()
        .map(|m| (rest.0 + m.start(), rest.0 + m.end()))
        .filter(|&(_, e)| e == trimmed.len());
    if let Some((a, _)) = tail {
        rest.1 = a;
    }
    if rest.0 < rest.1 {
        pieces.extend(
            doubled(&trimmed[rest.0..rest.1])
                .into_iter()
                .map(|(a, b)| (rest.0 + a, rest.0 + b)),
        );
    }
    pieces.extend(tail);
    for (a, b) in pieces {
        let mut cell = stream_cell(ctx, start + a, start + b);
        let digits = &trimmed[a..b];
        if digits.chars().all(|c| c.is_ascii_digit())
            && (digits.len() >= 4 || digits.parse::<u32>().is_ok_and(|v| v > 100))
        {
            cell.class = CellClass::Run(digits.to_string());
        }
        cells.push(cell);
    }
}

/// `质量等合格合格` → `质量等`, `合格`, `合格`: a short value written twice at the
/// end of a cell is a target and its actual, the cells between them lost.
/// Byte ranges within `text`.
fn doubled(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    for k in (1..=8).rev() {
        if 2 * k >= n {
            continue;
        }
        let second = &chars[n - k..];
        let first = &chars[n - 2 * k..n - k];
        let same = first.iter().zip(second).all(|(a, b)| a.1 == b.1);
        let wordy = second
            .iter()
            .all(|(_, c)| c.is_alphabetic() && !c.is_ascii_digit());
        if same && wordy {
            let (a, b) = (first[0].0, second[0].0);
            return vec![(0, a), (a, b), (b, text.len())];
        }
    }
    vec![(0, text.len())]
}

#[cfg(test)]
mod tests {
    use super::doubled;

    #[test]
    fn a_value_written_twice_is_target_and_actual() {
        let text = "质量等合格合格";
        let got: Vec<&str> = doubled(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        assert_eq!(got, ["质量等", "合格", "合格"]);
        assert_eq!(doubled("满意度"), [(0, "满意度".len())]);
    }
}
