//! The indicator table of a form read from the form's tokens. Where its cells
//! ran together (the whole form flattened onto one line) its header words give
//! the columns, and the text
//! after them is cut into cells where the language says a cell ends — a level
//! name, a quantity with its unit (`50件`), a run of digits (`2020` for 分值 20
//! and 得分 20), a value written twice (`合格合格`: the target and the actual) —
//! for [`crate::table::read_stream`] to find the rows.
//!
//! A table whose cells are separated (tabs, pipes, lines) is read by
//! [`crate::table`] from the document's lines; when that finds no rows in a
//! form (a header over two rows, `text |` cells), the form's own tokens are
//! read here the same way, as separated cells.

use std::sync::LazyLock;

use regex::Regex;

use super::stream::Token;
use crate::extract::Context;
use crate::rules::forms::Role;
use crate::rules::{TABLE_COLUMNS, TableRules};
use crate::table::stream::{CellClass, StreamCell, StreamLayout};
use crate::table::{IndicatorRow, cell_class, read_stream};

/// An indicator table's header as the form reader found it.
pub(super) struct TableHeader {
    /// The columns, indices into the table rules' columns, in reading order.
    pub columns: Vec<usize>,
    /// The token after the header.
    pub body: usize,
}

/// The header of an indicator table starting at token `i`. A header written
/// over two rows (年度指标值 over 指标性质 | 指标值 | 度量单位) gives its words out
/// of order: they are put in the standard order (一级 二级 三级 性质 指标值 单位
/// 完成值 分值 得分 备注). A scoring rubric (一级指标 分值 二级指标 分值 三级指标
/// 分值 评价标准 指标说明 得分) keeps its order: a 分值 right after a level is
/// that level's weight. A second row whose every column subdivides one of the
/// first's (`within` in tables.toml) takes their places instead.
pub(super) fn header(
    text: &str,
    tokens: &[Token],
    i: usize,
    rules: &TableRules,
) -> Option<TableHeader> {
    let mut columns: Vec<usize> = Vec::new();
    // Where the header's second line starts, as an index into `columns`.
    let mut second_line = None;
    let mut last_end = None;
    let mut k = i;
    while let Some(token) = tokens.get(k) {
        if let Some(c) = token.role(|r| match r {
            Role::TableColumn(c) => Some(c),
            _ => None,
        }) {
            let breaks = last_end.is_some_and(|e: usize| text[e..token.start].contains('\n'));
            if breaks && second_line.is_none() {
                second_line = Some(columns.len());
            }
            last_end = Some(token.end);
            columns.push(c);
        } else if !token.is_value() || token.end - token.start > 12 {
            // A short value or a blank cell between header words is a note in
            // a header cell ((根据项目方案填写)); anything else ends the header.
            break;
        }
        k += 1;
    }
    level_weights(&mut columns, rules);
    let names: Vec<&str> = columns
        .iter()
        .map(|&c| rules.columns[c].name.as_str())
        .collect();
    if columns.len() < 3 || !names.contains(&"level3") {
        return None;
    }
    let level = |n: &str| matches!(n, "level1" | "level2" | "level_weight" | "level3");
    let first_value = names.iter().position(|n| !level(n)).unwrap_or(names.len());
    let repeated = names
        .iter()
        .enumerate()
        .any(|(a, n)| names[..a].contains(n) && *n != "level_weight");
    if repeated || names[first_value..].iter().any(|n| level(n)) {
        columns = second_line
            .and_then(|at| subdivided(&columns, at, rules))
            .unwrap_or_else(|| standard_order(&columns, rules));
    }
    // The body starts after trailing blank cells of the header row.
    while tokens.get(k).is_some_and(|t| t.start == t.end) {
        k += 1;
    }
    Some(TableHeader { columns, body: k })
}

/// Whether a header (its tokens) names a column of sentences
/// ([`TableRules::prose_headers`]: 评价标准, 指标说明).
pub(super) fn names_sentences(ctx: &Context, header: &[Token]) -> bool {
    header.iter().any(|token| {
        let word = crate::text::fold_for_match(token.text(&ctx.folded.text));
        ctx.rules
            .tables
            .prose_headers
            .iter()
            .any(|p| p.is_match(&word))
    })
}

/// A 分值/得分/权重 column right after a level-1 or level-2 column is that
/// level's weight; right after 三级指标, with a 得分 still to come, it is the
/// row's 分值 (a rubric writing 得分 for every weight).
fn level_weights(columns: &mut [usize], rules: &TableRules) {
    let index = |name: &str| rules.columns.iter().position(|c| c.name == name);
    let (Some(level_weight), Some(weight)) = (index("level_weight"), index("weight")) else {
        return;
    };
    let name = |c: usize| rules.columns[c].name.as_str();
    for k in 1..columns.len() {
        let numeric = matches!(name(columns[k]), "weight" | "score");
        match name(columns[k - 1]) {
            "level1" | "level2" if numeric => columns[k] = level_weight,
            "level3"
                if name(columns[k]) == "score"
                    && columns[k + 1..].iter().any(|&c| name(c) == "score") =>
            {
                columns[k] = weight;
            }
            _ => {}
        }
    }
}

/// A header over two rows where each column of the second (from `at`)
/// subdivides a column of the first (符号 | 单位 under 预期指标值; 单项指标得分 |
/// 权重占比 | 折算得分 under 自评得分): each first-row column replaced by its
/// parts in the standard order, itself among them when no part has its name
/// (the value between 符号 and 单位). `None` when a column of the second row
/// subdivides none of the first.
fn subdivided(columns: &[usize], at: usize, rules: &TableRules) -> Option<Vec<usize>> {
    let (first, second) = columns.split_at(at);
    let name = |c: usize| rules.columns[c].name.as_str();
    let parent_of = |c: usize| {
        first.iter().position(|&p| {
            name(p) == name(c) || rules.columns[c].within.as_deref() == Some(name(p))
        })
    };
    let parents: Vec<usize> = second
        .iter()
        .map(|&c| parent_of(c))
        .collect::<Option<_>>()?;
    let rank = |c: usize| TABLE_COLUMNS.iter().position(|n| *n == name(c));
    let mut out = Vec::new();
    for (k, &p) in first.iter().enumerate() {
        let mut parts: Vec<usize> = (second.iter().zip(&parents))
            .filter(|&(_, &parent)| parent == k)
            .map(|(&c, _)| c)
            .collect();
        if !parts.iter().any(|&c| name(c) == name(p)) {
            parts.push(p);
        }
        parts.sort_by_key(|&c| rank(c));
        out.extend(parts);
    }
    Some(out)
}

/// The header's columns once each, in the standard order of the national forms.
fn standard_order(columns: &[usize], rules: &TableRules) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for name in TABLE_COLUMNS {
        // A level's own weight has no place among the national form's columns.
        if *name == "level_weight" {
            continue;
        }
        if let Some(&c) = columns.iter().find(|&&c| rules.columns[c].name == *name) {
            out.push(c);
        }
    }
    out
}

/// Whether a header's words ran together in one cell (a flattened table);
/// words that stand apart, between separators or spaces, are a separated
/// header (`一级指标 二级指标 三级指标 …`).
pub(super) fn flattened(text: &str, tokens: &[Token], from: usize, to: usize) -> bool {
    let words = tokens[from..to].iter().filter(|t| !t.is_value()).count();
    let apart = tokens[from..to]
        .iter()
        .filter(|t| {
            let spaced_before = text[..t.start].ends_with(char::is_whitespace);
            let spaced_after = text[t.end..].starts_with(char::is_whitespace);
            !t.is_value() && (t.cell_start || spaced_before && spaced_after)
        })
        .count();
    words >= 3 && apart * 2 < words
}

/// The rows of an indicator table: header `columns`, body `tokens` (up to the
/// table's end). A flattened table's values are cut into cells by the
/// language ([`cut_value`]); a separated one's are cells already, except a
/// row written with single spaces between its cells, which is cut there.
pub(super) fn read(
    ctx: &Context,
    columns: &[usize],
    tokens: &[Token],
    flattened: bool,
    layout: StreamLayout,
) -> (Vec<IndicatorRow>, Vec<String>) {
    let prose = layout.prose;
    let mut cells: Vec<StreamCell> = Vec::new();
    let cutter = Cutter {
        ctx,
        phrases: if flattened {
            repeated_phrases(ctx, tokens)
        } else {
            Vec::new()
        },
    };
    // A rubric's sentences hold words of the forms' vocabulary (预算数,
    // 年初预算): a sentence runs on over them, to the next level name or cell.
    let mut sentence: Option<(usize, usize)> = None;
    let flush = |sentence: &mut Option<(usize, usize)>, cells: &mut Vec<StreamCell>| {
        if let Some((a, b)) = sentence.take() {
            sentence_cells(ctx, a, &ctx.folded.text[a..b], cells);
        }
    };
    for token in tokens {
        let text = token.text(&ctx.folded.text);
        let level = token.is(|r| matches!(r, Role::Level1 | Role::Level2));
        if prose && token.start < token.end && !level {
            let joins = sentence.is_some_and(|(_, b)| {
                !token.cell_start && ctx.folded.text[b..token.start].trim().is_empty()
            });
            if !joins {
                flush(&mut sentence, &mut cells);
            }
            let start = sentence.map_or(token.start, |(a, _)| a);
            sentence = Some((start, token.end));
            continue;
        }
        if prose {
            flush(&mut sentence, &mut cells);
        }
        // A short level name glued to the text before it (演出人员满意度) ends
        // a name; the 指标 names (数量指标) stand for themselves.
        // A phrase the rows repeat (达成预期指标) is a whole cell: a level name
        // after it opens the next row.
        // Between separated cells, only a word glued to the text before it
        // (受助对象满意度) is inside a name.
        let inside_name = !text.ends_with('标')
            && cells.last().is_some_and(|c| {
                let folded = c.span.map(|(a, b)| &ctx.folded.text[a..b]);
                let glued = c.span.is_some_and(|(_, b)| b == token.start);
                c.class == CellClass::Text
                    && (flattened || glued)
                    && !cutter.phrases.iter().any(|p| Some(p.as_str()) == folded)
            });
        if token.start == token.end {
            continue;
        } else if level && !inside_name {
            cells.push(stream_cell(ctx, token.start, token.end));
        } else if level {
            let last = cells.len() - 1;
            let (start, _) = cells[last].span.unwrap_or((token.start, token.start));
            cells[last] = stream_cell(ctx, start, token.end);
            cells[last].class = CellClass::Text;
        } else if weighted_names(ctx, token.start, text, &mut cells) {
        } else if flattened {
            cut_value(&cutter, token.start, text, &mut cells);
        } else {
            separated_cells(ctx, token.start, text, &mut cells);
        }
    }
    flush(&mut sentence, &mut cells);
    let (mut rows, warnings) = read_stream(&cells, columns, layout, &ctx.rules.tables);
    to_original_offsets(ctx, &mut rows);
    (rows, warnings)
}

/// The rows' numbers stand at folded offsets; records need the original's.
fn to_original_offsets(ctx: &Context, rows: &mut [IndicatorRow]) {
    for row in rows {
        row.weight_at = row.weight_at.map(|(a, b)| ctx.folded.original_span(a, b));
        row.score_at = row.score_at.map(|(a, b)| ctx.folded.original_span(a, b));
        for measured in &mut row.measured {
            measured.at = ctx.folded.original_span(measured.at.0, measured.at.1);
        }
        for level in &mut row.level_weights {
            level.at = level.at.map(|(a, b)| ctx.folded.original_span(a, b));
        }
    }
}

/// A value of a separated table as cells: itself, or its single-space
/// separated parts when it is a whole row written that way (three or more
/// spaces).
fn separated_cells(ctx: &Context, start: usize, text: &str, cells: &mut Vec<StreamCell>) {
    let spaced = text.matches(' ').count() >= 3 && !text.contains(['。', ',', ';']);
    if !spaced {
        cells.push(stream_cell(ctx, start, start + text.len()));
        return;
    }
    let mut at = 0;
    for part in text.split(' ') {
        if !part.is_empty() {
            cells.push(stream_cell(ctx, start + at, start + at + part.len()));
        }
        at += part.len() + 1;
    }
}

/// The cells of a rubric's text (at folded offset `start`): the numbers that
/// stand alone between names and sentences (分值, 得分) are cells, and what lies
/// between them is a name or a piece of a sentence, whose own numbers
/// (`计5分`, `扣0.5分`, `≦100%`) stay in it.
fn sentence_cells(ctx: &Context, start: usize, text: &str, cells: &mut Vec<StreamCell>) {
    let mut at = 0;
    let piece = |a: usize, b: usize, cells: &mut Vec<StreamCell>| {
        let trimmed = text[a..b].trim();
        if trimmed.is_empty() {
            return;
        }
        let a = a + (text[a..b].len() - text[a..b].trim_start().len());
        let mut cell = stream_cell(ctx, start + a, start + a + trimmed.len());
        if matches!(cell.class, CellClass::Number(_) | CellClass::Run(_)) {
            cell.class = CellClass::Text;
        }
        cells.push(cell);
    };
    for (a, b) in bare_numbers(text, &ctx.rules.units) {
        piece(at, a, cells);
        cells.push(stream_cell(ctx, start + a, start + b));
        at = b;
    }
    piece(at, text.len(), cells);
}

/// The byte ranges of the numbers of `text` that stand alone: not part of a
/// quantity (`5分`, `100%`, `2018年`), a formula (`÷32=`), a comparison
/// (`≦0`), a list mark (`2、`) or a code (`Q100`). A number glued to the
/// rate that follows it (`预算完成率5100%计满分`: 分值 5, then `100%`) gives
/// its first digits, so that the rest is a rate of at most 100. What has a
/// unit is what the quantity scanner reads as a quantity.
fn bare_numbers(text: &str, units: &crate::quantity::UnitTable) -> Vec<(usize, usize)> {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?").expect("valid number pattern"));
    let before_ok = |c: Option<char>| {
        c.is_none_or(|c| !(c.is_ascii_alphanumeric() || "._-+×÷/=<>≤≥≦≧(（[【第约".contains(c)))
    };
    let after_ok = |rest: &str| {
        let c = rest.chars().next();
        c.is_none_or(|c| {
            !(c.is_ascii_alphanumeric() || "._%‰-~～+×÷/=)）]】、,，:：年月日号时".contains(c))
        })
    };
    let quantities: Vec<(usize, usize)> =
        units.scan(text).iter().map(|q| (q.start, q.end)).collect();
    let in_quantity = |at: usize| quantities.iter().any(|&(a, b)| a <= at && at < b);
    let mut out = Vec::new();
    for m in NUMBER.find_iter(text) {
        if !before_ok(text[..m.start()].chars().next_back()) {
            continue;
        }
        let rest = &text[m.end()..];
        if after_ok(rest) && !in_quantity(m.start()) {
            out.push((m.start(), m.end()));
        } else if rest.starts_with('%') && m.len() >= 4 && !m.as_str().contains('.') {
            // The longest rest that is a rate ≤ 100 without a leading zero.
            let digits = m.as_str();
            let split = (1..digits.len()).find(|&k| {
                let (w, r) = digits.split_at(k);
                !r.starts_with('0')
                    && r.parse::<u32>().is_ok_and(|r| r <= 100)
                    && w.parse::<u32>().is_ok_and(|w| w <= 100)
            });
            if let Some(k) = split {
                out.push((m.start(), m.start() + k));
            }
        }
    }
    out
}

/// The cells of a score sheet's text (at folded offset `start`) whose names
/// carry their weights (`(25 分) 目标任务(15 分) 相关性(5 分)`, `5 明确性(5 分)`):
/// each name with its bracket is a cell, and a number before a name (the
/// previous row's 得分) another. False, and nothing pushed, for text without
/// such a name.
fn weighted_names(ctx: &Context, start: usize, text: &str, cells: &mut Vec<StreamCell>) -> bool {
    static BRACKET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\(\s*\d+(?:\.\d+)?\s*分\s*\)").expect("valid weight bracket")
    });
    static LEADING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)?\s+").expect("valid number"));
    let ends: Vec<usize> = BRACKET.find_iter(text).map(|m| m.end()).collect();
    if ends.is_empty() {
        return false;
    }
    let piece = |a: usize, b: usize, cells: &mut Vec<StreamCell>| {
        let part = &text[a..b];
        let a = a + (part.len() - part.trim_start().len());
        let part = part.trim();
        if part.is_empty() {
            return;
        }
        let mut from = a;
        if let Some(m) = LEADING.find(part) {
            let digits = m.as_str().trim_end();
            cells.push(stream_cell(ctx, start + a, start + a + digits.len()));
            from = a + m.end();
        }
        if from < a + part.len() {
            cells.push(stream_cell(ctx, start + from, start + a + part.len()));
        }
    };
    let mut at = 0;
    for end in ends {
        piece(at, end, cells);
        at = end;
    }
    piece(at, text.len(), cells);
    true
}

/// A cell of the folded range `start..end`, its text as the original writes it.
fn stream_cell(ctx: &Context, start: usize, end: usize) -> StreamCell {
    let text = ctx.original_name(start, end);
    let class = cell_class(&text, &ctx.rules.tables);
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
/// What cuts a flattened table's values into cells: the context, and the
/// phrases the table repeats row after row.
struct Cutter<'c, 'a> {
    ctx: &'c Context<'a>,
    /// Folded text of each phrase, longest first.
    phrases: Vec<String>,
}

/// Phrases a flattened table repeats after its values (达成预期指标 as every
/// row's 实际完成值, 已完成): a value written in cell after cell, which then
/// stands in a cell of its own. Runs of 4 to 8 Han characters seen at least
/// three times right after a number (`95%达成预期指标`, `1000件达成…`), none
/// inside a longer one that is.
fn repeated_phrases(ctx: &Context, tokens: &[Token]) -> Vec<String> {
    let texts: Vec<Vec<char>> = tokens
        .iter()
        .filter(|t| t.is_value())
        .map(|t| t.text(&ctx.folded.text).chars().collect())
        .collect();
    // A number, or a number and one measure word, ends just before `at`.
    let after_number = |chars: &[char], at: usize| {
        let digit = |k: usize| {
            chars
                .get(k)
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '%' | '‰'))
        };
        at >= 1 && (digit(at - 1) || at >= 2 && digit(at - 2))
    };
    let mut phrases: Vec<String> = Vec::new();
    for n in (4..=8).rev() {
        let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for chars in &texts {
            for at in 0..chars.len().saturating_sub(n - 1) {
                let window = &chars[at..at + n];
                if window.iter().all(|c| crate::text::is_han(*c)) && after_number(chars, at) {
                    *counts.entry(window.iter().collect()).or_default() += 1;
                }
            }
        }
        let mut found: Vec<(String, usize)> = counts.into_iter().filter(|(_, c)| *c >= 3).collect();
        found.sort();
        for (phrase, _) in found {
            if !phrases.iter().any(|p| p.contains(&phrase)) {
                phrases.push(phrase);
            }
        }
    }
    phrases
}

fn cut_value(cutter: &Cutter, start: usize, text: &str, cells: &mut Vec<StreamCell>) {
    let ctx = cutter.ctx;
    let text_start = start;
    let mut at = 0;
    for q in ctx.rules.units.scan(text) {
        let sign = SIGN
            .find(&text[at..q.start])
            .map_or(q.start, |m| at + m.start());
        cut_text(cutter, text_start + at, &text[at..sign], at > 0, cells);
        cells.push(stream_cell(ctx, text_start + sign, text_start + q.end));
        if let Some(cell) = cells.last_mut() {
            cell.class = CellClass::Value;
        }
        at = q.end;
    }
    cut_text(cutter, text_start + at, &text[at..], at > 0, cells);
}

/// Text between quantities: digits at its end, or at its start right after a
/// quantity, are cells of their own (a run that may be 分值 and 得分), and a
/// value written twice at its end is the target and the actual.
fn cut_text(
    cutter: &Cutter,
    start: usize,
    text: &str,
    after_quantity: bool,
    cells: &mut Vec<StreamCell>,
) {
    let ctx = cutter.ctx;
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
        for (a, b) in at_phrases(&trimmed[rest.0..rest.1], &cutter.phrases) {
            let piece = &trimmed[rest.0 + a..rest.0 + b];
            let cut = if cutter.phrases.iter().any(|p| p == piece) {
                vec![(0, piece.len())]
            } else {
                doubled(piece)
            };
            pieces.extend(
                cut.into_iter()
                    .map(|(x, y)| (rest.0 + a + x, rest.0 + a + y)),
            );
        }
    }
    pieces.extend(tail);
    for (a, b) in pieces {
        let mut cell = stream_cell(ctx, start + a, start + b);
        let digits = &trimmed[a..b];
        // Digits at a cell's edge in a flattened table may be two cells run
        // together (4 and 4 as 44): the reader tries both readings.
        if digits.len() >= 2 && digits.chars().all(|c| c.is_ascii_digit()) {
            cell.class = CellClass::Run(digits.to_string());
        }
        cells.push(cell);
    }
}

/// `text` cut before and after each of the phrases it holds (byte ranges).
fn at_phrases(text: &str, phrases: &[String]) -> Vec<(usize, usize)> {
    let mut cuts = vec![0, text.len()];
    for phrase in phrases {
        for (at, _) in text.match_indices(phrase.as_str()) {
            cuts.extend([at, at + phrase.len()]);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| a < b)
        .collect()
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
    use super::{bare_numbers, doubled};
    use crate::rules::{RuleSet, default_dir};

    #[test]
    fn numbers_that_stand_alone_in_a_rubric() {
        let rules = RuleSet::load(&default_dir()).expect("shipped rules load");
        let bare = |text: &str| -> Vec<String> {
            bare_numbers(text, &rules.units)
                .into_iter()
                .map(|(a, b)| text[a..b].to_string())
                .collect()
        };
        // Weights and scores between names and sentences; the sentences' own
        // quantities, formulas, comparisons and list marks are not.
        assert_eq!(
            bare("投入13预算配置13在职人员控制率5以100%为标准,计5分;扣0.5分。5"),
            ["13", "13", "5", "5"]
        );
        assert_eq!(
            bare("=(63.46-32)÷32=98.31% 变动率≦0,计8分 Q100% 2、经费 2018年"),
            Vec::<String>::new()
        );
        // A weight glued to the rate after it.
        assert_eq!(bare("预算完成率5100%计满分"), ["5"]);
        assert_eq!(bare("完成率1095%以上"), ["10"]);
        assert_eq!(bare("增长150%"), Vec::<String>::new());
    }

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
