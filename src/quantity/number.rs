//! The written number itself: Arabic digits (thousands commas, a decimal point,
//! digits and point spread by spaces or a line break) and runs of Chinese
//! numerals (spread the same way), read into an exact decimal.
//!
//! Whitespace inside a number is joined only in shapes a row of separate table
//! cells cannot produce; see the module docs of [`super`] for the rule.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::MAX_SCALE;
use super::chinese::{CHINESE_DIGITS, is_chinese_number_char, parse_chinese};

/// A number read from the text: its byte range, value and written precision.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Number {
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    pub scale: u32,
    /// Written in Chinese numerals (only some units accept those).
    pub chinese: bool,
}

/// Parses `1,234.56` or `18651.39` (already folded to ASCII); returns the value and its decimal places.
pub fn parse_arabic(s: &str) -> Option<(Decimal, u32)> {
    let plain: String = s.chars().filter(|c| *c != ',').collect();
    let value = Decimal::from_str(&plain).ok()?;
    let scale = plain
        .find('.')
        .map_or(0, |dot| (plain.len() - dot - 1) as u32);
    // More decimal places than Decimal holds: from_str rounds, but the
    // resolution 10^-scale cannot be represented.
    if scale > MAX_SCALE {
        return None;
    }
    Some((value, scale))
}

/// Whitespace that may stand inside a spaced number or between a number and its
/// unit: spaces and at most one line break, at most three characters. A tab or
/// a `|` separates table cells and is never crossed.
pub(super) fn skip_gap(text: &str, pos: usize) -> usize {
    let mut end = pos;
    let mut breaks = 0;
    for (count, c) in text[pos..].chars().enumerate() {
        if count == 3 {
            break;
        }
        match c {
            ' ' | '\u{3000}' | '\u{a0}' | '\r' => {}
            '\n' if breaks == 0 => breaks += 1,
            _ => break,
        }
        end += c.len_utf8();
    }
    end
}

/// The same gap read backwards from `pos`: where it starts.
pub(super) fn gap_before(text: &str, pos: usize) -> usize {
    let mut start = pos;
    let mut breaks = 0;
    for (count, c) in text[..pos].chars().rev().enumerate() {
        if count == 3 {
            break;
        }
        match c {
            ' ' | '\u{3000}' | '\u{a0}' | '\r' => {}
            '\n' if breaks == 0 => breaks += 1,
            _ => break,
        }
        start -= c.len_utf8();
    }
    start
}

fn digits_end(text: &str, pos: usize) -> usize {
    pos + text[pos..]
        .bytes()
        .take_while(|b| b.is_ascii_digit())
        .count()
}

/// One Arabic digit group at `pos`: `123`, `1,234`, `12.5` (point and fraction glued).
fn arabic_group(text: &str, pos: usize) -> usize {
    let mut end = digits_end(text, pos);
    // Thousands commas only in the strict 1,234,567 shape.
    if end - pos <= 3 {
        let mut probe = end;
        while text[probe..].starts_with(',') && digits_end(text, probe + 1) == probe + 4 {
            probe += 4;
        }
        if !text[probe..].starts_with(',') || digits_end(text, probe + 1) != probe + 4 {
            end = probe;
        }
    }
    fraction_end(text, end).unwrap_or(end)
}

/// A glued fraction `.5` at `pos`, if one follows.
fn fraction_end(text: &str, pos: usize) -> Option<usize> {
    let after_point = pos + text[pos..].strip_prefix('.').map(|_| 1)?;
    let end = digits_end(text, after_point);
    (end > after_point).then_some(end)
}

/// A fraction whose point stands apart (`45 . 6`, `45 .6`), after an integer
/// group ending at `pos`. `45. 6` is not one: that is how a list marker and
/// the next item look (`1. 2019年…`).
fn spaced_fraction_end(text: &str, pos: usize) -> Option<usize> {
    let point = skip_gap(text, pos);
    if point == pos || !text[point..].starts_with('.') {
        return None;
    }
    let digits = skip_gap(text, point + 1);
    let end = digits_end(text, digits);
    (end > digits).then_some(end)
}

/// Three or more single digits spread by spaces (`1 2 0`), the way OCR and some
/// PDF exports letter-space a number. Two (`5 5`) are two score cells of a form.
fn letter_spaced_end(text: &str, pos: usize) -> Option<usize> {
    let mut end = pos + 1;
    let mut digits = 1;
    loop {
        let next = skip_gap(text, end);
        if next == end || digits_end(text, next) != next + 1 {
            break;
        }
        end = next + 1;
        digits += 1;
    }
    (digits >= 3).then_some(end)
}

/// The Arabic number starting at `start`, joined across the gaps the rule allows.
pub(super) fn arabic_at(text: &str, start: usize) -> Option<Number> {
    let glued = arabic_group(text, start);
    let single = digits_end(text, start) == start + 1 && glued == start + 1;
    let mut end = match letter_spaced_end(text, start) {
        Some(end) if single => end,
        _ => glued,
    };
    if !text[start..end].contains('.')
        && let Some(fraction) = fraction_end(text, end).or_else(|| spaced_fraction_end(text, end))
    {
        end = fraction;
    }
    let written: String = text[start..end]
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    // 000,000: the tail of a larger number, not a number.
    if written.starts_with('0') && written.trim_start_matches('0').starts_with(',') {
        return None;
    }
    let (value, scale) = parse_arabic(&written)?;
    Some(Number {
        start,
        end,
        value,
        scale,
        chinese: false,
    })
}

/// The Chinese numeral starting at `start`; its characters may be spread by
/// gaps (三 千 五百, 三点 二), which a table row of separate numbers never writes.
/// After 点 only digits follow, so in 三十二点五万 the 万 is a multiplier.
pub(super) fn chinese_at(text: &str, start: usize) -> Option<Number> {
    let (mut end, mut written) = spread_run(text, start, is_chinese_number_char);
    let point = skip_gap(text, end);
    if text[point..].starts_with('点') {
        let digits = skip_gap(text, point + '点'.len_utf8());
        let (fraction_end, fraction) = spread_run(text, digits, |c| CHINESE_DIGITS.contains(c));
        if !fraction.is_empty() {
            written.push('点');
            written.push_str(&fraction);
            end = fraction_end;
        }
    }
    if !written.chars().any(|c| CHINESE_DIGITS.contains(c)) || is_loose_digit_string(&written) {
        return None;
    }
    let (value, scale) = parse_chinese(&written)?;
    Some(Number {
        start,
        end,
        value,
        scale,
        chinese: true,
    })
}

/// Runs of characters that `accept` takes, joined across gaps: the end of the
/// last run and the characters without the gaps.
fn spread_run(text: &str, start: usize, accept: impl Fn(char) -> bool) -> (usize, String) {
    let mut written = String::new();
    let mut end = start;
    let mut pos = start;
    loop {
        let run: usize = text[pos..]
            .chars()
            .take_while(|&c| accept(c))
            .map(char::len_utf8)
            .sum();
        if run == 0 {
            break;
        }
        written.push_str(&text[pos..pos + run]);
        end = pos + run;
        pos = skip_gap(text, end);
        if pos == end {
            break;
        }
    }
    (end, written)
}

/// 三四个 is "three or four", not 34: a string of two digits without places
/// is no number (二〇二三, with a zero or three digits or more, is one).
fn is_loose_digit_string(written: &str) -> bool {
    let integer = written.split('点').next().unwrap_or_default();
    let digits = integer.chars().count();
    digits == 2
        && !integer.contains(['零', '〇'])
        && integer.chars().all(|c| CHINESE_DIGITS.contains(c))
}

/// Where a run of whitespace (spaces and line breaks, however many; never a
/// tab) before `pos` starts. Doubts look back this far, further than joining
/// reaches: a number is never read as whole when it might be a tail.
pub(super) fn whitespace_before(text: &str, pos: usize) -> usize {
    pos - text[..pos]
        .chars()
        .rev()
        .take_while(|c| matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\r' | '\n'))
        .map(char::len_utf8)
        .sum::<usize>()
}

/// Where the digit group that whitespace separates from `start` begins, if one
/// does: `12 34万元` has `12` before `34` (letters count: `0a 5` is OCR noise). Such a neighbour makes the number
/// ambiguous unless [`separate_cells`] says the two cannot be one number.
pub(super) fn digit_group_before(text: &str, start: usize) -> Option<(usize, usize)> {
    let gap = whitespace_before(text, start);
    if gap == start {
        return None;
    }
    // A point or comma standing alone between gaps (`10 , 100`, `100 . 0`)
    // joins the group before it, and stays in it.
    let mut group_end = gap;
    if text[..gap].ends_with([',', '.']) {
        let mark = gap - 1;
        let further = whitespace_before(text, mark);
        if further < mark && text[..further].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            group_end = further;
        }
    }
    let before = &text[..group_end];
    let group_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '.' || *c == ',')
        .last()
        .map(|(i, _)| i)?;
    before[group_start..]
        .chars()
        .any(|c| c.is_ascii_digit())
        .then_some((group_start, gap))
}

/// Whether a Chinese numeral stands before `start`, across whitespace: the
/// number may be the tail of one the whitespace split (三千\n\n五百元).
pub(super) fn numeral_before(text: &str, start: usize) -> bool {
    let gap = whitespace_before(text, start);
    gap < start
        && text[..gap]
            .chars()
            .next_back()
            .is_some_and(|c| is_chinese_number_char(c) || c == '点' || c.is_ascii_digit())
}

/// Whether a digit group and the number after it are two cells, never one
/// number: both hold a decimal point (`6.84 6.84`), or joined they would be a
/// rate of 1000 % or more (`5 5 100%`, `201600 100%`).
pub(super) fn separate_cells(left: &str, number: &str, is_rate: bool) -> bool {
    // 100.0a 0%: a letter in the group before is noise inside one number.
    if left.chars().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if left.contains('.') && number.contains('.') {
        return true;
    }
    if !is_rate {
        return false;
    }
    let joined: String = left
        .chars()
        .chain(number.chars())
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    parse_arabic(&joined).is_none_or(|(v, _)| v >= Decimal::from(1000))
}
