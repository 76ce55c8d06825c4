//! Signs, ranges and ratios: what a dash, a minus or a colon next to a number
//! says. A written minus (`-15.3%`, `－8%`, `−2`, `负7.8%`) belongs to the value;
//! a dash between two numbers is a range (`3-6岁`, `50-80亩`, `3~5天`) or part
//! of a date or code, never a sign; a colon between two numbers is a ratio.

use super::chinese::CHINESE_DIGITS;
use super::number::{skip_gap, whitespace_before};

/// Characters that join the two ends of a range (after folding: `－` is `-`, `～` is `~`).
const RANGE_MARKS: &str = "-~—–～〜至";
const MINUS_SIGNS: &str = "-−－负";

/// What the characters right before a number say about its sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sign {
    Plus,
    /// Negative, the minus written at this byte offset.
    Minus(usize),
    /// A minus stands apart from the number (`- 5%`: an empty cell and a
    /// number, or a negative one), or a dash joins it to what comes before:
    /// no figure.
    Unclear,
}

fn ends_a_number(c: char) -> bool {
    c.is_ascii_digit() || CHINESE_DIGITS.contains(c) || c == '%' || c == '‰'
}

/// The sign written before a number starting at `start`. `consumed` is where
/// the previous figure ended: a dash right after a figure joins two figures.
pub(super) fn sign_before(text: &str, start: usize, consumed: usize) -> Sign {
    let Some(c) = text[..start].chars().next_back() else {
        return Sign::Plus;
    };
    if MINUS_SIGNS.contains(c) {
        let sign_start = start - c.len_utf8();
        return match text[..sign_start].chars().next_back() {
            _ if sign_start == consumed && consumed > 0 => Sign::Unclear,
            // 正负5%: a tolerance, not a negative value.
            Some('正') if c == '负' => Sign::Plus,
            Some(p) if p.is_ascii_alphanumeric() || ends_a_number(p) || ".)）]".contains(p) => {
                Sign::Unclear
            }
            _ => Sign::Minus(sign_start),
        };
    }
    let gap = whitespace_before(text, start);
    if gap < start
        && text[..gap]
            .chars()
            .next_back()
            .is_some_and(|c| MINUS_SIGNS.contains(c))
    {
        return Sign::Unclear;
    }
    Sign::Plus
}

/// Whether the number at `start` is the second end of a range, a ratio or a
/// date (`2019-2035`, `1:500`, `2023-3-27`, `第3至5名`) whose first end gave no
/// figure: read alone it would be a part reported as the whole.
pub(super) fn second_of_pair(text: &str, start: usize) -> bool {
    let mark_end = whitespace_before(text, start);
    let Some(mark) = text[..mark_end].chars().next_back() else {
        return false;
    };
    if mark != ':' && !RANGE_MARKS.contains(mark) {
        return false;
    }
    let before_mark = whitespace_before(text, mark_end - mark.len_utf8());
    text[..before_mark]
        .chars()
        .next_back()
        .is_some_and(ends_a_number)
}

/// Where the second end of a range starts, if a range mark follows `pos`.
pub(super) fn range_second_start(text: &str, pos: usize) -> Option<usize> {
    let mark_at = skip_gap(text, pos);
    let mark = text[mark_at..].chars().next()?;
    if !RANGE_MARKS.contains(mark) {
        return None;
    }
    let second = skip_gap(text, mark_at + mark.len_utf8());
    let first = text[second..].chars().next()?;
    (first.is_ascii_digit() || CHINESE_DIGITS.contains(first)).then_some(second)
}
