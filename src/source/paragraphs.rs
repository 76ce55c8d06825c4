//! PDF paragraphs: which line breaks of a PDF's text are only where the page
//! wrapped a paragraph, so that a figure or a label cut by the wrap reads whole.
//!
//! A PDF line is a visual line. TXT exports keep the author's line breaks and
//! never go through here.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use super::{Document, Line};
use crate::text::{LIST_MARKER, SECTION_HEADING};

/// Offsets of the line breaks inside a paragraph of a PDF's text: between two
/// text lines of the same page, neither a table row nor furniture, where the
/// first does not end a sentence and the second does not open a list item.
///
/// Only a *full* line wraps: one at least 80 % as wide as the page's widest, so
/// titles, headings and the short last line of a paragraph stay lines of their own.
///
/// A line that ends with an amount (`ends_with_amount`, which knows the units)
/// is a headline ((3)…项目66.89万元) unless the next line carries on its clause
/// with punctuation.
pub fn wrapped_line_ends(doc: &Document, ends_with_amount: impl Fn(&str) -> bool) -> Vec<usize> {
    let widest = widest_line_per_page(doc);
    let mut ends = Vec::new();
    for pair in doc.lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let full = width(doc, a) * 5 >= widest.get(&a.page).copied().unwrap_or(0) * 4;
        if full && a.page == b.page && joinable(doc, a, b, &ends_with_amount) {
            ends.push(a.end);
        }
    }
    ends
}

/// Display width, not characters: digits are half as wide as ideographs.
fn width(doc: &Document, line: &Line) -> usize {
    doc.line_text(line).trim().width()
}

fn widest_line_per_page(doc: &Document) -> HashMap<u32, usize> {
    let mut widest: HashMap<u32, usize> = HashMap::new();
    for line in doc.lines.iter().filter(|l| !l.furniture) {
        let w = widest.entry(line.page).or_default();
        *w = (*w).max(width(doc, line));
    }
    widest
}

/// Whether text line `b` carries on the paragraph of the full line `a` above it.
fn joinable(doc: &Document, a: &Line, b: &Line, ends_with_amount: &impl Fn(&str) -> bool) -> bool {
    let (ta, tb) = (doc.line_text(a).trim_end(), doc.line_text(b).trim_start());
    !a.furniture
        && !b.furniture
        && !ta.is_empty()
        && !tb.is_empty()
        && !ta.contains('\t')
        && !tb.contains('\t')
        && !ta.ends_with(['。', '；', ';', '！', '？', ':', '：'])
        && !LIST_MARKER.is_match(tb)
        && !SECTION_HEADING.is_match(tb)
        && (!ends_with_amount(ta) || tb.starts_with(['，', ',', '、', '。', '；', ';']))
        && b.start == a.end + 1
}
