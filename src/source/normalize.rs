//! A matching copy of a document's text: NFKC-folded (full-width digits and
//! punctuation become ASCII), traditional characters mapped to simplified ones,
//! pieces that are no part of the text left out, with a map back to byte
//! offsets in the original.
//!
//! Rules and the quantity scanner work on the folded copy, so `１２３` and `123`,
//! `：` and `:`, `萬元` and `万元` are the same to them; records keep spans and
//! `raw` text from the original, so what a user sees in `jixiao text` is what
//! the span points at. Left out of the folded copy: line breaks inside a PDF
//! paragraph, and the pinyin that content-farm mirrors insert after converted
//! characters (`項(xiàng)目`, `績效指標(biāo)`), and the `1、` `2、` a document-sharing
//! viewer puts before each page (see [`super::page_parts`]).

use std::ops::Range;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::page_parts::page_part_markers;
use super::traditional_generated::TRADITIONAL_TO_SIMPLIFIED;

#[derive(Debug, Clone)]
pub struct NormalizedText {
    pub text: String,
    /// For each byte offset of `text` (and one past the end), the offset in the original.
    to_original: Vec<u32>,
    /// Byte ranges of the original left out of `text`, sorted.
    dropped: Vec<Range<u32>>,
    /// The original text, for [`NormalizedText::original_text`].
    original: String,
}

impl NormalizedText {
    pub fn new(original: &str) -> NormalizedText {
        Self::leaving_out(original, pinyin_annotations(original))
    }

    /// The folded copy of a short text (a cell, a name) as [`NormalizedText::new`]
    /// makes it, without the map back: what matching a cell needs, without
    /// the map's four bytes per byte and the copy of the original.
    pub fn folded(original: &str) -> String {
        Self::folded_within(original, usize::MAX).unwrap_or_default()
    }

    /// [`NormalizedText::folded`], or `None` as soon as the folded copy holds
    /// more than `limit` bytes besides whitespace: whether a line can be a
    /// short header cell is known without folding a whole paragraph.
    pub fn folded_within(original: &str, limit: usize) -> Option<String> {
        let dropped = pinyin_annotations(original);
        let mut text = String::with_capacity(original.len().min(limit.saturating_add(16)));
        let mut whitespace = 0;
        for (_, c) in kept_chars(original, &dropped) {
            let before = text.len();
            push_folded(&mut text, c);
            whitespace += text[before..]
                .chars()
                .filter(|c| c.is_whitespace())
                .map(char::len_utf8)
                .sum::<usize>();
            if text.len() - whitespace > limit {
                return None;
            }
        }
        Some(text)
    }

    /// The matching copy of a whole document's text: like [`NormalizedText::new`],
    /// but the characters at the sorted byte offsets `drop` (line breaks inside
    /// a paragraph) and a viewer's page-part markers with the breaks before
    /// them are left out too, so that what a page break cut reads whole.
    pub fn joining(original: &str, drop: &[usize]) -> NormalizedText {
        let mut dropped: Vec<Range<usize>> = drop
            .iter()
            .filter_map(|&at| {
                let c = original.get(at..)?.chars().next()?;
                Some(at..at + c.len_utf8())
            })
            .collect();
        dropped.extend(pinyin_annotations(original));
        dropped.extend(page_part_markers(original));
        dropped.sort_by_key(|r| r.start);
        Self::leaving_out(original, merged(dropped))
    }

    fn leaving_out(original: &str, dropped: Vec<Range<usize>>) -> NormalizedText {
        let mut text = String::with_capacity(original.len());
        let mut to_original = Vec::with_capacity(original.len() + 1);
        for (offset, c) in kept_chars(original, &dropped) {
            let pushed = push_folded(&mut text, c);
            to_original.extend(std::iter::repeat_n(offset as u32, pushed));
        }
        to_original.push(original.len() as u32);
        NormalizedText {
            text,
            to_original,
            dropped: dropped
                .into_iter()
                .map(|r| r.start as u32..r.end as u32)
                .collect(),
            original: original.to_string(),
        }
    }

    /// The original byte range of a range in the folded text.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let original_start = self.to_original[start] as usize;
        // The end maps through the last byte inside the range so that a folded
        // character expanding to several bytes keeps its whole original character.
        let original_end = if end > start {
            let last = self.to_original[end - 1] as usize;
            let next = self.to_original[end] as usize;
            let end = next.max(last + 1);
            // A piece left out right after the range is not part of it.
            match self.dropped_from(last + 1) {
                Some(piece) if (piece.start as usize) < end => piece.start as usize,
                _ => end,
            }
        } else {
            original_start
        };
        (original_start, original_end)
    }

    /// The original characters of a range of the folded text, with the pieces
    /// left out of the folded copy (pinyin, joined line breaks) left out here
    /// too: a name in the document's own characters, without the artefacts.
    pub fn original_text(&self, start: usize, end: usize) -> String {
        let (a, b) = self.original_span(start, end);
        let mut out = String::with_capacity(b - a);
        let mut at = a;
        for piece in &self.dropped {
            let (s, e) = (piece.start as usize, piece.end as usize);
            if e <= at || s >= b {
                continue;
            }
            out.push_str(&self.original[at..s.max(at)]);
            at = e.min(b);
        }
        out.push_str(&self.original[at..b]);
        out
    }

    /// The first piece left out that starts at or after `offset`.
    fn dropped_from(&self, offset: usize) -> Option<&Range<u32>> {
        let i = self
            .dropped
            .partition_point(|r| (r.start as usize) < offset);
        self.dropped.get(i)
    }
}

/// Sorted ranges with the overlapping ones made one (a PDF's joined line
/// break may fall inside a page part's break).
fn merged(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// The characters of `original` and their offsets, those inside the sorted
/// ranges `dropped` left out.
fn kept_chars<'t>(
    original: &'t str,
    dropped: &'t [Range<usize>],
) -> impl Iterator<Item = (usize, char)> + 't {
    let mut skip = dropped.iter().peekable();
    original.char_indices().filter(move |&(offset, _)| {
        while skip.next_if(|r| r.end <= offset).is_some() {}
        skip.peek().is_none_or(|r| r.start > offset)
    })
}

/// Appends the folded form of `c` to `text` and says how many bytes it took.
fn push_folded(text: &mut String, c: char) -> usize {
    let before = text.len();
    if c.is_ascii() {
        text.push(c);
    } else if needs_folding(c) {
        text.extend(std::iter::once(c).nfkc().map(simplified));
    } else {
        text.push(simplified(c));
    }
    text.len() - before
}

/// Characters whose compatibility form matters for matching: full-width ASCII,
/// the ideographic space, Kangxi radicals, compatibility ideographs and the like.
fn needs_folding(c: char) -> bool {
    matches!(c as u32,
        0x3000 | 0xFF01..=0xFF5E | 0xFFE0..=0xFFEE | 0x2F00..=0x2FDF | 0xF900..=0xFAFF | 0x2460..=0x24FF | 0x3200..=0x33FF | 0x00A0)
}

/// The simplified form of a traditional character (萬 → 万), one to one.
fn simplified(c: char) -> char {
    if (c as u32) < 0x3400 || !may_be_traditional(c) {
        return c;
    }
    TRADITIONAL_TO_SIMPLIFIED
        .binary_search_by_key(&c, |&(traditional, _)| traditional)
        .map_or(c, |i| TRADITIONAL_TO_SIMPLIFIED[i].1)
}

/// Whether `c` may have a simplified form: one bit per character of the Basic
/// Multilingual Plane, so the nine in ten Han characters of a report that are
/// already simplified skip the table's binary search (a tenth of the TXT
/// throughput). Characters beyond the plane are always looked up.
fn may_be_traditional(c: char) -> bool {
    static BMP_BITS: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for &(traditional, _) in TRADITIONAL_TO_SIMPLIFIED {
            if let Some(code) = u16::try_from(traditional as u32).ok().map(usize::from) {
                bits[code / 64] |= 1 << (code % 64);
            }
        }
        bits
    });
    let code = c as usize;
    code > 0xFFFF || BMP_BITS[code / 64] & (1 << (code % 64)) != 0
}

const TONE_MARKS: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";

/// Pinyin in brackets right after a Han character, as mirrors that convert
/// to traditional characters insert it: `(xiàng)`, `（biāo）`. Lowercase
/// letters only, with at least one tone mark, so `(km)` or `(B/A)` stay.
fn pinyin_annotations(text: &str) -> Vec<Range<usize>> {
    // Only the brackets are visited: a report holds a few hundred of them in
    // hundreds of thousands of characters.
    text.match_indices(['(', '（'])
        .filter(|(offset, _)| {
            text[..*offset]
                .chars()
                .next_back()
                .is_some_and(crate::text::is_han)
        })
        .filter_map(|(offset, _)| {
            let len = pinyin_in_brackets(&text[offset..])?;
            Some(offset..offset + len)
        })
        .collect()
}

/// The byte length of `(pinyin)` at the start of `rest`, if it is one.
fn pinyin_in_brackets(rest: &str) -> Option<usize> {
    let mut chars = rest.char_indices().skip(1);
    let mut letters = 0;
    let mut toned = false;
    for (i, c) in chars.by_ref() {
        if matches!(c, ')' | '）') {
            return (toned && (1..=7).contains(&letters)).then_some(i + c.len_utf8());
        }
        if c.is_ascii_lowercase() || c == 'ü' {
            letters += 1;
        } else if TONE_MARKS.contains(c) {
            letters += 1;
            toned = true;
        } else {
            return None;
        }
        if letters > 7 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_fold_and_map_back() {
        let original = "资金：１２.５万元";
        let folded = NormalizedText::new(original);
        assert_eq!(folded.text, "资金:12.5万元");
        let start = folded.text.find("12").unwrap();
        let end = start + "12.5万元".len();
        let (a, b) = folded.original_span(start, end);
        assert_eq!(&original[a..b], "１２.５万元");
    }

    #[test]
    fn kangxi_radicals_become_ideographs() {
        assert_eq!(NormalizedText::new("⾃评").text, "自评");
    }

    #[test]
    fn traditional_characters_fold_to_simplified_with_spans_into_the_original() {
        let original = "預算執行數356.8萬元，兩億元";
        let folded = NormalizedText::new(original);
        assert_eq!(folded.text, "预算执行数356.8万元,两亿元");
        let start = folded.text.find("356").unwrap();
        let end = start + "356.8万元".len();
        let (a, b) = folded.original_span(start, end);
        assert_eq!(&original[a..b], "356.8萬元");
        // Simplified text is left as it is.
        let simplified = "部门整体支出绩效自评表于2024年";
        assert_eq!(NormalizedText::new(simplified).text, simplified);
    }

    #[test]
    fn pinyin_after_converted_characters_is_left_out() {
        let original = "項(xiàng)目績效指標(biāo)共5個(gè)，面积(km)";
        let folded = NormalizedText::new(original);
        assert_eq!(folded.text, "项目绩效指标共5个,面积(km)");
        let start = folded.text.find('5').unwrap();
        let end = start + "5个".len();
        let (a, b) = folded.original_span(start, end);
        assert_eq!(&original[a..b], "5個");
        let name_end = folded.text.find("共").unwrap();
        assert_eq!(folded.original_text(0, name_end), "項目績效指標");
        // Brackets without a tone mark are the text's own.
        assert_eq!(NormalizedText::new("执行率(B/A)").text, "执行率(B/A)");
    }

    #[test]
    fn the_folded_copy_alone_is_the_same_copy() {
        for original in [
            "項(xiàng)目績效指標(biāo)共5個(gè)，面积(km)",
            "資金：１２.５萬元　（盖章）",
            "項(xiàng)(biāo)",
            "",
        ] {
            assert_eq!(
                NormalizedText::folded(original),
                NormalizedText::new(original).text,
                "{original}"
            );
        }
    }

    #[test]
    fn a_folded_copy_within_a_limit_stops_past_it() {
        // Whitespace does not count: 年度 指标值 is six characters of header.
        assert_eq!(
            NormalizedText::folded_within("年度　指标值", 15).as_deref(),
            Some("年度 指标值")
        );
        assert_eq!(NormalizedText::folded_within("年度指标值", 14), None);
        // Pinyin left out of the copy is not counted either.
        assert_eq!(
            NormalizedText::folded_within("指標(biāo)", 6).as_deref(),
            Some("指标")
        );
    }

    #[test]
    fn joined_line_breaks_are_left_out_of_names_and_spans() {
        let original = "10.98万套\n下一行";
        let folded = NormalizedText::joining(original, &[original.find('\n').unwrap()]);
        assert_eq!(folded.text, "10.98万套下一行");
        let end = folded.text.find("下").unwrap();
        let (a, b) = folded.original_span(0, end);
        assert_eq!(&original[a..b], "10.98万套");
        assert_eq!(
            folded.original_text(0, folded.text.len()),
            "10.98万套下一行"
        );
    }
}
