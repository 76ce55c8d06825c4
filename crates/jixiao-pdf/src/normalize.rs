//! Unicode clean-up of glyph text: NFKC, CJK radicals → unified ideographs, PDF text strings.

use hayro_cmap::BfString;
use unicode_normalization::UnicodeNormalization;

use crate::radicals::EQUIVALENT_UNIFIED;

/// Normalise the Unicode that a font maps a glyph to. `None` means "no usable mapping"
/// (empty, or only control characters), so the caller can try its fallbacks.
pub(crate) fn normalize_bf(bf: &BfString) -> Option<String> {
    let s = match bf {
        BfString::Char(c) => {
            // Fast path: ASCII and the main CJK block are already NFKC and radical-free.
            if is_stable(*c) {
                return if c.is_control() {
                    None
                } else {
                    Some(c.to_string())
                };
            }
            normalize_str(c.encode_utf8(&mut [0u8; 4]))
        }
        BfString::String(s) => normalize_str(s),
    };
    if s.is_empty() { None } else { Some(s) }
}

fn is_stable(c: char) -> bool {
    c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// NFKC, then map radicals (Kangxi radicals are handled by NFKC; the CJK Radicals Supplement
/// and CJK strokes are not) to their equivalent unified ideographs. Control characters and
/// zero-width/BOM characters are dropped: some ToUnicode CMaps map glyphs to them.
pub(crate) fn normalize_str(s: &str) -> String {
    if s.chars().all(is_stable) {
        return s.chars().filter(|c| !c.is_control()).collect();
    }
    s.chars()
        .map(simplified_radical)
        .nfkc()
        .map(map_radical)
        .filter(|&c| !c.is_control() && !matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}'))
        .collect()
}

/// Kangxi radicals whose NFKC target is a traditional form, while Chinese (SC) fonts draw the
/// radical with the simplified ideograph's glyph. Chromium/Skia writes ToUnicode by inverting
/// the font's cmap and picks the lowest code point, i.e. the radical, for such shared glyphs
/// (seen in the corpus: 户 comes out as U+2F3E, whose NFKC is 戶).
fn simplified_radical(c: char) -> char {
    match c {
        '\u{2F3E}' => '户',
        _ => c,
    }
}

/// Map one CJK radical or stroke to its unified ideograph (Unicode EquivalentUnifiedIdeograph).
pub(crate) fn map_radical(c: char) -> char {
    let cp = c as u32;
    if !(0x2E80..=0x31EF).contains(&cp) {
        return c;
    }
    match EQUIVALENT_UNIFIED.binary_search_by_key(&cp, |&(k, _)| k) {
        Ok(i) => char::from_u32(EQUIVALENT_UNIFIED[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

/// Decode a PDF text string (UTF-16BE/LE with BOM, UTF-8 with BOM, else PDFDocEncoding,
/// approximated as Latin-1) and normalise it.
pub(crate) fn decode_text_string(b: &[u8]) -> String {
    let raw = if let Some(rest) = b.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else if let Ok(s) = std::str::from_utf8(b) {
        // Not allowed by the spec, but common (e.g. WPS writes raw UTF-8).
        s.to_string()
    } else {
        b.iter().map(|&c| c as char).collect()
    };
    normalize_str(raw.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_and_width() {
        assert_eq!(normalize_str("⻚"), "页");
        assert_eq!(normalize_str("⼀"), "一"); // Kangxi radical one (NFKC)
        assert_eq!(normalize_str("１２３，％"), "123,%");
        assert_eq!(map_radical('a'), 'a');
        assert_eq!(normalize_str("\u{2F3E}"), "户");
    }

    #[test]
    fn text_strings() {
        assert_eq!(
            decode_text_string(&[0xFE, 0xFF, 0x4E, 0x2D, 0x00, 0x41]),
            "中A"
        );
        assert_eq!(decode_text_string(b"Report"), "Report");
    }
}
