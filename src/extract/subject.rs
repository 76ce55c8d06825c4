//! The subject of a figure (the words a label rule reads) and the label rule
//! that names its metric.
//!
//! In a table row the subject is the row header plus the cell's own words, or
//! the column header when the cell holds only the figure; in running text it is
//! the clause before the figure, back to the previous figure or clause end.

use super::Context;
use super::cells::column_header;
use crate::quantity::{Kind, Quantity};
use crate::rules::LabelRule;
use crate::text::unwrap_lines;

/// The words a label rule reads for one figure.
pub(super) struct Subject {
    /// Folded text the rules match.
    pub folded: String,
    /// Ranges of the folded document text it was built from, so that the label
    /// can be taken from the original text.
    pieces: Vec<(usize, usize)>,
}

impl Subject {
    fn from_pieces(ctx: &Context, pieces: Vec<(usize, usize)>) -> Subject {
        let words: Vec<&str> = pieces
            .iter()
            .map(|&(a, b)| ctx.folded.text[a..b].trim())
            .collect();
        Subject {
            folded: words.join(" "),
            pieces,
        }
    }

    /// The subject as the original text writes it, unit notes left out.
    pub fn original(&self, ctx: &Context) -> String {
        let parts: Vec<String> = self
            .pieces
            .iter()
            .map(|&(a, b)| unwrap_lines(strip_unit_note(ctx.original(a, b).trim())))
            .filter(|p| !p.is_empty())
            .collect();
        parts.join(" ")
    }
}

/// 年度预算申请(万元) → 年度预算申请: a header's unit note is not part of its name.
pub(super) fn strip_unit_note(text: &str) -> &str {
    for open in ['(', '（'] {
        if let Some(at) = text.rfind(open) {
            let tail = &text[at..];
            if tail.contains('元') && (tail.ends_with(')') || tail.ends_with('）')) {
                return text[..at].trim_end();
            }
        }
    }
    text.trim_end_matches([':', '：'])
}

/// Characters that end a clause: a subject never reaches across them.
fn is_clause_end(c: char) -> bool {
    matches!(c, '。' | ';' | '!' | '?' | '\t')
}

/// The subject of quantity `q` (offsets relative to line `i`), whose previous
/// figure on the line ended at `previous_end`.
pub(super) fn subject_of(ctx: &Context, i: usize, q: &Quantity, previous_end: usize) -> Subject {
    let line = &ctx.lines[i];
    let text = ctx.line_text(i);
    let absolute = |r: std::ops::Range<usize>| (line.start + r.start, line.start + r.end);
    let row = &line.row;
    if row.is_table_row() {
        let cell = row.cell_at(q.start).unwrap_or(0);
        let cell_range = row.range(cell);
        let own = cell_range.start.max(previous_end.min(q.start))..q.start;
        let mut pieces = Vec::new();
        // The row header names a short field cell (资金总额：…), not a narrative one.
        let row_header = row.range(0);
        if cell > 0
            && !text[row_header.clone()].trim().is_empty()
            && text[cell_range].chars().count() <= 24
        {
            pieces.push(absolute(row_header));
        }
        if !text[own.clone()].trim().is_empty() {
            pieces.push(absolute(own));
        } else if let Some(column) = column_header(ctx, i, row.len(), cell) {
            pieces.push(column);
        }
        return Subject::from_pieces(ctx, pieces);
    }
    let before = &text[..q.start];
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_clause_end(c))
        .map_or(0, |(at, c)| at + c.len_utf8())
        .max(previous_end.min(q.start));
    Subject::from_pieces(ctx, vec![absolute(clause_start..q.start)])
}

/// The label rule naming the metric of a figure of `kind` (any kind when
/// `None`) whose subject is `subject`, in `sentence`: the closest label wins,
/// then the longest, then the first in the rule file.
pub(super) fn choose_rule<'r>(
    ctx: &Context<'r>,
    kind: Option<Kind>,
    subject: &str,
    sentence: &str,
) -> Option<&'r LabelRule> {
    let rules = &ctx.rules.label_rules;
    let mut best: Option<(usize, usize, usize)> = None; // (gap, usize::MAX - length, index)
    for index in ctx.rules.labels.matches(subject).iter() {
        let rule = &rules[index];
        if kind.is_some_and(|k| rule.kind != k) {
            continue;
        }
        if rule.exclude.as_ref().is_some_and(|e| e.is_match(subject)) {
            continue;
        }
        // A label followed by 、 is an item of an enumeration, not the subject.
        let Some(m) = rule
            .label
            .find_iter(subject)
            .filter(|m| !subject[m.end()..].starts_with('、'))
            .last()
        else {
            continue;
        };
        let gap = subject[m.end()..]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        if gap > rule.near {
            continue;
        }
        if !rule.context.is_empty()
            && !rule
                .context
                .iter()
                .any(|w| ctx.segmenter.has_word(sentence, w))
        {
            continue;
        }
        let key = (gap, usize::MAX - m.len(), index);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best.map(|(_, _, index)| &rules[index])
}
