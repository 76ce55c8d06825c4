//! The words around a number, as `rules/units.toml` declares them: units and
//! measure words, multipliers (万, 亿), qualifiers (约, 以上) and prefixes
//! (百分之, ¥). A unit word may itself be spread by a gap (`个百 分点`, `万 元`).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::number::{Number, gap_before, skip_gap};
use super::{PrefixDef, QualifierDef, QualifierPosition, UnitDef, UnitTable};

/// Which words of a list can be written at a place, by the character they
/// must have there: the scanner asks at every number which of some 150 unit
/// words follows it, and trying each in turn cost more than a third of the
/// TXT throughput. A word spread by gaps still has its first (or, read
/// backwards, its last) character at the place itself, so one character picks
/// the candidates, in the list's own order (longest word first).
#[derive(Debug, Clone, Default)]
pub(super) struct WordIndex {
    by_char: HashMap<char, Vec<u32>>,
}

impl WordIndex {
    /// Indexes each word by its first character (`from_end` false) or its last.
    pub(super) fn new<'a>(words: impl Iterator<Item = &'a str>, from_end: bool) -> WordIndex {
        let mut by_char: HashMap<char, Vec<u32>> = HashMap::new();
        for (i, word) in words.enumerate() {
            let key = if from_end {
                word.chars().next_back()
            } else {
                word.chars().next()
            };
            if let Some(c) = key {
                by_char.entry(c).or_default().push(i as u32);
            }
        }
        WordIndex { by_char }
    }

    /// The positions in the list of the words that can be written at `pos`.
    fn starting_at(&self, text: &str, pos: usize) -> impl Iterator<Item = usize> {
        self.candidates(text[pos..].chars().next())
    }

    /// The positions in the list of the words that can end right before `end`.
    fn ending_at(&self, text: &str, end: usize) -> impl Iterator<Item = usize> {
        self.candidates(text[..end].chars().next_back())
    }

    fn candidates(&self, c: Option<char>) -> impl Iterator<Item = usize> {
        c.and_then(|c| self.by_char.get(&c))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| i as usize)
    }
}

/// The words the scanner looks up, each list with its index.
#[derive(Debug, Clone, Default)]
pub(super) struct WordIndexes {
    pub(super) units: WordIndex,
    pub(super) multipliers: WordIndex,
    pub(super) qualifiers: WordIndex,
    pub(super) qualifiers_before: WordIndex,
    pub(super) ordinal_prefixes: WordIndex,
    pub(super) prefixes: WordIndex,
}

/// Where `word` ends if it is written at `pos`, its characters possibly
/// spread by gaps.
pub(super) fn word_at(text: &str, pos: usize, word: &str) -> Option<usize> {
    if text[pos..].starts_with(word) {
        return Some(pos + word.len());
    }
    spread_word_at(text, pos, word, skip_gap)
}

/// `word` at `pos` with its characters spread by whatever `skip` passes over.
fn spread_word_at(
    text: &str,
    pos: usize,
    word: &str,
    skip: impl Fn(&str, usize) -> usize,
) -> Option<usize> {
    let mut at = pos;
    for (i, c) in word.chars().enumerate() {
        if i > 0 {
            at = skip(text, at);
        }
        if !text[at..].starts_with(c) {
            return None;
        }
        at += c.len_utf8();
    }
    Some(at)
}

/// Where `word` starts if it is written right before `end`, its characters
/// possibly spread by gaps.
pub(super) fn word_before(text: &str, end: usize, word: &str) -> Option<usize> {
    if text[..end].ends_with(word) {
        return Some(end - word.len());
    }
    let mut at = end;
    for (i, c) in word.chars().rev().enumerate() {
        if i > 0 {
            at = gap_before(text, at);
        }
        if !text[..at].ends_with(c) {
            return None;
        }
        at -= c.len_utf8();
    }
    Some(at)
}

/// Whether a count spelled in Chinese numerals may end here: where its clause
/// ends (十二个，十二个3.2万元), never inside a phrase (四个城区). 一 with a
/// measure word is also the indefinite article (跑一次, 一个方面), so a count
/// of one needs the figure of the item after it (一套18.8万元).
fn count_may_end(rest: &str, one: bool) -> bool {
    match rest.chars().next() {
        None => !one,
        Some(c) if c.is_ascii_digit() => true,
        Some(c) => !one && (c.is_whitespace() || "，,。；;、：:！!？?）)".contains(c)),
    }
}

impl UnitTable {
    /// The unit written at `pos` and where it ends, for a number written in
    /// Chinese numerals or not.
    pub(super) fn unit_at(
        &self,
        text: &str,
        pos: usize,
        number: &Number,
    ) -> Option<(&UnitDef, usize)> {
        self.index.units.starting_at(text, pos).find_map(|i| {
            let u = &self.units[i];
            let end = word_at(text, pos, &u.word)?;
            let rest = &text[end..];
            let glued = rest
                .chars()
                .next()
                .is_some_and(|next| u.not_before.contains(&next));
            let numerals_ok = !number.chinese
                || u.chinese_numerals
                || (u.chinese_at_clause_end && count_may_end(rest, number.value == Decimal::ONE));
            (!glued && numerals_ok && !self.longer_unit_across_whitespace(text, pos, u))
                .then_some((u, end))
        })
    }

    /// Whether a longer unit word that begins with `unit`'s would be written at
    /// `pos` if any whitespace may spread it (`10个    百分点`): then `个` is
    /// not known to be the unit.
    fn longer_unit_across_whitespace(&self, text: &str, pos: usize, unit: &UnitDef) -> bool {
        let any_whitespace = |text: &str, at: usize| {
            at + text[at..]
                .chars()
                .take_while(|c| matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '\r' | '\n'))
                .map(char::len_utf8)
                .sum::<usize>()
        };
        self.index.units.starting_at(text, pos).any(|i| {
            let longer = &self.units[i];
            longer.word.len() > unit.word.len()
                && longer.word.starts_with(unit.word.as_str())
                && spread_word_at(text, pos, &longer.word, any_whitespace).is_some()
        })
    }

    pub(super) fn multiplier_at(&self, text: &str, pos: usize) -> Option<(Decimal, usize)> {
        self.index.multipliers.starting_at(text, pos).find_map(|i| {
            let (word, factor) = &self.multipliers[i];
            word_at(text, pos, word).map(|end| (*factor, end))
        })
    }

    pub(super) fn qualifier_at(
        &self,
        text: &str,
        pos: usize,
        position: QualifierPosition,
    ) -> Option<(&QualifierDef, usize)> {
        self.index
            .qualifiers
            .starting_at(text, pos)
            .map(|i| &self.qualifiers[i])
            .filter(|q| q.position == position)
            .find_map(|q| word_at(text, pos, &q.word).map(|end| (q, end)))
    }

    /// The qualifier written before a quantity that starts at `start` (约 103 万亩).
    pub(super) fn qualifier_before(&self, text: &str, start: usize) -> Option<super::Qualifier> {
        let before = text[..start].trim_end();
        self.index
            .qualifiers_before
            .ending_at(before, before.len())
            .map(|i| &self.qualifiers[i])
            .find(|q| q.position == QualifierPosition::Before && before.ends_with(&q.word))
            .map(|q| q.value)
    }

    /// A prefix written before a number that starts at `start` (百分之九十五,
    /// ¥1,200), and where the prefix starts.
    pub(super) fn prefix_before(&self, text: &str, start: usize) -> Option<(&PrefixDef, usize)> {
        let end = gap_before(text, start);
        self.index
            .prefixes
            .ending_at(text, end)
            .map(|i| &self.prefixes[i])
            .find_map(|p| word_before(text, end, &p.word).map(|at| (p, at)))
    }

    /// Whether the words before `start` make the number an ordinal (第7次).
    pub(super) fn ordinal_before(&self, text: &str, start: usize) -> bool {
        let before = text[..start].trim_end();
        self.index
            .ordinal_prefixes
            .ending_at(before, before.len())
            .any(|i| before.ends_with(self.ordinal_prefixes[i].as_str()))
    }
}
