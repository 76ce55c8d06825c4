//! Listed items: numbered lists of amounts ((1) 纪检组经费支出7.95万元 …) read
//! as the parts of the group total stated before them.

use super::{Context, Figure, LineItem};
use crate::quantity::Kind;
use crate::text::{SECTION_HEADING, list_marker_end, unwrap_lines};

/// Listed items: a clause that is only a name and an amount (（1）纪检组经费支出
/// 7.95万元 / 实景三维建设项目589.39万元), after a figure whose metric is an
/// `item_group`. A line stating several group metrics (其中：业务…，运行维护…)
/// opens them in order; a later line stating one of them again switches to it.
pub(super) fn line_items(ctx: &Context, figures: &[Figure]) -> Vec<LineItem> {
    let is_group = |m: &Option<String>| {
        m.as_ref()
            .and_then(|m| ctx.rules.metric(m))
            .is_some_and(|m| m.item_group)
    };
    let mut items = Vec::new();
    let mut open: Option<String> = None;
    let mut next = 0usize; // index into figures, which are sorted by position
    for (i, line) in ctx.lines.iter().enumerate() {
        let first = next;
        while next < figures.len() && figures[next].quantity.start < line.end {
            next += 1;
        }
        if line.furniture || line.row.is_table_row() {
            continue;
        }
        if SECTION_HEADING.is_match(ctx.line_text(i)) {
            open = None;
        }
        let on_line = first..next;
        let group = figures[on_line.clone()]
            .iter()
            .find(|f| is_group(&f.metric))
            .and_then(|f| f.metric.clone());
        if group.is_some() {
            open = group;
            continue;
        }
        for index in on_line {
            if let Some(label) = item_label(ctx, i, &figures[index]) {
                items.push(LineItem {
                    label,
                    group: open.clone(),
                    figure: index,
                });
            }
        }
    }
    items
}

/// The name of a listed amount on line `i`: the clause before it, when the
/// amount ends the line and the clause is a short name (no commas or colons).
fn item_label(ctx: &Context, i: usize, figure: &Figure) -> Option<String> {
    if figure.quantity.kind != Kind::Amount || figure.metric.is_some() {
        return None;
    }
    let line = &ctx.lines[i];
    let text = ctx.line_text(i);
    let (start, end) = (
        figure.quantity.start - line.start,
        figure.quantity.end - line.start,
    );
    let after = text[end..].trim();
    if !(after.is_empty() || after == "。") {
        return None;
    }
    let clause_start = text[..start]
        .rfind('。')
        .map_or(0, |at| at + '。'.len_utf8());
    let clause = &text[clause_start..start];
    let marker = list_marker_end(clause);
    let name = &clause[marker..];
    let name_chars = name.trim().chars().count();
    if !(2..=60).contains(&name_chars) || name.contains([',', ';', ':', '。']) {
        return None;
    }
    let original = ctx.original(line.start + clause_start + marker, line.start + start);
    let label = unwrap_lines(original.trim());
    let label = label.strip_suffix("支出").unwrap_or(&label).trim();
    Some(label.to_string())
}
