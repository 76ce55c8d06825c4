//! Bare-number table cells that become figures because something names them:
//! a line rule over the whole row, or a column header that a label rule knows
//! (年初预算数 → budget.total, 执行率 → budget.execution_rate).

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
        if !header.is_empty() && !header.chars().any(|c| c.is_ascii_digit()) {
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

/// Bare-number cells of line `i` whose column header a label rule names:
/// figures with that metric. Money needs its unit stated by the table; without
/// one the cell is left alone.
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
        let Some((ha, hb)) = column_header(ctx, i, line.row.len(), c) else {
            continue;
        };
        let header = ctx.folded.text[ha..hb].trim();
        let subject = match block_header(ctx, i, c) {
            Some(block) => format!("{block} {header}"),
            None => header.to_string(),
        };
        let Some(rule) = choose_rule(ctx, None, &subject, &subject) else {
            continue;
        };
        let Some((value, scale)) = parse_arabic(number.as_str()) else {
            continue;
        };
        let (unit, factor) = match rule.kind {
            Kind::Amount => match money_factor(ctx, header, i) {
                Some(f) => ("CNY", f),
                None => continue,
            },
            Kind::Rate => ("%", Decimal::ONE),
            Kind::Score => ("分", Decimal::ONE),
            _ => continue,
        };
        let quantity = Quantity {
            start,
            end,
            kind: rule.kind,
            unit: unit.into(),
            value: (value * factor).normalize(),
            qualifier: None,
            written_scale: scale,
            resolution: (Decimal::new(1, scale) * factor).normalize(),
            range: None,
        };
        let label = strip_unit_note(ctx.original(ha, hb).trim()).to_string();
        let mut figure = ctx.figure(quantity, Some(rule.metric.clone()), label, rule.id.clone());
        figure.from_header = true;
        figures.push(figure);
    }
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
