//! Bare-number table cells that become figures because something gives them a
//! unit: a line rule over the whole row, a column or row header that states
//! one (`(万元)`, `(元/人)`, `(%)`, `…人数`, 分值 / 得分), a label rule that
//! names the column (年初预算数 → budget.total) with the table's 单位 line.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::subject::{choose_rule, strip_unit_note};
use super::{Context, Figure};
use crate::quantity::{Kind, Quantity, parse_arabic};

/// A cell holding only a number, such as the values under 年初预算数 / 全年执行数.
static BARE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*$")
        .expect("valid number pattern")
});

/// The header of column `cell` for a row of `cell_count` cells on line `i`: the
/// nearest row above with as many cells whose cell there holds words and no
/// figure. A range of the folded text.
pub(super) fn column_header(
    ctx: &Context,
    i: usize,
    cell_count: usize,
    cell: usize,
) -> Option<(usize, usize)> {
    for k in (i.saturating_sub(6)..i).rev() {
        let line = &ctx.lines[k];
        if !line.row.is_table_row() || line.row.len() != cell_count {
            continue;
        }
        let range = line.row.range(cell);
        let header = ctx.line_text(k)[range.clone()].trim();
        // A header names its column in words (2021年培训人数), never a bare number.
        let wordy = header.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
        if wordy && !BARE_NUMBER.is_match(header) && !header.contains(['%', '%']) {
            return Some((line.start + range.start, line.start + range.end));
        }
    }
    None
}

/// The money unit a table states for its bare numbers: (万元) in the column
/// header, or a 单位：万元 note in the lines above the table.
fn money_factor(ctx: &Context, header: &str, i: usize) -> Option<Decimal> {
    let factor_of = |text: &str| -> Option<Decimal> {
        let unit = ["亿元", "万元", "千元", "元"]
            .into_iter()
            .find(|u| text.contains(u))?;
        Some(match unit {
            "亿元" => Decimal::from(100_000_000),
            "万元" => Decimal::from(10_000),
            "千元" => Decimal::from(1_000),
            _ => Decimal::ONE,
        })
    };
    if header.contains('(') && header.contains('元') {
        return factor_of(&header[header.find('(')?..]);
    }
    (i.saturating_sub(12)..i).rev().find_map(|k| {
        let text = ctx.line_text(k);
        text.find("单位").and_then(|at| factor_of(&text[at..]))
    })
}

/// Bare-number cells of line `i` that a header gives a unit: figures, with
/// the metric of the label rule that names the column, if one does. Money
/// needs its unit stated by the table; without one the cell is left alone.
pub(super) fn header_named_cells(ctx: &Context, i: usize, figures: &mut Vec<Figure>) {
    let line = &ctx.lines[i];
    let text = ctx.line_text(i);
    for (c, range) in line.row.ranges().enumerate() {
        let Some(number) = BARE_NUMBER
            .captures(&text[range.clone()])
            .and_then(|m| m.get(1))
        else {
            continue;
        };
        let start = line.start + range.start + number.start();
        let end = line.start + range.start + number.end();
        if figures
            .iter()
            .any(|f| f.quantity.start < end && start < f.quantity.end)
        {
            continue;
        }
        // ① ② … number the columns of a table; they are not its values.
        let enclosed = ctx
            .original(start, end)
            .chars()
            .any(|c| matches!(c as u32, 0x2460..=0x24FF | 0x3251..=0x32BF));
        if enclosed {
            continue;
        }
        if let Some(figure) = header_cell(ctx, i, c, (start, end), number.as_str()) {
            figures.push(figure);
        }
    }
}

/// The figure of the bare number `number` at `span` (folded) in cell `c` of
/// line `i`, when a header gives it a unit.
fn header_cell(
    ctx: &Context,
    i: usize,
    c: usize,
    (start, end): (usize, usize),
    number: &str,
) -> Option<Figure> {
    let line = &ctx.lines[i];
    let (ha, hb) = column_header(ctx, i, line.row.len(), c)?;
    let header = ctx.folded.text[ha..hb].trim();
    let subject = match block_header(ctx, i, c) {
        Some(block) => format!("{block} {header}"),
        None => header.to_string(),
    };
    let rule = choose_rule(ctx, None, &subject, &subject);
    let row_header = &text_of_cell(ctx, i, 0);
    let (kind, unit, factor) = stated_unit(ctx, header)
        .or_else(|| (c > 0).then(|| stated_unit(ctx, row_header)).flatten())
        .or_else(|| match rule.map(|r| r.kind)? {
            Kind::Amount => Some((
                Kind::Amount,
                "CNY".to_string(),
                money_factor(ctx, header, i)?,
            )),
            Kind::Rate => Some((Kind::Rate, "%".into(), Decimal::ONE)),
            Kind::Score => Some((Kind::Score, "分".into(), Decimal::ONE)),
            _ => None,
        })?;
    let (value, scale) = parse_arabic(number)?;
    // A score is a share of 100 points; a bigger number is another column's.
    if kind == Kind::Score && value > Decimal::ONE_HUNDRED {
        return None;
    }
    let quantity = Quantity {
        start,
        end,
        kind,
        unit,
        value: (value * factor).normalize(),
        qualifier: None,
        written_scale: scale,
        resolution: (Decimal::new(1, scale) * factor).normalize(),
        range: None,
    };
    // A rule's metric holds only where the header's unit is of its kind.
    let rule = rule.filter(|r| r.kind == kind);
    let label = strip_unit_note(ctx.original(ha, hb).trim()).to_string();
    let id = rule.map_or_else(|| format!("header.{}", kind.as_str()), |r| r.id.clone());
    let mut figure = ctx.figure(quantity, rule.map(|r| r.metric.clone()), label, id);
    figure.from_header = true;
    Some(figure)
}

fn text_of_cell(ctx: &Context, i: usize, c: usize) -> String {
    let line = &ctx.lines[i];
    ctx.line_text(i)[line.row.range(c)].trim().to_string()
}

/// The unit a header states for its column's bare numbers: a unit written in
/// brackets (`(万元)`, `(元/人)`, `(%)`, `(人)`), a noun the table rules give a
/// unit (`…人数` → 人), or a score column's name (分值, 得分, 权重). Kind,
/// canonical unit and the value of one written unit in it.
fn stated_unit(ctx: &Context, header: &str) -> Option<(Kind, String, Decimal)> {
    static NOTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\(([^()]{1,8})\)").expect("valid note pattern"));
    let tables = &ctx.rules.tables;
    let of_unit = |unit: &str| -> Option<(Kind, String, Decimal)> {
        let probe = format!("1{unit}");
        let q = ctx.rules.units.scan(&probe).into_iter().next()?;
        let rest = &probe[q.end..];
        (q.start == 0 && (rest.is_empty() || rest.starts_with('/')))
            .then_some((q.kind, q.unit, q.value))
    };
    if let Some(found) = NOTE
        .captures_iter(header)
        .find_map(|c| of_unit(c[1].trim()))
    {
        return Some(found);
    }
    let folded = crate::text::fold_for_match(header);
    if let Some((_, unit)) = tables
        .header_units
        .iter()
        .find(|(noun, _)| folded.ends_with(noun.as_str()))
    {
        return of_unit(unit);
    }
    let score_column = tables
        .columns
        .iter()
        .filter(|c| c.name == "weight" || c.name == "score")
        .any(|c| c.cells.iter().any(|p| p.is_match(&folded)));
    score_column.then(|| (Kind::Score, "分".to_string(), Decimal::ONE))
}

/// A row without its own header takes the block's, from the header row
/// (预算执行情况 | 年初预算数 | … | 得分 over | 1200 | … | 9.5).
fn block_header<'c>(ctx: &'c Context, i: usize, cell: usize) -> Option<&'c str> {
    let line = &ctx.lines[i];
    let row_header = &ctx.line_text(i)[line.row.range(0)];
    if cell == 0 || !row_header.trim().is_empty() {
        return None;
    }
    column_header(ctx, i, line.row.len(), 0).map(|(x, y)| ctx.folded.text[x..y].trim())
}

/// How far below its 单位 note a table's bare numbers are read by it.
const NOTE_REACH: usize = 40;

/// Bare numbers of a line that is no table row but stands in a table whose 单位
/// note (`单位:万元`) gives them their unit: a basic-data table flattened into
/// text (`三公经费 29.08 63.46 44.29`), its cells separated by spaces only. A
/// run of numbers takes its meaning from the words before it: after a noun the
/// table rules give a unit (`…人数`) it is a count, after a rate's name (`控制率`)
/// it is left alone, otherwise money in the note's unit. The note reaches down
/// to the first sentence (`。`).
pub(super) fn declared_unit_cells(ctx: &Context, i: usize, figures: &mut Vec<Figure>) {
    static CELL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S+").expect("valid cell"));
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?)\.?$").expect("valid number"));
    let Some((note_line, note_end, factor)) = unit_note(ctx, i) else {
        return;
    };
    let text = ctx.line_text(i);
    let from = if note_line == i { note_end } else { 0 };
    let mut label = last_words(ctx, note_line, i, note_end);
    for cell in CELL.find_iter(&text[from..]) {
        let Some(number) = NUMBER.captures(cell.as_str()).and_then(|c| c.get(1)) else {
            label = cell.as_str().to_string();
            continue;
        };
        let start = ctx.lines[i].start + from + cell.start() + number.start();
        let end = start + number.len();
        if figures
            .iter()
            .any(|f| f.quantity.start < end && start < f.quantity.end)
        {
            continue;
        }
        let folded = crate::text::fold_for_match(&label);
        let (kind, unit, scale_by) = match stated_unit(ctx, &label) {
            Some((Kind::Count, unit, one)) => (Kind::Count, unit, one),
            _ if folded.ends_with('率') || folded.is_empty() => continue,
            Some(_) => continue,
            None => (Kind::Amount, "CNY".to_string(), factor),
        };
        let Some((value, scale)) = parse_arabic(number.as_str()) else {
            continue;
        };
        let quantity = Quantity {
            start,
            end,
            kind,
            unit,
            value: (value * scale_by).normalize(),
            qualifier: None,
            written_scale: scale,
            resolution: (Decimal::new(1, scale) * scale_by).normalize(),
            range: None,
        };
        let name = strip_list_marker_of(&label);
        let mut figure = ctx.figure(quantity, None, name, format!("note.{}", kind.as_str()));
        figure.from_header = true;
        figures.push(figure);
    }
}

/// The 单位 note above line `i` (or on it) whose table line `i` is still in:
/// its line, the end of the note in that line, and the money unit's value.
fn unit_note(ctx: &Context, i: usize) -> Option<(usize, usize, Decimal)> {
    for k in (i.saturating_sub(NOTE_REACH)..=i).rev() {
        let text = ctx.line_text(k);
        if let Some(at) = text.rfind("单位") {
            let rest = &text[at..];
            let unit = ["亿元", "万元", "千元", "元"].into_iter().find_map(|u| {
                let pos = rest.find(u)?;
                // The unit follows the note's colon closely (单位:万元).
                (pos <= "单位：".len() + 1).then_some((u, at + pos + u.len()))
            });
            if let Some((unit, end)) = unit {
                let factor = match unit {
                    "亿元" => Decimal::from(100_000_000),
                    "万元" => Decimal::from(10_000),
                    "千元" => Decimal::from(1_000),
                    _ => Decimal::ONE,
                };
                return Some((k, end, factor));
            }
        }
        if text.contains('。') {
            return None;
        }
    }
    None
}

/// The last word before line `i` below the note (line `note`, ending at
/// `note_end`): the label a run of numbers opening line `i` goes on from
/// (公车运行维护 11.86 / 12 9.84).
fn last_words(ctx: &Context, note: usize, i: usize, note_end: usize) -> String {
    (note..i)
        .rev()
        .find_map(|k| {
            let text = ctx.line_text(k);
            let text = if k == note { &text[note_end..] } else { text };
            text.split_whitespace()
                .rev()
                .find(|w| w.chars().any(char::is_alphabetic))
                .map(str::to_string)
        })
        .unwrap_or_default()
}

fn strip_list_marker_of(label: &str) -> String {
    label
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '、' | '.' | ':' | '：'))
        .to_string()
}

/// Line rules: a whole-line regex whose `value` capture is a bare-number cell.
/// A figure the scanner already found there only gains the rule's metric.
pub(super) fn apply_line_rules(ctx: &Context, i: usize, figures: &mut Vec<Figure>) {
    let line = &ctx.lines[i];
    let text = ctx.line_text(i);
    for rule in &ctx.rules.line_rules {
        let Some(value) = rule.pattern.captures(text).and_then(|c| c.name("value")) else {
            continue;
        };
        let (start, end) = (line.start + value.start(), line.start + value.end());
        if let Some(existing) = figures
            .iter_mut()
            .find(|f| f.quantity.start <= start && end <= f.quantity.end)
        {
            if existing.metric.is_none() {
                existing.metric = Some(rule.metric.clone());
                existing.rule = rule.id.clone();
            }
            continue;
        }
        let Some((number, scale)) = parse_arabic(value.as_str()) else {
            continue;
        };
        let header = line.row.range(0);
        let original_header = ctx.original(line.start + header.start, line.start + header.end);
        let label = ctx.segmenter.label(strip_unit_note(original_header.trim()));
        let quantity = Quantity {
            start,
            end,
            kind: rule.kind,
            unit: rule.unit.clone(),
            value: number,
            qualifier: None,
            written_scale: scale,
            resolution: Decimal::new(1, scale),
            range: None,
        };
        let mut figure = ctx.figure(quantity, Some(rule.metric.clone()), label, rule.id.clone());
        figure.from_header = true;
        figures.push(figure);
    }
}
