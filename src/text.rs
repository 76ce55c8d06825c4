//! Small text rules every stage shares: folding a cell for comparison, joining
//! text that a line or page break cut, and the list markers that open items.
//!
//! They live here, below the stages, so that the source (PDF paragraphs), the
//! extraction (labels, listed items) and the tables (cells split by a page
//! break) apply one rule each, not copies of it.

use std::sync::LazyLock;

use regex::Regex;

/// A Han ideograph (CJK unified ideographs, extensions A to G, compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A cell or label as rules compare it: whitespace removed, full-width brackets
/// and colons as ASCII, so a rule need not spell every spacing and width variant.
pub fn fold_for_match(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// Whether two pieces of text cut apart by a line or page break need a space
/// where they meet: Chinese runs on, Latin words keep theirs.
fn needs_space(before: Option<char>, after: Option<char>) -> bool {
    before.is_some_and(|b| b.is_ascii_alphabetic())
        && after.is_some_and(|a| a.is_ascii_alphabetic())
}

/// Appends `more` to `into` as the continuation of the same text.
pub fn join_wrapped(into: &mut String, more: &str) {
    if more.is_empty() {
        return;
    }
    if needs_space(into.chars().next_back(), more.chars().next()) {
        into.push(' ');
    }
    into.push_str(more);
}

/// Text that a PDF wrapped over several lines, as one line.
pub fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, piece) in text.split('\n').enumerate() {
        if i == 0 {
            out.push_str(piece);
        } else {
            join_wrapped(&mut out, piece);
        }
    }
    out
}

/// A list marker opening an item: （1） (1) 1、 1. — in folded or original text.
pub static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    // The marker is group 1 or 2; after a bare number the next character is
    // checked, not taken (2.5万元 is a number, 2.部门 a list item).
    Regex::new(r"^\s*(?:([（(]\d{1,3}[）)])|(\d{1,3}[、．.])(?:\D|$))")
        .expect("valid marker pattern")
});

/// A section heading (一、 二、 …): it closes any open list.
pub static SECTION_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[一二三四五六七八九十]+、").expect("valid heading pattern"));

/// Where the text after a leading list marker starts (0 without one).
pub fn list_marker_end(text: &str) -> usize {
    LIST_MARKER
        .captures(text)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .map_or(0, |m| m.end())
}

/// （1）纪检组经费支出 → 纪检组经费支出: the list number is not part of the name.
pub fn strip_list_marker(label: &str) -> &str {
    match list_marker_end(label) {
        end if end > 0 && end < label.len() => label[end..].trim_start(),
        _ => label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_markers_are_not_part_of_names() {
        assert_eq!(strip_list_marker("（1）纪检组经费支出"), "纪检组经费支出");
        assert_eq!(strip_list_marker("(15)2024年耕地"), "2024年耕地");
        assert_eq!(strip_list_marker("2、除专项资金以外"), "除专项资金以外");
        assert_eq!(strip_list_marker("2.5万元"), "2.5万元");
        assert_eq!(strip_list_marker("2024年度"), "2024年度");
    }

    #[test]
    fn wrapped_text_joins_without_space_except_between_latin_words() {
        assert_eq!(unwrap_lines("纪检组\n经费支出"), "纪检组经费支出");
        assert_eq!(unwrap_lines("GDP\nper capita"), "GDP per capita");
        assert_eq!(unwrap_lines("14623.\n09万元"), "14623.09万元");
        let mut cell = String::from("目标前半");
        join_wrapped(&mut cell, "目标后半");
        assert_eq!(cell, "目标前半目标后半");
    }

    #[test]
    fn cells_fold_width_and_spacing() {
        assert_eq!(fold_for_match("年初目标值（A）"), "年初目标值(A)");
        assert_eq!(fold_for_match(" 分 值 "), "分值");
    }
}
