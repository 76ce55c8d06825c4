//! A matching copy of a document's text: NFKC-folded (full-width digits and
//! punctuation become ASCII) with a map back to byte offsets in the original.
//!
//! Rules and the quantity scanner work on the folded copy, so `１２３` and `123`,
//! `：` and `:` are the same to them; records keep spans and `raw` text from the
//! original, so what a user sees in `jixiao text` is what the span points at.

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone)]
pub struct NormalizedText {
    pub text: String,
    /// For each byte offset of `text` (and one past the end), the offset in the original.
    to_original: Vec<u32>,
}

impl NormalizedText {
    pub fn new(original: &str) -> NormalizedText {
        Self::joining(original, &[])
    }

    /// Like [`NormalizedText::new`], but the characters at the sorted byte offsets
    /// `drop` (line breaks inside a paragraph) are left out of the folded text.
    pub fn joining(original: &str, drop: &[usize]) -> NormalizedText {
        let mut drop = drop.iter().peekable();
        let mut text = String::with_capacity(original.len());
        let mut to_original = Vec::with_capacity(original.len() + 1);
        let mut buf = String::new();
        for (offset, c) in original.char_indices() {
            while drop.next_if(|&&d| d < offset).is_some() {}
            if drop.next_if(|&&d| d == offset).is_some() {
                continue;
            }
            if c.is_ascii() || !needs_folding(c) {
                text.push(c);
                to_original.extend(std::iter::repeat_n(offset as u32, c.len_utf8()));
                continue;
            }
            buf.clear();
            buf.extend(std::iter::once(c).nfkc());
            text.push_str(&buf);
            to_original.extend(std::iter::repeat_n(offset as u32, buf.len()));
        }
        to_original.push(original.len() as u32);
        NormalizedText { text, to_original }
    }

    /// The original byte range of a range in the folded text.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let original_start = self.to_original[start] as usize;
        // The end maps through the last byte inside the range so that a folded
        // character expanding to several bytes keeps its whole original character.
        let original_end = if end > start {
            let last = self.to_original[end - 1] as usize;
            let next = self.to_original[end] as usize;
            next.max(last + 1)
        } else {
            original_start
        };
        (original_start, original_end)
    }
}

/// Characters whose compatibility form matters for matching: full-width ASCII,
/// the ideographic space, Kangxi radicals, compatibility ideographs and the like.
fn needs_folding(c: char) -> bool {
    matches!(c as u32,
        0x3000 | 0xFF01..=0xFF5E | 0x2F00..=0x2FDF | 0xF900..=0xFAFF | 0x2460..=0x24FF | 0x3200..=0x33FF | 0x00A0)
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
}
