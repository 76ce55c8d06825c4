//! Quantities: numbers (Arabic, full-width, Chinese, financial Chinese), 万/亿
//! multipliers, units, signs, ranges and qualifiers, as exact decimals.
//!
//! The scanner only knows the *grammar* of a quantity; which words are units,
//! measure words, multipliers, prefixes and qualifiers comes from
//! `rules/units.toml` through [`UnitTable`]. A number becomes a quantity only
//! when a unit follows it (or a prefix such as 百分之 or ¥ stands before it),
//! which is what keeps years (2024年), dates, list numbers (1、 （2）), document
//! numbers (〔2023〕5号), year ranges (2019-2035), ratios (1:500) and phone
//! numbers out.
//!
//! # Contract: a figure is right or absent
//!
//! Wherever the scanner cannot be sure what a number is, it gives no figure;
//! it never reports a part of a number as if it were the whole. Concretely:
//!
//! - **Gaps inside a number.** Spaces (and at most one line break; three
//!   characters at most, never a tab or `|`) are read as part of a number only
//!   in shapes that a row of separate table cells cannot produce: a decimal
//!   point standing apart (`45 . 6`, `45 .6`), three or more single digits
//!   spread out (`1 2 0`, OCR's letter spacing), Chinese numerals spread out
//!   (`三 千五百`, `三点 二`), and a multiplier or unit after a gap (`23 个`,
//!   `45.6 万 元`, `百分 之 八十`). `raw` keeps what was written.
//! - **A digit group before a number.** When a gap separates a number from a
//!   digit group before it and none of those shapes joins them (`12 34万元`,
//!   `4 5万元`, `1234.5 6万元`, `45. 6万元`), the number could be the tail of a
//!   longer one: no figure. They are two numbers only when they cannot be one:
//!   both hold a decimal point (`6.84 6.84`), or joined they would be a rate of
//!   1000 % or more (`5 5 100%`, `201600 100%`: flattened form cells).
//! - **Signs.** A minus (`-`, `－`, `−`, `负`) right before a number is part of
//!   the value; one standing apart (`- 5%`) may be an empty cell, so the number
//!   gives no figure. A dash after a number or a figure (`2019-2035`,
//!   `5万元-8万元` when not a range) is never a sign. Words (下降3.2%) keep the
//!   number as written: the direction is the word's, not the value's.
//! - **Pairs.** The second number of a range, ratio or date whose first end
//!   gave no figure (`1:500`, `80-50亩`, `第3至5名`) gives none either.
//! - **Malformed numerals.** A run of Chinese numerals that is not one number
//!   (十四五, 五三千, 三四个) and digits beyond `Decimal`'s range give nothing.
//! - **Codes.** A number glued to Latin letters, `.` or `_` before it (G107,
//!   ISO9001, v2.5) is part of a code.

mod chinese;
mod number;
mod range;
mod units;

#[cfg(test)]
mod tests;

use regex::Regex;
use rust_decimal::Decimal;

pub use chinese::parse_chinese;
pub use number::parse_arabic;

use chinese::{CHINESE_NUMBER_CHARS, chinese_jiao_fen};
use number::{
    Number, arabic_at, chinese_at, digit_group_before, numeral_before, separate_cells, skip_gap,
};
use range::{Sign, range_second_start, second_of_pair, sign_before};

crate::closed_set! {
    /// What a quantity measures.
    pub enum Kind {
        Amount = "amount",
        Rate = "rate",
        Count = "count",
        Area = "area",
        Score = "score",
        Duration = "duration",
        Multiple = "multiple",
        Length = "length",
        Weight = "weight",
        Volume = "volume",
        Age = "age",
        DataSize = "data_size",
    }
}

crate::closed_set! {
    /// Words that bound a quantity rather than state it exactly.
    pub enum Qualifier {
        Approx = "approx",
        AtLeast = "at_least",
        MoreThan = "more_than",
        AtMost = "at_most",
        LessThan = "less_than",
        /// The lower end of a written range (`20-30%` → 20), and its upper end.
        RangeFrom = "range_from",
        RangeTo = "range_to",
    }
}

crate::closed_set! {
    /// Where a qualifier word stands relative to the number.
    pub enum QualifierPosition {
        /// 约 103 万亩, 超过 1400 亩 (not part of `raw`)
        Before = "before",
        /// 20余次, 100多万元 (between the number and its unit)
        Inside = "inside",
        /// 95%以上 (right after the unit)
        After = "after",
    }
}

#[derive(Debug, Clone)]
pub struct UnitDef {
    /// The written unit: 万元 is not a unit, 元 is; 万 is a multiplier.
    pub word: String,
    pub kind: Kind,
    /// Canonical unit in records (`CNY` for every yuan unit, `USD` for 美元).
    pub unit: String,
    /// Value of one `word` in the canonical unit (元 → 1, 千元 → 1000, 成 → 10 %).
    pub factor: Decimal,
    /// Whether Chinese numerals may state this unit anywhere (三千五百万元).
    pub chinese_numerals: bool,
    /// Whether Chinese numerals may state it where the unit ends a clause
    /// (一套，十二个3.2万元) though not inside a phrase (四个城区): measure words.
    pub chinese_at_clause_end: bool,
    /// Characters that, right after the unit, show it is part of another word (分别, 元旦).
    pub not_before: Vec<char>,
    /// Most digits of the integer part: 30年 is a duration, 2024年 a year.
    pub max_integer_digits: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct QualifierDef {
    pub word: String,
    pub position: QualifierPosition,
    pub value: Qualifier,
}

/// A word before a number that gives it its unit: 百分之 (%), 千分之 (‰), ¥ (CNY).
#[derive(Debug, Clone)]
pub struct PrefixDef {
    pub word: String,
    pub kind: Kind,
    pub unit: String,
    pub factor: Decimal,
}

/// Everything the scanner needs to know about wording, compiled once.
#[derive(Debug, Clone)]
pub struct UnitTable {
    units: Vec<UnitDef>,
    multipliers: Vec<(String, Decimal)>,
    qualifiers: Vec<QualifierDef>,
    /// Words before a number that make it an ordinal (第7次 is not seven times).
    ordinal_prefixes: Vec<String>,
    prefixes: Vec<PrefixDef>,
    /// Where a number may start: a digit or a Chinese numeral character.
    number_start: Regex,
    index: units::WordIndexes,
}

/// One quantity found in text; offsets are byte offsets in the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub unit: String,
    /// The value in the canonical unit; for a range, its lower end.
    pub value: Decimal,
    pub qualifier: Option<Qualifier>,
    /// Decimal places as written, before any multiplier: the precision the audit allows.
    pub written_scale: u32,
    /// Value of one unit in the last written place, in the canonical unit
    /// (14623.09 万元 → 100 元): half of it is the audit's tolerance. Chinese
    /// numerals write no trailing zeros, so theirs is the place of the last
    /// non-zero digit (三千五百万元 → 1000000 元).
    pub resolution: Decimal,
    /// A written range (3-6岁, 50-80亩): its lower and upper end.
    pub range: Option<(Decimal, Decimal)>,
}

/// The most decimal places a `Decimal` can carry.
const MAX_SCALE: u32 = 28;

/// What follows a number: an inside qualifier (多, 余), a multiplier, a unit.
struct Tail<'t> {
    qualifier: Option<Qualifier>,
    multiplier: Option<Decimal>,
    /// Where the multiplier (or the number) ends, before any gap.
    multiplier_end: usize,
    unit: Option<(&'t UnitDef, usize)>,
}

impl UnitTable {
    pub fn new(
        mut units: Vec<UnitDef>,
        mut multipliers: Vec<(String, Decimal)>,
        mut qualifiers: Vec<QualifierDef>,
        ordinal_prefixes: Vec<String>,
        mut prefixes: Vec<PrefixDef>,
    ) -> UnitTable {
        // Longest word first, so 人次 wins over 人 and 平方公里 over 公里.
        units.sort_by_key(|u| std::cmp::Reverse(u.word.len()));
        multipliers.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
        qualifiers.sort_by_key(|q| std::cmp::Reverse(q.word.len()));
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.word.len()));
        let number_start = Regex::new(&format!("[0-9]+|[{CHINESE_NUMBER_CHARS}]+"))
            .expect("number pattern is valid");
        let index = units::WordIndexes {
            units: units::WordIndex::new(units.iter().map(|u| u.word.as_str()), false),
            multipliers: units::WordIndex::new(multipliers.iter().map(|m| m.0.as_str()), false),
            qualifiers: units::WordIndex::new(qualifiers.iter().map(|q| q.word.as_str()), false),
            qualifiers_before: units::WordIndex::new(
                qualifiers.iter().map(|q| q.word.as_str()),
                true,
            ),
            ordinal_prefixes: units::WordIndex::new(
                ordinal_prefixes.iter().map(String::as_str),
                true,
            ),
            prefixes: units::WordIndex::new(prefixes.iter().map(|p| p.word.as_str()), true),
        };
        UnitTable {
            units,
            multipliers,
            qualifiers,
            ordinal_prefixes,
            prefixes,
            number_start,
            index,
        }
    }

    pub fn units(&self) -> &[UnitDef] {
        &self.units
    }

    /// Every quantity in `text`, in order, none overlapping.
    pub fn scan(&self, text: &str) -> Vec<Quantity> {
        let mut found = Vec::new();
        let mut consumed = 0usize;
        for m in self.number_start.find_iter(text) {
            if m.start() < consumed {
                continue;
            }
            // A prefix may reach back into the figure before (¥三百分之1): no figure.
            if let Some(q) = self.quantity_at(text, m.start(), consumed)
                && q.start >= consumed
            {
                consumed = q.end;
                found.push(q);
            }
        }
        found
    }

    fn quantity_at(&self, text: &str, start: usize, consumed: usize) -> Option<Quantity> {
        let number = number_at(text, start)?;
        if self.ordinal_before(text, start) || second_of_pair(text, start) {
            return None;
        }
        if let Some((prefix, prefix_start)) = self.prefix_before(text, start) {
            return self.prefixed(text, &number, prefix, prefix_start);
        }
        if glued_to_code(&text[..start], number.chinese) || factor_of_formula(&text[..start]) {
            return None;
        }
        let sign = sign_before(text, start, consumed);
        if sign == Sign::Unclear {
            return None;
        }
        let tail = self.tail(text, &number);
        if sign == Sign::Plus
            && let Some(range) = self.range(text, &number, &tail)
        {
            return Some(range);
        }
        let (unit, _) = tail.unit?;
        if !fits(&number, unit) || (sign == Sign::Plus && self.tail_of_longer(text, &number, unit))
        {
            return None;
        }
        let start = match sign {
            Sign::Minus(at) => at,
            _ => number.start,
        };
        self.single(text, start, &number, &tail)
    }

    /// Whether the Arabic number could be the tail of a longer number that a gap
    /// splits (`12 34万元`); see the module docs.
    fn tail_of_longer(&self, text: &str, number: &Number, unit: &UnitDef) -> bool {
        if number.chinese {
            return numeral_before(text, number.start);
        }
        let Some((left_start, left_end)) = digit_group_before(text, number.start) else {
            return false;
        };
        let is_rate = matches!(unit.unit.as_str(), "%" | "‰" | "‱");
        !separate_cells(
            &text[left_start..left_end],
            &text[number.start..number.end],
            is_rate,
        )
    }

    /// The qualifier, multiplier and unit after a number.
    fn tail(&self, text: &str, number: &Number) -> Tail<'_> {
        let mut pos = skip_gap(text, number.end);
        let mut qualifier = None;
        let mut multiplier = None;
        let mut multiplier_end = number.end;
        if let Some((q, end)) = self.qualifier_at(text, pos, QualifierPosition::Inside) {
            qualifier = Some(q.value);
            pos = end;
            multiplier_end = end;
        }
        // A Chinese numeral swallows its own 万/亿 (三千五百万) except after a
        // fraction (三十二点五万), which is where a multiplier can still follow.
        if let Some((factor, end)) = self.multiplier_at(text, pos) {
            multiplier = Some(factor);
            pos = end;
            multiplier_end = end;
            if let Some((q, end)) = self.qualifier_at(text, pos, QualifierPosition::Inside) {
                qualifier = Some(q.value);
                pos = end;
            }
        }
        let pos = skip_gap(text, pos);
        Tail {
            qualifier,
            multiplier,
            multiplier_end,
            unit: self.unit_at(text, pos, number),
        }
    }

    /// One quantity from its number and tail; `start` is where its sign is
    /// written, if it has one (a sign makes the value negative).
    fn single(&self, text: &str, start: usize, number: &Number, tail: &Tail) -> Option<Quantity> {
        let (unit, unit_end) = tail.unit?;
        let negative = start < number.start;
        let multiplier = tail.multiplier.unwrap_or(Decimal::ONE);
        // Checked: a number near Decimal's range times 亿 is no figure, not a crash.
        let mut value = number
            .value
            .checked_mul(multiplier)?
            .checked_mul(unit.factor)?;
        let mut end = unit_end;
        if number.chinese && unit.unit == "CNY" {
            // 壹仟贰佰叁拾肆元伍角陆分: the jiao and fen of a financial amount.
            let (cents, len) = chinese_jiao_fen(&text[end..]);
            value = value.checked_add(cents)?;
            end += len;
        }
        let resolution = if number.chinese {
            place_of_last_digit(value)
        } else {
            Decimal::new(1, number.scale)
                .checked_mul(multiplier)?
                .checked_mul(unit.factor)?
        };
        let mut qualifier = tail.qualifier;
        if let Some((q, after)) = self.qualifier_at(text, end, QualifierPosition::After) {
            qualifier = Some(q.value);
            end = after;
        }
        if qualifier.is_none() {
            qualifier = self.qualifier_before(text, start);
        }
        if negative {
            value = -value;
        }
        Some(Quantity {
            start,
            end,
            kind: unit.kind,
            unit: unit.unit.clone(),
            value: value.normalize(),
            qualifier,
            written_scale: number.scale,
            resolution: resolution.normalize(),
            range: None,
        })
    }

    /// A number after a prefix: 百分之九十五 (the prefix is the unit), ¥1,200 or
    /// ¥1.2万 (a unit after it, if any, must be the prefix's: ¥1,200元).
    fn prefixed(
        &self,
        text: &str,
        number: &Number,
        prefix: &PrefixDef,
        prefix_start: usize,
    ) -> Option<Quantity> {
        let (multiplier, unit_factor, end) = if prefix.kind == Kind::Rate {
            // 百分之八a十, 百分之二    十一: what follows may be the rest of the number.
            let rest = text[number.end..].trim_start_matches([' ', '\n', '\u{3000}', '\r']);
            if text[number.end..].starts_with(|c: char| c.is_ascii_alphabetic())
                || rest.starts_with(|c: char| {
                    c.is_ascii_digit() || c == '点' || chinese::is_chinese_number_char(c)
                })
            {
                return None;
            }
            (Decimal::ONE, Decimal::ONE, number.end)
        } else {
            let tail = self.tail(text, number);
            let multiplier = tail.multiplier.unwrap_or(Decimal::ONE);
            match tail.unit {
                Some((unit, end)) if unit.unit == prefix.unit => (multiplier, unit.factor, end),
                Some(_) => return None,
                None => (multiplier, Decimal::ONE, tail.multiplier_end),
            }
        };
        let scale_factor = multiplier
            .checked_mul(unit_factor)?
            .checked_mul(prefix.factor)?;
        let value = number.value.checked_mul(scale_factor)?.normalize();
        let resolution = if number.chinese {
            place_of_last_digit(value)
        } else {
            Decimal::new(1, number.scale).checked_mul(scale_factor)?
        };
        Some(Quantity {
            start: prefix_start,
            end,
            kind: prefix.kind,
            unit: prefix.unit.clone(),
            value,
            qualifier: self.qualifier_before(text, prefix_start),
            written_scale: number.scale,
            resolution: resolution.normalize(),
            range: None,
        })
    }

    /// A range `N1[万][unit] - N2[万]unit` (3-6岁, 1-2万元, 10%-20%): one
    /// quantity whose value is the lower end. `None` when it is not a range.
    fn range(&self, text: &str, first: &Number, first_tail: &Tail) -> Option<Quantity> {
        let after_first = first_tail
            .unit
            .map_or(first_tail.multiplier_end, |(_, end)| end);
        let second = number_at(text, range_second_start(text, after_first)?)?;
        let second_tail = self.tail(text, &second);
        let (unit, end) = second_tail.unit?;
        let same_unit = first_tail.unit.is_none_or(|(u, _)| u.word == unit.word);
        let multipliers_agree = first_tail.multiplier.is_none() || second_tail.multiplier.is_some();
        if second.chinese != first.chinese
            || !same_unit
            || !multipliers_agree
            || !fits(first, unit)
            || !fits(&second, unit)
        {
            return None;
        }
        let second_multiplier = second_tail.multiplier.unwrap_or(Decimal::ONE);
        let first_multiplier = first_tail.multiplier.unwrap_or(second_multiplier);
        let from = first
            .value
            .checked_mul(first_multiplier)?
            .checked_mul(unit.factor)?;
        let to = second
            .value
            .checked_mul(second_multiplier)?
            .checked_mul(unit.factor)?;
        if from >= to {
            return None;
        }
        Some(Quantity {
            start: first.start,
            end,
            kind: unit.kind,
            unit: unit.unit.clone(),
            value: from.normalize(),
            qualifier: None,
            written_scale: first.scale,
            resolution: Decimal::new(1, first.scale)
                .checked_mul(first_multiplier)?
                .checked_mul(unit.factor)?
                .normalize(),
            range: Some((from.normalize(), to.normalize())),
        })
    }
}

/// The place of a value's last non-zero digit (35000000 → 1000000, 12.5 →
/// 0.1; 1 for zero): the precision a number implies when nothing says how it
/// was written.
pub fn place_of_last_digit(value: Decimal) -> Decimal {
    let v = value.abs().normalize();
    if v.is_zero() {
        return Decimal::ONE;
    }
    if v.scale() > 0 {
        return Decimal::new(1, v.scale());
    }
    // Capped: beyond 10^12 a round number says nothing more about its precision.
    let cap = Decimal::from(1_000_000_000_000i64);
    let mut place = Decimal::ONE;
    while place < cap && (v % (place * Decimal::TEN)).is_zero() {
        place *= Decimal::TEN;
    }
    place
}

fn number_at(text: &str, start: usize) -> Option<Number> {
    if text.as_bytes()[start].is_ascii_digit() {
        arabic_at(text, start)
    } else {
        chinese_at(text, start)
    }
}

/// Whether the unit accepts a number of this size: 2024年 is a year, not a duration.
fn fits(number: &Number, unit: &UnitDef) -> bool {
    unit.max_integer_digits.is_none_or(|max| {
        let digits = number.value.trunc().abs().to_string().len() as u32;
        digits <= max
    })
}

/// A number right after a multiplication sign is a factor of a formula
/// (…完成数×100%, (B/A)*100%), not a figure the text states.
fn factor_of_formula(before: &str) -> bool {
    before
        .trim_end_matches([' ', '\u{3000}'])
        .ends_with(['×', '*', '＊', '✕'])
}

/// A number glued to Latin letters is part of a code (G107, ISO9001, ISO 9001),
/// not a figure; digits right after `1,` are the rest of a larger number. Chinese
/// numerals may follow a list marker's point (2.三千元).
fn glued_to_code(before: &str, chinese: bool) -> bool {
    let mut chars = before.chars().rev();
    match (chars.next(), chars.next()) {
        (Some(c), _) if c.is_ascii_alphabetic() => true,
        // ISO 9001, GB 50016: a Latin word and a space still make a code.
        (Some(' ' | '\n' | '\u{3000}'), _) => before
            .trim_end_matches([' ', '\n', '\u{3000}'])
            .ends_with(|c: char| c.is_ascii_alphabetic()),
        _ if chinese => false,
        (Some('.' | '_'), _) => true,
        (Some(','), _) => before[..before.len() - 1]
            .trim_end_matches([' ', '\n', '\u{3000}'])
            .ends_with(|c: char| c.is_ascii_alphanumeric()),
        _ => false,
    }
}
